//! The objects a run creates in the first account (and, for isolation cases, in the second): fresh
//! objects for cases, reading them back, finding them again by marker, and deleting every one at teardown.

use super::{Session, Step};
use crate::oracle::StepFailure;
use crate::send::response::Response;
use serde_json::Value;

impl Session {
    /// Notes the objects a 2xx answer says were created in the first account, so teardown removes them.
    pub fn record_created(&self, method: &str, resp: &Response) {
        if !(200..300).contains(&resp.status) || !matches!(method, "POST" | "PUT") {
            return;
        }
        let Ok(body) = serde_json::from_slice::<Value>(&resp.body) else { return };
        let typed = |v: &Value| -> Option<(String, String)> {
            Some((v.get("type")?.as_str()?.to_string(), v.get("id")?.as_str()?.to_string()))
        };
        let mut found: Vec<(String, String)> = typed(&body).into_iter().collect();
        if let Some(ops) = body.get("operations").and_then(Value::as_array) {
            found.extend(ops.iter().filter_map(|op| op.get("object").and_then(typed)));
        }
        self.remember(found);
    }

    pub(super) fn remember(&self, objects: impl IntoIterator<Item = (String, String)>) {
        if let Ok(mut created) = self.created.lock() {
            created.extend(objects.into_iter().filter(|(_, id)| *id != self.ctx.existing_id));
        }
    }

    /// Creates an object for one case (remembered for teardown) and returns its ID and how it reads back;
    /// `foreign`: in the second account, with its credentials (isolation cases). A 429 or no answer on the
    /// way is a [`StepFailure::Unanswered`]: the case proves nothing, it does not fail.
    pub async fn create_object(
        &self,
        object_type: &str,
        fields: &serde_json::Map<String, Value>,
        foreign: bool,
    ) -> Result<(String, Value), StepFailure> {
        let endpoint = self.account(foreign).map_err(|e| StepFailure::answered("fresh object", e))?;
        let path = format!("{}/objects/{object_type}.json", base_path(endpoint));
        let body = serde_json::json!({ object_type: fields }).to_string().into_bytes();
        let step = format!("POST {path} (fresh object)");
        let sent = self.call(endpoint, Step::FreshObject, "POST", &path, Some(body)).await;
        let resp = StepFailure::answer(&step, sent, self.settings.pacing.retries_429)?;
        let id = serde_json::from_slice::<Value>(&resp.body)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string));
        let Some(id) = id.filter(|_| (200..300).contains(&resp.status)) else {
            let subject = format!("could not create a fresh {object_type} (status {})", resp.status);
            let failure = StepFailure::answered(&step, subject.clone());
            let message = format!("{}: {}", failure.message(), crate::send::excerpt::excerpt(&resp.body));
            return Err(StepFailure::Answered { message, subject });
        };
        if foreign {
            if let Ok(mut created) = self.created_foreign.lock() {
                created.push((object_type.to_string(), id.clone()));
            }
        } else {
            self.remember([(object_type.to_string(), id.clone())]);
        }
        match self.read_object_in(foreign, object_type, &id).await? {
            Some(snapshot) => Ok((id, snapshot)),
            None => Err(StepFailure::Answered {
                message: format!("fresh {object_type} {id} cannot be read back right after its creation"),
                subject: format!("a fresh {object_type} cannot be read back right after its creation"),
            }),
        }
    }

    /// The first account, or with `foreign` the second one (an error when none is configured).
    pub(super) fn account(&self, foreign: bool) -> Result<&super::Endpoint, String> {
        match (foreign, &self.secondary) {
            (false, _) => Ok(&self.primary),
            (true, Some(second)) => Ok(second),
            (true, None) => Err("no second account is configured".to_string()),
        }
    }

    /// Reads one object of the first account: `None` when the target says it does not exist (404).
    pub async fn read_object(&self, object_type: &str, id: &str) -> Result<Option<Value>, StepFailure> {
        self.read_object_in(false, object_type, id).await
    }

    /// Reads one object of the first account, or with `foreign` of the second one, with its own credentials.
    pub async fn read_object_in(
        &self,
        foreign: bool,
        object_type: &str,
        id: &str,
    ) -> Result<Option<Value>, StepFailure> {
        let endpoint = self.account(foreign).map_err(|e| StepFailure::answered("read-back", e))?;
        let path = object_path(endpoint, object_type, id);
        let step = format!("GET {path}");
        let sent = self.call(endpoint, Step::ReadBack, "GET", &path, None).await;
        let resp = StepFailure::answer(&step, sent, self.settings.pacing.retries_429)?;
        match resp.status {
            404 => Ok(None),
            200..=299 => {
                serde_json::from_slice(&resp.body).map(Some).map_err(|_| StepFailure::answered(&step, "not JSON"))
            }
            s => Err(StepFailure::answered(&step, format!("answered {s}"))),
        }
    }

    /// IDs of the first account's objects of this type whose text `field` equals `marker` (remembered for teardown).
    pub async fn find_marked(&self, object_type: &str, field: &str, marker: &str) -> Result<Vec<String>, StepFailure> {
        self.marked(Step::MarkerSearch, object_type, field, marker).await
    }

    /// [`Session::find_marked`] as `step` (a case's check, or the teardown sweep).
    async fn marked(
        &self,
        step: Step,
        object_type: &str,
        field: &str,
        marker: &str,
    ) -> Result<Vec<String>, StepFailure> {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair(&format!("query[{field}]"), marker)
            .finish();
        let path = format!("{}/objects/{object_type}.json?{query}&limit=1000", self.ctx.base());
        let line = format!("GET {path}");
        let sent = self.call(&self.primary, step, "GET", &path, None).await;
        let resp = StepFailure::answer(&line, sent, self.settings.pacing.retries_429)?;
        if !(200..300).contains(&resp.status) {
            return Err(StepFailure::answered(&line, format!("answered {}", resp.status)));
        }
        let list: Value = serde_json::from_slice(&resp.body).map_err(|_| StepFailure::answered(&line, "not JSON"))?;
        let ids: Vec<String> = list
            .get("objects")
            .and_then(Value::as_array)
            .ok_or_else(|| StepFailure::answered(&line, "no `objects` array"))?
            .iter()
            // Re-check the marker, so a target that ignores `query[...]` cannot make us delete foreign objects.
            .filter(|o| o.get(field).and_then(Value::as_str) == Some(marker))
            .filter_map(|o| o.get("id").and_then(Value::as_str).map(str::to_string))
            .collect();
        self.remember(ids.iter().map(|id| (object_type.to_string(), id.clone())));
        Ok(ids)
    }
}

/// The path of one object of an account, its ID encoded as one segment.
pub(super) fn object_path(endpoint: &super::Endpoint, object_type: &str, id: &str) -> String {
    let id = crate::declare::families::ids::encode_segment(id.as_bytes());
    format!("{}/objects/{object_type}/{id}.json", base_path(endpoint))
}

/// `{prefix}/api/v4/{account}` of an account, as a path on its origin.
pub(super) fn base_path(endpoint: &super::Endpoint) -> String {
    format!("{}/api/v4/{}", endpoint.prefix, endpoint.account_id)
}
