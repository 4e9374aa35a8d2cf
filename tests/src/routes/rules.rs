//! `/api/alerting`: rules per space (CRUD, lifecycle, find with paging and search), health and rule types.

use http::Method;
use serde_json::{Value, json};

use crate::{
    http_util::{Reply, bad_request, conflict, no_content, not_found, ok, saved_object_not_found},
    server::Ctx,
    state::Shared,
};

/// Rule types the fake knows, with their default action group.
const RULE_TYPES: &[(&str, &str, &str)] = &[
    (".index-threshold", "Index threshold", "threshold met"),
    (".es-query", "Elasticsearch query", "query matched"),
    ("apm.error_rate", "Error count threshold", "threshold_met"),
    ("apm.transaction_duration", "Latency threshold", "threshold_met"),
    (
        "apm.transaction_error_rate",
        "Failed transaction rate threshold",
        "threshold_met",
    ),
    ("apm.anomaly", "APM Anomaly", "threshold_met"),
    (
        "metrics.alert.inventory.threshold",
        "Inventory",
        "metrics.inventory_threshold.fired",
    ),
    ("metrics.alert.threshold", "Metric threshold", "metrics.threshold.fired"),
    ("logs.alert.document.count", "Log threshold", "logs.threshold.fired"),
    ("slo.rules.burnRate", "SLO burn rate", "slo.burnRate.alert"),
    (
        "xpack.uptime.alerts.tls",
        "Uptime TLS",
        "xpack.uptime.alerts.actionGroups.tls",
    ),
    (
        "xpack.uptime.alerts.monitorStatus",
        "Synthetics monitor status",
        "xpack.uptime.alerts.actionGroups.monitorStatus",
    ),
    ("monitoring_alert_cluster_health", "Cluster health", "default"),
];

fn now() -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now())
}

fn validate(body: &Value, creating: bool) -> Result<(), Reply> {
    if !body["name"].is_string() {
        return Err(bad_request(
            "[request body.name]: expected value of type [string] but got [undefined]",
        ));
    }
    if !body["schedule"]["interval"].is_string() {
        return Err(bad_request(
            "[request body.schedule.interval]: expected value of type [string] but got [undefined]",
        ));
    }
    if !body["params"].is_object() {
        return Err(bad_request(
            "[request body.params]: expected value of type [object] but got [undefined]",
        ));
    }
    if creating {
        if !body["consumer"].is_string() {
            return Err(bad_request(
                "[request body.consumer]: expected value of type [string] but got [undefined]",
            ));
        }
        let kind = body["rule_type_id"].as_str().unwrap_or_default();
        if !RULE_TYPES.iter().any(|(id, _, _)| *id == kind) {
            return Err(bad_request(format!("Rule type \"{kind}\" is not registered.")));
        }
    }
    for action in body["actions"].as_array().into_iter().flatten() {
        if !action["id"].is_string() || !action["params"].is_object() {
            return Err(bad_request(
                "[request body.actions.0]: an action needs `id` and `params`",
            ));
        }
    }
    Ok(())
}

