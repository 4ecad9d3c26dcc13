//! Isolation on the read paths (docs/contract.md#rule-isolation): what the first account's list,
//! filtered list, `query.json`, oplog and embedding answers show of objects made in the second account. The
//! runner fetches (and pages); this decides, and says where the oplog goes on.

use super::{Cause, Checked, Reason, Rule, StepFailure, Violation};
use crate::send::client::TransportError;
use crate::send::response::Response;
use serde_json::Value;

/// The cause of every isolation leak, whichever read path showed it.
const FOREIGN_VISIBLE: &str = "the second account's objects show through the first account's credentials";

/// One object made in the second account, as it would show if it leaked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignObject {
    pub id: String,
    /// The run's marker it carries, when it has one (a leak may re-ID an object but keeps its content).
    pub marker: Option<String>,
    /// The URLs it reads back with (its attachments'): capabilities, which open its files to whoever holds
    /// them, so another account's answer must never carry one.
    pub capabilities: Vec<String>,
}

/// Every foreign object whose ID, or marker, appears in the first account's 2xx answer `body` from
/// `what` (a path). A marker the request itself carried (a filter value) may be echoed, so it is only
/// searched for when `sent` lacks it; IDs are never sent on these paths. A non-2xx answer shows no
/// object: its own verdict judges it.
pub fn absent(what: &str, status: u16, body: &[u8], foreign: &[ForeignObject], sent: &[&[u8]]) -> Vec<Violation> {
    if !(200..300).contains(&status) {
        return Vec::new();
    }
    let was_sent = |needle: &[u8]| sent.iter().any(|part| contains(part, needle));
    let mut out = Vec::new();
    for object in foreign {
        let by_id = contains(body, object.id.as_bytes());
        let marker = object.marker.as_deref().filter(|m| !was_sent(m.as_bytes()));
        let by_marker = marker.is_some_and(|m| contains(body, m.as_bytes()));
        let by_url = object.capabilities.iter().any(|u| contains(body, u.as_bytes()));
        if by_id || by_marker || by_url {
            let how = if by_id {
                "its ID"
            } else if by_marker {
                "its marker"
            } else {
                "its attachment URL, a capability"
            };
            let message = format!(
                "{what} with the first account's credentials shows the second account's object {} ({how})",
                object.id
            );
            // One cause whatever the path: the cases that saw it name the read paths.
            out.push(Violation::caused(Rule::Isolation, message, Cause::Check(FOREIGN_VISIBLE)));
        }
    }
    out
}

/// A page of the oplog that could not be read (after a first page that could): its entries are unchecked.
/// `why` names no case's own values: it is the finding's cause.
pub fn unreadable_page(what: &str, why: &str) -> Vec<Violation> {
    let message = format!("{what}: {why}; its entries cannot be checked");
    vec![Violation::caused(Rule::Isolation, message, Cause::step("oplog page", why))]
}

/// The rule's verdict on a later oplog page (`what`: its request line), or on a follow-up read searched
/// like one: its findings; a page that met a 429 after the client's `retries`, or no answer, leaves its
/// entries unchecked and proves nothing; any other refusal is a finding.
pub fn page(what: &str, answer: &Result<Response, TransportError>, foreign: &[ForeignObject], retries: u32) -> Checked {
    match answer {
        Ok(resp) if (200..300).contains(&resp.status) => absent(what, resp.status, &resp.body, foreign, &[]).into(),
        Ok(resp) if resp.status == 429 => {
            Checked { found: Vec::new(), unproven: Some(Reason::step(what, Reason::RateLimited { retries })) }
        }
        Ok(resp) => unreadable_page(what, &format!("answered {}", resp.status)).into(),
        Err(e) => Checked::failed(Rule::Isolation, "oplog page", StepFailure::lost(what, e)),
    }
}

