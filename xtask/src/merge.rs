//! Joins several OpenAPI documents into one, the way Kibana's own build joins per-plugin bundles.
//!
//! A path or a component defined by two documents is an error unless both definitions are identical: silently
//! keeping one of two different schemas would generate a type that is wrong for half of the operations.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde_json::{Map, Value};

use crate::source::SourceDocument;

/// The merged document and, for each operation id, the name of the document it came from.
pub struct Merged {
    pub document: Value,
    /// Which document each operation id came from.
    #[allow(dead_code)]
    pub origin: BTreeMap<String, String>,
}

pub const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

pub fn merge(documents: &[SourceDocument], title: &str, version: &str) -> Result<Merged> {
    let mut paths = Map::new();
    let mut path_owner: BTreeMap<String, String> = BTreeMap::new();
    let mut components: Map<String, Value> = Map::new();
    let mut component_owner: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut tags: Vec<Value> = Vec::new();
    let mut security: Option<Value> = None;
    let mut origin = BTreeMap::new();
    let mut openapi_version: Option<String> = None;

    for doc in documents {
        let name = &doc.pin.name;
        let value = &doc.value;
        let version = value["openapi"].as_str().unwrap_or_default().to_owned();
        if !version.starts_with("3.0.") {
            bail!("document `{name}` is OpenAPI {version:?}; only 3.0.x documents are supported");
        }
        openapi_version.get_or_insert(version);

        for (path, item) in value["paths"].as_object().into_iter().flatten() {
            if let Some(other) = path_owner.get(path) {
                bail!("path `{path}` is defined by both `{other}` and `{name}`");
            }
            path_owner.insert(path.clone(), name.clone());
            for method in HTTP_METHODS {
                if let Some(op_id) = item.get(method).and_then(|op| op["operationId"].as_str())
                    && let Some(other) = origin.insert(op_id.to_owned(), name.clone())
                {
                    bail!("operationId `{op_id}` is used by both `{other}` and `{name}`");
                }
            }
            paths.insert(path.clone(), item.clone());
        }

        for (kind, entries) in value["components"].as_object().into_iter().flatten() {
            let target = components
                .entry(kind.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let target = target.as_object_mut().expect("components kinds are objects");
            for (component, definition) in entries.as_object().into_iter().flatten() {
                let key = (kind.clone(), component.clone());
                match target.get(component) {
                    Some(existing) if existing == definition => {}
                    Some(_) => bail!(
                        "component `#/components/{kind}/{component}` is defined differently by `{}` and `{name}`",
                        component_owner[&key]
                    ),
                    None => {
                        component_owner.insert(key, name.clone());
                        target.insert(component.clone(), definition.clone());
                    }
                }
            }
        }

        for tag in value["tags"].as_array().into_iter().flatten() {
            if !tags.iter().any(|t| t["name"] == tag["name"]) {
                tags.push(tag.clone());
            }
        }
        if security.is_none() {
            security = value.get("security").cloned();
        }
    }

    let mut document = Map::new();
    document.insert(
        "openapi".into(),
        Value::String(openapi_version.unwrap_or_else(|| "3.0.3".into())),
    );
    document.insert(
        "info".into(),
        serde_json::json!({ "title": title, "version": version, "description": "Kibana REST API" }),
    );
    if let Some(security) = security {
        document.insert("security".into(), security);
    }
    document.insert("tags".into(), Value::Array(tags));
    document.insert("paths".into(), Value::Object(paths));
    document.insert("components".into(), Value::Object(components));
    Ok(Merged {
        document: Value::Object(document),
        origin,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::DocumentPin;

    fn doc(name: &str, value: Value) -> SourceDocument {
        SourceDocument {
            pin: DocumentPin {
                name: name.into(),
                file: format!("{name}.yaml"),
                repository: String::new(),
                source_path: String::new(),
                commit: String::new(),
                url: String::new(),
                sha256: String::new(),
            },
            value,
        }
    }

    fn spec(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    #[test]
    fn joins_paths_and_identical_components() {
        let a = doc(
            "a",
            spec(
                json!({"/a": {"get": {"operationId": "getA"}}}),
                json!({"E": {"type": "string"}}),
            ),
        );
        let b = doc(
            "b",
            spec(
                json!({"/b": {"get": {"operationId": "getB"}}}),
                json!({"E": {"type": "string"}}),
            ),
        );
        let merged = merge(&[a, b], "Kibana", "1").unwrap();
        assert_eq!(merged.document["paths"].as_object().unwrap().len(), 2);
        assert_eq!(merged.origin["getB"], "b");
    }

    #[test]
    fn path_clash_is_an_error() {
        let a = doc("a", spec(json!({"/a": {"get": {"operationId": "x"}}}), json!({})));
        let b = doc("b", spec(json!({"/a": {"get": {"operationId": "y"}}}), json!({})));
        let err = merge(&[a, b], "Kibana", "1").err().unwrap().to_string();
        assert!(
            err.contains("`/a`") && err.contains("`a`") && err.contains("`b`"),
            "{err}"
        );
    }

    #[test]
    fn differing_component_clash_is_an_error() {
        let a = doc("a", spec(json!({}), json!({"E": {"type": "string"}})));
        let b = doc("b", spec(json!({}), json!({"E": {"type": "integer"}})));
        let err = merge(&[a, b], "Kibana", "1").err().unwrap().to_string();
        assert!(err.contains("#/components/schemas/E"), "{err}");
    }

    #[test]
    fn operation_id_clash_is_an_error() {
        let a = doc("a", spec(json!({"/a": {"get": {"operationId": "x"}}}), json!({})));
        let b = doc("b", spec(json!({"/b": {"get": {"operationId": "x"}}}), json!({})));
        assert!(merge(&[a, b], "Kibana", "1").is_err());
    }
}
