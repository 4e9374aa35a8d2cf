//! `kibana-gen/REGEN_REPORT.md`: the fate of every operation of every input document, and the totals.

use std::{collections::BTreeMap, fmt::Write};

use super::routes::Route;
use crate::{
    config::Pin,
    merge::HTTP_METHODS,
    source::SourceDocument,
    transforms::{
        Ledger,
        lifecycle::{Stability, Version},
    },
};

pub struct ReportInput<'a> {
    pub pin: &'a Pin,
    pub documents: &'a [SourceDocument],
    pub ledger: &'a Ledger,
    pub routes: &'a [Route],
    pub layout: &'a super::layout::Layout,
    pub generated_lines: usize,
    pub example_count: usize,
    pub schema_count: usize,
    /// What post-processing gave the answer types.
    pub answers: &'a crate::postprocess::answers::AnswerTypes,
    /// Query parameters encoded by `kibana_gen::query`, and the settings behind it.
    pub query_parameters: usize,
    pub query: &'a crate::config::QuerySettings,
    /// The calls with `.stream()`, the operations skipped, the cursor-paged ones.
    pub paging: &'a crate::postprocess::paging::Paging,
}

/// The transforms, in the order they run, for the per-transform counts.
const TRANSFORMS: [&str; 23] = [
    "add_missing_operations",
    "normalize_versioned_media_types",
    "collapse_space_prefix",
    "drop_managed_header_parameters",
    "type_integer_query_parameters",
    "require_path_parameters",
    "drop_empty_request_bodies",
    "fill_missing_media_schemas",
    "relabel_json_responses",
    "describe_multipart_files_as_binary",
    "raw_request_bodies",
    "multipart_request_bodies",
    "declare_missing_success_responses",
    "fill_response_descriptions",
    "unify_error_responses",
    "add_missing_responses",
    "hoist_symbol_enums",
    "drop_legacy_routes",
    "drop_excluded_operations",
    "drop_malformed_operations",
    "add_missing_schemas",
    "relax_ambiguous_one_of",
    "describe_lifecycle",
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
    answers_section(&mut out, input);
    calls_and_queries_section(&mut out, input);
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
    lifecycle_section(&mut out, input);
    paging_section(&mut out, input.paging);
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
    if !input.ledger.stale.is_empty() {
        let _ = writeln!(
            out,
            "## Settings that no longer apply\n\nEntries of `transforms.toml` these documents do not need or fit (a \
             Kibana upgrade fixed or moved what they were for). They were not applied; the regen went on.\n"
        );
        for stale in &input.ledger.stale {
            let _ = writeln!(out, "- `[[{}]]` `{}`: {}", stale.table, stale.entry, stale.why);
        }
        let _ = writeln!(out);
    }
    if !input.ledger.notes.is_empty() {
        let _ = writeln!(out, "## Notes\n");
        for note in &input.ledger.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}

/// "Paged calls": the calls with `.stream()`, the operations that look paged but have none, and those that page
/// by cursor.
fn paging_section(out: &mut String, paging: &crate::postprocess::paging::Paging) {
    let _ = writeln!(
        out,
        "## Paged calls\n\nCalls with `.stream()`: {}. An operation pages by page number when its query has an integer `page` \
         and an integer page size and its answer is an object holding the items in an array; its call on `Api` then \
         has `.stream()` (`kibana_gen::paging`): every item of every page, asked for until a page holds fewer items \
         than the page size, the pages hold the answer's `total`, or the page is the last the document allows. The \
         page size is the caller's, else the default below.\n",
        paging.calls.len()
    );
    if !paging.calls.is_empty() {
        let _ = writeln!(
            out,
            "| route | Rust method | items (type) | page, page size (default) | total | pages |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for call in &paging.calls {
            let pages = match call.last_page {
                Some(last) => format!("{}–{last}", call.first_page),
                None => format!("from {}", call.first_page),
            };
            let _ = writeln!(
                out,
                "| `{}` | `{}` | `{}` (`{}`) | `{}`, `{}` ({}) | {} | {pages} |",
                call.route,
                call.method,
                call.items,
                call.item_type,
                call.page_parameter,
                call.size_parameter,
                call.default_size,
                call.total
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), |t| format!("`{t}`"))
            );
        }
    }
    if !paging.skipped.is_empty() {
        let _ = writeln!(
            out,
            "\nOperations that look paged (a `page` and a page-size parameter) but have no `.stream()`:\n"
        );
        for (route, method, reason) in &paging.skipped {
            let _ = writeln!(out, "- `{route}` (`{method}`): {reason}");
        }
    }
    let _ = writeln!(
        out,
        "\nCalls that follow their answers' cursors: {}. An operation pages by cursor when its query has `searchAfter`, \
         `search_after` or `cursor` and its answer returns the next one (`next…` or the same name) in the type the \
         parameter takes; its call has `.stream()`, or `.stream_by_cursor()` beside a `.stream()` by number \
         (`kibana_gen::paging::cursor_stream`). Where the operation has a point in time (`openPit`, `pitId`, an \
         answer's `pit`) the first request opens one and the next ones send it; where the cursor marks a page (it \
         pages by number too, without a point in time) each request names the next page.\n",
        paging.cursor_calls.len()
    );
    if !paging.cursor_calls.is_empty() {
        let _ = writeln!(out, "| route | call | sends back | page size (default) | also |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for call in &paging.cursor_calls {
            let mut also = Vec::new();
            if call.point_in_time.is_some() {
                also.push("point in time (`pit` → `pitId`)");
            }
            if call.page.is_some() {
                also.push("next page number");
            }
            let _ = writeln!(
                out,
                "| `{}` | `{}().{}()` | `{}` → `{}` | {} | {} |",
                call.route,
                call.method,
                call.stream_name(),
                call.answer_property,
                call.parameter,
                call.size
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |(wire, _, default)| format!("`{wire}` ({default})")),
                if also.is_empty() {
                    "—".to_owned()
                } else {
                    also.join(", ")
                }
            );
        }
    }
    if !paging.cursor_skipped.is_empty() {
        let _ = writeln!(out, "\nOperations with a cursor parameter but no cursor stream:\n");
        for (route, method, reason) in &paging.cursor_skipped {
            let _ = writeln!(out, "- `{route}` (`{method}`): {reason}");
        }
    }
    let _ = writeln!(out);
}

