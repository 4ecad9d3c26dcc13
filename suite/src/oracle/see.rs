//! Spec §2's `see` link: an absolute https URL whose fragment names the answer's error type.

use super::answer_rules::{caused, quote};
use super::{Cause, Rule, Violation};
use crate::declare::error_type::ErrorType;
use std::cell::RefCell;

/// What parsing a `see` text as a URL says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parsed {
    NotAbsolute,
    Absolute { https: bool },
}

/// Texts a thread remembers the parse of before it starts over (a hostile target may vary them).
const CACHE_LIMIT: usize = 16;

thread_local! {
    /// Parses already made: a target answers the same few links again and again, and parsing one
    /// costs more than the rest of the error-body rule, which a fuzzer pays on every input.
    static PARSED: RefCell<Vec<(String, Parsed)>> = const { RefCell::new(Vec::new()) };
}

/// Spec §2: `see` is an absolute URL (https, a SHOULD) ending in `#` + the answer's type.
pub(super) fn check(see: &str, wire_type: Option<&str>, out: &mut Vec<Violation>) {
    let https = match parsed(see) {
        Parsed::NotAbsolute => {
            let cause = Cause::Value { what: "see is not an absolute URL", value: quote(without_fragment(see)) };
            out.push(caused(Rule::ErrorBody, format!("see {} is not an absolute URL", quote(see)), cause));
            return;
        }
        Parsed::Absolute { https } => https,
    };
    if !https {
        let cause = Cause::Value { what: "see is not https", value: quote(without_fragment(see)) };
        out.push(caused(Rule::SeeLink, format!("see {} is not an https URL", quote(see)), cause));
    }
    let Some(t) = wire_type else { return };
    let fragment = see.rsplit_once('#').map(|(_, f)| f);
    match fragment.and_then(ErrorType::from_wire) {
        Some(other) if other.as_str() != t => out.push(caused(
            Rule::SeeLink,
            format!("see {} names the documented type {other}, not the answer's {t}", quote(see)),
            Cause::Check("see names another documented type than the answer's"),
        )),
        _ if fragment != Some(t) => out.push(caused(
            Rule::SeeLink,
            format!("see {} does not end in #{t}", quote(see)),
            Cause::Value { what: "see does not end in #<type>", value: quote(without_fragment(see)) },
        )),
        _ => {}
    }
}

/// [`parse`], remembered per thread.
fn parsed(see: &str) -> Parsed {
    if let Some(known) = PARSED.with(|c| c.borrow().iter().find(|(text, _)| text == see).map(|(_, p)| *p)) {
        return known;
    }
    let result = parse(see);
    PARSED.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.push((see.to_owned(), result));
    });
    result
}

fn parse(see: &str) -> Parsed {
    // `Url::parse` repairs `https:/x` into `https://x/`; the literal `//` after the scheme rules that out.
    let parsed = url::Url::parse(see).ok().filter(|u| {
        u.host_str().is_some_and(|h| !h.is_empty()) && see.get(u.scheme().len()..).is_some_and(|r| r.starts_with("://"))
    });
    match parsed {
        None => Parsed::NotAbsolute,
        Some(u) => Parsed::Absolute { https: u.scheme() == "https" },
    }
}

/// The `see` URL up to its fragment: the part one misconfigured link shares across error types.
fn without_fragment(see: &str) -> &str {
    see.split_once('#').map_or(see, |(url, _)| url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_parse_is_the_parse() {
        let texts = [
            "https://docs.journeyapps.com/api-errors#ROUTE_ERROR",
            "http://docs.journeyapps.com/api-errors#ROUTE_ERROR",
            "https:/docs.journeyapps.com/api-errors",
            "/api-errors#ROUTE_ERROR",
            "https://",
            "",
        ];
        for _ in 0..2 {
            for text in texts {
                assert_eq!(parsed(text), parse(text), "{text}");
            }
        }
        assert_eq!(parse(texts[0]), Parsed::Absolute { https: true });
        assert_eq!(parse(texts[1]), Parsed::Absolute { https: false });
        assert_eq!(parse(texts[2]), Parsed::NotAbsolute);
        assert_eq!(parse(texts[3]), Parsed::NotAbsolute);
    }

    #[test]
    fn the_cache_starts_over_when_full() {
        for i in 0..CACHE_LIMIT * 3 {
            let text = format!("https://example.com/{i}#ROUTE_ERROR");
            assert_eq!(parsed(&text), Parsed::Absolute { https: true });
            assert!(PARSED.with(|c| c.borrow().len()) <= CACHE_LIMIT);
        }
    }
}
