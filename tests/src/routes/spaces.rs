use http::Method;
use serde_json::{Value, json};

use crate::{
    http_util::{Reply, bad_request, boom, no_content, not_found, ok},
    server::Ctx,
    state::Shared,
};

const MAX_SPACES: usize = 1000;

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '-'))
}

/// Kibana's space validation, with its messages.
fn validate(body: &Value) -> Result<Value, Reply> {
    let Some(object) = body.as_object() else {
        return Err(bad_request(
            "[request body]: expected a plain object value, but found [null] instead.",
        ));
    };
    let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
    if !valid_id(id) {
        return Err(bad_request(
            "[request body.id]: must be lower case, a-z, 0-9, '_', and '-' are allowed",
        ));
    }
    match object.get("name").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => {}
        Some(_) => {
            return Err(bad_request(
                "[request body.name]: value has length [0] but it must have a minimum length of [1].",
            ));
        }
        None => {
            return Err(bad_request(
                "[request body.name]: expected value of type [string] but got [undefined]",
            ));
        }
    }
    if let Some(color) = object.get("color").and_then(Value::as_str) {
        let hex = color.strip_prefix('#').unwrap_or_default();
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad_request(
                "[request body.color]: must be a 6 digit hex color, starting with a #",
            ));
        }
    }
    if object
        .get("initials")
        .and_then(Value::as_str)
        .is_some_and(|i| i.chars().count() > 2)
    {
        return Err(bad_request(
            "[request body.initials]: value has length [3] but it must have a maximum length of [2].",
        ));
    }
    if object
        .get("imageUrl")
        .and_then(Value::as_str)
        .is_some_and(|u| !u.starts_with("data:image"))
    {
        return Err(bad_request("[request body.imageUrl]: must start with 'data:image'"));
    }
    let mut space = object.clone();
    space.remove("_reserved");
    space.entry("disabledFeatures").or_insert_with(|| json!([]));
    Ok(Value::Object(space))
}

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    let mut state = shared.state.lock().expect("state lock");
    match (ctx.method.clone(), rest) {
        (Method::GET, ["space"]) => ok(&Value::Array(state.spaces.values().cloned().collect())),
        (Method::POST, ["space"]) => {
            let body = match ctx.json() {
                Ok(b) => b,
                Err(reply) => return reply,
            };
            let space = match validate(&body) {
                Ok(s) => s,
                Err(reply) => return reply,
            };
            let id = space["id"].as_str().unwrap_or_default().to_owned();
            if state.spaces.contains_key(&id) {
                return boom(409, format!("A space with the identifier {id} already exists."));
            }
            if state.spaces.len() >= MAX_SPACES {
                return bad_request(format!(
                    "Unable to create Space, this exceeds the maximum number of spaces set by the xpack.spaces.maxSpaces setting ({MAX_SPACES})"
                ));
            }
            state.spaces.insert(id, space.clone());
            ok(&space)
        }
        (Method::GET, ["space", id]) => match state.spaces.get(*id) {
            Some(space) => ok(space),
            None => not_found(),
        },
        (Method::PUT, ["space", id]) => {
            let body = match ctx.json() {
                Ok(b) => b,
                Err(reply) => return reply,
            };
            let mut space = match validate(&body) {
                Ok(s) => s,
                Err(reply) => return reply,
            };
            let Some(existing) = state.spaces.get(*id) else {
                return not_found();
            };
            if existing.get("_reserved").is_some() {
                space["_reserved"] = json!(true);
            }
            space["id"] = json!(id);
            state.spaces.insert((*id).to_owned(), space.clone());
            ok(&space)
        }
        (Method::DELETE, ["space", id]) => {
            if *id == "default" {
                return bad_request("The default space cannot be deleted because it is reserved.");
            }
            if state.spaces.remove(*id).is_none() {
                return not_found();
            }
            let space = (*id).to_owned();
            state.connectors.retain(|(s, _), _| *s != space);
            state.saved_objects.retain(|(s, _, _), _| *s != space);
            state.rules.retain(|(s, _), _| *s != space);
            state.data_views.retain(|(s, _), _| *s != space);
            state.default_data_views.remove(&space);
            state.maintenance_windows.retain(|(s, _), _| *s != space);
            no_content()
        }
        (Method::POST, ["_copy_saved_objects"]) => {
            super::copy::copy(&mut state, &ctx.space, &ctx.json().unwrap_or_default())
        }
        (Method::POST, ["_resolve_copy_saved_objects_errors"]) => {
            super::copy::resolve_errors(&mut state, &ctx.space, &ctx.json().unwrap_or_default())
        }
        (Method::POST, ["_update_objects_spaces"]) => {
            super::copy::update_spaces(&mut state, &ctx.space, &ctx.json().unwrap_or_default())
        }
        (Method::POST, ["_get_shareable_references"]) => {
            super::copy::shareable(&state, &ctx.space, &ctx.json().unwrap_or_default())
        }
        (Method::POST, ["_disable_legacy_url_aliases"]) => {
            let body = ctx.json().unwrap_or_default();
            for alias in body["aliases"].as_array().into_iter().flatten() {
                let key = (
                    alias["targetSpace"].as_str().unwrap_or_default().to_owned(),
                    alias["targetType"].as_str().unwrap_or_default().to_owned(),
                    alias["sourceId"].as_str().unwrap_or_default().to_owned(),
                );
                state.aliases.remove(&key);
            }
            no_content()
        }
        _ => not_found(),
    }
}
