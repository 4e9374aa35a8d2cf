use serde_json::{Map, Value};

use super::{Ledger, operation_mut, operations};

/// Cuts versioned media types (`application/json; Elastic-Api-Version=2023-10-31`) to their plain type.
///
/// Kibana's own `kibana.yaml` writes every versioned route's bodies this way; progenitor only recognises a
/// request body of exactly `application/json` and would refuse the operation (the Terraform provider's copy already
/// has them cut). When one body lists several versions, the one matching the pinned `elastic-api-version` wins (else
/// the first), which is the one the client sends in its `elastic-api-version` header.
pub fn normalize_versioned_media_types(doc: &mut Value, api_version: &str, ledger: &mut Ledger) {
    for op in operations(doc) {
        let Some(operation) = operation_mut(doc, &op.path, op.method) else {
            continue;
        };
        let mut changed = false;
        if let Some(content) = operation
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut)
        {
            changed |= normalize(content, api_version);
        }
        for (_, response) in operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                changed |= normalize(content, api_version);
            }
        }
        if changed {
            ledger.applied(&op.route, "normalize_versioned_media_types");
        }
    }
    // Shared responses and request bodies carry content maps of their own.
    for kind in ["responses", "requestBodies"] {
        for (_, shared) in doc["components"]
            .get_mut(kind)
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            if let Some(content) = shared.get_mut("content").and_then(Value::as_object_mut) {
                normalize(content, api_version);
            }
        }
    }
}

/// The media type without parameters, and its `Elastic-Api-Version` when it has one.
fn split(media_type: &str) -> (String, Option<String>) {
    let mut parts = media_type.split(';');
    let base = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let version = parts.find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("elastic-api-version")
            .then(|| value.trim().trim_matches('"').to_owned())
    });
    (base, version)
}

fn normalize(content: &mut Map<String, Value>, api_version: &str) -> bool {
    if !content.keys().any(|k| k.contains(';')) {
        return false;
    }
    let mut out: Map<String, Value> = Map::new();
    let mut chosen_version: Map<String, Value> = Map::new();
    for (key, media) in std::mem::take(content) {
        let (base, version) = split(&key);
        let preferred = version.as_deref() == Some(api_version);
        match out.get(&base) {
            None => {
                chosen_version.insert(base.clone(), Value::Bool(preferred));
                out.insert(base, media);
            }
            Some(_) if preferred && chosen_version.get(&base) != Some(&Value::Bool(true)) => {
                chosen_version.insert(base.clone(), Value::Bool(true));
                out.insert(base, media);
            }
            Some(_) => {}
        }
    }
    *content = out;
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn versioned_media_types_become_plain_and_the_pinned_version_wins() {
        let mut doc = spec(json!({"/api/x": {"post": {"operationId": "x",
            "requestBody": {"content": {
                "application/json; Elastic-Api-Version=2023-01-01": {"schema": {"type": "integer"}},
                "application/json; Elastic-Api-Version=2023-10-31": {"schema": {"type": "string"}}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/json; Elastic-Api-Version=2023-10-31": {"schema": {"type": "object"}}}}}}}}));
        let mut ledger = Ledger::default();
        normalize_versioned_media_types(&mut doc, "2023-10-31", &mut ledger);
        let op = &doc["paths"]["/api/x"]["post"];
        let request: Vec<_> = op["requestBody"]["content"].as_object().unwrap().keys().collect();
        assert_eq!(request, ["application/json"]);
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"]["type"],
            "string"
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["type"],
            "object"
        );
        assert_eq!(ledger.applied["POST /api/x"], ["normalize_versioned_media_types"]);
    }

    #[test]
    fn plain_media_types_are_left_alone() {
        let mut doc = spec(json!({"/api/x": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": "object"}}}}}}}}));
        let before = doc.clone();
        let mut ledger = Ledger::default();
        normalize_versioned_media_types(&mut doc, "2023-10-31", &mut ledger);
        assert_eq!(doc, before);
        assert!(ledger.applied.is_empty());
    }
}
