//! The client's transport against the fake: retries, idempotency, Retry-After, hosts, rate limit, overrides,
//! error mapping, tracing hygiene.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use http::{HeaderName, HeaderValue, StatusCode};
use kibana::{Credentials, Error, Kibana, Space, connectors::types::ServerLog, transport::HostBackoff};
use kibana_fake::{FakeKibana, Fault};

fn client(kibana: &FakeKibana) -> Kibana {
    Kibana::builder()
        .url(kibana.url())
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_request_carries_the_standard_headers() {
    let kibana = FakeKibana::builder().api_key("a2V5").start().await;
    let client = Kibana::builder()
        .url(kibana.url())
        .api_key("a2V5")
        .header("x-team", "payments")
        .build()
        .unwrap();
    client.connectors().list().await.unwrap();
    client
        .connectors()
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap();
    let log = kibana.requests();
    let (get, post) = (&log[0], &log[1]);
    assert_eq!(get.headers["authorization"], "ApiKey a2V5");
    assert_eq!(
        get.headers["user-agent"],
        concat!("kibana-rs/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(get.headers["elastic-api-version"], "2023-10-31");
    assert_eq!(get.headers["x-team"], "payments");
    assert!(!get.headers.contains_key("kbn-xsrf"), "GET needs no kbn-xsrf");
    assert!(post.headers.contains_key("kbn-xsrf"));
    assert!(
        !post.headers.contains_key("api-version"),
        "progenitor's header is not sent"
    );
}

#[tokio::test]
async fn idempotent_requests_are_retried_honouring_retry_after() {
    let kibana = FakeKibana::start().await;
    kibana.inject(
        Fault::status(503)
            .retry_after("1")
            .on("GET", "/api/actions/connectors")
            .times(2),
    );
    let started = Instant::now();
    client(&kibana).connectors().list().await.unwrap();
    assert_eq!(kibana.count("GET", "/api/actions/connectors"), 3);
    assert!(started.elapsed() >= Duration::from_secs(2), "two Retry-After: 1 waits");
}

#[tokio::test]
async fn retry_after_is_capped() {
    let kibana = FakeKibana::start().await;
    kibana.inject(
        Fault::status(429)
            .retry_after("3600")
            .on("GET", "/api/actions/connectors")
            .times(1),
    );
    let client = Kibana::builder()
        .url(kibana.url())
        .max_retry_after(Duration::from_millis(50))
        .build()
        .unwrap();
    let started = Instant::now();
    client.connectors().list().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn giving_up_reports_the_attempts_and_retry_after() {
    let kibana = FakeKibana::start().await;
    kibana.inject(
        Fault::status(503)
            .retry_after("0")
            .on("GET", "/api/actions/connectors")
            .times(10),
    );
    let error = client(&kibana).connectors().list().await.unwrap_err();
    let Error::ServiceUnavailable(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.attempts, 4, "1 + max_retries (3)");
    assert_eq!(api.retry_after, Some(Duration::ZERO));
    assert!(error.is_retryable());
    assert!(error.to_string().contains("after 4 attempts"), "{error}");
    assert_eq!(kibana.count("GET", "/api/actions/connectors"), 4);
}

#[tokio::test]
async fn a_post_is_not_sent_twice_after_the_server_read_it() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::drop_after_body().on_prefix("/api/actions/connector/"));
    let error = client(&kibana)
        .connectors()
        .create::<ServerLog>("audit", &Default::default(), &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert_eq!(posts_to_connectors(&kibana), 1);
    assert_eq!(kibana.connector_ids("default").len(), 1, "exactly one connector exists");
    // The signals say so too: repeating this create (it has no id of the caller's) would make a duplicate.
    assert!(error.may_have_been_processed(), "{error:?}");
    assert!(!error.is_retryable(), "{error:?}");
}

#[tokio::test]
async fn a_broken_exchange_is_retryable_for_an_idempotent_request_and_a_create_with_an_id_recovers() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::drop_after_body().on("GET", "/api/actions/connectors").times(10));
    let error = client(&kibana).connectors().list().await.unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert!(error.may_have_been_processed() && error.is_retryable(), "{error:?}");

    // The safe way to retry a create: with an id, a second attempt is a Conflict, never a duplicate.
    kibana.inject(Fault::drop_after_body().on("POST", "/api/actions/connector/audit"));
    let connectors = client(&kibana).connectors();
    let (config, secrets) = (Default::default(), Default::default());
    let create = || connectors.create_with_id::<ServerLog>("audit", "audit", &config, &secrets);
    let error = create().await.unwrap_err();
    assert!(!error.is_retryable() && error.may_have_been_processed(), "{error:?}");
    assert!(matches!(create().await, Err(Error::Conflict(_))));
    assert_eq!(kibana.connector_ids("default"), ["audit"]);
}

#[tokio::test]
async fn a_post_is_not_retried_on_a_503_either() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::status(503).on_prefix("/api/actions/connector/").times(1));
    let error = client(&kibana)
        .connectors()
        .create::<ServerLog>("a", &Default::default(), &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ServiceUnavailable(_)));
    assert_eq!(posts_to_connectors(&kibana), 1);
}

