//! Binds the hand-written connector types to Kibana's spec: field names, required fields and enum values of every
//! typed config and secrets agree with the spec's `config_properties_*` / `secrets_properties_*` schemas, params
//! agree with the spec's run params where the spec describes them, and every connector example of the spec
//! round-trips through the typed model. When Kibana changes a connector, `cargo xtask regen` and this test say so.

use std::collections::BTreeSet;

use kibana::connectors::{ConnectorType, types::*};
use serde_json::Value;

mod common;

use common::{Shape, rust_shape, shape};

fn spec() -> Option<Value> {
    common::pinned_document("connectors.yaml")
}

/// Fields where the Rust type is deliberately stricter than the spec, with the reason.
const STRICTER: &[(&str, &str, &str)] = &[(
    "config_properties_webhook",
    "url",
    "Kibana's webhook config schema requires `url`; the spec marks it optional",
)];

/// Enum values the spec lists that the Rust type expresses otherwise, with the reason.
const ENUM_EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "config_properties_webhook",
    "authType",
    "the spec lists JSON null as the string \"null\"; Rust uses `Option<WebhookAuthType>`",
)];

fn compare(failures: &mut Vec<String>, what: &str, spec_schema: &str, rust: Shape, spec: &Value) {
    let (spec_props, spec_required) = shape(&spec["components"]["schemas"][spec_schema], spec);
    let (rust_props, rust_required) = rust;
    let spec_names: BTreeSet<_> = spec_props.keys().collect();
    let rust_names: BTreeSet<_> = rust_props.keys().collect();
    if spec_names != rust_names {
        failures.push(format!(
            "{what}: fields differ from {spec_schema}: spec {spec_names:?}, Rust {rust_names:?}"
        ));
    }
    for missing in spec_required.difference(&rust_required) {
        failures.push(format!(
            "{what}: `{missing}` is required by {spec_schema} but optional in Rust"
        ));
    }
    for extra in rust_required.difference(&spec_required) {
        if !STRICTER.iter().any(|(s, f, _)| *s == spec_schema && f == extra) {
            failures.push(format!(
                "{what}: `{extra}` is required in Rust but not by {spec_schema}"
            ));
        }
    }
    for (name, values) in &spec_props {
        let mut values = values.clone();
        if ENUM_EXCEPTIONS
            .iter()
            .any(|(schema, field, _)| *schema == spec_schema && field == name)
        {
            values.remove("null");
        }
        if !values.is_empty() && rust_props.get(name).is_some_and(|r| *r != values) {
            failures.push(format!(
                "{what}.{name}: enum values differ: spec {values:?}, Rust {:?}",
                rust_props[name]
            ));
        }
    }
}

macro_rules! check {
    ($failures:expr, $spec:expr, $ty:ty, config: $config:expr, secrets: $secrets:expr) => {{
        if let Some(config) = $config {
            compare(
                $failures,
                concat!(stringify!($ty), "::Config"),
                config,
                rust_shape::<<$ty as ConnectorType>::Config>(),
                $spec,
            );
        }
        if let Some(secrets) = $secrets {
            compare(
                $failures,
                concat!(stringify!($ty), "::Secrets"),
                secrets,
                rust_shape::<<$ty as ConnectorType>::Secrets>(),
                $spec,
            );
        }
    }};
}

#[test]
fn typed_configs_and_secrets_agree_with_the_spec() {
    let Some(spec) = spec() else { return };
    let mut failures = Vec::new();
    let f = &mut failures;
    check!(f, &spec, Bedrock, config: Some("config_properties_bedrock"), secrets: Some("secrets_properties_bedrock"));
    check!(f, &spec, CasesWebhook, config: Some("config_properties_cases_webhook"), secrets: Some("secrets_properties_cases_webhook"));
    check!(f, &spec, D3Security, config: Some("config_properties_d3security"), secrets: Some("secrets_properties_d3security"));
    check!(f, &spec, Email, config: Some("config_properties_email"), secrets: Some("secrets_properties_email"));
    check!(f, &spec, GenAi, config: None::<&str>, secrets: Some("secrets_properties_genai"));
    check!(f, &spec, Index, config: Some("config_properties_index"), secrets: None::<&str>);
    check!(f, &spec, Jira, config: Some("config_properties_jira"), secrets: Some("secrets_properties_jira"));
    check!(f, &spec, Opsgenie, config: Some("config_properties_opsgenie"), secrets: Some("secrets_properties_opsgenie"));
    check!(f, &spec, PagerDuty, config: Some("config_properties_pagerduty"), secrets: Some("secrets_properties_pagerduty"));
    check!(f, &spec, Resilient, config: Some("config_properties_resilient"), secrets: Some("secrets_properties_resilient"));
    check!(f, &spec, ServiceNow, config: Some("config_properties_servicenow"), secrets: Some("secrets_properties_servicenow"));
    check!(f, &spec, ServiceNowItom, config: None::<&str>, secrets: Some("secrets_properties_servicenow"));
    check!(f, &spec, SlackApi, config: None::<&str>, secrets: Some("secrets_properties_slack_api"));
    check!(f, &spec, Slack, config: None::<&str>, secrets: Some("secrets_properties_slack_webhook"));
    check!(f, &spec, Swimlane, config: Some("config_properties_swimlane"), secrets: Some("secrets_properties_swimlane"));
    check!(f, &spec, Teams, config: None::<&str>, secrets: Some("secrets_properties_teams"));
    check!(f, &spec, Tines, config: Some("config_properties_tines"), secrets: Some("secrets_properties_tines"));
    check!(f, &spec, Torq, config: Some("config_properties_torq"), secrets: Some("secrets_properties_torq"));
    check!(f, &spec, Webhook, config: Some("config_properties_webhook"), secrets: Some("secrets_properties_webhook"));
    check!(f, &spec, Xmatters, config: Some("config_properties_xmatters"), secrets: Some("secrets_properties_xmatters"));
    compare(
        f,
        "ServerLogParams",
        "run_connector_params_level_message",
        rust_shape::<ServerLogParams>(),
        &spec,
    );
    compare(
        f,
        "IndexParams",
        "run_connector_params_documents",
        rust_shape::<IndexParams>(),
        &spec,
    );
    assert!(
        failures.is_empty(),
        "the typed connectors disagree with the spec:\n{}",
        failures.join("\n")
    );
}

