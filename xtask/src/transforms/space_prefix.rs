use serde_json::Value;

use super::{Ledger, operations, resolve};
use crate::merge::HTTP_METHODS;

/// Removes the `/s/{spaceId}` prefix from every path.
///
/// Space scoping belongs to the client's base path (`client.space("marketing")`), so that every operation can run
/// in any space without a second generated method per operation. A prefixed path whose unprefixed twin exists is a
/// duplicate and is dropped (its operations are reported as folded into the twin); a prefixed path without a twin
/// (the alerting document publishes only `/s/{spaceId}/api/alerting/...`) is moved to the unprefixed path and loses
/// its `spaceId` parameter.
pub fn collapse_space_prefix(doc: &mut Value, prefix: &str, ledger: &mut Ledger) {
    let Some(parameter) = prefix.rsplit_once('{').and_then(|(_, rest)| rest.strip_suffix('}')) else {
        return;
    };
    let prefixed: Vec<String> = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(path, _)| path.clone())
        .filter(|path| path.starts_with(prefix) && path[prefix.len()..].starts_with('/'))
        .collect();
    let ops = operations(doc);

    for path in prefixed {
        let bare = path[prefix.len()..].to_owned();
        let Some(paths) = doc["paths"].as_object_mut() else {
            return;
        };
        let Some(mut item) = paths.shift_remove(&path) else {
            continue;
        };
        if paths.contains_key(&bare) {
            for op in ops.iter().filter(|op| op.path == path) {
                let twin = ops
                    .iter()
                    .find(|o| o.path == bare && o.method == op.method)
                    .map_or("?", |o| o.route.as_str());
                ledger.exclude(
                    &op.route,
                    format!("`{prefix}` duplicate of `{twin}`; the space is the client's base path"),
                );
                ledger.folded.insert(op.route.clone());
            }
            continue;
        }
        remove_space_parameter(doc, &mut item, parameter);
        for op in ops.iter().filter(|op| op.path == path) {
            ledger.applied(&op.route, "collapse_space_prefix");
        }
        if let Some(paths) = doc["paths"].as_object_mut() {
            paths.insert(bare, item);
        }
    }
    sort_paths(doc);
}

fn remove_space_parameter(doc: &Value, item: &mut Value, parameter: &str) {
    let is_space = |p: &Value| {
        let p = resolve(doc, p);
        p["in"] == "path" && p["name"] == parameter
    };
    if let Some(params) = item.get_mut("parameters").and_then(Value::as_array_mut) {
        params.retain(|p| !is_space(p));
    }
    for method in HTTP_METHODS {
        if let Some(params) = item
            .get_mut(method)
            .and_then(|op| op.get_mut("parameters"))
            .and_then(Value::as_array_mut)
        {
            params.retain(|p| !is_space(p));
        }
    }
}

/// Keeps the path order independent of which paths were moved, so that the output is deterministic.
fn sort_paths(doc: &mut Value) {
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.sort_keys();
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn drops_prefixed_duplicates_and_moves_the_others() {
        let mut doc = spec(json!({
            "/api/x": {"get": {"operationId": "getX"}},
            "/s/{spaceId}/api/x": {"get": {"operationId": "getXWithSpaceId",
                "parameters": [{"$ref": "#/components/parameters/space_id"}]}},
            "/s/{spaceId}/api/rule/{id}": {"get": {"operationId": "getRule", "parameters": [
                {"$ref": "#/components/parameters/space_id"},
                {"in": "path", "name": "id", "required": true, "schema": {"type": "string"}}]}},
        }));
        doc["components"]["parameters"]["space_id"] =
            json!({"in": "path", "name": "spaceId", "required": true, "schema": {"type": "string"}});
        let mut ledger = Ledger::default();
        collapse_space_prefix(&mut doc, "/s/{spaceId}", &mut ledger);

        let paths: Vec<_> = doc["paths"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(paths, ["/api/rule/{id}", "/api/x"]);
        assert!(ledger.excluded["GET /s/{spaceId}/api/x"].contains("`GET /api/x`"));
        assert_eq!(
            ledger.applied["GET /s/{spaceId}/api/rule/{id}"],
            ["collapse_space_prefix"]
        );
        let params = doc["paths"]["/api/rule/{id}"]["get"]["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 1);
        assert_eq!(params[0]["name"], "id");
    }
}
