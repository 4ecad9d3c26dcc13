//! Spec §6.4: nothing internal comes back in a body or a header; and no credential, in any encoding
//! (`rule-echoed-credential`, SECURITY).
//!
//! Every pattern here has to stay quiet on a conforming answer such as
//! `{"type":"OBJECT_NOT_FOUND",...,"see":"https://docs.journeyapps.com/api-errors#OBJECT_NOT_FOUND"}`,
//! so paths are matched only as whole tokens (never inside a URL) and SQL keywords only in upper case.

use super::{Cause, RequestFacts, Rule, Violation};
use crate::redact::{wire_forms, Encoding, MIN_SECRET_LEN};
use crate::send::response::Response;
use memchr::memmem;
use regex::bytes::{Regex, RegexSet};
use std::sync::LazyLock;

/// One class of leak: a name for the message and the pattern that finds it.
struct Class {
    what: &'static str,
    re: &'static LazyLock<Regex>,
}

// `(?-u)` keeps every class byte-oriented: bodies may be any bytes, and ASCII `\w` keeps the
// automata small. `(?:\n|\\n)` accepts a real newline or one escaped inside a JSON string,
// because a trace put into `detail` arrives JSON-escaped.
static STACK_TRACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u)Traceback \(most recent call last\)",
        r"|panicked at",
        r"|stack backtrace",
        r"|Exception in thread ",
        r"|goroutine \d+ \[running\]",
        r"|Stack trace:(?:\r?\n|\\r?\\n)#0 ",
        // Java/Kotlin/.NET frames: `at com.foo.Bar.baz(Bar.java:12)`, `at System.Web.X.Y()`.
        r"|(?:^|\n|\\n|\t|\\t| )at (?:com|org|java|javax|jdk|sun|kotlin|scala|io|net|System|Microsoft)\.[\w$]+(?:\.[\w$<>]+)+\(",
        // Node frames: `at Object.<anonymous> (/app/x.js:1:2)`, `at f (node:internal/...)`.
        r"|at Object\.<anonymous>",
        r"|\(node:internal/",
        r"|(?:\n|\\n)[ \t]+at [^\n]{0,200}?\.(?:js|mjs|cjs|ts|java|kt|scala):\d+",
        r"|\.rb:\d+:in [`']",
        r"|\.rs:\d+:\d+",
        r#"|\.py\\?", line \d+"#,
        r"|\.cs:line \d+",
        r"|\.php(?: on line |:)\d+",
    ))
    .expect("stack-trace pattern compiles")
});

// A path counts only when the character before it cannot belong to a URL or a longer word:
// `https://docs.journeyapps.com/app/x` is preceded by `m` and stays quiet; `"/app/src/x.js"` is not.
static FILE_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u)(?:^|[^\w./:~%\\@-])\\?/(?:home|usr|var|srv|app|opt|root|Users)\\?/[\w.@$-]",
        // Drive paths: `C:\\x\\` as JSON escapes it, or raw `C:\x\`; a single backslash before an
        // escape letter is a JSON escape (`"Field A:\n..."`), not a directory.
        r"|(?:^|[^\w])[A-Z]:(?:\\\\?(?:Windows|Users|Program Files|ProgramData|inetpub)",
        r"|\\\\[\w$. -]{1,64}\\\\|\\[^nrtbfu\x22\\/\s][\w$. -]{0,63}\\)",
        r"|node_modules",
    ))
    .expect("file-path pattern compiles")
});

// Upper-case keywords only: English text says "select an option from the list".
static SQL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u)\bSELECT\b[^;]{1,200}?\bFROM\b",
        r"|\bINSERT INTO\b",
        r"|\bDELETE FROM\b",
        r"|\bUPDATE\s+[\w`\x22.]+\s+SET\b",
        r"|(?i:syntax error at or near)",
        r"|(?i:error in your SQL syntax)",
        r"|SQLSTATE",
        r"|\bORA-\d{5}\b",
        r"|\bPG::",
        r"|ActiveRecord::",
        r"|Mysql2::",
        r"|(?i:sqlite3?(?:\b|_))",
        r"|psycopg2?\.",
        r"|duplicate key value violates unique constraint",
        r"|\brelation \\?\x22\w+\\?\x22 does not exist",
        r"|SequelizeDatabaseError",
    ))
    .expect("sql pattern compiles")
});

static BANNER_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u)Werkzeug",
        r"|Phusion Passenger",
        r"|Whitelabel Error Page",
        r"|<address>Apache",
        r"|<center>nginx",
        r"|DEBUG = True",
        r"|X-Powered-By",
    ))
    .expect("banner pattern compiles")
});

