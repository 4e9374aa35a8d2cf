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

#[cfg(feature = "sweep")]
mod answers;
mod common;
#[cfg(feature = "sweep")]
mod sweep;
#[cfg(feature = "sweep")]
#[rustfmt::skip]
#[path = "generated/sweep_cases.rs"]
mod sweep_cases;

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
    let (builder, violations) = prism_builder();
    (builder.build().unwrap(), violations)
}

/// A client of Prism, not built yet, recording Prism's verdicts.
fn prism_builder() -> (kibana::KibanaBuilder, Violations) {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL is set by `cargo xtask conformance`");
    let violations = Violations::default();
    let builder = Kibana::builder()
        .url(url)
        // The spec's security schemes: HTTP basic (its `apiKeyAuth` names a header `ApiKey`, which Kibana does
        // not read, so basic auth is the scheme both Prism and Kibana agree on).
        .basic_auth("elastic", "changeme")
        .max_retries(0)
        .validate_spaces(false)
        .layer(RecordViolations(violations.clone()));
    (builder, violations)
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
        Ok(_) | Err(Error::ConnectorTypeMismatch(_)) | Err(Error::RuleTypeMismatch(_)) | Err(Error::Decode(_)) => {}
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

/// Like [`judge`], tolerating one violation that is Prism's own limitation (named, with the reason).
fn judge_except<T>(violations: &Violations, what: &str, result: Result<T, Error>, prism_limitation: &str) {
    let found = std::mem::take(&mut *violations.0.lock().unwrap());
    let real: Vec<&String> = found.iter().filter(|v| !v.contains(prism_limitation)).collect();
    assert!(real.is_empty(), "{what}: Prism found the request invalid:\n{real:?}");
    let _ = result;
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

/// The harness must catch an invalid request: this one's config is a string, where every connector config is an
/// object.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn an_invalid_request_is_caught() {
    let (client, violations) = prism();
    let result = client
        .connectors()
        .create_raw(None, "bad", ".webhook", &json!("not an object"), &json!({}))
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
    let ndjson = "{\"type\":\"dashboard\",\"id\":\"d1\",\"attributes\":{\"title\":\"Sales\"},\"references\":[]}\n";
    judge(&violations, "import", so.import(ndjson, ImportMode::Overwrite).await);
    judge(
        &violations,
        "import new copies",
        so.import(ndjson, ImportMode::CreateNewCopies).await,
    );
    let retry = kibana::saved_objects::ImportRetry {
        object_type: "dashboard".into(),
        id: "d1".into(),
        overwrite: true,
        destination_id: None,
    };
    // Prism reads every multipart field as a string, so it cannot see the `retries` JSON part as the array Kibana
    // parses it into; the file part is still validated.
    let resolved = so.resolve_import_errors(ndjson, &[retry], false).await;
    judge_except(&violations, "resolve import errors", resolved, "retries must be array");
}

async fn create_only<C: ConnectorType>(config: &C::Config, secrets: &C::Secrets) {
    let (client, violations) = prism();
    let c = client.connectors();
    judge(
        &violations,
        &format!("create {}", C::TYPE_ID),
        c.create::<C>("conformance", config, secrets).await,
    );
    judge(
        &violations,
        &format!("update {}", C::TYPE_ID),
        c.update::<C>("my-id", "conformance", config, secrets).await,
    );
}

async fn execute_only<C: ConnectorType>(what: &str, params: &C::Params) {
    let (client, violations) = prism();
    judge(
        &violations,
        &format!("execute {} {what}", C::TYPE_ID),
        client.connectors().execute::<C>("my-id", params).await,
    );
}

/// A typed create (and update) for every connector type of the spec.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn every_connector_type_creates() {
    use kibana::connectors::types::*;
    create_only::<Bedrock>(
        &BedrockConfig {
            api_url: "https://bedrock-runtime.us-east-1.amazonaws.com".into(),
            default_model: Some("anthropic.claude-v2".into()),
        },
        &BedrockSecrets {
            access_key: "AKIA".into(),
            secret: "s".into(),
        },
    )
    .await;
    let cases = CasesWebhookConfig {
        create_incident_json: "{}".into(),
        create_incident_response_key: "id".into(),
        create_incident_url: "https://c/i".into(),
        get_incident_response_external_title_key: "title".into(),
        get_incident_url: "https://c/i/{{{external.system.id}}}".into(),
        update_incident_json: "{}".into(),
        update_incident_url: "https://c/i/{{{external.system.id}}}".into(),
        view_incident_url: "https://c/view/{{{external.system.title}}}".into(),
        create_incident_method: Some(CaseWebhookMethod::Post),
        update_incident_method: Some(CaseWebhookMethod::Put),
        create_comment_json: None,
        create_comment_method: None,
        create_comment_url: None,
        has_auth: Some(true),
        headers: None,
        auth_type: None,
        ca: None,
        cert_type: None,
        verification_mode: None,
    };
    create_only::<CasesWebhook>(&cases, &CasesWebhookSecrets::basic("u", "p")).await;
    create_only::<D3Security>(
        &UrlConfig {
            url: "https://d3".into(),
        },
        &TokenSecrets::new("t"),
    )
    .await;
    create_only::<GenAi>(
        &GenAiConfig::OpenAi {
            api_url: "https://api.openai.com/v1/chat/completions".into(),
            default_model: Some("gpt-4".into()),
        },
        &GenAiSecrets::api_key("k"),
    )
    .await;
    create_only::<GenAi>(
        &GenAiConfig::AzureOpenAi {
            api_url: "https://x.openai.azure.com/d".into(),
        },
        &GenAiSecrets::api_key("k"),
    )
    .await;
    create_only::<Jira>(
        &JiraConfig {
            api_url: "https://j.atlassian.net".into(),
            project_key: "OPS".into(),
        },
        &JiraSecrets::new("a@b.c", "t"),
    )
    .await;
    create_only::<Opsgenie>(&ApiUrlConfig::new("https://api.opsgenie.com"), &ApiKeySecrets::new("k")).await;
    create_only::<PagerDuty>(
        &PagerDutyConfig {
            api_url: Some("https://events.pagerduty.com/v2/enqueue".into()),
        },
        &PagerDutySecrets::new("r"),
    )
    .await;
    create_only::<Resilient>(
        &ResilientConfig {
            api_url: "https://r".into(),
            org_id: "201".into(),
        },
        &ResilientSecrets {
            api_key_id: "i".into(),
            api_key_secret: "s".into(),
        },
    )
    .await;
    create_only::<ServiceNow>(
        &ServiceNowConfig::new("https://x.service-now.com"),
        &ServiceNowSecrets::basic("u", "p"),
    )
    .await;
    create_only::<ServiceNowSir>(
        &ServiceNowConfig::new("https://x.service-now.com"),
        &ServiceNowSecrets::basic("u", "p"),
    )
    .await;
    create_only::<ServiceNowItom>(
        &ServiceNowConfig::new("https://x.service-now.com"),
        &ServiceNowSecrets::basic("u", "p"),
    )
    .await;
    create_only::<SlackApi>(&Default::default(), &TokenSecrets::new("xoxb")).await;
    create_only::<Swimlane>(
        &SwimlaneConfig {
            api_url: "https://s".into(),
            app_id: "a".into(),
            connector_type: SwimlaneConnectorType::All,
            mappings: None,
        },
        &SwimlaneSecrets {
            api_token: Some("t".into()),
        },
    )
    .await;
    create_only::<Tines>(
        &UrlConfig {
            url: "https://t.tines.com".into(),
        },
        &TinesSecrets {
            email: "a@b.c".into(),
            token: "t".into(),
        },
    )
    .await;
    create_only::<Torq>(
        &TorqConfig {
            webhook_integration_url: "https://hooks.torq.io/v1/x".into(),
        },
        &TokenSecrets::new("t"),
    )
    .await;
    create_only::<Xmatters>(
        &XmattersConfig {
            config_url: Some("https://x.xmatters.com/api".into()),
            uses_basic: true,
        },
        &XmattersSecrets {
            user: Some("u".into()),
            password: Some("p".into()),
            secrets_url: None,
        },
    )
    .await;
}

