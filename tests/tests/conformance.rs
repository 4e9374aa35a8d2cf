//! Conformance with Kibana's spec: every request the SDK can build is sent to Prism (`cargo xtask conformance`
//! starts it and sets `PRISM_URL`), which validates it against the same transformed spec the client is generated
//! from. A tower layer added with `KibanaBuilder::layer` records Prism's verdicts: a 422 problem, or an
//! `sl-violations` header naming the request. Run with `cargo xtask conformance`; ignored by `cargo test`.

use std::{
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use futures::future::BoxFuture;
use kibana::{
    Error, Kibana,
    connectors::{
        ConnectorType,
        types::{
            Email, EmailConfig, EmailParams, EmailSecrets, EmailService, Index, IndexConfig, IndexParams, LogLevel,
            MessageParams, ServerLog, ServerLogParams, Slack, Teams, Webhook, WebhookConfig, WebhookMethod,
            WebhookParams, WebhookSecrets, WebhookUrlSecrets,
        },
    },
    transport::{HttpRequest, HttpResponse, KibanaService, TransportError},
};
use serde_json::json;
use tower::{Layer, Service};

/// Prism's complaints about the requests sent so far.
#[derive(Clone, Default)]
struct Violations(Arc<Mutex<Vec<String>>>);

#[derive(Clone)]
struct RecordViolations(Violations);

impl Layer<KibanaService> for RecordViolations {
    type Service = Recorder;
    fn layer(&self, inner: KibanaService) -> Recorder {
        Recorder {
            inner,
            violations: self.0.clone(),
        }
    }
}

#[derive(Clone)]
struct Recorder {
    inner: KibanaService,
    violations: Violations,
}

impl Service<HttpRequest> for Recorder {
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = BoxFuture<'static, Result<HttpResponse, TransportError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), TransportError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let what = format!("{} {}", request.method(), request.uri().path());
        let violations = self.violations.clone();
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            // Prism's verdict on an invalid request: 422 with a `validation` list (or, when the operation declares
            // an error response, that response with an `sl-violations` header).
            let problem = response.status() == 422;
            if let Some(header) = response.headers().get("sl-violations").and_then(|v| v.to_str().ok())
                && header.contains("\"request\"")
            {
                violations.0.lock().unwrap().push(format!("{what}: {header}"));
            }
            if problem {
                violations.0.lock().unwrap().push(format!(
                    "{what}: Prism answered {} (invalid request)",
                    response.status()
                ));
            }
            Ok(response)
        })
    }
}

fn prism() -> (Kibana, Violations) {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL is set by `cargo xtask conformance`");
    let violations = Violations::default();
    let client = Kibana::builder()
        .url(url)
        // The spec's security schemes: HTTP basic (its `apiKeyAuth` names a header `ApiKey`, which Kibana does
        // not read, so basic auth is the scheme both Prism and Kibana agree on).
        .basic_auth("elastic", "changeme")
        .max_retries(0)
        .validate_spaces(false)
        .layer(RecordViolations(violations.clone()))
        .build()
        .unwrap();
    (client, violations)
}

/// Prism answers with mock bodies from the spec's examples, which need not be the connector type asked for; only
/// the request's validity is judged here.
fn judge<T>(violations: &Violations, what: &str, result: Result<T, Error>) {
    let found = std::mem::take(&mut *violations.0.lock().unwrap());
    assert!(
        found.is_empty(),
        "{what}: Prism found the request invalid:\n{}",
        found.join("\n")
    );
    match result {
        Ok(_) | Err(Error::ConnectorTypeMismatch(_)) | Err(Error::Decode(_)) => {}
        Err(Error::InvalidRequest(message)) if message.contains("cannot read") => {}
        Err(error) => panic!("{what}: {error}"),
    }
}

/// Only the request's validity: for answers Prism cannot mock (it has no serializer for `application/x-ndjson`
/// and answers 500 after validating the request).
fn judge_request_only<T>(violations: &Violations, what: &str, _result: Result<T, Error>) {
    let found = std::mem::take(&mut *violations.0.lock().unwrap());
    assert!(
        found.is_empty(),
        "{what}: Prism found the request invalid:\n{}",
        found.join("\n")
    );
}