fn rule_view(id: &str, body: &Value, connectors: &dyn Fn(&str) -> Option<String>) -> Value {
    let actions: Vec<Value> = body["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|action| {
            let mut action = action.clone();
            action["uuid"] = json!(uuid::Uuid::new_v4().to_string());
            if let Some(kind) = connectors(action["id"].as_str().unwrap_or_default()) {
                action["connector_type_id"] = json!(kind);
            }
            action
        })
        .collect();
    json!({
        "id": id, "name": body["name"], "rule_type_id": body["rule_type_id"], "consumer": body["consumer"],
        "enabled": body["enabled"].as_bool().unwrap_or(true), "schedule": body["schedule"], "params": body["params"],
        "actions": actions, "tags": body["tags"].as_array().cloned().unwrap_or_default(),
        "mute_all": false, "muted_alert_ids": [], "throttle": body["throttle"], "notify_when": body["notify_when"],
        "api_key_owner": "elastic", "created_by": "elastic", "updated_by": "elastic", "created_at": now(),
        "updated_at": now(), "execution_status": {"status": "pending", "last_execution_date": now()},
        "revision": 0
    })
}

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    let mut state = shared.state.lock().expect("state lock");
    let space = ctx.space.clone();
    let body = match ctx.json() {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let connector_type = |state: &crate::state::State, id: &str| {
        state
            .connectors
            .get(&(space.clone(), id.to_owned()))
            .map(|c| c.connector_type_id.clone())
    };
    match (ctx.method.clone(), rest) {
        (Method::GET, ["_health"]) => ok(&json!({
            "is_sufficiently_secure": true, "has_permanent_encryption_key": true,
            "alerting_framework_health": {
                "decryption_health": {"status": "ok", "timestamp": now()},
                "execution_health": {"status": "ok", "timestamp": now()},
                "read_health": {"status": "ok", "timestamp": now()}
            }
        })),
        (Method::GET, ["rule_types"]) => ok(&Value::Array(
            RULE_TYPES
                .iter()
                .map(|(id, name, group)| {
                    json!({"id": id, "name": name, "producer": "stackAlerts", "default_action_group_id": group,
                           "action_groups": [{"id": group, "name": group}, {"id": "recovered", "name": "Recovered"}],
                           "enabled_in_license": true, "minimum_license_required": "basic"})
                })
                .collect(),
        )),
        (Method::GET, ["rules", "_find"]) => {
            let per_page: u64 = ctx.query_one("per_page").and_then(|v| v.parse().ok()).unwrap_or(10);
            let page: u64 = ctx.query_one("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
            let search = ctx.query_one("search").map(|s| s.trim_end_matches('*').to_lowercase());
            let fields: Vec<&String> = ctx.query.get("search_fields").into_iter().flatten().collect();
            let in_fields = |field: &str| fields.is_empty() || fields.iter().any(|f| f.as_str() == field);
            let mut matching: Vec<&Value> =
                state
                    .rules
                    .iter()
                    .filter(|((s, _), _)| *s == space)
                    .map(|(_, rule)| rule)
                    .filter(|rule| {
                        search.as_ref().is_none_or(|needle| {
                            (in_fields("name")
                                && rule["name"]
                                    .as_str()
                                    .is_some_and(|n| n.to_lowercase().contains(needle.as_str())))
                                || (in_fields("tags")
                                    && rule["tags"].as_array().into_iter().flatten().any(|t| {
                                        t.as_str().is_some_and(|t| t.to_lowercase().contains(needle.as_str()))
                                    }))
                        })
                    })
                    .collect();
            if let Some(field) = ctx.query_one("sort_field") {
                matching.sort_by_key(|r| r[field].to_string());
                if ctx.query_one("sort_order") == Some("desc") {
                    matching.reverse();
                }
            }
            let total = matching.len() as u64;
            let data: Vec<Value> = matching
                .into_iter()
                .skip(((page - 1) * per_page) as usize)
                .take(per_page as usize)
                .cloned()
                .collect();
            ok(&json!({"page": page, "per_page": per_page, "total": total, "data": data}))
        }
        (Method::POST, ["rule"]) | (Method::POST, ["rule", _]) => {
            let id = rest
                .get(1)
                .map(|s| (*s).to_owned())
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            if state.rules.contains_key(&(space.clone(), id.clone())) {
                return conflict("alert", &id);
            }
            if let Err(reply) = validate(&body, true) {
                return reply;
            }
            let view = rule_view(&id, &body, &|c| connector_type(&state, c));
            state.rules.insert((space, id), view.clone());
            ok(&view)
        }
        (Method::GET, ["rule", id]) => match state.rules.get(&(space, (*id).to_owned())) {
            Some(rule) => ok(rule),
            None => saved_object_not_found("alert", id),
        },
        (Method::PUT, ["rule", id]) => {
            let key = (space.clone(), (*id).to_owned());
            let Some(existing) = state.rules.get(&key).cloned() else {
                return saved_object_not_found("alert", id);
            };
            if body.get("rule_type_id").is_some() || body.get("consumer").is_some() {
                return bad_request("[request body.rule_type_id]: definition for this key is missing");
            }
            if let Err(reply) = validate(&body, false) {
                return reply;
            }
            let mut merged = body.clone();
            merged["rule_type_id"] = existing["rule_type_id"].clone();
            merged["consumer"] = existing["consumer"].clone();
            merged["enabled"] = existing["enabled"].clone();
            let mut view = rule_view(id, &merged, &|c| connector_type(&state, c));
            view["created_at"] = existing["created_at"].clone();
            // Kibana counts the updates of a rule's definition.
            view["revision"] = json!(existing["revision"].as_u64().unwrap_or(0) + 1);
            view["mute_all"] = existing["mute_all"].clone();
            view["muted_alert_ids"] = existing["muted_alert_ids"].clone();
            state.rules.insert(key, view.clone());
            ok(&view)
        }
        (Method::DELETE, ["rule", id]) => match state.rules.remove(&(space, (*id).to_owned())) {
            Some(_) => no_content(),
            None => saved_object_not_found("alert", id),
        },
        (Method::POST, ["rule", id, action]) => {
            let Some(rule) = state.rules.get_mut(&(space, (*id).to_owned())) else {
                return saved_object_not_found("alert", id);
            };
            match *action {
                "_enable" => rule["enabled"] = json!(true),
                "_disable" => rule["enabled"] = json!(false),
                "_mute_all" => rule["mute_all"] = json!(true),
                "_unmute_all" => {
                    rule["mute_all"] = json!(false);
                    rule["muted_alert_ids"] = json!([]);
                }
                "_update_api_key" => rule["api_key_owner"] = json!("caller"),
                _ => return not_found(),
            }
            no_content()
        }
        (Method::POST, ["rule", id, "alert", alert_id, action]) => {
            let Some(rule) = state.rules.get_mut(&(space, (*id).to_owned())) else {
                return saved_object_not_found("alert", id);
            };
            let mut muted: Vec<Value> = rule["muted_alert_ids"].as_array().cloned().unwrap_or_default();
            match *action {
                "_mute" => {
                    if !muted.iter().any(|m| m == alert_id) {
                        muted.push(json!(alert_id));
                    }
                }
                "_unmute" => muted.retain(|m| m != alert_id),
                _ => return not_found(),
            }
            rule["muted_alert_ids"] = Value::Array(muted);
            no_content()
        }
        _ => not_found(),
    }
}
