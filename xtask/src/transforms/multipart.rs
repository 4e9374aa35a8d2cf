use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Ledger, operation_mut, operations, resolve, resolve_deep};

/// The extension recording a multipart operation's form (a [`MultipartForm`], as JSON).
pub const MULTIPART_EXTENSION: &str = "x-kibana-multipart";

/// The parts a `multipart/form-data` body has, read from its schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartForm {
    pub fields: Vec<MultipartField>,
}

/// One named part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartField {
    /// The part's name on the wire.
    pub name: String,
    pub required: bool,
    pub kind: FieldKind,
    pub description: Option<String>,
}

/// What a part carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Bytes with a file name (`format: binary`, or a part the schema does not describe).
    File,
    /// A string (or a number or boolean, sent as its text).
    Text,
    /// A JSON value, sent as its text (Kibana parses such parts, e.g. `retries` of resolve-import-errors).
    Json,
}

/// Turns every `multipart/form-data` request body into a raw body and records its form in `x-kibana-multipart`,
/// for the generator to give the operation a typed form argument (`kibana_gen::multipart`).
///
/// progenitor 0.15 refuses multipart bodies (`unexpected content type: multipart/form-data`): saved-objects
/// import and resolve-import-errors, detection rules / exception lists / value lists import, APM source maps, case
/// files, endpoint uploads, entity-analytics CSV uploads, streams content import.
pub fn multipart_request_bodies(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let body = resolve(&snapshot, &snapshot["paths"][&op.path][op.method]["requestBody"]);
        let Some(media) = body["content"].get("multipart/form-data") else {
            continue;
        };
        let form = read_form(&snapshot, &media["schema"]);
        let mut new_body = body.clone();
        new_body["content"] = json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}});
        new_body["required"] = Value::Bool(true);
        if let Some(operation) = operation_mut(doc, &op.path, op.method) {
            operation.insert("requestBody".into(), new_body);
            operation.insert(
                MULTIPART_EXTENSION.into(),
                serde_json::to_value(&form).unwrap_or(Value::Null),
            );
            ledger.applied(&op.route, "multipart_request_bodies");
        }
    }
}

