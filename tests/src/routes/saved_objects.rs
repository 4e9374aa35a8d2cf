//! `/api/saved_objects`: CRUD, bulk, find, resolve, NDJSON export and multipart import, per space.

use std::collections::BTreeMap;

use bytes::Bytes;
use http::{Method, Response, header};
use http_body_util::{BodyExt, StreamBody};
use serde_json::{Value, json};

use crate::{
    http_util::{Reply, bad_request, boom, conflict, not_found, ok, saved_object_not_found},
    server::Ctx,
    state::{Shared, State},
};

const RESULT_WINDOW: u64 = 10_000;

type Key = (String, String, String);

pub(crate) fn new_object(object_type: &str, id: &str, attributes: Value, references: Vec<Value>) -> Value {
    let now = httpdate::fmt_http_date(std::time::SystemTime::now());
    json!({
        "id": id, "type": object_type, "attributes": attributes, "references": references,
        "version": "WzEsMV0=", "created_at": now, "updated_at": now, "coreMigrationVersion": "8.8.0"
    })
}

fn with_namespace(object: &Value, space: &str) -> Value {
    let mut object = object.clone();
    object["namespaces"] = json!([space]);
    object
}

fn error_item(object_type: &str, id: &str, status: u16, message: String) -> Value {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    json!({"id": id, "type": object_type, "error": {"statusCode": status, "error": reason, "message": message}})
}

