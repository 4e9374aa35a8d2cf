use http::Method;
use serde_json::{Value, json};

use crate::{
    http_util::{Reply, bad_request, conflict, no_content, not_found, ok, saved_object_not_found},
    server::Ctx,
    state::{Connector, Shared},
};

/// A connector type the fake knows: id, display name, the config and secrets fields Kibana requires, and the
/// features it supports.
struct TypeInfo {
    id: &'static str,
    name: &'static str,
    config: &'static [&'static str],
    secrets: &'static [&'static str],
    features: &'static [&'static str],
}

const ALERTING: &[&str] = &["alerting", "uptime", "siem"];
const GENERATIVE_AI: &[&str] = &["generativeAI"];
const ENDPOINT_SECURITY: &[&str] = &["endpointSecurity"];

const fn t(
    id: &'static str,
    name: &'static str,
    config: &'static [&'static str],
    secrets: &'static [&'static str],
    features: &'static [&'static str],
) -> TypeInfo {
    TypeInfo {
        id,
        name,
        config,
        secrets,
        features,
    }
}

/// Every connector type the SDK types (Kibana 9.3's, and 8.x's), with the config and secrets fields Kibana
/// requires. `.gen-ai` has more rules than required fields (see `validate_gen_ai`).
const TYPES: &[TypeInfo] = &[
    t(
        ".bedrock",
        "AWS Bedrock",
        &["apiUrl"],
        &["accessKey", "secret"],
        GENERATIVE_AI,
    ),
    t(
        ".cases-webhook",
        "Webhook - Case Management",
        &[
            "createIncidentJson",
            "createIncidentResponseKey",
            "createIncidentUrl",
            "getIncidentResponseExternalTitleKey",
            "getIncidentUrl",
            "updateIncidentJson",
            "updateIncidentUrl",
            "viewIncidentUrl",
        ],
        &[],
        ALERTING,
    ),
    t(
        ".crowdstrike",
        "CrowdStrike",
        &["url"],
        &["clientId", "clientSecret"],
        ENDPOINT_SECURITY,
    ),
    t(".d3security", "D3 Security", &["url"], &["token"], ALERTING),
    t(".email", "Email", &["from"], &[], ALERTING),
    t(
        ".gemini",
        "Google Gemini",
        &["apiUrl", "gcpRegion", "gcpProjectID"],
        &["credentialsJson"],
        GENERATIVE_AI,
    ),
    t(".gen-ai", "OpenAI", &["apiProvider", "apiUrl"], &[], GENERATIVE_AI),
    t(".index", "Index", &["index"], &[], ALERTING),
    t(
        ".jira",
        "Jira",
        &["apiUrl", "projectKey"],
        &["apiToken", "email"],
        ALERTING,
    ),
    t(
        ".microsoft_defender_endpoint",
        "Microsoft Defender for Endpoint",
        &["apiUrl", "clientId", "tenantId", "oAuthServerUrl", "oAuthScope"],
        &["clientSecret"],
        ENDPOINT_SECURITY,
    ),
    t(".opsgenie", "Opsgenie", &["apiUrl"], &["apiKey"], ALERTING),
    t(".pagerduty", "PagerDuty", &[], &["routingKey"], ALERTING),
    t(
        ".resilient",
        "IBM Resilient",
        &["apiUrl", "orgId"],
        &["apiKeyId", "apiKeySecret"],
        ALERTING,
    ),
    t(".sentinelone", "Sentinel One", &["url"], &["token"], ENDPOINT_SECURITY),
    t(".server-log", "Server log", &[], &[], ALERTING),
    t(".servicenow", "ServiceNow ITSM", &["apiUrl"], &[], ALERTING),
    t(".servicenow-itom", "ServiceNow ITOM", &["apiUrl"], &[], ALERTING),
    t(".servicenow-sir", "ServiceNow SecOps", &["apiUrl"], &[], ALERTING),
    t(".slack", "Slack", &[], &["webhookUrl"], ALERTING),
    t(".slack_api", "Slack API", &[], &["token"], ALERTING),
    t(
        ".swimlane",
        "Swimlane",
        &["apiUrl", "appId", "connectorType"],
        &[],
        ALERTING,
    ),
    t(".teams", "Microsoft Teams", &[], &["webhookUrl"], ALERTING),
    t(".thehive", "TheHive", &["url"], &["apiKey"], ALERTING),
    t(".tines", "Tines", &["url"], &["email", "token"], ALERTING),
    t(".torq", "Torq", &["webhookIntegrationUrl"], &["token"], ALERTING),
    t(".webhook", "Webhook", &["url"], &[], ALERTING),
    t(".xmatters", "xMatters", &[], &[], ALERTING),
];