/// Describes every file part of a `multipart/form-data` body as what travels on the wire, `type: string,
/// format: binary` (keeping its description), where the document says otherwise.
///
/// Kibana describes the uploaded file of saved-objects import as `type: object`; a validator (Prism) then refuses
/// every real upload, whose parts are bytes.
pub fn describe_multipart_files_as_binary(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    for op in operations(&snapshot) {
        let body = resolve(&snapshot, &snapshot["paths"][&op.path][op.method]["requestBody"]);
        let Some(media) = body["content"].get("multipart/form-data") else {
            continue;
        };
        // Where the form's properties live: inline in the operation, or in a component.
        let schema_pointer = match media["schema"]["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
            Some(component) => component.to_owned(),
            None => {
                let body_pointer = body_pointer(&snapshot, &op.path, op.method);
                format!("{body_pointer}/content/multipart~1form-data/schema")
            }
        };
        let Some(properties) = doc
            .pointer_mut(&format!("{schema_pointer}/properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let mut changed = false;
        for (_, property) in properties.iter_mut() {
            let resolved = resolve_deep(&snapshot, property);
            let binary = resolved["type"] == "string" && resolved["format"] == "binary";
            if kind_of(resolved) == FieldKind::File && !binary {
                let mut replacement = json!({"type": "string", "format": "binary"});
                if let Some(description) = resolved.get("description") {
                    replacement["description"] = description.clone();
                }
                *property = replacement;
                changed = true;
            }
        }
        if changed {
            ledger.applied(&op.route, "describe_multipart_files_as_binary");
        }
    }
}

/// JSON pointer of an operation's request body (inline, or the shared one it refers to).
fn body_pointer(doc: &Value, path: &str, method: &str) -> String {
    let body = &doc["paths"][path][method]["requestBody"];
    match body["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(shared) => shared.to_owned(),
        None => format!("/paths/{}/{method}/requestBody", super::pointer_escape(path)),
    }
}

/// The form's fields: the properties of the schema (and of its `allOf` members), in the document's order.
pub fn read_form(doc: &Value, schema: &Value) -> MultipartForm {
    let mut fields: Vec<MultipartField> = Vec::new();
    let mut required: Vec<String> = Vec::new();
    let mut stack = vec![resolve_deep(doc, schema)];
    let mut visited = 0;
    while let Some(schema) = stack.pop() {
        visited += 1;
        if visited > 64 {
            break;
        }
        for name in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            required.push(name.to_owned());
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            if fields.iter().any(|f| &f.name == name) {
                continue;
            }
            let property = resolve_deep(doc, property);
            fields.push(MultipartField {
                name: name.clone(),
                required: false,
                kind: kind_of(property),
                description: property["description"].as_str().map(str::to_owned),
            });
        }
        for member in schema["allOf"].as_array().into_iter().flatten().rev() {
            stack.push(resolve_deep(doc, member));
        }
    }
    for field in &mut fields {
        field.required = required.contains(&field.name);
    }
    MultipartForm { fields }
}

/// A part's kind: bytes for `format: binary`, an undescribed part, or an object without properties (Kibana
/// describes the uploaded file of saved-objects import as `type: object`); text for scalars; JSON otherwise.
fn kind_of(schema: &Value) -> FieldKind {
    let empty = schema.as_object().is_none_or(|o| o.keys().all(|k| k == "description"));
    let opaque_object = schema["type"] == "object" && schema.get("properties").is_none();
    if empty || opaque_object || schema["format"] == "binary" {
        return FieldKind::File;
    }
    match schema["type"].as_str() {
        Some("string" | "boolean" | "integer" | "number") => FieldKind::Text,
        _ if schema.get("enum").is_some() => FieldKind::Text,
        _ => FieldKind::Json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn multipart_bodies_become_raw_with_their_form_recorded() {
        let mut doc = spec(json!({"/api/saved_objects/_resolve_import_errors": {"post": {
            "requestBody": {"content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Form"}}}}}}}));
        doc["components"]["schemas"]["Form"] = json!({"type": "object", "required": ["file", "retries"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "The export."},
            "retries": {"type": "array", "items": {"type": "object"}},
            "include": {"type": "string"},
            "content": {},
            "opaque": {"type": "object"},
        }});
        let mut ledger = Ledger::default();
        multipart_request_bodies(&mut doc, &mut ledger);
        let op = &doc["paths"]["/api/saved_objects/_resolve_import_errors"]["post"];
        assert!(op["requestBody"]["content"]["application/octet-stream"].is_object());
        let form: MultipartForm = serde_json::from_value(op[MULTIPART_EXTENSION].clone()).unwrap();
        let summary: Vec<_> = form
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.required, f.kind))
            .collect();
        assert_eq!(
            summary,
            [
                ("file", true, FieldKind::File),
                ("retries", true, FieldKind::Json),
                ("include", false, FieldKind::Text),
                ("content", false, FieldKind::File),
                ("opaque", false, FieldKind::File),
            ]
        );
        assert_eq!(form.fields[0].description.as_deref(), Some("The export."));
        assert_eq!(ledger.count("multipart_request_bodies"), 1);
    }

    #[test]
    fn file_parts_are_described_as_bytes() {
        let mut doc = spec(
            json!({"/api/saved_objects/_import": {"post": {"requestBody": {"content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "object", "description": "An export."},
                "note": {"type": "string"}}}}}}}}}),
        );
        let mut ledger = Ledger::default();
        describe_multipart_files_as_binary(&mut doc, &mut ledger);
        let properties = &doc["paths"]["/api/saved_objects/_import"]["post"]["requestBody"]["content"]["multipart/form-data"]
            ["schema"]["properties"];
        assert_eq!(
            properties["file"],
            json!({"type": "string", "format": "binary", "description": "An export."})
        );
        assert_eq!(properties["note"], json!({"type": "string"}));
        assert_eq!(ledger.count("describe_multipart_files_as_binary"), 1);
    }

    #[test]
    fn all_of_members_contribute_fields() {
        let doc = spec(json!({}));
        let form = read_form(
            &doc,
            &json!({"allOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]},
                              {"properties": {"b": {"type": "string", "format": "binary"}}}]}),
        );
        assert_eq!(form.fields.len(), 2);
        assert!(form.fields[0].required && !form.fields[1].required);
    }
}
