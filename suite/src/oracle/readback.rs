//! Read-backs (docs/contract.md: failed-write, read-back, after-delete, isolation), judged: a failed write changed nothing, an accepted value reads back in its
//! documented form (Field Representation), a follow-up request got its documented answer, and the
//! marker search found as many objects as the write made. The runner fetches; this decides.

use super::{Cause, Checked, Rule, StepFailure, Verdict, Violation};
use crate::declare::scenario::{After, Repr};
use serde_json::Value;

/// The step a read-back's findings name in their cause.
const READ_BACK: &str = "read-back";
/// The step of a read-back after a write that must have changed nothing.
const AFTER_FAILED_WRITE: &str = "read-back after a failed write";

fn side(message: String, cause: Cause) -> Vec<Violation> {
    vec![Violation::caused(Rule::SideEffect, message, cause)]
}

/// Whether a check holds only if the case's write was applied (a value reads back, the marker is found
/// once, a follow-up sees the write): after a 429 or no answer it is not judged, while a check of what
/// holds whatever happened (nothing changed, nothing was left, nothing foreign shows) still is.
pub fn relies_on_write(after: &After) -> bool {
    match after {
        After::ReadBack { .. }
        | After::AttachmentRedirect { .. }
        | After::OneObjectMarked { .. }
        | After::Request(..)
        | After::CapabilityFetch { .. }
        | After::OplogPages(_) => true,
        After::Unchanged(_) | After::NoObjectMarked { .. } | After::NothingForeign { .. } | After::Shows(_) => false,
    }
}

/// A fresh object after a failed write: it must read back exactly as before. A read-back that met a
/// 429 or no answer proves nothing.
pub fn unchanged(id: &str, was: &Value, now: Result<Option<Value>, StepFailure>) -> Checked {
    match now {
        Ok(Some(now)) if json_eq(&now, was) => Checked::default(),
        Ok(Some(now)) => {
            let cause = Cause::step(AFTER_FAILED_WRITE, format!("changed {}", changed_keys(was, &now).join(", ")));
            side(format!("object {id} changed after a failed write: {}", diff(was, &now)), cause).into()
        }
        Ok(None) => {
            side(format!("object {id} is gone after a failed write"), Cause::step(AFTER_FAILED_WRITE, "gone")).into()
        }
        Err(failure) => Checked::failed(Rule::SideEffect, AFTER_FAILED_WRITE, failure),
    }
}

/// A field of an object read back after a write, against its documented representation.
pub fn field(object_type: &str, object: &Value, field: &str, repr: &Repr, ids: &[String]) -> Vec<Violation> {
    // The service reads an attachment back as `{field}_id` alone until the file is processed.
    let pending =
        object.get(field).is_none_or(Value::is_null) && object.get(format!("{field}_id")).is_some_and(Value::is_string);
    if *repr == Repr::Attachment && pending {
        return Vec::new();
    }
    match matches_repr(object.get(field), repr, ids) {
        Ok(()) => Vec::new(),
        Err(why) => side(
            format!("field `{field}` of {object_type} {} {why}", object.get("id").unwrap_or(&Value::Null)),
            Cause::step(READ_BACK, format!("`{field}` of {object_type} does not read back as documented")),
        ),
    }
}

/// A read-back that could not be made: the check fails on an answer it could not use, since nothing
/// shows the write was right, and proves nothing when the read-back met a 429 or no answer.
pub fn unreadable(failure: StepFailure) -> Checked {
    Checked::failed(Rule::SideEffect, READ_BACK, failure)
}

/// A follow-up request's own verdict, as side-effect findings of the case that made it. Each keeps its
/// cause, so a banner on every answer is one finding whether a case's own answer or its follow-up carried
/// it, except the outcome a follow-up missed: `then GET …` answering 200 after a DELETE is its own defect,
/// not the main answers' status pair. A SECURITY violation keeps its rule (and so its level).
pub fn follow_up(method: &str, path: &str, verdict: &Verdict) -> Vec<Violation> {
    let step = format!("then {method} {}", shape_of(path));
    verdict
        .violations()
        .iter()
        .map(|v| Violation {
            rule: if v.level() == super::Level::Security { v.rule } else { Rule::SideEffect },
            message: format!("then {method} {path}: [{}] {}", v.rule, v.message),
            cause: match v.rule {
                Rule::Expected | Rule::Recommended | Rule::ClientInput => {
                    Cause::step(step.clone(), v.cause.to_string())
                }
                _ => v.cause.clone(),
            },
        })
        .collect()
}

