//! Kibana as code (`kibana::config`) against the fake Kibana: plan / apply / plan-again-empty for every kind,
//! field-level diffs, convergence after a failed create, concurrent changes detected, secrets never shown,
//! pruning of owned objects only, bad input refused with no write, pull then plan empty, files.

use std::sync::{Arc, Mutex};

use kibana::{
    Kibana, Space,
    config::{
        Action, Address, ConnectorSpec, DataViewSpec, DeclaredState, Kind, MaintenanceWindowSpec, Outcome, Ownership,
        PlanError, PlanOptions, PullScope, RoleSpec, RuleSpec, Secrets, SecretsLedger, SecretsPolicy,
    },
    connectors::{
        ConnectorRef,
        types::{Index, IndexConfig, Webhook, WebhookConfig, WebhookParams, WebhookSecrets},
    },
    data_views::{RuntimeField, RuntimeFieldType},
    generated::types,
    rules::{
        NewRule, RuleAction, Schedule,
        types::{IndexThreshold, IndexThresholdParams, ThresholdComparator, TimeUnit},
    },
};
use kibana_fake::{FakeKibana, Fault};
use serde_json::{Value, json};

const SLACK_URL: &str = "https://hooks.slack.com/services/s3cr3t-slack-token";
const HOOK_PASSWORD: &str = "pw-s3cr3t-hook";

async fn setup() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder().url(kibana.url()).build().unwrap();
    (kibana, client)
}

/// Reads `${env:TEST_SLACK_URL}` without touching the process environment.
fn options() -> PlanOptions {
    PlanOptions::new().secret_lookup(|name| (name == "TEST_SLACK_URL").then(|| SLACK_URL.to_owned()))
}

fn role_body(spaces: &[&str]) -> types::PutSecurityRoleNameBody {
    serde_json::from_value(json!({
        "description": "Reads the ops logs",
        "elasticsearch": {"cluster": ["monitor"], "indices": [{"names": ["logs-*"], "privileges": ["read"]}]},
        "kibana": [{"base": ["read"], "spaces": spaces}]
    }))
    .unwrap()
}

fn window_body(title: &str) -> types::PostMaintenanceWindowBody {
    serde_json::from_value(json!({
        "title": title,
        "schedule": {"custom": {"start": "2025-06-01T22:00:00.000Z", "duration": "2h", "recurring": {"every": "1w", "onWeekDay": ["SU"]}}},
        "scope": {"alerting": {"query": {"kql": "host.name: *"}}}
    }))
    .unwrap()
}

fn threshold(value: f64) -> IndexThresholdParams {
    IndexThresholdParams::new(
        ["logs-*"],
        "@timestamp",
        ThresholdComparator::GreaterThan,
        [value],
        5,
        TimeUnit::Minutes,
    )
}

fn rule(space: &str, id: &str, connector: &str, value: f64) -> RuleSpec {
    let new = NewRule::new(
        format!("rule {id}"),
        "stackAlerts",
        Schedule::every("1m"),
        threshold(value),
    );
    RuleSpec::typed::<IndexThreshold>(space, id, &new)
        .unwrap()
        .action(
            RuleAction::connector(
                "threshold met",
                &ConnectorRef::<Webhook>::new(connector),
                &WebhookParams::new("{{context.message}}"),
            )
            .unwrap(),
        )
        .tags(["ops"])
}

fn webhook(space: &str, id: &str, url: &str) -> ConnectorSpec {
    ConnectorSpec::typed::<Webhook>(
        space,
        id,
        format!("hook {id}"),
        &WebhookConfig::new(url).with_header("x-team", "ops").with_basic_auth(),
        &WebhookSecrets::basic("bot", HOOK_PASSWORD),
    )
    .unwrap()
}

/// One resource of every kind (three connectors: typed with secrets, typed without, raw with an env secret).
fn full_state() -> DeclaredState {
    DeclaredState::new()
        .space(Space::new("ops", "Operations").with_color("#AABBCC"))
        .role(RoleSpec::new("ops-reader", &role_body(&["ops"])).unwrap())
        .connector(webhook("ops", "hook", "https://hooks.example.com/a"))
        .connector(
            ConnectorSpec::typed::<Index>(
                "ops",
                "history",
                "History",
                &IndexConfig::new("alerts-history"),
                &Default::default(),
            )
            .unwrap(),
        )
        .connector(
            ConnectorSpec::raw("ops", "slack", "Ops channel", ".slack", json!({}))
                .secrets(Secrets::new().env("webhookUrl", "TEST_SLACK_URL")),
        )
        .data_view(
            DataViewSpec::new("ops", "logs", "logs-*")
                .name("Logs")
                .time_field("@timestamp")
                .runtime_field("day", RuntimeField::new(RuntimeFieldType::Keyword).script("emit('x')")),
        )
        .default_data_view("ops", "logs")
        .maintenance_window(MaintenanceWindowSpec::new("ops", &window_body("Weekly patching")).unwrap())
        .rule(rule("ops", "too-many-logs", "hook", 1000.0))
}