/// `.gen-ai`'s rules beyond required fields, as Kibana's OpenAI connector has them: a known `apiProvider`; the
/// `Other` provider needs `defaultModel`, and an API key unless it authenticates with a certificate and key; OpenAI
/// and Azure OpenAI need an API key.
fn validate_gen_ai(config: &Value, secrets: &Value) -> Result<(), Reply> {
    let missing = |field: &str| {
        Err(bad_request(format!(
            "error validating action type .gen-ai: [{field}]: expected value of type [string] but got [undefined]"
        )))
    };
    let has = |object: &Value, field: &str| object.get(field).is_some_and(Value::is_string);
    match config["apiProvider"].as_str() {
        Some("OpenAI" | "Azure OpenAI") if !has(secrets, "apiKey") => missing("apiKey"),
        Some("OpenAI" | "Azure OpenAI") => Ok(()),
        Some("Other") if !has(config, "defaultModel") => missing("defaultModel"),
        Some("Other")
            if has(secrets, "apiKey") || (has(secrets, "certificateData") && has(secrets, "privateKeyData")) =>
        {
            Ok(())
        }
        Some("Other") => Err(bad_request(
            "error validating action type .gen-ai: either an API key or a certificate and private key are required",
        )),
        other => Err(bad_request(format!(
            "error validating action type .gen-ai: [apiProvider]: unknown provider {other:?}"
        ))),
    }
}

/// The config as Kibana stores it: its schema's defaults filled in, and `null` for the optional fields not given
/// (for the types whose defaults the fake knows).
fn with_defaults(kind: &str, config: &Value) -> Value {
    let mut config = if config.is_null() { json!({}) } else { config.clone() };
    let defaults: &[(&str, Value)] = match kind {
        ".webhook" => &[
            ("method", json!("post")),
            ("headers", Value::Null),
            ("authType", Value::Null),
            ("certType", Value::Null),
            ("ca", Value::Null),
            ("verificationMode", Value::Null),
        ],
        ".index" => &[("refresh", json!(false)), ("executionTimeField", Value::Null)],
        _ => &[],
    };
    if let Some(map) = config.as_object_mut() {
        for (key, value) in defaults {
            map.entry(*key).or_insert_with(|| value.clone());
        }
    }
    config
}

/// Kibana's checks of a connector's config and secrets.
fn validate(kind: &str, config: &Value, secrets: &Value) -> Result<(), Reply> {
    let info = TYPES.iter().find(|t| t.id == kind);
    validate_fields(kind, config, info.map_or(&[], |t| t.config))?;
    validate_fields(kind, secrets, info.map_or(&[], |t| t.secrets))?;
    if kind == ".gen-ai" {
        validate_gen_ai(config, secrets)?;
    }
    Ok(())
}

fn view(
    space: &str,
    c: &Connector,
    rules: &std::collections::BTreeMap<(String, String), Value>,
    with_count: bool,
) -> Value {
    let mut out = json!({
        "id": c.id, "name": c.name, "connector_type_id": c.connector_type_id, "config": c.config,
        "is_preconfigured": false, "is_deprecated": false, "is_missing_secrets": false, "is_system_action": false,
    });
    if with_count {
        let count = rules
            .iter()
            .filter(|((s, _), _)| s == space)
            .flat_map(|(_, rule)| rule["actions"].as_array().cloned().unwrap_or_default())
            .filter(|action| action["id"] == c.id.as_str())
            .count();
        out["referenced_by_count"] = json!(count);
    }
    out
}

fn validate_fields(kind: &str, object: &Value, required: &[&str]) -> Result<(), Reply> {
    if !object.is_object() && !object.is_null() {
        return Err(bad_request(format!(
            "error validating action type {kind}: expected value of type [object]"
        )));
    }
    for field in required {
        if object.get(*field).is_none_or(Value::is_null) {
            return Err(bad_request(format!(
                "error validating action type {kind}: [{field}]: expected value of type [string] but got [undefined]"
            )));
        }
    }
    Ok(())
}

