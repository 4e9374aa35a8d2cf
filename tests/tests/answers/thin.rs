//! Thinned answers: an answer with the properties its document marks required left out, one level of nesting
//! at a time, as real Kibana leaves them out (the status `meta`, the import `errors`, Fleet's `compiled_input`).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// `answer` without the required properties of the objects `depth` levels down (the answer itself is level 0;
/// an array's items are on its own level), as the document's `schema` describes them. Returns the thinned answer
/// and the names left out; no names when nothing at that level is required.
pub fn thin(doc: &Value, schema: &Value, answer: &Value, depth: usize) -> (Value, BTreeSet<String>) {
    let mut thinned = answer.clone();
    let mut removed = BTreeSet::new();
    walk(doc, schema, &mut thinned, depth, 0, &mut removed);
    (thinned, removed)
}

/// How many levels of objects an answer has.
pub fn depth(answer: &Value) -> usize {
    match answer {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn walk(doc: &Value, schema: &Value, value: &mut Value, target: usize, level: usize, removed: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            let view = object_view(doc, schema, 0);
            if level == target {
                for name in &view.required {
                    if map.remove(name).is_some() {
                        removed.insert(name.clone());
                    }
                }
                return;
            }
            for (key, child) in map.iter_mut() {
                let child_schema = view
                    .properties
                    .get(key)
                    .or(view.additional.as_ref())
                    .cloned()
                    .unwrap_or(Value::Null);
                walk(doc, &child_schema, child, target, level + 1, removed);
            }
        }
        Value::Array(items) => {
            let items_schema = item_schema(doc, schema, 0).unwrap_or(Value::Null);
            for item in items {
                walk(doc, &items_schema, item, target, level, removed);
            }
        }
        _ => {}
    }
}

/// An object schema seen whole: through references, `allOf` members and every `anyOf` / `oneOf` variant.
#[derive(Default)]
struct View {
    properties: Map<String, Value>,
    required: BTreeSet<String>,
    additional: Option<Value>,
}

fn object_view(doc: &Value, schema: &Value, hops: usize) -> View {
    let mut view = View::default();
    if hops > 24 {
        return view;
    }
    let schema = resolve(doc, schema);
    for member in ["allOf", "anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
    {
        let inner = object_view(doc, member, hops + 1);
        for (key, value) in inner.properties {
            view.properties.entry(key).or_insert(value);
        }
        view.required.extend(inner.required);
        view.additional = view.additional.or(inner.additional);
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (key, value) in properties {
            view.properties.insert(key.clone(), value.clone());
        }
    }
    view.required.extend(
        schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned),
    );
    if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        view.additional = Some(additional.clone());
    }
    view
}

fn item_schema(doc: &Value, schema: &Value, hops: usize) -> Option<Value> {
    if hops > 24 {
        return None;
    }
    let schema = resolve(doc, schema);
    if let Some(items) = schema.get("items") {
        return Some(items.clone());
    }
    ["allOf", "anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .find_map(|member| item_schema(doc, member, hops + 1))
}

fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..24 {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(pointer) => schema = doc.pointer(pointer).unwrap_or(&Value::Null),
            None => break,
        }
    }
    schema
}

/// The schema of an operation's answer for `status` (or its first 2xx one) in the document, by route.
pub fn answer_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> Option<&'a Value> {
    let operation = doc.get("paths")?.get(path)?.get(method.to_ascii_lowercase())?;
    let responses = operation.get("responses")?.as_object()?;
    let response = responses
        .get(&status.to_string())
        .or_else(|| responses.iter().find(|(code, _)| code.starts_with('2')).map(|(_, r)| r))?;
    let response = resolve(doc, response);
    let content = response.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .and_then(|(_, media)| media.get("schema"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn required_properties_leave_one_level_at_a_time() {
        let doc = json!({"components": {"schemas": {"Plugin": {"type": "object", "required": ["level", "meta"],
            "properties": {"level": {"type": "string"}, "meta": {"type": "object"}}}}}});
        let schema = json!({"type": "object", "required": ["status"], "properties": {"status": {"type": "object",
            "required": ["overall"], "properties": {
                "overall": {"$ref": "#/components/schemas/Plugin"},
                "plugins": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Plugin"}}}}}});
        let answer = json!({"status": {"overall": {"level": "available", "meta": {}},
            "plugins": {"a": {"level": "available", "meta": {}, "summary": "ok"}}}});
        assert_eq!(depth(&answer), 5);
        let (top, removed) = thin(&doc, &schema, &answer, 0);
        assert_eq!((top, removed), (json!({}), BTreeSet::from(["status".to_owned()])));
        let (level2, removed) = thin(&doc, &schema, &answer, 2);
        assert_eq!(removed, BTreeSet::from(["level".to_owned(), "meta".to_owned()]));
        assert_eq!(level2["status"]["overall"], json!({}));
        assert_eq!(
            level2["status"]["plugins"]["a"]["level"], "available",
            "a map's entries are a level further"
        );
        let (level3, _) = thin(&doc, &schema, &answer, 3);
        assert_eq!(level3["status"]["plugins"]["a"], json!({"summary": "ok"}));
    }
}
