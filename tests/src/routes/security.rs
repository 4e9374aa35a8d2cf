//! `/api/security/role`: security roles (global; Elasticsearch keeps them): list, get, create or update (with
//! `createOnly`), delete; reserved roles refuse changes. Answers are shaped as Kibana returns roles, with the
//! defaults Elasticsearch fills in.

use http::Method;
use serde_json::{Map, Value, json};

use crate::{
    http_util::{Reply, bad_request, boom, no_content, not_found, ok},
    server::Ctx,
    state::Shared,
};

const FIELDS: &[&str] = &["description", "elasticsearch", "kibana", "metadata"];
const ELASTICSEARCH: &[&str] = &["cluster", "indices", "remote_cluster", "remote_indices", "run_as"];

/// Kibana's checks of a role body, and the role as it is then stored and listed.
fn stored(name: &str, body: &Value) -> Result<Value, Reply> {
    let Some(body) = body.as_object() else {
        return Err(bad_request(
            "[request body]: expected a plain object value, but found [null] instead.",
        ));
    };
    if let Some(key) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(bad_request(format!(
            "[request body.{key}]: definition for this key is missing"
        )));
    }
    let Some(elasticsearch) = body.get("elasticsearch").and_then(Value::as_object) else {
        return Err(bad_request(
            "[request body.elasticsearch]: expected value of type [object] but got [undefined]",
        ));
    };
    if let Some(key) = elasticsearch.keys().find(|k| !ELASTICSEARCH.contains(&k.as_str())) {
        return Err(bad_request(format!(
            "[request body.elasticsearch.{key}]: definition for this key is missing"
        )));
    }
    if body
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| d.chars().count() > 2048)
    {
        return Err(bad_request(
            "[request body.description]: value has length greater than the maximum of [2048]",
        ));
    }
    let mut indices = Vec::new();
    for (i, index) in elasticsearch
        .get("indices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if !index["names"].is_array() || !index["privileges"].is_array() {
            return Err(bad_request(format!(
                "[request body.elasticsearch.indices.{i}]: names and privileges are required"
            )));
        }
        let mut index = index.clone();
        // Elasticsearch fills this in.
        index
            .as_object_mut()
            .expect("checked above")
            .entry("allow_restricted_indices")
            .or_insert(json!(false));
        indices.push(index);
    }
    let mut kibana = Vec::new();
    for (i, grant) in body
        .get("kibana")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(grant) = grant.as_object() else {
            return Err(bad_request(format!("[request body.kibana.{i}]: expected an object")));
        };
        let base = grant.get("base").cloned().filter(|b| !b.is_null()).unwrap_or(json!([]));
        let feature = grant.get("feature").cloned().unwrap_or(json!({}));
        if !base.as_array().is_some_and(Vec::is_empty) && !feature.as_object().is_none_or(Map::is_empty) {
            return Err(bad_request(format!(
                "[request body.kibana.{i}]: a grant has base privileges or feature privileges, not both"
            )));
        }
        kibana.push(
            json!({"base": base, "feature": feature, "spaces": grant.get("spaces").cloned().unwrap_or(json!(["*"]))}),
        );
    }
    let mut role = json!({
        "name": name,
        "metadata": body.get("metadata").cloned().unwrap_or(json!({})),
        "transient_metadata": {"enabled": true},
        "elasticsearch": {
            "cluster": elasticsearch.get("cluster").cloned().unwrap_or(json!([])),
            "indices": indices,
            "run_as": elasticsearch.get("run_as").cloned().unwrap_or(json!([])),
        },
        "kibana": kibana,
        "_transform_error": [],
        "_unrecognized_applications": [],
    });
    for key in ["remote_cluster", "remote_indices"] {
        if let Some(value) = elasticsearch.get(key) {
            role["elasticsearch"][key] = value.clone();
        }
    }
    if let Some(description) = body.get("description") {
        role["description"] = description.clone();
    }
    Ok(role)
}

fn reserved(role: &Value) -> bool {
    role["metadata"]["_reserved"].as_bool() == Some(true)
}

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    let mut state = shared.state.lock().expect("state lock");
    match (ctx.method.clone(), rest) {
        (Method::GET, ["role"]) => ok(&Value::Array(state.roles.values().cloned().collect())),
        (Method::GET, ["role", name]) => match state.roles.get(*name) {
            Some(role) => ok(role),
            None => not_found(),
        },
        (Method::PUT, ["role", name]) => {
            let body = match ctx.json() {
                Ok(body) => body,
                Err(reply) => return reply,
            };
            if let Some(existing) = state.roles.get(*name) {
                if reserved(existing) {
                    return bad_request(format!("Role [{name}] is reserved and cannot be modified."));
                }
                if ctx.query_bool("createOnly") {
                    return boom(409, format!("Role already exists and cannot be created: {name}"));
                }
            }
            match stored(name, &body) {
                Ok(role) => {
                    state.roles.insert((*name).to_owned(), role);
                    no_content()
                }
                Err(reply) => reply,
            }
        }
        (Method::DELETE, ["role", name]) => match state.roles.get(*name) {
            Some(role) if reserved(role) => bad_request(format!("Role [{name}] is reserved and cannot be deleted.")),
            Some(_) => {
                state.roles.remove(*name);
                no_content()
            }
            None => not_found(),
        },
        _ => not_found(),
    }
}
