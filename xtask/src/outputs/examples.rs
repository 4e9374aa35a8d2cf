//! `kibana-gen/tests/generated/spec_example_cases.rs`: one check per `examples` entry of a generated request or response body.
//!
//! The examples are Elastic's and are not committed: the generated test names each one by its JSON pointer in the
//! pinned document and reads it from the spec directory at test time.

use std::collections::BTreeMap;

use heck::ToPascalCase;
use quote::quote;
use serde_json::Value;

use crate::{
    config::KnownBadExample, generate::rust_type_name, merge::HTTP_METHODS, source::SourceDocument, transforms::resolve,
};

/// One example and the generated type it must deserialize into.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExampleCase {
    pub document: String,
    pub pointer: String,
    pub rust_type: String,
    pub context: String,
}

/// `generated`: the generated method's name by the operation's route in its input document.
pub fn collect(documents: &[SourceDocument], generated: &BTreeMap<String, String>) -> Vec<ExampleCase> {
    let mut cases = Vec::new();
    for source in documents {
        let doc = &source.value;
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in HTTP_METHODS {
                let Some(op) = item.get(method) else { continue };
                let Some(id) = generated.get(&format!("{} {path}", method.to_uppercase())) else {
                    continue;
                };
                let id = id.as_str();
                let op_pointer = format!("/paths/{}/{method}", escape(path));
                let body = resolve(doc, &op["requestBody"]);
                let body_pointer =
                    pointer_of(&op["requestBody"]).unwrap_or_else(|| format!("{op_pointer}/requestBody"));
                let media = format!("{body_pointer}/content/application~1json");
                add_media(
                    &mut cases,
                    source,
                    &body["content"]["application/json"],
                    &media,
                    id,
                    "body",
                    "request",
                );
                for (code, response) in op["responses"].as_object().into_iter().flatten() {
                    if !code.starts_with('2') {
                        continue;
                    }
                    let response_pointer =
                        pointer_of(response).unwrap_or_else(|| format!("{op_pointer}/responses/{}", escape(code)));
                    let response = resolve(doc, response);
                    let media = format!("{response_pointer}/content/application~1json");
                    let what = format!("{code} response");
                    add_media(
                        &mut cases,
                        source,
                        &response["content"]["application/json"],
                        &media,
                        id,
                        "response",
                        &what,
                    );
                }
            }
        }
    }
    cases.sort();
    cases.dedup();
    cases
}

fn add_media(
    cases: &mut Vec<ExampleCase>,
    source: &SourceDocument,
    media: &Value,
    media_pointer: &str,
    op_id: &str,
    suffix: &str,
    what: &str,
) {
    if media.is_null() {
        return;
    }
    let rust_type = type_for(&media["schema"], op_id, suffix);
    let mut add = |pointer: String, label: &str| {
        cases.push(ExampleCase {
            document: source.pin.name.clone(),
            pointer,
            rust_type: rust_type.clone(),
            context: format!("{op_id} {what} example `{label}`"),
        });
    };
    if !media["example"].is_null() {
        add(format!("{media_pointer}/example"), "example");
    }
    for (name, example) in media["examples"].as_object().into_iter().flatten() {
        let pointer = pointer_of(example).unwrap_or_else(|| format!("{media_pointer}/examples/{}", escape(name)));
        add(format!("{pointer}/value"), name);
    }
}

/// The generated type of a body schema, named the way progenitor and typify name it: a `$ref` by its component,
/// an inline schema by its `title` or else `{operationId}-{body|response}`, inline array items with `Item` appended.
fn type_for(schema: &Value, op_id: &str, suffix: &str) -> String {
    let component = |s: &Value| {
        s["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(rust_type_name)
    };
    if let Some(name) = component(schema) {
        return format!("types::{name}");
    }
    let base = match schema["title"].as_str() {
        Some(title) => title.to_pascal_case(),
        None => format!("{op_id}-{suffix}").to_pascal_case(),
    };
    if schema["type"] == "array" {
        let item = match (component(&schema["items"]), schema["items"]["title"].as_str()) {
            (Some(name), _) => name,
            (None, Some(title)) => title.to_pascal_case(),
            (None, None) => format!("{base}Item"),
        };
        return format!("Vec<types::{item}>");
    }
    format!("types::{base}")
}

fn pointer_of(value: &Value) -> Option<String> {
    value["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix('#'))
        .map(str::to_owned)
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `crate_name`: the generated crate as a test names it (`kibana_gen_8`).
pub fn render(cases: &[ExampleCase], known_bad: &[KnownBadExample], crate_name: &str) -> anyhow::Result<String> {
    let crate_ident = quote::format_ident!("{}", crate_name);
    let known: BTreeMap<(&str, &str), &str> = known_bad
        .iter()
        .map(|k| ((k.document.as_str(), k.pointer.as_str()), k.reason.as_str()))
        .collect();
    let checks = cases.iter().map(|case| {
        let ty: syn::Type = syn::parse_str(&case.rust_type).unwrap_or_else(|_| syn::parse_quote!(serde_json::Value));
        let (document, pointer, context) = (&case.document, &case.pointer, &case.context);
        let known_bad = match known.get(&(case.document.as_str(), case.pointer.as_str())) {
            Some(reason) => quote!(Some(#reason)),
            None => quote!(None),
        };
        quote! { run.check::<#ty>(#document, #pointer, #context, #known_bad); }
    });
    let count = cases.len();
    let tokens = quote! {
        //! One check per example of the pinned documents that belongs to a generated request or response body;
        //! run by `kibana-gen/tests/spec_examples.rs`.

        use #crate_ident::types;

        use super::support::ExampleRun;

        /// How many examples there are.
        pub const COUNT: usize = #count;

        /// Checks every example.
        pub fn check_all(run: &mut ExampleRun) {
            #(#checks)*
        }
    };
    Ok(format!(
        "{}\n{}",
        super::GENERATED_HEADER,
        super::format_tokens(tokens)?
    ))
}
