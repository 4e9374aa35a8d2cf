//! `cargo xtask`: the project's automation.

mod bench;
mod config;
mod conformance;
mod fuzz;
mod generate;
mod instances;
mod merge;
mod outputs;
mod pipeline;
mod postprocess;
mod source;
mod transforms;
mod upgrade;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::source::SpecSource;

#[derive(Parser)]
#[command(about = "kibana-rs project automation")]
struct Cli {
    /// The kibana-rs workspace to work on (default: the one the current directory is in).
    #[arg(long, global = true, value_name = "PATH")]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `kibana-gen` from the Kibana OpenAPI documents pinned in `openapi/pin.toml`.
    Regen {
        /// Read the documents from this directory instead of downloading them by their pinned URL; give it more
        /// than once when the pinned documents are in several (each is read from the first that has it).
        #[arg(long = "spec-dir", value_name = "PATH")]
        spec_dir: Vec<PathBuf>,
        /// Generate in memory and fail if the committed files differ.
        #[arg(long)]
        check: bool,
        /// The pin to generate from (its transform settings are the `transforms.toml` beside it).
        #[arg(long, value_name = "PATH", default_value = pipeline::DEFAULT_PIN)]
        pin: PathBuf,
        /// Write the generated files under this directory instead of the workspace.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Benchmark the client stack against bare reqwest and bare hyper (release build); prints `name=value` lines.
    Bench {
        /// Shorter windows (a smoke run, not figures to report).
        #[arg(long)]
        quick: bool,
    },
    /// Run every `cargo fuzz` target of `fuzz/` (nightly, cargo-fuzz); prints `target=<name> execs=<n> crashes=<n>`.
    Fuzz {
        /// How long each target runs (at most, with `--runs`).
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Stop each target after this many executions (libFuzzer's `-runs`); `--seconds` still caps the time.
        #[arg(long)]
        runs: Option<u64>,
        /// Only these targets (default: every target of `cargo fuzz list`).
        #[arg(long = "target", value_name = "NAME")]
        only: Vec<String>,
    },
    /// Generate a client from hand-made documents in Kibana's upstream forms (xtask/tests/fixtures/upgrade) and
    /// compile and lint it: what a Kibana upgrade gets.
    UpgradeCheck,
    /// Serve the transformed spec with Prism and send every request the SDK can build through it.
    Conformance {
        /// Where the pinned document is (default: `../shared/openapi/kibana-9.3`).
        #[arg(long, value_name = "PATH")]
        spec_dir: Option<PathBuf>,
        /// Skip `npm ci` (Prism is installed already).
        #[arg(long)]
        no_install: bool,
    },
}

/// The workspace `cargo xtask` works on: `--workspace`, else the nearest directory at or above the current one
/// with a `Cargo.toml` declaring a `[workspace]` and an `openapi/` directory. Never where the xtask was built: two
/// checkouts sharing one target directory would read one's pin and write the other's crate.
fn workspace_root(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    let is_workspace = |dir: &Path| {
        dir.join("openapi").is_dir()
            && std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|manifest| manifest.contains("[workspace]"))
    };
    if let Some(dir) = explicit {
        anyhow::ensure!(
            is_workspace(dir),
            "--workspace {}: not a kibana-rs workspace (no Cargo.toml with [workspace] and openapi/ there)",
            dir.display()
        );
        return Ok(dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()));
    }
    let current = std::env::current_dir().context("reading the current directory")?;
    current
        .ancestors()
        .find(|dir| is_workspace(dir))
        .map(Path::to_path_buf)
        .with_context(|| {
            format!(
                "{} is not inside a kibana-rs workspace: run `cargo xtask` there, or pass --workspace PATH",
                current.display()
            )
        })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = workspace_root(cli.workspace.as_deref()).and_then(|root| match cli.command {
        Command::Regen {
            spec_dir,
            check,
            pin,
            out,
        } => regen(&root, &spec_dir, check, &pin, out.as_deref()),
        Command::Fuzz { seconds, runs, only } => fuzz::run(&root, seconds, runs, &only),
        Command::Bench { quick } => bench::run(&root, quick).map(|()| ExitCode::SUCCESS),
        Command::UpgradeCheck => upgrade::run(&root),
        Command::Conformance { spec_dir, no_install } => {
            let spec_dir = spec_dir.unwrap_or_else(|| root.join("../shared/openapi/kibana-9.3"));
            conformance::run(&root, &spec_dir, !no_install)
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn regen(workspace: &Path, spec_dirs: &[PathBuf], check: bool, pin: &Path, out: Option<&Path>) -> Result<ExitCode> {
    let started = Instant::now();
    let root = out.map_or_else(|| workspace.to_path_buf(), Path::to_path_buf);
    let source = if spec_dirs.is_empty() {
        SpecSource::Download
    } else {
        SpecSource::Directories(spec_dirs)
    };
    // A relative pin is the workspace's (`openapi/pin.toml`), wherever the command runs from.
    let pin = if pin.is_relative() {
        workspace.join(pin)
    } else {
        pin.to_path_buf()
    };
    let generated = pipeline::run(workspace, &pin, &source)?;
    let elapsed = started.elapsed();

    if check {
        let stale = stale_files(&root, &generated)?;
        if stale.is_empty() {
            println!("regen --check: the committed kibana-gen matches the pinned documents ({elapsed:.1?})");
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "regen --check: {} generated file(s) differ from what the pinned documents generate:",
            stale.len()
        );
        for (path, summary) in &stale {
            eprintln!("\n--- {}\n{summary}", path.display());
        }
        eprintln!("\nRun `cargo xtask regen --spec-dir <dir>` and commit the result.");
        return Ok(ExitCode::FAILURE);
    }

    for path in leftover_files(&root, &generated) {
        std::fs::remove_file(root.join(&path)).with_context(|| format!("removing {}", path.display()))?;
    }
    for (path, content) in &generated.files {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, content).with_context(|| format!("writing {}", target.display()))?;
    }
    println!(
        "regen: {} operations generated, {} excluded (see {}); {} lines of client code; {elapsed:.1?}",
        generated.generated_operations,
        generated.excluded_operations,
        generated.report.display(),
        generated.generated_lines
    );
    println!("regen: operations: {}", generated.lifecycle_summary);
    println!(
        "regen: paged calls: {} with `.stream()` by number, {} that look paged skipped, {} following cursors, {} \
         with a cursor but no cursor stream (see the report, \"Paged calls\")",
        generated.paged_calls, generated.paged_skipped, generated.cursor_calls, generated.cursor_skipped
    );
    Ok(ExitCode::SUCCESS)
}

/// The generated files whose committed content differs, each with a short diff, and files in directories the
/// regen owns that it no longer writes.
fn stale_files(root: &Path, generated: &pipeline::Generated) -> Result<Vec<(PathBuf, String)>> {
    let mut stale = Vec::new();
    for (path, expected) in &generated.files {
        let actual = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        if &actual != expected {
            stale.push((path.clone(), diff_summary(&actual, expected)));
        }
    }
    for path in leftover_files(root, generated) {
        stale.push((path, "no longer generated: delete it".to_owned()));
    }
    Ok(stale)
}

/// Files under the regen's own directories that it does not write (any more).
fn leftover_files(root: &Path, generated: &pipeline::Generated) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
            let relative = dir.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &relative, out);
            } else {
                out.push(relative);
            }
        }
    }
    let mut found = Vec::new();
    for dir in &generated.owned_dirs {
        walk(root, dir, &mut found);
    }
    found.retain(|path| !generated.files.contains_key(path));
    found.sort();
    found
}

fn diff_summary(committed: &str, generated: &str) -> String {
    const MAX_LINES: usize = 40;
    let diff = similar::TextDiff::from_lines(committed, generated);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("committed", "generated")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines.iter().take(MAX_LINES).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > MAX_LINES {
        out.push_str(&format!("\n... ({} more diff lines)", lines.len() - MAX_LINES));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_is_found_from_where_the_command_runs_or_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
        std::fs::create_dir_all(dir.path().join("kibana/src")).unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        assert_eq!(
            workspace_root(Some(dir.path())).unwrap(),
            dir.path().canonicalize().unwrap()
        );
        let error = workspace_root(Some(&dir.path().join("kibana")))
            .unwrap_err()
            .to_string();
        assert!(error.contains("not a kibana-rs workspace"), "{error}");
        // From a subdirectory (the test's own current directory is the xtask crate: its workspace is this one).
        let found = workspace_root(None).unwrap();
        assert!(found.join("openapi/pin.toml").exists(), "{}", found.display());
    }

    #[test]
    fn diff_summary_shows_the_changed_line() {
        let summary = diff_summary("a\nb\nc\n", "a\nB\nc\n");
        assert!(summary.contains("-b") && summary.contains("+B"), "{summary}");
    }
}
