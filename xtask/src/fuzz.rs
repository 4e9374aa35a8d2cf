//! `cargo xtask fuzz`: every `cargo fuzz` target of `fuzz/`, one summary line per target. Two kinds of run:
//!
//! - **exploratory** (no `--runs`): each target runs for `seconds` with a random seed, from its committed seeds
//!   (`fuzz/corpus/<target>`), its past crashes (`fuzz/regressions/<target>`), both read only, and a working corpus
//!   kept between runs under the fuzz target directory (`target/fuzz/corpus/<target>`, where libFuzzer adds what it
//!   finds). What it finds is fixed, then added to `fuzz/regressions/` (and the corpus).
//! - **deterministic** (`--runs N`, what CI runs): the same inputs every time. `--runs 0` replays the committed
//!   corpus and every past crash, each input once; `--runs N` then makes N executions from a fixed seed and an
//!   empty working corpus (a fresh temporary directory), so that two runs on the same commit execute the same
//!   inputs.
//!
//! Needs the nightly toolchain and `cargo-fuzz` (`cargo install cargo-fuzz`). The targets are built once. A crash
//! leaves its input in `fuzz/artifacts/<target>/` (ignored by git) and fails the run.
//!
//! Prints `target=<name> execs=<n> crashes=<n>` per target, from libFuzzer's final statistics.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, ExitCode, Stdio},
};

use anyhow::{Context, Result, bail};

/// Safe Rust throughout: address sanitizing would halve the executions per second and find nothing the assertions
/// and the checked arithmetic of the fuzz build (debug assertions are on) do not.
const SANITIZER: &str = "none";
/// Lines of a crashed run's output shown.
const TAIL_LINES: usize = 60;
/// The seed of deterministic runs.
const FIXED_SEED: u32 = 1;