/// A typed execute for every params shape the spec describes.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn every_spec_params_shape_executes() {
    use kibana::connectors::types::*;
    let push = PushToService::new("Disk full", "db-1")
        .with_field("externalId", "10001")
        .with_comment("on it");
    execute_only::<Jira>("pushToService", &JiraParams::PushToService(push.clone())).await;
    execute_only::<Jira>(
        "getIncident",
        &JiraParams::GetIncident(ExternalId {
            external_id: "10001".into(),
        }),
    )
    .await;
    execute_only::<Jira>("getFields", &JiraParams::GetFields).await;
    execute_only::<Jira>("issues", &JiraParams::Issues(TitleParam { title: "disk".into() })).await;
    execute_only::<Jira>("issue", &JiraParams::Issue(IdParam { id: "10001".into() })).await;
    execute_only::<Jira>("issueTypes", &JiraParams::IssueTypes).await;
    execute_only::<Jira>(
        "fieldsByIssueType",
        &JiraParams::FieldsByIssueType(IdParam { id: "10024".into() }),
    )
    .await;
    execute_only::<ServiceNow>(
        "getChoices",
        &ServiceNowParams::GetChoices(FieldsParam {
            fields: vec!["priority".into()],
        }),
    )
    .await;
    execute_only::<ServiceNowItom>(
        "addEvent",
        &ServiceNowItomParams::AddEvent(Box::new(ItomEvent {
            description: Some("cpu".into()),
            severity: Some("2".into()),
            ..Default::default()
        })),
    )
    .await;
    execute_only::<Resilient>("pushToService", &PushParams::PushToService(push)).await;
    let alert = OpsgenieAlert {
        message: "down".into(),
        alias: Some("db-1".into()),
        priority: Some(OpsgeniePriority::P1),
        tags: vec!["db".into()],
        ..Default::default()
    };
    execute_only::<Opsgenie>("createAlert", &OpsgenieParams::CreateAlert(alert)).await;
    execute_only::<Opsgenie>(
        "closeAlert",
        &OpsgenieParams::CloseAlert(OpsgenieClose {
            alias: "db-1".into(),
            note: Some("fixed".into()),
            ..Default::default()
        }),
    )
    .await;
}

