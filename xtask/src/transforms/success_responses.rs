use serde_json::{Value, json};

use super::{Ledger, operation_mut, operations};

/// Declares a success response (`2XX`, any JSON) for operations that declare none: no `responses` at all
/// (synthetics monitor update/delete, parameter and private location deletes), an empty `responses` (all of
/// streams), or only errors and `default`.
///
/// openapiv3 refuses an operation without `responses` (`missing field responses`); progenitor would type the
/// others' answers as raw bytes. Kibana answers these routes with JSON; an empty 2xx body reads as `null`.
pub fn declare_missing_success_responses(doc: &mut Value, ledger: &mut Ledger) {
    for op in operations(doc) {
        let Some(operation) = operation_mut(doc, &op.path, op.method) else {
            continue;
        };
        let has_success = operation
            .get("responses")
            .and_then(Value::as_object)
            .is_some_and(|r| r.keys().any(|code| code.starts_with('2')));
        if has_success {
            continue;
        }
        let responses = operation
            .entry("responses")
            .or_insert_with(|| Value::Object(Default::default()));
        if !responses.is_object() {
            *responses = Value::Object(Default::default());
        }
        responses["2XX"] = json!({
            "description": "Success (the document declares no success response; Kibana answers JSON).",
            "content": {"application/json": {"schema": {}}}
        });
        ledger.applied(&op.route, "declare_missing_success_responses");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn operations_without_a_success_response_get_one() {
        let mut doc = spec(json!({
            "/api/synthetics/params/{id}": {"delete": {}},
            "/api/streams": {"get": {"responses": {}}},
            "/api/errors_only": {"get": {"responses": {"default": {"description": "error"}}}},
            "/api/fine": {"get": {"responses": {"204": {"description": "done"}}}},
        }));
        let mut ledger = Ledger::default();
        declare_missing_success_responses(&mut doc, &mut ledger);
        for (path, method) in [
            ("/api/synthetics/params/{id}", "delete"),
            ("/api/streams", "get"),
            ("/api/errors_only", "get"),
        ] {
            assert_eq!(
                doc["paths"][path][method]["responses"]["2XX"]["content"]["application/json"]["schema"],
                json!({}),
                "{path}"
            );
        }
        assert!(doc["paths"]["/api/fine"]["get"]["responses"].get("2XX").is_none());
        assert_eq!(ledger.count("declare_missing_success_responses"), 3);
    }
}
