use serde_json::Value;

use super::{Ledger, operation_mut, operations, resolve, resolve_deep};

/// Removes request bodies that cannot carry anything: every media type's schema accepts only an empty object,
/// `null` or nothing at all.
///
/// Kibana's zod-based routes (all of streams) describe "no body" as
/// `anyOf: [{type: object, properties: {}, additionalProperties: false}, {enum: ["null"], nullable: true}, {not: {}}]`
/// even on GET. typify refuses the `"null"` enum (`value does not conform to the given schema`), and a generated
/// method would make every caller pass an empty body.
pub fn drop_empty_request_bodies(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let body = resolve(&snapshot, &snapshot["paths"][&op.path][op.method]["requestBody"]);
        let Some(content) = body["content"].as_object() else {
            continue;
        };
        if content.is_empty()
            || !content
                .values()
                .all(|media| media.get("schema").is_some_and(|s| admits_nothing(&snapshot, s, 0)))
        {
            continue;
        }
        if let Some(operation) = operation_mut(doc, &op.path, op.method) {
            operation.shift_remove("requestBody");
            ledger.applied(&op.route, "drop_empty_request_bodies");
        }
    }
}

/// Whether a schema accepts no value but an empty object, `null`, or none at all.
fn admits_nothing(doc: &Value, schema: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let schema = resolve_deep(doc, schema);
    let Some(object) = schema.as_object() else {
        return false;
    };
    for key in ["anyOf", "oneOf"] {
        if let Some(variants) = object.get(key).and_then(Value::as_array) {
            return !variants.is_empty() && variants.iter().all(|v| admits_nothing(doc, v, depth + 1));
        }
    }
    // `not: {}` matches nothing.
    if object
        .get("not")
        .is_some_and(|n| n.as_object().is_some_and(|n| n.is_empty()))
        && object.len() == 1
    {
        return true;
    }
    // `null`, or Kibana's `"null"` string stand-in for it.
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        return !values.is_empty() && values.iter().all(|v| v.is_null() || v == "null");
    }
    // An object with no properties and no room for others.
    let no_properties = object
        .get("properties")
        .is_none_or(|p| p.as_object().is_some_and(|p| p.is_empty()));
    object.get("type").is_some_and(|t| t == "object")
        && no_properties
        && object.get("additionalProperties") == Some(&Value::Bool(false))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    fn zod_empty() -> Value {
        json!({"anyOf": [{"additionalProperties": false, "properties": {}, "type": "object"},
                         {"enum": ["null"], "nullable": true}, {"not": {}}]})
    }

    #[test]
    fn bodies_that_carry_nothing_are_dropped() {
        let mut doc = spec(json!({
            "/api/streams": {"get": {"requestBody": {"content": {"application/json": {"schema": zod_empty()}}}}},
            "/api/streams/_enable": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Empty"}}}}}},
            "/api/real": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"name": {"type": "string"}}}}}}}},
            "/api/open": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object"}}}}}},
        }));
        doc["components"]["schemas"]["Empty"] = zod_empty();
        let mut ledger = Ledger::default();
        drop_empty_request_bodies(&mut doc, &mut ledger);
        assert!(doc["paths"]["/api/streams"]["get"].get("requestBody").is_none());
        assert!(
            doc["paths"]["/api/streams/_enable"]["post"]
                .get("requestBody")
                .is_none()
        );
        assert!(doc["paths"]["/api/real"]["post"].get("requestBody").is_some());
        assert!(
            doc["paths"]["/api/open"]["post"].get("requestBody").is_some(),
            "an open object can carry data"
        );
        assert_eq!(ledger.applied.len(), 2);
    }
}
