//! Transforms applied to the merged document before progenitor sees it.
//!
//! Each transform is one small function with its own unit tests, and records what it did in a [`Ledger`] so that
//! the regen report can say, for every operation, which transforms shaped it or why it was left out. Why each one
//! exists (which Kibana construct, upstream bug or progenitor limit it handles) is written in `openapi/README.md`.
//!
//! Operations are named in the ledger by their route in the input document (`POST /s/{spaceId}/api/...`, stamped
//! as `x-kibana-route` before anything runs), so that a transform that moves a path or renames an operation cannot
//! lose track of it.

mod ambiguous_one_of;
pub mod answers;
pub mod api_versions;
mod binary_bodies;
mod descriptions;
mod empty_bodies;
mod error_responses;
mod excluded;
mod formats;
pub(crate) mod invalid_defaults;
mod legacy_routes;
pub mod lifecycle;
mod managed_headers;
mod markdown;
mod media_types;
mod missing_schemas;
mod multipart;
mod overlays;
mod path_parameters;
mod prune;
mod query_integers;
mod required;
mod route_names;
mod scalar_unions;
mod shape;
mod space_prefix;
mod success_responses;
mod symbol_enums;
pub mod unions;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub use ambiguous_one_of::relax_ambiguous_one_of;
pub use binary_bodies::{CONTENT_TYPE_EXTENSION, raw_request_bodies, relabel_json_responses};
pub use descriptions::fill_response_descriptions;
pub use empty_bodies::drop_empty_request_bodies;
pub use error_responses::unify_error_responses;
pub use excluded::{drop_excluded_operations, same_route};
pub use formats::drop_inapplicable_formats;
pub use invalid_defaults::drop_invalid_defaults;
pub use legacy_routes::drop_legacy_routes;
pub use managed_headers::drop_managed_header_parameters;
pub use markdown::markdown_descriptions;
pub use media_types::normalize_versioned_media_types;
pub use missing_schemas::fill_missing_media_schemas;
pub use multipart::{
    FieldKind, MULTIPART_EXTENSION, MultipartField, MultipartForm, describe_multipart_files_as_binary,
    multipart_request_bodies,
};
pub use overlays::{add_missing_operations, add_missing_responses, add_missing_schemas};
pub use path_parameters::require_path_parameters;
pub use prune::prune_unreferenced_schemas;
pub use query_integers::type_integer_query_parameters;
pub use required::drop_undefined_required;
pub use route_names::{ORIGINAL_ID_EXTENSION, name_operations_by_route};
pub use scalar_unions::simplify_scalar_any_of;
pub use shape::drop_malformed_operations;
pub use space_prefix::collapse_space_prefix;
pub use success_responses::declare_missing_success_responses;
pub use symbol_enums::{SymbolEnum, hoist_symbol_enums};

use crate::{config::TransformConfig, merge::HTTP_METHODS};

/// The extension holding an operation's route in its input document.
pub const ROUTE_EXTENSION: &str = "x-kibana-route";

/// What the transforms did, per operation (keyed by its route in the input document, `METHOD /path`).
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    /// Transforms that changed an operation, in the order they ran.
    pub applied: BTreeMap<String, Vec<&'static str>>,
    /// Operations removed from the document, with the reason.
    pub excluded: BTreeMap<String, String>,
    /// Excluded operations that are callable through an identical route (`/s/{spaceId}` twins).
    pub folded: BTreeSet<String>,
    /// Document-level notes (e.g. pruned schemas).
    pub notes: Vec<String>,
    /// Settings of `transforms.toml` that no longer apply to the documents (reported, never fatal).
    pub stale: Vec<StaleSetting>,
    /// Unions decoded by their tag property.
    pub tagged_unions: unions::TaggedUnions,
    /// What reading answers tolerantly changed.
    pub answers: answers::RelaxedAnswers,
}

/// A setting of `transforms.toml` the documents no longer need or fit (a Kibana upgrade fixed or moved what it was
/// for): `[[table]] entry`, why, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleSetting {
    pub table: &'static str,
    pub entry: String,
    pub why: String,
}

impl Ledger {
    /// Records a setting that does not apply to these documents.
    pub fn stale(&mut self, table: &'static str, entry: impl Into<String>, why: impl Into<String>) {
        self.stale.push(StaleSetting {
            table,
            entry: entry.into(),
            why: why.into(),
        });
    }

    pub fn applied(&mut self, route: &str, transform: &'static str) {
        let entry = self.applied.entry(route.to_owned()).or_default();
        if !entry.contains(&transform) {
            entry.push(transform);
        }
    }

    pub fn exclude(&mut self, route: &str, reason: impl Into<String>) {
        self.excluded.insert(route.to_owned(), reason.into());
    }

    /// How many operations a transform touched.
    pub fn count(&self, transform: &str) -> usize {
        self.applied.values().filter(|t| t.contains(&transform)).count()
    }
}

/// One operation of the document as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The path as it is now (transforms may have moved it).
    pub path: String,
    pub method: &'static str,
    /// The route in the input document: the ledger's key.
    pub route: String,
    /// The operationId as it is now (empty when the document gives none).
    pub id: String,
}

/// Who the transformed document is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// progenitor: every transform.
    Generator,
    /// Prism, which validates what the client really sends: request bodies keep their real media types (multipart
    /// forms, gzip uploads) instead of the raw bodies the generator needs.
    Prism,
}

