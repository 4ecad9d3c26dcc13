//! A small JSON Schema (2020-12 subset) validator driven by the OpenAPI document: only the keywords the
//! document uses, and any other keyword is an error, so the file cannot quietly rely on one we ignore.

use serde_json::Value;

/// Keywords this validator understands (annotations included).
const KNOWN: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minimum",
    "maximum",
    "minLength",
    "pattern",
    "allOf",
    "anyOf",
    "oneOf",
    "description",
    "title",
    "format",
    "example",
    "examples",
    "default",
];

/// Deepest `$ref`/nesting followed before giving up (a cycle must not hang the test).
const MAX_DEPTH: usize = 64;

/// The parsed document, for resolving local `$ref`s.
pub struct Doc {
    pub root: Value,
}

impl Doc {
    /// The value a local reference (`#/a/b`) points at.
    pub fn pointer(&self, reference: &str) -> Result<&Value, String> {
        let pointer = reference.strip_prefix('#').ok_or_else(|| format!("non-local $ref `{reference}`"))?;
        self.root.pointer(pointer).ok_or_else(|| format!("$ref `{reference}` resolves to nothing"))
    }

    /// Follows `$ref` chains (as OpenAPI response/parameter objects use them) to the object itself.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> Result<&'a Value, String> {
        for _ in 0..MAX_DEPTH {
            match value.get("$ref").and_then(Value::as_str) {
                Some(r) => value = self.pointer(r)?,
                None => return Ok(value),
            }
        }
        Err("$ref chain too deep (a cycle?)".into())
    }

    /// Every problem of `instance` against `schema`, each prefixed with its JSON path.
    pub fn validate(&self, schema: &Value, instance: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, instance, "$", 0, &mut errors);
        errors
    }

    fn check(&self, schema: &Value, v: &Value, at: &str, depth: usize, errors: &mut Vec<String>) {
        if depth > MAX_DEPTH {
            errors.push(format!("{at}: schema nesting too deep"));
            return;
        }
        let Some(s) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                errors.push(format!("{at}: no value is allowed here"));
            }
            return;
        };
        for key in s.keys() {
            if !KNOWN.contains(&key.as_str()) {
                errors.push(format!("{at}: unsupported schema keyword `{key}`"));
            }
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            match self.pointer(r) {
                Ok(target) => self.check(target, v, at, depth + 1, errors),
                Err(e) => errors.push(format!("{at}: {e}")),
            }
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| is_type(v, t)) {
                errors.push(format!("{at}: expected {}, got {}", types.join(" or "), short(v)));
                return;
            }
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array) {
            if !options.contains(v) {
                errors.push(format!("{at}: {} is not one of {}", short(v), Value::Array(options.clone())));
            }
        }
        if let Some(c) = s.get("const") {
            if c != v {
                errors.push(format!("{at}: {} is not {c}", short(v)));
            }
        }
        if let Some(n) = v.as_f64() {
            if s.get("minimum").and_then(Value::as_f64).is_some_and(|m| n < m) {
                errors.push(format!("{at}: {n} is below the minimum"));
            }
            if s.get("maximum").and_then(Value::as_f64).is_some_and(|m| n > m) {
                errors.push(format!("{at}: {n} is above the maximum"));
            }
        }
        if let Some(text) = v.as_str() {
            if s.get("minLength").and_then(Value::as_u64).is_some_and(|m| (text.chars().count() as u64) < m) {
                errors.push(format!("{at}: string shorter than minLength"));
            }
            if let Some(p) = s.get("pattern").and_then(Value::as_str) {
                match regex::Regex::new(p) {
                    Ok(re) if !re.is_match(text) => errors.push(format!("{at}: {} does not match /{p}/", short(v))),
                    Ok(_) => {}
                    Err(e) => errors.push(format!("{at}: bad pattern /{p}/: {e}")),
                }
            }
        }
        if let Some(items) = v.as_array() {
            let count = items.len() as u64;
            if s.get("minItems").and_then(Value::as_u64).is_some_and(|m| count < m) {
                errors.push(format!("{at}: fewer than minItems"));
            }
            if s.get("maxItems").and_then(Value::as_u64).is_some_and(|m| count > m) {
                errors.push(format!("{at}: more than maxItems"));
            }
            if let Some(item_schema) = s.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.check(item_schema, item, &format!("{at}[{i}]"), depth + 1, errors);
                }
            }
        }
        if let Some(map) = v.as_object() {
            let count = map.len() as u64;
            if s.get("minProperties").and_then(Value::as_u64).is_some_and(|m| count < m) {
                errors.push(format!("{at}: fewer than minProperties"));
            }
            if s.get("maxProperties").and_then(Value::as_u64).is_some_and(|m| count > m) {
                errors.push(format!("{at}: more than maxProperties"));
            }
            for name in s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    errors.push(format!("{at}: missing required `{name}`"));
                }
            }
            let properties = s.get("properties").and_then(Value::as_object);
            for (key, value) in map {
                let path = format!("{at}.{key}");
                match properties.and_then(|p| p.get(key)) {
                    Some(prop) => self.check(prop, value, &path, depth + 1, errors),
                    None => {
                        if let Some(extra) = s.get("additionalProperties") {
                            self.check(extra, value, &path, depth + 1, errors);
                        }
                    }
                }
            }
        }
        for sub in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.check(sub, v, at, depth + 1, errors);
        }
        for (keyword, wanted) in [("anyOf", None), ("oneOf", Some(1))] {
            if let Some(subs) = s.get(keyword).and_then(Value::as_array) {
                let passing = subs.iter().filter(|sub| self.validate_at(sub, v, depth + 1).is_empty()).count();
                let ok = match wanted {
                    None => passing >= 1,
                    Some(n) => passing == n,
                };
                if !ok {
                    errors.push(format!("{at}: {passing} of the {keyword} alternatives match"));
                }
            }
        }
    }

    fn validate_at(&self, schema: &Value, v: &Value, depth: usize) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, v, "$", depth, &mut errors);
        errors
    }
}

fn is_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

/// A value shortened for messages.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 80 {
        format!("{}…", &text[..text.char_indices().nth(80).map_or(text.len(), |(i, _)| i)])
    } else {
        text
    }
}
