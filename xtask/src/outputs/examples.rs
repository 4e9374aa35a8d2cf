//! `kibana-gen/tests/spec_examples/`: a test of the generated crate with one check per `examples` entry of a
//! generated request or response body (`cases.rs`), and the harness that runs them (`main.rs`, `support.rs`).
//!
//! The examples are Elastic's and are not committed: the generated test names each one by its JSON pointer in the
//! pinned document and reads it from the pinned document at test time.

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

/// `generated`: the generated method's name by the operation's route in its input document. `answer_copies`: the
/// answer-side copy of a component requests share too (an answer's example is checked against the type answers
/// decode into).
pub fn collect(
    documents: &[SourceDocument],
    generated: &BTreeMap<String, String>,
    answer_copies: &BTreeMap<String, String>,
) -> Vec<ExampleCase> {
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
                    ("body", "request"),
                    &BTreeMap::new(),
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
                        ("response", &what),
                        answer_copies,
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
    (suffix, what): (&str, &str),
    copies: &BTreeMap<String, String>,
) {
    if media.is_null() {
        return;
    }
    let rust_type = type_for(&media["schema"], op_id, suffix, copies);
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
fn type_for(schema: &Value, op_id: &str, suffix: &str, copies: &BTreeMap<String, String>) -> String {
    let component = |s: &Value| {
        s["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(|name| rust_type_name(copies.get(name).map_or(name, String::as_str)))
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
        //! run by `main.rs` beside it.

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

/// The test target (`tests/spec_examples/main.rs`) that runs the cases.
pub fn render_main() -> String {
    format!("{}\n{}", super::GENERATED_HEADER, MAIN)
}

/// Its support module (`support.rs`): finds the pinned documents and checks each example; `crate_name` as above.
pub fn render_support(crate_name: &str) -> String {
    format!(
        "{}\n{}",
        super::GENERATED_HEADER,
        SUPPORT.replace("CRATE_NAME", crate_name)
    )
}

const MAIN: &str = r#"//! Every example of the pinned documents that belongs to a generated request or response body must deserialize
//! into its generated type (this catches wrong types early). Examples broken upstream are listed as known-bad, with
//! the reason, in the pin's `transforms.toml`, and reported rather than silently skipped. Without the documents the
//! test says loudly that it checked nothing.

// Generated like `cases` (the xtask writes them; rustfmt leaves them be, so that `regen --check` stays clean).
#[rustfmt::skip]
mod support;

#[rustfmt::skip]
mod cases;

#[test]
fn every_spec_example_deserializes_into_its_generated_type() {
    let Some(mut run) = support::ExampleRun::load() else {
        return;
    };
    cases::check_all(&mut run);
    run.finish(cases::COUNT);
}
"#;

const SUPPORT: &str = r#"//! Reads the pinned documents for the example test, and checks each example.

use std::{collections::BTreeMap, path::PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Where a pinned document is: in `KIBANA_SPEC_DIR`, else in a directory of `../shared/openapi/` beside the
/// workspace (the first that has a file of its name).
fn find(file: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KIBANA_SPEC_DIR") {
        return Some(PathBuf::from(dir).join(file));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.ancestors().find(|dir| dir.join("openapi").is_dir())?;
    let shared = workspace.parent()?.join("shared/openapi");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&shared).ok()?.flatten().map(|e| e.path()).collect();
    dirs.sort();
    dirs.into_iter().map(|dir| dir.join(file)).find(|path| path.exists())
}

pub struct ExampleRun {
    documents: BTreeMap<&'static str, Value>,
    checked: usize,
    failures: Vec<String>,
    known_bad: Vec<String>,
}

impl ExampleRun {
    /// `None` (after a loud message) when the documents are not on this machine.
    pub fn load() -> Option<Self> {
        let mut documents = BTreeMap::new();
        for doc in CRATE_NAME::SPEC.documents {
            let Some(bytes) = find(doc.file).and_then(|path| std::fs::read(path).ok()) else {
                eprintln!(
                    "
*** SKIPPED: the pinned Kibana OpenAPI document `{}` is not in KIBANA_SPEC_DIR or                      ../shared/openapi/*/. The spec examples were NOT checked. ***
",
                    doc.file
                );
                return None;
            };
            let value: Value = serde_norway::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", doc.file));
            documents.insert(doc.name, value);
        }
        Some(Self { documents, checked: 0, failures: Vec::new(), known_bad: Vec::new() })
    }

    pub fn check<T: DeserializeOwned>(&mut self, document: &str, pointer: &str, context: &str, known_bad: Option<&str>) {
        let Some(example) = self.documents.get(document).and_then(|d| d.pointer(pointer)) else {
            self.failures.push(format!("{context}: no example at {document}#{pointer}"));
            return;
        };
        self.checked += 1;
        let outcome = serde_json::from_value::<T>(example.clone());
        match (outcome, known_bad) {
            (Ok(_), None) => {}
            (Err(error), None) => self.failures.push(format!(
                "{context} ({document}#{pointer}) does not deserialize into {}: {error}",
                std::any::type_name::<T>()
            )),
            (Err(error), Some(reason)) => self.known_bad.push(format!("{context}: {reason} ({error})")),
            (Ok(_), Some(reason)) => self.failures.push(format!(
                "{context} is listed as known-bad ({reason}) but now deserializes: remove it from the pin's                  transforms.toml"
            )),
        }
    }

    pub fn finish(self, expected: usize) {
        eprintln!("spec examples: {} checked of {expected}", self.checked);
        for known in &self.known_bad {
            eprintln!("known-bad upstream example (reported, not failed): {known}");
        }
        assert!(self.failures.is_empty(), "{} example(s) failed:
{}", self.failures.len(), self.failures.join("
"));
    }
}
"#;
