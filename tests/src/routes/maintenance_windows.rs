//! `/api/maintenance_window`: maintenance windows per space (create with an id Kibana chooses, find with paging,
//! get, partial update, delete, archive), shaped as Kibana 9.3 answers them, with Kibana's checks of the body.

use http::Method;
use serde_json::{Map, Value, json};

use crate::{
    http_util::{Reply, bad_request, boom, no_content, ok},
    server::Ctx,
    state::{Shared, State},
};

const FIELDS: &[&str] = &["title", "enabled", "schedule", "scope"];

fn not_found(id: &str) -> Reply {
    boom(404, format!("Saved object [maintenance-window/{id}] not found"))
}

fn valid_duration(text: &str, units: &[char]) -> bool {
    let Some(unit) = text.chars().last() else {
        return false;
    };
    let digits = &text[..text.len() - unit.len_utf8()];
    units.contains(&unit) && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// Kibana's checks (its schema has `additionalProperties: false` at every level the fake looks at).
fn validate(body: &Map<String, Value>, creating: bool) -> Result<(), Reply> {
    if let Some(key) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(bad_request(format!(
            "[request body.{key}]: definition for this key is missing"
        )));
    }
    if (creating || body.contains_key("title")) && !body.get("title").is_some_and(Value::is_string) {
        return Err(bad_request(
            "[request body.title]: expected value of type [string] but got [undefined]",
        ));
    }
    if body.get("enabled").is_some_and(|e| !e.is_boolean()) {
        return Err(bad_request("[request body.enabled]: expected value of type [boolean]"));
    }
    if creating || body.contains_key("schedule") {
        let custom = body.get("schedule").map(|s| &s["custom"]).unwrap_or(&Value::Null);
        if !custom["start"].is_string() {
            return Err(bad_request(
                "[request body.schedule.custom.start]: expected value of type [string] but got [undefined]",
            ));
        }
        if !custom["duration"]
            .as_str()
            .is_some_and(|d| valid_duration(d, &['d', 'h', 'm', 's']))
        {
            return Err(bad_request(
                "[request body.schedule.custom.duration]: Invalid schedule duration format",
            ));
        }
        if let Some(every) = custom["recurring"]["every"].as_str()
            && !valid_duration(every, &['d', 'w', 'M', 'y'])
        {
            return Err(bad_request(
                "[request body.schedule.custom.recurring.every]: Invalid duration format",
            ));
        }
    }
    if let Some(scope) = body.get("scope")
        && !scope["alerting"]["query"]["kql"].is_string()
    {
        return Err(bad_request(
            "[request body.scope.alerting.query.kql]: expected value of type [string] but got [undefined]",
        ));
    }
    Ok(())
}

fn with_body(ctx: &Ctx, creating: bool, handle: impl FnOnce(Map<String, Value>) -> Reply) -> Reply {
    match ctx.json() {
        Ok(Value::Object(body)) => match validate(&body, creating) {
            Ok(()) => handle(body),
            Err(reply) => reply,
        },
        Ok(_) => bad_request("[request body]: expected a plain object value, but found [null] instead."),
        Err(reply) => reply,
    }
}

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    let mut state = shared.state.lock().expect("state lock");
    let space = ctx.space.clone();
    match (ctx.method.clone(), rest) {
        (Method::POST, []) => with_body(ctx, true, |body| create(&mut state, &space, body)),
        (Method::GET, ["_find"]) => {
            let number = |key: &str, default: u64| {
                ctx.query_one(key)
                    .and_then(|v| v.parse::<f64>().ok())
                    .map_or(default, |v| v as u64)
            };
            let (page, per_page) = (number("page", 1), number("per_page", 10));
            if !(1..=100).contains(&per_page) || !(1..=100).contains(&page) {
                return bad_request("[request query.per_page]: Value must be between 1 and 100");
            }
            let title = ctx.query_one("title");
            let all: Vec<&Value> = state
                .maintenance_windows
                .iter()
                .filter(|((s, _), _)| *s == space)
                .map(|(_, w)| w)
                .filter(|w| title.is_none_or(|t| w["title"] == t))
                .collect();
            let items: Vec<Value> = all
                .iter()
                .skip(((page - 1) * per_page) as usize)
                .take(per_page as usize)
                .map(|w| (*w).clone())
                .collect();
            ok(&json!({"maintenanceWindows": items, "page": page, "per_page": per_page, "total": all.len()}))
        }
        (Method::GET, [id]) => match state.maintenance_windows.get(&(space, (*id).to_owned())) {
            Some(window) => ok(window),
            None => not_found(id),
        },
        (Method::PATCH, [id]) => with_body(ctx, false, |body| {
            let now = state.now_iso();
            let Some(window) = state.maintenance_windows.get_mut(&(space, (*id).to_owned())) else {
                return not_found(id);
            };
            for (key, value) in body {
                window[key.as_str()] = value;
            }
            window["updated_at"] = json!(now);
            ok(window)
        }),
        (Method::DELETE, [id]) => match state.maintenance_windows.remove(&(space, (*id).to_owned())) {
            Some(_) => no_content(),
            None => not_found(id),
        },
        (Method::POST, [id, action @ ("_archive" | "_unarchive")]) => {
            let now = state.now_iso();
            let Some(window) = state.maintenance_windows.get_mut(&(space, (*id).to_owned())) else {
                return not_found(id);
            };
            window["status"] = json!(if *action == "_archive" { "archived" } else { "upcoming" });
            window["updated_at"] = json!(now);
            ok(window)
        }
        _ => crate::http_util::not_found(),
    }
}

fn create(state: &mut State, space: &str, body: Map<String, Value>) -> Reply {
    let id = uuid::Uuid::new_v4().to_string();
    let now = state.now_iso();
    let mut window = json!({
        "id": id, "title": body["title"], "enabled": body.get("enabled").cloned().unwrap_or(json!(true)),
        "schedule": body["schedule"], "created_by": "elastic", "updated_by": "elastic",
        "created_at": now, "updated_at": now, "status": "upcoming",
    });
    if let Some(scope) = body.get("scope") {
        window["scope"] = scope.clone();
    }
    // Kibana fills in the timezone it runs the schedule in.
    if window["schedule"]["custom"]["timezone"].is_null() {
        window["schedule"]["custom"]["timezone"] = json!("UTC");
    }
    state.maintenance_windows.insert((space.to_owned(), id), window.clone());
    ok(&window)
}
