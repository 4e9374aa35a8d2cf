//! Runs progenitor (as a library) over the transformed document, one operation's failure at a time.

use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, anyhow};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use serde_json::Value;

use crate::transforms::{Ledger, Operation, SymbolEnum, operations, prune_unreferenced_schemas, remove_operation};

/// The Rust name typify gives a schema name (its `sanitize(.., Case::Pascal)`).
pub fn rust_type_name(schema_name: &str) -> String {
    use heck::ToPascalCase;
    let cleaned: String = schema_name
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    let out = cleaned.to_pascal_case();
    match out.chars().next() {
        None => "X".to_owned(),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("X{out}"),
    }
}

fn settings(symbol_enums: &[SymbolEnum]) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(crate::hooks::Inner));
    for symbol_enum in symbol_enums {
        let name = rust_type_name(&symbol_enum.schema_name);
        settings.with_replacement(
            &name,
            format!("crate::symbols::{}", symbol_enum.rust_name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Runs progenitor once; a panic inside it is caught and returned as an error message.
fn try_generate(doc: &Value, settings: &GenerationSettings) -> Result<TokenStream, String> {
    // The path of what is wrong (`paths./api/x.get.responses.200: missing field description`), not only what.
    let spec: openapiv3::OpenAPI = serde_path_to_error::deserialize(doc)
        .map_err(|e| format!("not a valid OpenAPI 3.0 document at `{}`: {}", e.path(), e.inner()))?;
    let previous_hook = std::panic::take_hook();
    // progenitor and typify report some unsupported shapes by panicking; keep them off stderr, they are reported.
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| Generator::new(settings).generate_tokens(&spec)));
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(format!("progenitor error: {error}")),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(format!("progenitor panicked: {message}"))
        }
    }
}

/// Generates the client. When the whole document fails, the operations are split in halves until each failing
/// operation is found alone (with only the schemas it reaches); those are excluded with progenitor's message, and the
/// rest is generated. A failure that only shows when two halves meet is narrowed down one operation at a time.
pub fn generate(doc: &mut Value, symbol_enums: &[SymbolEnum], ledger: &mut Ledger) -> Result<syn::File> {
    let settings = settings(symbol_enums);
    let tokens = match try_generate(doc, &settings) {
        Ok(tokens) => tokens,
        Err(whole_error) => {
            let all: Vec<Operation> = operations(doc);
            let mut failing = Vec::new();
            find_failing(doc, &settings, &all, &mut failing);
            for (op, error) in &failing {
                ledger.exclude(&op.route, error.clone());
                remove_operation(doc, &op.path, op.method);
            }
            prune_unreferenced_schemas(doc, ledger);
            try_generate(doc, &settings).map_err(|e| {
                anyhow!("generation fails even without the failing operations: {e} (whole document: {whole_error})")
            })?
        }
    };
    syn::parse2(tokens).context("progenitor produced tokens that are not a Rust file")
}

/// The document with only `keep` of its operations (and the schemas they reach).
fn subset(doc: &Value, keep: &[Operation]) -> Value {
    let mut single = doc.clone();
    for op in operations(doc) {
        if !keep.iter().any(|k| k.path == op.path && k.method == op.method) {
            remove_operation(&mut single, &op.path, op.method);
        }
    }
    prune_unreferenced_schemas(&mut single, &mut Ledger::default());
    single
}

/// Adds to `failing` the operations of `ops` that cannot be generated, with progenitor's message.
fn find_failing(doc: &Value, settings: &GenerationSettings, ops: &[Operation], failing: &mut Vec<(Operation, String)>) {
    let error = match try_generate(&subset(doc, ops), settings) {
        Ok(_) => return,
        Err(error) => error,
    };
    if ops.len() == 1 {
        failing.push((ops[0].clone(), error));
        return;
    }
    let (left, right) = ops.split_at(ops.len() / 2);
    let before = failing.len();
    find_failing(doc, settings, left, failing);
    find_failing(doc, settings, right, failing);
    if failing.len() > before {
        return;
    }
    // Each half generates alone, together they do not: grow the left half one operation at a time.
    let mut kept: Vec<Operation> = left.to_vec();
    for op in right {
        kept.push(op.clone());
        if let Err(error) = try_generate(&subset(doc, &kept), settings) {
            kept.pop();
            failing.push((op.clone(), format!("{error} (only together with other operations)")));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(paths: Value) -> Value {
        json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": {}}})
    }

    fn ok_op(id: &str) -> Value {
        json!({"get": {"operationId": id, "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": "string"}}}}}}})
    }

    #[test]
    fn one_failing_operation_is_excluded_not_fatal() {
        // Two differently-shaped error responses: progenitor's `response_types.len() <= 1` assertion.
        let mut d = doc(json!({
            "/a": ok_op("getA"),
            "/b": {"get": {"operationId": "getB", "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}},
                "400": {"description": "x", "content": {"application/json": {"schema": {"type": "string"}}}},
                "404": {"description": "y", "content": {"application/json": {"schema": {"type": "integer"}}}}}}},
        }));
        let mut ledger = Ledger::default();
        let code = prettyplease::unparse(&generate(&mut d, &[], &mut ledger).unwrap());
        assert!(code.contains("fn get_a"), "getA is generated");
        assert!(!code.contains("fn get_b"));
        assert!(
            ledger.excluded["GET /b"].contains("progenitor"),
            "{:?}",
            ledger.excluded
        );
    }

    #[test]
    fn typify_names_match() {
        assert_eq!(rust_type_name("400_response"), "X400Response");
        assert_eq!(rust_type_name("config_properties_email"), "ConfigPropertiesEmail");
        assert_eq!(rust_type_name("thresholdcomparator"), "Thresholdcomparator");
    }
}
