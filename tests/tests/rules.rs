//! Alerting rules against the fake: every operation, typed rule types, typed actions, spaces, paging.

use futures::TryStreamExt;
use kibana::{
    Error, Kibana, Space,
    connectors::types::{LogLevel, ServerLog, ServerLogParams},
    rules::{
        ActionFrequency, AlertsFilter, AlertsQuery, FindRules, NewRule, NotifyWhen, RuleAction, Schedule,
        types::{
            EsQuery, EsQueryCommon, EsQueryParams, EsqlQuery, IndexThreshold, IndexThresholdParams,
            SearchConfiguration, SearchQuery, ThresholdComparator, TimeUnit,
        },
    },
};
use kibana_fake::FakeKibana;

mod common;
use serde_json::json;

async fn setup() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder().url(kibana.url()).build().unwrap();
    (kibana, client)
}

fn threshold() -> IndexThresholdParams {
    IndexThresholdParams::new(
        ["logs-*"],
        "@timestamp",
        ThresholdComparator::Between,
        [10.0, 100.0],
        5,
        TimeUnit::Minutes,
    )
}

fn common() -> EsQueryCommon {
    EsQueryCommon {
        size: 100,
        threshold: vec![0.0],
        threshold_comparator: ThresholdComparator::GreaterThan,
        time_window_size: 1,
        time_window_unit: TimeUnit::Hours,
        time_field: Some("@timestamp".into()),
        exclude_hits_from_previous_run: Some(true),
        agg_type: None,
        group_by: None,
    }
}

#[tokio::test]
async fn typed_rule_types_round_trip() {
    let (kibana, client) = setup().await;
    let rules = client.rules();
    let created = rules
        .create::<IndexThreshold>(&NewRule::new(
            "too many logs",
            "stackAlerts",
            Schedule::every("1m"),
            threshold(),
        ))
        .await
        .unwrap();
    assert_eq!(created.params.threshold_comparator, ThresholdComparator::Between);
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(sent["rule_type_id"], ".index-threshold");
    assert_eq!(sent["params"]["thresholdComparator"], "between");
    assert_eq!(
        kibana.requests().last().unwrap().path,
        format!("/api/alerting/rule/{}", created.id),
        "default space: no prefix; a create without an id sends a new random one"
    );

    let flavours = [
        EsQueryParams::Esql {
            esql_query: EsqlQuery {
                esql: "FROM logs-* | WHERE level == \"error\"".into(),
            },
            common: EsQueryCommon { size: 0, ..common() },
        },
        EsQueryParams::SearchSource {
            search_configuration: SearchConfiguration {
                query: SearchQuery {
                    query: "level: error".into(),
                    language: "kuery".into(),
                },
                index: "logs-data-view".into(),
                filter: vec![],
            },
            common: common(),
        },
        EsQueryParams::QueryDsl {
            es_query: r#"{"query":{"match_all":{}}}"#.into(),
            index: vec!["logs-*".into()],
            common: common(),
        },
    ];
    for params in flavours {
        let rule = rules
            .create::<EsQuery>(&NewRule::new(
                "es query",
                "stackAlerts",
                Schedule::every("5m"),
                params.clone(),
            ))
            .await
            .unwrap();
        assert_eq!(rule.params, params);
        assert_eq!(rules.get_typed::<EsQuery>(&rule.id).await.unwrap().params, params);
    }
    let error = rules.get_typed::<EsQuery>(&created.id).await.unwrap_err();
    assert!(
        error.to_string().contains("is a .index-threshold rule, not .es-query"),
        "{error}"
    );
}

#[tokio::test]
async fn lifecycle_operations() {
    let (kibana, client) = setup().await;
    let rules = client.rules();
    let rule = rules
        .create_with_id::<IndexThreshold>(
            "r1",
            &NewRule::new("r", "stackAlerts", Schedule::every("1m"), threshold()),
        )
        .await
        .unwrap();
    assert_eq!(rule.id, "r1");
    let error = rules
        .create_with_id::<IndexThreshold>(
            "r1",
            &NewRule::new("r", "stackAlerts", Schedule::every("1m"), threshold()),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");

    rules.disable("r1").await.unwrap();
    assert!(!rules.get("r1").await.unwrap().enabled);
    rules.enable("r1").await.unwrap();
    assert!(rules.get("r1").await.unwrap().enabled);
    rules.mute_all("r1").await.unwrap();
    assert!(rules.get("r1").await.unwrap().mute_all);
    rules.unmute_all("r1").await.unwrap();
    rules.mute_alert("r1", "host-a").await.unwrap();
    assert_eq!(rules.get("r1").await.unwrap().muted_alert_ids, ["host-a"]);
    rules.unmute_alert("r1", "host-a").await.unwrap();
    assert!(rules.get("r1").await.unwrap().muted_alert_ids.is_empty());
    rules.update_api_key("r1").await.unwrap();

    let mut changed = NewRule::new("renamed", "stackAlerts", Schedule::every("10m"), threshold()).with_tags(["prod"]);
    changed.params.threshold = vec![1.0, 2.0];
    let updated = rules.update("r1", &changed).await.unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.schedule.interval.as_str()),
        ("renamed", "10m")
    );
    assert_eq!(updated.params["threshold"], json!([1.0, 2.0]));

    assert!(!rules.health().await.unwrap()["alerting_framework_health"].is_null());
    let types = rules.rule_types().await.unwrap();
    assert!(types.iter().any(|t| t.id == ".es-query"));

    rules.delete("r1").await.unwrap();
    assert!(matches!(rules.get("r1").await, Err(Error::NotFound(_))));
    assert!(matches!(rules.enable("r1").await, Err(Error::NotFound(_))));
    assert_eq!(kibana.count("POST", "/api/alerting/rule/r1/_enable"), 2);
}

