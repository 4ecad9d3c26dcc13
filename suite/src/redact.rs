//! Redaction by construction: the one place that knows every form a secret can take, used by every
//! output the suite writes (failure text, findings, reports, repros, summaries of answers) and by the
//! oracle's echoed-credential rule, which searches answers for the same forms.
//!
//! A target can send a secret back as sent, JSON-escaped, URL-encoded or base64-encoded (the password
//! inside `user:password`, at any alignment); the suite's own escapers (JSON and excerpt quoting, Rust's
//! debug escaping, shell quoting) may then have written any of those once or twice more before a text
//! reaches [`redact`]. Where the suite holds the raw bytes it redacts them before escaping or cutting
//! them ([`redact_bytes`], [`within`]), so a secret is never cut in half at an excerpt's edge.

use base64::Engine;
use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
use regex::bytes::Regex;
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Secrets shorter than this would match ordinary text by chance, so they are neither searched for nor
/// redacted.
pub const MIN_SECRET_LEN: usize = 4;

/// A base64 run shorter than this (the part of an encoding that depends on the secret alone) is too
/// likely in ordinary text to mean the secret.
const MIN_BASE64_FORM: usize = 6;

/// RFC 3986's unreserved characters stay as they are; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How a target may send a secret back, named for the echoed-credential rule's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    AsSent,
    JsonEscaped,
    UrlEncoded,
    Base64,
}

impl Encoding {
    /// The words a message uses after "secret #n" (empty for the secret as sent).
    pub fn label(self) -> &'static str {
        match self {
            Encoding::AsSent => "",
            Encoding::JsonEscaped => " (JSON-escaped)",
            Encoding::UrlEncoded => " (URL-encoded)",
            Encoding::Base64 => " (base64)",
        }
    }
}

/// Every form in which a target may send `secret` back, each at least [`MIN_SECRET_LEN`] bytes and
/// given once (for most secrets the JSON and URL forms are the secret itself).
pub fn wire_forms(secret: &[u8]) -> Vec<(Encoding, Vec<u8>)> {
    let mut out: Vec<(Encoding, Vec<u8>)> = Vec::new();
    let mut add = |encoding: Encoding, form: Vec<u8>| {
        if form.len() >= MIN_SECRET_LEN && !out.iter().any(|(_, f)| *f == form) {
            out.push((encoding, form));
        }
    };
    add(Encoding::AsSent, secret.to_vec());
    if let Ok(text) = std::str::from_utf8(secret) {
        let json = json_escape(text);
        add(Encoding::JsonEscaped, json.replace('/', "\\/").into_bytes());
        add(Encoding::JsonEscaped, ascii_json(&json).into_bytes());
        add(Encoding::JsonEscaped, json.into_bytes());
    }
    for set in [NON_ALPHANUMERIC, COMPONENT] {
        let upper = percent_encode(secret, set).to_string();
        add(Encoding::UrlEncoded, lowercase_escapes(&upper).into_bytes());
        add(Encoding::UrlEncoded, upper.into_bytes());
    }
    let form: String = url::form_urlencoded::byte_serialize(secret).collect();
    add(Encoding::UrlEncoded, form.into_bytes());
    for engine in [base64::engine::general_purpose::STANDARD, base64::engine::general_purpose::URL_SAFE] {
        add(Encoding::Base64, engine.encode(secret).into_bytes());
        for core in base64_cores(secret, &engine) {
            add(Encoding::Base64, core);
        }
    }
    out
}

/// The base64 text that encodes `secret` wherever it sits in a longer encoded run (the password inside
/// an echoed `base64(user:password)`): one form per byte alignment, keeping only the characters that
/// depend on the secret's bytes alone.
fn base64_cores(secret: &[u8], engine: &base64::engine::GeneralPurpose) -> Vec<Vec<u8>> {
    let mut forms = Vec::with_capacity(3);
    for (lead, skip_chars) in [(0usize, 0usize), (1, 2), (2, 3)] {
        let mut buf = vec![0u8; lead];
        buf.extend_from_slice(secret);
        let encoded = engine.encode(&buf);
        // A trailing character that also holds bits of whatever follows is left off.
        let whole_chars = buf.len() * 8 / 6;
        if whole_chars >= skip_chars + MIN_BASE64_FORM {
            forms.push(encoded.as_bytes()[skip_chars..whole_chars].to_vec());
        }
    }
    forms
}

/// `text` as the inside of a JSON string.
fn json_escape(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default().to_string()
}

/// A JSON-escaped text with every non-ASCII character as `\uXXXX` (as some encoders write it).
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Percent-escapes written with lowercase hex digits (`%2f`), as some encoders do.
fn lowercase_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            hex_left = if c == '%' { 2 } else { 0 };
            out.push(c);
        }
    }
    out
}

/// The suite's own escapers, as they may have written a secret before a text reaches [`redact`].
const PRINTERS: [fn(&str) -> String; 5] = [
    |s| s.to_string(),
    json_escape,
    |s| s.chars().flat_map(char::escape_debug).collect(),
    |s| {
        // The oracle's excerpts: quotes and backslashes escaped, control characters as Rust escapes them.
        s.chars()
            .flat_map(|c| match c {
                '"' | '\\' => vec!['\\', c],
                c if c.is_control() => c.escape_default().collect(),
                c => vec![c],
            })
            .collect()
    },
    |s| s.replace('\'', r"'\''"),
];

