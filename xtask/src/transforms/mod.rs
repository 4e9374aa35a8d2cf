//! Transforms applied to the merged document before progenitor sees it.
//!
//! Each transform is one small function with its own unit tests, and records what it did in a [`Ledger`] so that
//! the regen report can say, for every operation, which transforms shaped it or why it was left out. Why each one
//! exists (which upstream bug or progenitor limit it works around) is written in `openapi/README.md`.

mod ambiguous_one_of;
mod error_responses;
mod excluded;
mod legacy_routes;
mod managed_headers;
mod overlays;
mod prune;
mod space_prefix;
mod symbol_enums;

use std::collections::BTreeMap;

use serde_json::Value;

pub use ambiguous_one_of::relax_ambiguous_one_of;
pub use error_responses::unify_error_responses;
pub use excluded::drop_excluded_operations;
pub use legacy_routes::drop_legacy_routes;
pub use managed_headers::drop_managed_header_parameters;
pub use overlays::{add_missing_responses, add_missing_schemas};
pub use prune::prune_unreferenced_schemas;
pub use space_prefix::collapse_space_prefix;
pub use symbol_enums::{SymbolEnum, hoist_symbol_enums};

use crate::{config::TransformConfig, merge::HTTP_METHODS};

/// What the transforms did, per operation id.
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    /// Transforms that changed an operation, in the order they ran.
    pub applied: BTreeMap<String, Vec<&'static str>>,
    /// Operations removed from the document, with the reason.
    pub excluded: BTreeMap<String, String>,
    /// Document-level notes (e.g. pruned schemas).
    pub notes: Vec<String>,
}

impl Ledger {
    pub fn applied(&mut self, operation_id: &str, transform: &'static str) {
        let entry = self.applied.entry(operation_id.to_owned()).or_default();
        if !entry.contains(&transform) {
            entry.push(transform);
        }
    }

    pub fn exclude(&mut self, operation_id: &str, reason: impl Into<String>) {
        self.excluded.insert(operation_id.to_owned(), reason.into());
    }
}

/// Everything the pipeline does to the merged document, in order.
pub fn apply_all(doc: &mut Value, config: &TransformConfig, ledger: &mut Ledger) -> anyhow::Result<Vec<SymbolEnum>> {
    drop_legacy_routes(doc, &config.legacy_routes, &config.space_prefix.prefix, ledger);
    drop_excluded_operations(doc, &config.excluded_operations, ledger);
    collapse_space_prefix(doc, &config.space_prefix.prefix, ledger);
    drop_managed_header_parameters(doc, &config.managed_headers, ledger);
    unify_error_responses(doc, ledger);
    add_missing_schemas(doc, &config.schema_additions, ledger)?;
    add_missing_responses(doc, &config.response_additions, ledger)?;
    relax_ambiguous_one_of(doc, &config.ambiguous_one_of, ledger);
    let mut symbol_enums = hoist_symbol_enums(doc, &config.symbol_names, ledger);
    for symbol_enum in &mut symbol_enums {
        if let Some(name) = config.symbol_enum_names.get(&symbol_enum.schema_name) {
            symbol_enum.rust_name.clone_from(name);
        }
    }
    prune_unreferenced_schemas(doc, ledger);
    Ok(symbol_enums)
}

/// `(path, method, operationId)` of every operation, in document order.
pub fn operations(doc: &Value) -> Vec<(String, &'static str, String)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in HTTP_METHODS {
            if let Some(op) = item.get(method) {
                let id = op["operationId"].as_str().unwrap_or_default().to_owned();
                out.push((path.clone(), method, id));
            }
        }
    }
    out
}

/// Removes one operation, and its path when no operation is left on it.
pub fn remove_operation(doc: &mut Value, path: &str, method: &str) {
    let paths = doc["paths"].as_object_mut().expect("paths is an object");
    if let Some(item) = paths.get_mut(path).and_then(Value::as_object_mut) {
        item.shift_remove(method);
        if !item.keys().any(|k| HTTP_METHODS.contains(&k.as_str())) {
            paths.shift_remove(path);
        }
    }
}

/// Follows a local `$ref` (`#/components/...`) once; other values are returned as they are.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => doc.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use serde_json::{Value, json};

    pub fn spec(paths: Value) -> Value {
        json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": {}, "parameters": {}}})
    }
}
