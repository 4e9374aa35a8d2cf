//! `/api/data_views/*`: data views per space, their runtime fields and field metadata, the space's default data
//! view, and reference swaps over the space's saved objects. Answers are shaped as Kibana 9.3 shapes them.

use http::Method;
use serde_json::{Map, Value, json};

use crate::{
    http_util::{Reply, bad_request, boom, conflict, empty_ok, ok},
    server::Ctx,
    state::{Shared, State},
};

pub(crate) const DATA_VIEW_TYPE: &str = "index-pattern";

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    let mut state = shared.state.lock().expect("state lock");
    let space = ctx.space.clone();
    match (ctx.method.clone(), rest) {
        (Method::GET, []) => {
            let views: Vec<Value> = state
                .data_views
                .iter()
                .filter(|((s, _), _)| *s == space)
                .map(|(_, v)| {
                    json!({"id": v["id"], "title": v["title"], "name": v["name"], "namespaces": v["namespaces"],
                           "typeMeta": v.get("typeMeta").cloned().unwrap_or(json!({}))})
                })
                .collect();
            ok(&json!({"data_view": views}))
        }
        (Method::POST, ["data_view"]) => with_body(ctx, |body| create(&mut state, &space, body)),
        (Method::GET, ["data_view", id]) => match state.data_views.get(&(space.clone(), (*id).to_owned())) {
            Some(view) => ok(&json!({"data_view": view})),
            None => view_not_found(id),
        },
        (Method::POST, ["data_view", id]) => with_body(ctx, |body| update(&mut state, &space, id, body)),
        (Method::DELETE, ["data_view", id]) => match state.data_views.remove(&(space.clone(), (*id).to_owned())) {
            // Kibana 9.3 answers 200 with an empty body (the document says 204; the SDK reads both).
            Some(_) => empty_ok(),
            None => view_not_found(id),
        },
        (Method::POST, ["data_view", id, "fields"]) => with_body(ctx, |body| {
            with_view(&mut state, &space, id, true, |view| field_metadata(view, body))
        }),
        (Method::POST | Method::PUT, ["data_view", id, "runtime_field"]) => {
            let upsert = ctx.method == Method::PUT;
            with_body(ctx, |body| {
                with_view(&mut state, &space, id, true, |view| {
                    create_runtime_field(view, body, upsert)
                })
            })
        }
        (Method::GET, ["data_view", id, "runtime_field", name]) => with_view(&mut state, &space, id, false, |view| {
            match view["runtimeFieldMap"].get(*name) {
                Some(field) => Ok(ok(&runtime_field_answer(view, name, field))),
                None => Err(boom(404, format!("Runtime field [{name}] not found"))),
            }
        }),
        (Method::POST, ["data_view", id, "runtime_field", name]) => with_body(ctx, |body| {
            with_view(&mut state, &space, id, true, |view| {
                update_runtime_field(view, name, body)
            })
        }),
        (Method::DELETE, ["data_view", id, "runtime_field", name]) => with_view(&mut state, &space, id, true, |view| {
            let removed = view["runtimeFieldMap"].as_object_mut().and_then(|m| m.remove(*name));
            match removed {
                Some(_) => Ok(ok(&json!({}))),
                None => Err(boom(404, format!("Runtime field [{name}] not found"))),
            }
        }),
        (Method::GET, ["default"]) => {
            let id = state.default_data_views.get(&space).cloned().unwrap_or_default();
            ok(&json!({"data_view_id": id}))
        }
        (Method::POST, ["default"]) => with_body(ctx, |body| {
            let Some(id) = body.get("data_view_id") else {
                return bad_request("[request body.data_view_id]: expected value of type [string] but got [undefined]");
            };
            let force = body["force"].as_bool().unwrap_or(false);
            let current = state.default_data_views.get(&space).cloned();
            if current.is_none() || force {
                match id.as_str() {
                    Some(id) => state.default_data_views.insert(space.clone(), id.to_owned()),
                    None => state.default_data_views.remove(&space),
                };
            }
            ok(&json!({"acknowledged": true}))
        }),
        (Method::POST, ["swap_references"]) => with_body(ctx, |body| swap(&mut state, &space, body, true)),
        (Method::POST, ["swap_references", "_preview"]) => with_body(ctx, |body| swap(&mut state, &space, body, false)),
        _ => crate::http_util::not_found(),
    }
}

