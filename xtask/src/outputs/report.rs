//! `kibana-gen/REGEN_REPORT.md`: the fate of every operation of every input document.

use std::{collections::BTreeMap, fmt::Write};

use crate::{config::Pin, merge::HTTP_METHODS, source::SourceDocument, transforms::Ledger};

pub struct ReportInput<'a> {
    pub pin: &'a Pin,
    pub documents: &'a [SourceDocument],
    pub ledger: &'a Ledger,
    pub generated_lines: usize,
    pub example_count: usize,
    pub schema_count: usize,
}

pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Regen report\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask regen`; `cargo xtask regen --check` fails when it is stale. Kibana: {}; \
         `elastic-api-version`: {}.\n",
        input.pin.kibana_ref, input.pin.api_version
    );
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for source in input.documents {
        let pin = &source.pin;
        let _ = writeln!(out, "## `{}` ({})\n", pin.name, pin.source_path);
        let _ = writeln!(out, "commit `{}`, sha256 `{}`\n", pin.commit, pin.sha256);
        let _ = writeln!(out, "| operation | route | fate |");
        let _ = writeln!(out, "|---|---|---|");
        for (path, item) in source.value["paths"].as_object().into_iter().flatten() {
            for method in HTTP_METHODS {
                let Some(op) = item.get(method) else { continue };
                let id = op["operationId"].as_str().unwrap_or("?");
                let deprecated = if op["deprecated"].as_bool().unwrap_or(false) {
                    " (deprecated)"
                } else {
                    ""
                };
                let fate = match (input.ledger.excluded.get(id), input.ledger.applied.get(id)) {
                    (Some(reason), _) => {
                        *totals.entry("excluded").or_default() += 1;
                        format!("excluded: {reason}")
                    }
                    (None, Some(transforms)) => {
                        *totals.entry("generated").or_default() += 1;
                        let list: Vec<_> = transforms.iter().map(|t| format!("`{t}`")).collect();
                        format!("generated after {}", list.join(", "))
                    }
                    (None, None) => {
                        *totals.entry("generated").or_default() += 1;
                        "generated".to_owned()
                    }
                };
                let _ = writeln!(
                    out,
                    "| `{id}`{deprecated} | `{} {path}` | {fate} |",
                    method.to_uppercase()
                );
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## Totals\n");
    let generated = totals.get("generated").copied().unwrap_or_default();
    let excluded = totals.get("excluded").copied().unwrap_or_default();
    let _ = writeln!(out, "- operations in the inputs: {}", generated + excluded);
    let _ = writeln!(out, "- generated: {generated}");
    let _ = writeln!(out, "- excluded: {excluded}");
    let _ = writeln!(out, "- component schemas generated: {}", input.schema_count);
    let _ = writeln!(out, "- lines of generated client code: {}", input.generated_lines);
    let _ = writeln!(
        out,
        "- spec examples checked by `kibana-gen/tests/spec_examples.rs`: {}",
        input.example_count
    );
    if !input.ledger.notes.is_empty() {
        let _ = writeln!(out, "\n## Notes\n");
        for note in &input.ledger.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}
