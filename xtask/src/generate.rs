//! Runs progenitor (as a library) over the transformed document, one operation's failure at a time.

use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, anyhow};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use serde_json::Value;

use crate::transforms::{Ledger, SymbolEnum, operations, prune_unreferenced_schemas, remove_operation};

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
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(doc.clone()).map_err(|e| format!("not a valid OpenAPI 3.0 document: {e}"))?;
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

/// Generates the client. When the whole document fails, every operation is tried on its own (with only the schemas
/// it reaches), the failing ones are excluded with progenitor's message, and the rest is generated.
pub fn generate(doc: &mut Value, symbol_enums: &[SymbolEnum], ledger: &mut Ledger) -> Result<String> {
    let settings = settings(symbol_enums);
    let tokens = match try_generate(doc, &settings) {
        Ok(tokens) => tokens,
        Err(whole_error) => {
            for (path, method, id) in operations(doc) {
                let mut single = doc.clone();
                for (other_path, other_method, other_id) in operations(doc) {
                    if other_id != id {
                        remove_operation(&mut single, &other_path, other_method);
                    }
                }
                prune_unreferenced_schemas(&mut single, &mut Ledger::default());
                if let Err(error) = try_generate(&single, &settings) {
                    ledger.exclude(&id, error);
                    remove_operation(doc, &path, method);
                }
            }
            prune_unreferenced_schemas(doc, ledger);
            try_generate(doc, &settings).map_err(|e| {
                anyhow!("generation fails even without the failing operations: {e} (whole document: {whole_error})")
            })?
        }
    };
    let file: syn::File = syn::parse2(tokens).context("progenitor produced tokens that are not a Rust file")?;
    Ok(prettyplease::unparse(&file))
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
        let code = generate(&mut d, &[], &mut ledger).unwrap();
        assert!(code.contains("fn get_a"), "getA is generated");
        assert!(!code.contains("fn get_b"));
        assert!(ledger.excluded["getB"].contains("progenitor"), "{:?}", ledger.excluded);
    }

    #[test]
    fn typify_names_match() {
        assert_eq!(rust_type_name("400_response"), "X400Response");
        assert_eq!(rust_type_name("config_properties_email"), "ConfigPropertiesEmail");
        assert_eq!(rust_type_name("thresholdcomparator"), "Thresholdcomparator");
    }
}
