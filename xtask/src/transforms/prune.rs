use std::collections::BTreeSet;

use serde_json::Value;

use super::Ledger;

/// Removes component schemas that no remaining operation reaches (directly or through other components).
///
/// Dropping legacy routes leaves their schemas behind; generating them would cost compile time for types nobody
/// can use. Unused `responses`, `parameters`, `requestBodies` and `headers` components go too: they may point at
/// pruned schemas, and a dangling `$ref` makes other tools (Prism) refuse the document.
pub fn prune_unreferenced_schemas(doc: &mut Value, ledger: &mut Ledger) {
    let reachable = referenced_components(doc);
    for kind in ["schemas", "responses", "parameters", "requestBodies", "headers"] {
        let Some(entries) = doc["components"].get_mut(kind).and_then(Value::as_object_mut) else {
            continue;
        };
        let unused: Vec<String> = entries
            .keys()
            .filter(|name| !reachable.contains(&format!("#/components/{kind}/{name}")))
            .cloned()
            .collect();
        for name in &unused {
            entries.shift_remove(name);
        }
        if kind == "schemas" && !unused.is_empty() {
            ledger.notes.push(format!(
                "pruned {} schemas no generated operation uses: {}",
                unused.len(),
                unused.join(", ")
            ));
        }
    }
}

/// Every `$ref` reachable from the document's paths.
fn referenced_components(doc: &Value) -> BTreeSet<String> {
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
    seen_refs
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
        doc["components"]["responses"] = json!({"Old": {"description": "x", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Unused"}}}}});
        doc["components"]["schemas"] = json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "string"},
            "Unused": {"type": "string"},
        });
        let mut ledger = Ledger::default();
        prune_unreferenced_schemas(&mut doc, &mut ledger);
        let names: Vec<_> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(names, ["A", "B"]);
        assert!(ledger.notes[0].contains("Unused"));
        assert!(
            doc["components"]["responses"].as_object().unwrap().is_empty(),
            "its unused response went too"
        );
    }
}