/// A stored data view as the `index-pattern` saved object Kibana keeps it as: maps and lists JSON-encoded in
/// its attributes (`fieldFormats` is stored as `fieldFormatMap`).
pub(crate) fn as_saved_object(view: &Value) -> Value {
    let encoded = |key: &str| json!(view.get(key).map_or_else(|| "{}".to_owned(), Value::to_string));
    json!({
        "id": view["id"], "type": DATA_VIEW_TYPE, "version": view["version"], "namespaces": view["namespaces"],
        "references": [], "managed": false, "coreMigrationVersion": "8.8.0", "typeMigrationVersion": "10.2.0",
        "updated_at": "2025-01-01T00:00:00.000Z", "created_at": "2025-01-01T00:00:00.000Z",
        "attributes": {
            "title": view["title"], "name": view["name"], "timeFieldName": view["timeFieldName"],
            "sourceFilters": view.get("sourceFilters").map_or_else(|| "[]".to_owned(), Value::to_string),
            "fieldFormatMap": encoded("fieldFormats"), "runtimeFieldMap": encoded("runtimeFieldMap"),
            "fieldAttrs": encoded("fieldAttrs"), "allowNoIndex": view["allowNoIndex"], "fields": "[]",
        }
    })
}

fn with_body(ctx: &Ctx, handle: impl FnOnce(&Value) -> Reply) -> Reply {
    match ctx.json() {
        Ok(body) if body.is_object() => handle(&body),
        Ok(_) => bad_request("[request body]: expected a plain object value, but found [null] instead."),
        Err(reply) => reply,
    }
}

fn view_not_found(id: &str) -> Reply {
    boom(404, format!("Saved object [{DATA_VIEW_TYPE}/{id}] not found"))
}

/// Runs `change` on a stored data view; a change (`writes`) gets a new version, undone with the rest when the change
/// is refused.
fn with_view(
    state: &mut State,
    space: &str,
    id: &str,
    writes: bool,
    change: impl FnOnce(&mut Value) -> Result<Reply, Reply>,
) -> Reply {
    let Some(view) = state.data_views.get_mut(&(space.to_owned(), id.to_owned())) else {
        return view_not_found(id);
    };
    let before = view.clone();
    if writes {
        bump_version(view);
    }
    change(view).unwrap_or_else(|refusal| {
        *view = before;
        refusal
    })
}

fn bump_version(view: &mut Value) {
    let n = view["version"]
        .as_str()
        .and_then(|v| v.strip_prefix("Wz"))
        .map_or(0, |v| v.len());
    view["version"] = json!(format!("Wz{}", "x".repeat(n + 1)));
}

fn create(state: &mut State, space: &str, body: &Value) -> Reply {
    let Some(spec) = body.get("data_view").and_then(Value::as_object) else {
        return bad_request("[request body.data_view.title]: expected value of type [string] but got [undefined]");
    };
    let Some(title) = spec.get("title").and_then(Value::as_str) else {
        return bad_request("[request body.data_view.title]: expected value of type [string] but got [undefined]");
    };
    if title.is_empty() {
        return bad_request(
            "[request body.data_view.title]: value has length [0] but it must have a minimum length of [1].",
        );
    }
    let override_existing = body["override"].as_bool().unwrap_or(false);
    let duplicate = state
        .data_views
        .iter()
        .find(|((s, _), v)| s == space && v["title"] == title)
        .map(|((_, id), _)| id.clone());
    if let Some(existing) = duplicate {
        if !override_existing {
            return bad_request(format!("Duplicate data view: {title}"));
        }
        state.data_views.remove(&(space.to_owned(), existing));
    }
    let id = spec
        .get("id")
        .and_then(Value::as_str)
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    if state.data_views.contains_key(&(space.to_owned(), id.clone())) {
        return conflict(DATA_VIEW_TYPE, &id);
    }
    let mut view = Map::new();
    for (key, default) in [
        ("title", json!(title)),
        ("name", json!(title)),
        ("timeFieldName", Value::Null),
        ("sourceFilters", json!([])),
        ("fieldFormats", json!({})),
        ("runtimeFieldMap", json!({})),
        ("fieldAttrs", json!({})),
        ("allowNoIndex", json!(false)),
        ("namespaces", json!([space])),
    ] {
        let value = spec.get(key).cloned().filter(|v| !v.is_null()).unwrap_or(default);
        if !value.is_null() {
            view.insert(key.into(), value);
        }
    }
    for key in ["type", "typeMeta"] {
        if let Some(value) = spec.get(key) {
            view.insert(key.into(), value.clone());
        }
    }
    view.insert("id".into(), json!(id));
    view.insert("version".into(), json!("WzE="));
    view.insert("fields".into(), fields(&view));
    let view = Value::Object(view);
    let reply = ok(&json!({"data_view": view}));
    state.data_views.insert((space.to_owned(), id), view);
    reply
}

