//! Repros: the `curl` command that resends a request, redacted. Needs no HTTP client, so the in-process fuzz harness prints findings the same way.

use crate::config::Credentials;
use crate::declare::case::{Auth, CaseRequest};
use crate::declare::request_body::Body;
use crate::run::session::Endpoint;
use std::fmt::Write;

/// Bodies up to this size are spelled out in the curl repro.
const INLINE_BODY: usize = 4096;

use crate::redact::redact;
use crate::send::excerpt::{excerpt, excerpt_of, EXCERPT};
/// The same view of a request body, however it is held.
pub fn body_excerpt(body: &Body) -> String {
    excerpt_of(&body.prefix(EXCERPT + 1), body.len())
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
    let secrets = crate::run::session::secrets_for(primary, secondary, req);
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
    fn redact_replaces_every_secret() {
        let secrets = vec![b"hunter22".to_vec(), b"O:tok".to_vec(), b"ab".to_vec()];
        assert_eq!(redact("pw=hunter22 t=O:tok ab", &secrets), "pw=<redacted> t=<redacted> ab");
    }

    #[test]
    fn printf_format_escapes_what_bash_would_interpret() {
        assert_eq!(printf_format(b"a%b\\c'\x00\xff\n"), "a%%b\\\\c\\x27\\x00\\xff\\x0a");
    }
}
