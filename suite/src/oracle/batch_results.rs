//! Batch Operations: one result of a well-formed batch. A failed operation carries an error body that must meet
//! the same rules as a response's body, so it is judged by [`judge`](super::judge) itself.

use super::{judge, Cause, Profile, RequestFacts, Rule, Violation};
use crate::declare::error_type::ErrorType;
use crate::declare::expect::Expect;
use crate::declare::scenario::OpExpect;
use crate::send::response::Response;
use http::{header, HeaderMap, HeaderValue};
use serde_json::Value;

/// Judges one operation result: `expected_error` is `None` when the operation must succeed.
///
/// An operation has no HTTP status of its own; its body is judged as if it had travelled with the
/// status of the type it names (400 when it names none), so every body rule, the leak rule and the
/// expected type apply, while status/type agreement holds by construction.
pub fn judge_operation(
    req: &RequestFacts,
    index: usize,
    expected_error: Option<&Expect>,
    result: &Value,
    profile: Profile,
) -> Vec<Violation> {
    let expected_kind = |what: String, subject: String| {
        let cause = Cause::step("batch operation", subject);
        vec![Violation::caused(Rule::Expected, format!("operation {index}: {what}"), cause)]
    };
    let success = result.get("success").and_then(Value::as_bool);
    match (expected_error, success) {
        (_, None) => {
            expected_kind(format!("result has no boolean `success`: {}", short(result)), "no boolean `success`".into())
        }
        (None, Some(true)) => Vec::new(),
        (None, Some(false)) => {
            let got = result.pointer("/error/type").and_then(Value::as_str).map_or("an error", |t| t);
            let got = super::answer_rules::quote(got);
            expected_kind(format!("expected success, got {}", short(result)), format!("expected success, got {got}"))
        }
        // An outcome set that allows success (an open reading) is met by a successful operation.
        (Some(expect), Some(true)) if expect.allows_success() => Vec::new(),
        (Some(expect), Some(true)) => expected_kind(
            format!("expected {expect}, got success: {}", short(result)),
            format!("expected {expect}, got success"),
        ),
        (Some(expect), Some(false)) => {
            let error = result.get("error").cloned().unwrap_or(Value::Null);
            let status =
                error.get("type").and_then(Value::as_str).and_then(ErrorType::from_wire).map_or(400, ErrorType::status);
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            let resp = Response { status, headers, body: error.to_string().into_bytes(), truncated: false };
            judge(req, expect, &resp, profile)
                .violations()
                .iter()
                .map(|v| Violation {
                    rule: v.rule,
                    message: format!("operation {index}: {}", v.message),
                    cause: v.cause.clone(),
                })
                .collect()
        }
    }
}

/// Batch Operations: a well-formed batch's 2xx answer echoes `stop_on_error`, has one result per operation, in
/// order, and each result is judged by [`judge_operation`]. `sent` is the batch body as sent.
pub fn judge_results(
    req: &RequestFacts,
    sent: Option<&[u8]>,
    ops: &[OpExpect],
    answer: &Response,
    profile: Profile,
) -> Vec<Violation> {
    if super::leaks::holds_secret(req, answer) {
        // The results' excerpts are redacted before they are cut (as `judge` does for an answer).
        return crate::redact::within(req.secrets, || results(req, sent, ops, answer, profile));
    }
    results(req, sent, ops, answer, profile)
}

/// [`judge_results`], with any secret of the answer in scope.
fn results(
    req: &RequestFacts,
    sent: Option<&[u8]>,
    ops: &[OpExpect],
    answer: &Response,
    profile: Profile,
) -> Vec<Violation> {
    // Each message says what is wrong without a case's own values, so it is its own cause too.
    let broken =
        |message: String| Violation::caused(Rule::Expected, message.clone(), Cause::step("batch answer", message));
    let Ok(body) = serde_json::from_slice::<Value>(&answer.body) else {
        return vec![broken("batch answer is not JSON".into())];
    };
    let mut out = Vec::new();
    let sent: Value = sent.and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
    let asked = sent.get("stop_on_error").and_then(Value::as_bool).unwrap_or(false);
    if body.get("stop_on_error").and_then(Value::as_bool) != Some(asked) {
        out.push(broken(format!("batch answer does not echo stop_on_error={asked}")));
    }
    let Some(results) = body.get("operations").and_then(Value::as_array) else {
        out.push(broken("batch answer has no `operations` array of results".into()));
        return out;
    };
    if results.len() != ops.len() {
        let message = format!("{} operations sent, {} results", ops.len(), results.len());
        out.push(Violation::caused(
            Rule::Expected,
            message,
            Cause::step("batch answer", "not one result per operation"),
        ));
    }
    for (i, (op, result)) in ops.iter().zip(results).enumerate() {
        let expected = match op {
            OpExpect::Success => None,
            OpExpect::Error(e) => Some(e),
        };
        out.extend(judge_operation(req, i, expected, result, profile));
    }
    out
}

