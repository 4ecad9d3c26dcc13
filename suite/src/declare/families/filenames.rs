//! `filenames`: attachment, photo and signature filenames. Only lowercase `a-z`, digits, `_`, `-`, `.`
//! and space are allowed (Field Representation); everything else is 422 INVALID_VALUE. Every line of the Big List of
//! Naughty Strings is tried as a filename, judged by the same rule; a valid upload reads back with a
//! documented `state`, and its URL answers a redirect.

use super::samples::{filename_expect, upload, Sample};
use super::values::{write_case, Host, Op};
use crate::declare::case::{Case, Family};
use crate::declare::ctx::Ctx;
use crate::declare::model::{DataModel, FieldKind, ObjectType};
use crate::declare::scenario::{After, Repr, Subject};
use crate::declare::spec;

/// The Big List of Naughty Strings (MIT; see corpora/blns/LICENSE).
const BLNS: &str = include_str!("../../../../corpora/blns/blns.txt");

/// Every naughty string with its 1-based line number: comments and blank lines are not strings.
pub fn naughty_strings() -> Vec<(usize, &'static str)> {
    BLNS.lines().enumerate().filter(|(_, l)| !l.is_empty() && !l.starts_with('#')).map(|(i, l)| (i + 1, l)).collect()
}

/// Named filenames beyond the values family's: control characters, lengths, reserved-looking names.
fn named() -> Vec<(&'static str, String)> {
    vec![
        ("control-soh", "a\u{1}b.txt".into()),
        ("control-del", "a\u{7f}b.txt".into()),
        ("tab", "a\tb.txt".into()),
        ("carriage-return", "a\rb.txt".into()),
        ("percent-encoded-slash", "a%2fb.txt".into()),
        ("colon", "c:file.txt".into()),
        ("asterisk", "*.txt".into()),
        ("trailing-dot-dot", "a..".into()),
        ("fullwidth-letter", "ａ.txt".into()),
        ("zero-width-space", "a\u{200b}b.txt".into()),
        ("right-to-left-override", "a\u{202e}txt.exe".into()),
        ("uppercase-extension", "photo.JPG".into()),
        ("leading-dot", ".hidden".into()),
        ("all-allowed-characters", "abc xyz_0-9.txt".into()),
        ("255-characters", format!("{}.txt", "a".repeat(251))),
        ("256-characters", format!("{}.txt", "a".repeat(252))),
        ("4096-characters", "a".repeat(4096)),
        ("only-dot", ".".into()),
        ("only-spaces", "   ".into()),
    ]
}

/// Every case of the family; skipped with a reason when the model has no upload field.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let model = DataModel::parse(&ctx.model);
    let found = [FieldKind::Attachment, FieldKind::Photo, FieldKind::Signature]
        .into_iter()
        .find_map(|k| model.field_of_kind(k, &ctx.object_type));
    let placeholder = ObjectType { name: ctx.object_type.clone(), ..ObjectType::default() };
    let (object, field, missing) = match found {
        Some((o, f)) => (o, f.name.clone(), None),
        None => (
            &placeholder,
            "(upload)".to_string(),
            Some("the data model has no attachment, photo or signature field".to_string()),
        ),
    };
    let host = Host { object, field: field.clone(), marker_field: object.text_field(&field).map(str::to_string) };
    let mut samples: Vec<Sample> =
        named().into_iter().map(|(name, filename)| sample(name.to_string(), &filename)).collect();
    samples.extend(naughty_strings().into_iter().map(|(line, s)| sample(format!("blns-line-{line:04}"), s)));

    let mut out: Vec<Case> = samples
        .iter()
        .map(|s| {
            let mut case = write_case(ctx, &host, "filenames", s, Op::Create, None);
            case.family = Family::Filenames;
            case.id = format!("filenames/{}", s.name);
            case.description = format!("upload named {} {}", s.shown(), s.verb());
            case
        })
        .collect();

    let mut fetch = write_case(
        ctx,
        &host,
        "filenames",
        &Sample::valid("fetch-redirects", upload("report.txt"), Repr::Attachment),
        Op::Create,
        None,
    );
    fetch.family = Family::Filenames;
    fetch.id = "filenames/upload/fetch-redirects".into();
    fetch.spec = spec::ATTACHMENT_REDIRECT;
    fetch.description =
        "a valid upload reads back with a documented state, and its URL answers a 3xx (not followed)".into();
    fetch.scenario.after.push(After::AttachmentRedirect { subject: Subject::Created(object.name.clone()), field });
    out.push(fetch);

    if let Some(reason) = missing {
        for case in &mut out {
            case.unsupported = Some(reason.clone());
        }
    }
    out
}

fn sample(name: String, filename: &str) -> Sample {
    Sample { name, raw: upload(filename), expect: filename_expect(filename) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::families::samples::SampleExpect;

    #[test]
    fn the_naughty_list_is_embedded_and_mostly_invalid() {
        let strings = naughty_strings();
        assert!(strings.len() > 400, "{}", strings.len());
        let valid = strings.iter().filter(|(_, s)| matches!(filename_expect(s), SampleExpect::Valid(_))).count();
        assert!(valid > 5 && valid < strings.len() / 2, "{valid} valid of {}", strings.len());
    }
}
