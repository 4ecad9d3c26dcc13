//! Repros and excerpts: the `curl` command that resends a request, and bounded, secret-free text of
//! what was seen. Needs no HTTP client, so the in-process fuzz harness prints findings the same way.

use crate::body::Body;
use crate::case::{Auth, CaseRequest};
use crate::config::Credentials;
use crate::session::Endpoint;
use std::fmt::Write;

/// How much of a body a report shows.
const EXCERPT: usize = 300;
// A finished case keeps at least what a report shows.
const _: () = assert!(EXCERPT <= crate::summary::KEPT_BODY_BYTES);
/// Bodies up to this size are spelled out in the curl repro.
const INLINE_BODY: usize = 4096;

pub use crate::redact::redact;

/// `text` with every long token inside an `http(s)://` URL (32 or more letters and digits in a row: a
/// capability such as an attachment URL's, or a signature) replaced by `<capability>`; IDs with hyphens,
/// short segments and everything outside URLs stay.
pub fn without_capabilities(text: &str) -> String {
    const LONG: usize = 32;
    let ends_url = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\' | '<' | '>' | ',' | '}' | ']');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        out.push_str(&rest[..at]);
        let url_len = rest[at..].find(ends_url).unwrap_or(rest.len() - at);
        let url = &rest[at..at + url_len];
        let mut run = String::new();
        // A NUL after the URL (which never holds one) flushes its last run.
        for c in url.chars().chain(std::iter::once('\0')) {
            if c.is_ascii_alphanumeric() {
                run.push(c);
                continue;
            }
            out.push_str(if run.len() >= LONG { "<capability>" } else { &run });
            run.clear();
            if c != '\0' {
                out.push(c);
            }
        }
        rest = &rest[at + url_len..];
    }
    out.push_str(rest);
    out
}

/// A short, printable view of some bytes.
pub fn excerpt(bytes: &[u8]) -> String {
    excerpt_of(bytes, bytes.len())
}

/// The same view of a request body, however it is held.
pub fn body_excerpt(body: &Body) -> String {
    excerpt_of(&body.prefix(EXCERPT + 1), body.len())
}