#[tokio::test]
async fn a_post_is_retried_when_it_never_reached_a_server() {
    let kibana = FakeKibana::start().await;
    // A port nobody listens on: connection refused, so the request provably never arrived.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = Kibana::builder()
        .hosts([dead, kibana.url()])
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    for i in 0..4 {
        client
            .connectors()
            .create::<ServerLog>(&format!("c{i}"), &Default::default(), &Default::default())
            .await
            .unwrap();
    }
    assert_eq!(
        kibana.connector_ids("default").len(),
        4,
        "each create landed exactly once"
    );
    assert_eq!(posts_to_connectors(&kibana), 4);
}

/// Creates sent (a create without an id gets a random one, so its path varies).
fn posts_to_connectors(kibana: &FakeKibana) -> usize {
    kibana
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/api/actions/connector/"))
        .count()
}

#[tokio::test]
async fn a_failed_host_is_skipped_then_retried_later() {
    let a = FakeKibana::start().await;
    let b = FakeKibana::start().await;
    let client = Kibana::builder()
        .hosts([a.url(), b.url()])
        .host_backoff(HostBackoff {
            base: Duration::from_millis(300),
            factor: 2.0,
            max: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    for _ in 0..4 {
        client.status().get().await.unwrap();
    }
    assert_eq!((a.request_count(), b.request_count()), (2, 2), "round-robin");
    let a_url = a.url();
    drop(a);
    // Give the aborted listener a moment to close.
    tokio::time::sleep(Duration::from_millis(50)).await;
    for _ in 0..6 {
        client.status().get().await.unwrap();
    }
    assert_eq!(b.request_count(), 8, "while a is down every request ends on b");
    let _ = a_url;
}

#[tokio::test]
async fn plain_text_503_is_an_error_not_a_decode_panic() {
    let kibana = FakeKibana::start().await;
    kibana.inject(
        Fault::not_ready()
            .retry_after("0")
            .on("GET", "/api/actions/connectors")
            .times(10),
    );
    let error = client(&kibana).connectors().list().await.unwrap_err();
    let Error::ServiceUnavailable(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.body.message, "Kibana server is not ready yet");
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_typed_errors() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::malformed_body().on("GET", "/api/actions/connectors"));
    let error = client(&kibana).connectors().list().await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status, StatusCode::OK);
    assert!(decode.body_snippet.contains("not json"));
    kibana.inject(Fault::truncated_body().on("GET", "/api/actions/connectors").times(10));
    let error = client(&kibana).connectors().list().await.unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
}

#[tokio::test]
async fn a_truncated_body_of_an_idempotent_request_is_retried_within_the_attempt_budget() {
    let kibana = FakeKibana::start().await;
    let client = client(&kibana);
    // Hand-written route.
    kibana.inject(Fault::truncated_body().on("GET", "/api/actions/connectors").times(1));
    client.connectors().list().await.unwrap();
    assert_eq!(kibana.count("GET", "/api/actions/connectors"), 2);
    // Generated operation.
    client
        .saved_objects()
        .create(
            "dashboard",
            Some("d1"),
            &serde_json::json!({"title": "Sales"}),
            &[],
            false,
        )
        .await
        .unwrap();
    kibana.inject(
        Fault::truncated_body()
            .on("GET", "/api/saved_objects/dashboard/d1")
            .times(2),
    );
    client
        .saved_objects()
        .get::<serde_json::Value>("dashboard", "d1")
        .await
        .unwrap();
    assert_eq!(kibana.count("GET", "/api/saved_objects/dashboard/d1"), 3);
    // Within the budget: 1 + max_retries (3) attempts, then the typed error, with the attempts counted.
    kibana.inject(Fault::truncated_body().on("GET", "/api/actions/connectors").times(10));
    let error = client.connectors().list().await.unwrap_err();
    let Error::Connection(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.attempts, 4);
    assert_eq!(kibana.count("GET", "/api/actions/connectors"), 2 + 4);
    // A POST whose answer broke off was processed: it is not sent again.
    kibana.clear_faults();
    kibana.inject(Fault::truncated_body().on_prefix("/api/actions/connector/"));
    let error = client
        .connectors()
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(posts_to_connectors(&kibana), 1);
}

