use serde_json::Value;

use super::{Ledger, operations};

/// Gives every response a `description` (empty) where the document has none, in operations and in
/// `components/responses`.
///
/// OpenAPI 3.0 requires it and openapiv3 refuses the whole document without it (`missing field description`);
/// Kibana's own files leave it out on many answers (the 9.4 dashboards document on 4 of its 5 operations).
pub fn fill_response_descriptions(doc: &mut Value, ledger: &mut Ledger) {
    for op in operations(doc) {
        let Some(responses) = super::operation_mut(doc, &op.path, op.method)
            .and_then(|o| o.get_mut("responses"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if describe_all(responses) > 0 {
            ledger.applied(&op.route, "fill_response_descriptions");
        }
    }
    if let Some(responses) = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("responses"))
        .and_then(Value::as_object_mut)
    {
        let filled = describe_all(responses);
        if filled > 0 {
            ledger
                .notes
                .push(format!("{filled} shared responses had no description (now empty)"));
        }
    }
}

fn describe_all(responses: &mut serde_json::Map<String, Value>) -> usize {
    let mut filled = 0;
    for response in responses.values_mut() {
        if let Some(response) = response.as_object_mut()
            && !response.contains_key("$ref")
            && !response.get("description").is_some_and(Value::is_string)
        {
            response.insert("description".into(), Value::String(String::new()));
            filled += 1;
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn responses_without_a_description_get_an_empty_one() {
        let mut doc = spec(
            json!({"/api/dashboards": {"get": {"operationId": "get_dashboards", "responses": {
            "200": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"description": "bad"},
            "404": {"$ref": "#/components/responses/NotFound"}}}}}),
        );
        doc["components"]["responses"] = json!({"NotFound": {"content": {}}});
        let mut ledger = Ledger::default();
        fill_response_descriptions(&mut doc, &mut ledger);
        let responses = &doc["paths"]["/api/dashboards"]["get"]["responses"];
        assert_eq!(responses["200"]["description"], "");
        assert_eq!(responses["400"]["description"], "bad");
        assert!(responses["404"].get("description").is_none());
        assert_eq!(doc["components"]["responses"]["NotFound"]["description"], "");
        assert_eq!(ledger.count("fill_response_descriptions"), 1);
        serde_json::from_value::<openapiv3::OpenAPI>(doc).expect("openapiv3 reads it now");
    }
}
