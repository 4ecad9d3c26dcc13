//! IDs: arbitrary strings and near-UUIDs in the ID segment, percent-encoded as one segment
//! ([`journey_conformance::declare::families::ids::encode_segment`]) → 404 OBJECT_NOT_FOUND (spec §1, §3).

use super::PropCase;
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::declare::expect::{Expect, Outcome};
use journey_conformance::declare::families::ids::encode_segment;
use journey_conformance::declare::spec;
use journey_conformance::ErrorType::{ObjectNotFound, RouteError};
use proptest::prelude::*;

/// Methods whose answer to an unknown or malformed ID is OBJECT_NOT_FOUND (PUT of a well-formed
/// unknown ID is the documented upsert, so it is left out).
pub const METHODS: [&str; 3] = ["GET", "PATCH", "DELETE"];

/// How an ID is made.
#[derive(Debug, Clone)]
pub enum IdInput {
    /// Any Unicode text.
    Text(String),
    /// Any bytes (invalid UTF-8 included).
    Bytes(Vec<u8>),
    /// The fixture's ID with one character replaced, inserted or removed.
    NearFixture { at: usize, edit: u8, ch: char },
    /// A well-formed lowercase UUID (almost surely unknown).
    Uuid(u128),
}

pub fn strategy() -> impl Strategy<Value = (IdInput, usize)> {
    let id = prop_oneof![
        any::<String>().prop_map(IdInput::Text),
        "[ -~]{0,40}".prop_map(IdInput::Text),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(IdInput::Bytes),
        (
            any::<usize>(),
            0u8..3,
            prop_oneof![Just('G'), Just('-'), Just('A'), Just('0'), Just(' '), Just('/'), Just('.'), any::<char>()]
        )
            .prop_map(|(at, edit, ch)| IdInput::NearFixture { at, edit, ch }),
        any::<u128>().prop_map(IdInput::Uuid),
    ];
    (id, 0..METHODS.len())
}

/// The raw ID bytes an input stands for.
pub fn raw_id(ctx: &Ctx, input: &IdInput) -> Vec<u8> {
    match input {
        IdInput::Text(s) => s.clone().into_bytes(),
        IdInput::Bytes(b) => b.clone(),
        IdInput::NearFixture { at, edit, ch } => {
            let mut chars: Vec<char> = ctx.existing_id.chars().collect();
            let i = at % chars.len().max(1);
            match edit {
                // Replacing a character by itself would give the fixture back (and make the
                // outcome depend on the random fixture ID), so a no-op replacement becomes 'G'.
                0 if chars.get(i) == Some(ch) => chars[i] = if *ch == 'G' { 'H' } else { 'G' },
                0 => chars[i] = *ch,
                1 => chars.insert(i, *ch),
                _ => {
                    chars.remove(i);
                }
            }
            chars.into_iter().collect::<String>().into_bytes()
        }
        IdInput::Uuid(n) => uuid::Uuid::from_u128(*n).hyphenated().to_string().into_bytes(),
    }
}

/// The case of one generated input.
pub fn case(ctx: &Ctx, input: &(IdInput, usize)) -> PropCase {
    let (id, m) = input;
    let raw = raw_id(ctx, id);
    // A near-miss edit may give the fixture's own ID back: only read it then, never delete it.
    let method = if raw == ctx.existing_id.as_bytes() { "GET" } else { METHODS[*m % METHODS.len()] };
    let mut request = CaseRequest::new(method, ctx.object(&encode_segment(&raw)));
    if method == "PATCH" {
        request = request.json(ctx.wrapped_body());
    }
    let (expect, spec) = if raw == ctx.existing_id.as_bytes() {
        // A near-miss edit that gave the fixture's own ID back (replacing a character by itself).
        (Expect::success(), spec::SUCCESS)
    } else if raw.is_empty() {
        // `/objects/task/.json`: the ID segment is empty, which may match no route at all.
        (
            Expect::any_of(&[Outcome::Error(ObjectNotFound), Outcome::Error(RouteError)], spec::open::PATH_TRICK),
            spec::open::PATH_TRICK,
        )
    } else {
        (Expect::error(ObjectNotFound), spec::OBJECT_NOT_FOUND)
    };
    PropCase {
        what: format!("{method} with ID {}", journey_conformance::send::excerpt::excerpt(&raw)),
        spec,
        request,
        expect,
    }
}