/// A Kibana-shaped 400 whose `message` (or `attributes`) is 5 MB.
fn huge_error(message: &str, attributes: &str) -> Fault {
    let body = format!(r#"{{"statusCode":400,"error":"Bad Request","message":"{message}","attributes":{attributes}}}"#);
    Fault::answer(400, "application/json; charset=utf-8", body)
}

fn assert_small(error: &Error, starts: &str) {
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(display.len() < 8 * 1024, "Display is {} bytes", display.len());
    assert!(debug.len() < 16 * 1024, "Debug is {} bytes", debug.len());
    let Error::BadRequest(api) = error else {
        panic!("{display}")
    };
    assert_eq!((api.body.status_code, api.body.error.as_str()), (400, "Bad Request"));
    assert!(
        api.body.message.starts_with(starts),
        "{}",
        &api.body.message[..100.min(api.body.message.len())]
    );
    assert!(display.contains("[cut by kibana-rs"), "the cut is said: {display}");
}

#[tokio::test]
async fn a_huge_error_body_makes_a_small_error_on_every_path() {
    const MB5: usize = 5 * 1024 * 1024;
    let kibana = FakeKibana::start().await;
    let client = client(&kibana);
    let message = "m".repeat(MB5);
    let attributes = format!(r#"{{"blob":"{}"}}"#, "a".repeat(MB5));
    // Hand-written route, generated operation, the hand-written status route (any status) and a multipart upload.
    kibana.inject(huge_error(&message, "{}").on("GET", "/api/actions/connectors"));
    assert_small(&client.connectors().list().await.unwrap_err(), "mmmm");
    kibana.inject(huge_error("short", &attributes).on("GET", "/api/actions/connectors"));
    let error = client.connectors().list().await.unwrap_err();
    assert!(
        format!("{error:?}").len() < 16 * 1024,
        "Debug is {} bytes",
        format!("{error:?}").len()
    );
    assert_eq!(
        error.kibana_message().map(|m| m.starts_with("short")),
        Some(true),
        "{error}"
    );
    kibana.inject(huge_error(&message, "{}").on("GET", "/api/saved_objects/dashboard/d1"));
    let error = client
        .saved_objects()
        .get::<serde_json::Value>("dashboard", "d1")
        .await
        .unwrap_err();
    assert_small(&error, "mmmm");
    kibana.inject(huge_error(&message, &attributes).on("GET", "/api/status"));
    assert_small(&client.status().get().await.unwrap_err(), "mmmm");
    kibana.inject(huge_error(&message, "{}").on("POST", "/api/saved_objects/_import"));
    let error = client
        .saved_objects()
        .import("{}\n", kibana::saved_objects::ImportMode::ReportConflicts)
        .await
        .unwrap_err();
    assert_small(&error, "mmmm");
    // A plain-text (or HTML) answer as large: a short snippet that says how long the body was.
    kibana.inject(
        Fault::answer(502, "text/html", format!("<html>{message}</html>"))
            .on("GET", "/api/actions/connectors")
            .times(10),
    );
    let error = client.connectors().list().await.unwrap_err();
    assert!(error.to_string().len() < 1024, "{}", error.to_string().len());
    assert!(
        error.to_string().contains(&format!("of {} bytes shown", MB5 + 13)),
        "{error}"
    );
}

#[tokio::test]
async fn every_path_reports_the_real_number_of_attempts() {
    // Hand-written route with any status (the status API): the plain-text 503, four times.
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::not_ready().retry_after("0").on("GET", "/api/status").times(10));
    let client = Kibana::builder()
        .url(kibana.url())
        .max_retries(3)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let error = client.status().get().await.unwrap_err();
    let Error::ServiceUnavailable(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.attempts, 4);
    assert!(error.to_string().contains("after 4 attempts"), "{error}");
    assert_eq!(kibana.count("GET", "/api/status"), 4);

    // Generated, streaming (export) and multipart (import) calls: the first host refuses the connection, the
    // request is sent again to the second, which answers 400: two attempts.
    let dead = {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", closed.local_addr().unwrap())
    };
    let two_hosts = || {
        Kibana::builder()
            .hosts([dead.clone(), kibana.url()])
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
            .build()
            .unwrap()
    };
    kibana.inject(Fault::status(400).on("GET", "/api/data_views"));
    let error = two_hosts().api().get_data_views().await.unwrap_err();
    assert_eq!(error.api_error().map(|e| e.attempts), Some(2), "generated: {error:?}");
    kibana.inject(Fault::status(400).on("POST", "/api/saved_objects/_export"));
    let error = two_hosts()
        .saved_objects()
        .export_lines(&kibana::saved_objects::ExportOptions::types(["dashboard"]))
        .await
        .err()
        .unwrap();
    assert_eq!(error.api_error().map(|e| e.attempts), Some(2), "streaming: {error:?}");
    kibana.inject(Fault::status(400).on("POST", "/api/saved_objects/_import"));
    let error = two_hosts()
        .saved_objects()
        .import("{}\n", kibana::saved_objects::ImportMode::ReportConflicts)
        .await
        .unwrap_err();
    assert_eq!(error.api_error().map(|e| e.attempts), Some(2), "multipart: {error:?}");
    assert!(error.to_string().contains("after 2 attempts"), "{error}");
}

#[tokio::test]
async fn an_empty_path_parameter_of_a_generated_operation_fails_before_sending() {
    let kibana = FakeKibana::start().await;
    let client = client(&kibana);
    for id in ["", ".", ".."] {
        let error = client.api().get_actions_connector_id(id).await.unwrap_err();
        let Error::InvalidRequest(reason) = &error else {
            panic!("{id:?}: {error:?}")
        };
        assert!(reason.contains("/api/actions/connector/{id}"), "{reason}");
        let error = client
            .space("ops")
            .validate_space(false)
            .api()
            .delete_actions_connector_id(id)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{id:?}: {error:?}");
    }
    assert_eq!(kibana.request_count(), 0, "nothing was sent");
    // A non-empty one goes through.
    assert!(matches!(
        client.api().get_actions_connector_id("nope").await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn statuses_map_to_variants_with_kibanas_body() {
    let kibana = FakeKibana::builder().api_key("a2V5").start().await;
    let anonymous = Kibana::builder().url(kibana.url()).build().unwrap();
    let error = anonymous.connectors().list().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    let client = Kibana::builder().url(kibana.url()).api_key("a2V5").build().unwrap();
    let error = client.connectors().get("nope").await.unwrap_err();
    let Error::NotFound(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.body.message, "Saved object [action/nope] not found");
    assert_eq!(api.method, http::Method::GET);
    assert_eq!(api.path, "/api/actions/connector/nope");
    assert_eq!(error.kibana_message(), Some("Saved object [action/nope] not found"));
    kibana.inject(Fault::status(403).on("GET", "/api/actions/connectors"));
    assert!(matches!(client.connectors().list().await, Err(Error::Forbidden(_))));
    kibana.inject(Fault::status(413).on("GET", "/api/actions/connectors"));
    assert!(matches!(
        client.connectors().list().await,
        Err(Error::PayloadTooLarge(_))
    ));
    kibana.inject(Fault::status(500).on("GET", "/api/actions/connectors"));
    assert!(matches!(client.connectors().list().await, Err(Error::ServerError(_))));
    kibana.inject(Fault::status(418).on("GET", "/api/actions/connectors"));
    assert!(matches!(client.connectors().list().await, Err(Error::OtherStatus(_))));
}

#[tokio::test]
async fn connection_refused_and_timeouts() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = Kibana::builder()
        .url(dead)
        .max_retries(1)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let error = client.connectors().list().await.unwrap_err();
    let Error::Connection(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.attempts, 2);

    let kibana = FakeKibana::start().await;
    kibana.inject(
        Fault::delay(Duration::from_secs(2))
            .on("GET", "/api/actions/connectors")
            .times(5),
    );
    let client = Kibana::builder()
        .url(kibana.url())
        .request_timeout(Duration::from_millis(100))
        .retry_on_timeout(false)
        .build()
        .unwrap();
    let error = client.connectors().list().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(
        kibana.count("GET", "/api/actions/connectors"),
        1,
        "retry_on_timeout(false)"
    );
}

#[tokio::test]
async fn the_request_timeout_also_covers_a_body_that_stalls_after_the_headers() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::stalled_body().on("GET", "/api/actions/connectors").times(5));
    let client = Kibana::builder()
        .url(kibana.url())
        .request_timeout(Duration::from_millis(200))
        .retry_on_timeout(false)
        .build()
        .unwrap();
    let bounded = Duration::from_secs(10);
    let error = tokio::time::timeout(bounded, client.connectors().list())
        .await
        .expect("the SDK's timeout fires first")
        .unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    // The generated client reads its bodies through the same deadline.
    client
        .saved_objects()
        .create(
            "dashboard",
            Some("d1"),
            &serde_json::json!({"title": "Sales"}),
            &[],
            false,
        )
        .await
        .unwrap();
    kibana.inject(
        Fault::stalled_body()
            .on("GET", "/api/saved_objects/dashboard/d1")
            .times(5),
    );
    let error = tokio::time::timeout(
        bounded,
        client.saved_objects().get::<serde_json::Value>("dashboard", "d1"),
    )
    .await
    .expect("the SDK's timeout fires first")
    .unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}

#[tokio::test]
async fn per_call_overrides_share_the_client() {
    let kibana = FakeKibana::builder().api_key("a2V5").bearer("user-token").start().await;
    let client = Kibana::builder().url(kibana.url()).api_key("a2V5").build().unwrap();
    let as_user = client.with_credentials(Credentials::bearer("user-token"));
    as_user.connectors().list().await.unwrap();
    let tagged = client.with_header(
        HeaderName::from_static("x-opaque-id"),
        HeaderValue::from_static("req-42"),
    );
    tagged.connectors().list().await.unwrap();
    client.connectors().list().await.unwrap();
    let log = kibana.requests();
    assert_eq!(log[0].headers["authorization"], "Bearer user-token");
    assert_eq!(log[1].headers["x-opaque-id"], "req-42");
    assert_eq!(log[1].headers["authorization"], "ApiKey a2V5");
    assert!(
        !log[2].headers.contains_key("x-opaque-id"),
        "the base client is unchanged"
    );

    kibana.inject(
        Fault::delay(Duration::from_secs(2))
            .on("GET", "/api/actions/connectors")
            .times(5),
    );
    let hurried = client.with_timeout(Duration::from_millis(100));
    let error = hurried.connectors().list().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");

    let broken = client.with_credentials(Credentials::api_key("bad\nkey"));
    let before = kibana.request_count();
    assert!(matches!(
        broken.connectors().list().await,
        Err(Error::InvalidRequest(_))
    ));
    assert_eq!(kibana.request_count(), before, "nothing sent");
}

#[tokio::test]
async fn rate_limited_requests_wait_and_never_fail() {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder()
        .url(kibana.url())
        .max_requests_per_second(20.0)
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = (0..11).map(|i| {
        // Clones and scoped views share one bucket.
        let view = if i % 2 == 0 {
            client.clone()
        } else {
            client.space("other").validate_space(false)
        };
        async move { view.connectors().list().await }
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "11 requests at 20/s take at least 0.5 s"
    );
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn one_span_per_request_and_credentials_never_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let kibana = FakeKibana::builder().basic("elastic", "hunter2-password").start().await;
    let client = Kibana::builder()
        .url(kibana.url())
        .basic_auth("elastic", "hunter2-password")
        .build()
        .unwrap();
    kibana.inject(
        Fault::status(503)
            .retry_after("0")
            .on("GET", "/s/ops/api/actions/connectors"),
    );
    client
        .space("ops")
        .validate_space(false)
        .connectors()
        .list()
        .await
        .unwrap();

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("kibana.request"), "{text}");
    assert!(
        text.contains("operation=\"get_actions_connectors\"") || text.contains("operation=get_actions_connectors"),
        "{text}"
    );
    assert!(text.contains("space=\"ops\"") || text.contains("space=ops"), "{text}");
    assert!(text.contains("attempts=2"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("authorization"), "headers are logged at TRACE: {text}");
    assert!(
        !text.contains("hunter2") && !text.contains("ZWxhc3RpYzpodW50ZXIy"),
        "credentials leaked: {text}"
    );
}

#[tokio::test]
async fn redirects_are_reported_not_followed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A proxy that redirects everything to https, as a misconfigured base URL would meet.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0; 8192];
                while let Ok(read) = stream.read(&mut buffer).await {
                    if read == 0 {
                        break;
                    }
                    let head = String::from_utf8_lossy(&buffer[..read]).to_string();
                    log.lock()
                        .unwrap()
                        .push(head.lines().next().unwrap_or_default().to_owned());
                    let answer = "HTTP/1.1 301 Moved Permanently\r\nlocation: https://kibana.example.com/\r\ncontent-length: 0\r\n\r\n";
                    if stream.write_all(answer.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    let client = Kibana::builder().url(url).build().unwrap();
    let error = client
        .connectors()
        .create_with_id::<ServerLog>("log", "log", &Default::default(), &Default::default())
        .await
        .unwrap_err();
    let Error::OtherStatus(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status, StatusCode::MOVED_PERMANENTLY);
    assert!(api.body.message.contains("https://kibana.example.com/"), "{error}");
    let error = client
        .saved_objects()
        .get::<serde_json::Value>("dashboard", "d1")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("does not follow redirects"), "{error}");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "POST /api/actions/connector/log HTTP/1.1",
            "GET /api/saved_objects/dashboard/d1 HTTP/1.1"
        ]
    );
}

