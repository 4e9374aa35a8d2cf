use serde_json::{Value, json};

use super::{Ledger, operations, resolve};

/// Name of the one error schema every non-2xx response is mapped to.
pub const KIBANA_ERROR_SCHEMA: &str = "KibanaError";

/// Maps every non-2xx response of every operation to one shared `KibanaError` schema (Kibana's Boom body
/// `{statusCode, error, message, attributes?}`).
///
/// Kibana's documents describe error bodies differently per operation (or not at all), and progenitor 0.15 panics
/// (`response_types.len() <= 1`) when one operation has differently-shaped error responses. Kibana itself answers
/// every error with the same Boom shape, so one schema is both what progenitor needs and what the server sends.
pub fn unify_error_responses(doc: &mut Value, ledger: &mut Ledger) {
    doc["components"]["schemas"][KIBANA_ERROR_SCHEMA] = json!({
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
    });
    let snapshot = doc.clone();
    for (path, method, id) in operations(&snapshot) {
        let Some(responses) = doc["paths"][&path][method]
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let mut changed = false;
        for (code, response) in responses.iter_mut() {
            if code.starts_with('2') {
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
        if changed {
            ledger.applied(&id, "unify_error_responses");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

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
        assert_eq!(ledger.applied["g"], ["unify_error_responses"]);
    }
}