fn short(v: &Value) -> String {
    let text = String::from_utf8_lossy(&crate::redact::scoped(v.to_string().as_bytes())).into_owned();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::expect::Outcome;
    use crate::ErrorType::{BatchAborted, InvalidValue};
    use serde_json::json;

    const FACTS: RequestFacts<'static> = RequestFacts { method: "POST", secrets: &[], sent: &[] };

    fn error(t: &str) -> Value {
        json!({"type": t, "title": "x", "detail": "y", "see": format!("https://docs.journeyapps.com/api-errors#{t}")})
    }

    #[test]
    fn a_matching_result_passes() {
        let ok = json!({"method": "post", "object": {"type": "task", "id": "x"}, "success": true});
        assert!(judge_operation(&FACTS, 0, None, &ok, Profile::Strict).is_empty());
        let failed = json!({"success": false, "error": error("INVALID_VALUE")});
        assert!(judge_operation(&FACTS, 1, Some(&Expect::error(InvalidValue)), &failed, Profile::Strict).is_empty());
    }

    #[test]
    fn a_wrong_outcome_fails_as_expected_outcome() {
        let failed = json!({"success": false, "error": error("INVALID_VALUE")});
        let v = judge_operation(&FACTS, 2, Some(&Expect::error(BatchAborted)), &failed, Profile::Strict);
        assert!(v.iter().any(|v| v.rule == Rule::Expected && v.message.starts_with("operation 2:")), "{v:?}");
        let v = judge_operation(&FACTS, 0, None, &failed, Profile::Strict);
        assert_eq!(v[0].rule, Rule::Expected);
        let ok = json!({"success": true});
        assert_eq!(
            judge_operation(&FACTS, 0, Some(&Expect::error(InvalidValue)), &ok, Profile::Strict)[0].rule,
            Rule::Expected
        );
        assert_eq!(judge_operation(&FACTS, 0, None, &json!({"ok": 1}), Profile::Strict)[0].rule, Rule::Expected);
    }

    #[test]
    fn an_open_set_with_success_takes_either_reading() {
        let open = Expect::any_of(&[Outcome::Error(InvalidValue), Outcome::Success], crate::declare::spec::open::BOM);
        assert!(judge_operation(&FACTS, 0, Some(&open), &json!({"success": true}), Profile::Strict).is_empty());
        let failed = json!({"success": false, "error": error("INVALID_VALUE")});
        assert!(judge_operation(&FACTS, 0, Some(&open), &failed, Profile::Strict).is_empty());
        let aborted = json!({"success": false, "error": error("BATCH_ABORTED")});
        assert!(!judge_operation(&FACTS, 0, Some(&open), &aborted, Profile::Strict).is_empty());
    }

    #[test]
    fn a_malformed_error_body_fails_the_body_rule() {
        let mut body = error("INVALID_VALUE");
        body.as_object_mut().map(|m| m.remove("see"));
        let failed = json!({"success": false, "error": body});
        let v = judge_operation(&FACTS, 0, Some(&Expect::error(InvalidValue)), &failed, Profile::Documented);
        assert!(v.iter().any(|v| v.rule == Rule::ErrorBody), "{v:?}");
        let failed = json!({"success": false, "error": error("NOT_DOCUMENTED")});
        let v = judge_operation(&FACTS, 0, Some(&Expect::error(InvalidValue)), &failed, Profile::Documented);
        assert!(v.iter().any(|v| v.rule == Rule::ErrorBody), "{v:?}");
        let failed = json!({"success": false});
        let v = judge_operation(&FACTS, 0, Some(&Expect::error(InvalidValue)), &failed, Profile::Documented);
        assert!(!v.is_empty());
    }
}
