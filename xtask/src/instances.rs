//! A small valid instance of a schema: what the conformance sweep sends as each operation's body and required
//! parameters. Only required properties are filled; an enum takes its first value, a union the first variant whose
//! instance matches exactly one variant (so that a `oneOf` validator accepts it).

use serde_json::{Map, Value, json};

use crate::transforms::{invalid_defaults::conforms, resolve};

const MAX_DEPTH: usize = 24;

/// A small instance of `schema`; `None` when none could be made (a cycle through required properties, a pattern
/// no candidate matches).
pub fn instance(doc: &Value, schema: &Value) -> Option<Value> {
    let value = build(doc, schema, 0)?;
    conforms(doc, schema, &value, 0).then_some(value)
}

fn build(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = resolve_all(doc, schema);
    let object = schema.as_object()?;
    if let Some(default) = object.get("default")
        && conforms(doc, schema, default, 0)
    {
        return Some(default.clone());
    }
    if let Some(first) = object.get("enum").and_then(Value::as_array).and_then(|e| e.first()) {
        return Some(first.clone());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = object.get(key).and_then(Value::as_array) {
            return variants.iter().find_map(|variant| {
                candidates(doc, variant, depth).into_iter().find(|candidate| {
                    let matching = variants.iter().filter(|v| conforms(doc, v, candidate, 0)).count();
                    matching == 1 || (key == "anyOf" && matching > 0)
                })
            });
        }
    }
    if let Some(members) = object.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        let mut scalar = None;
        for member in members {
            match build(doc, member, depth + 1)? {
                Value::Object(part) => merged.extend(part),
                other => scalar = Some(other),
            }
        }
        // The object's own properties (beside the `allOf`) count too.
        if let Some(Value::Object(own)) = build_object(doc, object, depth) {
            merged.extend(own);
        }
        return Some(scalar.unwrap_or(Value::Object(merged)));
    }
    match object.get("type").and_then(Value::as_str) {
        Some("string") => string(object),
        Some("integer") => Some(json!(number(object).round() as i64)),
        Some("number") => Some(json!(number(object))),
        Some("boolean") => Some(Value::Bool(true)),
        Some("array") => {
            let count = object.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let mut items = Vec::new();
            for _ in 0..count.min(4) {
                items.push(build(doc, object.get("items").unwrap_or(&Value::Null), depth + 1)?);
            }
            Some(Value::Array(items))
        }
        Some("object") | None if object.contains_key("properties") || object.get("type").is_some() => {
            build_object(doc, object, depth)
        }
        _ if object.get("nullable") == Some(&Value::Bool(true)) => Some(Value::Null),
        _ => Some(json!({})),
    }
}

/// A variant's smallest instance, then that instance with one more of its optional properties each (what tells
/// apart variants whose required properties are the same, e.g. `{pid}` / `{entity_id}` / `{process_name}`).
fn candidates(doc: &Value, variant: &Value, depth: usize) -> Vec<Value> {
    let Some(minimal) = build(doc, variant, depth + 1) else {
        return Vec::new();
    };
    let mut out = vec![minimal.clone()];
    let schema = resolve_all(doc, variant);
    if let (Value::Object(base), Some(properties)) = (&minimal, schema["properties"].as_object()) {
        for (name, property) in properties {
            if base.contains_key(name) {
                continue;
            }
            if let Some(value) = build(doc, property, depth + 1) {
                let mut extended = base.clone();
                extended.insert(name.clone(), value);
                out.push(Value::Object(extended));
            }
        }
    }
    out
}

fn build_object(doc: &Value, object: &Map<String, Value>, depth: usize) -> Option<Value> {
    let mut out = Map::new();
    let properties = object.get("properties").and_then(Value::as_object);
    for name in object
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let property = properties.and_then(|p| p.get(name));
        let value = match property {
            Some(schema) => build(doc, schema, depth + 1)?,
            None => match object.get("additionalProperties") {
                Some(additional @ Value::Object(_)) => build(doc, additional, depth + 1)?,
                _ => json!("x"),
            },
        };
        out.insert(name.to_owned(), value);
    }
    Some(Value::Object(out))
}

