use anyhow::{Result, bail};
use serde_json::{Map, Value};

use super::{Ledger, ROUTE_EXTENSION};
use crate::merge::HTTP_METHODS;

/// Makes sure every later step sees the document shapes it reads, so that no input can make the pipeline panic:
/// the document, `paths` and `components` are objects (missing ones are created; anything else is refused with an
/// error naming the part), and an operation that is not an object, or whose `parameters` is not a list, is left out
/// and reported rather than half-read.
pub fn drop_malformed_operations(doc: &mut Value, ledger: &mut Ledger) -> Result<()> {
    let Some(root) = doc.as_object_mut() else {
        bail!("the document is not a mapping at its top level");
    };
    let paths = root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    if paths.is_null() {
        *paths = Value::Object(Map::new());
    }
    let Some(paths) = paths.as_object_mut() else {
        bail!("`paths` is not a mapping");
    };
    let mut malformed_items = Vec::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            malformed_items.push(path.clone());
            continue;
        };
        let shared_parameters_ok = item.get("parameters").is_none_or(Value::is_array);
        for method in HTTP_METHODS {
            let Some(op) = item.get(method) else { continue };
            let route = op[ROUTE_EXTENSION]
                .as_str()
                .map_or_else(|| format!("{} {path}", method.to_uppercase()), str::to_owned);
            let problem = if !op.is_object() {
                Some("the operation is not a mapping")
            } else if !shared_parameters_ok || !op.get("parameters").is_none_or(Value::is_array) {
                Some("its `parameters` is not a list")
            } else if !op.get("responses").is_none_or(|r| r.is_object() || r.is_null()) {
                Some("its `responses` is not a mapping")
            } else if !op.get("requestBody").is_none_or(Value::is_object) {
                Some("its `requestBody` is not a mapping")
            } else {
                None
            };
            if let Some(problem) = problem {
                ledger.exclude(&route, format!("malformed in the document: {problem}"));
                item.shift_remove(method);
            }
        }
    }
    for path in malformed_items {
        paths.shift_remove(&path);
        ledger.notes.push(format!(
            "path `{path}` is not a mapping in the document and was left out"
        ));
    }

    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    if components.is_null() {
        *components = Value::Object(Map::new());
    }
    let Some(components) = components.as_object_mut() else {
        bail!("`components` is not a mapping");
    };
    components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
    for (kind, entries) in components.iter_mut() {
        if entries.is_null() {
            *entries = Value::Object(Map::new());
        }
        if !entries.is_object() {
            bail!("`components.{kind}` is not a mapping");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn malformed_operations_are_reported_not_read() {
        let mut doc = json!({"openapi": "3.0.3", "paths": {
            "/a": {"get": "not an operation", "post": {"parameters": {"oops": 1}}, "put": {"responses": {}}},
            "/b": 7,
        }});
        let mut ledger = Ledger::default();
        drop_malformed_operations(&mut doc, &mut ledger).unwrap();
        assert!(ledger.excluded["GET /a"].contains("not a mapping"));
        assert!(ledger.excluded["POST /a"].contains("parameters"));
        assert!(doc["paths"]["/a"].get("put").is_some());
        assert!(doc["paths"].get("/b").is_none());
        assert!(doc["components"]["schemas"].is_object(), "created for later steps");
    }

    #[test]
    fn a_document_of_the_wrong_shape_is_an_error() {
        for doc in [
            json!([]),
            json!({"paths": []}),
            json!({"components": "x"}),
            json!({"components": {"schemas": 1}}),
        ] {
            let mut doc = doc;
            assert!(
                drop_malformed_operations(&mut doc, &mut Ledger::default()).is_err(),
                "{doc}"
            );
        }
    }
}
