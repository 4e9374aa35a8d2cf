use serde_json::{Value, json};

use super::{Ledger, resolve_deep};

/// Rewrites `anyOf`s whose variants are not objects, which typify generates as a struct (it reads `anyOf` as "any
/// of these objects, flattened"): a union with an unconstrained variant (`{}`) is any JSON value; one where a plain
/// `{type: T}` covers every other variant (`anyOf: [{enum: [dashboard, lens, ...]}, {type: string}]`, Fleet's
/// installed asset types) is that plain type; other scalar unions become `oneOf`, an untagged enum.
///
/// Without it, Fleet's package list and installed packages (`searchAfter: anyOf [string, number, boolean, null,
/// {}]`) fail to decode any real answer.
pub fn simplify_scalar_any_of(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    let mut changed = 0usize;
    visit(&snapshot, doc, &mut changed);
    if changed > 0 {
        ledger
            .notes
            .push(format!("{changed} `anyOf`s of scalars read as one type or as `oneOf`"));
    }
}

fn is_object_like(doc: &Value, schema: &Value) -> bool {
    let schema = resolve_deep(doc, schema);
    schema["type"] == "object"
        || schema.get("properties").is_some()
        || schema.get("additionalProperties").is_some()
        || ["allOf", "anyOf", "oneOf"].iter().any(|k| {
            schema[k]
                .as_array()
                .is_some_and(|v| v.iter().any(|s| is_object_like(doc, s)))
        })
}

fn is_empty_schema(schema: &Value) -> bool {
    schema
        .as_object()
        .is_some_and(|o| o.keys().all(|k| matches!(k.as_str(), "description" | "title")))
}

/// `{type: T}` with nothing that narrows it.
fn plain_type(schema: &Value) -> Option<&str> {
    let object = schema.as_object()?;
    let kind = object.get("type")?.as_str()?;
    object
        .keys()
        .all(|k| matches!(k.as_str(), "type" | "description" | "title"))
        .then_some(kind)
}

fn type_of(doc: &Value, schema: &Value) -> Option<String> {
    let schema = resolve_deep(doc, schema);
    if let Some(kind) = schema["type"].as_str() {
        return Some(kind.to_owned());
    }
    let values = schema["enum"].as_array()?;
    let kinds: Vec<&str> = values
        .iter()
        .map(|v| match v {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            _ => "other",
        })
        .collect();
    (!kinds.is_empty() && kinds.iter().all(|k| *k == kinds[0])).then(|| kinds[0].to_owned())
}

fn visit(doc: &Value, value: &mut Value, changed: &mut usize) {
    match value {
        Value::Object(map) => {
            if let Some(variants) = map.get("anyOf").and_then(Value::as_array).cloned()
                && !variants.is_empty()
                && !variants.iter().any(|v| is_object_like(doc, v))
            {
                let description = map.get("description").cloned();
                if variants.iter().any(is_empty_schema) {
                    map.shift_remove("anyOf");
                    map.shift_remove("type");
                } else if let Some(kind) = variants.iter().find_map(plain_type).map(str::to_owned)
                    && variants
                        .iter()
                        .all(|v| type_of(doc, v).as_deref() == Some(kind.as_str()))
                {
                    map.shift_remove("anyOf");
                    map.insert("type".into(), json!(kind));
                } else if let Some(variants) = map.shift_remove("anyOf") {
                    map.insert("oneOf".into(), variants);
                }
                if let Some(description) = description {
                    map.insert("description".into(), description);
                }
                *changed += 1;
            }
            for (key, child) in map.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    visit(doc, child, changed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| visit(doc, item, changed)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn scalar_unions_become_types_typify_can_read() {
        let mut doc = spec(json!({}));
        doc["components"]["schemas"]["Asset"] = json!({"type": "object", "properties": {
            "type": {"anyOf": [{"type": "string", "enum": ["dashboard", "lens"]}, {"type": "string"}]},
            "after": {"anyOf": [{"type": "string"}, {"type": "number"}, {"enum": [], "nullable": true}, {}]},
            "either": {"anyOf": [{"type": "string"}, {"type": "number"}]},
            "objects": {"anyOf": [{"type": "object"}, {"type": "string"}]}}});
        let mut ledger = Ledger::default();
        simplify_scalar_any_of(&mut doc, &mut ledger);
        let properties = &doc["components"]["schemas"]["Asset"]["properties"];
        assert_eq!(properties["type"], json!({"type": "string"}));
        assert_eq!(properties["after"], json!({}));
        assert_eq!(
            properties["either"],
            json!({"oneOf": [{"type": "string"}, {"type": "number"}]})
        );
        assert!(
            properties["objects"]["anyOf"].is_array(),
            "a union with objects is left to typify"
        );
        assert!(ledger.notes[0].starts_with("3 "), "{}", ledger.notes[0]);
    }
}