pub(crate) fn route(shared: &Shared, ctx: &Ctx, rest: &[&str]) -> Reply {
    // Multipart bodies are parsed before the state is locked.
    if ctx.method == Method::POST && matches!(rest, ["_import"] | ["_resolve_import_errors"]) {
        return import(shared, ctx, rest[0] == "_resolve_import_errors");
    }
    let mut state = shared.state.lock().expect("state lock");
    let space = ctx.space.clone();
    let body = match ctx.json() {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    match (ctx.method.clone(), rest) {
        (Method::GET, ["_find"]) => find(&state, ctx, &space),
        (Method::POST, ["_export"]) => export(shared, &state, &space, &body),
        (Method::POST, ["_bulk_create"]) => bulk_create(&mut state, &space, &body, ctx.query_bool("overwrite")),
        (Method::POST, ["_bulk_get"]) => bulk_get(&state, &space, &body),
        (Method::POST, ["_bulk_update"]) => bulk_update(&mut state, &space, &body),
        (Method::POST, ["_bulk_delete"]) => bulk_delete(&mut state, &space, &body),
        (Method::POST, ["_bulk_resolve"]) => {
            let Some(items) = body.as_array() else {
                return bad_request("[request body]: expected value of type [array]");
            };
            let resolved: Vec<Value> = items
                .iter()
                .map(|item| {
                    let (t, id) = (item["type"].as_str().unwrap_or_default(), item["id"].as_str().unwrap_or_default());
                    match resolve_one(&state, &space, t, id) {
                        Some(resolved) => resolved,
                        None => json!({"saved_object": error_item(t, id, 404, format!("Saved object [{t}/{id}] not found")), "outcome": "exactMatch"}),
                    }
                })
                .collect();
            ok(&json!({"resolved_objects": resolved}))
        }
        (Method::GET, ["resolve", object_type, id]) => match resolve_one(&state, &space, object_type, id) {
            Some(resolved) => ok(&resolved),
            None => saved_object_not_found(object_type, id),
        },
        (Method::POST, [object_type]) => {
            let id = uuid::Uuid::new_v4().to_string();
            create(&mut state, &space, object_type, &id, &body, false)
        }
        (Method::POST, [object_type, id]) => {
            create(&mut state, &space, object_type, id, &body, ctx.query_bool("overwrite"))
        }
        (Method::GET, [object_type, id]) => match state.saved_objects.get(&key(&space, object_type, id)) {
            Some(object) => ok(&with_namespace(object, &space)),
            None => saved_object_not_found(object_type, id),
        },
        (Method::PUT, [object_type, id]) => {
            let Some(object) = state.saved_objects.get_mut(&key(&space, object_type, id)) else {
                return saved_object_not_found(object_type, id);
            };
            if !body["attributes"].is_object() {
                return bad_request("[request body.attributes]: expected value of type [object] but got [undefined]");
            }
            for (k, v) in body["attributes"].as_object().into_iter().flatten() {
                object["attributes"][k] = v.clone();
            }
            if body["references"].is_array() {
                object["references"] = body["references"].clone();
            }
            object["updated_at"] = json!(httpdate::fmt_http_date(std::time::SystemTime::now()));
            let mut updated = object.clone();
            updated["namespaces"] = json!([space]);
            ok(&updated)
        }
        (Method::DELETE, [object_type, id]) => match state.saved_objects.remove(&key(&space, object_type, id)) {
            Some(_) => ok(&json!({})),
            None => saved_object_not_found(object_type, id),
        },
        _ => not_found(),
    }
}

fn key(space: &str, object_type: &str, id: &str) -> Key {
    (space.to_owned(), object_type.to_owned(), id.to_owned())
}

fn create(state: &mut State, space: &str, object_type: &str, id: &str, body: &Value, overwrite: bool) -> Reply {
    if !body["attributes"].is_object() {
        return bad_request("[request body.attributes]: expected value of type [object] but got [undefined]");
    }
    let k = key(space, object_type, id);
    if state.saved_objects.contains_key(&k) && !overwrite {
        return conflict(object_type, id);
    }
    let references = body["references"].as_array().cloned().unwrap_or_default();
    let object = new_object(object_type, id, body["attributes"].clone(), references);
    state.saved_objects.insert(k, object.clone());
    ok(&with_namespace(&object, space))
}

fn resolve_one(state: &State, space: &str, object_type: &str, id: &str) -> Option<Value> {
    let exact = state.saved_objects.get(&key(space, object_type, id));
    let alias = state.aliases.get(&key(space, object_type, id));
    let alias_target = alias.and_then(|target| {
        state
            .saved_objects
            .get(&key(space, object_type, target))
            .map(|o| (target, o))
    });
    match (exact, alias_target) {
        (Some(object), Some((target, _))) => Some(json!({
            "saved_object": with_namespace(object, space), "outcome": "conflict", "alias_target_id": target
        })),
        (Some(object), None) => Some(json!({"saved_object": with_namespace(object, space), "outcome": "exactMatch"})),
        (None, Some((target, object))) => Some(json!({
            "saved_object": with_namespace(object, space), "outcome": "aliasMatch", "alias_target_id": target,
            "alias_purpose": "savedObjectConversion"
        })),
        (None, None) => None,
    }
}

fn find(state: &State, ctx: &Ctx, space: &str) -> Reply {
    let Some(types) = ctx.query.get("type").filter(|t| !t.is_empty()) else {
        return bad_request("[request query.type]: expected at least one defined value but got [undefined]");
    };
    let per_page: u64 = ctx.query_one("per_page").and_then(|v| v.parse().ok()).unwrap_or(20);
    let page: u64 = ctx.query_one("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    if page * per_page > RESULT_WINDOW {
        return bad_request(format!(
            "Result window is too large, page * perPage must be less than or equal to: [{RESULT_WINDOW}] but was [{}]",
            page * per_page
        ));
    }
    let search = ctx.query_one("search").map(|s| s.trim_end_matches('*').to_lowercase());
    let has_reference: Vec<Value> = ctx
        .query
        .get("has_reference")
        .into_iter()
        .flatten()
        .filter_map(|raw| serde_json::from_str::<Value>(raw).ok())
        .flat_map(|v| if let Value::Array(items) = v { items } else { vec![v] })
        .collect();
    // Data views are `index-pattern` saved objects: Kibana's find answers them too, attributes JSON-encoded.
    let data_views: Vec<Value> = if types.iter().any(|t| t == super::data_views::DATA_VIEW_TYPE) {
        state
            .data_views
            .iter()
            .filter(|((s, _), _)| s == space)
            .map(|(_, view)| super::data_views::as_saved_object(view))
            .collect()
    } else {
        Vec::new()
    };
    let mut matches: Vec<&Value> = state
        .saved_objects
        .iter()
        .filter(|((s, t, _), _)| s == space && types.contains(t))
        .map(|(_, object)| object)
        .chain(&data_views)
        .filter(|object| {
            search.as_ref().is_none_or(|needle| {
                object["attributes"].as_object().into_iter().flatten().any(|(_, v)| {
                    v.as_str()
                        .is_some_and(|text| text.to_lowercase().contains(needle.as_str()))
                })
            })
        })
        .filter(|object| {
            has_reference.iter().all(|wanted| {
                object["references"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|r| r["type"] == wanted["type"] && r["id"] == wanted["id"])
            })
        })
        .collect();
    if let Some(field) = ctx.query_one("sort_field") {
        matches.sort_by(|a, b| {
            let (x, y) = (&a["attributes"][field], &b["attributes"][field]);
            x.to_string()
                .cmp(&y.to_string())
                .then_with(|| a["id"].to_string().cmp(&b["id"].to_string()))
        });
    }
    let total = matches.len() as u64;
    let fields: Vec<&String> = ctx.query.get("fields").into_iter().flatten().collect();
    let items: Vec<Value> = matches
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(|object| {
            let mut out = with_namespace(object, space);
            if !fields.is_empty() {
                let attributes: serde_json::Map<String, Value> = fields
                    .iter()
                    .filter_map(|f| object["attributes"].get(f.as_str()).map(|v| ((*f).clone(), v.clone())))
                    .collect();
                out["attributes"] = Value::Object(attributes);
            }
            out["score"] = json!(0);
            out
        })
        .collect();
    ok(&json!({"page": page, "per_page": per_page, "total": total, "saved_objects": items}))
}

fn bulk_create(state: &mut State, space: &str, body: &Value, overwrite: bool) -> Reply {
    let Some(items) = body.as_array() else {
        return bad_request("[request body]: expected value of type [array]");
    };
    let results: Vec<Value> = items
        .iter()
        .map(|item| {
            let object_type = item["type"].as_str().unwrap_or_default();
            let id = item["id"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            let k = key(space, object_type, &id);
            if state.saved_objects.contains_key(&k) && !overwrite {
                return error_item(
                    object_type,
                    &id,
                    409,
                    format!("Saved object [{object_type}/{id}] conflict"),
                );
            }
            let references = item["references"].as_array().cloned().unwrap_or_default();
            let object = new_object(object_type, &id, item["attributes"].clone(), references);
            state.saved_objects.insert(k, object.clone());
            with_namespace(&object, space)
        })
        .collect();
    ok(&json!({"saved_objects": results}))
}

fn bulk_get(state: &State, space: &str, body: &Value) -> Reply {
    let Some(items) = body.as_array() else {
        return bad_request("[request body]: expected value of type [array]");
    };
    let results: Vec<Value> = items
        .iter()
        .map(|item| {
            let (t, id) = (
                item["type"].as_str().unwrap_or_default(),
                item["id"].as_str().unwrap_or_default(),
            );
            match state.saved_objects.get(&key(space, t, id)) {
                Some(object) => with_namespace(object, space),
                None => error_item(t, id, 404, format!("Saved object [{t}/{id}] not found")),
            }
        })
        .collect();
    ok(&json!({"saved_objects": results}))
}

fn bulk_update(state: &mut State, space: &str, body: &Value) -> Reply {
    let Some(items) = body.as_array() else {
        return bad_request("[request body]: expected value of type [array]");
    };
    let results: Vec<Value> = items
        .iter()
        .map(|item| {
            let (t, id) = (
                item["type"].as_str().unwrap_or_default(),
                item["id"].as_str().unwrap_or_default(),
            );
            match state.saved_objects.get_mut(&key(space, t, id)) {
                Some(object) => {
                    for (k, v) in item["attributes"].as_object().into_iter().flatten() {
                        object["attributes"][k] = v.clone();
                    }
                    if item["references"].is_array() {
                        object["references"] = item["references"].clone();
                    }
                    with_namespace(object, space)
                }
                None => error_item(t, id, 404, format!("Saved object [{t}/{id}] not found")),
            }
        })
        .collect();
    ok(&json!({"saved_objects": results}))
}

fn bulk_delete(state: &mut State, space: &str, body: &Value) -> Reply {
    let Some(items) = body.as_array() else {
        return bad_request("[request body]: expected value of type [array]");
    };
    let statuses: Vec<Value> = items
        .iter()
        .map(|item| {
            let (t, id) = (
                item["type"].as_str().unwrap_or_default(),
                item["id"].as_str().unwrap_or_default(),
            );
            match state.saved_objects.remove(&key(space, t, id)) {
                Some(_) => json!({"id": id, "type": t, "success": true}),
                None => {
                    let mut e = error_item(t, id, 404, format!("Saved object [{t}/{id}] not found"));
                    e["success"] = json!(false);
                    e
                }
            }
        })
        .collect();
    ok(&json!({"statuses": statuses}))
}

fn export(shared: &Shared, state: &State, space: &str, body: &Value) -> Reply {
    let mut objects: Vec<Value> = Vec::new();
    let mut missing: Vec<Value> = Vec::new();
    if let Some(wanted) = body["objects"].as_array() {
        for item in wanted {
            let (t, id) = (
                item["type"].as_str().unwrap_or_default(),
                item["id"].as_str().unwrap_or_default(),
            );
            match state.saved_objects.get(&key(space, t, id)) {
                Some(o) => objects.push(o.clone()),
                None => missing.push(json!({"type": t, "id": id})),
            }
        }
    } else {
        let types: Vec<String> = match &body["type"] {
            Value::String(t) => vec![t.clone()],
            Value::Array(ts) => ts.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
            _ => return bad_request("Either `type` or `objects` are required."),
        };
        objects = state
            .saved_objects
            .iter()
            .filter(|((s, t, _), _)| s == space && types.contains(t))
            .map(|(_, o)| o.clone())
            .collect();
    }
    if body["includeReferencesDeep"].as_bool().unwrap_or(false) {
        let mut seen: BTreeMap<(String, String), ()> = objects
            .iter()
            .map(|o| {
                (
                    (
                        o["type"].as_str().unwrap_or_default().to_owned(),
                        o["id"].as_str().unwrap_or_default().to_owned(),
                    ),
                    (),
                )
            })
            .collect();
        let mut index = 0;
        while index < objects.len() {
            let references = objects[index]["references"].as_array().cloned().unwrap_or_default();
            for reference in references {
                let (t, id) = (
                    reference["type"].as_str().unwrap_or_default(),
                    reference["id"].as_str().unwrap_or_default(),
                );
                if seen.insert((t.to_owned(), id.to_owned()), ()).is_none()
                    && let Some(o) = state.saved_objects.get(&key(space, t, id))
                {
                    objects.push(o.clone());
                }
            }
            index += 1;
        }
    }
    if objects.len() > shared.config.export_size_limit {
        return bad_request(format!(
            "Can't export more than {} objects",
            shared.config.export_size_limit
        ));
    }
    let exclude_details = body["excludeExportDetails"].as_bool().unwrap_or(false);
    let count = objects.len();
    let details = json!({"excludedObjects": [], "excludedObjectsCount": 0, "exportedCount": count,
                         "missingRefCount": missing.len(), "missingReferences": missing});
    // Streamed in chunks, like Kibana, so that a large export is not one allocation on either side.
    let chunks = objects
        .chunks(256)
        .map(|chunk| {
            let mut text = String::new();
            for object in chunk {
                text.push_str(&serde_json::to_string(object).expect("JSON values serialize"));
                text.push('\n');
            }
            Ok(hyper::body::Frame::data(Bytes::from(text)))
        })
        .chain((!exclude_details).then(|| Ok(hyper::body::Frame::data(Bytes::from(format!("{details}\n"))))))
        .collect::<Vec<Result<_, std::io::Error>>>();
    Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "application/ndjson")
        .header(header::CONTENT_DISPOSITION, "attachment; filename=\"export.ndjson\"")
        .body(StreamBody::new(futures::stream::iter(chunks)).boxed())
        .expect("valid response")
}

/// `_import` and `_resolve_import_errors`: a multipart body with an `.ndjson` file (and `retries` for the latter).
fn import(shared: &Shared, ctx: &Ctx, resolve_errors: bool) -> Reply {
    let overwrite = ctx.query_bool("overwrite");
    let create_new_copies = ctx.query_bool("createNewCopies");
    if overwrite && create_new_copies {
        return bad_request("[request query]: cannot use [overwrite] with [createNewCopies]");
    }
    let Some(boundary) = ctx
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
    else {
        return boom(415, "Unsupported Media Type");
    };
    let body = ctx.body.clone();
    let parsed = futures::executor::block_on(async move {
        let mut multipart = multer::Multipart::new(
            futures::stream::once(async move { Ok::<_, std::io::Error>(body) }),
            boundary,
        );
        let mut file: Option<(String, Bytes)> = None;
        let mut retries: Option<String> = None;
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    file = Some((name, field.bytes().await.map_err(|e| e.to_string())?));
                }
                Some("retries") => retries = Some(field.text().await.map_err(|e| e.to_string())?),
                _ => {}
            }
        }
        Ok::<_, String>((file, retries))
    });
    let (file, retries) = match parsed {
        Ok(parts) => parts,
        Err(message) => return bad_request(format!("Invalid multipart body: {message}")),
    };
    let Some((file_name, content)) = file else {
        return bad_request("[request body.file]: expected value of type [Stream] but got [undefined]");
    };
    if !file_name.ends_with(".ndjson") {
        return bad_request(format!(
            "Invalid file extension {}",
            file_name
                .rsplit('.')
                .next()
                .map(|e| format!(".{e}"))
                .unwrap_or_default()
        ));
    }
    let retries: Vec<Value> = match (resolve_errors, retries) {
        (true, Some(text)) => serde_json::from_str(&text).unwrap_or_default(),
        (true, None) => {
            return bad_request("[request body.retries]: expected value of type [array] but got [undefined]");
        }
        _ => Vec::new(),
    };
    let mut objects = Vec::new();
    for line in String::from_utf8_lossy(&content)
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            return bad_request("Unexpected token in JSON");
        };
        if value.get("exportedCount").is_some() {
            continue;
        }
        objects.push(value);
    }

    let mut state = shared.state.lock().expect("state lock");
    let space = ctx.space.clone();
    let mut errors = Vec::new();
    let mut successes = Vec::new();
    for object in objects {
        let object_type = object["type"].as_str().unwrap_or_default().to_owned();
        let id = object["id"].as_str().unwrap_or_default().to_owned();
        let retry = retries
            .iter()
            .find(|r| r["type"] == object_type.as_str() && r["id"] == id.as_str());
        if resolve_errors && retry.is_none() {
            continue;
        }
        let retry_overwrite = retry.and_then(|r| r["overwrite"].as_bool()).unwrap_or(false);
        let destination = if create_new_copies {
            uuid::Uuid::new_v4().to_string()
        } else {
            retry
                .and_then(|r| r["destinationId"].as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| id.clone())
        };
        let k = key(&space, &object_type, &destination);
        let title = object["attributes"]["title"].clone();
        if state.saved_objects.contains_key(&k) && !(overwrite || retry_overwrite) {
            errors.push(
                json!({"id": id, "type": object_type, "title": title, "meta": {"title": title},
                               "error": {"type": "conflict"}}),
            );
            continue;
        }
        let references = object["references"].as_array().cloned().unwrap_or_default();
        state.saved_objects.insert(
            k,
            new_object(&object_type, &destination, object["attributes"].clone(), references),
        );
        let mut success = json!({"type": object_type, "id": id, "meta": {"title": title}});
        if destination != id {
            success["destinationId"] = json!(destination);
        }
        if overwrite || retry_overwrite {
            success["overwrite"] = json!(true);
        }
        successes.push(success);
    }
    ok(
        &json!({"success": errors.is_empty(), "successCount": successes.len(), "errors": errors, "successResults": successes}),
    )
}
