use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::Value;

use super::{Ledger, operation_mut, operations};

/// The extension keeping an operation's operationId from the document.
pub const ORIGINAL_ID_EXTENSION: &str = "x-kibana-operation-id";

/// Names every operation after its route (`POST /api/actions/connector/{id}/_execute` →
/// `post_actions_connector_id_execute`) instead of its operationId, which becomes `x-kibana-operation-id`.
///
/// Kibana renames operationIds between releases (8.x `createConnector` is 9.x `post-actions-connector-id`; some 9.3
/// ids are still camelCase, one has a typo: `createDataViewDefaultw`). Generated method and type names then follow
/// the route, which changes only when Kibana changes the API itself, so neither the `kibana` crate nor users' code
/// breaks on a rename. Two routes that would share a name (they differ only in punctuation) get `_2`, `_3`... in
/// path order, and are reported.
pub fn name_operations_by_route(doc: &mut Value, ledger: &mut Ledger) {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(doc) {
        let base = route_name(op.method, &op.path);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains_key(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        if name != base {
            ledger.notes.push(format!(
                "`{}` is named `{name}`: `{base}` is taken by `{}`",
                op.route, taken[&base]
            ));
        }
        taken.insert(name.clone(), op.route.clone());
        if let Some(operation) = operation_mut(doc, &op.path, op.method) {
            if !op.id.is_empty() {
                operation.insert(ORIGINAL_ID_EXTENSION.into(), Value::String(op.id.clone()));
            }
            operation.insert("operationId".into(), Value::String(name));
        }
    }
}

/// The snake_case name of a route: the method, then the path's segments without `/api` and without braces.
fn route_name(method: &str, path: &str) -> String {
    let path = path.strip_prefix("/api/").unwrap_or(path);
    let mut name = method.to_ascii_lowercase();
    for segment in path.split('/') {
        let segment: String = segment
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect();
        let segment = segment.to_snake_case();
        if !segment.is_empty() {
            name.push('_');
            name.push_str(&segment);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn names_follow_routes() {
        assert_eq!(
            route_name("post", "/api/actions/connector/{id}/_execute"),
            "post_actions_connector_id_execute"
        );
        assert_eq!(route_name("get", "/api/status"), "get_status");
        assert_eq!(
            route_name("get", "/api/fleet/epm/packages/{pkgName}/{pkgVersion}"),
            "get_fleet_epm_packages_pkg_name_pkg_version"
        );
        assert_eq!(route_name("get", "/api/saved_objects/_find"), "get_saved_objects_find");
        assert_eq!(route_name("delete", "/internal/x.y"), "delete_internal_x_y");
        assert_eq!(route_name("get", "/"), "get");
    }

    #[test]
    fn operations_are_renamed_and_keep_their_id() {
        let mut doc = spec(json!({
            "/api/actions/connector/{id}": {"post": {"operationId": "createConnectorId"}},
            "/api/a-b": {"get": {}},
            "/api/a_b": {"get": {"operationId": "clash"}},
        }));
        let mut ledger = Ledger::default();
        name_operations_by_route(&mut doc, &mut ledger);
        let op = &doc["paths"]["/api/actions/connector/{id}"]["post"];
        assert_eq!(op["operationId"], "post_actions_connector_id");
        assert_eq!(op[ORIGINAL_ID_EXTENSION], "createConnectorId");
        assert_eq!(doc["paths"]["/api/a-b"]["get"]["operationId"], "get_a_b");
        assert_eq!(doc["paths"]["/api/a_b"]["get"]["operationId"], "get_a_b_2");
        assert!(ledger.notes[0].contains("get_a_b_2"));
    }
}