/// The field list as Kibana computes it: here only the runtime fields (the fake has no indices).
fn fields(view: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    if let Some(runtime) = view.get("runtimeFieldMap").and_then(Value::as_object) {
        for (name, field) in runtime {
            out.insert(
                name.clone(),
                json!({"name": name, "type": field["type"], "runtimeField": field, "searchable": true, "aggregatable": true}),
            );
        }
    }
    Value::Object(out)
}

const UPDATABLE: &[&str] = &[
    "title",
    "name",
    "timeFieldName",
    "sourceFilters",
    "fieldFormats",
    "runtimeFieldMap",
    "allowNoIndex",
    "type",
    "typeMeta",
    "fields",
];

fn update(state: &mut State, space: &str, id: &str, body: &Value) -> Reply {
    let Some(changes) = body.get("data_view").and_then(Value::as_object).cloned() else {
        return bad_request("[request body.data_view]: expected value of type [object] but got [undefined]");
    };
    if let Some(key) = changes.keys().find(|k| !UPDATABLE.contains(&k.as_str())) {
        return bad_request(format!(
            "[request body.data_view.{key}]: definition for this key is missing"
        ));
    }
    if changes
        .get("title")
        .is_some_and(|t| t.as_str().is_none_or(str::is_empty))
    {
        return bad_request(
            "[request body.data_view.title]: value has length [0] but it must have a minimum length of [1].",
        );
    }
    with_view(state, space, id, true, |view| {
        for (key, value) in changes {
            view[key.as_str()] = value;
        }
        if body["refresh_fields"].as_bool().unwrap_or(false) || view["fields"].is_null() {
            let computed = fields(view.as_object().expect("stored data views are objects"));
            view["fields"] = computed;
        }
        Ok(ok(&json!({"data_view": view})))
    })
}

fn field_metadata(view: &mut Value, body: &Value) -> Result<Reply, Reply> {
    let Some(fields) = body.get("fields").and_then(Value::as_object) else {
        return Err(bad_request(
            "[request body.fields]: expected value of type [object] but got [undefined]",
        ));
    };
    if fields.is_empty() {
        return Err(bad_request("Change set is empty."));
    }
    for (name, change) in fields {
        let Some(change) = change.as_object() else {
            return Err(bad_request(format!("[request body.fields.{name}]: expected an object")));
        };
        if let Some(description) = change.get("customDescription").and_then(Value::as_str)
            && description.chars().count() > 300
        {
            return Err(bad_request(format!(
                "[request body.fields.{name}.customDescription]: value has length [{}] but it must have a maximum length of [300].",
                description.chars().count()
            )));
        }
        let attrs = view["fieldAttrs"]
            .as_object_mut()
            .expect("stored data views have fieldAttrs")
            .entry(name.clone())
            .or_insert_with(|| json!({}));
        for (key, value) in change {
            if !["customLabel", "customDescription", "count"].contains(&key.as_str()) {
                return Err(bad_request(format!(
                    "[request body.fields.{name}.{key}]: definition for this key is missing"
                )));
            }
            match value {
                Value::Null => attrs.as_object_mut().map(|a| a.remove(key)),
                value => attrs.as_object_mut().map(|a| a.insert(key.clone(), value.clone())),
            };
        }
        if attrs.as_object().is_some_and(Map::is_empty) {
            view["fieldAttrs"].as_object_mut().map(|a| a.remove(name));
        }
    }
    Ok(ok(&json!({"acknowledged": true})))
}