fn resolve_all<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let next = resolve(doc, schema);
        if std::ptr::eq(next, schema) {
            break;
        }
        schema = next;
    }
    schema
}

fn number(object: &Map<String, Value>) -> f64 {
    let minimum = object.get("minimum").and_then(Value::as_f64);
    let maximum = object.get("maximum").and_then(Value::as_f64);
    match (minimum, maximum) {
        (Some(min), _) if object.get("exclusiveMinimum") == Some(&Value::Bool(true)) => min + 1.0,
        (Some(min), _) => min,
        (None, Some(max)) if max < 1.0 => max,
        _ => 1.0,
    }
}

fn string(object: &Map<String, Value>) -> Option<Value> {
    let by_format = match object.get("format").and_then(Value::as_str) {
        Some("date-time") => Some("2024-01-01T00:00:00Z"),
        Some("date") => Some("2024-01-01"),
        Some("uuid") => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        Some("email") => Some("sweep@example.com"),
        Some("uri" | "url") => Some("https://example.com/sweep"),
        Some("ipv4" | "ip") => Some("127.0.0.1"),
        Some("ipv6") => Some("::1"),
        Some("hostname") => Some("example.com"),
        Some("byte") => Some("c3dlZXA="),
        Some("binary") => Some("sweep"),
        _ => None,
    };
    let min = object.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = object.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
    let fits = |s: &str| {
        let n = s.chars().count();
        n >= min && max.is_none_or(|max| n <= max)
    };
    let pattern = object
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(|p| regress::Regex::new(p).ok());
    let padded = "x".repeat(min.max(1));
    let candidates = [
        by_format.unwrap_or("sweep"),
        "sweep",
        padded.as_str(),
        "a",
        "1",
        "default",
        "sweep-1",
        "abc123",
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "1m",
        "now-15m",
        "1.0.0",
        "*",
    ];
    candidates
        .into_iter()
        .find(|c| fits(c) && pattern.as_ref().is_none_or(|p| p.find(c).is_some()))
        .map(|c| Value::String(c.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_fill_required_properties_and_respect_constraints() {
        let doc = json!({"components": {"schemas": {
            "Name": {"type": "string", "minLength": 3},
            "Kind": {"type": "string", "enum": ["a", "b"]},
        }}});
        let schema = json!({"type": "object", "required": ["name", "kind", "size", "tags", "when", "ver"],
            "properties": {
                "name": {"$ref": "#/components/schemas/Name"},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "size": {"type": "integer", "minimum": 5},
                "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "when": {"type": "string", "format": "date-time"},
                "ver": {"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+$"},
                "optional": {"type": "string"}}});
        let value = instance(&doc, &schema).unwrap();
        assert_eq!(
            value,
            json!({"name": "sweep", "kind": "a", "size": 5, "tags": ["sweep"], "when": "2024-01-01T00:00:00Z", "ver": "1.0.0"})
        );
    }

    #[test]
    fn a_one_of_takes_a_variant_only_it_accepts() {
        let doc = json!({});
        let schema = json!({"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}},
        ]});
        // `{}` fails the second variant (`b` is required), so it matches exactly one.
        assert_eq!(instance(&doc, &schema).unwrap(), json!({}));
        let ambiguous = json!({"oneOf": [{"type": "object"}, {"type": "object"}]});
        assert!(instance(&doc, &ambiguous).is_none());
        let by_optional = json!({"oneOf": [
            {"type": "object", "additionalProperties": false, "properties": {"pid": {"type": "integer", "minimum": 1}}},
            {"type": "object", "additionalProperties": false, "properties": {"entity_id": {"type": "string"}}},
        ]});
        assert_eq!(instance(&doc, &by_optional).unwrap(), json!({"pid": 1}));
    }
}
