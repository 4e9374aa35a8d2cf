//! Connectors: typed CRUD per type family, wrong-type reads, execute outcomes, idempotent create, raw escape hatch,
//! and a create / get / list / update round trip of every connector type new or changed in Kibana 9.x.

use kibana::{
    Error, Kibana,
    connectors::{
        ConnectorType, ExecuteStatus,
        types::{
            Email, EmailConfig, EmailParams, EmailSecrets, EmailService, Index, IndexConfig, IndexParams, LogLevel,
            MessageParams, ServerLog, ServerLogParams, Slack, Teams, Webhook, WebhookConfig, WebhookMethod,
            WebhookParams, WebhookSecrets, WebhookUrlSecrets,
        },
    },
};
use kibana_fake::FakeKibana;
use serde_json::json;

async fn setup() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder().url(kibana.url()).build().unwrap();
    (kibana, client)
}

#[tokio::test]
async fn webhook_crud_round_trip() {
    let (kibana, client) = setup().await;
    let connectors = client.connectors();
    let config = WebhookConfig::new("https://hooks.example.com/a")
        .with_method(WebhookMethod::Put)
        .with_header("x-a", "1")
        .with_basic_auth();
    let created = connectors
        .create::<Webhook>("hook", &config, &WebhookSecrets::basic("bot", "pw-secret"))
        .await
        .unwrap();
    assert_eq!(created.config, config);
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(sent["connector_type_id"], ".webhook");
    assert_eq!(sent["secrets"], json!({"user": "bot", "password": "pw-secret"}));
    assert_eq!(sent["config"]["method"], "put");

    let fetched = connectors.get_typed::<Webhook>(&created.id).await.unwrap();
    assert_eq!(fetched.config.url, "https://hooks.example.com/a");
    let updated = connectors
        .update::<Webhook>(
            &created.id,
            "hook 2",
            &WebhookConfig::new("https://hooks.example.com/b"),
            &WebhookSecrets::none(),
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.config.method),
        ("hook 2", WebhookMethod::Post)
    );
    let list = connectors.list().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].referenced_by_count, Some(0));
    connectors.delete(&created.id).await.unwrap();
    assert!(matches!(connectors.get(&created.id).await, Err(Error::NotFound(_))));
    assert!(matches!(connectors.delete(&created.id).await, Err(Error::NotFound(_))));
}

#[tokio::test]
async fn each_type_family_creates_and_reads_back() {
    let (_kibana, client) = setup().await;
    let c = client.connectors();
    let log = c
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(c.get_typed::<ServerLog>(&log.id).await.unwrap().name, "log");
    let index = c
        .create::<Index>(
            "idx",
            &IndexConfig::new("alerts").with_refresh(true),
            &Default::default(),
        )
        .await
        .unwrap();
    assert!(c.get_typed::<Index>(&index.id).await.unwrap().config.refresh);
    let email_config = EmailConfig::new("a@example.com")
        .with_service(EmailService::Other)
        .with_host("smtp.example.com", 587);
    let email = c
        .create::<Email>("mail", &email_config, &EmailSecrets::login("u", "p"))
        .await
        .unwrap();
    assert_eq!(c.get_typed::<Email>(&email.id).await.unwrap().config.port, Some(587));
    let slack = c
        .create::<Slack>(
            "slack",
            &Default::default(),
            &WebhookUrlSecrets::new("https://hooks.slack.com/x"),
        )
        .await
        .unwrap();
    let teams = c
        .create::<Teams>("teams", &Default::default(), &WebhookUrlSecrets::new("https://teams/x"))
        .await
        .unwrap();
    let types: Vec<String> = c
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.connector_type_id)
        .collect();
    for t in [".server-log", ".index", ".email", ".slack", ".teams"] {
        assert!(types.iter().any(|x| x == t), "{t}");
    }
    let _ = (slack, teams);
}

