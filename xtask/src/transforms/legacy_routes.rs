use serde_json::Value;

use super::{Ledger, operations, remove_operation};
use crate::config::LegacyRoutes;

/// Drops deprecated legacy routes (`/api/actions/action...`, `/api/alerts/...`), which Kibana 9.0 removed: a
/// generated method for them would be a trap.
pub fn drop_legacy_routes(doc: &mut Value, config: &LegacyRoutes, space_prefix: &str, ledger: &mut Ledger) {
    for op in operations(doc) {
        let deprecated = doc["paths"][&op.path][op.method]["deprecated"]
            .as_bool()
            .unwrap_or(false);
        let bare = op.path.strip_prefix(space_prefix).unwrap_or(&op.path);
        let legacy = config.exact.iter().any(|e| e == bare)
            || config
                .prefixes
                .iter()
                .any(|p| bare.strip_prefix(p.as_str()).is_some_and(|rest| rest.starts_with('/')))
            || config.prefixes.iter().any(|p| p == bare);
        if deprecated && legacy {
            remove_operation(doc, &op.path, op.method);
            ledger.exclude(&op.route, config.reason.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    fn config() -> LegacyRoutes {
        LegacyRoutes {
            reason: "legacy".into(),
            exact: vec!["/api/actions".into()],
            prefixes: vec!["/api/actions/action".into()],
        }
    }

    #[test]
    fn drops_deprecated_legacy_routes_only() {
        let mut doc = spec(json!({
            "/s/{spaceId}/api/actions": {"get": {"operationId": "legacyList", "deprecated": true}},
            "/s/{spaceId}/api/actions/action/{id}": {"get": {"operationId": "legacyGet", "deprecated": true}},
            "/api/actions/connector/{id}": {"get": {"operationId": "getConnector"}},
            "/api/actions/actionable": {"get": {"operationId": "notLegacy", "deprecated": true}},
        }));
        let mut ledger = Ledger::default();
        drop_legacy_routes(&mut doc, &config(), "/s/{spaceId}", &mut ledger);
        let paths: Vec<_> = doc["paths"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(paths, ["/api/actions/connector/{id}", "/api/actions/actionable"]);
        assert_eq!(ledger.excluded.len(), 2);
        assert_eq!(ledger.excluded["GET /s/{spaceId}/api/actions/action/{id}"], "legacy");
    }

    #[test]
    fn keeps_non_deprecated_route_on_a_legacy_path() {
        let mut doc = spec(json!({"/api/actions": {"get": {"operationId": "x"}}}));
        let mut ledger = Ledger::default();
        drop_legacy_routes(&mut doc, &config(), "/s/{spaceId}", &mut ledger);
        assert!(ledger.excluded.is_empty());
    }
}