pub(crate) fn run(root: &Path, seconds: u64, runs: Option<u64>, only: &[String]) -> Result<ExitCode> {
    if !succeeds(nightly(root).arg("--version")) {
        bail!("the nightly toolchain is not installed (`rustup toolchain install nightly`): cannot fuzz");
    }
    if !succeeds(nightly(root).args(["fuzz", "--version"])) {
        bail!("cargo-fuzz is not installed (`cargo install cargo-fuzz`): cannot fuzz");
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target_dir = target_dir.join("fuzz");
    let mut targets = targets(root)?;
    if let Some(unknown) = only.iter().find(|name| !targets.contains(name)) {
        bail!("no fuzz target {unknown:?} (the targets: {})", targets.join(", "));
    }
    if !only.is_empty() {
        targets.retain(|t| only.contains(t));
    }
    if targets.is_empty() {
        bail!(
            "`cargo fuzz list` found no fuzz target in {}",
            root.join("fuzz").display()
        );
    }

    let status = fuzz(root, "build", &target_dir)
        .status()
        .context("running cargo fuzz build")?;
    if !status.success() {
        bail!("building the fuzz targets failed ({status})");
    }

    let mut crashed = Vec::new();
    for target in &targets {
        let outcome = run_target(root, &target_dir, target, seconds, runs)?;
        println!(
            "target={target} execs={} crashes={}",
            outcome.execs,
            outcome.crashes.len()
        );
        if !outcome.crashes.is_empty() {
            for line in &outcome.tail {
                eprintln!("  | {line}");
            }
            for artifact in &outcome.crashes {
                eprintln!("  crashing input: {artifact}");
            }
            crashed.push(target.clone());
        }
    }
    if crashed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("fuzz: crashes in {}", crashed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

/// `cargo +nightly`, in the workspace, without the variables `cargo xtask` (a stable cargo) set for this process.
fn nightly(root: &Path) -> Command {
    let mut command = Command::new("cargo");
    command
        .arg("+nightly")
        .current_dir(root)
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC");
    command
}

fn succeeds(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn fuzz(root: &Path, subcommand: &str, target_dir: &Path) -> Command {
    let mut command = nightly(root);
    command
        .args(["fuzz", subcommand, "--sanitizer", SANITIZER, "--target-dir"])
        .arg(target_dir);
    command
}

fn targets(root: &Path) -> Result<Vec<String>> {
    let output = nightly(root)
        .args(["fuzz", "list"])
        .output()
        .context("running cargo fuzz list")?;
    if !output.status.success() {
        bail!("cargo fuzz list failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

#[derive(Debug, Default, PartialEq)]
struct Outcome {
    execs: u64,
    /// The inputs libFuzzer wrote for crashes, timeouts, out-of-memory and leaks.
    crashes: Vec<String>,
    /// The last lines of the run's output.
    tail: Vec<String>,
}

/// The committed inputs of `target`: its seeds and its past crashes, the directories that exist.
fn committed_inputs(root: &Path, target: &str) -> Vec<PathBuf> {
    ["corpus", "regressions"]
        .iter()
        .map(|kind| root.join("fuzz").join(kind).join(target))
        .filter(|dir| dir.is_dir())
        .collect()
}

fn run_target(root: &Path, target_dir: &Path, target: &str, seconds: u64, runs: Option<u64>) -> Result<Outcome> {
    // libFuzzer writes what it finds into the first directory: the kept working corpus when exploring, a fresh
    // temporary one for a deterministic run, none for a replay.
    let work = match runs {
        Some(_) => {
            let scratch = std::env::temp_dir().join(format!("kibana-rs-fuzz-{target}-{}", std::process::id()));
            if scratch.exists() {
                std::fs::remove_dir_all(&scratch).with_context(|| format!("emptying {}", scratch.display()))?;
            }
            scratch
        }
        None => target_dir.join("corpus").join(target),
    };
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let mut command = fuzz(root, "run", target_dir);
    command.arg(target);
    if runs != Some(0) {
        command.arg(&work);
    }
    command.args(committed_inputs(root, target));
    command
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .args(runs.map(|runs| format!("-runs={runs}")))
        .args(runs.map(|_| format!("-seed={FIXED_SEED}")))
        // A hang is a finding too: report an input that runs for 10 s instead of waiting for libFuzzer's 20 min.
        .arg("-timeout=10")
        .arg("-print_final_stats=1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("running cargo fuzz run {target}"))?;
    let stderr = child.stderr.take().expect("piped");
    let mut outcome = Outcome::default();
    let mut saw_stats = false;
    for line in BufReader::new(stderr).lines() {
        let line = line.context("reading libFuzzer's output")?;
        saw_stats |= parse_line(&line, &mut outcome);
        outcome.tail.push(line);
        if outcome.tail.len() > TAIL_LINES {
            outcome.tail.remove(0);
        }
    }
    let status = child.wait()?;
    if runs.is_some() {
        let _ = std::fs::remove_dir_all(&work);
    }
    if !status.success() && outcome.crashes.is_empty() {
        for line in &outcome.tail {
            eprintln!("  | {line}");
        }
        bail!("fuzz target {target} failed without a crash report ({status})");
    }
    if !saw_stats {
        bail!("fuzz target {target} printed no final statistics");
    }
    Ok(outcome)
}

/// Reads one line of libFuzzer's output into `outcome`; whether it was the executions statistic.
fn parse_line(line: &str, outcome: &mut Outcome) -> bool {
    if let Some(execs) = line.strip_prefix("stat::number_of_executed_units:") {
        outcome.execs = execs.trim().parse().unwrap_or(0);
        return true;
    }
    if let Some((_, path)) = line.split_once("Test unit written to ") {
        let path = path.trim();
        let name = Path::new(path).file_name().and_then(|n| n.to_str()).unwrap_or(path);
        let name = name.rsplit('_').next().unwrap_or(name);
        if ["crash-", "timeout-", "oom-", "leak-"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            outcome.crashes.push(path.to_owned());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_stats_and_crash_artifacts_are_read() {
        let mut outcome = Outcome::default();
        let output = "\
#2\tINITED cov: 10 ft: 10 corp: 1/1b exec/s: 0 rss: 30Mb
==1== ERROR: libFuzzer: deadly signal
artifact_prefix='/w/fuzz/artifacts/cloud_id/'; Test unit written to /w/fuzz/artifacts/cloud_id/crash-ac4d
Base64: YQ==
stat::number_of_executed_units: 123456
stat::average_exec_per_sec:     6172
slow-unit artifact_prefix='x'; Test unit written to /w/slow-unit-1";
        let stats: Vec<bool> = output.lines().map(|l| parse_line(l, &mut outcome)).collect();
        assert_eq!(stats.iter().filter(|s| **s).count(), 1);
        assert_eq!(outcome.execs, 123_456);
        assert_eq!(outcome.crashes, ["/w/fuzz/artifacts/cloud_id/crash-ac4d"]);
    }
}
