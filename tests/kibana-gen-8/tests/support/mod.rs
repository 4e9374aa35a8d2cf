//! Reads the pinned documents for the generated example test (`spec_examples.rs`).

use std::{collections::BTreeMap, path::PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The directory holding the pinned documents: `KIBANA_SPEC_DIR`, else `../shared/openapi/kibana` beside the
/// workspace.
pub fn spec_dir() -> PathBuf {
    match std::env::var_os("KIBANA_SPEC_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/openapi/kibana"),
    }
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
        let dir = spec_dir();
        let mut documents = BTreeMap::new();
        for doc in kibana_gen_8::SPEC.documents {
            let path = dir.join(doc.file);
            let Ok(bytes) = std::fs::read(&path) else {
                eprintln!(
                    "\n*** SKIPPED: the pinned Kibana OpenAPI documents are not at {} (set KIBANA_SPEC_DIR). \
                     The spec examples were NOT checked. ***\n",
                    dir.display()
                );
                return None;
            };
            let value: Value = serde_norway::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            documents.insert(doc.name, value);
        }
        Some(Self {
            documents,
            checked: 0,
            failures: Vec::new(),
            known_bad: Vec::new(),
        })
    }

    pub fn check<T: DeserializeOwned>(
        &mut self,
        document: &str,
        pointer: &str,
        context: &str,
        known_bad: Option<&str>,
    ) {
        let Some(example) = self.documents.get(document).and_then(|d| d.pointer(pointer)) else {
            self.failures
                .push(format!("{context}: no example at {document}#{pointer}"));
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
            (Err(error), Some(reason)) => {
                self.known_bad.push(format!("{context}: {reason} ({error})"));
            }
            (Ok(_), Some(reason)) => self.failures.push(format!(
                "{context} is listed as known-bad ({reason}) but now deserializes: remove it from \
                 openapi/transforms.toml"
            )),
        }
    }

    pub fn finish(self, expected: usize) {
        eprintln!("spec examples: {} checked of {expected}", self.checked);
        for known in &self.known_bad {
            eprintln!("known-bad upstream example (reported, not failed): {known}");
        }
        assert!(
            self.failures.is_empty(),
            "{} example(s) failed:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}
