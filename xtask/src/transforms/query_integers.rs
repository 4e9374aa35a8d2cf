use serde_json::Value;

use super::{Ledger, operations};

/// Types as `integer` the query parameters `[query] integers` names (pages, sizes, counts) where the document says
/// `number`, so that the generated argument is an integer and the query says `page=2`, not `page=2.0`.
///
/// Kibana's routes declare them with `schema.number()`, which the document exports as `number`; a page or a size
/// is a whole number, and an `f64` argument invites `Some(10.5)`.
pub fn type_integer_query_parameters(doc: &mut Value, names: &[String], ledger: &mut Ledger) {
    if names.is_empty() {
        return;
    }
    let matches = |parameter: &Value| {
        parameter["in"] == "query" && parameter["name"].as_str().is_some_and(|n| names.iter().any(|w| w == n))
    };
    for op in operations(doc) {
        let mut changed = false;
        for pointer in [
            format!("/paths/{}/parameters", super::pointer_escape(&op.path)),
            format!("/paths/{}/{}/parameters", super::pointer_escape(&op.path), op.method),
        ] {
            for parameter in doc
                .pointer_mut(&pointer)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if matches(parameter) {
                    changed |= integer(&mut parameter["schema"]);
                }
            }
        }
        if changed {
            ledger.applied(&op.route, "type_integer_query_parameters");
        }
    }
    for (_, parameter) in doc["components"]
        .get_mut("parameters")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        if matches(parameter) {
            integer(&mut parameter["schema"]);
        }
    }
}

fn integer(schema: &mut Value) -> bool {
    let Some(map) = schema.as_object_mut() else {
        return false;
    };
    if map.get("type").and_then(Value::as_str) != Some("number") {
        return false;
    }
    map.insert("type".into(), Value::String("integer".into()));
    map.shift_remove("format");
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn named_number_parameters_become_integers() {
        let mut doc = spec(json!({"/api/x": {"get": {"operationId": "get_x", "parameters": [
            {"in": "query", "name": "perPage", "schema": {"type": "number", "format": "double", "default": 20}},
            {"in": "query", "name": "ratio", "schema": {"type": "number"}},
            {"$ref": "#/components/parameters/Page"}]}}}));
        doc["components"]["parameters"]["Page"] = json!({"in": "query", "name": "page", "schema": {"type": "number"}});
        let mut ledger = Ledger::default();
        type_integer_query_parameters(&mut doc, &["page".into(), "perPage".into()], &mut ledger);
        let parameters = &doc["paths"]["/api/x"]["get"]["parameters"];
        assert_eq!(parameters[0]["schema"], json!({"type": "integer", "default": 20}));
        assert_eq!(parameters[1]["schema"]["type"], "number");
        assert_eq!(doc["components"]["parameters"]["Page"]["schema"]["type"], "integer");
        assert_eq!(ledger.count("type_integer_query_parameters"), 1);
    }
}