/// Every connector type of the spec has a typed model here.
#[test]
fn every_connector_type_of_the_spec_is_typed() {
    let Some(spec) = spec() else { return };
    let typed: BTreeSet<&str> = [
        Bedrock::TYPE_ID,
        CasesWebhook::TYPE_ID,
        D3Security::TYPE_ID,
        Email::TYPE_ID,
        GenAi::TYPE_ID,
        Index::TYPE_ID,
        Jira::TYPE_ID,
        Opsgenie::TYPE_ID,
        PagerDuty::TYPE_ID,
        Resilient::TYPE_ID,
        ServerLog::TYPE_ID,
        ServiceNow::TYPE_ID,
        ServiceNowItom::TYPE_ID,
        ServiceNowSir::TYPE_ID,
        Slack::TYPE_ID,
        SlackApi::TYPE_ID,
        Swimlane::TYPE_ID,
        Teams::TYPE_ID,
        Tines::TYPE_ID,
        Torq::TYPE_ID,
        Webhook::TYPE_ID,
        Xmatters::TYPE_ID,
    ]
    .into();
    let mut in_spec = BTreeSet::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if name.starts_with("create_connector_request_") {
            for id in schema["properties"]["connector_type_id"]["enum"]
                .as_array()
                .into_iter()
                .flatten()
            {
                in_spec.insert(id.as_str().unwrap().to_owned());
            }
        }
    }
    let in_spec: BTreeSet<&str> = in_spec.iter().map(String::as_str).collect();
    assert_eq!(in_spec.len(), 22);
    assert_eq!(typed, in_spec);
}

fn round_trip<C: ConnectorType>(config: &Value) -> Result<(), String> {
    let typed: C::Config = serde_json::from_value(config.clone()).map_err(|e| format!("{}: {e}", C::TYPE_ID))?;
    let back = serde_json::to_value(&typed).unwrap();
    for (key, value) in config.as_object().into_iter().flatten() {
        if !value.is_null() && back.get(key) != Some(value) {
            return Err(format!(
                "{}: `{key}` did not survive the round trip: {value} became {:?}",
                C::TYPE_ID,
                back.get(key)
            ));
        }
    }
    Ok(())
}

#[test]
fn every_connector_example_round_trips_through_the_typed_model() {
    let Some(spec) = spec() else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, example) in spec["components"]["examples"].as_object().unwrap() {
        let value = &example["value"];
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let (Some(kind), Some(config)) = (item["connector_type_id"].as_str(), item.get("config")) else {
                continue;
            };
            let result = match kind {
                ".bedrock" => round_trip::<Bedrock>(config),
                ".cases-webhook" => round_trip::<CasesWebhook>(config),
                ".d3security" => round_trip::<D3Security>(config),
                ".email" => round_trip::<Email>(config),
                ".gen-ai" => round_trip::<GenAi>(config),
                ".index" => round_trip::<Index>(config),
                ".jira" => round_trip::<Jira>(config),
                ".opsgenie" => round_trip::<Opsgenie>(config),
                ".pagerduty" => round_trip::<PagerDuty>(config),
                ".resilient" => round_trip::<Resilient>(config),
                ".server-log" => round_trip::<ServerLog>(config),
                ".servicenow" => round_trip::<ServiceNow>(config),
                ".servicenow-itom" => round_trip::<ServiceNowItom>(config),
                ".servicenow-sir" => round_trip::<ServiceNowSir>(config),
                ".slack" => round_trip::<Slack>(config),
                ".slack_api" => round_trip::<SlackApi>(config),
                ".swimlane" => round_trip::<Swimlane>(config),
                ".teams" => round_trip::<Teams>(config),
                ".tines" => round_trip::<Tines>(config),
                ".torq" => round_trip::<Torq>(config),
                ".webhook" => round_trip::<Webhook>(config),
                ".xmatters" => round_trip::<Xmatters>(config),
                other => Err(format!("example {name}: unknown connector type {other}")),
            };
            checked += 1;
            if let Err(error) = result {
                failures.push(format!("example {name}: {error}"));
            }
        }
    }
    eprintln!("connector examples round-tripped: {checked}");
    assert!(checked >= 5, "the spec's connector examples were not found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