#[tokio::test]
async fn a_kibana_under_a_base_path_is_reached_through_it() {
    let kibana = FakeKibana::builder().base_path("/kibana").start().await;
    assert!(kibana.url().ends_with("/kibana"));
    let client = Kibana::builder().url(format!("{}/", kibana.url())).build().unwrap();
    client
        .spaces()
        .create(&Space::new("marketing", "Marketing"))
        .await
        .unwrap();
    let marketing = client.space("marketing");
    marketing
        .connectors()
        .create_with_id::<ServerLog>("log", "log", &Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(marketing.connectors().list().await.unwrap().len(), 1);
    marketing
        .saved_objects()
        .create(
            "dashboard",
            Some("d1"),
            &serde_json::json!({"title": "Sales"}),
            &[],
            false,
        )
        .await
        .unwrap();
    marketing.rules().find(&Default::default()).await.unwrap();
    let paths: Vec<String> = kibana.requests().into_iter().map(|r| r.path).collect();
    for expected in [
        "/api/spaces/space",
        "/s/marketing/api/actions/connector/log",
        "/s/marketing/api/actions/connectors",
        "/s/marketing/api/saved_objects/dashboard/d1",
        "/s/marketing/api/alerting/rules/_find",
    ] {
        assert!(paths.iter().any(|p| p == expected), "{expected} not in {paths:?}");
    }
    // Without the base path, the same fake answers 404: the client really went through it.
    let astray = Kibana::builder()
        .url(format!("http://{}", kibana.addr()))
        .build()
        .unwrap();
    assert!(matches!(astray.connectors().list().await, Err(Error::NotFound(_))));
}

/// Adds up the attempts of every call that goes through it (successful or not).
#[derive(Clone)]
struct CountAttempts<S> {
    inner: S,
    total: Arc<std::sync::atomic::AtomicU32>,
}

impl<S> tower::Service<kibana::transport::HttpRequest> for CountAttempts<S>
where
    S: tower::Service<
            kibana::transport::HttpRequest,
            Response = kibana::transport::HttpResponse,
            Error = kibana::transport::TransportError,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = kibana::transport::HttpResponse;
    type Error = kibana::transport::TransportError;
    type Future = futures::future::BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: kibana::transport::HttpRequest) -> Self::Future {
        let context = request.extensions().get::<kibana::transport::RequestContext>().cloned();
        let total = self.total.clone();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let answer = answer.await;
            if let Some(context) = context {
                total.fetch_add(context.attempts(), std::sync::atomic::Ordering::SeqCst);
            }
            answer
        })
    }
}

