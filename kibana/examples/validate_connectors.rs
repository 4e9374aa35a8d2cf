//! Validates connector definitions kept in a TOML file against the typed connector models, before anything reaches
//! Kibana: a misspelt field (`webhookUrl` for `url`), a wrong enum value (`method = "get"`) or a missing required
//! field is reported with the connector it belongs to. With `--schema <type id>` it prints the config's JSON Schema
//! (schemars), for editors and for validating YAML or JSON definitions with any JSON Schema tool.
//!
//! ```text
//! cargo run --example validate_connectors                       # checks kibana/examples/connectors.toml
//! cargo run --example validate_connectors -- my-connectors.toml
//! cargo run --example validate_connectors -- --schema .webhook
//! ```

use kibana::connectors::{ConnectorType, types::*};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    connector: Vec<Definition>,
}

#[derive(Deserialize)]
struct Definition {
    id: String,
    #[serde(rename = "type")]
    connector_type: String,
    #[serde(default)]
    config: toml::Table,
}

fn check<C: ConnectorType>(config: &toml::Table) -> Result<(), String> {
    let json = serde_json::to_value(config).map_err(|e| e.to_string())?;
    serde_json::from_value::<C::Config>(json)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Configs are checked with `deny_unknown_fields` semantics: a field the model does not know is a typo.
fn unknown_fields<C: ConnectorType>(config: &toml::Table) -> Vec<String>
where
    C::Config: schemars::JsonSchema,
{
    let schema = serde_json::to_value(schemars::schema_for!(C::Config)).unwrap_or_default();
    let known = schema["properties"].as_object().cloned().unwrap_or_default();
    config.keys().filter(|k| !known.contains_key(*k)).cloned().collect()
}

fn validate(definition: &Definition) -> Result<(), String> {
    macro_rules! typed {
        ($ty:ty) => {{
            let unknown = unknown_fields::<$ty>(&definition.config);
            if !unknown.is_empty() {
                return Err(format!("unknown field(s) {unknown:?} for {}", <$ty>::TYPE_ID));
            }
            check::<$ty>(&definition.config)
        }};
    }
    match definition.connector_type.as_str() {
        ".webhook" => typed!(Webhook),
        ".index" => typed!(Index),
        ".email" => typed!(Email),
        ".jira" => typed!(Jira),
        ".servicenow" | ".servicenow-sir" | ".servicenow-itom" => typed!(ServiceNow),
        ".pagerduty" => typed!(PagerDuty),
        ".opsgenie" => typed!(Opsgenie),
        ".torq" => typed!(Torq),
        ".swimlane" => typed!(Swimlane),
        ".resilient" => typed!(Resilient),
        ".server-log" | ".slack" | ".teams" | ".slack_api" => typed!(ServerLog),
        other => Err(format!("no typed model for {other}; define it through the raw API")),
    }
}

fn schema(type_id: &str) -> Option<serde_json::Value> {
    let schema = match type_id {
        ".webhook" => schemars::schema_for!(WebhookConfig),
        ".index" => schemars::schema_for!(IndexConfig),
        ".email" => schemars::schema_for!(EmailConfig),
        ".jira" => schemars::schema_for!(JiraConfig),
        ".servicenow" => schemars::schema_for!(ServiceNowConfig),
        ".pagerduty" => schemars::schema_for!(PagerDutyConfig),
        _ => return None,
    };
    serde_json::to_value(schema).ok()
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, type_id] = args.as_slice()
        && flag == "--schema"
    {
        return match schema(type_id) {
            Some(schema) => {
                println!("{}", serde_json::to_string_pretty(&schema).expect("schemas serialize"));
                std::process::ExitCode::SUCCESS
            }
            None => {
                eprintln!("no schema for {type_id}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let path = args
        .first()
        .cloned()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/connectors.toml").to_owned());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let file: File = match toml::from_str(&text) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("{path}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut failures = 0;
    for definition in &file.connector {
        match validate(definition) {
            Ok(()) => println!("ok       {} ({})", definition.id, definition.connector_type),
            Err(error) => {
                failures += 1;
                println!("INVALID  {} ({}): {error}", definition.id, definition.connector_type);
            }
        }
    }
    if failures == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