/// The same view of a body of `total` bytes of which only `head`, its start, was kept.
pub fn excerpt_of(head: &[u8], total: usize) -> String {
    let cut = &head[..head.len().min(EXCERPT)];
    let mut text: String = String::from_utf8_lossy(cut).chars().flat_map(char::escape_debug).collect();
    if total > EXCERPT {
        let _ = write!(text, "… ({total} bytes)");
    }
    text
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A body as a bash `printf` format that reproduces its exact bytes.
fn printf_format(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'%' => out.push_str("%%"),
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\x27"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out
}

fn credential_flags(credentials: &Credentials, suffix: &str) -> String {
    match credentials {
        Credentials::Basic { .. } => format!("-u \"$JOURNEY_API_USER{suffix}:$JOURNEY_API_PASSWORD{suffix}\""),
        Credentials::Bearer { .. } => format!("-H \"Authorization: Bearer $JOURNEY_API_TOKEN{suffix}\""),
    }
}

/// A bash command that sends `req` to these accounts (property tests, fuzz findings), redacted the same way:
/// every value is redacted as raw bytes before it is quoted for the shell, and the command once more.
pub fn curl_request(primary: &Endpoint, secondary: Option<&Endpoint>, req: &CaseRequest) -> String {
    let secrets = crate::session::secrets_for(primary, secondary, req);
    let secret_refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
    let clean = |bytes: &[u8]| crate::redact::redact_bytes(bytes, &secret_refs).into_owned();
    let mut parts = vec!["curl -sS -i -g --path-as-is".to_string()];
    match req.method.as_str() {
        "GET" => {}
        "HEAD" => parts.push("-I".into()),
        m => parts.push(format!("-X {}", shell_quote(m))),
    }
    let raw_headers = |values: &[Vec<u8>]| -> Vec<String> {
        values
            .iter()
            .map(|v| format!("-H {}", shell_quote(&format!("Authorization: {}", String::from_utf8_lossy(&clean(v))))))
            .collect()
    };
    match &req.auth {
        Auth::Primary => parts.push(credential_flags(&primary.credentials, "")),
        Auth::Secondary => {
            if let Some(second) = secondary {
                parts.push(credential_flags(&second.credentials, "_2"));
            }
        }
        Auth::None => {}
        Auth::Raw(values) => parts.extend(raw_headers(values)),
        Auth::NearMiss(v) => parts.push(v.curl_flags()),
        Auth::PrimaryToken => parts.push("-H \"Authorization: Token $JOURNEY_API_TOKEN\"".into()),
        Auth::PrimaryPlus(values) => {
            parts.push(credential_flags(&primary.credentials, ""));
            parts.extend(raw_headers(values));
        }
    }
    let mut has_content_type = false;
    for (name, value) in &req.headers {
        has_content_type |= name.eq_ignore_ascii_case("content-type");
        parts.push(format!("-H {}", shell_quote(&format!("{name}: {}", String::from_utf8_lossy(&clean(value))))));
    }
    if let Some(body) = &req.body {
        if !has_content_type {
            // curl would otherwise add a form Content-Type the case did not send.
            parts.push("-H 'Content-Type:'".into());
        }
        if body.len() > INLINE_BODY {
            parts.push(format!(
                "--data-binary @body.bin  # body of {} bytes not shown; starts: {}",
                body.len(),
                excerpt(&clean(&body.prefix(64)))
            ));
        } else {
            let body = clean(&body.prefix(INLINE_BODY));
            if std::str::from_utf8(&body).is_ok_and(|t| t.chars().all(|c| !c.is_control())) {
                parts.push(format!("--data-binary {}", shell_quote(&String::from_utf8_lossy(&body))));
            } else {
                parts.push(format!("--data-binary @<(printf '{}')", printf_format(&body)));
            }
        }
    }
    let url_position = parts.len().min(2);
    let path = String::from_utf8_lossy(&clean(req.path.as_bytes())).into_owned();
    parts.insert(url_position, shell_quote(&format!("{}{path}", primary.origin)));
    redact(&parts.join(" "), &secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_tokens_in_urls_are_left_out() {
        let token = "0123456789abcdef0123456789abcdef";
        let body = format!(
            r#"{{"original":"http://h:1/api/v4/5f0c0ffee0000000000000a1/attachments/9cf8f6dd-302d-41b6-b750-90d9284459c1/{token}","see":"https://docs.journeyapps.com/api-errors#X","note":"{token}"}}"#
        );
        let clean = without_capabilities(&body);
        assert!(!clean.contains(&format!("/{token}")), "{clean}");
        assert!(clean.contains("attachments/9cf8f6dd-302d-41b6-b750-90d9284459c1/<capability>\""), "{clean}");
        assert!(clean.contains("5f0c0ffee0000000000000a1") && clean.contains("api-errors#X"), "{clean}");
        assert!(clean.contains(&format!("\"note\":\"{token}\"")), "text outside URLs stays: {clean}");
        assert_eq!(without_capabilities("no url here"), "no url here");
        assert_eq!(without_capabilities("see http://x/a b"), "see http://x/a b");
    }

    #[test]
    fn redact_replaces_every_secret() {
        let secrets = vec![b"hunter22".to_vec(), b"O:tok".to_vec(), b"ab".to_vec()];
        assert_eq!(redact("pw=hunter22 t=O:tok ab", &secrets), "pw=<redacted> t=<redacted> ab");
    }

    #[test]
    fn printf_format_escapes_what_bash_would_interpret() {
        assert_eq!(printf_format(b"a%b\\c'\x00\xff\n"), "a%%b\\\\c\\x27\\x00\\xff\\x0a");
    }

    #[test]
    fn excerpt_is_bounded_and_printable() {
        let long = vec![b'\n'; 10_000];
        let e = excerpt(&long);
        assert!(e.len() < 1000 && !e.contains('\n'), "{e}");
    }
}
