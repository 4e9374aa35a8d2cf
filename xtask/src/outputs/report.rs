//! `kibana-gen/REGEN_REPORT.md`: the fate of every operation of every input document, and the totals.

use std::{collections::BTreeMap, fmt::Write};

use super::routes::Route;
use crate::{config::Pin, merge::HTTP_METHODS, source::SourceDocument, transforms::Ledger};

pub struct ReportInput<'a> {
    pub pin: &'a Pin,
    pub documents: &'a [SourceDocument],
    pub ledger: &'a Ledger,
    pub routes: &'a [Route],
    pub layout: &'a super::layout::Layout,
    pub generated_lines: usize,
    pub example_count: usize,
    pub schema_count: usize,
}

/// The transforms, in the order they run, for the per-transform counts.
const TRANSFORMS: [&str; 20] = [
    "add_missing_operations",
    "normalize_versioned_media_types",
    "collapse_space_prefix",
    "drop_managed_header_parameters",
    "require_path_parameters",
    "drop_empty_request_bodies",
    "fill_missing_media_schemas",
    "relabel_json_responses",
    "describe_multipart_files_as_binary",
    "raw_request_bodies",
    "multipart_request_bodies",
    "declare_missing_success_responses",
    "unify_error_responses",
    "add_missing_responses",
    "hoist_symbol_enums",
    "drop_legacy_routes",
    "drop_excluded_operations",
    "drop_malformed_operations",
    "add_missing_schemas",
    "relax_ambiguous_one_of",
];

/// A reason on one line, for a table cell.
fn one_line(reason: &str) -> String {
    let first = reason.lines().next().unwrap_or_default().replace('|', "\\|");
    if reason.lines().count() > 1 {
        format!("{first} (see below)")
    } else {
        first
    }
}

