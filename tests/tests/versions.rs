//! Version-aware calls: an operation Kibana's document says was added after the server's version is refused
//! before anything is sent (or logged, or sent anyway), against the fake Kibana reporting a version.
//!
//! The operations used: `GET /api/maintenance_window/_find` (added in 9.2.0), `DELETE
//! /api/alerting/rule/{ruleId}/snooze_schedule/{scheduleId}` (added in 8.19.0) and `GET /api/spaces/space` (no
//! version in the document).

use kibana::{Error, Kibana, KibanaVersion, Stability, VersionCheck, generated::spec::routes};
use kibana_fake::FakeKibana;

const FIND_WINDOWS: &str = "/api/maintenance_window/_find";
const UNSNOOZE: &str = "/api/alerting/rule/r1/snooze_schedule/s1";

async fn fake(version: &str) -> FakeKibana {
    FakeKibana::builder().version(version).start().await
}

fn client(kibana: &FakeKibana, check: VersionCheck) -> Kibana {
    Kibana::builder()
        .url(kibana.url())
        .version_check(check)
        .build()
        .unwrap()
}

#[test]
fn the_route_table_keeps_the_documents_versions_and_stability() {
    let find = routes::GET_MAINTENANCE_WINDOW_FIND;
    assert_eq!(find.added_in, Some(KibanaVersion::new(9, 2, 0)));
    assert_eq!(find.stability, Stability::GenerallyAvailable);
    assert_eq!(
        routes::DELETE_ALERTING_RULE_RULE_ID_SNOOZE_SCHEDULE_SCHEDULE_ID.added_in,
        Some(KibanaVersion::new(8, 19, 0))
    );
    assert_eq!(routes::GET_SPACES_SPACE.added_in, None);
    let agents = routes::GET_AGENT_BUILDER_AGENTS;
    assert_eq!(
        (agents.added_in, agents.stability),
        (Some(KibanaVersion::new(9, 2, 0)), Stability::TechnicalPreview)
    );
}

#[tokio::test]
async fn an_older_server_refuses_a_newer_operation_locally_and_accepts_an_older_one() {
    let kibana = fake("9.0.1").await;
    let client = client(&kibana, VersionCheck::default());
    let refused = client.api().get_maintenance_window_find().await.unwrap_err();
    match &refused {
        Error::Unsupported {
            operation,
            route,
            needs,
            server,
        } => {
            assert_eq!(*operation, "get_maintenance_window_find");
            assert_eq!(route, "GET /api/maintenance_window/_find");
            assert_eq!(
                (needs.to_string(), server.to_string()),
                ("9.2.0".into(), "9.0.1".into())
            );
        }
        other => panic!("expected Unsupported, got {other:?}"),
    }
    let message = refused.to_string();
    assert!(
        message.contains("needs Kibana 9.2.0") && message.contains("9.0.1"),
        "{message}"
    );
    assert!(!refused.may_have_been_processed());
    assert_eq!(
        kibana.count("GET", FIND_WINDOWS),
        0,
        "nothing of the refused call was sent"
    );
    assert_eq!(kibana.count("GET", "/api/status"), 1, "the version was asked for once");

    // Added in 8.19.0, before 9.0.1: sent (the fake has no snooze schedules, so it answers 404).
    let sent = client
        .api()
        .delete_alerting_rule_rule_id_snooze_schedule_schedule_id("r1", "s1")
        .await;
    assert!(!matches!(sent, Err(Error::Unsupported { .. })), "{sent:?}");
    assert_eq!(kibana.count("DELETE", UNSNOOZE), 1);
    // No version in the document: never checked.
    client.api().get_spaces_space().await.unwrap();
    // Views share what the client learned: a space view asks nothing again.
    let again = client.space("default").api().get_maintenance_window_find().await;
    assert!(matches!(again, Err(Error::Unsupported { .. })));
    assert_eq!(kibana.count("GET", "/api/status"), 1, "the server's version is kept");
    assert_eq!(kibana.count("GET", FIND_WINDOWS), 0);
}

#[tokio::test]
async fn a_version_given_to_the_builder_needs_no_request_at_all() {
    let kibana = fake("9.3.0").await;
    let client = Kibana::builder()
        .url(kibana.url())
        .server_version("9.0.1")
        .build()
        .unwrap();
    let refused = client.api().get_maintenance_window_find().await;
    assert!(matches!(refused, Err(Error::Unsupported { .. })), "{refused:?}");
    assert_eq!(kibana.request_count(), 0, "nothing at all was sent");
}

#[tokio::test]
async fn a_server_of_the_pinned_version_is_sent_both() {
    let kibana = fake("9.3.0").await;
    let client = client(&kibana, VersionCheck::Refuse);
    client.api().get_maintenance_window_find().await.unwrap();
    let _ = client
        .api()
        .delete_alerting_rule_rule_id_snooze_schedule_schedule_id("r1", "s1")
        .await;
    assert_eq!(kibana.count("GET", FIND_WINDOWS), 1);
    assert_eq!(kibana.count("DELETE", UNSNOOZE), 1);
}

#[tokio::test]
async fn off_sends_everything_and_never_asks_the_version() {
    let kibana = fake("9.0.1").await;
    let client = client(&kibana, VersionCheck::Off);
    let _ = client.api().get_maintenance_window_find().await;
    assert_eq!(kibana.count("GET", FIND_WINDOWS), 1);
    assert_eq!(kibana.count("GET", "/api/status"), 0);
}

#[tokio::test]
async fn warn_logs_and_sends() {
    let kibana = fake("9.0.1").await;
    let client = client(&kibana, VersionCheck::Warn);
    let answer = client.api().get_maintenance_window_find().await;
    assert!(!matches!(answer, Err(Error::Unsupported { .. })), "{answer:?}");
    assert_eq!(kibana.count("GET", FIND_WINDOWS), 1);
}

#[tokio::test]
async fn concurrent_first_calls_ask_the_version_once() {
    let kibana = fake("9.0.1").await;
    let client = client(&kibana, VersionCheck::Refuse);
    let calls = (0..16).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.api().get_maintenance_window_find().await })
    });
    for call in futures::future::join_all(calls).await {
        assert!(matches!(call.unwrap(), Err(Error::Unsupported { .. })));
    }
    assert_eq!(kibana.count("GET", "/api/status"), 1);
    assert_eq!(kibana.count("GET", FIND_WINDOWS), 0);
}

#[tokio::test]
async fn a_server_that_does_not_tell_its_version_is_sent_the_call() {
    // A status without a version (as Kibana redacts it for anonymous requests): nothing to compare, so the call
    // goes out and Kibana answers it.
    let kibana = fake("not-a-version").await;
    let client = client(&kibana, VersionCheck::Refuse);
    client.api().get_maintenance_window_find().await.unwrap();
    assert_eq!(kibana.count("GET", FIND_WINDOWS), 1);
}

#[tokio::test]
async fn an_operation_added_in_9_1_is_refused_by_9_0() {
    // Maintenance windows came to the public API with Kibana 9.1: 9.0 is told so locally instead of a bare 404.
    let kibana = fake("9.0.1").await;
    let client = client(&kibana, VersionCheck::Refuse);
    let pulled = client.api().post_maintenance_window_id_archive("w1").await;
    assert!(
        matches!(&pulled, Err(Error::Unsupported { needs, .. }) if *needs == KibanaVersion::new(9, 1, 0)),
        "{pulled:?}"
    );
}
