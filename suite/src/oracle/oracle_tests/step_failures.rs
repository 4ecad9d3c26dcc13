//! What a case reads back: a step that met a 429 or no answer proves nothing, and each distinct
//! read-back defect is its own cause.

use super::*;
use crate::declare::scenario::{After, Repr};
use crate::oracle::readback::{field, marked, relies_on_write, unchanged, unreadable};
use serde_json::json;

fn limited_read() -> StepFailure {
    StepFailure::rate_limited("GET /x", 3)
}

fn lost_read() -> StepFailure {
    StepFailure::lost("GET /x", &crate::send::client::TransportError::Timeout(std::time::Duration::from_secs(1)))
}

#[test]
fn a_read_back_or_search_that_met_a_429_or_no_answer_proves_nothing() {
    let was = json!({"id": "a"});
    for failure in [limited_read(), lost_read()] {
        let checked = unchanged("a", &was, Err(failure.clone()));
        assert!(checked.found.is_empty() && checked.unproven.is_some(), "{checked:?}");
        let checked = marked("task", "name", "m", 0, Err(failure.clone()));
        assert!(checked.found.is_empty() && checked.unproven.is_some(), "{checked:?}");
        let checked = unreadable(failure);
        assert!(checked.found.is_empty() && checked.unproven.is_some(), "{checked:?}");
    }
    let why = unchanged("a", &was, Err(limited_read())).unproven.map(|r| r.to_string()).unwrap_or_default();
    assert!(why.starts_with("GET /x: still rate limited (429) after 3 retries"), "{why}");
    assert!(matches!(
        unchanged("a", &was, Err(lost_read())).unproven.as_ref().map(Reason::root),
        Some(Reason::Transport(_))
    ));
}

#[test]
fn distinct_read_back_defects_have_distinct_causes() {
    let was = json!({"id": "a", "n": 1, "m": 1});
    let n = unchanged("a", &was, Ok(Some(json!({"id": "a", "n": 2, "m": 1})))).found;
    let m = unchanged("a", &was, Ok(Some(json!({"id": "a", "n": 1, "m": 2})))).found;
    let gone = unchanged("a", &was, Ok(None)).found;
    let left = marked("task", "name", "m", 0, Ok(vec!["x".into()])).found;
    let twice = marked("task", "name", "m", 1, Ok(vec!["x".into(), "y".into()])).found;
    let field_a = field("task", &json!({"id": "a", "a": 2}), "a", &Repr::Exact(json!(1)), &[]);
    let field_b = field("task", &json!({"id": "a", "b": 2}), "b", &Repr::Exact(json!(1)), &[]);
    let causes: Vec<&Cause> = [&n, &m, &gone, &left, &twice, &field_a, &field_b].iter().map(|v| &v[0].cause).collect();
    let distinct: std::collections::HashSet<String> = causes.iter().map(|c| c.key()).collect();
    assert_eq!(distinct.len(), causes.len(), "{causes:#?}");
    // The same defect on another object is the same cause: findings group it.
    let other = unchanged("b", &json!({"id": "b", "n": 5, "m": 1}), Ok(Some(json!({"id": "b", "n": 6, "m": 1}))));
    assert_eq!(other.found[0].cause, n[0].cause);
}

#[test]
fn only_checks_of_an_applied_write_rely_on_it() {
    let marker = || ("task".to_string(), "name".to_string(), "m".to_string());
    let (object_type, field, marker_text) = marker();
    assert!(relies_on_write(&After::OneObjectMarked { object_type, field, marker: marker_text }));
    let (object_type, field, marker) = marker();
    assert!(!relies_on_write(&After::NoObjectMarked { object_type, field, marker }));
    assert!(!relies_on_write(&After::Unchanged(0)));
    let read = After::ReadBack {
        subject: crate::declare::scenario::Subject::Fresh(0),
        field: "n".into(),
        repr: Repr::Cleared,
    };
    assert!(relies_on_write(&read));
    assert!(!relies_on_write(&After::NothingForeign { read: None, oplog: true }));
}