/// A case's own claims (its batch results, read-backs, follow-ups, capability fetches) weigh what its
/// clause weighs: under a SHOULD clause (a method override, say) an operation that did not succeed, a value
/// that does not read back or a follow-up answered otherwise is a recommendation, as the case's own outcome is.
pub fn at_grade(found: Vec<Violation>, grade: crate::declare::spec::Grade) -> Vec<Violation> {
    if grade != crate::declare::spec::Grade::Should {
        return found;
    }
    let lowered = |rule| if matches!(rule, Rule::Expected | Rule::SideEffect) { Rule::Recommended } else { rule };
    found.into_iter().map(|v| Violation { rule: lowered(v.rule), ..v }).collect()
}

/// The route shape a follow-up's path (`{prefix}/api/v4/{account}/…`) has, by its name in case IDs.
fn shape_of(path: &str) -> &'static str {
    let below = path.split_once("/api/v4/").and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]));
    below.and_then(crate::declare::routes::match_path).map_or("a path", |m| m.shape.name())
}

/// How many objects carry a write's marker, against how many the write should have left; a search that
/// met a 429 or no answer proves nothing.
pub fn marked(
    object_type: &str,
    field: &str,
    marker: &str,
    want: usize,
    found: Result<Vec<String>, StepFailure>,
) -> Checked {
    const SEARCH: &str = "marker search";
    match found {
        Ok(found) if found.len() == want => Checked::default(),
        Ok(found) => {
            let subject = match want {
                0 => "a write that failed left an object".to_string(),
                _ => format!("{} objects where the write should leave {want}", found.len()),
            };
            side(
                format!(
                    "{} {object_type} object(s) carry marker `{marker}` in `{field}`, expected {want}: {}",
                    found.len(),
                    found.join(", ")
                ),
                Cause::step(SEARCH, subject),
            )
            .into()
        }
        Err(failure) => Checked::failed(Rule::SideEffect, SEARCH, failure),
    }
}

/// The file URL of an uploaded attachment `field` of `object`, as a path on the target to fetch.
///
/// Two shapes read back: the service's (`{field}_id`, and `{field}: {state, original, fullscreen, thumbnail}`
/// with the URLs only once uploaded) and the reference's (`{state, urls: {…}}` or `{url}`). `Ok(None)`: nothing
/// to fetch, which is no failure: not uploaded yet, or a URL on another origin (a file host, or the API
/// behind a reverse proxy), which the suite does not follow off the target.
pub fn attachment_path(field: &str, object: &Value, origin: &str) -> Result<Option<String>, Vec<Violation>> {
    let value = object.get(field).filter(|v| !v.is_null());
    let Some(value) = value else {
        if object.get(format!("{field}_id")).is_some_and(Value::is_string) {
            return Ok(None);
        }
        let message = format!("uploaded `{field}` does not read back: neither `{field}` nor `{field}_id`");
        return Err(side(message, Cause::step(READ_BACK, "an uploaded attachment does not read back")));
    };
    let url = value
        .get("urls")
        .and_then(Value::as_object)
        .and_then(|u| u.values().find_map(Value::as_str))
        .or_else(|| ["original", "fullscreen", "thumbnail", "url"].iter().find_map(|k| value.get(*k)?.as_str()));
    let Some(url) = url else {
        if value.get("state").and_then(Value::as_str) == Some("uploaded") {
            let message = format!("uploaded `{field}` reads back without a URL: {value}");
            return Err(side(message, Cause::step(READ_BACK, "an uploaded attachment has no URL")));
        }
        return Ok(None);
    };
    if url.starts_with('/') {
        return Ok(Some(url.to_string()));
    }
    Ok(url.strip_prefix(origin).filter(|p| p.starts_with('/')).map(str::to_string))
}

