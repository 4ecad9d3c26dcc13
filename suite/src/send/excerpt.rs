//! Bounded, printable, capability-free text of bytes seen: what a report, a finding or a step failure
//! shows of a body. Needs no HTTP client, so the in-process fuzz harness prints the same way.

use std::fmt::Write;

/// How much of a body a report shows.
pub const EXCERPT: usize = 300;
// A finished case keeps at least what a report shows.
const _: () = assert!(EXCERPT <= super::response_summary::KEPT_BODY_BYTES);
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

/// The same view of a body of `total` bytes of which only `head`, its start, was kept.
pub fn excerpt_of(head: &[u8], total: usize) -> String {
    let cut = &head[..head.len().min(EXCERPT)];
    let mut text: String = String::from_utf8_lossy(cut).chars().flat_map(char::escape_debug).collect();
    if total > EXCERPT {
        let _ = write!(text, "… ({total} bytes)");
    }
    text
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
    fn excerpt_is_bounded_and_printable() {
        let long = vec![b'\n'; 10_000];
        let e = excerpt(&long);
        assert!(e.len() < 1000 && !e.contains('\n'), "{e}");
    }
}
