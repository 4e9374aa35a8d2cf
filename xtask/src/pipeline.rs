//! sanitize/transform → generate → format → render: the whole regen, in memory.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use anyhow::{Result, bail};

use crate::{
    config::{Pin, TransformConfig},
    generate, merge,
    outputs::{self, GENERATED_HEADER},
    source::{self, SpecSource},
    transforms::{self, Ledger},
};

/// Every file the regen owns, relative to the workspace root, with its content.
pub struct Generated {
    pub files: BTreeMap<PathBuf, String>,
    /// The same, with the operations excluded from generation kept (hand-written in `kibana`, e.g. the multipart
    /// imports): what Prism serves, so that hand-written requests are validated too.
    pub conformance_document: serde_json::Value,
    pub generated_operations: usize,
    pub excluded_operations: usize,
    pub generated_lines: usize,
}

pub fn run(root: &Path, spec_source: &SpecSource<'_>) -> Result<Generated> {
    let pin = Pin::load(&root.join("openapi/pin.toml"))?;
    let config = TransformConfig::load(&root.join("openapi/transforms.toml"))?;
    let documents = source::load_documents(&pin, spec_source)?;
    let merged = merge::merge(&documents, "Kibana", &pin.api_version)?;
    let mut doc = merged.document;
    let mut conformance_document = doc.clone();
    let mut everything = config.clone();
    everything.excluded_operations.clear();
    transforms::apply_all(&mut conformance_document, &everything, &mut Ledger::default())?;

    let mut ledger = Ledger::default();
    let symbol_enums = transforms::apply_all(&mut doc, &config, &mut ledger)?;
    let code = generate::generate(&mut doc, &symbol_enums, &mut ledger)?;

    let generated_ids: BTreeSet<String> = transforms::operations(&doc).into_iter().map(|(_, _, id)| id).collect();
    let missing: Vec<_> = config
        .required
        .operations
        .iter()
        .filter(|id| !generated_ids.contains(*id))
        .collect();
    if !missing.is_empty() {
        let reasons: Vec<_> = missing
            .iter()
            .map(|id| {
                format!(
                    "  {id}: {}",
                    ledger.excluded.get(*id).map_or("not in the documents", String::as_str)
                )
            })
            .collect();
        bail!(
            "operations the kibana crate relies on were not generated:\n{}",
            reasons.join("\n")
        );
    }

    let client = format!(
        "{GENERATED_HEADER}#![allow(clippy::all, clippy::pedantic, unused_imports, missing_docs, rustdoc::all)]\n\n{code}"
    );
    let generated_lines = client.lines().count();
    let examples = outputs::examples::collect(&documents, &generated_ids);
    let schema_count = doc["components"]["schemas"].as_object().map_or(0, |s| s.len());
    let report = outputs::report::render(&outputs::report::ReportInput {
        pin: &pin,
        documents: &documents,
        ledger: &ledger,
        generated_lines,
        example_count: examples.len(),
        schema_count,
    });

    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("kibana-gen/src/generated.rs"), client);
    files.insert(
        PathBuf::from("kibana-gen/src/symbols.rs"),
        outputs::symbols::render(&symbol_enums)?,
    );
    files.insert(
        PathBuf::from("kibana-gen/src/spec.rs"),
        outputs::spec_pin::render(&pin, &transforms::operations(&doc))?,
    );
    files.insert(
        PathBuf::from("kibana-gen/tests/generated/spec_example_cases.rs"),
        outputs::examples::render(&examples, &config.known_bad_examples)?,
    );
    files.insert(PathBuf::from("kibana-gen/REGEN_REPORT.md"), report);
    Ok(Generated {
        files,
        conformance_document,
        generated_operations: generated_ids.len(),
        excluded_operations: ledger.excluded.len(),
        generated_lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
    }

    /// The real documents, or `None` after a loud message when this machine does not have them.
    fn shared_spec_dir() -> Option<PathBuf> {
        let dir = std::env::var_os("KIBANA_SPEC_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("../shared/openapi/kibana"));
        if dir.join("connectors.yaml").exists() {
            Some(dir)
        } else {
            eprintln!(
                "\n*** SKIPPED: no Kibana OpenAPI documents at {} (set KIBANA_SPEC_DIR) ***\n",
                dir.display()
            );
            None
        }
    }

    #[test]
    fn real_documents_generate_deterministically_and_match_the_committed_crate() {
        let Some(dir) = shared_spec_dir() else { return };
        let first = run(&root(), &SpecSource::Directory(&dir)).unwrap();
        let second = run(&root(), &SpecSource::Directory(&dir)).unwrap();
        assert_eq!(first.files, second.files, "two runs must be byte-identical");
        assert_eq!(first.excluded_operations, 30, "see REGEN_REPORT.md");
        let stale = crate::stale_files(&root(), &first.files).unwrap();
        let names: Vec<_> = stale.iter().map(|(p, _)| p.display().to_string()).collect();
        assert!(
            stale.is_empty(),
            "committed files are stale, run `cargo xtask regen`: {names:?}"
        );
    }

    #[test]
    fn check_detects_a_one_byte_change() {
        let Some(dir) = shared_spec_dir() else { return };
        let generated = run(&root(), &SpecSource::Directory(&dir)).unwrap();
        let copy = tempfile::tempdir().unwrap();
        for (path, content) in &generated.files {
            let target = copy.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, content).unwrap();
        }
        assert!(crate::stale_files(copy.path(), &generated.files).unwrap().is_empty());

        let victim = copy.path().join("kibana-gen/src/generated.rs");
        let mut bytes = std::fs::read(&victim).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] = if bytes[middle] == b'x' { b'y' } else { b'x' };
        std::fs::write(&victim, bytes).unwrap();
        let stale = crate::stale_files(copy.path(), &generated.files).unwrap();
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].0, PathBuf::from("kibana-gen/src/generated.rs"));
    }

    #[test]
    fn a_document_that_is_not_the_pinned_one_is_refused() {
        let Some(dir) = shared_spec_dir() else { return };
        let tampered = tempfile::tempdir().unwrap();
        for file in ["connectors.yaml", "saved_objects.yaml", "alerting.yaml"] {
            std::fs::copy(dir.join(file), tampered.path().join(file)).unwrap();
        }
        let mut text = std::fs::read_to_string(tampered.path().join("alerting.yaml")).unwrap();
        text.push('\n');
        std::fs::write(tampered.path().join("alerting.yaml"), text).unwrap();
        let error = run(&root(), &SpecSource::Directory(tampered.path()))
            .err()
            .expect("refused")
            .to_string();
        assert!(error.contains("sha256 mismatch for document `alerting`"), "{error}");
        assert!(
            error.contains("80f0630677470c6f83dde3b53d0ce22d8e0135b8c091f5c237a5fd9654f1166d"),
            "{error}"
        );
    }
}