/// A typed create for every typed rule type, and every other rule request.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn rule_requests_validate() {
    use kibana::{
        connectors::{
            ConnectorRef,
            types::{LogLevel, ServerLog, ServerLogParams},
        },
        rules::{
            ActionFrequency, FindRules, NewRule, NotifyWhen, RuleAction, Schedule,
            types::{
                EsQuery, EsQueryCommon, EsQueryParams, EsqlQuery, IndexThreshold, IndexThresholdParams,
                SearchConfiguration, SearchQuery, ThresholdComparator, TimeUnit,
            },
        },
    };
    let (client, violations) = prism();
    let rules = client.rules();
    let action = RuleAction::connector(
        "threshold met",
        &ConnectorRef::<ServerLog>::new("log-1"),
        &ServerLogParams::new("hit").with_level(LogLevel::Info),
    )
    .unwrap()
    .with_frequency(ActionFrequency {
        summary: false,
        notify_when: NotifyWhen::OnActionGroupChange,
        throttle: None,
    });
    let threshold = IndexThresholdParams::new(
        ["logs-*"],
        "@timestamp",
        ThresholdComparator::GreaterThan,
        [100.0],
        5,
        TimeUnit::Minutes,
    );
    let rule = NewRule::new("threshold", "stackAlerts", Schedule::every("1m"), threshold)
        .with_action(action)
        .with_tags(["prod"]);
    judge(
        &violations,
        "create index threshold",
        rules.create::<IndexThreshold>(&rule).await,
    );
    judge(
        &violations,
        "create index threshold by id",
        rules.create_with_id::<IndexThreshold>("r1", &rule).await,
    );
    judge(&violations, "update", rules.update("r1", &rule).await);
    let common = || EsQueryCommon {
        size: 100,
        threshold: vec![0.0],
        threshold_comparator: ThresholdComparator::GreaterThan,
        time_window_size: 5,
        time_window_unit: TimeUnit::Minutes,
        time_field: Some("@timestamp".into()),
        exclude_hits_from_previous_run: None,
        agg_type: None,
        group_by: None,
    };
    for (what, params) in [
        (
            "es|ql",
            EsQueryParams::Esql {
                esql_query: EsqlQuery {
                    esql: "FROM logs".into(),
                },
                common: EsQueryCommon { size: 0, ..common() },
            },
        ),
        (
            "search source",
            EsQueryParams::SearchSource {
                search_configuration: SearchConfiguration {
                    query: SearchQuery {
                        query: "a: b".into(),
                        language: "kuery".into(),
                    },
                    index: "dv".into(),
                    filter: vec![],
                },
                common: common(),
            },
        ),
        (
            "query dsl",
            EsQueryParams::QueryDsl {
                es_query: "{\"query\":{\"match_all\":{}}}".into(),
                index: vec!["logs".into()],
                common: common(),
            },
        ),
    ] {
        let rule = NewRule::new("es query", "stackAlerts", Schedule::every("1m"), params);
        judge(
            &violations,
            &format!("create es query ({what})"),
            rules.create::<EsQuery>(&rule).await,
        );
    }
    judge(&violations, "get", rules.get("r1").await);
    judge(&violations, "enable", rules.enable("r1").await);
    judge(&violations, "disable", rules.disable("r1").await);
    judge(&violations, "mute all", rules.mute_all("r1").await);
    judge(&violations, "unmute all", rules.unmute_all("r1").await);
    judge(&violations, "mute alert", rules.mute_alert("r1", "a1").await);
    judge(&violations, "unmute alert", rules.unmute_alert("r1", "a1").await);
    judge(&violations, "update api key", rules.update_api_key("r1").await);
    judge(
        &violations,
        "find",
        rules
            .find(
                &FindRules::all()
                    .search("prod")
                    .search_fields(["tags"])
                    .sort_by("name", true)
                    .per_page(5)
                    .page(1),
            )
            .await,
    );
    judge(&violations, "health", rules.health().await);
    judge(&violations, "rule types", rules.rule_types().await);
    judge(&violations, "delete", rules.delete("r1").await);
}

