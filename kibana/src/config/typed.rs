//! Declared JSON checked against the SDK's typed models: connector configs (every typed connector type) and rule
//! params (every typed rule type). A type the SDK does not model is taken as it is.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{
    connectors::{ConnectorType, types::*},
    rules::{
        RuleType,
        observability::*,
        types::{EsQuery, IndexThreshold},
    },
};

/// Reads `value` as `T` and writes it back: the result has `T`'s defaults filled in. A field that `T` does not
/// know (one that the round trip drops) is an error, so a typo is reported rather than sent.
pub(crate) fn round_trip<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    let mut unknown = Vec::new();
    dropped(&mut String::new(), value, &back, &mut unknown);
    if unknown.is_empty() {
        Ok(back)
    } else {
        Err(format!("unknown field(s) {}", unknown.join(", ")))
    }
}

/// The fields of `given` (not null) that `kept` lacks, by path.
fn dropped(path: &mut String, given: &Value, kept: &Value, out: &mut Vec<String>) {
    match (given, kept) {
        (Value::Object(given), Value::Object(kept)) => {
            for (key, value) in given {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                match kept.get(key) {
                    // Empty values are what `skip_serializing_if` leaves out, not unknown fields.
                    None if !super::diff::is_empty(value) => out.push(format!("`{path}`")),
                    None => {}
                    Some(kept) => dropped(path, value, kept, out),
                }
                path.truncate(len);
            }
        }
        (Value::Array(given), Value::Array(kept)) => {
            for (i, (g, k)) in given.iter().zip(kept).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                dropped(path, g, k, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

type Check = fn(&Value) -> Result<Value, String>;

fn config<C: ConnectorType>(value: &Value) -> Result<Value, String> {
    round_trip::<C::Config>(value)
}

fn params<R: RuleType>(value: &Value) -> Result<Value, String> {
    round_trip::<R::Params>(value)
}

static CONNECTOR_CONFIGS: &[(&str, Check)] = &[
    (Bedrock::TYPE_ID, config::<Bedrock>),
    (CasesWebhook::TYPE_ID, config::<CasesWebhook>),
    (CrowdStrike::TYPE_ID, config::<CrowdStrike>),
    (D3Security::TYPE_ID, config::<D3Security>),
    (Email::TYPE_ID, config::<Email>),
    (Gemini::TYPE_ID, config::<Gemini>),
    (GenAi::TYPE_ID, config::<GenAi>),
    (Index::TYPE_ID, config::<Index>),
    (Jira::TYPE_ID, config::<Jira>),
    (MicrosoftDefenderEndpoint::TYPE_ID, config::<MicrosoftDefenderEndpoint>),
    (Opsgenie::TYPE_ID, config::<Opsgenie>),
    (PagerDuty::TYPE_ID, config::<PagerDuty>),
    (Resilient::TYPE_ID, config::<Resilient>),
    (SentinelOne::TYPE_ID, config::<SentinelOne>),
    (ServerLog::TYPE_ID, config::<ServerLog>),
    (ServiceNow::TYPE_ID, config::<ServiceNow>),
    (ServiceNowItom::TYPE_ID, config::<ServiceNowItom>),
    (ServiceNowSir::TYPE_ID, config::<ServiceNowSir>),
    (Slack::TYPE_ID, config::<Slack>),
    (SlackApi::TYPE_ID, config::<SlackApi>),
    (Swimlane::TYPE_ID, config::<Swimlane>),
    (Teams::TYPE_ID, config::<Teams>),
    (TheHive::TYPE_ID, config::<TheHive>),
    (Tines::TYPE_ID, config::<Tines>),
    (Torq::TYPE_ID, config::<Torq>),
    (Webhook::TYPE_ID, config::<Webhook>),
    (Xmatters::TYPE_ID, config::<Xmatters>),
];

static RULE_PARAMS: &[(&str, Check)] = &[
    (IndexThreshold::RULE_TYPE_ID, params::<IndexThreshold>),
    (EsQuery::RULE_TYPE_ID, params::<EsQuery>),
    (ApmAnomaly::RULE_TYPE_ID, params::<ApmAnomaly>),
    (ApmErrorCount::RULE_TYPE_ID, params::<ApmErrorCount>),
    (ApmTransactionDuration::RULE_TYPE_ID, params::<ApmTransactionDuration>),
    (ApmTransactionErrorRate::RULE_TYPE_ID, params::<ApmTransactionErrorRate>),
    (InfraInventory::RULE_TYPE_ID, params::<InfraInventory>),
    (InfraMetricThreshold::RULE_TYPE_ID, params::<InfraMetricThreshold>),
    (LogThreshold::RULE_TYPE_ID, params::<LogThreshold>),
    (SloBurnRate::RULE_TYPE_ID, params::<SloBurnRate>),
    (UptimeTls::RULE_TYPE_ID, params::<UptimeTls>),
    (MonitorStatus::RULE_TYPE_ID, params::<MonitorStatus>),
];

fn lookup(table: &[(&str, Check)], type_id: &str) -> Option<Check> {
    table.iter().find(|(id, _)| *id == type_id).map(|(_, check)| *check)
}

/// A connector config checked against its typed model (`None`: the SDK does not type `type_id`).
pub(crate) fn connector_config(type_id: &str, value: &Value) -> Option<Result<Value, String>> {
    lookup(CONNECTOR_CONFIGS, type_id).map(|check| check(value))
}

/// Rule params checked against their typed model (`None`: the SDK does not type `type_id`).
pub(crate) fn rule_params(type_id: &str, value: &Value) -> Option<Result<Value, String>> {
    lookup(RULE_PARAMS, type_id).map(|check| check(value))
}

/// A connector config with its model's defaults filled in, for comparing; as it is when it does not read as the
/// model (Kibana's answer is then compared raw).
pub(crate) fn normalized_config(type_id: &str, value: &Value) -> Value {
    match connector_config(type_id, value) {
        Some(Ok(normalized)) => normalized,
        _ => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn typos_and_wrong_values_are_reported_defaults_filled() {
        assert_eq!(
            connector_config(".webhook", &json!({"url": "https://x"}))
                .unwrap()
                .unwrap()["method"],
            "post"
        );
        let typo = connector_config(".webhook", &json!({"url": "https://x", "metod": "put"})).unwrap();
        assert!(typo.unwrap_err().contains("`metod`"));
        assert!(
            connector_config(".webhook", &json!({"method": "get"}))
                .unwrap()
                .is_err()
        );
        assert!(connector_config(".new-type", &json!({"anything": 1})).is_none());
        assert!(
            rule_params(".index-threshold", &json!({"index": "not a list"}))
                .unwrap()
                .is_err()
        );
    }
}