/// Whether `seen` reads back as `repr` describes (`ids`: the fresh objects' IDs); `Err` says what differs.
fn matches_repr(seen: Option<&Value>, repr: &Repr, ids: &[String]) -> Result<(), String> {
    let show = |v: Option<&Value>| v.map_or_else(|| "absent".to_string(), Value::to_string);
    let fail = || Err(format!("reads back as {}", show(seen)));
    match repr {
        Repr::Cleared => match seen {
            None | Some(Value::Null) => Ok(()),
            _ => fail(),
        },
        Repr::Exact(want) => match seen {
            Some(v) if json_eq(v, want) => Ok(()),
            _ => Err(format!("reads back as {}, expected {want}", show(seen))),
        },
        Repr::FreshId(i) => match ids.get(*i) {
            Some(id) => matches_repr(seen, &Repr::Exact(Value::String(id.clone())), ids),
            None => Err(format!("no fresh object {i}")),
        },
        Repr::Choice(key) => match seen {
            Some(Value::Object(map))
                if map.get("key").is_some_and(|k| json_eq(k, key))
                    && map.get("display").is_some_and(Value::is_string) =>
            {
                Ok(())
            }
            _ => Err(format!("reads back as {}, expected {{\"key\":{key},\"display\":…}}", show(seen))),
        },
        Repr::ChoiceKeys(keys) => {
            let Some(Value::Array(items)) = seen else { return fail() };
            let mut got: Vec<&Value> = Vec::new();
            for item in items {
                match (item.get("key"), item.get("display")) {
                    (Some(k), Some(Value::String(_))) => got.push(k),
                    _ => return Err(format!("choice {item} lacks `key` or a string `display`")),
                }
            }
            let same = got.len() == keys.len() && keys.iter().all(|k| got.iter().any(|g| json_eq(g, k)));
            if same {
                Ok(())
            } else {
                Err(format!(
                    "reads back keys {}, expected {}",
                    Value::Array(got.into_iter().cloned().collect()),
                    Value::Array(keys.clone())
                ))
            }
        }
        Repr::Members(want) => {
            let Some(Value::Object(map)) = seen else { return fail() };
            for (k, v) in want {
                if !map.get(k).is_some_and(|m| json_eq(m, v)) {
                    return Err(format!("member `{k}` reads back as {}, expected {v}", show(map.get(k))));
                }
            }
            Ok(())
        }
        Repr::LocationFix(want) => {
            matches_repr(seen, &Repr::Members(want.clone()), ids)?;
            match seen.and_then(|v| v.get("timestamp")) {
                Some(Value::String(t)) if !t.is_empty() => Ok(()),
                other => Err(format!("the location's `timestamp` reads back as {}", show(other))),
            }
        }
        Repr::Attachment => {
            let state = seen.and_then(|v| v.get("state")).and_then(Value::as_str);
            match state {
                Some("uploaded" | "pending" | "missing" | "untrusted") => Ok(()),
                _ => Err(format!("attachment reads back as {}, without a documented `state`", show(seen))),
            }
        }
    }
}

