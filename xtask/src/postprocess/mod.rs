//! Changes to progenitor's output that no spec transform can make: each works on the parsed Rust, checks the shape
//! it expects, and reports an item it cannot handle instead of guessing.

pub mod answers;
pub mod fields;
pub mod multipart;
pub mod unknown_fields;

use crate::outputs::routes::Route;

/// What post-processing did, and the operations it could not handle (to be generated without).
#[derive(Debug, Default)]
pub struct Outcome {
    pub notes: Vec<String>,
    /// What the answer types were given.
    pub answers: answers::AnswerTypes,
    /// `(route in the input document, reason)`.
    pub failed: Vec<(String, String)>,
}

/// Runs every post-processing step over the generated file.
pub fn apply(file: &mut syn::File, routes: &[Route], doc: &serde_json::Value) -> Outcome {
    let mut outcome = Outcome {
        notes: fields::dedupe_struct_fields(file),
        answers: answers::AnswerTypes::default(),
        failed: Vec::new(),
    };
    answers::decode_unions(file, doc, &mut outcome.answers);
    let relaxed = unknown_fields::tolerate_unknown_fields(file);
    answers::keep_the_unknown(file, &mut outcome.answers);
    outcome.notes.append(&mut outcome.answers.notes);
    if relaxed > 0 {
        outcome.notes.push(format!(
            "{relaxed} generated structs read fields they do not know instead of refusing the answer (`deny_unknown_fields` kept on untagged enum variants)"
        ));
    }
    for route in routes.iter().filter(|r| r.multipart.is_some()) {
        if let Err(error) = multipart::type_multipart_method(file, &route.name) {
            outcome.failed.push((
                route.original_route.clone(),
                format!("its multipart form cannot be typed: {error:#}"),
            ));
        }
    }
    outcome
}