/// Named optional parameters, and how query parameters are encoded (with the `style` / `explode` the documents use).
fn calls_and_queries_section(out: &mut String, input: &ReportInput<'_>) {
    let _ = writeln!(
        out,
        "\nCalls on `Api`: {} operations take optional parameters, all set by name on the call they return \
         (`api.get_x(required).optional(value).await`); the other {} are `async fn`s of their required arguments.",
        input.layout.calls.len(),
        input.routes.len().saturating_sub(input.layout.calls.len())
    );
    let mut styles: BTreeMap<String, usize> = BTreeMap::new();
    for source in input.documents {
        for (_, item) in source.value["paths"].as_object().into_iter().flatten() {
            for method in HTTP_METHODS {
                let Some(op) = item.get(method) else { continue };
                for parameter in [&item["parameters"], &op["parameters"]]
                    .into_iter()
                    .flat_map(|list| list.as_array().into_iter().flatten())
                {
                    let parameter = crate::transforms::resolve(&source.value, parameter);
                    if parameter["in"] != "query" {
                        continue;
                    }
                    let style = parameter["style"].as_str().unwrap_or("form (default)");
                    let explode = parameter["explode"]
                        .as_bool()
                        .map_or("explode (default)".to_owned(), |e| format!("explode: {e}"));
                    *styles.entry(format!("`{style}`, {explode}")).or_default() += 1;
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\nQuery parameters ({} in the generated methods) are encoded by `kibana_gen::query` as Kibana's router reads \
         them: strings as themselves, booleans `true`/`false`, numbers without a spurious fraction, lists as the key \
         repeated, objects as JSON text under their own name. The documents' `style` / `explode`: {}.",
        input.query_parameters,
        styles
            .iter()
            .map(|(style, n)| format!("{style} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !input.query.integers.is_empty() {
        let _ = writeln!(
            out,
            "Typed `integer` where the document says `number` (`[query] integers`): {} ({}).",
            input
                .query
                .integers
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            input.query.integers_reason
        );
    }
    for spread in &input.query.spread_objects {
        let _ = writeln!(
            out,
            "- `{}` `{}`: sent as its fields, each under its own name: {}",
            spread.route, spread.parameter, spread.reason
        );
    }
}

/// Per area: how the answer types read what Kibana really sends (`openapi/README.md`, "Answers").
fn answers_section(out: &mut String, input: &ReportInput<'_>) {
    #[derive(Default)]
    struct Counts {
        operations: usize,
        relaxed_schemas: usize,
        answer_types: usize,
        open_structs: usize,
        open_enums: usize,
        tagged: usize,
        best_match: usize,
        catch_all: usize,
        json: usize,
    }
    let area_of_route: BTreeMap<&str, &str> = input
        .routes
        .iter()
        .map(|r| (r.original_route.as_str(), r.area.as_str()))
        .collect();
    let mut by_area: BTreeMap<String, Counts> = BTreeMap::new();
    let mut operations: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    let mut schemas: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (route, location) in &input.ledger.answers.relaxed_objects {
        let area = area_of_route.get(route.as_str()).copied().unwrap_or("other");
        operations.entry(area).or_default().insert(route);
        schemas.entry(area).or_default().insert(location);
    }
    for (area, routes) in &operations {
        by_area.entry((*area).to_owned()).or_default().operations = routes.len();
    }
    for (area, locations) in &schemas {
        by_area.entry((*area).to_owned()).or_default().relaxed_schemas = locations.len();
    }
    let area_of = |name: &str| {
        input
            .layout
            .type_areas
            .get(name)
            .cloned()
            .unwrap_or_else(|| "shared".into())
    };
    let answers = input.answers;
    for name in &answers.answer_side {
        if input.layout.type_areas.contains_key(name) {
            by_area.entry(area_of(name)).or_default().answer_types += 1;
        }
    }
    for (set, field) in [
        (&answers.open_structs, 0),
        (&answers.open_enums, 1),
        (&answers.best_match, 2),
        (&answers.catch_all, 3),
    ] {
        for name in set {
            let counts = by_area.entry(area_of(name)).or_default();
            match field {
                0 => counts.open_structs += 1,
                1 => counts.open_enums += 1,
                2 => counts.best_match += 1,
                _ => counts.catch_all += 1,
            }
        }
    }
    for name in answers.tagged.keys() {
        by_area.entry(area_of(name)).or_default().tagged += 1;
    }
    for name in answers.json_fallbacks.keys() {
        by_area.entry(area_of(name)).or_default().json += 1;
    }
    let _ = writeln!(
        out,
        "\nAnswers, per area (`openapi/README.md`, \"Answers\"): operations whose answer schemas lost `required` names \
         Kibana may leave out (ids and tags stay required), those schemas, the generated answer types, structs that \
         keep unknown fields, string enums that keep unknown values, unions decoded by their tag, untagged unions \
         decoded by the best match (or kept as JSON), other untagged unions with a JSON catch-all, and answer types \
         kept as JSON:\n"
    );
    let _ = writeln!(
        out,
        "| area | operations relaxed | schemas relaxed | answer types | open structs | open enums | tagged unions | best-match unions | catch-all unions | kept as JSON |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
    for (area, c) in &by_area {
        let _ = writeln!(
            out,
            "| `{area}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.operations,
            c.relaxed_schemas,
            c.answer_types,
            c.open_structs,
            c.open_enums,
            c.tagged,
            c.best_match,
            c.catch_all,
            c.json
        );
    }
    let _ = writeln!(
        out,
        "\n{} required properties made optional in all; {} answer-side copies of schemas requests share \
         (`…Response`); {} components relaxed in place.",
        input.ledger.answers.relaxed_properties,
        input.ledger.answers.copies.len(),
        input.ledger.answers.relaxed_components.len()
    );
    if !answers.json_fallbacks.is_empty() {
        let _ = writeln!(out, "\nAnswer types kept as JSON, and why:\n");
        for (name, reason) in &answers.json_fallbacks {
            let _ = writeln!(out, "- `{name}` ({}): {reason}", area_of(name));
        }
    }
}

/// `(major, minor)` of a pin bound (`"9.3"`).
fn bound(text: &str) -> Option<(u32, u32)> {
    Version::parse(text).map(|v| (v.major, v.minor))
}

/// The newest `added in` release of the generated operations, when it is newer than the pin's `kibana_max`.
pub fn added_after_range(pin: &Pin, routes: &[Route]) -> Option<Version> {
    let newest = routes.iter().filter_map(|r| r.lifecycle.added_in).max()?;
    let max = bound(&pin.kibana_max)?;
    ((newest.major, newest.minor) > max).then_some(newest)
}

/// One line for the console: the operations per stability, how many say their release, the deprecated ones.
pub fn lifecycle_summary(routes: &[Route]) -> String {
    let count = |stability: Stability| routes.iter().filter(|r| r.lifecycle.stability == stability).count();
    let versions: BTreeMap<Version, usize> =
        routes
            .iter()
            .filter_map(|r| r.lifecycle.added_in)
            .fold(BTreeMap::new(), |mut map, v| {
                *map.entry(v).or_default() += 1;
                map
            });
    let stated: usize = versions.values().sum();
    let newest = versions
        .keys()
        .next_back()
        .map_or_else(String::new, |v| format!(", newest {v}"));
    format!(
        "{} generally available, {} beta, {} technical preview, {} unspecified; {stated} say the Kibana release that \
         added them{newest}; {} deprecated",
        count(Stability::GenerallyAvailable),
        count(Stability::Beta),
        count(Stability::TechnicalPreview),
        count(Stability::Unspecified),
        routes.iter().filter(|r| r.deprecated).count()
    )
}

/// "Kibana versions and stability": what `x-state` and `deprecated` say about the generated operations.
fn lifecycle_section(out: &mut String, input: &ReportInput<'_>) {
    let routes = input.routes;
    let _ = writeln!(out, "## Kibana versions and stability\n");
    let _ = writeln!(
        out,
        "What the documents' `x-state` (`\"Technical Preview; added in 9.2.0\"`) and `deprecated` say about the \
         generated operations: `kibana_gen::spec::Operation`'s `added_in`, `stability`, `deprecated` and \
         `replacement`, and the paragraph that opens each method's documentation. An `x-state` the regen does not \
         know reads as unspecified, without a release.\n"
    );
    let mut by_version: BTreeMap<Option<Version>, usize> = BTreeMap::new();
    // Releases in order, then the operations that state none.
    let mut groups: BTreeMap<(bool, Option<Version>, Stability), Vec<&Route>> = BTreeMap::new();
    for route in routes {
        *by_version.entry(route.lifecycle.added_in).or_default() += 1;
        groups
            .entry((
                route.lifecycle.added_in.is_none(),
                route.lifecycle.added_in,
                route.lifecycle.stability,
            ))
            .or_default()
            .push(route);
    }
    let _ = writeln!(out, "| added in | operations |");
    let _ = writeln!(out, "|---|---|");
    for (version, count) in by_version.iter().filter(|(v, _)| v.is_some()) {
        let _ = writeln!(
            out,
            "| {} | {count} |",
            version.map(|v| v.to_string()).unwrap_or_default()
        );
    }
    let _ = writeln!(out, "| not stated | {} |", by_version.get(&None).copied().unwrap_or(0));
    if let Some(newest) = added_after_range(input.pin, routes) {
        let _ = writeln!(
            out,
            "\n**Warning**: operations added in {newest} are newer than the pin's range ({}–{}): raise `kibana_max`.",
            input.pin.kibana_min, input.pin.kibana_max
        );
    }
    let _ = writeln!(out, "\n| stability | operations |");
    let _ = writeln!(out, "|---|---|");
    for stability in Stability::ALL {
        let count = routes.iter().filter(|r| r.lifecycle.stability == stability).count();
        let _ = writeln!(out, "| {} | {count} |", stability.as_str());
    }
    let deprecated: Vec<&Route> = routes.iter().filter(|r| r.deprecated).collect();
    let replaced = deprecated.iter().filter(|r| r.lifecycle.replacement.is_some()).count();
    let _ = writeln!(
        out,
        "\nDeprecated: {} (a replacement named for {replaced}), each `#[deprecated]` on `Client` and `Api`.\n",
        deprecated.len()
    );
    for ((_, version, stability), members) in &groups {
        if version.is_none() && *stability == Stability::Unspecified {
            continue;
        }
        let version = version.map_or_else(|| "Release not stated".to_owned(), |v| format!("Added in {v}"));
        let _ = writeln!(out, "### {version}, {} ({})\n", stability.as_str(), members.len());
        let _ = writeln!(out, "| route | Rust method |");
        let _ = writeln!(out, "|---|---|");
        for route in members {
            let _ = writeln!(out, "| `{}` | `{}` |", route.route(), route.name);
        }
        let _ = writeln!(out);
    }
    if let Some(rest) = groups.get(&(true, None, Stability::Unspecified)) {
        let _ = writeln!(
            out,
            "The other {} operations state neither a release nor a stability (the tables below list them).\n",
            rest.len()
        );
    }
    if !deprecated.is_empty() {
        let _ = writeln!(out, "### Deprecated ({})\n", deprecated.len());
        let _ = writeln!(out, "| route | Rust method | use instead |");
        let _ = writeln!(out, "|---|---|---|");
        for route in &deprecated {
            let instead = route
                .lifecycle
                .replacement
                .as_deref()
                .map_or_else(|| "not named".to_owned(), |r| r.replace('|', "\\|"));
            let _ = writeln!(out, "| `{}` | `{}` | {instead} |", route.route(), route.name);
        }
        let _ = writeln!(out);
    }
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
