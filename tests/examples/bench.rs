//! `cargo xtask bench`: the full kibana-rs stack against bare reqwest, side by side in one run, on the same local
//! server (a minimal hyper server answering a fixed connector list, so that the client is what is measured).
//! Prints one `name=value` line per figure. Ratios are ours / bare reqwest.

use std::{
    convert::Infallible,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, service::service_fn};
use hyper_util::rt::TokioIo;
use kibana::Kibana;

const BODY: &str = r#"[{"id":"c1","name":"hook","connector_type_id":".webhook","config":{"url":"https://example.com","method":"post"},"is_preconfigured":false,"is_deprecated":false,"is_missing_secrets":false,"is_system_action":false,"referenced_by_count":0}]"#;

async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(|_request| async {
                    Ok::<_, Infallible>(
                        Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from_static(BODY.as_bytes())))
                            .unwrap(),
                    )
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .tcp_nodelay(true)
        .no_proxy()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap()
}

/// The same request the SDK sends, header for header.
/// reqwest configured like the SDK's defaults (30 s request timeout: one timer per request, 10 s connect timeout).
fn timed_client() -> reqwest::Client {
    reqwest::Client::builder()
        .tcp_nodelay(true)
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn bare_call(client: &reqwest::Client, url: &str) {
    let response = client
        .get(url)
        .header("accept", "application/json")
        .header("authorization", concat!("ApiKey ", "YmVuY2g6YmVuY2g="))
        .header("user-agent", kibana::transport::DEFAULT_USER_AGENT)
        .header("elastic-api-version", "2023-10-31")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let _: Vec<serde_json::Value> = response.json().await.unwrap();
}

async fn ours_call(client: &Kibana) {
    client.connectors().list().await.unwrap();
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

async fn throughput<F, Fut>(in_flight: usize, window: Duration, call: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (done, stop, call) = (done.clone(), stop.clone(), call.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    call().await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    tokio::time::sleep(window).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    // Profiling aid: `BENCH_ONLY=ours` or `=bare` runs only that side's throughput loop for 5 s.
    if let Ok(side) = std::env::var("BENCH_ONLY") {
        let addr = serve().await;
        let base = format!("http://{addr}");
        let url = format!("{base}/api/actions/connectors");
        let (bare, ours) = (
            if side == "timed" { timed_client() } else { bare_client() },
            Kibana::builder()
                .url(&base)
                .api_key("YmVuY2g6YmVuY2g=")
                .build()
                .unwrap(),
        );
        // `BENCH_CALLS=N`: N sequential calls instead (for instruction counts under callgrind).
        if let Some(calls) = std::env::var("BENCH_CALLS").ok().and_then(|n| n.parse::<usize>().ok()) {
            for _ in 0..calls {
                if side != "ours" {
                    bare_call(&bare, &url).await;
                } else {
                    ours_call(&ours).await;
                }
            }
            return;
        }
        let rps = if side != "ours" {
            throughput(64, Duration::from_secs(5), move || {
                let (client, target) = (bare.clone(), url.clone());
                async move { bare_call(&client, &target).await }
            })
            .await
        } else {
            throughput(64, Duration::from_secs(5), move || {
                let client = ours.clone();
                async move { ours_call(&client).await }
            })
            .await
        };
        println!("{side}_rps={rps:.0}");
        return;
    }
    let addr = serve().await;
    let base = format!("http://{addr}");
    let url = format!("{base}/api/actions/connectors");
    let bare = bare_client();
    let ours = Kibana::builder()
        .url(&base)
        .api_key("YmVuY2g6YmVuY2g=")
        .build()
        .unwrap();

    // Latency, interleaved so that drift on a shared machine hits both alike; the ratio of p50s is taken per block
    // of calls and the median block is reported, which a burst of noise in one block cannot move.
    let (blocks, per_block) = if quick { (3, 200) } else { (9, 1_000) };
    for _ in 0..300 {
        bare_call(&bare, &url).await;
        ours_call(&ours).await;
    }
    let (mut latency_ratios, mut all_bare, mut all_ours) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..blocks {
        let (mut bare_samples, mut our_samples) = (Vec::with_capacity(per_block), Vec::with_capacity(per_block));
        for _ in 0..per_block {
            let t = Instant::now();
            bare_call(&bare, &url).await;
            bare_samples.push(t.elapsed());
            let t = Instant::now();
            ours_call(&ours).await;
            our_samples.push(t.elapsed());
        }
        latency_ratios
            .push(percentile(&mut our_samples, 0.5).as_secs_f64() / percentile(&mut bare_samples, 0.5).as_secs_f64());
        all_bare.extend(bare_samples);
        all_ours.extend(our_samples);
    }
    println!("latency_p50_bare_us={}", percentile(&mut all_bare, 0.5).as_micros());
    println!("latency_p50_ours_us={}", percentile(&mut all_ours, 0.5).as_micros());
    println!("latency_ratio={:.3}", median(&mut latency_ratios));
    println!(
        "latency_p99_ratio={:.3}",
        percentile(&mut all_ours, 0.99).as_secs_f64() / percentile(&mut all_bare, 0.99).as_secs_f64()
    );

    // Throughput with 64 requests in flight: pairs of rounds, each side going first in turn (so that neither always
    // inherits the other's leftovers); the median of the per-pair ratios is reported.
    let window = if quick {
        Duration::from_millis(500)
    } else {
        Duration::from_secs(2)
    };
    let pairs = if quick { 2 } else { 6 };
    let run_bare = |client: reqwest::Client| {
        let target = url.clone();
        throughput(64, window, move || {
            let (client, target) = (client.clone(), target.clone());
            async move { bare_call(&client, &target).await }
        })
    };
    let run_ours = || {
        let client = ours.clone();
        throughput(64, window, move || {
            let client = client.clone();
            async move { ours_call(&client).await }
        })
    };
    let (mut ratios, mut bare_total, mut our_total) = (Vec::new(), 0.0, 0.0);
    for pair in 0..pairs {
        let (b, o) = if pair % 2 == 0 {
            let b = run_bare(bare.clone()).await;
            (b, run_ours().await)
        } else {
            let o = run_ours().await;
            (run_bare(bare.clone()).await, o)
        };
        ratios.push(o / b);
        bare_total += b;
        our_total += o;
    }
    println!("throughput_bare_rps={:.0}", bare_total / pairs as f64);
    println!("throughput_ours_rps={:.0}", our_total / pairs as f64);
    println!("throughput_ratio={:.3}", median(&mut ratios));

    // The same against reqwest configured like the client's defaults (30 s request timeout: one timer per request),
    // which isolates what the stack itself costs.
    let timed = timed_client();
    let mut timed_ratios = Vec::new();
    for pair in 0..pairs {
        let (b, o) = if pair % 2 == 0 {
            let b = run_bare(timed.clone()).await;
            (b, run_ours().await)
        } else {
            let o = run_ours().await;
            (run_bare(timed.clone()).await, o)
        };
        timed_ratios.push(o / b);
    }
    println!(
        "throughput_ratio_vs_reqwest_with_timeouts={:.3}",
        median(&mut timed_ratios)
    );

    // Rate limiter accuracy: 50 requests per second asked, 8 workers pushing as hard as they can.
    let rate = 50.0;
    let limited = Kibana::builder()
        .url(&base)
        .max_requests_per_second(rate)
        .build()
        .unwrap();
    let window = if quick {
        Duration::from_secs(2)
    } else {
        Duration::from_secs(10)
    };
    let achieved = throughput(8, window, move || {
        let client = limited.clone();
        async move { ours_call(&client).await }
    })
    .await;
    println!("rate_limit_target_rps={rate}");
    println!("rate_limit_achieved_rps={achieved:.2}");
    println!("rate_limit_accuracy={:.4}", achieved / rate);
}
