//! Joins several OpenAPI documents into one: Kibana's combined document and plugin documents beside it (dashboards,
//! workflows, SLOs), the way Kibana's own build joins per-plugin bundles.
//!
//! - A component two documents define alike, or alike up to their descriptive text (`description`, `summary`,
//!   `title`, examples), is kept once.
//! - A component two documents define differently is kept twice: the later document's definition is renamed
//!   (`name_<document>`) and that document's references follow it, so every operation keeps the schema its own
//!   document gives it. Both definitions are reported.
//! - An operation two documents define is taken from the later one (the pin lists a plugin document after the
//!   combined one to get its newer definition), and reported unless the two are alike.
//!
//! Every operation is stamped with the document it came from, and with that document's default API version when
//! its pin gives one.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde_json::{Map, Value};

use crate::source::SourceDocument;

/// The merged document and what the merge had to decide.
pub struct Merged {
    pub document: Value,
    /// Which document each operation (`METHOD /path`) came from.
    #[allow(dead_code)]
    pub origin: BTreeMap<String, String>,
    /// Components unified or renamed, operations overridden.
    pub notes: Vec<String>,
}

pub const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The extension naming the document an operation came from.
pub const DOCUMENT_EXTENSION: &str = "x-kibana-document";
/// The extension holding the API version of the operation's document, for routes that declare none themselves.
pub const DOCUMENT_API_VERSION_EXTENSION: &str = "x-kibana-document-api-version";

