use serde_json::Value;

use super::Ledger;

/// Removes from `required` every name that the schema's `properties` do not define, in schemas that stand alone
/// (not a member of an `allOf`, whose siblings may define the name, and without `allOf`/`anyOf`/`oneOf` of their
/// own), reporting each.
///
/// Kibana's document requires properties it never describes: `required: [asset]` inside the `asset` object of
/// asset criticality records (the name of the parent), `last_duration` in attack discovery schedule executions,
/// `status` inside the privilege monitoring health `error`, `success` in the monitored-user delete answer. typify
/// makes such a name a required field of any type, so Kibana's real answers (and Prism's) fail to decode.
pub fn drop_undefined_required(doc: &mut Value, ledger: &mut Ledger) {
    let mut dropped = Vec::new();
    visit(doc, "", false, &mut dropped);
    if !dropped.is_empty() {
        ledger.notes.push(format!(
            "dropped {} required names their schema does not define: {}",
            dropped.len(),
            dropped.join(", ")
        ));
    }
}

fn visit(value: &mut Value, pointer: &str, in_all_of: bool, dropped: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let composed = ["allOf", "anyOf", "oneOf"].iter().any(|k| map.contains_key(*k));
            if !in_all_of
                && !composed
                && let Some(properties) = map.get("properties").and_then(Value::as_object)
            {
                let defined: Vec<String> = properties.keys().cloned().collect();
                let open_schema = matches!(map.get("additionalProperties"), Some(Value::Object(o)) if !o.is_empty());
                if !open_schema && let Some(required) = map.get_mut("required").and_then(Value::as_array_mut) {
                    required.retain(|name| {
                        let keep = name.as_str().is_none_or(|n| defined.iter().any(|d| d == n));
                        if !keep {
                            dropped.push(format!("`{}` in `{pointer}`", name.as_str().unwrap_or_default()));
                        }
                        keep
                    });
                }
            }
            for (key, child) in map.iter_mut() {
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    continue;
                }
                let child_pointer = format!("{pointer}/{}", super::pointer_escape(key));
                if key == "allOf" {
                    for (index, member) in child.as_array_mut().into_iter().flatten().enumerate() {
                        visit(member, &format!("{child_pointer}/{index}"), true, dropped);
                    }
                } else {
                    visit(child, &child_pointer, false, dropped);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                visit(item, &format!("{pointer}/{index}"), false, dropped);
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
    fn required_names_a_schema_does_not_define_are_dropped_outside_all_of() {
        let mut doc = spec(json!({}));
        doc["components"]["schemas"]["Record"] = json!({"type": "object", "required": ["asset"], "properties": {
            "asset": {"type": "object", "required": ["asset"], "properties": {"criticality": {"type": "string"}}}}});
        doc["components"]["schemas"]["Merged"] = json!({"allOf": [
            {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "string"}}}]});
        doc["components"]["schemas"]["Open"] = json!({"type": "object", "required": ["x"], "properties": {},
            "additionalProperties": {"type": "string"}});
        let mut ledger = Ledger::default();
        drop_undefined_required(&mut doc, &mut ledger);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Record"]["required"], json!(["asset"]));
        assert_eq!(schemas["Record"]["properties"]["asset"]["required"], json!([]));
        assert_eq!(
            schemas["Merged"]["allOf"][0]["required"],
            json!(["a", "b"]),
            "a sibling defines `b`"
        );
        assert_eq!(
            schemas["Open"]["required"],
            json!(["x"]),
            "additional properties can be `x`"
        );
        assert!(ledger.notes[0].starts_with("dropped 1 required"), "{}", ledger.notes[0]);
    }
}
