//! `cargo xtask upgrade-check`: what a Kibana upgrade does to the pipeline, on documents it was not tuned to.
//!
//! The pin `xtask/tests/fixtures/upgrade/pin.toml` names two hand-made documents in the forms of Kibana's own
//! plugin bundles (versioned media types of version `1`, `kbn-xsrf` parameters, answers without a `description`,
//! no multipart operation, an API area whose operations use only shared types, components the two define alike up
//! to their descriptions and one they define differently), generated with the workspace's own transform settings
//! (9.3's: several entries are stale for these documents). `cargo test -p xtask` checks what the regen makes of
//! them; this command writes the generated crate into a workspace of its own under `target/upgrade-check/` and runs
//! `cargo clippy --all-targets --features full -- -D warnings` on it, so that what compiles here is what a user's
//! upgrade gets.

use std::{
    path::Path,
    process::{Command, ExitCode},
};

use anyhow::{Context, Result};

use crate::{
    config::{Pin, TransformConfig},
    pipeline::{self, Generated},
    source::{self, SpecSource},
};

/// The fixture pin, relative to the workspace.
pub const FIXTURE_PIN: &str = "xtask/tests/fixtures/upgrade/pin.toml";

/// The regen of the fixture documents, with the workspace's transform settings and no required routes (a client of
/// plugin documents has no typed layers).
pub fn generate_fixture(root: &Path) -> Result<Generated> {
    let pin_path = root.join(FIXTURE_PIN);
    let pin = Pin::load(&pin_path)?;
    let mut config = TransformConfig::load(&root.join("openapi/transforms.toml"))?;
    config.required = Default::default();
    let dir = pin_path.parent().context("the fixture pin has a directory")?;
    let documents = source::load_documents(root, &pin, &SpecSource::Directory(dir))?;
    pipeline::generate_from(root, &pin, &config, &documents)
}

pub fn run(root: &Path) -> Result<ExitCode> {
    let generated = generate_fixture(root)?;
    let base = root.join("target/upgrade-check");
    let workspace = base.join("workspace");
    if workspace.exists() {
        std::fs::remove_dir_all(&workspace).with_context(|| format!("removing {}", workspace.display()))?;
    }
    for (path, content) in &generated.files {
        // Only the generated crate: the fixture pin names no other crate's files.
        if !path.starts_with("kibana-gen") {
            continue;
        }
        let target = workspace.join(path);
        std::fs::create_dir_all(target.parent().context("a file has a directory")?)?;
        std::fs::write(&target, content)?;
    }
    // progenitor's seam and the crate root are the hand-written part of the generated crate.
    for file in ["src/lib.rs", "src/hooks.rs"] {
        std::fs::copy(
            root.join("kibana-gen").join(file),
            workspace.join("kibana-gen").join(file),
        )
        .with_context(|| format!("copying kibana-gen/{file}"))?;
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let shared = manifest
        .find("[workspace.package]")
        .map_or(manifest.as_str(), |at| &manifest[at..]);
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [\"kibana-gen\"]\n\n{shared}"),
    )?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"))?;
    println!(
        "upgrade-check: {} operations generated, {} excluded, {} stale settings reported; compiling {}",
        generated.generated_operations,
        generated.excluded_operations,
        generated.stale_settings,
        workspace.display()
    );
    let status = Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--package",
            "kibana-gen",
            "--all-targets",
            "--features",
            "full",
            "--",
        ])
        .args(["-D", "warnings"])
        .env("CARGO_TARGET_DIR", base.join("target"))
        .current_dir(&workspace)
        .status()
        .context("running cargo clippy on the generated crate")?;
    Ok(if status.success() {
        println!("upgrade-check: the generated crate compiles and is clippy-clean");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
    }

    #[test]
    fn documents_in_kibanas_upstream_forms_generate_whole_with_only_the_pin() {
        let generated = generate_fixture(&root()).unwrap();
        let report = &generated.files[Path::new("kibana-gen/REGEN_REPORT.md")];
        // Every operation of both documents; the 9.3 operation addition is not forced on them.
        assert_eq!(
            (generated.generated_operations, generated.excluded_operations),
            (7, 0),
            "{report}"
        );
        assert!(
            !generated
                .files
                .contains_key(Path::new("kibana-gen/src/generated/client/saved_objects.rs"))
        );
        // The 9.3 settings that do not fit are reported, not fatal.
        assert!(generated.stale_settings >= 5, "{report}");
        assert!(report.contains("`[[schema_additions]]` `run_connector_params_webhook`: nothing to append to"));
        assert!(report.contains("`[[ambiguous_one_of]]` `/components/schemas/create_connector_config`"));
        // Each route's own API version; the workflows routes declare none.
        let spec = &generated.files[Path::new("kibana-gen/src/spec.rs")];
        let constant = |name: &str| {
            let at = spec
                .find(&format!("pub const {name}: Operation"))
                .unwrap_or_else(|| panic!("{name}"));
            spec[at..].split("};").next().unwrap().to_owned()
        };
        assert!(constant("POST_DASHBOARDS").contains("api_version: Some(\"1\")"));
        assert!(
            constant("DELETE_DASHBOARDS_ID").contains("api_version: Some(\"1\")"),
            "a path-level header too"
        );
        assert!(constant("POST_WORKFLOWS").contains("api_version: None"));
        assert!(report.contains("`1` 5"), "{report}");
        // Components alike up to descriptions are kept once; a real conflict keeps both, with both definitions.
        assert!(report.contains("`#/components/securitySchemes/apiKeyAuth`: `dashboards` and `workflows` differ only"));
        assert!(report.contains("`#/components/schemas/meta`: `dashboards` and `workflows` differ only"));
        assert!(
            report.contains("`#/components/schemas/status` is defined differently by `dashboards` and `workflows`")
        );
        // No `kbn-xsrf` argument; the `tags` area uses only shared types and has no types file; no multipart forms.
        let client = &generated.files[Path::new("kibana-gen/src/generated/client/dashboards.rs")];
        assert!(!client.contains("kbn_xsrf"), "{client}");
        assert!(
            generated
                .files
                .contains_key(Path::new("kibana-gen/src/generated/client/tags.rs"))
        );
        assert!(
            !generated
                .files
                .contains_key(Path::new("kibana-gen/src/generated/types/tags.rs"))
        );
        let types = &generated.files[Path::new("kibana-gen/src/generated/types/mod.rs")];
        assert!(!types.contains("mod tags;"), "{types}");
        let multipart = &generated.files[Path::new("kibana-gen/src/multipart.rs")];
        assert!(!multipart.contains("struct Parts"), "{multipart}");
    }
}