async fn create_and_execute<C: ConnectorType>(config: &C::Config, secrets: &C::Secrets, params: &C::Params) {
    let (client, violations) = prism();
    let c = client.connectors();
    judge(
        &violations,
        &format!("create {}", C::TYPE_ID),
        c.create::<C>("conformance", config, secrets).await,
    );
    judge(
        &violations,
        &format!("create by id {}", C::TYPE_ID),
        c.create_with_id::<C>("my-id", "conformance", config, secrets).await,
    );
    judge(
        &violations,
        &format!("update {}", C::TYPE_ID),
        c.update::<C>("my-id", "conformance", config, secrets).await,
    );
    judge(
        &violations,
        &format!("execute {}", C::TYPE_ID),
        c.execute::<C>("my-id", params).await,
    );
}

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn typed_connectors_validate() {
    create_and_execute::<ServerLog>(
        &Default::default(),
        &Default::default(),
        &ServerLogParams::new("hi").with_level(LogLevel::Error),
    )
    .await;
    create_and_execute::<Index>(
        &IndexConfig::new("alerts")
            .with_refresh(true)
            .with_execution_time_field("@timestamp"),
        &Default::default(),
        &IndexParams::new(vec![json!({"a": 1})]),
    )
    .await;
    let webhook = WebhookConfig::new("https://example.com/hook")
        .with_method(WebhookMethod::Put)
        .with_header("x-a", "b")
        .with_basic_auth();
    create_and_execute::<Webhook>(&webhook, &WebhookSecrets::basic("u", "p"), &WebhookParams::new("{}")).await;
    create_and_execute::<Slack>(
        &Default::default(),
        &WebhookUrlSecrets::new("https://hooks.slack.com/x"),
        &MessageParams::new("hi"),
    )
    .await;
    create_and_execute::<Teams>(
        &Default::default(),
        &WebhookUrlSecrets::new("https://teams.example.com/x"),
        &MessageParams::new("hi"),
    )
    .await;
    let email = EmailConfig::new("a@example.com")
        .with_service(EmailService::Other)
        .with_host("smtp.example.com", 587)
        .with_secure(true);
    create_and_execute::<Email>(
        &email,
        &EmailSecrets::login("u", "p"),
        &EmailParams::new(["b@example.com"], "s", "m"),
    )
    .await;
}

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn connector_reads_and_deletes_validate() {
    let (client, violations) = prism();
    let c = client.connectors();
    judge(&violations, "list", c.list().await);
    judge(&violations, "get", c.get("my-id").await);
    judge(&violations, "list types", c.list_types(None).await);
    judge(
        &violations,
        "list types for a feature",
        c.list_types(Some("alerting")).await,
    );
    judge(&violations, "delete", c.delete("my-id").await);
}

/// The harness must catch an invalid request: this one names a connector type the spec does not know.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn an_invalid_request_is_caught() {
    let (client, violations) = prism();
    let result = client
        .connectors()
        .create_raw(None, "bad", ".not-a-connector", &json!({}), &json!({}))
        .await;
    assert!(result.is_err());
    let found = std::mem::take(&mut *violations.0.lock().unwrap());
    assert!(
        !found.is_empty(),
        "Prism accepted an invalid request: the harness would miss real bugs"
    );
}

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn saved_object_requests_validate() {
    use kibana::saved_objects::{ExportOptions, FindOptions, ImportMode, Reference};
    let (client, violations) = prism();
    let so = client.saved_objects();
    let attributes = json!({"title": "Sales"});
    let references = [Reference::new("panel_0", "visualization", "v1")];
    judge(
        &violations,
        "create",
        so.create("dashboard", None, &attributes, &references, false).await,
    );
    judge(
        &violations,
        "create by id",
        so.create("dashboard", Some("d1"), &attributes, &references, true).await,
    );
    judge(&violations, "get", so.get::<serde_json::Value>("dashboard", "d1").await);
    judge(
        &violations,
        "update",
        so.update("dashboard", "d1", &attributes, Some(&references)).await,
    );
    judge(
        &violations,
        "resolve",
        so.resolve::<serde_json::Value>("dashboard", "d1").await,
    );
    judge(
        &violations,
        "bulk create",
        so.bulk_create(&[("dashboard", Some("d2"), &attributes)], false).await,
    );
    judge(
        &violations,
        "bulk get",
        so.bulk_get::<serde_json::Value>(&[("dashboard", "d1")]).await,
    );
    judge(
        &violations,
        "bulk update",
        so.bulk_update(&[("dashboard", "d1", attributes.clone())]).await,
    );
    judge(
        &violations,
        "bulk resolve",
        so.bulk_resolve::<serde_json::Value>(&[("dashboard", "d1")]).await,
    );
    judge(
        &violations,
        "bulk delete",
        so.bulk_delete(&[("dashboard", "d1")], true).await,
    );
    let find = FindOptions::new(["dashboard", "visualization"])
        .search("sal*")
        .search_fields(["title"])
        .sort_field("title")
        .per_page(5)
        .page(2);
    judge(&violations, "find", so.find::<serde_json::Value>(&find).await);
    judge_request_only(
        &violations,
        "export by type",
        so.export_lines(&ExportOptions::types(["dashboard"])).await.map(drop),
    );
    let by_object = ExportOptions::objects([("dashboard", "d1")])
        .include_references_deep(true)
        .exclude_export_details(true);
    judge_request_only(
        &violations,
        "export objects",
        so.export_lines(&by_object).await.map(drop),
    );
    let _ = ImportMode::Overwrite;
}