async fn rules_in(client: &Kibana, space: &str) -> Vec<kibana::rules::Rule> {
    client
        .space(space)
        .rules()
        .find(&kibana::rules::FindRules::all().per_page(1000))
        .await
        .unwrap()
        .data
}

async fn windows_in(client: &Kibana, space: &str) -> Vec<Value> {
    let page = client
        .space(space)
        .api()
        .get_maintenance_window_find()
        .per_page(std::num::NonZeroU64::new(100).unwrap())
        .await
        .unwrap()
        .into_inner();
    serde_json::to_value(page).unwrap()["maintenanceWindows"]
        .as_array()
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn every_kind_plans_applies_and_plans_again_empty() {
    let (kibana, client) = setup().await;
    let state = full_state();
    let plan = client.plan_with(&state, &options()).await.unwrap();
    assert_eq!(plan.count(Action::Create), state.len(), "{plan}");
    let text = plan.to_string();
    for line in [
        "+ space ops",
        "+ role ops-reader",
        "+ connector ops/hook",
        "+ data_view ops/logs",
        "+ default_data_view ops",
        "+ maintenance_window ops/\"Weekly patching\"",
        "+ rule ops/too-many-logs",
        "Plan: 9 to create, 0 to update, 0 to delete; 0 unchanged.",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Dependency order: the space first, then what lives in it, then what refers to it.
    let order: Vec<Kind> = plan.changes().iter().map(|c| c.address.kind).collect();
    assert_eq!(order.first(), Some(&Kind::Space));
    assert!(order.iter().position(|k| *k == Kind::Rule) > order.iter().position(|k| *k == Kind::Connector));

    let report = client.apply(&plan).await;
    assert!(report.is_success(), "{report}");
    assert_eq!(report.resources().len(), 9);

    // Kibana filled in defaults (webhook method and nulls, a maintenance window's timezone, a role's
    // allow_restricted_indices, rule action uuids, the ownership marker): none of it is a change.
    let again = client.plan_with(&state, &options()).await.unwrap();
    assert!(again.is_empty(), "{again}");
    assert_eq!(again.unchanged(), 9);
    assert!(
        again
            .to_string()
            .ends_with("No changes: Kibana matches the declared state (9 resources).")
    );

    let mut ids = kibana.connector_ids("ops");
    ids.sort();
    assert_eq!(ids, ["history", "hook", "slack"]);
    assert_eq!(kibana.data_view_ids("ops"), ["logs"]);
    assert_eq!(
        client.space("ops").data_views().default_id().await.unwrap().as_deref(),
        Some("logs")
    );
    let rules = rules_in(&client, "ops").await;
    assert_eq!(rules.len(), 1);
    assert_eq!(
        rules[0].tags,
        ["ops", "managed-by:kibana-rs"],
        "the ownership tag is added"
    );
    assert_eq!(windows_in(&client, "ops").await.len(), 1);
    let role = client
        .api()
        .get_security_role_name(&"ops-reader".try_into().unwrap())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(role["metadata"]["managed-by"], "kibana-rs");
    let sent_slack = kibana
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/s/ops/api/actions/connector/slack")
        .unwrap();
    assert_eq!(
        sent_slack.json().unwrap()["secrets"]["webhookUrl"],
        SLACK_URL,
        "the env reference was read"
    );
}

#[tokio::test]
async fn changes_are_planned_field_by_field_and_serialise_for_ci() {
    let (_kibana, client) = setup().await;
    let state = full_state();
    assert!(
        client
            .apply(&client.plan_with(&state, &options()).await.unwrap())
            .await
            .is_success()
    );

    let mut changed = full_state();
    changed.connectors[0] = webhook("ops", "hook", "https://hooks.example.com/b");
    changed.rules[0] = rule("ops", "too-many-logs", "hook", 2000.0).disabled();
    changed.data_views[0].runtime_field_map.clear();
    changed.maintenance_windows[0]
        .body
        .insert("enabled".into(), json!(false));
    let plan = client.plan_with(&changed, &options()).await.unwrap();
    let text = plan.to_string();
    for line in [
        "~ connector ops/hook",
        r#"~ config.url: "https://hooks.example.com/a" -> "https://hooks.example.com/b""#,
        "secrets: (sensitive, 2 fields) will be sent: the connector is updated",
        "~ rule ops/too-many-logs",
        "~ params.threshold[0]: 1000.0 -> 2000.0",
        "~ enabled: true -> false",
        "- runtimeFieldMap.day:",
        "~ enabled: true -> false",
        "Plan: 0 to create, 4 to update, 0 to delete; 5 unchanged.",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let json: Value = serde_json::to_value(&plan).unwrap();
    let hook = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"]["key"] == "hook")
        .unwrap();
    assert_eq!(hook["action"], "update");
    assert_eq!(hook["fields"][0]["path"], "config.url");
    assert_eq!(hook["fields"][0]["new"], "https://hooks.example.com/b");
    assert_eq!(hook["secrets"]["sent"], true);
    assert!(hook["version"].is_string());

    let report = client.apply(&plan).await;
    assert!(report.is_success(), "{report}");
    assert!(client.plan_with(&changed, &options()).await.unwrap().is_empty());
    assert!(!rules_in(&client, "ops").await[0].enabled);
}

#[tokio::test]
async fn a_failed_create_converges_on_the_next_apply_with_one_of_each() {
    let (kibana, client) = setup().await;
    let state = full_state();
    // The connector and the maintenance window are created, but their answers are lost: the SDK does not send a
    // create twice, so they fail; Kibana has them anyway. The data view's create fails outright.
    kibana.inject(
        Fault::drop_after_body()
            .on("POST", "/s/ops/api/actions/connector/hook")
            .times(1),
    );
    kibana.inject(
        Fault::drop_after_body()
            .on("POST", "/s/ops/api/maintenance_window")
            .times(1),
    );
    kibana.inject(
        Fault::status(500)
            .on("POST", "/s/ops/api/data_views/data_view")
            .times(1),
    );
    let report = client.apply(&client.plan_with(&state, &options()).await.unwrap()).await;
    assert!(!report.is_success());
    let outcome = |kind, key: &str| &report.get(&Address::new(kind, Some("ops"), key)).unwrap().outcome;
    assert!(
        matches!(outcome(Kind::Connector, "hook"), Outcome::Failed { .. }),
        "{report}"
    );
    assert!(matches!(
        outcome(Kind::MaintenanceWindow, "Weekly patching"),
        Outcome::Failed { .. }
    ));
    assert!(matches!(outcome(Kind::DataView, "logs"), Outcome::Failed { .. }));
    match outcome(Kind::Rule, "too-many-logs") {
        Outcome::Skipped { dependency } => assert_eq!(dependency, &Address::new(Kind::Connector, Some("ops"), "hook")),
        other => panic!("the rule should wait for its connector: {other}"),
    }
    assert!(matches!(outcome(Kind::DefaultDataView, "ops"), Outcome::Skipped { .. }));
    assert!(outcome(Kind::Connector, "history").is_done(), "{report}");

    let second = client.plan_with(&state, &options()).await.unwrap();
    assert!(!second.is_empty());
    let report = client.apply(&second).await;
    assert!(report.is_success(), "{second}\n{report}");
    assert!(client.plan_with(&state, &options()).await.unwrap().is_empty());

    let mut ids = kibana.connector_ids("ops");
    ids.sort();
    assert_eq!(ids, ["history", "hook", "slack"]);
    assert_eq!(kibana.data_view_ids("ops"), ["logs"]);
    assert_eq!(rules_in(&client, "ops").await.len(), 1);
    assert_eq!(
        windows_in(&client, "ops").await.len(),
        1,
        "the title found the window created the first time"
    );
}

#[tokio::test]
async fn a_create_that_meets_a_conflict_continues_as_an_update() {
    let (kibana, client) = setup().await;
    let state = DeclaredState::new().connector(webhook("default", "hook", "https://hooks.example.com/a"));
    let plan = client.plan(&state).await.unwrap();
    assert_eq!(plan.count(Action::Create), 1);
    // Someone creates it between the plan and the apply.
    client
        .connectors()
        .create_raw(
            Some("hook"),
            "theirs",
            ".webhook",
            &json!({"url": "https://elsewhere"}),
            &json!({}),
        )
        .await
        .unwrap();
    let report = client.apply(&plan).await;
    let line = &report.resources()[0];
    assert!(line.outcome.is_done(), "{report}");
    assert!(
        line.outcome.to_string().contains("it existed already: updated"),
        "{report}"
    );
    assert_eq!(kibana.connector_ids("default"), ["hook"]);
    let connector = client.connectors().get("hook").await.unwrap();
    assert_eq!(connector.config["url"], "https://hooks.example.com/a");
    assert!(client.plan(&state).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_change_made_in_kibana_between_plan_and_apply_is_reported_not_overwritten() {
    let (_kibana, client) = setup().await;
    let state = full_state();
    assert!(
        client
            .apply(&client.plan_with(&state, &options()).await.unwrap())
            .await
            .is_success()
    );

    let mut changed = full_state();
    changed.connectors[1].name = "History (renamed)".into();
    changed.rules[0] = rule("ops", "too-many-logs", "hook", 2000.0);
    changed.data_views[0] = changed.data_views[0].clone().name("Logs (renamed)");
    changed.maintenance_windows[0]
        .body
        .insert("enabled".into(), json!(false));
    let plan = client.plan_with(&changed, &options()).await.unwrap();
    assert_eq!(plan.count(Action::Update), 4, "{plan}");

    // Someone else changes the same objects in Kibana.
    let ops = client.space("ops");
    ops.connectors()
        .update_raw("history", "their name", &json!({"index": "theirs"}), &json!({}))
        .await
        .unwrap();
    let mut theirs = NewRule::new(
        "their rule",
        "stackAlerts",
        Schedule::every("5m"),
        serde_json::to_value(threshold(1.0)).unwrap(),
    );
    theirs.tags = vec!["theirs".into()];
    ops.rules().update("too-many-logs", &theirs).await.unwrap();
    ops.data_views()
        .update("logs", &kibana::data_views::DataViewUpdate::new().name("their logs"))
        .await
        .unwrap();
    let window = &windows_in(&client, "ops").await[0];
    let patch: types::PatchMaintenanceWindowIdBody =
        serde_json::from_value(json!({"title": "Weekly patching", "enabled": true})).unwrap();
    ops.api()
        .patch_maintenance_window_id(window["id"].as_str().unwrap(), &patch)
        .await
        .unwrap();

    let report = client.apply(&plan).await;
    for r in report.resources() {
        assert!(matches!(r.outcome, Outcome::ChangedSincePlan { .. }), "{report}");
        assert!(r.outcome.to_string().contains("changed in Kibana since the plan"));
    }
    assert_eq!(
        ops.connectors().get("history").await.unwrap().name,
        "their name",
        "not overwritten"
    );
    assert_eq!(ops.rules().get("too-many-logs").await.unwrap().name, "their rule");
    assert_eq!(
        ops.data_views().get("logs").await.unwrap().name.as_deref(),
        Some("their logs")
    );

    // A new plan shows their changes; applying it wins back the declared state.
    let replan = client.plan_with(&changed, &options()).await.unwrap();
    assert!(
        replan
            .to_string()
            .contains(r#"~ name: "their name" -> "History (renamed)""#),
        "{replan}"
    );
    assert!(client.apply(&replan).await.is_success());
    assert!(client.plan_with(&changed, &options()).await.unwrap().is_empty());
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

/// Every log line of this test binary, at TRACE: one global subscriber (a per-thread one misses events when
/// tests run in parallel), so the secrets check covers every test's logs.
fn captured_logs() -> &'static Captured {
    static LOGS: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        captured
    })
}

#[tokio::test]
async fn secrets_appear_in_no_plan_report_debug_or_log_line() {
    let captured = captured_logs();
    let (kibana, client) = setup().await;
    let state = full_state();
    let mut shown = vec![format!("{state:?}")];
    let plan = client.plan_with(&state, &options()).await.unwrap();
    shown.extend([
        plan.to_string(),
        format!("{plan:?}"),
        serde_json::to_string(&plan).unwrap(),
    ]);
    let report = client.apply(&plan).await;
    shown.extend([
        report.to_string(),
        format!("{report:?}"),
        serde_json::to_string(&report).unwrap(),
    ]);
    let always = options().secrets_policy(SecretsPolicy::Always);
    let resend = client.plan_with(&state, &always).await.unwrap();
    shown.extend([
        resend.to_string(),
        format!("{resend:?}"),
        serde_json::to_string(&resend).unwrap(),
    ]);
    let report = client.apply(&resend).await;
    shown.extend([
        report.to_string(),
        format!("{report:?}"),
        serde_json::to_string(&report).unwrap(),
    ]);
    shown.push(String::from_utf8(captured.0.lock().unwrap().clone()).unwrap());
    assert!(
        shown.last().unwrap().contains("kibana::config"),
        "apply logs per resource: {}",
        shown.last().unwrap()
    );
    for text in &shown {
        for secret in [SLACK_URL, HOOK_PASSWORD, "s3cr3t"] {
            assert!(!text.contains(secret), "a secret leaked: {text}");
        }
    }
    // Sent, though: with `always`, every connector with secrets is updated again.
    assert!(
        resend
            .to_string()
            .contains("secrets: (sensitive, 1 field) will be sent: secrets policy `always`"),
        "{resend}"
    );
    assert_eq!(resend.count(Action::Update), 2, "{resend}");
    let puts = kibana
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path == "/s/ops/api/actions/connector/slack")
        .count();
    assert_eq!(puts, 1);
    // Literal secrets are never written to a file.
    assert!(state.to_toml().unwrap_err().to_string().contains("literal value"));
}

#[tokio::test]
async fn secrets_are_sent_again_when_their_fingerprint_changes() {
    let (kibana, client) = setup().await;
    let connector = |fingerprint: &str| {
        ConnectorSpec::raw("default", "slack", "Ops channel", ".slack", json!({}))
            .secrets(Secrets::new().env("webhookUrl", "TEST_SLACK_URL"))
            .secrets_policy(SecretsPolicy::WhenFingerprintChanges)
            .secrets_fingerprint(fingerprint)
    };
    let state = DeclaredState::new().connector(connector("v1"));
    let report = client.apply(&client.plan_with(&state, &options()).await.unwrap()).await;
    assert!(report.is_success());
    let ledger: SecretsLedger = report.secrets_ledger().clone();
    assert_eq!(ledger.fingerprint("connector default/slack"), Some("v1"));

    let with_ledger = options().secrets_ledger(ledger.clone());
    assert!(client.plan_with(&state, &with_ledger).await.unwrap().is_empty());
    let without = client.plan_with(&state, &options()).await.unwrap();
    assert!(
        without
            .to_string()
            .contains("no fingerprint of the secrets last sent is recorded"),
        "{without}"
    );

    let rotated = DeclaredState::new().connector(connector("v2"));
    let plan = client.plan_with(&rotated, &with_ledger).await.unwrap();
    assert!(
        plan.to_string().contains("the secrets fingerprint changed (v1 -> v2)"),
        "{plan}"
    );
    kibana.clear_log();
    let report = client.apply(&plan).await;
    assert_eq!(
        report.secrets_ledger().fingerprint("connector default/slack"),
        Some("v2")
    );
    assert_eq!(kibana.count("PUT", "/api/actions/connector/slack"), 1);
    let ledger_file = std::env::temp_dir().join(format!("kibana-rs-ledger-{}.json", std::process::id()));
    report.secrets_ledger().save(&ledger_file).unwrap();
    assert_eq!(&SecretsLedger::load(&ledger_file).unwrap(), report.secrets_ledger());
    std::fs::remove_file(ledger_file).unwrap();
}

#[tokio::test]
async fn pruning_deletes_only_owned_objects_in_the_declared_spaces_and_kinds() {
    let (kibana, client) = setup().await;
    let ownership = Ownership::default().key_prefix("iac-");
    let pruning = PlanOptions::new().prune(true).ownership(ownership.clone());
    let state = DeclaredState::new()
        .space(Space::new("ops", "Operations"))
        .space(Space::new("other", "Other"))
        .connector(webhook("ops", "iac-keep", "https://a"))
        .connector(webhook("ops", "iac-gone", "https://b"))
        .rule(rule("ops", "keep", "iac-keep", 1.0))
        .rule(rule("ops", "gone", "iac-gone", 1.0))
        .role(RoleSpec::new("iac-gone", &role_body(&["ops"])).unwrap());
    assert!(
        client
            .apply(&client.plan_with(&state, &pruning).await.unwrap())
            .await
            .is_success()
    );
    // Made by hand (not owned): a connector, a rule, a role; and an owned rule in a space the state will not
    // declare.
    let ops = client.space("ops");
    ops.connectors()
        .create_raw(
            Some("by-hand"),
            "by hand",
            ".webhook",
            &json!({"url": "https://c"}),
            &json!({}),
        )
        .await
        .unwrap();
    ops.rules()
        .create_raw(
            Some("by-hand"),
            &json!({"name": "by hand", "rule_type_id": ".index-threshold", "consumer": "stackAlerts",
                    "schedule": {"interval": "1m"}, "params": {}, "tags": ["ops"]}),
        )
        .await
        .unwrap();
    client
        .api()
        .put_security_role_name(&"by-hand".try_into().unwrap(), &role_body(&["*"]))
        .await
        .unwrap();
    client
        .space("other")
        .rules()
        .create_raw(
            Some("elsewhere"),
            &json!({"name": "elsewhere", "rule_type_id": ".index-threshold", "consumer": "stackAlerts",
                    "schedule": {"interval": "1m"}, "params": {}, "tags": ["managed-by:kibana-rs"]}),
        )
        .await
        .unwrap();

    let smaller = DeclaredState::new()
        .space(Space::new("ops", "Operations"))
        .connector(webhook("ops", "iac-keep", "https://a"))
        .rule(rule("ops", "keep", "iac-keep", 1.0))
        .manage(Kind::Role);
    let without_prune = client
        .plan_with(&smaller, &PlanOptions::new().ownership(ownership.clone()))
        .await
        .unwrap();
    assert!(
        without_prune.is_empty(),
        "nothing is deleted unless asked: {without_prune}"
    );

    kibana.clear_log();
    let plan = client.plan_with(&smaller, &pruning).await.unwrap();
    let deletes: Vec<String> = plan
        .changes()
        .iter()
        .filter(|c| c.action == Action::Delete)
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(
        deletes,
        ["rule ops/gone", "role iac-gone", "connector ops/iac-gone"],
        "{plan}"
    );
    assert_eq!(plan.count(Action::Delete), plan.changes().len());
    assert_eq!(plan.left_alone(), 3, "the hand-made connector, rule and role: {plan}");
    assert_eq!(kibana.write_count(), 0);
    let report = client.apply(&plan).await;
    assert!(report.is_success(), "{report}");

    let mut ids = kibana.connector_ids("ops");
    ids.sort();
    assert_eq!(ids, ["by-hand", "iac-keep"]);
    let mut rules: Vec<String> = rules_in(&client, "ops").await.into_iter().map(|r| r.id).collect();
    rules.sort();
    assert_eq!(rules, ["by-hand", "keep"]);
    assert_eq!(rules_in(&client, "other").await.len(), 1, "outside the declared spaces");
    let roles = client.api().get_security_role().await.unwrap().into_inner();
    let mut names: Vec<&str> = roles
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["by-hand", "superuser", "viewer"],
        "reserved and hand-made roles stay"
    );
    assert!(client.plan_with(&smaller, &pruning).await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_with_every_problem_and_nothing_written() {
    let (kibana, client) = setup().await;
    let state = DeclaredState::new()
        .space(Space::new("ops", "Operations"))
        .connector(webhook("ops", "hook", "https://a"))
        .connector(webhook("ops", "hook", "https://b"))
        .connector(ConnectorSpec::raw(
            "ops",
            "typo",
            "typo",
            ".webhook",
            json!({"url": "https://a", "metod": "put"}),
        ))
        .connector(ConnectorSpec::raw(
            "ops",
            "wrong",
            "wrong",
            ".webhook",
            json!({"url": "https://a", "method": "get"}),
        ))
        .connector(webhook("nowhere", "lost", "https://c"))
        .rule(rule("ops", "dangling", "not-declared", 1.0))
        .maintenance_window(MaintenanceWindowSpec::new("ops", &window_body("bad")).unwrap())
        .role(RoleSpec::new("r", &role_body(&["ghost-space"])).unwrap());
    let mut state = state;
    state.maintenance_windows[0].body.insert("colour".into(), json!("red"));
    state.rules.push(RuleSpec::raw(
        "ops",
        "bad-schedule",
        "x",
        "custom.rule",
        "stackAlerts",
        Schedule::every("often"),
        json!({}),
    ));

    let error = client.plan(&state).await.unwrap_err();
    let PlanError::Invalid(problems) = &error else {
        panic!("{error}")
    };
    let text = error.to_string();
    for expected in [
        "connector ops/hook: declared 2 times",
        "connector ops/typo: the .webhook config does not validate: unknown field(s) `metod`",
        "connector ops/wrong: the .webhook config does not validate: unknown variant `get`",
        "connector nowhere/lost: space \"nowhere\" is neither declared nor in Kibana",
        "rule ops/dangling: action 0 runs connector \"not-declared\", which is neither declared in space \"ops\" nor in Kibana",
        "maintenance_window ops/bad: not a valid maintenance window body: unknown field(s) `colour`",
        "role r: grants space \"ghost-space\", which is neither declared nor in Kibana",
        "rule ops/bad-schedule: schedule interval \"often\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert_eq!(problems.len(), 8, "{text}");
    assert_eq!(kibana.write_count(), 0, "nothing is written");
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kibana-rs-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn pull_then_plan_is_empty_through_every_file_format() {
    let (_kibana, client) = setup().await;
    assert!(
        client
            .apply(&client.plan_with(&full_state(), &options()).await.unwrap())
            .await
            .is_success()
    );
    // And objects made by hand, without the ownership marker.
    client
        .space("ops")
        .rules()
        .create_raw(
            Some("by-hand"),
            &json!({"name": "by hand", "rule_type_id": "monitoring_alert_cluster_health", "consumer": "monitoring",
                    "schedule": {"interval": "1m"}, "params": {"duration": "1h"}, "tags": ["mine"],
                    "actions": [{"group": "threshold met", "id": "history", "params": {"documents": [{"a": 1}]}}]}),
        )
        .await
        .unwrap();

    let pulled = client.pull(&PullScope::all()).await.unwrap();
    assert_eq!(pulled.rules.len(), 2);
    assert!(
        pulled
            .rules
            .iter()
            .all(|r| !r.tags.iter().any(|t| t.starts_with("managed-by:")))
    );
    assert_eq!(
        pulled.roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["ops-reader"],
        "no reserved roles"
    );
    assert!(
        pulled.connectors.iter().all(|c| c.secrets.is_none()),
        "Kibana never returns secrets"
    );
    assert_eq!(pulled.spaces.len(), 2);
    let replan = client.plan(&pulled).await.unwrap();
    assert!(replan.is_empty(), "{replan}");

    let dir = temp_dir("pull");
    for file in ["kibana.toml", "kibana.yaml", "kibana.json"] {
        let path = dir.join(file);
        pulled.write_to(&path).unwrap();
        let read = DeclaredState::from_path(&path).unwrap();
        assert_eq!(read.len(), pulled.len(), "{file}");
        let plan = client.plan(&read).await.unwrap();
        assert!(plan.is_empty(), "{file}: {plan}");
    }
    std::fs::remove_dir_all(dir).unwrap();

    let scoped = client
        .pull(&PullScope::all().spaces(["ops"]).kinds([Kind::Connector]))
        .await
        .unwrap();
    assert_eq!((scoped.connectors.len(), scoped.len()), (3, 3));
}

#[tokio::test]
async fn a_plan_reads_one_list_per_kind_and_space() {
    let (kibana, client) = setup().await;
    let mut state = DeclaredState::new();
    for s in 0..5 {
        let space = format!("s{s}");
        state = state.space(Space::new(&space, format!("Space {s}")));
        for c in 0..4 {
            state = state.connector(webhook(&space, &format!("c{c}"), "https://a"));
            state = state.rule(rule(&space, &format!("r{c}"), &format!("c{c}"), 1.0));
        }
        state = state.data_view(DataViewSpec::new(&space, "logs", "logs-*"));
    }
    assert!(client.apply(&client.plan(&state).await.unwrap()).await.is_success());
    kibana.clear_log();
    let plan = client.plan(&state).await.unwrap();
    assert!(plan.is_empty(), "{plan}");
    let requests = kibana.requests();
    // The spaces list, then per space: connectors, rules, data views.
    assert_eq!(
        requests.len(),
        1 + 5 * 3,
        "{:?}",
        requests.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    assert_eq!(plan.reads(), requests.len());
    assert!(requests.iter().all(|r| r.method == "GET"));
}

#[test]
fn state_files_round_trip_in_every_format() {
    let text = r#"
[[spaces]]
id = "ops"
name = "Operations"

[[connectors]]
space = "ops"
id = "hook"
name = "Deploy hook"
connector_type_id = ".webhook"
config = { url = "https://hooks.example.com", method = "put" }
secrets = { user = "bot", password = "${env:HOOK_PASSWORD}" }

[[rules]]
space = "ops"
id = "cpu"
name = "CPU"
rule_type_id = ".index-threshold"
consumer = "stackAlerts"
schedule = { interval = "1m" }
params = { index = ["metrics-*"], timeField = "@timestamp", aggType = "count", groupBy = "all", thresholdComparator = ">", threshold = [1], timeWindowSize = 5, timeWindowUnit = "m" }
actions = [{ group = "threshold met", id = "hook", params = { body = "{{context.message}}" } }]

[[default_data_views]]
space = "ops"
data_view = "logs"

[[data_views]]
space = "ops"
id = "logs"
title = "logs-*"
timeFieldName = "@timestamp"
"#;
    let state = DeclaredState::from_toml(text).unwrap();
    assert_eq!(state.len(), 5);
    assert_eq!(
        format!("{:?}", state.connectors[0].secrets),
        r#"Some(Secrets { fields: ["password", "user"] })"#
    );
    let toml = state.to_toml();
    assert!(toml.is_err(), "`user` is a literal: {toml:?}");
    let mut referenced = state.clone();
    referenced.connectors[0].secrets = Some(Secrets::new().env("password", "HOOK_PASSWORD"));
    for rendered in [
        DeclaredState::from_toml(&referenced.to_toml().unwrap()).unwrap(),
        DeclaredState::from_yaml(&referenced.to_yaml().unwrap()).unwrap(),
        DeclaredState::from_json(&referenced.to_json().unwrap()).unwrap(),
    ] {
        assert_eq!(rendered.len(), 5);
        assert_eq!(rendered.connectors[0].config["method"], "put");
        assert_eq!(rendered.rules[0].actions[0].id, "hook");
        assert_eq!(rendered.data_views[0].time_field_name.as_deref(), Some("@timestamp"));
    }
    assert!(DeclaredState::from_toml("[[spaces]]\nid = \"x\"\nname = \"X\"\nunknown = 1\n").is_err());
}

#[tokio::test]
async fn adopting_marks_what_kibana_has_so_that_it_can_be_pruned_later() {
    let (kibana, client) = setup().await;
    let ops = client.space("default");
    ops.rules()
        .create_raw(
            Some("theirs"),
            &json!({"name": "theirs", "rule_type_id": "monitoring_alert_cluster_health", "consumer": "monitoring",
                    "schedule": {"interval": "1m"}, "params": {"duration": "1h"}}),
        )
        .await
        .unwrap();
    let pulled = client.pull(&PullScope::all().kinds([Kind::Rule])).await.unwrap();
    assert!(
        client.plan(&pulled).await.unwrap().is_empty(),
        "adopting is pull, then an empty plan"
    );

    let plan = client
        .plan_with(&pulled, &PlanOptions::new().adopt(true))
        .await
        .unwrap();
    assert!(plan.to_string().contains(r#"+ tags: "managed-by:kibana-rs""#), "{plan}");
    assert!(client.apply(&plan).await.is_success());
    assert_eq!(rules_in(&client, "default").await[0].tags, ["managed-by:kibana-rs"]);

    let nothing = DeclaredState::new()
        .manage(Kind::Rule)
        .default_data_view("default", "x");
    let error = client
        .plan_with(&nothing, &PlanOptions::new().prune(true))
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("data view \"x\" is neither declared"),
        "{error}"
    );
    kibana.clear_log();
    let prune = client
        .plan_with(
            &DeclaredState::new()
                .manage(Kind::Rule)
                .connector(webhook("default", "c", "https://a")),
            &PlanOptions::new().prune(true),
        )
        .await
        .unwrap();
    let deletes: Vec<String> = prune
        .changes()
        .iter()
        .filter(|c| c.action == Action::Delete)
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(deletes, ["rule default/theirs"], "{prune}");
    assert!(
        prune.notes().iter().any(|n| n.contains("connectors are not pruned")),
        "{prune}"
    );
    assert_eq!(kibana.write_count(), 0);
}

#[tokio::test]
async fn an_ownership_prefix_that_a_kibana_id_could_start_with_is_refused() {
    let (kibana, client) = setup().await;
    let options = PlanOptions::new().ownership(Ownership::default().key_prefix("abc-"));
    let error = client.plan_with(&DeclaredState::new(), &options).await.unwrap_err();
    assert!(error.to_string().contains("could begin an id Kibana chose"), "{error}");
    assert_eq!(kibana.write_count(), 0);
}
