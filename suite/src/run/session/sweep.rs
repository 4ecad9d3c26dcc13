//! Finding a run's objects again by the marker every one of them carries (`journey-conformance
//! <run-id> …` in a text field, see `Ctx::marker`): teardown's sweep for objects nobody saw created, and
//! `cleanup --run-id`, which deletes a past run's leftovers across every type of the data model.

use super::objects::base_path;
use super::teardown::{Account, Budget, Teardown};
use super::{Endpoint, Session, Step};
use serde_json::Value;

/// Most objects one search lists; a full page means there may be more, searched again after deleting.
const PAGE: usize = 1000;
/// Rounds of search-then-delete a cleanup makes at most, so a target that never empties ends.
const ROUNDS: usize = 10;

/// Whether a text value is a marker of run `run_id`: `journey-conformance <run-id>` followed by the end,
/// a space, or `-` (the soak passes' and `--confirm`'s own run IDs, `<run-id>-pass2`, `<run-id>-confirm`).
pub fn is_run_marker(value: &str, run_id: &str) -> bool {
    let Some(rest) = value.strip_prefix("journey-conformance ").and_then(|v| v.strip_prefix(run_id)) else {
        return false;
    };
    rest.is_empty() || rest.starts_with([' ', '-'])
}

/// The text fields of one type of a data model.
fn text_fields(model: &Value, object_type: &str) -> Vec<String> {
    let fields = model.pointer(&format!("/models/{object_type}/fields")).and_then(Value::as_object);
    let text = |spec: &Value| spec.get("type").and_then(Value::as_str) == Some("text");
    fields.map(|f| f.iter().filter(|(_, spec)| text(spec)).map(|(k, _)| k.clone()).collect()).unwrap_or_default()
}

impl Session {
    /// IDs of the objects of `object_type` in `endpoint`'s account whose `field` carries a marker of
    /// run `run_id`, by `query[field.contains]` (Query Objects), each re-checked here so a target that
    /// ignores the query can never make us delete an object that is not the run's.
    pub(super) async fn run_objects(
        &self,
        budget: &Budget,
        endpoint: &Endpoint,
        object_type: &str,
        field: &str,
        run_id: &str,
    ) -> Result<Vec<String>, String> {
        let marker = format!("journey-conformance {run_id}");
        self.search_marked(budget, endpoint, object_type, (&format!("{field}.contains"), &marker), field, run_id).await
    }

    /// The objects a query `key=value` lists whose `field` carries a marker of run `run_id`.
    pub(super) async fn search_marked(
        &self,
        budget: &Budget,
        endpoint: &Endpoint,
        object_type: &str,
        (key, value): (&str, &str),
        field: &str,
        run_id: &str,
    ) -> Result<Vec<String>, String> {
        let query =
            url::form_urlencoded::Serializer::new(String::new()).append_pair(&format!("query[{key}]"), value).finish();
        let path = format!("{}/objects/{object_type}.json?{query}&limit={PAGE}", base_path(endpoint));
        let resp = self.send_within(budget, endpoint, Step::Sweep, "GET", &path).await?;
        if !(200..300).contains(&resp.status) {
            return Err(format!("GET {path} answered {}", resp.status));
        }
        let list: Value = serde_json::from_slice(&resp.body).map_err(|e| format!("GET {path}: not JSON ({e})"))?;
        let objects =
            list.get("objects").and_then(Value::as_array).ok_or_else(|| format!("GET {path}: no `objects` array"))?;
        Ok(objects
            .iter()
            .filter(|o| o.get(field).and_then(Value::as_str).is_some_and(|v| is_run_marker(v, run_id)))
            .filter_map(|o| o.get("id").and_then(Value::as_str).map(str::to_string))
            .collect())
    }

    /// `cleanup --run-id`: finds the objects of run `run_id` in every type with a text field, in both
    /// accounts (when a second one is configured), and deletes them, within the teardown budget.
    pub async fn cleanup_run(&self, run_id: &str) -> Teardown {
        let budget = Budget::new(self.settings.teardown_timeout);
        let mut outcome = Teardown::default();
        let mut accounts = vec![(Account::First, &self.primary, &self.ctx.model)];
        if let (Some(second), Some(model)) = (&self.secondary, &self.second_model) {
            accounts.push((Account::Second, second, model));
        }
        for _ in 0..ROUNDS {
            let mut found: Vec<(Account, String, String)> = Vec::new();
            let mut full = false;
            outcome.problems.clear();
            for (account, endpoint, model) in &accounts {
                let types =
                    model.get("models").and_then(Value::as_object).map(|m| m.keys().cloned().collect::<Vec<_>>());
                for object_type in types.unwrap_or_default() {
                    for field in text_fields(model, &object_type) {
                        match self.run_objects(&budget, endpoint, &object_type, &field, run_id).await {
                            Ok(ids) => {
                                full |= ids.len() >= PAGE;
                                found.extend(ids.into_iter().map(|id| (*account, object_type.clone(), id)));
                            }
                            Err(e) => outcome.problems.push(e),
                        }
                    }
                }
            }
            found.sort();
            found.dedup();
            outcome.left.clear();
            self.delete_all(&budget, found, &mut outcome).await;
            if !full || !outcome.left.is_empty() {
                break;
            }
        }
        outcome.left.sort();
        if !outcome.clean() {
            outcome.cleanup = Some(self.cleanup_command_for(run_id));
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_marker_is_the_run_id_as_a_whole_word() {
        assert!(is_run_marker("journey-conformance 0123abcd4567 fixture", "0123abcd4567"));
        assert!(is_run_marker("journey-conformance 0123abcd4567", "0123abcd4567"));
        assert!(is_run_marker("journey-conformance 0123abcd4567-pass2 batch/x", "0123abcd4567"));
        assert!(!is_run_marker("journey-conformance 0123abcd45678 fixture", "0123abcd4567"), "another run's ID");
        assert!(!is_run_marker("my note: journey-conformance 0123abcd4567", "0123abcd4567"), "not a marker");
        assert!(!is_run_marker("journey-conformance 0123abcd4567", ""), "an empty run ID matches nothing else");
    }

    #[test]
    fn text_fields_are_read_from_the_model() {
        let model = serde_json::json!({"models": {"task": {"fields": {
            "name": {"type": "text"}, "n": {"type": "integer"}, "note": {"type": "text"}
        }}}});
        assert_eq!(text_fields(&model, "task"), ["name", "note"]);
        assert!(text_fields(&model, "asset").is_empty());
    }
}
