use serde_json::Value;

use super::{Ledger, operations, resolve};
use crate::merge::HTTP_METHODS;

/// Removes header parameters that the client sets itself (`kbn-xsrf`, `elastic-api-version`).
///
/// Kibana's documents declare `kbn-xsrf` as a required parameter of every write; generated methods would make
/// every caller pass a value the transport adds anyway.
pub fn drop_managed_header_parameters(doc: &mut Value, headers: &[String], ledger: &mut Ledger) {
    let is_managed = |doc: &Value, p: &Value| {
        let p = resolve(doc, p);
        p["in"] == "header"
            && p["name"]
                .as_str()
                .is_some_and(|name| headers.iter().any(|h| h.eq_ignore_ascii_case(name)))
    };
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let item = &snapshot["paths"][&op.path];
        let declared = [&item["parameters"], &item[op.method]["parameters"]];
        if declared
            .iter()
            .flat_map(|p| p.as_array().into_iter().flatten())
            .any(|p| is_managed(&snapshot, p))
        {
            ledger.applied(&op.route, "drop_managed_header_parameters");
        }
    }
    for (_, item) in doc["paths"].as_object_mut().into_iter().flatten() {
        let Some(item) = item.as_object_mut() else { continue };
        retain_unmanaged(item, &snapshot, &is_managed);
        for method in HTTP_METHODS {
            if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
                retain_unmanaged(op, &snapshot, &is_managed);
            }
        }
    }
}

fn retain_unmanaged(
    object: &mut serde_json::Map<String, Value>,
    doc: &Value,
    is_managed: &impl Fn(&Value, &Value) -> bool,
) {
    if let Some(params) = object.get_mut("parameters").and_then(Value::as_array_mut) {
        params.retain(|p| !is_managed(doc, p));
        if params.is_empty() {
            object.shift_remove("parameters");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn removes_inline_and_referenced_managed_headers() {
        let mut doc = spec(json!({
            "/api/x": {
                "parameters": [{"$ref": "#/components/parameters/kbn_xsrf"}],
                "post": {"operationId": "postX", "parameters": [
                    {"in": "header", "name": "Elastic-Api-Version", "schema": {"type": "string"}},
                    {"in": "query", "name": "keep", "schema": {"type": "string"}}]},
                "get": {"operationId": "getX"},
            },
        }));
        doc["components"]["parameters"]["kbn_xsrf"] =
            json!({"in": "header", "name": "kbn-xsrf", "required": true, "schema": {"type": "string"}});
        let mut ledger = Ledger::default();
        drop_managed_header_parameters(
            &mut doc,
            &["kbn-xsrf".into(), "elastic-api-version".into()],
            &mut ledger,
        );

        assert!(doc["paths"]["/api/x"].get("parameters").is_none());
        let params = doc["paths"]["/api/x"]["post"]["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 1);
        assert_eq!(params[0]["name"], "keep");
        assert_eq!(ledger.applied["POST /api/x"], ["drop_managed_header_parameters"]);
        assert_eq!(ledger.applied["GET /api/x"], ["drop_managed_header_parameters"]);
    }

    #[test]
    fn header_with_other_name_is_kept() {
        let mut doc = spec(json!({"/api/x": {"get": {"operationId": "g", "parameters": [
            {"in": "header", "name": "x-custom", "schema": {"type": "string"}}]}}}));
        let mut ledger = Ledger::default();
        drop_managed_header_parameters(&mut doc, &["kbn-xsrf".into()], &mut ledger);
        assert_eq!(doc["paths"]["/api/x"]["get"]["parameters"].as_array().unwrap().len(), 1);
        assert!(ledger.applied.is_empty());
    }
}