#[tokio::test]
async fn a_typed_read_of_another_type_is_a_clear_error() {
    let (_kibana, client) = setup().await;
    let log = client
        .connectors()
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap();
    let error = client.connectors().get_typed::<Webhook>(&log.id).await.unwrap_err();
    let Error::ConnectorTypeMismatch(mismatch) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (mismatch.expected, mismatch.actual.as_str()),
        (".webhook", ".server-log")
    );
    assert!(
        error.to_string().contains("is a .server-log connector, not .webhook"),
        "{error}"
    );
}

#[tokio::test]
async fn execute_outcomes_ok_and_error() {
    let (_kibana, client) = setup().await;
    let c = client.connectors();
    let log = c
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap();
    let outcome = c
        .execute::<ServerLog>(&log.id, &ServerLogParams::new("hello").with_level(LogLevel::Warn))
        .await
        .unwrap();
    assert_eq!(outcome.status, ExecuteStatus::Ok);
    outcome.into_result().unwrap();

    let hook = c
        .create::<Webhook>(
            "broken",
            &WebhookConfig::new("https://fail.example.com"),
            &WebhookSecrets::none(),
        )
        .await
        .unwrap();
    let outcome = c.execute::<Webhook>(&hook.id, &WebhookParams::new("{}")).await.unwrap();
    assert!(!outcome.is_ok(), "a connector failure is a 200 with status error");
    let error = outcome.into_result().unwrap_err();
    let Error::ConnectorFailed(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.service_message.as_deref(), Some("Connection refused"));
    assert_eq!(failure.retry, Some(json!(true)));

    let index = c
        .create::<Index>("idx", &IndexConfig::new("i"), &Default::default())
        .await
        .unwrap();
    let data = c
        .execute::<Index>(&index.id, &IndexParams::new(vec![json!({"a": 1})]))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(data.unwrap()["items"].as_array().unwrap().len(), 1);
    let mail = c
        .create::<Email>("m", &EmailConfig::new("a@b.c"), &EmailSecrets::default())
        .await
        .unwrap();
    c.execute::<Email>(&mail.id, &EmailParams::new(["x@y.z"], "s", "m"))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    let slack = c
        .create::<Slack>("s", &Default::default(), &WebhookUrlSecrets::new("https://h/x"))
        .await
        .unwrap();
    c.execute::<Slack>(&slack.id, &MessageParams::new("hi"))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert!(matches!(
        c.execute::<ServerLog>("missing", &ServerLogParams::new("x")).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn create_by_id_is_idempotent_and_a_second_create_conflicts() {
    let (kibana, client) = setup().await;
    let c = client.connectors();
    c.create_with_id::<ServerLog>("audit-log", "audit", &Default::default(), &Default::default())
        .await
        .unwrap();
    let error = c
        .create_with_id::<ServerLog>("audit-log", "audit", &Default::default(), &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
    assert_eq!(kibana.connector_ids("default"), ["audit-log"]);
}

#[tokio::test]
async fn raw_connectors_for_unknown_shapes() {
    let (_kibana, client) = setup().await;
    let c = client.connectors();
    let raw = c
        .create_raw(
            Some("tines-1"),
            "tines",
            ".tines",
            &json!({"url": "https://tines.example.com"}),
            &json!({"email": "a@b", "token": "t"}),
        )
        .await
        .unwrap();
    assert_eq!(raw.config["url"], "https://tines.example.com");
    let updated = c
        .update_raw(
            "tines-1",
            "tines 2",
            &json!({"url": "https://t2"}),
            &json!({"email": "a@b", "token": "t"}),
        )
        .await
        .unwrap();
    assert_eq!(updated.name, "tines 2");
    let outcome = c.execute_raw("tines-1", &json!({"subAction": "run"})).await.unwrap();
    assert!(outcome.is_ok());
    let error = c
        .create_raw(None, "bad", ".nope", &json!({}), &json!({}))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)));
}

#[tokio::test]
async fn connector_types_are_listed_and_filtered() {
    let (_kibana, client) = setup().await;
    let all = client.connectors().list_types(None).await.unwrap();
    assert_eq!(all.len(), 27);
    let endpoint = client.connectors().list_types(Some("endpointSecurity")).await.unwrap();
    let ids: Vec<&str> = endpoint.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, [".crowdstrike", ".microsoft_defender_endpoint", ".sentinelone"]);
    let gen_ai = client.connectors().list_types(Some("generativeAI")).await.unwrap();
    assert!(
        gen_ai
            .iter()
            .all(|t| t.supported_feature_ids.contains(&"generativeAI".to_owned()))
    );
    assert!(gen_ai.len() < all.len());
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let secrets = [
        format!("{:?}", WebhookSecrets::basic("bot", "topsecret-1")),
        format!("{:?}", WebhookUrlSecrets::new("https://hooks/topsecret-2")),
        format!("{:?}", EmailSecrets::login("u", "topsecret-3")),
    ];
    for debug in secrets {
        assert!(!debug.contains("topsecret"), "{debug}");
    }
}