fn runtime_field_answer(view: &Value, name: &str, field: &Value) -> Value {
    json!({
        "data_view": view,
        "fields": [{"name": name, "type": field["type"], "runtimeField": field, "searchable": true, "aggregatable": true}]
    })
}

fn create_runtime_field(view: &mut Value, body: &Value, upsert: bool) -> Result<Reply, Reply> {
    let Some(name) = body.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) else {
        return Err(bad_request(
            "[request body.name]: expected value of type [string] but got [undefined]",
        ));
    };
    let Some(field) = body.get("runtimeField").filter(|f| f["type"].is_string()) else {
        return Err(bad_request(
            "[request body.runtimeField.type]: expected value of type [string]",
        ));
    };
    let map = view["runtimeFieldMap"]
        .as_object_mut()
        .expect("stored data views have runtimeFieldMap");
    if map.contains_key(name) && !upsert {
        return Err(bad_request(format!("Field [name={name}] already exists.")));
    }
    map.insert(name.to_owned(), field.clone());
    let computed = fields(view.as_object().expect("object"));
    view["fields"] = computed;
    Ok(ok(&runtime_field_answer(view, name, field)))
}

fn update_runtime_field(view: &mut Value, name: &str, body: &Value) -> Result<Reply, Reply> {
    let Some(changes) = body.get("runtimeField").and_then(Value::as_object) else {
        return Err(bad_request(
            "[request body.runtimeField]: expected value of type [object]",
        ));
    };
    if let Some(key) = changes.keys().find(|k| !["type", "script"].contains(&k.as_str())) {
        return Err(bad_request(format!(
            "[request body.runtimeField.{key}]: definition for this key is missing"
        )));
    }
    let Some(field) = view["runtimeFieldMap"].get_mut(name) else {
        return Err(boom(404, format!("Runtime field [{name}] not found")));
    };
    for (key, value) in changes {
        field[key.as_str()] = value.clone();
    }
    let field = field.clone();
    let computed = fields(view.as_object().expect("object"));
    view["fields"] = computed;
    Ok(ok(&runtime_field_answer(view, name, &field)))
}

/// Swaps references from one object to another in the space's saved objects (and, with `delete`, deletes the
/// source data view once nothing references it).
fn swap(state: &mut State, space: &str, body: &Value, apply: bool) -> Reply {
    let (Some(from_id), Some(to_id)) = (body["fromId"].as_str(), body["toId"].as_str()) else {
        return bad_request("[request body.fromId]: expected value of type [string] but got [undefined]");
    };
    let from_type = body["fromType"].as_str().unwrap_or(DATA_VIEW_TYPE);
    let for_type = body["forType"].as_str();
    let for_ids: Option<Vec<String>> = match &body["forId"] {
        Value::Null => None,
        Value::String(id) => Some(vec![id.clone()]),
        Value::Array(ids) => Some(ids.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
        _ => return bad_request("[request body.forId]: expected a string or an array of strings"),
    };
    let mut result = Vec::new();
    for ((s, object_type, id), object) in state.saved_objects.iter_mut() {
        if s != space
            || for_type.is_some_and(|t| t != object_type)
            || for_ids.as_ref().is_some_and(|ids| !ids.contains(id))
        {
            continue;
        }
        let Some(references) = object["references"].as_array_mut() else {
            continue;
        };
        let mut touched = false;
        for reference in references.iter_mut() {
            if reference["type"] == from_type && reference["id"] == from_id {
                touched = true;
                if apply {
                    reference["id"] = json!(to_id);
                }
            }
        }
        if touched {
            result.push(json!({"id": id, "type": object_type}));
        }
    }
    let mut answer = json!({"result": result});
    if apply && body["delete"].as_bool() == Some(true) {
        let remaining = state
            .saved_objects
            .iter()
            .filter(|((s, _, _), _)| s == space)
            .flat_map(|(_, o)| o["references"].as_array().cloned().unwrap_or_default())
            .filter(|r| r["type"] == from_type && r["id"] == from_id)
            .count();
        let delete_performed = remaining == 0
            && from_type == DATA_VIEW_TYPE
            && state
                .data_views
                .remove(&(space.to_owned(), from_id.to_owned()))
                .is_some();
        answer["deleteStatus"] = json!({"remainingRefs": remaining, "deletePerformed": delete_performed});
    }
    ok(&answer)
}
