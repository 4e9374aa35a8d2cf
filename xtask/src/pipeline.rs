//! sanitize/transform → generate → format → render: the whole regen, in memory.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};

use crate::{
    config::{Pin, TransformConfig},
    generate, merge,
    outputs::{self, GENERATED_HEADER},
    postprocess,
    source::{self, SpecSource},
    transforms::{self, Ledger, Target},
};

/// Every file the regen owns, relative to the workspace root, with its content.
pub struct Generated {
    pub files: BTreeMap<PathBuf, String>,
    /// Directories the regen owns entirely: a file there that it no longer writes is stale.
    pub owned_dirs: Vec<PathBuf>,
    /// The regen report, relative to the workspace root.
    pub report: PathBuf,
    /// The same, with the operations excluded from generation kept (hand-written in `kibana`, e.g. the multipart
    /// imports): what Prism serves, so that hand-written requests are validated too.
    pub conformance_document: serde_json::Value,
    pub generated_operations: usize,
    pub excluded_operations: usize,
    pub generated_lines: usize,
    /// Settings of `transforms.toml` that did not apply to the documents.
    pub stale_settings: usize,
    /// The operations per stability, release stated and deprecation, on one line.
    pub lifecycle_summary: String,
    /// Calls with `.stream()`, and operations that look paged but got none.
    pub paged_calls: usize,
    pub paged_skipped: usize,
    pub cursor_calls: usize,
    pub cursor_skipped: usize,
}

/// The pin `cargo xtask regen` uses unless told otherwise.
pub const DEFAULT_PIN: &str = "openapi/pin.toml";

/// Runs the whole regen for the pin at `pin_path` (its transform settings are the `transforms.toml` beside it).
/// `root`: the workspace whose manifests the regen updates (their `[features]` sections).
pub fn run(root: &Path, pin_path: &Path, spec_source: &SpecSource<'_>) -> Result<Generated> {
    let pin = Pin::load(pin_path)?;
    let config = TransformConfig::load(&pin_path.with_file_name("transforms.toml"))?;
    let documents = source::load_documents(root, &pin, spec_source)?;
    generate_from(root, &pin, &config, &documents)
}

