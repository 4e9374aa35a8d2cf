use serde_json::Value;

use super::{Ledger, resolve_deep};

/// Removes every `default` that its own schema rejects (a string default on an integer, a value outside the enum,
/// an object default missing required properties, `null` where the schema is not nullable...), reporting each one.
///
/// typify checks defaults against the type it generates and refuses the whole type otherwise (`value does not
/// conform to the given schema`), which takes every operation reaching it down. A default only says what the server
/// assumes when the value is absent, so dropping a wrong one loses nothing a client can rely on.
pub fn drop_invalid_defaults(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    let mut dropped = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            visit(
                &snapshot,
                item,
                &format!("/paths/{}", super::pointer_escape(path)),
                &mut dropped,
            );
        }
    }
    if let Some(components) = doc.get_mut("components") {
        visit(&snapshot, components, "/components", &mut dropped);
    }
    if !dropped.is_empty() {
        ledger.notes.push(format!(
            "dropped {} `default`s their own schema rejects: {}",
            dropped.len(),
            dropped.join(", ")
        ));
    }
}

/// Keys whose values map names to objects (a property or a response named `default` is not a default value).
const NAME_MAPS: [&str; 12] = [
    "properties",
    "patternProperties",
    "responses",
    "content",
    "headers",
    "encoding",
    "schemas",
    "parameters",
    "requestBodies",
    "links",
    "callbacks",
    "paths",
];

fn visit(doc: &Value, value: &mut Value, pointer: &str, dropped: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(default) = map.get("default") {
                let schema_without_default: Value = Value::Object(
                    map.iter()
                        .filter(|(k, _)| k.as_str() != "default")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                );
                if looks_like_schema(&schema_without_default) && !conforms(doc, &schema_without_default, default, 0) {
                    map.shift_remove("default");
                    dropped.push(format!("`{pointer}`"));
                }
            }
            for (key, child) in map.iter_mut() {
                let child_pointer = format!("{pointer}/{}", super::pointer_escape(key));
                if NAME_MAPS.contains(&key.as_str()) && child.is_object() {
                    for (name, entry) in child.as_object_mut().into_iter().flatten() {
                        let entry_pointer = format!("{child_pointer}/{}", super::pointer_escape(name));
                        visit(doc, entry, &entry_pointer, dropped);
                    }
                    continue;
                }
                // Data, not schemas.
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    continue;
                }
                visit(doc, child, &child_pointer, dropped);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                visit(doc, item, &format!("{pointer}/{index}"), dropped);
            }
        }
        _ => {}
    }
}

/// A mapping with a `default` is a schema unless it is a parameter or a header object (whose `default` does not
/// exist in OpenAPI, so it cannot be judged).
fn looks_like_schema(value: &Value) -> bool {
    value.get("in").is_none() && value.get("schema").is_none()
}

