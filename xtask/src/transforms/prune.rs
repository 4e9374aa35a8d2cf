use std::collections::BTreeSet;

use serde_json::Value;

use super::Ledger;

/// Removes component schemas that no remaining operation reaches (directly or through other components).
///
/// Dropping legacy routes leaves their schemas behind; generating them would cost compile time for types nobody
/// can use.
pub fn prune_unreferenced_schemas(doc: &mut Value, ledger: &mut Ledger) {
    let reachable = referenced_schemas(doc);
    let Some(schemas) = doc["components"].get_mut("schemas").and_then(Value::as_object_mut) else {
        return;
    };
    let unused: Vec<String> = schemas.keys().filter(|name| !reachable.contains(*name)).cloned().collect();
    for name in &unused {
        schemas.shift_remove(name);
    }
    if !unused.is_empty() {
        ledger
            .notes
            .push(format!("pruned {} schemas no generated operation uses: {}", unused.len(), unused.join(", ")));
    }
}

/// Names of the component schemas reachable from the document's paths.
pub fn referenced_schemas(doc: &Value) -> BTreeSet<String> {
    let mut seen_refs = BTreeSet::new();
    let mut stack = Vec::new();
    collect_refs(&doc["paths"], &mut stack);
    while let Some(reference) = stack.pop() {
        if !seen_refs.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
            collect_refs(target, &mut stack);
        }
    }
    seen_refs.iter().filter_map(|r| r.strip_prefix("#/components/schemas/")).map(str::to_owned).collect()
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn keeps_transitively_referenced_schemas_only() {
        let mut doc = spec(json!({"/api/x": {"get": {"operationId": "g", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}}));
        doc["components"]["schemas"] = json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "string"},
            "Unused": {"type": "string"},
        });
        let mut ledger = Ledger::default();
        prune_unreferenced_schemas(&mut doc, &mut ledger);
        let names: Vec<_> = doc["components"]["schemas"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(names, ["A", "B"]);
        assert!(ledger.notes[0].contains("Unused"));
    }
}
