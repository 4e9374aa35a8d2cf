//! `cargo xtask conformance`: Prism (a third-party mock server) serves the same transformed spec the client is
//! generated from (plus the operations written by hand, such as multipart imports) and validates every request the SDK sends; the suite (`tests/tests/conformance.rs`) fails on any
//! validation error. Prism runs only here, so that `cargo test --workspace` needs nothing but cargo.

use std::{
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, ExitCode, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

use crate::{pipeline, source::SpecSource};

/// Kills Prism however the run ends.
struct PrismGuard(Child);

impl Drop for PrismGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(root: &Path, spec_dir: &Path, install: bool) -> Result<ExitCode> {
    let npm_dir = root.join("xtask/conformance");
    if install {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&npm_dir)
            .status()
            .context("running npm ci (is Node.js installed?)")?;
        if !status.success() {
            bail!("npm ci failed in {}", npm_dir.display());
        }
    }
    let generated = pipeline::run(
        root,
        &root.join(pipeline::DEFAULT_PIN),
        &SpecSource::Directory(spec_dir),
    )?;
    let out_dir = root.join("target/conformance");
    std::fs::create_dir_all(&out_dir)?;
    let spec_path = out_dir.join("kibana.json");
    std::fs::write(&spec_path, serde_json::to_vec_pretty(&generated.conformance_document)?)?;

    let port = free_port()?;
    let log = std::fs::File::create(out_dir.join("prism.log"))?;
    let prism = Command::new(npm_dir.join("node_modules/.bin/prism"))
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(&spec_path)
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .context("starting Prism (run without --no-install first)")?;
    let mut guard = PrismGuard(prism);
    wait_for_port(&mut guard.0, port, Duration::from_secs(90))
        .with_context(|| format!("Prism did not start; see {}", out_dir.join("prism.log").display()))?;
    println!(
        "conformance: Prism {} serving {} on 127.0.0.1:{port}",
        prism_version(&npm_dir),
        spec_path.display()
    );

    let status = Command::new(env!("CARGO"))
        .args([
            "test",
            "--package",
            "kibana-fake",
            "--test",
            "conformance",
            "--features",
            "sweep",
            "--",
            "--ignored",
            // The sweep's `called= decoded= failed=` report, printed on success too.
            "--show-output",
            "--test-threads",
            "1",
        ])
        .env("PRISM_URL", format!("http://127.0.0.1:{port}"))
        .env("KIBANA_CONFORMANCE_SPEC", &spec_path)
        .current_dir(root)
        .status()
        .context("running the conformance suite")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn prism_version(npm_dir: &Path) -> String {
    let lock = std::fs::read_to_string(npm_dir.join("package-lock.json")).unwrap_or_default();
    let lock: serde_json::Value = serde_json::from_str(&lock).unwrap_or_default();
    lock["packages"]["node_modules/@stoplight/prism-cli"]["version"]
        .as_str()
        .unwrap_or("?")
        .to_owned()
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(prism: &mut Child, port: u16, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < timeout {
        if let Some(status) = prism.try_wait()? {
            bail!("Prism exited ({status})");
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("nothing listens on 127.0.0.1:{port} after {timeout:?}")
}
