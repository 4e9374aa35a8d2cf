use serde_json::{Value, json};

use super::{Ledger, operation_mut, operations, resolve};

/// Makes the path parameters of every operation agree with its path template: each one is `required: true`, a
/// template variable the operation does not declare is declared (as a string), and a declared path parameter that
/// is not in the template is dropped.
///
/// OpenAPI requires `required: true` on path parameters, and progenitor asserts it (`parameter_data.required`).
/// Kibana's document omits it where a route's segment is optional in Kibana (`/api/fleet/epm/packages/{pkgName}/
/// {pkgVersion?}`, the knowledge-base `{resource?}`): the generated method then takes the segment as an argument.
pub fn require_path_parameters(doc: &mut Value, ledger: &mut Ledger) {
    let snapshot = doc.clone();
    let mut fixed_paths = Vec::new();
    let mut lists = Vec::new();
    for op in operations(&snapshot) {
        let merged = merged_parameters(&snapshot, &op.path, op.method);
        let (fixed, changed) = fix(&snapshot, &op.path, merged);
        if changed {
            ledger.applied(&op.route, "require_path_parameters");
            if !fixed_paths.contains(&op.path) {
                fixed_paths.push(op.path.clone());
            }
        }
        lists.push((op.path, op.method, fixed));
    }
    // Every operation of a fixed path gets its full list, and the path-level list (now copied in) goes.
    for (path, method, list) in lists {
        if !fixed_paths.contains(&path) {
            continue;
        }
        if let Some(operation) = operation_mut(doc, &path, method) {
            operation.insert("parameters".into(), Value::Array(list));
        }
    }
    for path in fixed_paths {
        if let Some(item) = doc["paths"].get_mut(&path).and_then(Value::as_object_mut) {
            item.shift_remove("parameters");
        }
    }
}

/// The path-level parameters an operation does not redeclare, then its own (as OpenAPI combines them).
fn merged_parameters(doc: &Value, path: &str, method: &str) -> Vec<Value> {
    let own: Vec<Value> = doc["paths"][path][method]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut merged: Vec<Value> = Vec::new();
    for parameter in doc["paths"][path]["parameters"].as_array().into_iter().flatten() {
        let p = resolve(doc, parameter);
        if !own.iter().any(|o| {
            let o = resolve(doc, o);
            o["name"] == p["name"] && o["in"] == p["in"]
        }) {
            merged.push(parameter.clone());
        }
    }
    merged.extend(own);
    merged
}

/// The parameter list with its path parameters matching the template, and whether anything changed.
fn fix(doc: &Value, path: &str, merged: Vec<Value>) -> (Vec<Value>, bool) {
    let template_variables = template_variables(path);
    let mut changed = false;
    let mut fixed = Vec::with_capacity(merged.len());
    for parameter in merged {
        let resolved = resolve(doc, &parameter).clone();
        if resolved["in"] != "path" {
            fixed.push(parameter);
            continue;
        }
        let name = resolved["name"].as_str().unwrap_or_default();
        if !template_variables.iter().any(|v| v == name) {
            changed = true;
            continue;
        }
        if resolved["required"] == true {
            fixed.push(parameter);
        } else {
            let mut inline = resolved;
            inline["required"] = Value::Bool(true);
            fixed.push(inline);
            changed = true;
        }
    }
    for variable in &template_variables {
        let declared = fixed.iter().any(|p| {
            let p = resolve(doc, p);
            p["in"] == "path" && p["name"] == variable.as_str()
        });
        if !declared {
            fixed.push(json!({"in": "path", "name": variable, "required": true, "schema": {"type": "string"}}));
            changed = true;
        }
    }
    (fixed, changed)
}

/// `{name}` variables of a path template, in order.
fn template_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn path_parameters_match_the_template() {
        let mut doc = spec(json!({
            "/api/p/{name}/{version}": {
                "parameters": [{"in": "path", "name": "name", "required": true, "schema": {"type": "string"}}],
                "get": {"parameters": [
                    {"in": "path", "name": "version", "required": false, "schema": {"type": "string"}},
                    {"in": "path", "name": "stale", "required": true, "schema": {"type": "string"}},
                    {"in": "query", "name": "full", "schema": {"type": "boolean"}}]},
                "delete": {},
            },
            "/api/ok/{id}": {"get": {"parameters": [
                {"in": "path", "name": "id", "required": true, "schema": {"type": "string"}}]}},
        }));
        let mut ledger = Ledger::default();
        require_path_parameters(&mut doc, &mut ledger);

        let get = doc["paths"]["/api/p/{name}/{version}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let names: Vec<_> = get.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["name", "version", "full"]);
        assert!(get.iter().filter(|p| p["in"] == "path").all(|p| p["required"] == true));
        let delete = doc["paths"]["/api/p/{name}/{version}"]["delete"]["parameters"]
            .as_array()
            .unwrap();
        assert_eq!(delete.len(), 2, "the undeclared `version` is declared: {delete:?}");
        assert!(ledger.applied.contains_key("GET /api/p/{name}/{version}"));
        assert!(!ledger.applied.contains_key("GET /api/ok/{id}"));
    }

    #[test]
    fn template_variables_are_read_in_order() {
        assert_eq!(template_variables("/a/{x}/b/{y_z}"), ["x", "y_z"]);
        assert!(template_variables("/a/{unclosed").is_empty());
    }
}
