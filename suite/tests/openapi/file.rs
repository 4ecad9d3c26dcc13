//! The OpenAPI description as data: read once by every test that compares against it.

use serde_json::Value;

/// `openapi/journeyapps-v4.yaml`, parsed; a missing or malformed file fails the test naming the path.
pub fn load() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/journeyapps-v4.yaml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}