// `nginx/1.25.3`, `Apache/2.4.41 (Ubuntu)`, `Microsoft-IIS/10.0`: a product token with a version.
static VERSIONED_PRODUCT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u)[A-Za-z][\w.-]*/v?\d+(?:\.\d+)*").expect("server-version pattern compiles"));

static CLASSES: [Class; 4] = [
    Class { what: "a stack trace", re: &STACK_TRACE },
    Class { what: "a file path", re: &FILE_PATH },
    Class { what: "SQL", re: &SQL },
    Class { what: "a framework banner", re: &BANNER_BODY },
];

/// Headers whose mere presence advertises the stack behind the server.
const BANNER_HEADERS: [&str; 3] = ["x-powered-by", "x-aspnet-version", "x-aspnetmvc-version"];

/// Spec §6.4: every leak found in the body or any header value, one violation per class and place (the
/// echoed credentials apart: [`scan_secrets`]).
pub(super) fn scan(req: &RequestFacts<'_>, resp: &Response, out: &mut Vec<Violation>) {
    // A success answer is judged on what the server composed, not on the values its users stored; the
    // view is only built when a pattern matches at all (nearly never).
    let composed;
    let body: &[u8] = if (200..300).contains(&resp.status) && ANY_CLASS.is_match(&resp.body) {
        composed = super::composed::composed(&resp.body);
        &composed
    } else {
        &resp.body
    };
    scan_bytes(|| "body".to_string(), body, req.sent, out);
    // One search over all header values, each on its own line (every class treats a line start like
    // the start of text); only a hit searches them one by one, to name the header.
    let mut joined = Vec::new();
    for value in resp.headers.values() {
        joined.extend_from_slice(value.as_bytes());
        joined.push(b'\n');
    }
    let any_header = ANY_CLASS.is_match(&joined);
    for (name, value) in resp.headers.iter() {
        // Named only when something is reported: most answers leak nothing.
        let place = || format!("header {}", name.as_str());
        let header =
            || Cause::Header { name: name.as_str().to_string(), value: super::answer_rules::excerpt(value.as_bytes()) };
        if BANNER_HEADERS.contains(&name.as_str()) {
            let shown = format!("{} is present: {}", place(), super::answer_rules::excerpt(value.as_bytes()));
            out.push(leak(shown, header()));
        }
        if name == http::header::SERVER {
            if let Some(m) = VERSIONED_PRODUCT.find(value.as_bytes()) {
                let shown = format!("header server carries a version: {}", super::answer_rules::excerpt(m.as_bytes()));
                out.push(leak(shown, header()));
            }
        }
        if any_header {
            scan_bytes(place, value.as_bytes(), req.sent, out);
        }
    }
}

/// All [`CLASSES`] in one automaton: one pass says which classes match at all, so a clean answer
/// (nearly every one) costs one search per place instead of one per class.
static ANY_CLASS: LazyLock<RegexSet> =
    LazyLock::new(|| RegexSet::new(CLASSES.iter().map(|c| c.re.as_str())).expect("leak classes compile as a set"));

fn scan_bytes(place: impl Fn() -> String, bytes: &[u8], sent: &[&[u8]], out: &mut Vec<Violation>) {
    // `is_match` may stop early and skip the overlapping search, which costs several times more.
    if !ANY_CLASS.is_match(bytes) {
        return;
    }
    let matched = ANY_CLASS.matches(bytes);
    for class in CLASSES.iter().enumerate().filter(|(i, _)| matched.matched(*i)).map(|(_, c)| c) {
        // Every match is looked at, so an echo early in the body cannot hide a real leak after it.
        if let Some(m) = class.re.find_iter(bytes).find(|m| !echoed(m.as_bytes(), sent)) {
            let shown = format!("{} leaks {}: {}", place(), class.what, context(bytes, m.start(), m.end()));
            out.push(leak(shown, Cause::Leak { what: class.what, place: place() }));
        }
    }
}

