use serde_json::{Value, json};

use super::{Ledger, operation_mut, operations, resolve};

/// Gives every media type without a `schema` one: any JSON value for a response (typify makes it
/// `serde_json::Value`); for a request body, the body is dropped when it is optional, else any JSON value.
///
/// Kibana's document writes `content: {application/json: {}}` for routes whose body it does not describe (agent
/// builder, spaces get/list/copy, security roles, connector types, upgrade status); progenitor panics on them
/// (`not yet implemented: media type encoding, no schema`) or refuses them (`No schema specified for request body`).
pub fn fill_missing_media_schemas(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let Some(operation) = operation_mut(doc, &op.path, op.method) else {
            continue;
        };
        let mut changed = false;
        // Request body (inline, or a shared one that is copied in before it is changed).
        if let Some(body) = operation.get("requestBody") {
            let resolved = resolve(&snapshot, body).clone();
            if let Some(content) = resolved["content"].as_object()
                && content.values().any(|m| m.get("schema").is_none())
            {
                if resolved["required"] == true {
                    let mut body = resolved.clone();
                    for (_, media) in body["content"].as_object_mut().into_iter().flatten() {
                        if media.get("schema").is_none() && media.is_object() {
                            media["schema"] = json!({});
                        }
                    }
                    operation.insert("requestBody".into(), body);
                } else {
                    operation.shift_remove("requestBody");
                }
                changed = true;
            }
        }
        // Responses.
        for (_, response) in operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            let resolved = resolve(&snapshot, response);
            let Some(content) = resolved["content"].as_object() else {
                continue;
            };
            if content.values().all(|m| m.get("schema").is_some()) {
                continue;
            }
            let mut copy = resolved.clone();
            for (_, media) in copy["content"].as_object_mut().into_iter().flatten() {
                if media.get("schema").is_none() && media.is_object() {
                    media["schema"] = json!({});
                }
            }
            *response = copy;
            changed = true;
        }
        if changed {
            ledger.applied(&op.route, "fill_missing_media_schemas");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn media_types_without_schema_get_one() {
        let mut doc = spec(json!({
            "/api/spaces/space": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {}}}}}},
            "/api/optional": {"post": {"requestBody": {"content": {"application/json": {}}},
                "responses": {"200": {"$ref": "#/components/responses/Any"}}}},
            "/api/required": {"post": {"requestBody": {"required": true, "content": {"application/json": {}}}}},
            "/api/fine": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"type": "string"}}}}}}},
        }));
        doc["components"]["responses"] = json!({"Any": {"description": "x", "content": {"application/json": {}}}});
        let mut ledger = Ledger::default();
        fill_missing_media_schemas(&mut doc, &mut ledger);
        let paths = &doc["paths"];
        assert_eq!(
            paths["/api/spaces/space"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert!(paths["/api/optional"]["post"].get("requestBody").is_none());
        assert_eq!(
            paths["/api/optional"]["post"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(
            paths["/api/required"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(ledger.applied.len(), 3);
    }
}