/// The regen of documents already loaded and verified.
pub fn generate_from(
    root: &Path,
    pin: &Pin,
    config: &TransformConfig,
    documents: &[source::SourceDocument],
) -> Result<Generated> {
    let merged = merge::merge(documents, "Kibana", &pin.api_version)?;
    let merge_notes = merged.notes;
    let mut doc = merged.document;
    let mut conformance_document = doc.clone();
    let mut everything = config.clone();
    everything.excluded_operations.clear();
    transforms::apply_all(
        &mut conformance_document,
        &everything,
        &pin.api_version,
        Target::Prism,
        &mut Ledger::default(),
    )?;

    let mut ledger = Ledger::default();
    ledger.notes.extend(merge_notes);
    let mut symbol_enums = transforms::apply_all(&mut doc, config, &pin.api_version, Target::Generator, &mut ledger)?;
    // An enum the xtask cannot render is left to typify as a plain string, and reported.
    symbol_enums.retain(|symbol_enum| match outputs::symbols::render_enum(symbol_enum) {
        Ok(_) => true,
        Err(error) => {
            transforms::relax_enum(&mut doc, &symbol_enum.schema_name);
            ledger
                .notes
                .push(format!("symbol enum left as a plain string: {error:#}"));
            false
        }
    });
    let mut file = generate::generate(&mut doc, &symbol_enums, &mut ledger)?;
    let mut routes = outputs::routes::collect(&doc, &config.areas);
    let mut outcome = postprocess::apply(&mut file, &routes, &doc, &config.query);
    if !outcome.failed.is_empty() {
        // Generate again without the operations post-processing could not handle.
        for (route, reason) in &outcome.failed {
            if let Some(op) = transforms::operations(&doc).into_iter().find(|op| &op.route == route) {
                transforms::remove_operation(&mut doc, &op.path, op.method);
            }
            ledger.exclude(route, reason.clone());
        }
        transforms::prune_unreferenced_schemas(&mut doc, &mut ledger);
        file = generate::generate(&mut doc, &symbol_enums, &mut ledger)?;
        routes = outputs::routes::collect(&doc, &config.areas);
        outcome = postprocess::apply(&mut file, &routes, &doc, &config.query);
        if let Some((route, reason)) = outcome.failed.first() {
            bail!("post-processing still fails after leaving operations out: {route}: {reason}");
        }
    }
    ledger.notes.extend(outcome.notes);
    for entry in &config.query.spread_objects {
        if !routes
            .iter()
            .any(|r| transforms::same_route(&r.original_route, &entry.route))
        {
            ledger.stale(
                "query.spread_objects",
                &entry.route,
                "the documents do not have this route (any more)",
            );
        }
    }
    for stale in &ledger.stale {
        eprintln!(
            "warning: {}: [[{}]] `{}`: {} (not applied; see the regen report)",
            config.path, stale.table, stale.entry, stale.why
        );
    }
    check_required_routes(&config.required, &config.path, &routes, &ledger)?;
    if let Some(newest) = outputs::report::added_after_range(pin, &routes) {
        eprintln!(
            "warning: operations were added in Kibana {newest}, newer than the pin's range ({}–{}): raise `kibana_max`",
            pin.kibana_min, pin.kibana_max
        );
    }

    let out = PathBuf::from(&pin.output_crate);
    let layout = outputs::layout::split(file, &routes, GENERATED_HEADER, &outcome.paging)?;
    ledger.notes.extend(layout.notes.iter().cloned());
    let mut files = BTreeMap::new();
    let mut generated_lines = 0;
    for (path, content) in &layout.files {
        generated_lines += content.lines().count();
        files.insert(out.join("src/generated").join(path), content.clone());
    }
    let area_names: Vec<String> = layout.areas.iter().map(|a| a.name.clone()).collect();
    let manifest_path = out.join("Cargo.toml");
    let manifest = std::fs::read_to_string(root.join(&manifest_path))
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    files.insert(
        manifest_path.clone(),
        outputs::features::generated_crate(&manifest, &area_names, &config.areas.default),
    );
    if let Some(wrapper) = &pin.feature_crate {
        let manifest_path = PathBuf::from(wrapper).join("Cargo.toml");
        let manifest = std::fs::read_to_string(root.join(&manifest_path))
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        files.insert(manifest_path, outputs::features::wrapper_crate(&manifest, &area_names));
    }

    let generated_routes: BTreeMap<String, String> = routes
        .iter()
        .map(|r| (r.original_route.clone(), r.name.clone()))
        .collect();
    let examples = outputs::examples::collect(documents, &generated_routes, &ledger.answers.copies);
    let schema_count = doc["components"]["schemas"].as_object().map_or(0, |s| s.len());
    let report = outputs::report::render(&outputs::report::ReportInput {
        pin,
        documents,
        ledger: &ledger,
        routes: &routes,
        layout: &layout,
        generated_lines,
        example_count: examples.len(),
        schema_count,
        answers: &outcome.answers,
        query_parameters: outcome.query_parameters,
        query: &config.query,
        paging: &outcome.paging,
    });
    files.insert(out.join("src/symbols.rs"), outputs::symbols::render(&symbol_enums)?);
    files.insert(out.join("src/multipart.rs"), outputs::multipart::render(&routes)?);
    files.insert(out.join("src/query.rs"), outputs::query::render());
    files.insert(out.join("src/generated/paging.rs"), outputs::paging::render());
    files.insert(out.join("src/spec.rs"), outputs::spec_pin::render(pin, &routes)?);
    if !examples.is_empty() {
        let crate_name = package_name(&manifest)?;
        let dir = out.join("tests/spec_examples");
        files.insert(
            dir.join("cases.rs"),
            outputs::examples::render(&examples, &config.known_bad_examples, &crate_name)?,
        );
        files.insert(dir.join("main.rs"), outputs::examples::render_main());
        files.insert(dir.join("support.rs"), outputs::examples::render_support(&crate_name));
    }
    if let Some(path) = &pin.sweep_cases {
        files.insert(
            PathBuf::from(path),
            outputs::sweep::render(
                &layout.methods,
                &routes,
                &conformance_document,
                &config
                    .query
                    .spread_objects
                    .iter()
                    .filter_map(|s| {
                        routes
                            .iter()
                            .find(|r| transforms::same_route(&r.original_route, &s.route))
                            .map(|r| (r.name.clone(), s.parameter.clone()))
                    })
                    .collect::<Vec<_>>(),
            )?,
        );
    }
    files.insert(out.join("REGEN_REPORT.md"), report);
    Ok(Generated {
        files,
        owned_dirs: vec![out.join("src/generated"), out.join("tests/spec_examples")],
        report: out.join("REGEN_REPORT.md"),
        conformance_document,
        generated_operations: routes.len(),
        excluded_operations: ledger.excluded.len(),
        generated_lines,
        stale_settings: ledger.stale.len(),
        lifecycle_summary: outputs::report::lifecycle_summary(&routes),
        paged_calls: outcome.paging.calls.len(),
        paged_skipped: outcome.paging.skipped.len(),
        cursor_calls: outcome.paging.cursor_calls.len(),
        cursor_skipped: outcome.paging.cursor_skipped.len(),
    })
}