/// True when `matched` is text the client itself sent, as sent or as a JSON string would escape it.
fn echoed(matched: &[u8], sent: &[&[u8]]) -> bool {
    if sent.is_empty() {
        return false;
    }
    // A pattern may take one character of context before the text (the quote around an echoed ID).
    let bare = if matched.len() > 1 { &matched[1..] } else { matched };
    let mut forms = vec![matched.to_vec(), bare.to_vec()];
    for form in [json_unescape(matched), json_unescape(bare)] {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms.iter().any(|form| sent.iter().any(|part| find(part, form).is_some()))
}

/// Undoes the simple JSON escapes (`\/`, `\\`, `\"`, `\n`, `\t`, `\r`) in a matched excerpt.
fn json_unescape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            let mapped = match bytes[i + 1] {
                b'/' => Some(b'/'),
                b'\\' => Some(b'\\'),
                b'"' => Some(b'"'),
                b'n' => Some(b'\n'),
                b't' => Some(b'\t'),
                b'r' => Some(b'\r'),
                _ => None,
            };
            if let Some(m) = mapped {
                out.push(m);
                i += 2;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// `rule-echoed-credential`: every secret the request carried, found in the body or a header in any
/// encoding a target may send it back in ([`wire_forms`]); one violation per secret and encoding.
pub(super) fn scan_secrets(req: &RequestFacts<'_>, resp: &Response, out: &mut Vec<Violation>) {
    for (i, secret) in req.secrets.iter().enumerate() {
        if secret.len() < MIN_SECRET_LEN {
            continue;
        }
        with_secret_finders(secret, |forms| {
            let mut reported: Vec<Encoding> = Vec::new();
            for (encoding, finder) in forms {
                if reported.contains(encoding) {
                    continue;
                }
                let mut places: Vec<String> = Vec::new();
                // Where, without the offset: the finding is the same wherever in the body it sits.
                let mut kinds: Vec<String> = Vec::new();
                if let Some(at) = finder.find(&resp.body) {
                    places.push(format!("body at byte {at}"));
                    kinds.push("body".into());
                }
                for (name, value) in resp.headers.iter() {
                    if finder.find(value.as_bytes()).is_some() {
                        places.push(format!("header {}", name.as_str()));
                        kinds.push(format!("header {}", name.as_str()));
                    }
                }
                if !places.is_empty() {
                    reported.push(*encoding);
                    // The secret itself stays out of the message: reports get shared.
                    let shown = format!(
                        "request secret #{} ({} bytes){} comes back in {}",
                        i + 1,
                        secret.len(),
                        encoding.label(),
                        places.join(", ")
                    );
                    let cause = Cause::Leak { what: "a request credential", place: kinds.join(", ") };
                    out.push(Violation::caused(Rule::EchoedCredential, shown, cause));
                }
            }
        });
    }
}

/// Whether the answer holds any of the request's secrets, in any form [`scan_secrets`] finds.
pub(super) fn holds_secret(req: &RequestFacts<'_>, resp: &Response) -> bool {
    let mut found = Vec::new();
    scan_secrets(req, resp, &mut found);
    !found.is_empty()
}

/// Every searched form of one secret, with its encoding.
type SecretFinders = Vec<(Encoding, memmem::Finder<'static>)>;

/// Secrets a thread remembers the finders of before it starts over (fuzz inputs bring new ones).
const SECRET_CACHE_LIMIT: usize = 64;

thread_local! {
    /// Built searchers per secret: the same account credentials come with nearly every request,
    /// and building a searcher (and the encoded forms) costs more than searching a small answer.
    static SECRET_FINDERS: std::cell::RefCell<std::collections::HashMap<Vec<u8>, std::rc::Rc<SecretFinders>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Calls `f` with the finders of `secret`'s forms, built once per thread and secret.
fn with_secret_finders(secret: &[u8], f: impl FnOnce(&SecretFinders)) {
    let cached = SECRET_FINDERS.with(|cache| cache.borrow().get(secret).cloned());
    let finders = cached.unwrap_or_else(|| {
        let forms: SecretFinders =
            wire_forms(secret).into_iter().map(|(e, form)| (e, memmem::Finder::new(&form).into_owned())).collect();
        let finders = std::rc::Rc::new(forms);
        SECRET_FINDERS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() >= SECRET_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(secret.to_vec(), finders.clone());
        });
        finders
    });
    f(&finders)
}

/// Position of `needle` in `hay` (memchr's SIMD search: this runs for every secret form against
/// every body and header, so under a fuzzer's comparison tracing a byte loop dominated the oracle).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}

/// The match with a little surrounding text, so the reader sees where it sat.
fn context(bytes: &[u8], start: usize, end: usize) -> String {
    let from = start.saturating_sub(40);
    let to = end.saturating_add(40).min(bytes.len());
    super::answer_rules::excerpt(&bytes[from..to])
}

fn leak(message: String, cause: Cause) -> Violation {
    Violation::caused(Rule::NoLeaks, message, cause)
}
