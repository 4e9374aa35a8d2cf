//! `cargo xtask bench`: the client benchmarks, in release builds.
//!
//! 1. `kibana-fake`'s `bench` example: latency and throughput of the SDK against bare reqwest and bare hyper, side by
//!    side in one process, and the rate limiter's accuracy.
//! 2. When valgrind is installed, instructions per call of each side under callgrind: counts, not seconds, so they
//!    hardly move with what else the machine does (a few percent, from thread interleaving). Each side runs 200 and
//!    1,200 sequential calls; the difference divided by 1,000 is the cost of one call (client and server together),
//!    start-up excluded.
//! 3. `export_memory`: peak RSS of a client streaming exports of 10k and 100k objects.
//! 4. `bench_config`: Kibana as code, plan and apply of 100 spaces × 21 objects against the fake.

use std::{path::Path, process::Command};

use anyhow::{Context, Result, bail};

pub(crate) fn run(root: &Path, quick: bool) -> Result<()> {
    let mut bench = cargo(root, "bench");
    if quick {
        bench.env("BENCH_QUICK", "1");
    }
    check(bench.status().context("running the benchmark")?.success(), "bench")?;
    instructions(root)?;
    check(
        cargo(root, "export_memory")
            .status()
            .context("running the export memory benchmark")?
            .success(),
        "export_memory",
    )?;
    let config = cargo(root, "bench_config").status();
    check(
        config.context("running the Kibana as code benchmark")?.success(),
        "bench_config",
    )
}

fn cargo(root: &Path, example: &str) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "kibana-fake",
            "--example",
            example,
        ])
        .current_dir(root);
    command
}

fn check(success: bool, what: &str) -> Result<()> {
    if success {
        Ok(())
    } else {
        bail!("the {what} benchmark failed")
    }
}

fn instructions(root: &Path) -> Result<()> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("instructions_skipped=valgrind is not installed");
        return Ok(());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let binary = target.join("release/examples/bench");
    let mut per_call = Vec::new();
    for side in ["bare", "hyper", "ours"] {
        let short = collected(&binary, side, 200)?;
        let long = collected(&binary, side, 1_200)?;
        let cost = long.saturating_sub(short) / 1_000;
        println!("instructions_per_call_{side}={cost}");
        per_call.push(cost as f64);
    }
    println!("instructions_ratio={:.3}", per_call[2] / per_call[0]);
    println!("instructions_ratio_vs_hyper={:.3}", per_call[2] / per_call[1]);
    Ok(())
}

/// Instructions callgrind counted for `calls` sequential calls of `side`.
fn collected(binary: &Path, side: &str, calls: u32) -> Result<u64> {
    let out_file = std::env::temp_dir().join(format!("kibana-rs-callgrind-{side}-{calls}.out"));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(binary)
        .env("BENCH_ONLY", side)
        .env("BENCH_CALLS", calls.to_string())
        .output()
        .context("running valgrind")?;
    let _ = std::fs::remove_file(&out_file);
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|count| count.trim().parse().ok())
        .with_context(|| format!("no instruction count in valgrind's output for {side}:\n{stderr}"))
}
