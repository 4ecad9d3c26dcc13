//! What a success answer carries beyond its status, where the case's clause says what that is: the
//! `total` a list was asked for, the related object `embed[]` named, the order a sort asked for, the object
//! a search or filter asked for (and not one it excludes), the XML a `.xml` suffix asked for. A 2xx that lacks it is not the case's outcome, so a broken claim weighs what
//! the case's own clause weighs; a claim about objects the page does not list is not judged. A page whose
//! matches the suite knows exactly is judged whole by `list_window.rs`.

use super::{Cause, Rule, Violation};
use crate::declare::scenario::Shows;
use crate::declare::spec::Grade;
use serde_json::Value;

/// The claims' findings in a main answer; nothing unless it is a 2xx (its verdict reports anything else).
pub fn judge(claims: &[&Shows], status: u16, body: &[u8], ids: &[String], grade: Grade) -> Vec<Violation> {
    if claims.is_empty() || !(200..300).contains(&status) {
        return Vec::new();
    }
    let broken = |what: &'static str, message: String| Violation {
        rule: Rule::outcome(grade),
        message,
        cause: Cause::Check(what),
    };
    // An answer that is no JSON has no `total` and lists nothing, so those claims fail on it; the others
    // are about objects it would list, and so are not judged.
    let needs_json = claims.iter().any(|c| !matches!(c, Shows::Xml));
    let doc = needs_json.then(|| serde_json::from_slice::<Value>(body).ok()).flatten().unwrap_or(Value::Null);
    let mut out = Vec::new();
    for claim in claims {
        let page = match claim {
            Shows::Window(window) => super::list_window::judge(window, &doc, ids),
            Shows::AtMost(limit) => super::list_window::at_most(&doc, *limit),
            _ => Vec::new(),
        };
        out.extend(page.into_iter().map(|(what, m)| broken(what, m)));
        let found = match claim {
            Shows::Window(_) | Shows::AtMost(_) => None,
            Shows::Xml => xml(body).err().map(|m| broken(NO_XML, m)),
            Shows::Total => total(&doc).err().map(|(what, m)| broken(what, m)),
            Shows::Embeds { subject, relation, related } => ids
                .get(*subject)
                .zip(ids.get(*related))
                .and_then(|(s, r)| embeds(&doc, s, relation, r).err())
                .map(|(what, m)| broken(what, m)),
            Shows::Lists(i) => ids.get(*i).filter(|id| position(&doc, id).is_none()).map(|id| {
                broken(
                    NOT_LISTED,
                    format!("object {id}, which the request asks for, is not among the answer's objects"),
                )
            }),
            Shows::Omits(i) => ids
                .get(*i)
                .filter(|id| position(&doc, id).is_some())
                .map(|id| broken(LISTED, format!("object {id}, which the request's filter does not match, is listed"))),
            Shows::Before { first, then } => ids
                .get(*first)
                .zip(ids.get(*then))
                .and_then(|(f, t)| before(&doc, f, t).err())
                .map(|m| broken(UNSORTED, m)),
        };
        out.extend(found);
    }
    out
}

const NO_XML: &str = "`.xml` answered without an XML document";
const NO_TOTAL: &str = "list answer without `total` where the docs list it";
const BAD_TOTAL: &str = "`total` is not a whole number of at least `count`";
const NOT_EMBEDDED: &str = "`embed[]` relation missing from the listed object";
const WRONG_EMBEDDED: &str = "`embed[]` relation is not the related object";
const UNSORTED: &str = "list not in the order its sort asked for";
const NOT_LISTED: &str = "the object searched for is not listed";
const LISTED: &str = "an object the filter does not match is listed";

/// A `.xml` answer is an XML document: after any byte-order mark and white space, it opens with `<`.
fn xml(body: &[u8]) -> Result<(), String> {
    let text = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Ok(()),
        _ => Err(format!(
            "a `.xml` request answered with no XML document: {}",
            crate::send::excerpt::excerpt(&crate::redact::scoped(body))
        )),
    }
}

/// `total` counts every match, so it is a whole number no smaller than the page's `count`.
fn total(list: &Value) -> Result<(), (&'static str, String)> {
    let count = list.get("count").and_then(Value::as_u64).unwrap_or(0);
    match list.get("total") {
        None => Err((
            NO_TOTAL,
            "the list answer has no `total` (Retrieve All Objects lists it in the pagination data)".into(),
        )),
        Some(t) if t.as_u64().is_some_and(|t| t >= count) => Ok(()),
        Some(t) => Err((BAD_TOTAL, format!("`total` is {t}, not a whole number of at least `count` ({count})"))),
    }
}