pub fn render(input: &ReportInput<'_>) -> String {
    let by_original: BTreeMap<&str, &Route> = input.routes.iter().map(|r| (r.original_route.as_str(), r)).collect();
    let mut rows = String::new();
    let mut totals = Totals::default();
    let mut details: Vec<(String, String)> = Vec::new();
    for source in input.documents {
        let pin = &source.pin;
        let _ = writeln!(rows, "## `{}` ({}, {})\n", pin.name, pin.repository, pin.source_path);
        let _ = writeln!(rows, "commit `{}`, sha256 `{}`\n", pin.commit, pin.sha256);
        let _ = writeln!(rows, "| route | Kibana operationId | Rust method | fate |");
        let _ = writeln!(rows, "|---|---|---|---|");
        for (path, item) in source.value["paths"].as_object().into_iter().flatten() {
            for method in HTTP_METHODS {
                let Some(op) = item.get(method) else { continue };
                let route = format!("{} {path}", method.to_uppercase());
                let id = op["operationId"].as_str().unwrap_or("");
                let deprecated = op["deprecated"].as_bool().unwrap_or(false);
                totals.operations += 1;
                totals.deprecated += usize::from(deprecated);
                let (name, fate) = match (input.ledger.excluded.get(&route), by_original.get(route.as_str())) {
                    (Some(reason), _) if input.ledger.folded.contains(&route) => {
                        totals.folded += 1;
                        (String::new(), format!("folded: {}", one_line(reason)))
                    }
                    (Some(reason), _) => {
                        totals.excluded += 1;
                        totals.excluded_non_deprecated += usize::from(!deprecated);
                        if reason.lines().count() > 1 {
                            details.push((route.clone(), reason.clone()));
                        }
                        (String::new(), format!("**excluded**: {}", one_line(reason)))
                    }
                    (None, Some(generated)) => {
                        totals.generated += 1;
                        totals.generated_deprecated += usize::from(deprecated);
                        let fate = match input.ledger.applied.get(&route) {
                            Some(transforms) => {
                                let list: Vec<_> = transforms.iter().map(|t| format!("`{t}`")).collect();
                                format!("generated after {}", list.join(", "))
                            }
                            None => "generated".to_owned(),
                        };
                        (format!("`{}`", generated.name), fate)
                    }
                    (None, None) => {
                        totals.excluded += 1;
                        totals.excluded_non_deprecated += usize::from(!deprecated);
                        (String::new(), "**excluded**: not in the generated document".to_owned())
                    }
                };
                let deprecated = if deprecated { " (deprecated)" } else { "" };
                let _ = writeln!(rows, "| `{route}`{deprecated} | `{id}` | {name} | {fate} |");
            }
        }
        let _ = writeln!(rows);
    }

    let in_documents: Vec<String> = input
        .documents
        .iter()
        .flat_map(|d| {
            d.value["paths"]
                .as_object()
                .into_iter()
                .flatten()
                .flat_map(|(path, item)| {
                    HTTP_METHODS
                        .iter()
                        .filter(|m| item.get(**m).is_some())
                        .map(move |m| format!("{} {path}", m.to_uppercase()))
                })
        })
        .collect();
    let added: Vec<&Route> = input
        .routes
        .iter()
        .filter(|r| !in_documents.contains(&r.original_route))
        .collect();
    if !added.is_empty() {
        let _ = writeln!(
            rows,
            "## Operations the documents lack, added by `add_missing_operations`\n"
        );
        let _ = writeln!(rows, "| route | Rust method |");
        let _ = writeln!(rows, "|---|---|");
        for route in &added {
            let _ = writeln!(rows, "| `{}` | `{}` |", route.original_route, route.name);
        }
        let _ = writeln!(rows);
    }

    let mut out = String::new();
    let _ = writeln!(out, "# Regen report\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask regen`; `cargo xtask regen --check` fails when it is stale. Kibana: {} \
         (compatibility range {}–{}); `elastic-api-version`: {}.\n",
        input.pin.kibana_ref, input.pin.kibana_min, input.pin.kibana_max, input.pin.api_version
    );
    let _ = writeln!(out, "## Totals\n");
    let non_deprecated = totals.operations - totals.deprecated;
    let callable_non_deprecated = non_deprecated - totals.excluded_non_deprecated;
    let _ = writeln!(out, "- operations in the inputs: {}", totals.operations);
    let _ = writeln!(
        out,
        "- generated: {} ({} of them deprecated), plus {} added from Kibana's sources",
        totals.generated,
        totals.generated_deprecated,
        added.len()
    );
    let _ = writeln!(
        out,
        "- folded into an identical route (a `/s/{{spaceId}}` twin; callable through it): {}",
        totals.folded
    );
    let _ = writeln!(
        out,
        "- excluded: {} ({} of them not deprecated)",
        totals.excluded, totals.excluded_non_deprecated
    );
    let percent = if non_deprecated == 0 {
        100.0
    } else {
        100.0 * callable_non_deprecated as f64 / non_deprecated as f64
    };
    let _ = writeln!(
        out,
        "- non-deprecated operations callable: {callable_non_deprecated} of {non_deprecated} ({percent:.1} %)"
    );
    let _ = writeln!(out, "- component schemas generated: {}", input.schema_count);
    let _ = writeln!(out, "- lines of generated client code: {}", input.generated_lines);
    let _ = writeln!(
        out,
        "- spec examples checked by the example test: {}",
        input.example_count
    );
    let _ = writeln!(
        out,
        "\nAPI areas (each a cargo feature of `kibana-gen`; `full` enables all); {} types are shared by several \
         areas and always compiled:\n",
        input.layout.shared_types
    );
    let _ = writeln!(out, "| area (feature) | operations | own types | lines |");
    let _ = writeln!(out, "|---|---|---|---|");
    for area in &input.layout.areas {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            area.name, area.operations, area.types, area.lines
        );
    }
    let _ = writeln!(out, "\nOperations each transform changed:\n");
    let _ = writeln!(out, "| transform | operations |");
    let _ = writeln!(out, "|---|---|");
    for transform in TRANSFORMS {
        let count = input.ledger.count(transform);
        if count > 0 {
            let _ = writeln!(out, "| `{transform}` | {count} |");
        }
    }
    let _ = writeln!(out);
    out.push_str(&rows);
    if !details.is_empty() {
        let _ = writeln!(out, "## Exclusions in detail\n");
        for (route, reason) in details {
            let lines: Vec<&str> = reason.lines().collect();
            let _ = writeln!(out, "### `{route}`\n\n```text");
            for line in lines.iter().take(60) {
                let _ = writeln!(out, "{line}");
            }
            if lines.len() > 60 {
                let _ = writeln!(out, "... ({} more lines)", lines.len() - 60);
            }
            let _ = writeln!(out, "```\n");
        }
    }
    if !input.ledger.notes.is_empty() {
        let _ = writeln!(out, "## Notes\n");
        for note in &input.ledger.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}

#[derive(Default)]
struct Totals {
    operations: usize,
    deprecated: usize,
    generated: usize,
    generated_deprecated: usize,
    folded: usize,
    excluded: usize,
    excluded_non_deprecated: usize,
}