fn counting_attempts(
    total: &Arc<std::sync::atomic::AtomicU32>,
) -> impl tower::Layer<kibana::transport::KibanaService, Service = CountAttempts<kibana::transport::KibanaService>>
+ Send
+ Sync
+ 'static {
    let total = total.clone();
    tower::layer::layer_fn(move |inner| CountAttempts {
        inner,
        total: total.clone(),
    })
}

#[tokio::test]
async fn dead_hosts_are_skipped_for_their_backoff_and_a_retry_goes_to_another_host() {
    let kibana = FakeKibana::start().await;
    // One port nobody listens on, one host that accepts and closes every connection at once.
    let refused = {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", closed.local_addr().unwrap())
    };
    let closing = kibana_fake::ClosingHost::start().await;
    let attempts = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let client = Kibana::builder()
        .hosts([refused, closing.url(), kibana.url()])
        .no_proxy()
        .host_backoff(HostBackoff {
            base: Duration::from_secs(30),
            factor: 2.0,
            max: Duration::from_secs(60),
        })
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .layer(counting_attempts(&attempts))
        .build()
        .unwrap();
    for _ in 0..30 {
        client.connectors().list().await.unwrap();
    }
    let on_dead_hosts = attempts.load(std::sync::atomic::Ordering::SeqCst) - 30;
    assert_eq!(kibana.count("GET", "/api/actions/connectors"), 30);
    assert!(
        on_dead_hosts <= 2,
        "{on_dead_hosts} attempts went to the dead hosts: each is tried once per backoff window"
    );
    assert!(
        closing.accepted() <= 1,
        "the accept-and-close host is a failing host too: {} connections",
        closing.accepted()
    );
}