/// Every form of `secret` a text the suite wrote may hold: each wire form, printed once or twice.
fn printed_forms(secret: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for (_, wire) in wire_forms(secret) {
        let text = String::from_utf8_lossy(&wire).into_owned();
        for first in PRINTERS {
            let once = first(&text);
            for second in PRINTERS {
                let form = second(&once).into_bytes();
                if !out.contains(&form) {
                    out.push(form);
                }
            }
        }
        if !out.contains(&wire) {
            out.push(wire);
        }
    }
    out
}

/// The secrets worth redacting, with the credential inside each `Authorization` value
/// (`Basic <base64>`, `Bearer <token>`) as a secret of its own.
fn expanded(secrets: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for secret in secrets.iter().filter(|s| s.len() >= MIN_SECRET_LEN) {
        out.push(secret.to_vec());
        let part = secret.iter().position(|b| *b == b' ').map(|i| secret[i + 1..].trim_ascii());
        if let Some(part) = part.filter(|p| p.len() >= 8) {
            out.push(part.to_vec());
        }
    }
    out
}

/// `bytes` as a byte-exact pattern (any byte, valid UTF-8 or not).
fn literal(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// One built searcher for a set of secrets: every printed form, longest first.
struct Redactor {
    pattern: Option<Regex>,
}

impl Redactor {
    fn new(secrets: Vec<Vec<u8>>) -> Redactor {
        let mut forms: Vec<Vec<u8>> = expanded(&secrets.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .iter()
            .flat_map(|s| printed_forms(s))
            .collect();
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        let alternatives: Vec<String> = forms.iter().filter(|f| !f.is_empty()).map(|f| literal(f)).collect();
        let pattern =
            (!alternatives.is_empty()).then(|| Regex::new(&format!("(?-u:{})", alternatives.join("|"))).ok()).flatten();
        Redactor { pattern }
    }

    fn apply<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        match &self.pattern {
            Some(re) => re.replace_all(bytes, REDACTED.as_bytes()),
            None => Cow::Borrowed(bytes),
        }
    }
}

/// Secret sets a thread keeps the redactors of before it starts over (near-miss cases bring new ones).
const CACHE_LIMIT: usize = 64;

thread_local! {
    /// The redactors built on this thread, by secret set: a run redacts with the same few sets again and again.
    static BUILT: RefCell<std::collections::HashMap<Vec<Vec<u8>>, Rc<Redactor>>> = RefCell::new(Default::default());
    /// The secrets of the answer the oracle is judging, while its messages are written ([`within`]).
    static SCOPE: RefCell<Option<Rc<Redactor>>> = const { RefCell::new(None) };
}

fn redactor(secrets: &[&[u8]]) -> Rc<Redactor> {
    let key: Vec<Vec<u8>> = secrets.iter().map(|s| s.to_vec()).collect();
    if let Some(cached) = BUILT.with(|b| b.borrow().get(&key).cloned()) {
        return cached;
    }
    let built = Rc::new(Redactor::new(key.clone()));
    BUILT.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() >= CACHE_LIMIT {
            b.clear();
        }
        b.insert(key, Rc::clone(&built));
    });
    built
}

/// `bytes` with every form of every secret replaced by [`REDACTED`]: for raw bytes, before the suite
/// escapes or cuts them.
pub fn redact_bytes<'a>(bytes: &'a [u8], secrets: &[&[u8]]) -> Cow<'a, [u8]> {
    if secrets.iter().all(|s| s.len() < MIN_SECRET_LEN) {
        return Cow::Borrowed(bytes);
    }
    match redactor(secrets).apply(bytes) {
        Cow::Borrowed(_) => Cow::Borrowed(bytes),
        Cow::Owned(owned) => Cow::Owned(owned),
    }
}

/// `text` with every form of every secret replaced by [`REDACTED`]: the one redaction every output of
/// the suite goes through.
pub fn redact(text: &str, secrets: &[Vec<u8>]) -> String {
    let refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
    String::from_utf8_lossy(&redact_bytes(text.as_bytes(), &refs)).into_owned()
}

/// Runs `f` with `secrets` in scope for [`scoped`]: the oracle judges an answer that holds a secret this
/// way, so every excerpt its messages quote is redacted before it is escaped and cut.
pub fn within<T>(secrets: &[&[u8]], f: impl FnOnce() -> T) -> T {
    let built = redactor(secrets);
    let previous = SCOPE.with(|s| s.borrow_mut().replace(built));
    let out = f();
    SCOPE.with(|s| *s.borrow_mut() = previous);
    out
}

/// `bytes` redacted with the secrets [`within`] put in scope (as they are, outside any scope).
pub fn scoped(bytes: &[u8]) -> Cow<'_, [u8]> {
    let scope = SCOPE.with(|s| s.borrow().clone());
    match scope {
        Some(redactor) => match redactor.apply(bytes) {
            Cow::Borrowed(_) => Cow::Borrowed(bytes),
            Cow::Owned(owned) => Cow::Owned(owned),
        },
        None => Cow::Borrowed(bytes),
    }
}

#[cfg(test)]
mod redact_tests;
