//! Changes to progenitor's output that no spec transform can make: each works on the parsed Rust, checks the shape
//! it expects, and reports an item it cannot handle instead of guessing.

pub mod answers;
pub mod cursors;
pub mod deprecated;
pub mod fields;
pub mod multipart;
pub mod paging;
pub mod query;
pub mod unknown_fields;

use crate::outputs::routes::Route;

/// What post-processing did, and the operations it could not handle (to be generated without).
#[derive(Debug, Default)]
pub struct Outcome {
    pub notes: Vec<String>,
    /// What the answer types were given.
    pub answers: answers::AnswerTypes,
    /// Query parameters encoded by `crate::query`.
    pub query_parameters: usize,
    /// The operations whose calls stream their pages, those skipped, and the cursor-paged ones.
    pub paging: paging::Paging,
    /// `(route in the input document, reason)`.
    pub failed: Vec<(String, String)>,
}

/// Runs every post-processing step over the generated file.
pub fn apply(
    file: &mut syn::File,
    routes: &[Route],
    doc: &serde_json::Value,
    query: &crate::config::QuerySettings,
) -> Outcome {
    let mut outcome = Outcome {
        notes: fields::dedupe_struct_fields(file),
        answers: answers::AnswerTypes::default(),
        query_parameters: 0,
        paging: paging::Paging::default(),
        failed: Vec::new(),
    };
    answers::decode_unions(file, doc, &mut outcome.answers);
    let relaxed = unknown_fields::tolerate_unknown_fields(file);
    answers::keep_the_unknown(file, &mut outcome.answers);
    let spread: Vec<(String, crate::config::SpreadQueryObject)> = query
        .spread_objects
        .iter()
        .filter_map(|entry| {
            routes
                .iter()
                .find(|r| crate::transforms::same_route(&r.original_route, &entry.route))
                .map(|r| (r.name.clone(), entry.clone()))
        })
        .collect();
    outcome.query_parameters = query::encode_as_kibana_reads(file, &spread);
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
    // Last: it reads the answer structs and the query arguments as the steps above left them.
    outcome.paging = paging::apply(file, doc);
    let deprecated = deprecated::mark_deprecated_methods(file, routes);
    if deprecated > 0 {
        outcome.notes.push(format!(
            "{deprecated} methods of deprecated operations are `#[deprecated]` (on `Client` and `Api`)"
        ));
    }
    outcome
}
