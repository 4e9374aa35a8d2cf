//! `cargo xtask bench`: the full kibana-rs stack against bare `reqwest` (the issue's baseline) and bare hyper (the
//! transport the stack sends through), side by side in one run, on the same local server (a minimal hyper server
//! answering a fixed connector list, so that the clients are what is measured).
//!
//! Every side sends the same request, header for header, and decodes the answer into the same typed
//! `Vec<Connector>`, so that the ratios compare transports and stacks, not decoders. Prints one `name=value` line per
//! figure; ratios are ours / the bare client.
//!
//! Profiling aids: `BENCH_ONLY=ours|bare|timed|hyper` runs only that side's throughput loop for 5 s, and with
//! `BENCH_CALLS=N` makes N sequential calls instead (for instruction counts under callgrind).

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
use http_body_util::{BodyExt, Empty, Full};
use hyper::{Response, service::service_fn};
use hyper_util::{
    client::legacy::{Client as HyperClient, connect::HttpConnector},
    rt::{TokioExecutor, TokioIo},
};
use kibana::{Kibana, connectors::Connector};

const BODY: &str = r#"[{"id":"c1","name":"hook","connector_type_id":".webhook","config":{"url":"https://example.com","method":"post"},"is_preconfigured":false,"is_deprecated":false,"is_missing_secrets":false,"is_system_action":false,"referenced_by_count":0}]"#;
const API_KEY: &str = "YmVuY2g6YmVuY2g=";

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

/// One client under test.
#[derive(Clone)]
enum Side {
    /// Bare reqwest, as a user without the SDK would write it.
    Reqwest(reqwest::Client),
    /// Bare hyper-util, the pooled client the SDK's send layer uses.
    Hyper(Box<HyperClient<HttpConnector, Empty<Bytes>>>),
    /// The SDK: `connectors().list()` through the whole stack.
    Ours(Kibana),
}

impl Side {
    fn bare_reqwest() -> Self {
        Self::Reqwest(reqwest::Client::builder().tcp_nodelay(true).no_proxy().build().unwrap())
    }

    /// reqwest configured like the SDK's defaults (30 s request timeout: one timer per request; 10 s connect).
    fn timed_reqwest() -> Self {
        Self::Reqwest(
            reqwest::Client::builder()
                .tcp_nodelay(true)
                .no_proxy()
                .timeout(Duration::from_secs(30))
                .connect_timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
        )
    }