/// Fails, naming each route and the typed API that calls it, when a route the `kibana` crate relies on was not
/// generated. Routes compare by method and path with parameter names ignored (`{id}` and `{connectorId}` are the
/// same segment).
fn check_required_routes(
    required: &crate::config::Required,
    settings: &str,
    routes: &[outputs::routes::Route],
    ledger: &Ledger,
) -> Result<()> {
    let mut missing = Vec::new();
    for (api, wanted_routes) in &required.by_api {
        for wanted in wanted_routes {
            if routes.iter().any(|r| outputs::routes::same_shape(&r.route(), wanted)) {
                continue;
            }
            let why = ledger
                .excluded
                .iter()
                .find(|(route, _)| outputs::routes::same_shape(&strip_space(route), wanted))
                .map_or_else(
                    || "not in the documents".to_owned(),
                    |(_, reason)| format!("excluded: {reason}"),
                );
            missing.push(format!("  {wanted} (called by {api}): {why}"));
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    bail!(
        "the documents lack routes the kibana crate's typed APIs call (`[required]` in {settings}):\n{}\n\
         To proceed: pin a document that has them. Kibana's combined `oas_docs/output/kibana.yaml` has all of them; \
         a plugin document (dashboards, workflows, SLOs) goes *beside* it in the pin, not instead of it (README, \
         \"Upgrading Kibana\"). If this Kibana removed or renamed a route, change the typed API that calls it \
         (kibana/src/) and its entry in `[required]`; a client generated for a document without typed APIs takes \
         a `transforms.toml` with an empty `[required]` table.",
        missing.join("\n")
    )
}

/// The Rust name of a manifest's package (`kibana-gen-8` → `kibana_gen_8`).
fn package_name(manifest: &str) -> Result<String> {
    let value: toml::Table = toml::from_str(manifest).context("parsing the generated crate's Cargo.toml")?;
    let name = value
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .context("the generated crate's Cargo.toml names no package")?;
    Ok(name.replace('-', "_"))
}

/// `METHOD /s/{spaceId}/api/x` → `METHOD /api/x`.
fn strip_space(route: &str) -> String {
    match route.split_once(' ') {
        Some((method, path)) => {
            let path = path
                .strip_prefix("/s/{spaceId}")
                .or_else(|| path.strip_prefix("/s/{space_id}"))
                .unwrap_or(path);
            format!("{method} {path}")
        }
        None => route.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DocumentPin;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
    }

    /// A directory of real documents, or `None` after a loud message when this machine does not have them.
    fn shared(dir: &str, probe: &str) -> Option<PathBuf> {
        let dir = root().join("../shared/openapi").join(dir);
        if dir.join(probe).exists() {
            Some(dir)
        } else {
            eprintln!("\n*** SKIPPED: no Kibana OpenAPI documents at {} ***\n", dir.display());
            None
        }
    }

    fn pin_8x() -> PathBuf {
        root().join("openapi/kibana-8/pin.toml")
    }

    #[test]
    fn the_9_3_document_generates_every_operation_deterministically_and_matches_the_committed_crate() {
        let Some(dir) = shared("kibana-9.3", "kibana.yaml") else {
            return;
        };
        let pin = root().join(DEFAULT_PIN);
        let first = run(&root(), &pin, &SpecSource::Directory(&dir)).unwrap();
        let second = run(&root(), &pin, &SpecSource::Directory(&dir)).unwrap();
        assert!(first.files == second.files, "two runs must be byte-identical");
        assert_eq!(
            (first.generated_operations, first.excluded_operations),
            (520, 0),
            "see REGEN_REPORT.md"
        );
        let stale = crate::stale_files(&root(), &first).unwrap();
        let names: Vec<_> = stale.iter().map(|(p, _)| p.display().to_string()).collect();
        assert!(
            stale.is_empty(),
            "committed files are stale, run `cargo xtask regen`: {names:?}"
        );
    }

    #[test]
    fn the_8x_documents_still_generate_into_a_temporary_directory() {
        let Some(dir) = shared("kibana", "connectors.yaml") else {
            return;
        };
        let generated = run(&root(), &pin_8x(), &SpecSource::Directory(&dir)).unwrap();
        // 36 operations as before plus the two multipart imports, now generated; 8 `/s/{spaceId}` twins folded into
        // their unprefixed routes and 20 deprecated legacy routes (removed in Kibana 9.0) dropped.
        assert_eq!(
            (generated.generated_operations, generated.excluded_operations),
            (38, 28)
        );
        let out = tempfile::tempdir().unwrap();
        for (path, content) in &generated.files {
            let target = out.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, content).unwrap();
        }
        assert!(crate::stale_files(out.path(), &generated).unwrap().is_empty());
        let report = std::fs::read_to_string(out.path().join("tests/kibana-gen-8/REGEN_REPORT.md")).unwrap();
        assert!(
            report.contains("- non-deprecated operations callable: 35 of 35 (100.0 %)"),
            "{report}"
        );
        let stale = crate::stale_files(&root(), &generated).unwrap();
        let names: Vec<_> = stale.iter().map(|(p, _)| p.display().to_string()).collect();
        assert!(stale.is_empty(), "tests/kibana-gen-8 is stale: {names:?}");
    }

    #[test]
    fn check_detects_a_one_byte_change_and_a_leftover_file() {
        let Some(dir) = shared("kibana", "connectors.yaml") else {
            return;
        };
        let generated = run(&root(), &pin_8x(), &SpecSource::Directory(&dir)).unwrap();
        let copy = tempfile::tempdir().unwrap();
        for (path, content) in &generated.files {
            let target = copy.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, content).unwrap();
        }
        assert!(crate::stale_files(copy.path(), &generated).unwrap().is_empty());

        let victim = copy.path().join("tests/kibana-gen-8/src/generated/mod.rs");
        let mut bytes = std::fs::read(&victim).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] = if bytes[middle] == b'x' { b'y' } else { b'x' };
        std::fs::write(&victim, bytes).unwrap();
        std::fs::write(copy.path().join("tests/kibana-gen-8/src/generated/types/gone.rs"), "").unwrap();
        let stale: Vec<PathBuf> = crate::stale_files(copy.path(), &generated)
            .unwrap()
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        assert_eq!(
            stale,
            [
                PathBuf::from("tests/kibana-gen-8/src/generated/mod.rs"),
                PathBuf::from("tests/kibana-gen-8/src/generated/types/gone.rs")
            ]
        );
    }

    #[test]
    fn a_document_that_is_not_the_pinned_one_is_refused() {
        let Some(dir) = shared("kibana", "connectors.yaml") else {
            return;
        };
        let tampered = tempfile::tempdir().unwrap();
        for file in ["connectors.yaml", "saved_objects.yaml", "alerting.yaml"] {
            std::fs::copy(dir.join(file), tampered.path().join(file)).unwrap();
        }
        let mut text = std::fs::read_to_string(tampered.path().join("alerting.yaml")).unwrap();
        text.push('\n');
        std::fs::write(tampered.path().join("alerting.yaml"), text).unwrap();
        let error = run(&root(), &pin_8x(), &SpecSource::Directory(tampered.path()))
            .err()
            .expect("refused")
            .to_string();
        assert!(error.contains("sha256 mismatch for document `alerting`"), "{error}");
        assert!(
            error.contains("80f0630677470c6f83dde3b53d0ce22d8e0135b8c091f5c237a5fd9654f1166d"),
            "{error}"
        );
    }

    fn synthetic(value: serde_json::Value) -> Vec<source::SourceDocument> {
        vec![source::SourceDocument {
            pin: DocumentPin {
                name: "x".into(),
                file: "x.yaml".into(),
                repository: String::new(),
                source_path: String::new(),
                commit: String::new(),
                url: String::new(),
                sha256: String::new(),
                api_version: None,
                path: None,
            },
            value,
        }]
    }

    /// Runs the whole pipeline over `value` (as the 8.x pin's only document) and fails if anything panics.
    fn survives(value: serde_json::Value) -> std::result::Result<Generated, String> {
        let pin = Pin::load(&pin_8x()).unwrap();
        let config = TransformConfig::load(&root().join("openapi/kibana-8/transforms.toml")).unwrap();
        let documents = synthetic(value.clone());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            generate_from(&root(), &pin, &config, &documents)
        }));
        match outcome {
            Ok(result) => result.map_err(|e| format!("{e:#}")),
            Err(_) => panic!("the pipeline panicked on {value}"),
        }
    }

    #[test]
    fn documents_of_the_wrong_shape_are_errors_or_reported_never_panics() {
        use serde_json::json;
        let cases = [
            json!([]),
            json!("text"),
            json!({"openapi": "3.1.0", "paths": {}}),
            json!({"openapi": "3.0.3"}),
            json!({"openapi": "3.0.3", "paths": 5}),
            json!({"openapi": "3.0.3", "paths": {"/a": {"get": 5, "post": {"parameters": 3}}}}),
            json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/nowhere"}}}}}}),
            json!({"openapi": "3.0.3", "paths": {"/a/{id}": {"get": {"operationId": "", "responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Loop"}}}}}}}},
                "components": {"schemas": {"Loop": {"$ref": "#/components/schemas/Loop"}}}}),
            json!({"openapi": "3.0.3", "paths": {"/a": {"post": {"requestBody": {"content": {"multipart/form-data": {
                "schema": {"properties": {"": {}, "9": {"type": "string"}, "self": {"type": "object"}}}}}}}}}}),
            json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"parameters": [{"in": "query", "name": "q",
                "schema": {"type": "string", "enum": ["", "*", "<", "Self", "self"]}}]}}}}),
            json!({"openapi": "3.0.3", "paths": {}, "components": "nope"}),
        ];
        for case in cases {
            let _ = survives(case);
        }
    }

    #[test]
    fn mutated_real_documents_never_panic_the_pipeline() {
        let Some(dir) = shared("kibana", "connectors.yaml") else {
            return;
        };
        let original = source::parse_yaml(&std::fs::read(dir.join("connectors.yaml")).unwrap()).unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..12 {
            let mut doc = original.clone();
            for _ in 0..25 {
                mutate(&mut doc, &mut rng);
            }
            let _ = survives(doc);
        }
    }

    /// Replaces one random value deep in the document with something of another shape.
    fn mutate(doc: &mut serde_json::Value, rng: &mut fastrand::Rng) {
        use serde_json::{Value, json};
        let mut pointer = String::new();
        let mut node: &Value = doc;
        for _ in 0..rng.usize(1..12) {
            let step = match node {
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(rng.usize(..map.len())).cloned().unwrap_or_default();
                    Some((crate::transforms::pointer_escape(&key), map.get(&key)))
                }
                Value::Array(items) if !items.is_empty() => {
                    let index = rng.usize(..items.len());
                    Some((index.to_string(), items.get(index)))
                }
                _ => None,
            };
            match step {
                Some((token, Some(next))) => {
                    pointer.push('/');
                    pointer.push_str(&token);
                    node = next;
                }
                _ => break,
            }
        }
        let replacement = match rng.u8(..6) {
            0 => Value::Null,
            1 => json!(rng.i64(..)),
            2 => json!("#/components/schemas/missing"),
            3 => json!([1, "two", {}]),
            4 => json!({"$ref": "#/components/schemas/missing"}),
            _ => json!({}),
        };
        if let Some(target) = doc.pointer_mut(&pointer) {
            *target = replacement;
        }
    }
}