/// Where the oplog goes on after this page: the documented `next_request_start` when `has_more` is true.
pub fn next_oplog_start(body: &[u8]) -> Option<String> {
    let page: Value = serde_json::from_slice(body).ok()?;
    if page.get("has_more") != Some(&Value::Bool(true)) {
        return None;
    }
    match page.get("next_request_start")? {
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => Some(s.clone()),
        Value::Number(n) if n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foreign() -> Vec<ForeignObject> {
        vec![ForeignObject {
            id: "7d1f0b8e-0000-4000-8000-000000000001".into(),
            marker: Some("jc run-1 iso".into()),
            capabilities: vec!["http://t/api/v4/b/attachments/9c/5e2d".into()],
        }]
    }

    #[test]
    fn a_foreign_id_or_marker_in_an_answer_is_a_violation_and_a_clean_answer_is_not() {
        let clean = br#"{"objects":[{"id":"11111111-0000-4000-8000-000000000000","name":"own"}]}"#;
        assert!(absent("GET list", 200, clean, &foreign(), &[]).is_empty());
        let by_id = br#"{"objects":[{"id":"7d1f0b8e-0000-4000-8000-000000000001","name":"x"}]}"#;
        let found = absent("GET list", 200, by_id, &foreign(), &[]);
        assert_eq!(found.len(), 1);
        assert!(found[0].rule == Rule::Isolation && found[0].message.contains("its ID"), "{found:?}");
        let by_marker =
            br#"{"entries":[{"object":{"id":"22222222-0000-4000-8000-000000000000","name":"jc run-1 iso"}}]}"#;
        assert!(absent("GET oplog", 200, by_marker, &foreign(), &[])[0].message.contains("its marker"));
    }

    #[test]
    fn another_accounts_attachment_url_is_a_leak() {
        let own =
            br#"{"id":"11111111-0000-4000-8000-000000000000","doc":{"original":"http://t/api/v4/a/attachments/1/aa"}}"#;
        assert!(absent("GET object", 200, own, &foreign(), &[]).is_empty());
        let theirs = br#"{"id":"11111111-0000-4000-8000-000000000000","doc":{"original":"http://t/api/v4/b/attachments/9c/5e2d"}}"#;
        let found = absent("GET object", 200, theirs, &foreign(), &[]);
        assert!(found.len() == 1 && found[0].message.contains("capability"), "{found:?}");
    }

    #[test]
    fn a_marker_the_request_sent_may_come_back_but_a_foreign_id_may_not() {
        let echo = br#"{"query":{"name":"jc run-1 iso"},"objects":[]}"#;
        assert!(absent("POST query.json", 200, echo, &foreign(), &[b"{\"arguments\":[\"jc run-1 iso\"]}"]).is_empty());
        let leak = br#"{"objects":[{"id":"7d1f0b8e-0000-4000-8000-000000000001","name":"jc run-1 iso"}]}"#;
        assert!(!absent("POST query.json", 200, leak, &foreign(), &[b"jc run-1 iso"]).is_empty());
        // A refusal lists nothing; its own verdict judges it.
        assert!(absent("GET list", 404, leak, &foreign(), &[]).is_empty());
    }

    #[test]
    fn the_oplog_goes_on_only_while_it_says_it_has_more() {
        assert_eq!(
            next_oplog_start(br#"{"entries":[],"has_more":true,"next_request_start":"42"}"#).as_deref(),
            Some("42")
        );
        assert_eq!(next_oplog_start(br#"{"has_more":true,"next_request_start":7}"#).as_deref(), Some("7"));
        assert_eq!(next_oplog_start(br#"{"entries":[],"has_more":false,"next_request_start":"42"}"#), None);
        assert_eq!(next_oplog_start(br#"{"has_more":true,"next_request_start":"4&x=1"}"#), None);
        assert_eq!(next_oplog_start(b"not json"), None);
        assert_eq!(unreadable_page("GET oplog", "answered 500")[0].rule, Rule::Isolation);
    }
}
