//! `GET /api/lists/_find`: the security solution's value lists per space, as Kibana pages them. Every answer has a
//! `cursor` that marks where it ended (its position and the last list's sort value); a request that sends it with
//! the next `page` starts right after that list, as Kibana's `scrollToStartPage` does when the cursor's position
//! is the page's. A cursor for another position is scrolled past (the page is served by number), and one that is
//! not a cursor is refused.

use base64::Engine;
use serde_json::{Value, json};

use crate::{
    http_util::{Reply, bad_request, ok},
    server::Ctx,
    state::Shared,
};

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    if ctx.method != http::Method::GET || rest != ["_find"] {
        return crate::http_util::not_found();
    }
    let mut state = shared.state.lock().expect("state lock");
    let number = |key: &str, default: u64| {
        ctx.query_one(key)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let (page, per_page) = (number("page", 1).max(1), number("per_page", 20).max(1));
    let lists: Vec<Value> = state
        .lists
        .iter()
        .filter(|((space, _), _)| *space == ctx.space)
        .map(|(_, list)| list.clone())
        .collect();
    let position = (page - 1) * per_page;
    let start = match ctx.query_one("cursor") {
        None => position as usize,
        Some(cursor) => match decode(cursor) {
            Some((at, after)) if at == position => lists
                .iter()
                .position(|list| list["tie_breaker_id"] == after)
                .map_or(lists.len(), |i| i + 1),
            Some(_) => {
                state.list_scrolls += 1;
                position as usize
            }
            None => return bad_request("cursor is not valid"),
        },
    };
    let data: Vec<Value> = lists.iter().skip(start).take(per_page as usize).cloned().collect();
    let last = data.last().map_or(Value::Null, |l| l["tie_breaker_id"].clone());
    let end = position + data.len() as u64;
    let cursor = base64::engine::general_purpose::STANDARD.encode(json!([end, last]).to_string());
    ok(&json!({"cursor": cursor, "data": data, "page": page, "per_page": per_page, "total": lists.len()}))
}

/// A cursor's position and last sort value.
fn decode(cursor: &str) -> Option<(u64, Value)> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(cursor).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    Some((value.get(0)?.as_u64()?, value.get(1)?.clone()))
}

/// A value list as Kibana answers it.
pub(crate) fn list(index: usize) -> Value {
    json!({
        "id": format!("list-{index:05}"),
        "name": format!("blocked hosts {index}"),
        "description": "seeded by the fake",
        "type": "keyword",
        "immutable": false,
        "version": 1,
        "_version": "WzAsMV0=",
        "tie_breaker_id": format!("tie-{index:05}"),
        "created_at": "2026-01-01T00:00:00.000Z",
        "created_by": "elastic",
        "updated_at": "2026-01-01T00:00:00.000Z",
        "updated_by": "elastic",
    })
}