pub fn merge(documents: &[SourceDocument], title: &str, version: &str) -> Result<Merged> {
    let mut paths = Map::new();
    let mut components: Map<String, Value> = Map::new();
    let mut component_owner: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut tags: Vec<Value> = Vec::new();
    let mut security: Option<Value> = None;
    let mut origin: BTreeMap<String, String> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut openapi_version: Option<String> = None;

    for doc in documents {
        let name = &doc.pin.name;
        let mut value = doc.value.clone();
        let version = value["openapi"].as_str().unwrap_or_default().to_owned();
        if !version.starts_with("3.0.") {
            bail!("document `{name}` is OpenAPI {version:?}; only 3.0.x documents are supported");
        }
        openapi_version.get_or_insert(version);

        // Components first: a conflict renames this document's definition, and its references with it.
        let mut renames: Vec<(String, String)> = Vec::new();
        for (kind, entries) in value["components"].as_object().into_iter().flatten() {
            for (component, definition) in entries.as_object().into_iter().flatten() {
                let Some(existing) = components.get(kind).and_then(|k| k.get(component)) else {
                    continue;
                };
                let owner = &component_owner[&(kind.clone(), component.clone())];
                if existing == definition {
                    continue;
                }
                if descriptive_free(existing) == descriptive_free(definition) {
                    notes.push(format!(
                        "`#/components/{kind}/{component}`: `{owner}` and `{name}` differ only in descriptive text; \
                         `{owner}`'s is kept"
                    ));
                    continue;
                }
                if kind == "securitySchemes" {
                    notes.push(format!(
                        "`#/components/securitySchemes/{component}` differs between `{owner}` and `{name}`; `{owner}`'s \
                         is kept (the client authenticates by its own settings): {} vs {}",
                        short(existing),
                        short(definition)
                    ));
                    continue;
                }
                let mut renamed = format!("{component}_{name}");
                let mut n = 2;
                while components.get(kind).is_some_and(|k| k.get(&renamed).is_some())
                    || entries.as_object().is_some_and(|e| e.contains_key(&renamed))
                {
                    renamed = format!("{component}_{name}_{n}");
                    n += 1;
                }
                notes.push(format!(
                    "`#/components/{kind}/{component}` is defined differently by `{owner}` and `{name}`; `{name}`'s \
                     is `{renamed}` for its own operations. `{owner}`: {} — `{name}`: {}",
                    short(existing),
                    short(definition)
                ));
                renames.push((
                    format!("#/components/{kind}/{}", crate::transforms::pointer_escape(component)),
                    format!("#/components/{kind}/{}", crate::transforms::pointer_escape(&renamed)),
                ));
                renames.push((format!("{kind}\u{0}{component}"), renamed));
            }
        }
        let (references, keys): (Vec<_>, Vec<_>) = renames.into_iter().partition(|(from, _)| from.starts_with('#'));
        for (key, renamed) in keys {
            let (kind, component) = key.split_once('\u{0}').unwrap_or_default();
            if let Some(entries) = value["components"].get_mut(kind).and_then(Value::as_object_mut)
                && let Some(definition) = entries.shift_remove(component)
            {
                entries.insert(renamed, definition);
            }
        }
        if !references.is_empty() {
            rewrite_refs(&mut value, &references);
        }

        for (kind, entries) in value["components"].as_object().into_iter().flatten() {
            let target = components
                .entry(kind.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(target) = target.as_object_mut() else { continue };
            for (component, definition) in entries.as_object().into_iter().flatten() {
                if !target.contains_key(component) {
                    component_owner.insert((kind.clone(), component.clone()), name.clone());
                    target.insert(component.clone(), definition.clone());
                }
            }
        }

        for (path, item) in value["paths"].as_object().into_iter().flatten() {
            let Some(item) = item.as_object() else {
                paths.insert(path.clone(), item.clone());
                continue;
            };
            let target = paths.entry(path.clone()).or_insert_with(|| Value::Object(Map::new()));
            let Some(target) = target.as_object_mut() else { continue };
            for (key, entry) in item {
                let mut entry = entry.clone();
                if HTTP_METHODS.contains(&key.as_str())
                    && let Some(op) = entry.as_object_mut()
                {
                    op.insert(DOCUMENT_EXTENSION.into(), Value::String(name.clone()));
                    if let Some(api_version) = &doc.pin.api_version {
                        op.insert(
                            DOCUMENT_API_VERSION_EXTENSION.into(),
                            Value::String(api_version.clone()),
                        );
                    }
                    let route = format!("{} {path}", key.to_uppercase());
                    if let Some(previous) = origin.insert(route.clone(), name.clone())
                        && let Some(existing) = target.get(key)
                        && descriptive_free(&without_stamps(existing)) != descriptive_free(&without_stamps(&entry))
                    {
                        notes.push(format!(
                            "`{route}` is defined by `{previous}` and by `{name}`; `{name}`'s (listed later in the pin) \
                             is generated"
                        ));
                    }
                }
                if key == "parameters" && target.contains_key("parameters") && target.get(key) != Some(&entry) {
                    notes.push(format!(
                        "`{path}`: the path-level parameters of `{name}` replace the earlier ones"
                    ));
                }
                target.insert(key.clone(), entry);
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
        notes,
    })
}

/// A definition without what only documents it: descriptions, summaries, titles, examples.
fn descriptive_free(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| {
                    !matches!(
                        key.as_str(),
                        "description" | "summary" | "title" | "example" | "examples" | "externalDocs"
                    )
                })
                .map(|(key, child)| (key.clone(), descriptive_free(child)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(descriptive_free).collect()),
        other => other.clone(),
    }
}

fn without_stamps(operation: &Value) -> Value {
    let mut operation = operation.clone();
    if let Some(map) = operation.as_object_mut() {
        map.shift_remove(DOCUMENT_EXTENSION);
        map.shift_remove(DOCUMENT_API_VERSION_EXTENSION);
    }
    operation
}

/// Rewrites every `$ref` equal to a `from` of `renames`.
fn rewrite_refs(value: &mut Value, renames: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(reference) = child
                    && let Some((_, to)) = renames.iter().find(|(from, _)| from == reference)
                {
                    *reference = to.clone();
                } else {
                    rewrite_refs(child, renames);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, renames)),
        _ => {}
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("`{}…`", &text[..cut]),
        None => format!("`{text}`"),
    }
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
                api_version: None,
                path: None,
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
        assert_eq!(merged.origin["GET /b"], "b");
    }

    #[test]
    fn a_later_document_overrides_an_operation_and_says_so() {
        let a = doc(
            "a",
            spec(
                json!({"/a": {"get": {"operationId": "x", "summary": "old"}}}),
                json!({}),
            ),
        );
        let b = doc(
            "b",
            spec(json!({"/a": {"get": {"operationId": "y"}, "post": {}}}), json!({})),
        );
        let merged = merge(&[a, b], "Kibana", "1").unwrap();
        let item = &merged.document["paths"]["/a"];
        assert_eq!(item["get"]["operationId"], "y");
        assert_eq!(item["get"][DOCUMENT_EXTENSION], "b");
        assert!(item.get("post").is_some());
        assert!(
            merged.notes[0].contains("`GET /a` is defined by `a` and by `b`"),
            "{:?}",
            merged.notes
        );
    }

    #[test]
    fn components_alike_but_for_descriptions_are_kept_once() {
        let scheme =
            |text: &str| json!({"type": "apiKey", "in": "header", "name": "Authorization", "description": text});
        let mut a = spec(json!({}), json!({"E": {"type": "string", "description": "one"}}));
        a["components"]["securitySchemes"] = json!({"apiKeyAuth": scheme("Kibana's")});
        let mut b = spec(json!({}), json!({"E": {"type": "string", "description": "two"}}));
        b["components"]["securitySchemes"] = json!({"apiKeyAuth": scheme("the workflows'")});
        let merged = merge(&[doc("kibana", a), doc("workflows", b)], "Kibana", "1").unwrap();
        assert_eq!(merged.document["components"]["schemas"]["E"]["description"], "one");
        assert_eq!(merged.notes.len(), 2, "{:?}", merged.notes);
        assert!(
            merged
                .notes
                .iter()
                .all(|n| n.contains("differ only in descriptive text"))
        );
    }

    #[test]
    fn a_real_component_conflict_keeps_both_and_reports_both_definitions() {
        let a = doc(
            "a",
            spec(
                json!({"/a": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/E"}}}}}}}}),
                json!({"E": {"type": "string"}}),
            ),
        );
        let b = doc(
            "b",
            spec(
                json!({"/b": {"get": {"responses": {"200": {"description": "", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/E"}}}}}}}}),
                json!({"E": {"type": "integer"}}),
            ),
        );
        let merged = merge(&[a, b], "Kibana", "1").unwrap();
        let schemas = &merged.document["components"]["schemas"];
        assert_eq!(schemas["E"]["type"], "string");
        assert_eq!(schemas["E_b"]["type"], "integer");
        let answer = |path: &str| {
            merged.document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                .clone()
        };
        assert_eq!(answer("/a"), "#/components/schemas/E");
        assert_eq!(answer("/b"), "#/components/schemas/E_b");
        assert!(merged.notes[0].contains(r#"{"type":"string"}"#) && merged.notes[0].contains(r#"{"type":"integer"}"#));
    }

    #[test]
    fn a_document_default_api_version_is_stamped_on_its_operations() {
        let mut a = doc("kibana", spec(json!({"/a": {"get": {}}}), json!({})));
        a.pin.api_version = Some("2023-10-31".into());
        let b = doc("dashboards", spec(json!({"/b": {"get": {}}}), json!({})));
        let merged = merge(&[a, b], "Kibana", "1").unwrap();
        assert_eq!(
            merged.document["paths"]["/a"]["get"][DOCUMENT_API_VERSION_EXTENSION],
            "2023-10-31"
        );
        assert!(
            merged.document["paths"]["/b"]["get"]
                .get(DOCUMENT_API_VERSION_EXTENSION)
                .is_none()
        );
    }
}
