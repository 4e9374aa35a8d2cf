use std::collections::BTreeMap;

use serde_json::Value;

use super::{Ledger, operation_mut, operations, resolve};

/// The extension holding the API version an operation's route declares (its `elastic-api-version`).
pub const API_VERSION_EXTENSION: &str = "x-kibana-api-version";

/// Records, per operation, the API version its route declares, before the media types are cut and the managed
/// headers dropped: the `Elastic-Api-Version` of its versioned media types (`application/json;
/// Elastic-Api-Version=1`; of several, the pinned `api_version`, else the first), else the one value of its
/// `elastic-api-version` header parameter (`enum: ['1']`, or its `default`), else its document's version as the pin
/// gives it (`api_version` of a `[[document]]`).
///
/// Kibana routes are versioned one by one: most public ones are `2023-10-31`, the dashboards API is `1`, and a
/// version the route does not have is refused with a 400. The client sends each operation's own version; an
/// operation that declares none is sent without the header, and Kibana answers with the route's default version.
pub fn record_api_versions(doc: &mut Value, pinned: &str, ledger: &mut Ledger) {
    let mut by_version: BTreeMap<String, usize> = BTreeMap::new();
    let mut undeclared = 0;
    for op in operations(doc) {
        let declared = {
            let operation = &doc["paths"][&op.path][op.method];
            let item = &doc["paths"][&op.path];
            media_type_version(doc, operation, pinned)
                .or_else(|| header_version(doc, item, operation))
                .or_else(|| {
                    operation[crate::merge::DOCUMENT_API_VERSION_EXTENSION]
                        .as_str()
                        .map(str::to_owned)
                })
        };
        match declared {
            Some(version) => {
                *by_version.entry(version.clone()).or_default() += 1;
                if let Some(operation) = operation_mut(doc, &op.path, op.method) {
                    operation.insert(API_VERSION_EXTENSION.into(), Value::String(version));
                }
            }
            None => undeclared += 1,
        }
    }
    let versions = by_version
        .iter()
        .map(|(version, n)| format!("`{version}` {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    ledger.notes.push(format!(
        "API versions the routes declare: {}; {undeclared} declare none (sent without `elastic-api-version`, so \
         Kibana uses the route's default)",
        if versions.is_empty() {
            "none".to_owned()
        } else {
            versions
        }
    ));
}

/// The `Elastic-Api-Version` parameter of the operation's request and answer media types.
fn media_type_version(doc: &Value, operation: &Value, pinned: &str) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    let body = resolve(doc, &operation["requestBody"]);
    let mut contents = vec![&body["content"]];
    for response in operation["responses"].as_object().into_iter().flatten().map(|(_, r)| r) {
        contents.push(&resolve(doc, response)["content"]);
    }
    for content in contents {
        for media_type in content.as_object().into_iter().flatten().map(|(k, _)| k) {
            if let Some(version) = version_parameter(media_type) {
                found.push(version);
            }
        }
    }
    found.iter().find(|v| *v == pinned).or_else(|| found.first()).cloned()
}

fn version_parameter(media_type: &str) -> Option<String> {
    media_type.split(';').skip(1).find_map(|parameter| {
        let (key, value) = parameter.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("elastic-api-version")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|v| !v.is_empty())
    })
}

/// The one value of an `elastic-api-version` header parameter (operation's, else the path's).
fn header_version(doc: &Value, item: &Value, operation: &Value) -> Option<String> {
    [&operation["parameters"], &item["parameters"]]
        .into_iter()
        .flat_map(|list| list.as_array().into_iter().flatten())
        .map(|parameter| resolve(doc, parameter))
        .find(|p| {
            p["in"] == "header"
                && p["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case("elastic-api-version"))
        })
        .and_then(|parameter| {
            let schema = resolve(doc, &parameter["schema"]);
            match schema["enum"].as_array().map(Vec::as_slice) {
                Some([Value::String(only)]) => Some(only.clone()),
                _ => schema["default"].as_str().map(str::to_owned),
            }
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn each_route_keeps_the_version_it_declares() {
        let mut doc = spec(json!({
            "/api/dashboards": {
                "post": {"requestBody": {"content": {"application/json; Elastic-Api-Version=1": {"schema": {}}}},
                    "responses": {"200": {"description": ""}}},
                "get": {"parameters": [{"in": "header", "name": "elastic-api-version", "schema": {"type": "string",
                    "enum": ["1"], "default": "1"}}], "responses": {"200": {"description": ""}}}},
            "/api/apm/x": {"get": {"parameters": [{"$ref": "#/components/parameters/Version"}],
                "responses": {"200": {"description": ""}}}},
            "/api/both": {"get": {"responses": {"200": {"description": "", "content": {
                "application/json; Elastic-Api-Version=2023-10-31": {}, "application/json; Elastic-Api-Version=2": {}}}}}},
            "/api/plain": {"get": {"responses": {"200": {"description": ""}}}},
        }));
        doc["components"]["parameters"]["Version"] = json!({"in": "header", "name": "elastic-api-version",
            "schema": {"type": "string", "default": "2023-10-31", "enum": ["2023-10-31"]}});
        let mut ledger = Ledger::default();
        record_api_versions(&mut doc, "2023-10-31", &mut ledger);
        let version = |path: &str, method: &str| doc["paths"][path][method][API_VERSION_EXTENSION].clone();
        assert_eq!(version("/api/dashboards", "post"), "1");
        assert_eq!(version("/api/dashboards", "get"), "1");
        assert_eq!(version("/api/apm/x", "get"), "2023-10-31");
        assert_eq!(version("/api/both", "get"), "2023-10-31", "the pinned one wins");
        assert_eq!(version("/api/plain", "get"), Value::Null);
        assert!(
            ledger.notes[0].contains("`1` 2, `2023-10-31` 2; 1 declare none"),
            "{:?}",
            ledger.notes
        );
    }
}