/// The listed objects, in order.
fn objects(list: &Value) -> &[Value] {
    list.get("objects").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn position(list: &Value, id: &str) -> Option<usize> {
    objects(list).iter().position(|o| o.get("id").and_then(Value::as_str) == Some(id))
}

/// The object `subject`, when listed, carries `relation` as the related object, or null if that is gone.
fn embeds(list: &Value, subject: &str, relation: &str, related: &str) -> Result<(), (&'static str, String)> {
    let Some(object) = position(list, subject).map(|i| &objects(list)[i]) else { return Ok(()) };
    match object.get(relation) {
        None => Err((NOT_EMBEDDED, format!("object {subject} is listed without its embedded `{relation}`"))),
        Some(Value::Null) => Ok(()),
        Some(embedded) if embedded.get("id").and_then(Value::as_str) == Some(related) => Ok(()),
        Some(embedded) => Err((
            WRONG_EMBEDDED,
            format!(
                "object {subject}'s embedded `{relation}` is {}, not object {related}",
                crate::send::response_summary::cut(
                    String::from_utf8_lossy(&crate::redact::scoped(embedded.to_string().as_bytes())).into_owned(),
                    120
                )
            ),
        )),
    }
}

/// `first` is listed before `then`, when both are listed.
fn before(list: &Value, first: &str, then: &str) -> Result<(), String> {
    match (position(list, first), position(list, then)) {
        (Some(a), Some(b)) if a > b => Err(format!(
            "object {first} is listed after {then} (places {} and {}): the sort was not applied",
            a + 1,
            b + 1
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::Level;
    use serde_json::json;

    fn ids() -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    fn run(claim: Shows, status: u16, body: &Value, grade: Grade) -> Vec<Violation> {
        judge(&[&claim], status, body.to_string().as_bytes(), &ids(), grade)
    }

    #[test]
    fn total_must_be_present_whole_and_at_least_the_count() {
        let ok = json!({"objects": [{}], "count": 1, "more": true, "total": 7});
        assert!(run(Shows::Total, 200, &ok, Grade::Must).is_empty());
        let missing = run(Shows::Total, 200, &json!({"objects": [], "count": 0, "more": false}), Grade::Must);
        assert!(missing.len() == 1 && missing[0].rule == Rule::Expected, "{missing:?}");
        assert_eq!(missing[0].cause, Cause::Check(NO_TOTAL));
        for bad in [json!("7"), json!(-1), json!(0.5), json!(0)] {
            let found = run(Shows::Total, 200, &json!({"count": 1, "total": bad}), Grade::Must);
            assert_eq!(found.len(), 1, "total {bad} passed");
        }
    }

    #[test]
    fn an_embed_must_carry_the_related_object_or_null_when_it_is_gone() {
        let claim = || Shows::Embeds { subject: 0, relation: "category".into(), related: 1 };
        let page = |c: Value| json!({"objects": [{"id": "x"}, {"id": "a", "category_id": "b", "category": c}]});
        assert!(run(claim(), 200, &page(json!({"id": "b", "type": "category"})), Grade::Should).is_empty());
        assert!(run(claim(), 200, &page(Value::Null), Grade::Should).is_empty());
        let other = run(claim(), 200, &page(json!({"id": "z"})), Grade::Should);
        assert!(other.len() == 1 && other[0].rule.level() == Level::Should, "{other:?}");
        let absent = json!({"objects": [{"id": "a", "category_id": "b"}]});
        assert_eq!(run(claim(), 200, &absent, Grade::Should)[0].cause, Cause::Check(NOT_EMBEDDED));
        // Not listed: nothing to judge.
        assert!(run(claim(), 200, &json!({"objects": [{"id": "x"}]}), Grade::Should).is_empty());
    }

    #[test]
    fn a_sort_must_list_the_first_object_first_when_both_are_listed() {
        let claim = || Shows::Before { first: 1, then: 0 };
        assert!(run(claim(), 200, &json!({"objects": [{"id": "b"}, {"id": "x"}, {"id": "a"}]}), Grade::Must).is_empty());
        let wrong = run(claim(), 200, &json!({"objects": [{"id": "a"}, {"id": "b"}]}), Grade::Must);
        assert!(wrong.len() == 1 && wrong[0].message.contains("places 2 and 1"), "{wrong:?}");
        assert!(run(claim(), 200, &json!({"objects": [{"id": "a"}]}), Grade::Must).is_empty());
    }

    #[test]
    fn a_search_must_list_the_object_it_asks_for() {
        assert!(run(Shows::Lists(1), 200, &json!({"objects": [{"id": "b"}], "count": 1}), Grade::Must).is_empty());
        let missing = run(Shows::Lists(1), 200, &json!({"objects": [{"id": "a"}], "count": 1}), Grade::Must);
        assert!(missing.len() == 1 && missing[0].cause == Cause::Check(NOT_LISTED), "{missing:?}");
        assert_eq!(run(Shows::Lists(0), 200, &json!({"no": "objects"}), Grade::Must).len(), 1);
    }

    #[test]
    fn a_filter_must_not_list_an_object_it_does_not_match() {
        assert!(run(Shows::Omits(0), 200, &json!({"objects": [{"id": "b"}], "count": 1}), Grade::Must).is_empty());
        let listed = run(Shows::Omits(0), 200, &json!({"objects": [{"id": "a"}], "count": 1}), Grade::Must);
        assert!(listed.len() == 1 && listed[0].cause == Cause::Check(LISTED), "{listed:?}");
    }

    #[test]
    fn an_xml_answer_must_be_an_xml_document() {
        let judge_xml = |body: &[u8]| judge(&[&Shows::Xml], 200, body, &[], Grade::Must);
        assert!(judge_xml(br#"<?xml version="1.0"?><objects/>"#).is_empty());
        assert!(judge_xml(b"\xef\xbb\xbf\n  <datamodel/>").is_empty());
        let json = judge_xml(br#"{"objects": []}"#);
        assert!(json.len() == 1 && json[0].cause == Cause::Check(NO_XML), "{json:?}");
        assert_eq!(judge_xml(b"").len(), 1);
    }

    #[test]
    fn an_answer_that_is_no_json_has_no_total_and_lists_nothing() {
        let judge_text = |claim: Shows| judge(&[&claim], 200, b"<html>ok</html>", &ids(), Grade::Must);
        assert_eq!(judge_text(Shows::Total)[0].cause, Cause::Check(NO_TOTAL));
        assert_eq!(judge_text(Shows::Lists(0))[0].cause, Cause::Check(NOT_LISTED));
        assert!(judge_text(Shows::Omits(0)).is_empty());
        assert!(judge_text(Shows::Before { first: 1, then: 0 }).is_empty());
    }

    #[test]
    fn a_window_claim_weighs_what_the_case_clause_weighs() {
        use crate::declare::scenario::Window;
        let claim = || Shows::Window(Window { matches: vec![1, 0], ordered: true, skip: 0, limit: None });
        let sorted = json!({"objects": [{"id": "b"}, {"id": "a"}], "count": 2, "more": false});
        assert!(run(claim(), 200, &sorted, Grade::Must).is_empty());
        let reversed = run(claim(), 200, &json!({"objects": [{"id": "a"}, {"id": "b"}], "count": 2}), Grade::Should);
        assert!(reversed.len() == 1 && reversed[0].rule == Rule::Recommended, "{reversed:?}");
        let over = run(Shows::AtMost(1), 200, &sorted, Grade::Must);
        assert!(over.len() == 1 && over[0].rule == Rule::Expected, "{over:?}");
        assert!(run(claim(), 404, &json!({"type": "ROUTE_ERROR"}), Grade::Must).is_empty());
    }

    #[test]
    fn claims_are_judged_only_on_a_success() {
        let missing = json!({"type": "ROUTE_ERROR"});
        assert!(run(Shows::Total, 404, &missing, Grade::Must).is_empty());
        assert!(judge(&[&Shows::Xml], 404, b"{}", &[], Grade::Must).is_empty());
    }

    #[test]
    fn with_a_secret_in_scope_a_quoted_answer_is_redacted_before_it_is_cut() {
        let password = "pw\"Zq8vK3tWm9";
        let body = format!("{{\"note\":\"{}{password}\"}}", "x".repeat(280));
        let secret = [password.as_bytes()];
        let found = crate::redact::within(&secret, || judge(&[&Shows::Xml], 200, body.as_bytes(), &[], Grade::Must));
        assert!(found.len() == 1 && !found[0].message.contains("Zq8"), "{found:?}");
        let plain = judge(&[&Shows::Xml], 200, body.as_bytes(), &[], Grade::Must);
        assert!(plain[0].message.contains("pw"), "outside a scope the quote is the answer's own: {plain:?}");
    }
}