/// Whether `instance` is valid against `schema`, for the parts of JSON Schema that OpenAPI 3.0 documents use.
/// Unknown keywords accept everything: only a definite violation makes a default wrong.
pub fn conforms(doc: &Value, schema: &Value, instance: &Value, depth: usize) -> bool {
    if depth > 48 {
        return true;
    }
    let schema = resolve_deep(doc, schema);
    let Some(schema) = schema.as_object() else {
        return true;
    };
    if instance.is_null() {
        return schema.get("nullable") == Some(&Value::Bool(true))
            || schema
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.contains(&Value::Null))
            || (schema.get("type").is_none()
                && !schema.contains_key("enum")
                && ["allOf", "anyOf", "oneOf"].iter().all(|k| !schema.contains_key(*k)));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(instance)
    {
        return false;
    }
    if let Some(kind) = schema.get("type").and_then(Value::as_str)
        && !has_type(kind, instance)
    {
        return false;
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array)
        && !members.iter().all(|m| conforms(doc, m, instance, depth + 1))
    {
        return false;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array)
            && !members.is_empty()
            && !members.iter().any(|m| conforms(doc, m, instance, depth + 1))
        {
            return false;
        }
    }
    match instance {
        Value::String(s) => {
            let length = s.chars().count() as u64;
            if schema
                .get("minLength")
                .and_then(Value::as_u64)
                .is_some_and(|min| length < min)
                || schema
                    .get("maxLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|max| length > max)
            {
                return false;
            }
            if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
                && let Ok(regex) = regress::Regex::new(pattern)
                && regex.find(s).is_none()
            {
                return false;
            }
        }
        Value::Number(n) => {
            let Some(n) = n.as_f64() else { return true };
            if schema.get("minimum").and_then(Value::as_f64).is_some_and(|min| n < min)
                || schema.get("maximum").and_then(Value::as_f64).is_some_and(|max| n > max)
            {
                return false;
            }
        }
        Value::Array(items) => {
            let length = items.len() as u64;
            if schema
                .get("minItems")
                .and_then(Value::as_u64)
                .is_some_and(|min| length < min)
                || schema
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .is_some_and(|max| length > max)
            {
                return false;
            }
            if let Some(item_schema) = schema.get("items")
                && !items.iter().all(|item| conforms(doc, item_schema, item, depth + 1))
            {
                return false;
            }
        }
        Value::Object(object) => {
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                if name.as_str().is_some_and(|name| !object.contains_key(name)) {
                    return false;
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (key, value) in object {
                let accepted = match properties.and_then(|p| p.get(key)) {
                    Some(property) => conforms(doc, property, value, depth + 1),
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => false,
                        Some(additional @ Value::Object(_)) => conforms(doc, additional, value, depth + 1),
                        _ => true,
                    },
                };
                if !accepted {
                    return false;
                }
            }
        }
        _ => {}
    }
    true
}

fn has_type(kind: &str, instance: &Value) -> bool {
    match kind {
        "string" => instance.is_string(),
        "boolean" => instance.is_boolean(),
        "integer" => instance.as_i64().is_some() || instance.as_u64().is_some(),
        "number" => instance.is_number(),
        "array" => instance.is_array(),
        "object" => instance.is_object(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn defaults_their_schema_rejects_are_dropped() {
        let mut doc = spec(json!({"/api/x": {"post": {
            "parameters": [{"in": "query", "name": "q", "schema": {"type": "integer", "default": "ten"}}],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "ok": {"type": "string", "enum": ["a", "b"], "default": "a"},
                "not_in_enum": {"type": "string", "enum": ["a", "b"], "default": "c"},
                "null_not_nullable": {"type": "string", "default": null},
                "null_nullable": {"type": "string", "nullable": true, "default": null},
                "missing_required": {"$ref": "#/components/schemas/Thing"},
                "ref_ok": {"allOf": [{"$ref": "#/components/schemas/Thing"}], "default": {"name": "x"}},
                "short": {"type": "string", "minLength": 3, "default": "ab"},
                "pattern": {"type": "string", "pattern": "^[a-z]+$", "default": "ABC"},
                "default": {"type": "string", "default": "a property named default"},
            }}}}}, "responses": {"default": {"description": "x", "content": {"application/json": {
                "schema": {"type": "integer", "default": "nope"}}}}}}}}));
        doc["components"]["schemas"]["Thing"] =
            json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}, "default": {}});
        let mut ledger = Ledger::default();
        drop_invalid_defaults(&mut doc, &mut ledger);
        let props =
            &doc["paths"]["/api/x"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"];
        assert_eq!(props["ok"]["default"], "a");
        assert!(props["null_nullable"].get("default").is_some());
        assert_eq!(props["ref_ok"]["default"], json!({"name": "x"}));
        for dropped in ["not_in_enum", "null_not_nullable", "short", "pattern"] {
            assert!(props[dropped].get("default").is_none(), "{dropped}");
        }
        assert!(
            doc["paths"]["/api/x"]["post"]["parameters"][0]["schema"]
                .get("default")
                .is_none()
        );
        assert!(doc["components"]["schemas"]["Thing"].get("default").is_none());
        assert_eq!(props["default"]["default"], "a property named default");
        assert!(
            doc["paths"]["/api/x"]["post"]["responses"]["default"]["content"]["application/json"]["schema"]
                .get("default")
                .is_none()
        );
        assert!(
            ledger.notes[0].starts_with("dropped 7 `default`s"),
            "{}",
            ledger.notes[0]
        );
    }
}
