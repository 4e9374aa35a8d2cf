//! Obtains the pinned documents (from a directory or by download) and verifies their sha256.
//!
//! Every document is read and verified before anything is generated, so a mismatch never leaves a half-written
//! `kibana-gen` behind.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::config::{DocumentPin, Pin};

/// A pinned document, verified and parsed.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    pub pin: DocumentPin,
    pub value: Value,
}

/// Where the documents come from.
#[derive(Debug, Clone)]
pub enum SpecSource<'a> {
    /// One directory holding every pinned document's `file`.
    Directory(&'a Path),
    /// Several (`--spec-dir` given more than once): each document is read from the first that has its `file`.
    Directories(&'a [std::path::PathBuf]),
    Download,
}

/// Reads (or downloads) every pinned document, checks its sha256 and parses it. A document whose pin gives a `path`
/// is read from there (relative to `root`), whatever the source.
pub fn load_documents(root: &Path, pin: &Pin, source: &SpecSource<'_>) -> Result<Vec<SourceDocument>> {
    pin.documents
        .iter()
        .map(|doc| {
            let read = |path: &Path| {
                std::fs::read(path)
                    .with_context(|| format!("reading pinned document `{}` from {}", doc.name, path.display()))
            };
            let bytes = match (&doc.path, source) {
                (Some(path), _) => read(&root.join(path))?,
                (None, SpecSource::Directory(dir)) => read(&dir.join(&doc.file))?,
                (None, SpecSource::Directories(dirs)) => {
                    let Some(path) = dirs.iter().map(|dir| dir.join(&doc.file)).find(|path| path.exists()) else {
                        bail!(
                            "pinned document `{}` (`{}`) is in none of the --spec-dir directories: {}",
                            doc.name,
                            doc.file,
                            dirs.iter()
                                .map(|d| d.display().to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    };
                    read(&path)?
                }
                (None, SpecSource::Download) => download(&doc.url)
                    .with_context(|| format!("downloading pinned document `{}` from {}", doc.name, doc.url))?,
            };
            verify_sha256(&doc.name, &bytes, &doc.sha256)?;
            let value = parse_yaml(&bytes).with_context(|| format!("parsing document `{}`", doc.name))?;
            Ok(SourceDocument {
                pin: doc.clone(),
                value,
            })
        })
        .collect()
}

fn download(url: &str) -> Result<Vec<u8>> {
    let mut response = ureq::get(url).call()?;
    Ok(response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()?)
}

/// Refuses a document whose content is not the pinned one.
pub fn verify_sha256(name: &str, bytes: &[u8], expected: &str) -> Result<()> {
    let actual = hex::encode(Sha256::digest(bytes));
    if !actual.eq_ignore_ascii_case(expected) {
        bail!(
            "sha256 mismatch for document `{name}`: the pin says {expected}, the file has {actual}. \
             Nothing was written. If you are upgrading Kibana on purpose, update openapi/pin.toml."
        );
    }
    Ok(())
}

/// Parses YAML (or JSON, a YAML subset) into JSON values. YAML allows non-string mapping keys (`200:`); OpenAPI
/// means them as strings, so they are turned into strings here rather than rejected.
pub fn parse_yaml(bytes: &[u8]) -> Result<Value> {
    let yaml: serde_norway::Value = serde_norway::from_slice(bytes)?;
    yaml_to_json(yaml)
}

fn yaml_to_json(yaml: serde_norway::Value) -> Result<Value> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n)?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect::<Result<_>>()?),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => bail!("unsupported mapping key {other:?}"),
                };
                out.insert(key, yaml_to_json(value)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_mismatch_names_both_hashes() {
        let err = verify_sha256("connectors", b"hello", "00ff").unwrap_err().to_string();
        assert!(err.contains("00ff"), "{err}");
        assert!(
            err.contains("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
            "{err}"
        );
    }

    #[test]
    fn sha256_match_is_accepted_case_insensitively() {
        verify_sha256(
            "x",
            b"hello",
            "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
        )
        .unwrap();
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let v = parse_yaml(b"responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }
}
