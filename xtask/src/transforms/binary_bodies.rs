use serde_json::{Map, Value, json};

use super::{Ledger, operation_mut, operations, resolve, resolve_deep};

/// The extension recording the media type a raw request body really has (the generated method sends
/// `application/octet-stream`; the `kibana` transport sends this one instead).
pub const CONTENT_TYPE_EXTENSION: &str = "x-kibana-content-type";

/// Media types progenitor generates request bodies for as they are.
const GENERATED_REQUEST_TYPES: [&str; 4] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/x-markdown",
];

/// Makes request bodies of other media types (`application/gzip`, `application/zip`, NDJSON uploads) raw bytes: the
/// generated method takes any `Into<reqwest::Body>`, and the operation records its real media type in
/// `x-kibana-content-type` for the transport to send. A body offering JSON and other media types keeps only JSON.
///
/// progenitor refuses any other request media type (`unexpected content type: application/gzip`: the Fleet
/// package upload) and any body with more than one media type. `multipart/form-data` is left to
/// `multipart_request_bodies`.
pub fn raw_request_bodies(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let body = resolve(&snapshot, &snapshot["paths"][&op.path][op.method]["requestBody"]);
        let Some(content) = body["content"].as_object() else {
            continue;
        };
        let keys: Vec<&String> = content.keys().collect();
        if keys.is_empty() || keys.iter().any(|k| k.as_str() == "multipart/form-data") {
            continue;
        }
        let generated: Vec<&&String> = keys
            .iter()
            .filter(|k| GENERATED_REQUEST_TYPES.contains(&k.as_str()))
            .collect();
        let mut new_body = body.clone();
        if let Some(json) = keys.iter().find(|k| k.as_str() == "application/json") {
            if keys.len() == 1 {
                continue;
            }
            let media = content[json.as_str()].clone();
            new_body["content"] = Value::Object(Map::from_iter([("application/json".to_owned(), media)]));
        } else if generated.len() == 1 && keys.len() == 1 {
            continue;
        } else {
            let real = keys[0].clone();
            new_body["content"] =
                json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}});
            if let Some(operation) = operation_mut(doc, &op.path, op.method) {
                operation.insert(CONTENT_TYPE_EXTENSION.into(), Value::String(real));
            }
        }
        if let Some(operation) = operation_mut(doc, &op.path, op.method) {
            operation.insert("requestBody".into(), new_body);
            ledger.applied(&op.route, "raw_request_bodies");
        }
    }
}

/// Media types of raw bytes, which a JSON schema cannot describe.
fn is_binary(media_type: &str) -> bool {
    matches!(
        media_type,
        "application/gzip" | "application/zip" | "application/octet-stream" | "application/x-gzip"
    )
}

/// Relabels as `application/json` a response declared as raw bytes (`application/gzip`...) whose schema is a JSON
/// object: the Fleet package upload copies its request's media type onto its JSON answer.
pub fn relabel_json_responses(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let Some(operation) = operation_mut(doc, &op.path, op.method) else {
            continue;
        };
        let mut changed = false;
        for (_, response) in operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            let resolved = resolve(&snapshot, response);
            let Some(content) = resolved["content"].as_object() else {
                continue;
            };
            if content.len() != 1 {
                continue;
            }
            let Some((media_type, media)) = content.iter().next() else {
                continue;
            };
            let schema = resolve_deep(&snapshot, &media["schema"]);
            let is_object = schema["type"] == "object" || schema.get("properties").is_some();
            if is_binary(media_type) && is_object {
                let mut copy = resolved.clone();
                copy["content"] = Value::Object(Map::from_iter([("application/json".to_owned(), media.clone())]));
                *response = copy;
                changed = true;
            }
        }
        if changed {
            ledger.applied(&op.route, "relabel_json_responses");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn other_request_media_types_become_raw_bytes() {
        let mut doc = spec(json!({
            "/api/fleet/epm/packages": {"post": {"requestBody": {"content": {
                "application/gzip": {"schema": {"type": "string", "format": "binary"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/gzip": {"schema": {
                    "type": "object", "properties": {"items": {"type": "array"}}}}}}}}},
            "/api/both": {"post": {"requestBody": {"content": {
                "application/json": {"schema": {"type": "object"}},
                "text/plain": {"schema": {"type": "string"}}}}}},
            "/api/text": {"post": {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}}},
            "/api/export": {"post": {"responses": {"200": {"description": "ok", "content": {
                "application/ndjson": {"schema": {"type": "string"}}}}}}},
        }));
        let mut ledger = Ledger::default();
        raw_request_bodies(&mut doc, &mut ledger);
        relabel_json_responses(&mut doc, &mut ledger);
        let upload = &doc["paths"]["/api/fleet/epm/packages"]["post"];
        assert_eq!(
            upload["requestBody"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(upload[CONTENT_TYPE_EXTENSION], "application/gzip");
        assert!(upload["responses"]["200"]["content"]["application/json"].is_object());
        let both: Vec<_> = doc["paths"]["/api/both"]["post"]["requestBody"]["content"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(both, ["application/json"]);
        assert!(doc["paths"]["/api/text"]["post"]["requestBody"]["content"]["text/plain"].is_object());
        assert!(
            doc["paths"]["/api/export"]["post"]["responses"]["200"]["content"]["application/ndjson"].is_object(),
            "an NDJSON answer stays a byte stream"
        );
        assert_eq!(ledger.count("raw_request_bodies"), 2);
        assert_eq!(ledger.count("relabel_json_responses"), 1);
    }
}