#[tokio::test]
async fn a_rule_with_a_typed_server_log_action_lives_in_its_space_only() {
    let (_kibana, client) = setup().await;
    client.spaces().create(&Space::new("ops", "Ops")).await.unwrap();
    let ops = client.space("ops");
    let log = ops
        .connectors()
        .create::<ServerLog>("log", &Default::default(), &Default::default())
        .await
        .unwrap();
    let action = RuleAction::connector(
        "threshold met",
        &log.handle(),
        &ServerLogParams::new("{{context.message}}").with_level(LogLevel::Warn),
    )
    .unwrap()
    .with_frequency(ActionFrequency {
        summary: false,
        notify_when: NotifyWhen::OnActionGroupChange,
        throttle: None,
    })
    .with_alerts_filter(AlertsFilter {
        query: Some(AlertsQuery {
            kql: "host.name: db-*".into(),
            filters: vec![],
        }),
        timeframe: None,
    });
    let rule = ops
        .rules()
        .create::<IndexThreshold>(
            &NewRule::new("db logs", "stackAlerts", Schedule::every("1m"), threshold()).with_action(action),
        )
        .await
        .unwrap();
    assert_eq!(rule.actions[0].params["level"], "warn");
    assert_eq!(rule.actions[0].connector_type_id.as_deref(), Some(".server-log"));
    assert_eq!(
        rule.actions[0].frequency.as_ref().unwrap().notify_when,
        NotifyWhen::OnActionGroupChange
    );

    assert_eq!(ops.rules().find(&FindRules::all()).await.unwrap().total, 1);
    assert_eq!(
        client.rules().find(&FindRules::all()).await.unwrap().total,
        0,
        "not in the default space"
    );
    assert!(matches!(client.rules().get(&rule.id).await, Err(Error::NotFound(_))));
    assert_eq!(ops.connectors().get(&log.id).await.unwrap().referenced_by_count, None);
    let listed = ops.connectors().list().await.unwrap();
    assert_eq!(
        listed[0].referenced_by_count,
        Some(1),
        "the rule references the connector"
    );
}

#[tokio::test]
async fn find_pages_and_searches_names_and_tags() {
    let (kibana, client) = setup().await;
    let rules = client.rules();
    for i in 0..25 {
        let tag = if i % 5 == 0 { "prod" } else { "dev" };
        rules
            .create::<IndexThreshold>(
                &NewRule::new(
                    format!("rule {i:02}"),
                    "stackAlerts",
                    Schedule::every("1m"),
                    threshold(),
                )
                .with_tags([tag]),
            )
            .await
            .unwrap();
    }
    let page = rules
        .find(&FindRules::all().per_page(10).page(3).sort_by("name", true))
        .await
        .unwrap();
    assert_eq!((page.total, page.data.len(), page.page), (25, 5, 3));
    assert_eq!(page.data[0].name, "rule 20");
    let prod = rules
        .find(&FindRules::all().search("prod").search_fields(["tags"]))
        .await
        .unwrap();
    assert_eq!(prod.total, 5);
    let named = rules
        .find(&FindRules::all().search("rule 1*").search_fields(["name"]))
        .await
        .unwrap();
    assert_eq!(named.total, 10);

    kibana.clear_log();
    let all: Vec<_> = rules
        .find_all(FindRules::all().per_page(10))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    assert_eq!(kibana.count("GET", "/api/alerting/rules/_find"), 3);
}

#[tokio::test]
async fn raw_rules_for_other_types() {
    let (_kibana, client) = setup().await;
    let body = json!({
        "name": "cluster health", "rule_type_id": "monitoring_alert_cluster_health", "consumer": "monitoring",
        "schedule": {"interval": "1m"}, "params": {}
    });
    let rule = client.rules().create_raw(None, &body).await.unwrap();
    assert_eq!(rule.rule_type_id, "monitoring_alert_cluster_health");
    let bad = json!({"name": "x", "rule_type_id": ".nope", "consumer": "alerts", "schedule": {"interval": "1m"}, "params": {}});
    assert!(matches!(
        client.rules().create_raw(None, &bad).await,
        Err(Error::BadRequest(_))
    ));
}

/// A sample of every typed observability rule type round-trips through the fake.
#[tokio::test]
async fn every_typed_rule_type_round_trips_through_the_fake() {
    struct RoundTrip(kibana::rules::Rules);

    impl common::RuleSampleVisitor for RoundTrip {
        async fn visit<R: kibana::rules::RuleType>(&mut self, consumer: &str, params: R::Params) {
            let rule = NewRule::new(R::RULE_TYPE_ID, consumer, Schedule::every("1m"), params.clone());
            let created = self.0.create::<R>(&rule).await.unwrap();
            assert_eq!(created.params, params, "{}", R::RULE_TYPE_ID);
            assert_eq!(self.0.get_typed::<R>(&created.id).await.unwrap().params, params);
        }
    }

    let (_kibana, client) = setup().await;
    common::observability_rule_samples(&mut RoundTrip(client.rules())).await;
}
