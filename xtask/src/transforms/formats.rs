use serde_json::Value;

use super::Ledger;

/// Removes `format` from schemas whose type cannot have one (an object, an array, a boolean), reporting each.
///
/// Kibana's endpoint-management schemas describe an object with `format: uuid` (the per-agent status of a response
/// action); typify panics on it (`not yet implemented: invalid (or unexpected) schema`), which takes the endpoint
/// action routes down. A format only refines strings and numbers.
pub fn drop_inapplicable_formats(doc: &mut Value, ledger: &mut Ledger) {
    let mut dropped = Vec::new();
    visit(doc, "", &mut dropped);
    if !dropped.is_empty() {
        dropped.sort();
        dropped.dedup();
        ledger.notes.push(format!(
            "dropped {} `format`s on schemas that cannot have one: {}",
            dropped.len(),
            dropped.join(", ")
        ));
    }
}

fn visit(value: &mut Value, pointer: &str, dropped: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let inapplicable = matches!(
                map.get("type").and_then(Value::as_str),
                Some("object" | "array" | "boolean")
            );
            if inapplicable && map.get("format").is_some_and(Value::is_string) {
                map.shift_remove("format");
                dropped.push(format!("`{pointer}`"));
            }
            for (key, child) in map.iter_mut() {
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    continue;
                }
                let child_pointer = format!("{pointer}/{}", super::pointer_escape(key));
                visit(child, &child_pointer, dropped);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                visit(item, &format!("{pointer}/{index}"), dropped);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn formats_only_stay_on_strings_and_numbers() {
        let mut doc = spec(json!({}));
        doc["components"]["schemas"]["Status"] = json!({"type": "object", "format": "uuid", "properties": {
            "id": {"type": "string", "format": "uuid"},
            "count": {"type": "integer", "format": "int64"},
            "flags": {"type": "array", "format": "csv", "items": {"type": "boolean", "format": "x"}}}});
        let mut ledger = Ledger::default();
        drop_inapplicable_formats(&mut doc, &mut ledger);
        let status = &doc["components"]["schemas"]["Status"];
        assert!(status.get("format").is_none());
        assert_eq!(status["properties"]["id"]["format"], "uuid");
        assert_eq!(status["properties"]["count"]["format"], "int64");
        assert!(status["properties"]["flags"].get("format").is_none());
        assert!(status["properties"]["flags"]["items"].get("format").is_none());
        assert!(ledger.notes[0].starts_with("dropped 3"), "{}", ledger.notes[0]);
    }
}
