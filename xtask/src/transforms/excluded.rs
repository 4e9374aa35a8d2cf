use serde_json::Value;

use super::{Ledger, operations, remove_operation};
use crate::config::ExcludedOperation;

/// Removes the operations `openapi/transforms.toml` excludes by name (those progenitor cannot generate, such as
/// `multipart/form-data` uploads), recording the reason; the `kibana` crate implements them by hand.
pub fn drop_excluded_operations(doc: &mut Value, excluded: &[ExcludedOperation], ledger: &mut Ledger) {
    for (path, method, id) in operations(doc) {
        if let Some(entry) = excluded.iter().find(|e| e.operation_id == id) {
            remove_operation(doc, &path, method);
            ledger.exclude(&id, entry.reason.clone());
        }
    }
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
        let excluded = [ExcludedOperation {
            operation_id: "import".into(),
            reason: "multipart".into(),
        }];
        drop_excluded_operations(&mut doc, &excluded, &mut ledger);
        assert!(doc["paths"]["/api/import"].get("post").is_none());
        assert!(doc["paths"]["/api/import"].get("get").is_some());
        assert_eq!(ledger.excluded["import"], "multipart");
    }
}