/// A typed create for every typed observability rule type.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn observability_rule_creates_validate() {
    struct Create(Kibana, Violations);

    impl common::RuleSampleVisitor for Create {
        async fn visit<R: kibana::rules::RuleType>(&mut self, consumer: &str, params: R::Params) {
            let rule =
                kibana::rules::NewRule::new(R::RULE_TYPE_ID, consumer, kibana::rules::Schedule::every("1m"), params);
            judge(
                &self.1,
                &format!("create {}", R::RULE_TYPE_ID),
                self.0.rules().create::<R>(&rule).await,
            );
        }
    }

    let (client, violations) = prism();
    common::observability_rule_samples(&mut Create(client, violations)).await;
}

/// Every generated operation, called once through `client.api()` with its required parameters and a small valid
/// body: Prism must accept the request, and the SDK must decode Prism's answer (made from the response schema)
/// into the generated type. Prints called / decoded / failed by cause; fails on any failure not listed in
/// `sweep::KNOWN_FAILURES` with its reason.
#[cfg(feature = "sweep")]
#[test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
fn every_generated_operation_validates_and_decodes() {
    // The calls of 520 operations make deep futures: run them on a thread with room for a debug build's stack.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(sweep_every_operation())
        })
        .unwrap()
        .join()
        .unwrap();
}

#[cfg(feature = "sweep")]
async fn sweep_every_operation() {
    let tap = answers::replay::Tap::default();
    // The tap records every answer, or replays a thinned one.
    let (builder, violations) = prism_builder();
    let client = builder.layer(tap.clone()).build().unwrap();
    // The document Prism serves, with the document's own `required` lists, for the thinned answers.
    let document = std::env::var("KIBANA_CONFORMANCE_SPEC")
        .ok()
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    assert!(
        document.is_some(),
        "KIBANA_CONFORMANCE_SPEC names the document Prism serves (set by `cargo xtask conformance`)"
    );
    let mut sweep = sweep::Sweep::new(violations, tap, document);
    sweep_cases::run_all(&client.api(), &mut sweep).await;
    let report = sweep.report();
    println!("{report}");
    assert_eq!(sweep.outcomes.len(), sweep_cases::COUNT);
    let unexplained: Vec<_> = sweep
        .outcomes
        .iter()
        .filter(|o| o.cause.is_some() && !sweep::KNOWN_FAILURES.iter().any(|(name, _)| *name == o.name))
        .map(|o| o.name)
        .collect();
    assert!(
        unexplained.is_empty(),
        "unexplained sweep failures: {unexplained:?}\n{report}"
    );
    // A listed operation that now passes (a fixed document, a newer Prism) leaves the list.
    let stale: Vec<_> = sweep::KNOWN_FAILURES
        .iter()
        .filter(|(name, _)| sweep.outcomes.iter().any(|o| o.name == *name && o.cause.is_none()))
        .map(|(name, _)| *name)
        .collect();
    assert!(
        stale.is_empty(),
        "listed in sweep::KNOWN_FAILURES but passing now: {stale:?}\n{report}"
    );
}