#[tokio::test]
async fn headers_alone_do_not_revive_a_host_whose_bodies_break_off() {
    let broken = FakeKibana::start().await;
    broken.inject(Fault::truncated_body().on("GET", "/api/actions/connectors").times(1000));
    let healthy = FakeKibana::start().await;
    let client = Kibana::builder()
        .hosts([broken.url(), healthy.url()])
        .no_proxy()
        .host_backoff(HostBackoff {
            base: Duration::from_millis(400),
            factor: 1.0,
            max: Duration::from_millis(400),
        })
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    for _ in 0..20 {
        client.connectors().list().await.unwrap();
    }
    assert_eq!(
        broken.count("GET", "/api/actions/connectors"),
        1,
        "its headers arrived, its body broke off: it stays skipped"
    );
    // After its backoff, one call tries it again; the headers arrive, the body breaks again: skipped again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for _ in 0..20 {
        client.connectors().list().await.unwrap();
    }
    assert_eq!(broken.count("GET", "/api/actions/connectors"), 2);
    assert_eq!(healthy.count("GET", "/api/actions/connectors"), 40);
}

#[tokio::test]
async fn the_call_timeout_bounds_every_attempt_and_every_wait() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::stalled_body().on("GET", "/api/actions/connectors").times(100));
    let client = Kibana::builder()
        .url(kibana.url())
        .no_proxy()
        .request_timeout(Duration::from_millis(300))
        .call_timeout(Duration::from_secs(1))
        .max_retries(10)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.connectors().list().await.unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1800), "took {took:?}");
    assert!(took >= Duration::from_millis(950), "took {took:?}");
    let Error::Timeout(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(error.time_limit(), Some(kibana::TimeLimit::Call), "{error}");
    assert!(failure.attempts >= 3, "{failure:?}");
    assert!(error.to_string().contains("call timeout (1s)"), "{error}");

    // Each attempt still has its own limit, and says so.
    let one_attempt = Kibana::builder()
        .url(kibana.url())
        .no_proxy()
        .request_timeout(Duration::from_millis(100))
        .retry_on_timeout(false)
        .build()
        .unwrap();
    let error = one_attempt.connectors().list().await.unwrap_err();
    assert_eq!(error.time_limit(), Some(kibana::TimeLimit::Attempt), "{error}");
    assert!(error.to_string().contains("attempt timeout (100ms)"), "{error}");

    // A Retry-After that would end past the deadline is not waited for: the answer is the call's.
    kibana.clear_faults();
    kibana.inject(Fault::status(503).retry_after("5").on("GET", "/api/actions/connectors"));
    let started = Instant::now();
    let error = client
        .with_call_timeout(Duration::from_secs(2))
        .connectors()
        .list()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    let Error::ServiceUnavailable(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.attempts, 1);
}