/// Creates a typed connector, then checks what Kibana would do: the request carries the secrets, the created, read
/// (typed and raw), listed and updated connector keeps the config, and no answer ever contains a secret.
async fn round_trip<C: ConnectorType>(config: C::Config, secrets: C::Secrets, secret_values: &[&str]) {
    let (kibana, client) = setup().await;
    let c = client.connectors();
    let created = c
        .create::<C>("round trip", &config, &secrets)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", C::TYPE_ID));
    assert_eq!(created.config, config, "{}: create", C::TYPE_ID);
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(sent["connector_type_id"], C::TYPE_ID);
    let sent_secrets = sent["secrets"].to_string();
    for secret in secret_values {
        assert!(
            sent_secrets.contains(secret),
            "{}: the secrets were not sent",
            C::TYPE_ID
        );
    }
    assert_eq!(
        c.get_typed::<C>(&created.id).await.unwrap().config,
        config,
        "{}: get",
        C::TYPE_ID
    );
    let updated = c
        .update::<C>(&created.id, "round trip 2", &config, &secrets)
        .await
        .unwrap();
    assert_eq!((updated.name.as_str(), &updated.config), ("round trip 2", &config));
    let listed = c.list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].connector_type_id, C::TYPE_ID);
    assert_eq!(
        serde_json::from_value::<C::Config>(listed[0].config.clone()).unwrap(),
        config
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    for path in [
        format!("/api/actions/connector/{}", created.id),
        "/api/actions/connectors".to_owned(),
    ] {
        let body = http
            .get(format!("{}{path}", kibana.url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !body.contains("\"secrets\""),
            "{}: {path} returned secrets: {body}",
            C::TYPE_ID
        );
        for secret in secret_values {
            assert!(
                !body.contains(secret),
                "{}: {path} returned a secret: {body}",
                C::TYPE_ID
            );
        }
    }
    c.delete(&created.id).await.unwrap();
}

#[tokio::test]
async fn crowdstrike_round_trip() {
    use kibana::connectors::types::{CrowdStrike, CrowdStrikeSecrets, UrlConfig};
    let config = UrlConfig {
        url: "https://api.crowdstrike.com".into(),
    };
    round_trip::<CrowdStrike>(config, CrowdStrikeSecrets::new("client-1", "cs-s3cret"), &["cs-s3cret"]).await;
}

#[tokio::test]
async fn microsoft_defender_endpoint_round_trip() {
    use kibana::connectors::types::{DefenderConfig, DefenderSecrets, MicrosoftDefenderEndpoint};
    round_trip::<MicrosoftDefenderEndpoint>(
        DefenderConfig::public_cloud("app-id", "tenant-id"),
        DefenderSecrets::new("mde-s3cret"),
        &["mde-s3cret"],
    )
    .await;
}

#[tokio::test]
async fn gemini_round_trip() {
    use kibana::connectors::types::{Gemini, GeminiConfig, GeminiSecrets};
    let mut config = GeminiConfig::new(
        "https://us-central1-aiplatform.googleapis.com",
        "us-central1",
        "vertex-1",
    );
    config.default_model = Some("gemini-2.5-pro".into());
    round_trip::<Gemini>(
        config,
        GeminiSecrets::new(r#"{"private_key": "gcp-s3cret"}"#),
        &["gcp-s3cret"],
    )
    .await;
}

#[tokio::test]
async fn sentinelone_round_trip() {
    use kibana::connectors::types::{SentinelOne, TokenSecrets, UrlConfig};
    let config = UrlConfig {
        url: "https://usea1.sentinelone.net".into(),
    };
    round_trip::<SentinelOne>(config, TokenSecrets::new("s1-s3cret"), &["s1-s3cret"]).await;
}

#[tokio::test]
async fn thehive_round_trip() {
    use kibana::connectors::types::{ApiKeySecrets, TheHive, TheHiveConfig};
    let config = TheHiveConfig {
        organisation: Some("soc".into()),
        ..TheHiveConfig::new("https://thehive.example.com")
    };
    round_trip::<TheHive>(config, ApiKeySecrets::new("hive-s3cret"), &["hive-s3cret"]).await;
}

#[tokio::test]
async fn openai_flavours_round_trip() {
    use kibana::connectors::types::{GenAi, GenAiConfig, GenAiSecrets, VerificationMode};
    round_trip::<GenAi>(
        GenAiConfig::OpenAi {
            api_url: "https://api.openai.com/v1/chat/completions".into(),
            default_model: Some("gpt-4o".into()),
        },
        GenAiSecrets::api_key("sk-openai-s3cret"),
        &["sk-openai-s3cret"],
    )
    .await;
    round_trip::<GenAi>(
        GenAiConfig::azure("https://x.openai.azure.com/openai/deployments/d"),
        GenAiSecrets::api_key("azure-s3cret"),
        &["azure-s3cret"],
    )
    .await;
    let other = GenAiConfig::Other {
        api_url: "https://llm.example.com/v1/chat/completions".into(),
        default_model: "llama-3".into(),
        headers: Some([("x-team".to_owned(), "secops".to_owned())].into()),
        ca_data: None,
        certificate_data: None,
        private_key_data: None,
        verification_mode: Some(VerificationMode::Certificate),
    };
    round_trip::<GenAi>(
        other,
        GenAiSecrets::pki("cert-s3cret", "key-s3cret"),
        &["cert-s3cret", "key-s3cret"],
    )
    .await;
}

#[tokio::test]
async fn changed_types_keep_their_new_fields() {
    use kibana::connectors::types::{
        CaseWebhookMethod, CasesWebhook, CasesWebhookConfig, CasesWebhookSecrets, Secret, SlackApi, SlackApiConfig,
        TokenSecrets, VerificationMode, WebhookAuthType, WebhookCertType,
    };
    let cases = CasesWebhookConfig {
        create_incident_json: "{}".into(),
        create_incident_response_key: "id".into(),
        create_incident_url: "https://cases.example.com/i".into(),
        get_incident_response_external_title_key: "title".into(),
        get_incident_url: "https://cases.example.com/i/{{{external.system.id}}}".into(),
        update_incident_json: "{}".into(),
        update_incident_url: "https://cases.example.com/i/{{{external.system.id}}}".into(),
        view_incident_url: "https://cases.example.com/v/{{{external.system.title}}}".into(),
        create_incident_method: Some(CaseWebhookMethod::Post),
        update_incident_method: None,
        create_comment_json: None,
        create_comment_method: None,
        create_comment_url: None,
        has_auth: Some(true),
        headers: None,
        auth_type: Some(WebhookAuthType::Ssl),
        ca: Some("Q0E=".into()),
        cert_type: Some(WebhookCertType::CrtKey),
        verification_mode: Some(VerificationMode::Full),
    };
    let secrets = CasesWebhookSecrets {
        crt: Some(Secret::new("crt-s3cret")),
        key: Some(Secret::new("key-s3cret")),
        ..Default::default()
    };
    round_trip::<CasesWebhook>(cases, secrets, &["crt-s3cret", "key-s3cret"]).await;
    round_trip::<SlackApi>(
        SlackApiConfig::default().with_channel("C0123", "#ops"),
        TokenSecrets::new("xoxb-s3cret"),
        &["xoxb-s3cret"],
    )
    .await;
}

#[tokio::test]
async fn the_fake_checks_the_openai_rules() {
    let (_kibana, client) = setup().await;
    let c = client.connectors();
    let error = c
        .create_raw(
            None,
            "no key",
            ".gen-ai",
            &json!({"apiProvider": "OpenAI", "apiUrl": "https://api.openai.com/v1"}),
            &json!({}),
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("apiKey"), "{error}");
    let error = c
        .create_raw(
            None,
            "no model",
            ".gen-ai",
            &json!({"apiProvider": "Other", "apiUrl": "https://llm/v1"}),
            &json!({"apiKey": "k"}),
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("defaultModel"), "{error}");
    c.create_raw(
        None,
        "pki",
        ".gen-ai",
        &json!({"apiProvider": "Other", "apiUrl": "https://llm/v1", "defaultModel": "m"}),
        &json!({"certificateData": "c", "privateKeyData": "k"}),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn new_sub_actions_serialize_as_kibana_expects() {
    use kibana::connectors::types::{
        AgentIds, CloseIncident, CrowdStrike, CrowdStrikeParams, ServiceNow, ServiceNowConfig, ServiceNowParams,
        ServiceNowSecrets, TheHive, TheHiveAlert, TheHiveConfig, TheHiveParams, UrlConfig,
    };
    let (kibana, client) = setup().await;
    let c = client.connectors();
    let cs = c
        .create::<CrowdStrike>(
            "cs",
            &UrlConfig {
                url: "https://api.crowdstrike.com".into(),
            },
            &kibana::connectors::types::CrowdStrikeSecrets::new("id", "secret"),
        )
        .await
        .unwrap();
    let params = CrowdStrikeParams::GetAgentDetails(AgentIds {
        ids: vec!["5f4ed7ec".into()],
    });
    assert!(c.execute::<CrowdStrike>(&cs.id, &params).await.unwrap().is_ok());
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(
        sent,
        json!({"params": {"subAction": "getAgentDetails", "subActionParams": {"ids": ["5f4ed7ec"]}}})
    );
    let snow = c
        .create::<ServiceNow>(
            "snow",
            &ServiceNowConfig::new("https://x.service-now.com"),
            &ServiceNowSecrets::basic("u", "p"),
        )
        .await
        .unwrap();
    let close = ServiceNowParams::CloseIncident(CloseIncident::by_correlation_id("rule-1:alert-1"));
    assert!(c.execute::<ServiceNow>(&snow.id, &close).await.unwrap().is_ok());
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(
        sent["params"]["subActionParams"]["incident"]["correlation_id"],
        "rule-1:alert-1"
    );
    let hive = c
        .create::<TheHive>(
            "hive",
            &TheHiveConfig::new("https://thehive.example.com"),
            &kibana::connectors::types::ApiKeySecrets::new("k"),
        )
        .await
        .unwrap();
    let alert = TheHiveParams::CreateAlert(TheHiveAlert::new("t", "d", "external", "elastic", "r1:a1"));
    assert!(c.execute::<TheHive>(&hive.id, &alert).await.unwrap().is_ok());
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(sent["params"]["subActionParams"]["sourceRef"], "r1:a1");
}

#[tokio::test]
async fn email_to_bcc_only_is_accepted_and_no_recipient_is_a_connector_error() {
    let (_kibana, client) = setup().await;
    let c = client.connectors();
    let mail = c
        .create::<Email>("m", &EmailConfig::new("a@b.c"), &EmailSecrets::default())
        .await
        .unwrap();
    let bcc_only = EmailParams::new(Vec::<String>::new(), "s", "m").with_bcc(["audit@example.com"]);
    assert_eq!(serde_json::to_value(&bcc_only).unwrap().get("to"), None);
    c.execute::<Email>(&mail.id, &bcc_only)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    let nobody = EmailParams::new(Vec::<String>::new(), "s", "m");
    let outcome = c.execute::<Email>(&mail.id, &nobody).await.unwrap();
    assert_eq!(outcome.status, ExecuteStatus::Error);
}

#[tokio::test]
async fn the_fake_knows_every_typed_connector_type() {
    use kibana::connectors::types::*;
    let (_kibana, client) = setup().await;
    let known: Vec<String> = client
        .connectors()
        .list_types(None)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(known, TYPED_CONNECTOR_TYPE_IDS);
}