/// The connector types Kibana added since the 8.x documents: a typed create, update and execute of each.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn new_connector_types_create_update_and_execute() {
    use kibana::connectors::types::*;
    let url = || UrlConfig {
        url: "https://api.example.com".into(),
    };
    create_only::<CrowdStrike>(&url(), &CrowdStrikeSecrets::new("id", "secret")).await;
    execute_only::<CrowdStrike>(
        "getAgentDetails",
        &CrowdStrikeParams::GetAgentDetails(AgentIds {
            ids: vec!["5f4ed7ec".into()],
        }),
    )
    .await;
    create_only::<MicrosoftDefenderEndpoint>(
        &DefenderConfig::public_cloud("client", "tenant"),
        &DefenderSecrets::new("secret"),
    )
    .await;
    // No execute: the document describes no Defender params (its only `getAgentDetails` is CrowdStrike's `{ids}`,
    // where Defender's takes `{id}`); the typed params are bound to Kibana's source in the connector tests.
    create_only::<SentinelOne>(&url(), &TokenSecrets::new("token")).await;
    execute_only::<SentinelOne>("getAgents", &SentinelOneParams::GetAgents(Default::default())).await;
    create_only::<TheHive>(
        &TheHiveConfig::new("https://thehive.example.com"),
        &ApiKeySecrets::new("k"),
    )
    .await;
    execute_only::<TheHive>(
        "createAlert",
        &TheHiveParams::CreateAlert(TheHiveAlert::new("t", "d", "external", "elastic", "r1:a1")),
    )
    .await;
    create_only::<Gemini>(
        &GeminiConfig::new(
            "https://us-central1-aiplatform.googleapis.com",
            "us-central1",
            "project",
        ),
        &GeminiSecrets::new("{}"),
    )
    .await;
    // No execute: the document describes no `run` / `invokeAI` params for the AI connectors.
}

/// Every data views call of `client.data_views()`.
#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
async fn data_view_requests_validate() {
    use std::collections::BTreeMap;

    use kibana::data_views::{
        DataView, DataViewUpdate, FieldAttrs, FieldFormat, FieldMetadata, RuntimeField, RuntimeFieldType,
        SwapReferences,
    };
    let (client, violations) = prism();
    let views = client.data_views();
    let keyword = RuntimeField::new(RuntimeFieldType::Keyword).script("emit('x')");
    let view = DataView::new("logs-*")
        .id("logs")
        .name("Logs")
        .time_field("@timestamp")
        .source_filter("secret.*")
        .allow_no_index(true)
        .field_format("bytes", FieldFormat::new("bytes").param("pattern", "0,0.[0]b"))
        .field_attrs("host", FieldAttrs::default().custom_label("Host").count(1))
        .runtime_field("day", keyword.clone());
    judge(&violations, "create", views.create(&view, false).await);
    judge(
        &violations,
        "create, override",
        views.create(&DataView::new("a-*"), true).await,
    );
    judge(&violations, "get", views.get("logs").await);
    judge(&violations, "list", views.list().await);
    judge(
        &violations,
        "update",
        views
            .update(
                "logs",
                &DataViewUpdate::new()
                    .title("logs-*,metrics-*")
                    .time_field("ts")
                    .source_filters(["a.*"])
                    .refresh_fields(true),
            )
            .await,
    );
    judge(&violations, "delete", views.delete("logs").await);
    judge(
        &violations,
        "create runtime field",
        views.create_runtime_field("logs", "day", &keyword).await,
    );
    judge(
        &violations,
        "upsert runtime field",
        views.upsert_runtime_field("logs", "day", &keyword).await,
    );
    judge(
        &violations,
        "get runtime field",
        views.runtime_field("logs", "day").await,
    );
    judge(
        &violations,
        "update runtime field",
        views.update_runtime_field("logs", "day", &keyword).await,
    );
    judge(
        &violations,
        "delete runtime field",
        views.delete_runtime_field("logs", "day").await,
    );
    judge(
        &violations,
        "field metadata",
        views
            .update_field_metadata(
                "logs",
                &BTreeMap::from([(
                    "host".to_owned(),
                    FieldMetadata::new().custom_label("Host").clear_count(),
                )]),
            )
            .await,
    );
    judge(&violations, "default", views.default_id().await);
    judge(&violations, "set default", views.set_default(Some("logs"), true).await);
    judge(&violations, "clear default", views.set_default(None, true).await);
    let swap = SwapReferences::new("old", "logs")
        .for_objects("dashboard", ["d1"])
        .delete_source(true);
    judge(&violations, "swap preview", views.preview_swap_references(&swap).await);
    judge(&violations, "swap", views.swap_references(&swap).await);
}
