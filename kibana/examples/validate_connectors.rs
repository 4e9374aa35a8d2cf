//! Validates connector definitions kept in a TOML file against the typed connector models, before anything reaches
//! Kibana: a misspelt field (`webhookUrl` for `url`), a wrong enum value (`method = "get"`) or a missing required
//! field is reported with the connector it belongs to. Every typed connector type is known (the 27 of Kibana 9.3).
//! With `--schema <type id>` it prints the config's JSON Schema (schemars), for editors and for validating YAML or
//! JSON definitions with any JSON Schema tool.
//!
//! ```text
//! cargo run --example validate_connectors                       # checks kibana/examples/connectors.toml
//! cargo run --example validate_connectors -- my-connectors.toml
//! cargo run --example validate_connectors -- --schema .gen-ai
//! ```

use kibana::connectors::{ConnectorType, types::*};
use serde::Deserialize;
use serde_json::Value;

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

/// Calls `$action` (a generic function) with the typed connector type of `$type_id`, or evaluates `$unknown`.
macro_rules! with_connector_type {
    ($type_id:expr, $action:ident ($($arg:expr),*), $unknown:expr) => {
        match $type_id {
            ".bedrock" => $action::<Bedrock>($($arg),*),
            ".cases-webhook" => $action::<CasesWebhook>($($arg),*),
            ".crowdstrike" => $action::<CrowdStrike>($($arg),*),
            ".d3security" => $action::<D3Security>($($arg),*),
            ".email" => $action::<Email>($($arg),*),
            ".gemini" => $action::<Gemini>($($arg),*),
            ".gen-ai" => $action::<GenAi>($($arg),*),
            ".index" => $action::<Index>($($arg),*),
            ".jira" => $action::<Jira>($($arg),*),
            ".microsoft_defender_endpoint" => $action::<MicrosoftDefenderEndpoint>($($arg),*),
            ".opsgenie" => $action::<Opsgenie>($($arg),*),
            ".pagerduty" => $action::<PagerDuty>($($arg),*),
            ".resilient" => $action::<Resilient>($($arg),*),
            ".sentinelone" => $action::<SentinelOne>($($arg),*),
            ".server-log" => $action::<ServerLog>($($arg),*),
            ".servicenow" => $action::<ServiceNow>($($arg),*),
            ".servicenow-itom" => $action::<ServiceNowItom>($($arg),*),
            ".servicenow-sir" => $action::<ServiceNowSir>($($arg),*),
            ".slack" => $action::<Slack>($($arg),*),
            ".slack_api" => $action::<SlackApi>($($arg),*),
            ".swimlane" => $action::<Swimlane>($($arg),*),
            ".teams" => $action::<Teams>($($arg),*),
            ".thehive" => $action::<TheHive>($($arg),*),
            ".tines" => $action::<Tines>($($arg),*),
            ".torq" => $action::<Torq>($($arg),*),
            ".webhook" => $action::<Webhook>($($arg),*),
            ".xmatters" => $action::<Xmatters>($($arg),*),
            _ => $unknown,
        }
    };
}

/// The config's JSON Schema.
fn config_schema<C: ConnectorType>() -> Value
where
    C::Config: schemars::JsonSchema,
{
    serde_json::to_value(schemars::schema_for!(C::Config)).expect("schemas serialize")
}

/// `value` with its `$ref` followed.
fn resolve<'a>(value: &'a Value, root: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(r) => root.pointer(r.trim_start_matches('#')).unwrap_or(value),
        None => value,
    }
}

/// The fields a config may have. For a config with flavours (`.gen-ai`'s `apiProvider`), those of the flavour the
/// definition names: a variant is a candidate unless one of its constant fields has another value in `config`.
fn known_fields(schema: &Value, config: &Value) -> Vec<String> {
    let mut objects = vec![schema];
    for alternative in schema["oneOf"]
        .as_array()
        .into_iter()
        .chain(schema["anyOf"].as_array())
        .flatten()
    {
        let alternative = resolve(alternative, schema);
        let matches = alternative["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .all(|(name, property)| {
                property
                    .get("const")
                    .is_none_or(|c| config.get(name).is_none_or(|v| v == c))
            });
        if matches {
            objects.push(alternative);
        }
    }
    objects
        .iter()
        .flat_map(|object| object["properties"].as_object().into_iter().flatten())
        .map(|(name, _)| name.clone())
        .collect()
}

/// Configs are checked with `deny_unknown_fields` semantics (a field the model does not know is a typo), then
/// deserialized into the typed config.
fn check<C: ConnectorType>(config: &toml::Table) -> Result<(), String>
where
    C::Config: schemars::JsonSchema,
{
    let json = serde_json::to_value(config).map_err(|e| e.to_string())?;
    let known = known_fields(&config_schema::<C>(), &json);
    let unknown: Vec<&String> = config.keys().filter(|k| !known.contains(k)).collect();
    if !unknown.is_empty() {
        return Err(format!("unknown field(s) {unknown:?} for {}", C::TYPE_ID));
    }
    serde_json::from_value::<C::Config>(json)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn validate(definition: &Definition) -> Result<(), String> {
    with_connector_type!(
        definition.connector_type.as_str(),
        check(&definition.config),
        Err(format!(
            "no typed model for {}; define it through the raw API",
            definition.connector_type
        ))
    )
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, type_id] = args.as_slice()
        && flag == "--schema"
    {
        return match with_connector_type!(type_id.as_str(), config_schema(), Value::Null) {
            Value::Null => {
                eprintln!("no schema for {type_id}");
                std::process::ExitCode::FAILURE
            }
            schema => {
                println!("{}", serde_json::to_string_pretty(&schema).expect("schemas serialize"));
                std::process::ExitCode::SUCCESS
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
