use serde_json::Value;

use super::{Ledger, operations, remove_operation};
use crate::config::ExcludedOperation;

/// Removes the operations `openapi/transforms.toml` excludes by route (`METHOD /path` as the document writes it),
/// recording the reason. A listed route that the documents do not have is reported, so that a stale entry is seen.
pub fn drop_excluded_operations(doc: &mut Value, excluded: &[ExcludedOperation], ledger: &mut Ledger) {
    let ops = operations(doc);
    for entry in excluded {
        match ops.iter().find(|op| same_route(&op.route, &entry.route)) {
            Some(op) => {
                remove_operation(doc, &op.path, op.method);
                ledger.exclude(&op.route, entry.reason.clone());
            }
            None => ledger.stale(
                "excluded_operations",
                &entry.route,
                "the documents do not have this route (any more): remove the entry",
            ),
        }
    }
}

/// Routes compare by method (any case) and path.
pub fn same_route(a: &str, b: &str) -> bool {
    let split = |r: &str| {
        let (method, path) = r.trim().split_once(' ').unwrap_or(("", r));
        (method.to_ascii_uppercase(), path.trim().to_owned())
    };
    split(a) == split(b)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn removes_named_operations_with_reason() {
        let mut doc = spec(json!({
            "/api/import": {"post": {"operationId": "import"}, "get": {"operationId": "keep"}},
        }));
        let mut ledger = Ledger::default();
        let excluded = [
            ExcludedOperation {
                route: "post /api/import".into(),
                reason: "multipart".into(),
            },
            ExcludedOperation {
                route: "GET /api/gone".into(),
                reason: "x".into(),
            },
        ];
        drop_excluded_operations(&mut doc, &excluded, &mut ledger);
        assert!(doc["paths"]["/api/import"].get("post").is_none());
        assert!(doc["paths"]["/api/import"].get("get").is_some());
        assert_eq!(ledger.excluded["POST /api/import"], "multipart");
        assert_eq!(ledger.stale[0].entry, "GET /api/gone", "a stale entry is reported");
    }
}