fn as_int(n: &serde_json::Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// JSON equality with numbers compared by value.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (as_int(x), as_int(y)) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The top-level keys whose values differ (the object itself when either side is no object).
fn changed_keys<'a>(was: &'a Value, now: &'a Value) -> Vec<&'a str> {
    let (Some(a), Some(b)) = (was.as_object(), now.as_object()) else { return vec!["the object"] };
    let mut keys: Vec<&str> = a.keys().chain(b.keys()).map(String::as_str).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.retain(|k| !matches!((a.get(*k), b.get(*k)), (Some(x), Some(y)) if json_eq(x, y)));
    keys
}

/// Names the top-level keys whose values differ, with both values.
fn diff(was: &Value, now: &Value) -> String {
    let (Some(a), Some(b)) = (was.as_object(), now.as_object()) else { return format!("{was} → {now}") };
    let changed: Vec<String> = changed_keys(was, now)
        .into_iter()
        .map(|k| {
            format!(
                "`{k}` {} → {}",
                a.get(k).map_or("absent".into(), Value::to_string),
                b.get(k).map_or("absent".into(), Value::to_string)
            )
        })
        .collect();
    changed.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_should_case_read_back_weighs_should_and_a_must_case_keeps_must() {
        use crate::oracle::Level;
        let gone = || unchanged("x", &json!({"id": "x"}), Ok(None)).found;
        assert_eq!(at_grade(gone(), crate::declare::spec::Grade::Must)[0].level(), Level::Must);
        let demoted = at_grade(gone(), crate::declare::spec::Grade::Should);
        assert!(demoted.len() == 1 && demoted[0].rule == Rule::Recommended, "{demoted:?}");
        let others = vec![
            Violation::caused(Rule::Transport, "reset".into(), Cause::Check("reset")),
            Violation::caused(Rule::NoLeaks, "trace".into(), Cause::Check("trace")),
            Violation::caused(Rule::Expected, "failed".into(), Cause::Check("failed")),
        ];
        let rules: Vec<Rule> =
            at_grade(others, crate::declare::spec::Grade::Should).into_iter().map(|v| v.rule).collect();
        assert_eq!(rules, [Rule::Transport, Rule::NoLeaks, Rule::Recommended], "only the case's own claims move");
    }

    #[test]
    fn representations_accept_the_documented_form_and_reject_others() {
        assert!(matches_repr(Some(&json!(1.0)), &Repr::Exact(json!(1)), &[]).is_ok());
        assert!(matches_repr(Some(&json!("1")), &Repr::Exact(json!(1)), &[]).is_err());
        assert!(matches_repr(None, &Repr::Cleared, &[]).is_ok());
        assert!(matches_repr(Some(&Value::Null), &Repr::Cleared, &[]).is_ok());
        assert!(matches_repr(Some(&json!("x")), &Repr::Cleared, &[]).is_err());
        let choices = json!([{"key": "blue", "display": "Blue"}, {"key": "red", "display": "Red"}]);
        assert!(matches_repr(Some(&choices), &Repr::ChoiceKeys(vec![json!("red"), json!("blue")]), &[]).is_ok());
        assert!(matches_repr(Some(&choices), &Repr::ChoiceKeys(vec![json!("red")]), &[]).is_err());
        assert!(matches_repr(Some(&json!(["red", "blue"])), &Repr::ChoiceKeys(vec![json!("red"), json!("blue")]), &[])
            .is_err());
        let loc = json!({"latitude": 1.5, "longitude": 2, "altitude": null});
        let want = json!({"latitude": 1.5, "longitude": 2.0}).as_object().cloned().unwrap_or_default();
        assert!(matches_repr(Some(&loc), &Repr::Members(want.clone()), &[]).is_ok());
        assert!(matches_repr(Some(&json!({"latitude": 1.5})), &Repr::Members(want.clone()), &[]).is_err());
        let fix = Repr::LocationFix(want);
        let stamped = json!({"latitude": 1.5, "longitude": 2, "timestamp": "2024-01-01T10:00:00Z"});
        assert!(matches_repr(Some(&stamped), &fix, &[]).is_ok());
        assert!(matches_repr(Some(&loc), &fix, &[]).unwrap_err().contains("`timestamp` reads back as absent"));
        assert!(matches_repr(Some(&json!({"state": "uploaded"})), &Repr::Attachment, &[]).is_ok());
        assert!(matches_repr(Some(&json!({"state": "gone"})), &Repr::Attachment, &[]).is_err());
    }

    #[test]
    fn a_changed_or_vanished_object_is_a_side_effect_and_an_equal_one_is_not() {
        let was = json!({"id": "a", "n": 1});
        assert!(unchanged("a", &was, Ok(Some(json!({"id": "a", "n": 1.0})))).found.is_empty());
        let changed = unchanged("a", &was, Ok(Some(json!({"id": "a", "n": 2})))).found;
        assert!(changed[0].rule == Rule::SideEffect && changed[0].message.contains("`n` 1 → 2"), "{changed:?}");
        assert_eq!(
            changed[0].cause,
            Cause::step(AFTER_FAILED_WRITE, "changed n"),
            "the cause names the field, not the values"
        );
        assert!(unchanged("a", &was, Ok(None)).found[0].message.contains("is gone"));
        let refused = unchanged("a", &was, Err(StepFailure::answered("GET /x", "answered 500")));
        assert_eq!((refused.found.len(), refused.unproven), (1, None), "an answer it cannot use fails the check");
    }

    #[test]
    fn a_marker_count_other_than_the_expected_one_is_a_side_effect() {
        assert!(marked("task", "name", "m", 1, Ok(vec!["x".into()])).found.is_empty());
        assert!(!marked("task", "name", "m", 0, Ok(vec!["x".into()])).found.is_empty());
        assert!(!marked("task", "name", "m", 1, Ok(Vec::new())).found.is_empty());
        let refused = marked("task", "name", "m", 1, Err(StepFailure::answered("GET /x", "no `objects` array")));
        assert!(!refused.found.is_empty());
    }

    #[test]
    fn attachment_urls_on_the_target_are_fetched_and_others_are_not() {
        let with = |v: Value| json!({"id": "a", "doc": v});
        // The reference's shape.
        let on = with(json!({"state": "uploaded", "urls": {"original": "http://t/x/1"}}));
        assert_eq!(attachment_path("doc", &on, "http://t"), Ok(Some("/x/1".to_string())));
        // The service's shape: absolute URLs beside `state`, here on the target.
        let service = json!({"doc_id": "f1", "doc": {"state": "uploaded", "original": "http://t/a/o",
            "fullscreen": "http://t/a/f", "thumbnail": "http://t/a/t"}});
        assert_eq!(attachment_path("doc", &service, "http://t"), Ok(Some("/a/o".to_string())));
        // Off the target (a file host, or the API behind a reverse proxy): nothing to fetch, no failure.
        let off = json!({"doc_id": "f1", "doc": {"state": "uploaded", "original": "https://files.example/1"}});
        assert_eq!(attachment_path("doc", &off, "http://proxy/gw"), Ok(None));
        assert_eq!(attachment_path("doc", &with(json!({"url": "https://files.example/1"})), "http://t"), Ok(None));
        // Not uploaded yet: the service gives `{field}_id` alone, or a state without URLs.
        assert_eq!(attachment_path("doc", &json!({"doc_id": "f1"}), "http://t"), Ok(None));
        assert_eq!(attachment_path("doc", &with(json!({"state": "pending"})), "http://t"), Ok(None));
        // Uploaded without a URL, or nothing at all: the write did not read back as documented.
        let bare = with(json!({"state": "uploaded"}));
        assert_eq!(attachment_path("doc", &bare, "http://t").unwrap_err()[0].rule, Rule::SideEffect);
        assert_eq!(attachment_path("doc", &json!({"id": "a"}), "http://t").unwrap_err()[0].rule, Rule::SideEffect);
    }

    #[test]
    fn an_attachment_reads_back_in_either_shape() {
        let service = json!({"id": "a", "doc_id": "f1", "doc": {"state": "uploaded", "original": "https://f/1",
            "fullscreen": "https://f/2", "thumbnail": "https://f/3"}});
        assert!(field("task", &service, "doc", &Repr::Attachment, &[]).is_empty());
        assert!(field("task", &json!({"id": "a", "doc_id": "f1"}), "doc", &Repr::Attachment, &[]).is_empty());
        let reference = json!({"id": "a", "doc": {"state": "uploaded", "urls": {"original": "http://t/1"}}});
        assert!(field("task", &reference, "doc", &Repr::Attachment, &[]).is_empty());
        assert!(!field("task", &json!({"id": "a"}), "doc", &Repr::Attachment, &[]).is_empty());
        assert!(!field("task", &json!({"id": "a", "doc": {"state": "lost"}}), "doc", &Repr::Attachment, &[]).is_empty());
    }
}