#[tokio::test]
async fn a_post_answered_429_is_sent_again_unless_turned_off() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::status(429).retry_after("1").on_prefix("/api/actions/connector/"));
    let client = Kibana::builder()
        .url(kibana.url())
        .no_proxy()
        .max_retry_after(Duration::from_millis(50))
        .build()
        .unwrap();
    let created = client
        .connectors()
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        posts_to_connectors(&kibana),
        2,
        "the 429 was rejected unhandled: sent again"
    );
    assert_eq!(kibana.connector_ids("default"), [created.id]);

    kibana.inject(Fault::status(429).retry_after("1").on_prefix("/api/actions/connector/"));
    let off = Kibana::builder()
        .url(kibana.url())
        .no_proxy()
        .retry_429_on_any_method(false)
        .build()
        .unwrap();
    let error = off
        .connectors()
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::TooManyRequests(_)), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(posts_to_connectors(&kibana), 3);
}

#[tokio::test]
async fn an_empty_error_body_is_said_to_be_empty() {
    let kibana = FakeKibana::start().await;
    let client = client(&kibana);
    kibana.inject(Fault::answer(500, "text/plain", "").on("GET", "/api/actions/connectors"));
    let error = client.connectors().list().await.unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("500 Internal Server Error: (the error body was empty)"),
        "{error}"
    );
    // The generated operations say it too.
    kibana.inject(Fault::answer(500, "application/json", "").on("GET", "/api/saved_objects/dashboard/d1"));
    let error = client
        .saved_objects()
        .get::<serde_json::Value>("dashboard", "d1")
        .await
        .unwrap_err();
    assert!(error.to_string().contains("(the error body was empty)"), "{error}");
}