/// Everything the pipeline does to the merged document, in order.
pub fn apply_all(
    doc: &mut Value,
    config: &TransformConfig,
    api_version: &str,
    target: Target,
    ledger: &mut Ledger,
) -> anyhow::Result<Vec<SymbolEnum>> {
    stamp_routes(doc);
    drop_malformed_operations(doc, ledger)?;
    add_missing_operations(doc, &config.operation_additions, ledger)?;
    drop_legacy_routes(doc, &config.legacy_routes, &config.space_prefix.prefix, ledger);
    drop_excluded_operations(doc, &config.excluded_operations, ledger);
    api_versions::record_api_versions(doc, api_version, ledger);
    normalize_versioned_media_types(doc, api_version, ledger);
    collapse_space_prefix(doc, &config.space_prefix.prefix, ledger);
    drop_managed_header_parameters(doc, &config.managed_headers, ledger);
    if target == Target::Generator {
        type_integer_query_parameters(doc, &config.query.integers, ledger);
    }
    require_path_parameters(doc, ledger);
    drop_empty_request_bodies(doc, ledger);
    fill_missing_media_schemas(doc, ledger);
    relabel_json_responses(doc, ledger);
    describe_multipart_files_as_binary(doc, ledger);
    if target == Target::Generator {
        raw_request_bodies(doc, ledger);
        multipart_request_bodies(doc, ledger);
    }
    declare_missing_success_responses(doc, ledger);
    fill_response_descriptions(doc, ledger);
    unify_error_responses(doc, ledger);
    add_missing_schemas(doc, &config.schema_additions, ledger)?;
    add_missing_responses(doc, &config.response_additions, ledger)?;
    relax_ambiguous_one_of(doc, &config.ambiguous_one_of, ledger);
    drop_invalid_defaults(doc, ledger);
    drop_inapplicable_formats(doc, ledger);
    drop_undefined_required(doc, ledger);
    if target == Target::Generator {
        simplify_scalar_any_of(doc, ledger);
    }
    let mut symbol_enums = hoist_symbol_enums(doc, &config.symbol_names, ledger);
    let mut taken: Vec<String> = Vec::new();
    for symbol_enum in &mut symbol_enums {
        if let Some(name) = config.symbol_enum_names.get(&symbol_enum.schema_name) {
            symbol_enum.rust_name.clone_from(name);
        }
        // Two schemas may want one Rust name (`thresholdcomparator` renamed, a hoisted `ThresholdComparator`).
        let base = symbol_enum.rust_name.clone();
        let mut n = 2;
        while taken.contains(&symbol_enum.rust_name) {
            symbol_enum.rust_name = format!("{base}{n}");
            n += 1;
        }
        if symbol_enum.rust_name != base {
            ledger.notes.push(format!(
                "symbol enum `{}` is `{}`: `{base}` is taken (name it in `[symbol_enum_names]`)",
                symbol_enum.schema_name, symbol_enum.rust_name
            ));
        }
        taken.push(symbol_enum.rust_name.clone());
    }
    name_operations_by_route(doc, ledger);
    if target == Target::Generator {
        markdown_descriptions(doc, ledger);
        lifecycle::describe_lifecycle(doc, ledger);
        ledger.tagged_unions = unions::tag_discriminated_unions(doc, ledger);
        ledger.answers = answers::read_answers_tolerantly(doc, ledger);
    }
    prune_unreferenced_schemas(doc, ledger);
    Ok(symbol_enums)
}

/// Records every operation's route (`METHOD /path`, method in capitals) as [`ROUTE_EXTENSION`].
pub fn stamp_routes(doc: &mut Value) {
    for (path, item) in doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        for method in HTTP_METHODS {
            if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut)
                && !op.contains_key(ROUTE_EXTENSION)
            {
                op.insert(
                    ROUTE_EXTENSION.into(),
                    Value::String(format!("{} {path}", method.to_uppercase())),
                );
            }
        }
    }
}

/// Every operation, in document order.
pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in HTTP_METHODS {
            let Some(op) = item.get(method).filter(|op| op.is_object()) else {
                continue;
            };
            let route = op[ROUTE_EXTENSION]
                .as_str()
                .map_or_else(|| format!("{} {path}", method.to_uppercase()), str::to_owned);
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            out.push(Operation {
                path: path.clone(),
                method,
                route,
                id,
            });
        }
    }
    out
}

/// The operation object at `path` / `method`, when there is one.
pub fn operation_mut<'a>(
    doc: &'a mut Value,
    path: &str,
    method: &str,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    doc.get_mut("paths")?.get_mut(path)?.get_mut(method)?.as_object_mut()
}

/// Removes one operation, and its path when no operation is left on it.
pub fn remove_operation(doc: &mut Value, path: &str, method: &str) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
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

/// Follows local `$ref`s until a value that is not one (at most 32 hops, so that a reference cycle ends).
pub fn resolve_deep<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let next = resolve(doc, value);
        if std::ptr::eq(next, value) {
            break;
        }
        value = next;
    }
    value
}

/// Turns the component schema `name` into a plain string (its `enum` removed), for an enum that cannot be generated.
pub fn relax_enum(doc: &mut Value, name: &str) {
    if let Some(schema) = doc
        .pointer_mut(&format!("/components/schemas/{}", pointer_escape(name)))
        .and_then(Value::as_object_mut)
    {
        schema.shift_remove("enum");
    }
}

/// Escapes one JSON-pointer token (`~` and `/`).
pub fn pointer_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The component schemas (`drop_malformed_operations` makes sure the document has an object there).
pub fn schemas_mut(doc: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    doc.get_mut("components")?.get_mut("schemas")?.as_object_mut()
}

#[cfg(test)]
pub(crate) mod test_support {
    use serde_json::{Value, json};

    pub fn spec(paths: Value) -> Value {
        json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": {}, "parameters": {}}})
    }
}
