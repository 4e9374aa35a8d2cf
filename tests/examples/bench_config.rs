//! Kibana as code at scale, against the fake Kibana on loopback: 100 spaces × (10 connectors + 10 rules + 1 data
//! view), 2,100 objects and their 100 spaces. Prints `name=value` lines: the time and the number of requests of
//! the first plan (an empty Kibana), the first apply, and a plan with no changes after it (the median of
//! `BENCH_CONFIG_RUNS` plans, default 5), with the bound the issue sets (list requests ≤ kinds × spaces).
//!
//! ```text
//! cargo run --release -p kibana-fake --example bench_config      # also run by `cargo xtask bench`
//! BENCH_CONFIG_SPACES=10 cargo run --release -p kibana-fake --example bench_config
//! ```

use std::time::{Duration, Instant};

use kibana::{
    Kibana, Space,
    config::{Action, ConnectorSpec, DataViewSpec, DeclaredState, Kind, RuleSpec},
    connectors::types::{Webhook, WebhookConfig, WebhookSecrets},
    rules::{RuleAction, Schedule},
};
use kibana_fake::FakeKibana;
use serde_json::json;

const CONNECTORS: usize = 10;
const RULES: usize = 10;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn state(spaces: usize) -> DeclaredState {
    let mut state = DeclaredState::new();
    for s in 0..spaces {
        let space = format!("team-{s:03}");
        state = state.space(Space::new(&space, format!("Team {s}")));
        for c in 0..CONNECTORS {
            let config =
                WebhookConfig::new(format!("https://hooks.example.com/{space}/{c}")).with_header("x-team", &space);
            state = state.connector(
                ConnectorSpec::typed::<Webhook>(
                    &space,
                    format!("hook-{c}"),
                    format!("Hook {c}"),
                    &config,
                    &WebhookSecrets::none(),
                )
                .expect("typed connectors encode"),
            );
        }
        for r in 0..RULES {
            let params = json!({
                "index": ["logs-*"], "timeField": "@timestamp", "aggType": "count", "groupBy": "all",
                "thresholdComparator": ">", "threshold": [1000 + r], "timeWindowSize": 5, "timeWindowUnit": "m"
            });
            let rule = RuleSpec::raw(
                &space,
                format!("rule-{r}"),
                format!("Rule {r}"),
                ".index-threshold",
                "stackAlerts",
                Schedule::every("1m"),
                params,
            )
            .action(RuleAction::raw(
                "threshold met",
                format!("hook-{}", r % CONNECTORS),
                json!({"body": "{{context.message}}"}),
            ))
            .tags(["bench"]);
            state = state.rule(rule);
        }
        state = state.data_view(DataViewSpec::new(&space, "logs", "logs-*").time_field("@timestamp"));
    }
    state
}

fn ms(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let spaces = env_number("BENCH_CONFIG_SPACES", 100);
    let runs = env_number("BENCH_CONFIG_RUNS", 5).max(1);
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder()
        .url(kibana.url())
        .build()
        .expect("a client for the fake");
    let state = state(spaces);
    let objects = state.len() - spaces;
    println!("config_objects={objects}");
    println!("config_spaces={spaces}");

    kibana.clear_log();
    let started = Instant::now();
    let plan = client.plan(&state).await.expect("the first plan");
    println!("config_plan_first_ms={}", ms(started.elapsed()));
    println!("config_plan_first_requests={}", kibana.request_count());
    assert_eq!(plan.count(Action::Create), state.len());

    kibana.clear_log();
    let started = Instant::now();
    let report = client.apply(&plan).await;
    println!("config_apply_first_ms={}", ms(started.elapsed()));
    println!("config_apply_first_requests={}", kibana.request_count());
    assert!(report.is_success(), "{}", report.summary());

    let mut times = Vec::new();
    let mut requests = 0;
    for _ in 0..runs {
        kibana.clear_log();
        let started = Instant::now();
        let plan = client.plan(&state).await.expect("the plan after the apply");
        times.push(started.elapsed());
        requests = kibana.request_count();
        assert!(plan.is_empty(), "{}", plan.summary());
        assert_eq!(plan.unchanged(), state.len());
    }
    times.sort();
    // The declared kinds (spaces, connectors, rules, data views) × the spaces.
    let kinds = [Kind::Space, Kind::Connector, Kind::Rule, Kind::DataView].len();
    println!("config_plan_nochange_ms={}", ms(times[times.len() / 2]));
    println!("config_plan_nochange_min_ms={}", ms(times[0]));
    println!("config_plan_nochange_requests={requests}");
    println!("config_plan_nochange_request_bound={}", kinds * spaces);
    assert!(
        requests <= kinds * spaces,
        "{requests} requests for {kinds} kinds × {spaces} spaces"
    );
}