#[tokio::test]
async fn a_success_answer_over_max_response_body_is_an_error_naming_the_cap() {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder()
        .url(kibana.url())
        .no_proxy()
        .max_response_body(1024)
        .build()
        .unwrap();
    let big = format!("[{}]", vec!["{}"; 1000].join(","));
    let assert_too_large = |error: Error| {
        let Error::AnswerTooLarge(failure) = &error else {
            panic!("{error:?}")
        };
        assert!(
            matches!(
                failure.transport_error(),
                Some(kibana::transport::TransportError::AnswerTooLarge { limit: 1024, .. })
            ),
            "{failure:?}"
        );
        assert!(error.to_string().contains("max_response_body (1024 bytes"), "{error}");
        assert!(!error.is_retryable());
    };
    // A hand-written GET (read within the attempt), not retried.
    kibana.inject(Fault::answer(200, "application/json", big.clone()).on("GET", "/api/actions/connectors"));
    assert_too_large(client.connectors().list().await.unwrap_err());
    assert_eq!(kibana.count("GET", "/api/actions/connectors"), 1);
    // A generated operation.
    kibana.inject(Fault::answer(200, "application/json", big.clone()).on("GET", "/api/saved_objects/dashboard/d1"));
    assert_too_large(
        client
            .saved_objects()
            .get::<serde_json::Value>("dashboard", "d1")
            .await
            .unwrap_err(),
    );
    // A POST's answer (read after the attempt).
    kibana.inject(Fault::answer(200, "application/json", big).on("POST", "/api/actions/connector/log"));
    assert_too_large(
        client
            .connectors()
            .create_with_id::<ServerLog>("log", "log", &Default::default(), &Default::default())
            .await
            .unwrap_err(),
    );
    // A stream is never held, so never capped: 200 objects export fine through a 1 KiB cap.
    kibana.seed_saved_objects("default", "dashboard", 200);
    let lines: Vec<_> = futures::TryStreamExt::try_collect(
        client
            .saved_objects()
            .export_lines(&kibana::saved_objects::ExportOptions::types(["dashboard"]))
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let lines: Vec<bytes::Bytes> = lines;
    assert_eq!(lines.len(), 201, "200 objects and the details line");
}
