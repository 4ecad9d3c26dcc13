//! The top-level `type` of a success body, read without building the body into values.
//!
//! A 2xx or 3xx answer is judged only by whether it names an error type at its top level (an error
//! body sent under a success status). Its other keys are skipped as they are parsed: a list answer
//! runs to the response cap (1 MiB), and building it into a `serde_json::Value` for one string would
//! cost a large share of a run's work and several times the answer's size in memory.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// The string under the top-level `type` key of a JSON object (the last one, as a parsed map keeps
/// it), or `None` when the body is not a JSON object or its `type` is not a string.
pub(super) fn top_level_type(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<TypeOnly>(body).ok()?.0
}

struct TypeOnly(Option<String>);

impl<'de> Deserialize<'de> for TypeOnly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TypeOnly, D::Error> {
        deserializer.deserialize_map(TypeVisitor)
    }
}

struct TypeVisitor;

impl<'de> Visitor<'de> for TypeVisitor {
    type Value = TypeOnly;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TypeOnly, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "type" {
                found = match map.next_value::<Value>()? {
                    Value::String(s) => Some(s),
                    _ => None,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(TypeOnly(found))
    }
}

#[cfg(test)]
mod tests {
    use super::top_level_type;

    #[test]
    fn reads_the_top_level_type_as_a_parsed_map_would() {
        let cases: [(&[u8], Option<&str>); 9] = [
            (br#"{"type":"task","id":"1"}"#, Some("task")),
            (br#"{"objects":[{"type":"INVALID_VALUE"}],"type":"ROUTE_ERROR"}"#, Some("ROUTE_ERROR")),
            (br#"{"type":"first","type":"last"}"#, Some("last")),
            (br#"{"type":"first","type":7}"#, None),
            (br#"{"objects":[{"type":"INVALID_VALUE"}]}"#, None),
            (br#"{"type":{"name":"x"}}"#, None),
            (br#"[{"type":"INVALID_VALUE"}]"#, None),
            (br#"{"type":"task"} trailing"#, None),
            (b"<html>not json</html>", None),
        ];
        for (body, want) in cases {
            let parsed = serde_json::from_slice::<serde_json::Value>(body).ok();
            let as_map = parsed.as_ref().and_then(|v| v.as_object()).and_then(|m| m.get("type")?.as_str());
            assert_eq!(as_map, want, "{}: the table itself", String::from_utf8_lossy(body));
            assert_eq!(top_level_type(body).as_deref(), want, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn a_key_written_with_escapes_still_counts() {
        assert_eq!(top_level_type(br#"{"typ\u0065":"INVALID_VALUE"}"#).as_deref(), Some("INVALID_VALUE"));
    }
}
