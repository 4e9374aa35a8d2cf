//! The fake's own tests: each rule it enforces and each fault it injects, over real HTTP with a bare client.

use std::time::{Duration, Instant};

use kibana_fake::{FakeKibana, Fault};
use serde_json::{Value, json};

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn body(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn auth_is_enforced_for_each_scheme() {
    let kibana = FakeKibana::builder()
        .api_key("a2V5")
        .basic("elastic", "changeme")
        .bearer("tok")
        .start()
        .await;
    let url = format!("{}/api/actions/connectors", kibana.url());
    let (status, error) = body(http().get(&url).send().await.unwrap()).await;
    assert_eq!(status, 401);
    assert_eq!(
        error,
        json!({"statusCode": 401, "error": "Unauthorized", "message": "Unauthorized"})
    );
    for header in [
        "ApiKey a2V5",
        "apikey a2V5",
        "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==",
        "Bearer tok",
    ] {
        let response = http().get(&url).header("authorization", header).send().await.unwrap();
        assert_eq!(response.status(), 200, "{header}");
    }
    let response = http()
        .get(&url)
        .header("authorization", "ApiKey wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn status_is_redacted_for_anonymous_callers() {
    let kibana = FakeKibana::builder().api_key("a2V5").start().await;
    let url = format!("{}/api/status", kibana.url());
    let (status, redacted) = body(http().get(&url).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(redacted, json!({"status": {"overall": {"level": "available"}}}));
    let (_, full) = body(
        http()
            .get(&url)
            .header("authorization", "ApiKey a2V5")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(full["version"]["number"], "9.3.0");
    kibana.set_status_level("unavailable");
    assert_eq!(http().get(&url).send().await.unwrap().status(), 503);
}

#[tokio::test]
async fn writes_need_kbn_xsrf_reads_do_not() {
    let kibana = FakeKibana::start().await;
    let url = format!("{}/api/actions/connector", kibana.url());
    let create = json!({"name": "log", "connector_type_id": ".server-log", "config": {}, "secrets": {}});
    let (status, error) = body(http().post(&url).json(&create).send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert_eq!(error["message"], "Request must contain a kbn-xsrf header.");
    let response = http()
        .post(&url)
        .header("kbn-xsrf", "x")
        .json(&create)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let list = http()
        .get(format!("{}/api/actions/connectors", kibana.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let delete = http()
        .delete(format!("{}/api/spaces/space/nope", kibana.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 400, "DELETE needs kbn-xsrf too");
}

#[tokio::test]
async fn unknown_spaces_are_not_rejected_and_bad_prefixes_do_not_route() {
    let kibana = FakeKibana::start().await;
    let create = json!({"name": "log", "connector_type_id": ".server-log", "config": {}, "secrets": {}});
    let url = format!("{}/s/phantom/api/actions/connector", kibana.url());
    let response = http()
        .post(&url)
        .header("kbn-xsrf", "x")
        .json(&create)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "like Kibana, a write to a space that does not exist succeeds"
    );
    assert_eq!(kibana.connector_ids("phantom").len(), 1);
    assert!(kibana.connector_ids("default").is_empty());
    let upper = http()
        .get(format!("{}/s/Phantom/api/actions/connectors", kibana.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(upper.status(), 404);
    let (status, _) = body(
        http()
            .get(format!("{}/api/spaces/space/phantom", kibana.url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn error_bodies_have_kibanas_shape() {
    let kibana = FakeKibana::start().await;
    let base = kibana.url();
    let (status, error) = body(
        http()
            .get(format!("{base}/api/actions/connector/missing"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        error,
        json!({"statusCode": 404, "error": "Not Found", "message": "Saved object [action/missing] not found"})
    );
    let create = json!({"name": "log", "connector_type_id": ".server-log", "config": {}, "secrets": {}});
    let post = |url: String| http().post(url).header("kbn-xsrf", "x").json(&create).send();
    assert_eq!(
        post(format!("{base}/api/actions/connector/c1")).await.unwrap().status(),
        200
    );
    let (status, error) = body(post(format!("{base}/api/actions/connector/c1")).await.unwrap()).await;
    assert_eq!(
        (status, error["message"].as_str().unwrap()),
        (409, "Saved object [action/c1] conflict")
    );
    let bad = http()
        .post(format!("{base}/api/actions/connector"))
        .header("kbn-xsrf", "x")
        .body("{nope")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    let (status, error) = body(bad).await;
    assert_eq!(
        (status, error["message"].as_str().unwrap()),
        (400, "Invalid request payload JSON format")
    );
    let (status, error) = body(
        http()
            .delete(format!("{base}/api/spaces/space/default"))
            .header("kbn-xsrf", "x")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error["message"].as_str().unwrap()),
        (400, "The default space cannot be deleted because it is reserved.")
    );
}

#[tokio::test]
async fn payloads_over_max_payload_get_413() {
    let kibana = FakeKibana::builder().max_payload(1024).start().await;
    let big = json!({"name": "x".repeat(2000), "connector_type_id": ".server-log"});
    let response = http()
        .post(format!("{}/api/actions/connector", kibana.url()))
        .header("kbn-xsrf", "x")
        .json(&big)
        .send()
        .await
        .unwrap();
    let (status, error) = body(response).await;
    assert_eq!(status, 413);
    assert_eq!(
        error["message"],
        "Payload content length greater than maximum allowed: 1024"
    );
}

#[tokio::test]
async fn status_faults_carry_retry_after_and_run_out() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::status(429).retry_after("7").on("GET", "/api/status").times(2));
    let url = format!("{}/api/status", kibana.url());
    for _ in 0..2 {
        let response = http().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "7");
        let (_, error) = body(response).await;
        assert_eq!(error["message"], "Server is overloaded");
    }
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    assert_eq!(kibana.count("GET", "/api/status"), 3);
}

#[tokio::test]
async fn not_ready_is_plain_text() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::not_ready().on_prefix("/api/"));
    let response = http()
        .get(format!("{}/api/actions/connectors", kibana.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "30");
    assert_eq!(response.text().await.unwrap(), "Kibana server is not ready yet");
}

#[tokio::test]
async fn delays_hold_the_answer() {
    let kibana = FakeKibana::start().await;
    kibana.inject(Fault::delay(Duration::from_millis(300)).on("GET", "/api/status"));
    let started = Instant::now();
    assert_eq!(
        http()
            .get(format!("{}/api/status", kibana.url()))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn dropped_connections_before_and_after_the_body() {
    let kibana = FakeKibana::start().await;
    let create = json!({"name": "log", "connector_type_id": ".server-log", "config": {}, "secrets": {}});
    let url = format!("{}/api/actions/connector", kibana.url());
    kibana.inject(Fault::drop_before_body().on("POST", "/api/actions/connector"));
    assert!(
        http()
            .post(&url)
            .header("kbn-xsrf", "x")
            .json(&create)
            .send()
            .await
            .is_err()
    );
    assert!(
        kibana.connector_ids("default").is_empty(),
        "dropped before the body: nothing processed"
    );
    kibana.inject(Fault::drop_after_body().on("POST", "/api/actions/connector"));
    assert!(
        http()
            .post(&url)
            .header("kbn-xsrf", "x")
            .json(&create)
            .send()
            .await
            .is_err()
    );
    assert_eq!(
        kibana.connector_ids("default").len(),
        1,
        "dropped after the body: processed, no answer"
    );
}

#[tokio::test]
async fn truncated_and_malformed_bodies() {
    let kibana = FakeKibana::start().await;
    let url = format!("{}/api/status", kibana.url());
    kibana.inject(Fault::truncated_body().on("GET", "/api/status"));
    let response = http().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the body breaks off");
    kibana.inject(Fault::malformed_body().on("GET", "/api/status"));
    let response = http().get(&url).send().await.unwrap();
    assert!(response.json::<Value>().await.is_err());
}

#[tokio::test]
async fn the_request_log_records_everything() {
    let kibana = FakeKibana::start().await;
    http()
        .get(format!("{}/s/marketing/api/actions/connectors?x=1", kibana.url()))
        .header("x-test", "1")
        .send()
        .await
        .unwrap();
    let log = kibana.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/s/marketing/api/actions/connectors");
    assert_eq!(log[0].query.as_deref(), Some("x=1"));
    assert_eq!(log[0].space, "marketing");
    assert_eq!(log[0].headers["x-test"], "1");
}

#[tokio::test]
async fn many_fakes_run_side_by_side() {
    let a = FakeKibana::start().await;
    let b = FakeKibana::start().await;
    assert_ne!(a.url(), b.url());
    let response = http().get(format!("{}/api/status", b.url())).send().await.unwrap();
    assert_eq!(response.headers()["kbn-name"], "kibana-fake");
    drop(a);
}
