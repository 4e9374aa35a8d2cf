//! Connectors: typed CRUD per type family, wrong-type reads, execute outcomes, idempotent create, raw escape hatch.

use kibana::{
    Error, Kibana,
    connectors::{
        ExecuteStatus,
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
    assert_eq!(all.len(), 22);
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
