//! `GET /api/fleet/agents`: Fleet's agent list as Kibana 9.x pages it. By number (`page`, `perPage`, within
//! Elasticsearch's 10 000 result window) or, inside a point in time, by `searchAfter`: `openPit=true` opens one
//! (its id comes back as `pit`), `pitId` reads from it, and a `searchAfter` without `pitId` is ignored, as Fleet's
//! `getAgentsByKuery` does (`...(pitId && searchAfter ? { search_after, from: 0 } : {})`). Every answer with
//! agents carries `nextSearchAfter`, the last agent's sort values as JSON text.

use serde_json::{Value, json};

use crate::{
    http_util::{Reply, bad_request, ok},
    server::Ctx,
    state::Shared,
};

/// Elasticsearch's `index.max_result_window`.
const RESULT_WINDOW: u64 = 10_000;

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    if ctx.method != http::Method::GET || !rest.is_empty() {
        return crate::http_util::not_found();
    }
    let mut state = shared.state.lock().expect("state lock");
    let number = |key: &str, default: u64| {
        ctx.query_one(key)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let (page, per_page) = (number("page", 1).max(1), number("perPage", 20));
    let search_after = match ctx.query_one("searchAfter") {
        None => None,
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(values)) if !values.is_empty() => Some(values),
            _ => return bad_request("searchAfter must be a non-empty array"),
        },
    };
    let pit = if ctx.query_bool("openPit") {
        let id = format!("pit-{}", state.points_in_time.len() + 1);
        let snapshot = state.fleet_agents.clone();
        state.points_in_time.insert(id.clone(), snapshot);
        Some(id)
    } else {
        ctx.query_one("pitId").map(str::to_owned)
    };
    let agents = match &pit {
        Some(id) => match state.points_in_time.get(id) {
            Some(snapshot) => snapshot.clone(),
            None => return bad_request(format!("No search context found for id [{id}]")),
        },
        None => state.fleet_agents.clone(),
    };
    let start = match (&pit, &search_after) {
        // After the agent whose sort values are `after`: the agents are kept in sort order.
        (Some(_), Some(after)) => agents
            .iter()
            .position(|agent| agent["sort"].as_array() == Some(after))
            .map_or(agents.len(), |at| at + 1),
        _ => {
            let from = (page - 1) * per_page;
            if from + per_page > RESULT_WINDOW {
                return bad_request(format!(
                    "Result window is too large, from + size must be less than or equal to: [{RESULT_WINDOW}] but \
                     was [{}].",
                    from + per_page
                ));
            }
            from as usize
        }
    };
    let items: Vec<Value> = agents.iter().skip(start).take(per_page as usize).cloned().collect();
    let mut answer = json!({"items": items, "total": agents.len(), "page": page, "perPage": per_page});
    if let Some(last) = items.last() {
        answer["nextSearchAfter"] = json!(last["sort"].to_string());
    }
    if let Some(pit) = pit {
        answer["pit"] = json!(pit);
    }
    ok(&answer)
}

/// An agent as Fleet lists it, with the sort values Elasticsearch gives its hit (`enrolled_at`, host name).
pub(crate) fn agent(index: usize) -> Value {
    let enrolled = 1_767_225_600_000_u64 + index as u64 * 1000;
    let host = format!("host-{index:05}");
    json!({
        "id": format!("agent-{index:05}"),
        "active": true,
        "enrolled_at": format!("{enrolled}"),
        "local_metadata": {"host": {"hostname": host}},
        "packages": [],
        "type": "PERMANENT",
        "status": "online",
        "policy_id": "fleet-server-policy",
        "sort": [enrolled, host],
    })
}
