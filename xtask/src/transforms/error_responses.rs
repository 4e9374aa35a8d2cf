use serde_json::{Value, json};

use super::{Ledger, operation_mut, operations, resolve, schemas_mut};

/// Name of the one error schema every non-2xx response is mapped to.
const KIBANA_ERROR_SCHEMA: &str = "KibanaError";

/// Maps every non-2xx response of every operation to one shared `KibanaError` schema (Kibana's Boom body
/// `{statusCode, error, message, attributes?}`), and drops `default` responses of operations that declare a
/// success response.
///
/// Kibana's documents describe error bodies differently per operation (or not at all), and progenitor 0.15 panics
/// (`response_types.len() <= 1`) when one operation has differently-shaped error responses. Kibana itself answers
/// every error with the same Boom shape, so one schema is both what progenitor needs and what the server sends.
/// progenitor counts `default` as a success response, so a `default` error description beside a `200` (the risk
/// engine routes) would be a second success type; errors are told apart by status anyway.
pub fn unify_error_responses(doc: &mut Value, ledger: &mut Ledger) {
    if let Some(schemas) = schemas_mut(doc) {
        schemas.insert(KIBANA_ERROR_SCHEMA.to_owned(), error_schema());
    }
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let Some(responses) = operation_mut(doc, &op.path, op.method)
            .and_then(|o| o.get_mut("responses"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let mut changed = false;
        if responses.contains_key("default") && responses.keys().any(|code| code.starts_with('2')) {
            responses.shift_remove("default");
            changed = true;
        }
        for (code, response) in responses.iter_mut() {
            if code.starts_with('2') || code == "default" {
                continue;
            }
            let description = resolve(&snapshot, response)["description"]
                .as_str()
                .unwrap_or("Error")
                .to_owned();
            *response = json!({
                "description": description,
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{KIBANA_ERROR_SCHEMA}")}}}
            });
            changed = true;
        }
        // An operation that declares no error still answers errors in the same shape; declaring them gives its
        // method the same error type as every other.
        if !responses.keys().any(|code| !code.starts_with('2') && code != "default") {
            for range in ["4XX", "5XX"] {
                responses.insert(
                    range.to_owned(),
                    json!({"description": "Error", "content": {"application/json": {"schema":
                        {"$ref": format!("#/components/schemas/{KIBANA_ERROR_SCHEMA}")}}}}),
                );
            }
            changed = true;
        }
        if changed {
            ledger.applied(&op.route, "unify_error_responses");
        }
    }
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "Kibana's error body (a Boom error), sent with every non-2xx status.",
        "required": ["statusCode", "error", "message"],
        "properties": {
            "statusCode": {"type": "integer", "description": "The HTTP status code."},
            "error": {"type": "string", "description": "The HTTP reason phrase, e.g. `Bad Request`."},
            "message": {"type": "string", "description": "What went wrong."},
            "attributes": {"type": "object", "additionalProperties": true,
                           "description": "Operation-specific details, when Kibana gives any."}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn a_default_error_beside_a_success_response_goes() {
        let mut doc = spec(json!({
            "/api/risk": {"delete": {"responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
                "default": {"description": "Unexpected error", "content": {"application/json": {"schema": {"type": "string"}}}}}}},
            "/api/only_default": {"get": {"responses": {
                "default": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        }));
        let mut ledger = Ledger::default();
        unify_error_responses(&mut doc, &mut ledger);
        assert!(
            doc["paths"]["/api/risk"]["delete"]["responses"]
                .get("default")
                .is_none()
        );
        assert!(
            doc["paths"]["/api/only_default"]["get"]["responses"]
                .get("default")
                .is_some()
        );
        assert!(
            doc["paths"]["/api/risk"]["delete"]["responses"]["4XX"].is_object(),
            "an operation declaring no error gets Kibana's"
        );
    }

    #[test]
    fn every_non_2xx_response_uses_the_shared_schema() {
        let mut doc = spec(json!({"/api/x": {"get": {"operationId": "g", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}},
            "401": {"$ref": "#/components/responses/401"},
            "404": {"description": "nope", "content": {"application/json": {"schema": {"type": "object"}}}},
        }}}}));
        doc["components"]["responses"] = json!({"401": {"description": "Authorization information is missing"}});
        let mut ledger = Ledger::default();
        unify_error_responses(&mut doc, &mut ledger);

        let responses = &doc["paths"]["/api/x"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"]["type"],
            "string"
        );
        for code in ["401", "404"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/KibanaError"
            );
        }
        assert_eq!(responses["401"]["description"], "Authorization information is missing");
        assert!(doc["components"]["schemas"]["KibanaError"]["required"].is_array());
        assert_eq!(ledger.applied["GET /api/x"], ["unify_error_responses"]);
    }
}
