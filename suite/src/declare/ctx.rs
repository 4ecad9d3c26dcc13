//! What families need to know of the target to build concrete requests: paths, the object type
//! under test, a valid field, a fixture object. It holds no secrets.

use serde_json::{json, Value};

/// The target, as families see it: values found by setup, so case IDs never depend on them.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Path before `/api/v4` on the first account's origin (often empty).
    pub prefix: String,
    /// The first account's backend deployment ID.
    pub account: String,
    /// The second account's ID, when one is configured.
    pub second_account: Option<String>,
    /// The object type the cases address.
    pub object_type: String,
    /// A field of that type and a value the target accepts for it, to make otherwise valid bodies.
    pub field: Option<(String, Value)>,
    /// An object of `object_type` that setup created in the first account.
    pub existing_id: String,
    /// A well-formed lowercase UUID that names no object.
    pub unknown_id: String,
    /// Size of the over-limit body.
    pub oversize_bytes: usize,
    /// Short random ID of this run; it marks every object the run creates.
    pub run_id: String,
    /// The target's data model (`GET datamodel.json`), for families derived from it.
    pub model: Value,
    /// Whether the first account signs in with a Bearer token rather than Basic: near-miss
    /// credentials vary the secret of the scheme in use (the scheme is no secret).
    pub bearer: bool,
}

/// The account ID no target has; used where a path must name an unknown account.
pub const UNKNOWN_ACCOUNT: &str = "000000000000000000000000";

impl Ctx {
    /// `{prefix}/api/v4/{account}` of the first account.
    pub fn base(&self) -> String {
        self.base_of(&self.account)
    }

    /// `{prefix}/api/v4/{account}` for any account ID.
    pub fn base_of(&self, account: &str) -> String {
        format!("{}/api/v4/{}", self.prefix, account)
    }

    /// The list/create route of the object type under test.
    pub fn collection(&self) -> String {
        format!("{}/objects/{}.json", self.base(), self.object_type)
    }

    /// The single-object route for an already percent-encoded ID segment.
    pub fn object(&self, id_segment: &str) -> String {
        format!("{}/objects/{}/{}.json", self.base(), self.object_type, id_segment)
    }

    /// The fields of a valid object: the chosen field, or none.
    pub fn fields(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        if let Some((name, value)) = &self.field {
            map.insert(name.clone(), value.clone());
        }
        map
    }

    /// A text field of the object type under test, where markers go.
    pub fn marker_field(&self) -> Option<&str> {
        match &self.field {
            Some((name, Value::String(_))) => Some(name),
            _ => None,
        }
    }

    /// A marker unique to this run and `what`, for objects whose existence a case checks.
    pub fn marker(&self, what: &str) -> String {
        format!("journey-conformance {} {what}", self.run_id)
    }

    /// A valid create/update body: the fields wrapped in the model name.
    pub fn wrapped_body(&self) -> Vec<u8> {
        let mut outer = serde_json::Map::new();
        outer.insert(self.object_type.clone(), Value::Object(self.fields()));
        Value::Object(outer).to_string().into_bytes()
    }

    /// A valid one-operation batch that creates an object.
    pub fn batch_body(&self) -> Vec<u8> {
        let mut object = self.fields();
        object.insert("type".into(), Value::String(self.object_type.clone()));
        json!({"operations": [{"method": "post", "object": object}]}).to_string().into_bytes()
    }
}