    fn bare_hyper() -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Self::Hyper(Box::new(HyperClient::builder(TokioExecutor::new()).build(connector)))
    }

    fn ours(base: &str) -> Self {
        Self::Ours(Kibana::builder().url(base).api_key(API_KEY).build().unwrap())
    }

    /// The same request on every side: `GET /api/actions/connectors` with the SDK's headers, decoded into
    /// `Vec<Connector>`.
    async fn call(&self, url: &str) {
        let connectors: Vec<Connector> = match self {
            Self::Reqwest(client) => {
                let response = client
                    .get(url)
                    .header("accept", "application/json")
                    .header("authorization", format!("ApiKey {API_KEY}"))
                    .header("user-agent", kibana::transport::DEFAULT_USER_AGENT)
                    .header("elastic-api-version", "2023-10-31")
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                response.json().await.unwrap()
            }
            Self::Hyper(client) => {
                let request = http::Request::get(url)
                    .header("accept", "application/json")
                    .header("authorization", format!("ApiKey {API_KEY}"))
                    .header("user-agent", kibana::transport::DEFAULT_USER_AGENT)
                    .header("elastic-api-version", "2023-10-31")
                    .body(Empty::new())
                    .unwrap();
                let response = client.request(request).await.unwrap();
                assert!(response.status().is_success());
                let body = response.into_body().collect().await.unwrap().to_bytes();
                serde_json::from_slice(&body).unwrap()
            }
            Self::Ours(client) => client.connectors().list().await.unwrap(),
        };
        assert_eq!(connectors.len(), 1);
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

/// Requests per second with `in_flight` workers calling `side` for `window`.
async fn throughput(side: &Side, url: &str, in_flight: usize, window: Duration) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (done, stop, side, url) = (done.clone(), stop.clone(), side.clone(), url.to_owned());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    side.call(&url).await;
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

/// Rounds of `sides` in rotating order (so that no side always inherits another's leftovers); for each round, the
/// rate of every side. Returns the rounds.
async fn throughput_rounds(sides: &[&Side], url: &str, rounds: usize, window: Duration) -> Vec<Vec<f64>> {
    let mut results = Vec::new();
    for round in 0..rounds {
        let mut rates = vec![0.0; sides.len()];
        for offset in 0..sides.len() {
            let index = (round + offset) % sides.len();
            rates[index] = throughput(sides[index], url, 64, window).await;
        }
        results.push(rates);
    }
    results
}

async fn profile(side: &str) {
    let addr = serve().await;
    let base = format!("http://{addr}");
    let url = format!("{base}/api/actions/connectors");
    let client = match side {
        "ours" => Side::ours(&base),
        "timed" => Side::timed_reqwest(),
        "hyper" => Side::bare_hyper(),
        _ => Side::bare_reqwest(),
    };
    if let Some(calls) = std::env::var("BENCH_CALLS").ok().and_then(|n| n.parse::<usize>().ok()) {
        for _ in 0..calls {
            client.call(&url).await;
        }
        return;
    }
    let rps = throughput(&client, &url, 64, Duration::from_secs(5)).await;
    println!("{side}_rps={rps:.0}");
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    if let Ok(side) = std::env::var("BENCH_ONLY") {
        profile(&side).await;
        return;
    }
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let addr = serve().await;
    let base = format!("http://{addr}");
    let url = format!("{base}/api/actions/connectors");
    let (bare, hyper, ours) = (Side::bare_reqwest(), Side::bare_hyper(), Side::ours(&base));
    let sides = [&bare, &hyper, &ours];

    // Latency, interleaved call by call in rotating order so that drift on a shared machine hits every side alike;
    // the ratio of p50s is taken per block of calls and the median block is reported, which a burst of noise in one
    // block cannot move.
    let (blocks, per_block) = if quick { (3, 200) } else { (9, 1_000) };
    for _ in 0..300 {
        for side in sides {
            side.call(&url).await;
        }
    }
    let (mut vs_bare, mut vs_hyper) = (Vec::new(), Vec::new());
    let mut all: [Vec<Duration>; 3] = Default::default();
    for block in 0..blocks {
        let mut samples: [Vec<Duration>; 3] = Default::default();
        for call in 0..per_block {
            for offset in 0..sides.len() {
                let index = (block + call + offset) % sides.len();
                let started = Instant::now();
                sides[index].call(&url).await;
                samples[index].push(started.elapsed());
            }
        }
        let p50: Vec<f64> = samples.iter_mut().map(|s| percentile(s, 0.5).as_secs_f64()).collect();
        vs_bare.push(p50[2] / p50[0]);
        vs_hyper.push(p50[2] / p50[1]);
        for (all, samples) in all.iter_mut().zip(samples) {
            all.extend(samples);
        }
    }
    let [all_bare, all_hyper, all_ours] = &mut all;
    println!("latency_p50_bare_us={}", percentile(all_bare, 0.5).as_micros());
    println!("latency_p50_hyper_us={}", percentile(all_hyper, 0.5).as_micros());
    println!("latency_p50_ours_us={}", percentile(all_ours, 0.5).as_micros());
    println!("latency_ratio={:.3}", median(&mut vs_bare));
    println!("latency_ratio_vs_hyper={:.3}", median(&mut vs_hyper));
    println!(
        "latency_p99_ratio={:.3}",
        percentile(all_ours, 0.99).as_secs_f64() / percentile(all_bare, 0.99).as_secs_f64()
    );

    // Throughput with 64 requests in flight; the median of the per-round ratios is reported.
    let window = if quick {
        Duration::from_millis(500)
    } else {
        Duration::from_secs(2)
    };
    let rounds = if quick { 2 } else { 6 };
    let results = throughput_rounds(&sides, &url, rounds, window).await;
    let mean = |index: usize| results.iter().map(|r| r[index]).sum::<f64>() / results.len() as f64;
    println!("throughput_bare_rps={:.0}", mean(0));
    println!("throughput_hyper_rps={:.0}", mean(1));
    println!("throughput_ours_rps={:.0}", mean(2));
    let mut ratios: Vec<f64> = results.iter().map(|r| r[2] / r[0]).collect();
    println!("throughput_ratio={:.3}", median(&mut ratios));
    let mut ratios: Vec<f64> = results.iter().map(|r| r[2] / r[1]).collect();
    println!("throughput_ratio_vs_hyper={:.3}", median(&mut ratios));

    // Against reqwest configured like the SDK's defaults (its timers included).
    let timed = Side::timed_reqwest();
    let results = throughput_rounds(&[&timed, &ours], &url, rounds, window).await;
    let mut ratios: Vec<f64> = results.iter().map(|r| r[1] / r[0]).collect();
    println!("throughput_ratio_vs_reqwest_with_timeouts={:.3}", median(&mut ratios));

    // Rate limiter accuracy: 50 requests per second asked, 8 workers pushing as hard as they can.
    let rate = 50.0;
    let limited = Side::Ours(
        Kibana::builder()
            .url(&base)
            .max_requests_per_second(rate)
            .build()
            .unwrap(),
    );
    let window = if quick {
        Duration::from_secs(2)
    } else {
        Duration::from_secs(10)
    };
    let achieved = throughput(&limited, &url, 8, window).await;
    println!("rate_limit_target_rps={rate}");
    println!("rate_limit_achieved_rps={achieved:.2}");
    println!("rate_limit_accuracy={:.4}", achieved / rate);
}