/// What running a connector does in the fake: per type, with a way to make it fail (`fail` in a URL or message).
fn execute(c: &Connector, params: &Value) -> Value {
    let failure = |message: &str| {
        json!({"status": "error", "connector_id": c.id, "message": "an error occurred while running the action",
               "service_message": message, "retry": true})
    };
    match c.connector_type_id.as_str() {
        ".server-log" => {
            let Some(message) = params["message"].as_str() else {
                return failure("[message]: expected value of type [string]");
            };
            if message.contains("fail") {
                return failure("log write refused");
            }
            json!({"status": "ok", "connector_id": c.id})
        }
        ".index" => {
            let Some(documents) = params["documents"].as_array() else {
                return failure("[documents]: expected value of type [array]");
            };
            json!({"status": "ok", "connector_id": c.id, "data": {
                "errors": false,
                "items": documents.iter().map(|_| json!({"index": {"result": "created", "status": 201}})).collect::<Vec<_>>()
            }})
        }
        ".webhook" | ".cases-webhook" => {
            if c.config["url"].as_str().unwrap_or_default().contains("fail") {
                return failure("Connection refused");
            }
            json!({"status": "ok", "connector_id": c.id, "data": ""})
        }
        ".slack" | ".teams" => {
            if c.secrets["webhookUrl"].as_str().unwrap_or_default().contains("fail") {
                return failure("error posting message: 404 no_team");
            }
            json!({"status": "ok", "connector_id": c.id, "data": "ok"})
        }
        ".email" => {
            let recipients: Vec<&Value> = ["to", "cc", "bcc"]
                .iter()
                .flat_map(|field| params[*field].as_array().into_iter().flatten())
                .collect();
            if recipients.is_empty() {
                return failure("no [to], [cc], or [bcc] entries");
            }
            json!({"status": "ok", "connector_id": c.id, "data": {"accepted": recipients, "messageId": "<fake@kibana>"}})
        }
        _ => json!({"status": "ok", "connector_id": c.id, "data": {}}),
    }
}

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    let mut state = shared.state.lock().expect("state lock");
    let space = ctx.space.clone();
    match (ctx.method.clone(), rest) {
        (Method::GET, ["connectors"]) => {
            let list: Vec<Value> = state
                .connectors
                .iter()
                .filter(|((s, _), _)| *s == space)
                .map(|(_, c)| view(&space, c, &state.rules, true))
                .collect();
            ok(&Value::Array(list))
        }
        (Method::GET, ["connector_types"]) => {
            let feature = ctx.query_one("feature_id");
            let list: Vec<Value> = TYPES
                .iter()
                .map(|t| {
                    json!({"id": t.id, "name": t.name, "enabled": true, "enabled_in_config": true, "enabled_in_license": true,
                           "minimum_license_required": "basic", "supported_feature_ids": t.features, "is_system_action_type": false})
                })
                .filter(|t| feature.is_none_or(|f| t["supported_feature_ids"].as_array().is_some_and(|a| a.iter().any(|x| x == f))))
                .collect();
            ok(&Value::Array(list))
        }
        (Method::POST, ["connector"]) => create(&mut state, ctx, &space, uuid::Uuid::new_v4().to_string()),
        (Method::POST, ["connector", id]) => {
            if state.connectors.contains_key(&(space.clone(), (*id).to_owned())) {
                return conflict("action", id);
            }
            create(&mut state, ctx, &space, (*id).to_owned())
        }
        (Method::GET, ["connector", id]) => match state.connectors.get(&(space.clone(), (*id).to_owned())) {
            Some(c) => ok(&view(&space, c, &state.rules, false)),
            None => saved_object_not_found("action", id),
        },
        (Method::PUT, ["connector", id]) => {
            let body = match ctx.json() {
                Ok(b) => b,
                Err(reply) => return reply,
            };
            if body.get("connector_type_id").is_some() {
                return bad_request("[request body.connector_type_id]: definition for this key is missing");
            }
            let Some(name) = body["name"].as_str() else {
                return bad_request("[request body.name]: expected value of type [string] but got [undefined]");
            };
            let key = (space.clone(), (*id).to_owned());
            let Some(kind) = state.connectors.get(&key).map(|c| c.connector_type_id.clone()) else {
                return saved_object_not_found("action", id);
            };
            if let Err(reply) = validate(&kind, &body["config"], &body["secrets"]) {
                return reply;
            }
            let connector = state.connectors.get_mut(&key).expect("checked above");
            connector.name = name.to_owned();
            connector.config = with_defaults(&kind, &body["config"]);
            connector.secrets = body["secrets"].clone();
            let c = state.connectors.get(&key).expect("checked above");
            ok(&view(&space, c, &state.rules, false))
        }
        (Method::DELETE, ["connector", id]) => match state.connectors.remove(&(space, (*id).to_owned())) {
            Some(_) => no_content(),
            None => saved_object_not_found("action", id),
        },
        (Method::POST, ["connector", id, "_execute"]) => {
            let body = match ctx.json() {
                Ok(b) => b,
                Err(reply) => return reply,
            };
            if !body["params"].is_object() {
                return bad_request("[request body.params]: expected value of type [object] but got [undefined]");
            }
            match state.connectors.get(&(space, (*id).to_owned())) {
                Some(c) => ok(&execute(c, &body["params"])),
                None => saved_object_not_found("action", id),
            }
        }
        _ => not_found(),
    }
}

fn create(state: &mut crate::state::State, ctx: &Ctx, space: &str, id: String) -> Reply {
    let body = match ctx.json() {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let Some(name) = body["name"].as_str() else {
        return bad_request("[request body.name]: expected value of type [string] but got [undefined]");
    };
    let Some(kind) = body["connector_type_id"].as_str() else {
        return bad_request("[request body.connector_type_id]: expected value of type [string] but got [undefined]");
    };
    if !TYPES.iter().any(|t| t.id == kind) {
        return bad_request(format!("action type \"{kind}\" is not registered."));
    }
    if let Err(reply) = validate(kind, &body["config"], &body["secrets"]) {
        return reply;
    }
    let connector = Connector {
        id: id.clone(),
        name: name.to_owned(),
        connector_type_id: kind.to_owned(),
        config: with_defaults(kind, &body["config"]),
        secrets: body["secrets"].clone(),
    };
    let reply = ok(&view(space, &connector, &state.rules, false));
    state.connectors.insert((space.to_owned(), id), connector);
    reply
}
