//! Part of `cargo xtask bench`: peak resident memory of a client streaming a saved-objects export of 10,000 and of
//! 100,000 objects. The fake Kibana runs in a separate process, so that only the client is measured.
//! Prints `export_<n>_peak_rss_kib=` lines and their ratio.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

use futures::TryStreamExt;
use kibana::{Kibana, saved_objects::ExportOptions};

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn serve(count: usize) {
    let fake = kibana_fake::FakeKibana::builder()
        .export_size_limit(count)
        .start()
        .await;
    fake.seed_saved_objects("default", "index-pattern", count);
    println!("{}", fake.url());
    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
}

async fn export(url: &str) {
    let client = Kibana::builder().url(url).build().unwrap();
    let lines = client
        .saved_objects()
        .export(&ExportOptions::types(["index-pattern"]))
        .await
        .unwrap();
    let count = lines.try_fold(0u64, |n, _| async move { Ok(n + 1) }).await.unwrap();
    println!("lines={count} peak_rss_kib={}", peak_rss_kib());
}

fn measure(count: usize) -> (u64, u64) {
    let me = std::env::current_exe().unwrap();
    let mut server = Command::new(&me)
        .args(["serve", &count.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let output = Command::new(&me).args(["export", url.trim()]).output().unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("lines="), field("peak_rss_kib="))
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, count] if mode == "serve" => serve(count.parse().unwrap()).await,
        [mode, url] if mode == "export" => export(url).await,
        _ => {
            let (small_lines, small) = tokio::task::spawn_blocking(|| measure(10_000)).await.unwrap();
            let (large_lines, large) = tokio::task::spawn_blocking(|| measure(100_000)).await.unwrap();
            assert_eq!(
                (small_lines, large_lines),
                (10_001, 100_001),
                "objects plus the details line"
            );
            println!("export_10000_peak_rss_kib={small}");
            println!("export_100000_peak_rss_kib={large}");
            println!("export_rss_ratio_100k_over_10k={:.3}", large as f64 / small as f64);
        }
    }
}
