//! Copying and sharing saved objects between spaces (`/api/spaces/_copy_saved_objects` and friends).

use serde_json::{Map, Value, json};

use crate::{
    http_util::{Reply, bad_request, ok},
    routes::saved_objects::new_object,
    state::State,
};

type Key = (String, String, String);

fn object_key(space: &str, item: &Value) -> Key {
    (
        space.to_owned(),
        item["type"].as_str().unwrap_or_default().to_owned(),
        item["id"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The objects asked for, plus (optionally) what they reference, recursively, as found in `space`.
fn collect(state: &State, space: &str, objects: &[Value], include_references: bool) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut queue: Vec<Key> = objects.iter().map(|o| object_key(space, o)).collect();
    while let Some(key) = queue.pop() {
        if out
            .iter()
            .any(|o| o["type"] == key.1.as_str() && o["id"] == key.2.as_str())
        {
            continue;
        }
        let Some(object) = state.saved_objects.get(&key) else {
            continue;
        };
        if include_references {
            for reference in object["references"].as_array().into_iter().flatten() {
                queue.push(object_key(space, reference));
            }
        }
        out.push(object.clone());
    }
    out
}

fn copy_into(
    state: &mut State,
    target: &str,
    objects: &[Value],
    overwrite: &dyn Fn(&Value) -> bool,
    new_copies: bool,
) -> Value {
    let (mut successes, mut errors) = (Vec::new(), Vec::new());
    for object in objects {
        let (object_type, id) = (
            object["type"].as_str().unwrap_or_default(),
            object["id"].as_str().unwrap_or_default(),
        );
        let destination = if new_copies {
            uuid::Uuid::new_v4().to_string()
        } else {
            id.to_owned()
        };
        let key = (target.to_owned(), object_type.to_owned(), destination.clone());
        let title = object["attributes"]["title"].clone();
        let overwriting = overwrite(object);
        if state.saved_objects.contains_key(&key) && !overwriting {
            errors.push(
                json!({"type": object_type, "id": id, "title": title, "meta": {"title": title},
                               "error": {"type": "conflict", "destinationId": destination}}),
            );
            continue;
        }
        let references = object["references"].as_array().cloned().unwrap_or_default();
        state.saved_objects.insert(
            key,
            new_object(object_type, &destination, object["attributes"].clone(), references),
        );
        let mut success = json!({"type": object_type, "id": id, "meta": {"title": title}});
        if destination != id {
            success["destinationId"] = json!(destination);
        }
        if overwriting {
            success["overwrite"] = json!(true);
        }
        successes.push(success);
    }
    json!({"success": errors.is_empty(), "successCount": successes.len(), "successResults": successes, "errors": errors})
}

pub(crate) fn copy(state: &mut State, source: &str, body: &Value) -> Reply {
    let overwrite = body["overwrite"].as_bool().unwrap_or(false);
    let new_copies = body["createNewCopies"].as_bool().unwrap_or(false);
    if overwrite && new_copies {
        return bad_request("[request body]: cannot use [overwrite] with [createNewCopies]");
    }
    let Some(targets) = body["spaces"].as_array() else {
        return bad_request("[request body.spaces]: expected value of type [array] but got [undefined]");
    };
    let objects = collect(
        state,
        source,
        body["objects"].as_array().map_or(&[][..], Vec::as_slice),
        body["includeReferences"].as_bool().unwrap_or(false),
    );
    let mut result = Map::new();
    for target in targets.iter().filter_map(Value::as_str) {
        result.insert(
            target.to_owned(),
            copy_into(state, target, &objects, &|_| overwrite, new_copies),
        );
    }
    ok(&Value::Object(result))
}

pub(crate) fn resolve_errors(state: &mut State, source: &str, body: &Value) -> Reply {
    let mut result = Map::new();
    for (target, retries) in body["retries"].as_object().into_iter().flatten() {
        let retries = retries.as_array().cloned().unwrap_or_default();
        let objects = collect(state, source, &retries, false);
        let decision = |object: &Value| {
            retries
                .iter()
                .any(|r| r["type"] == object["type"] && r["id"] == object["id"] && r["overwrite"] == json!(true))
        };
        result.insert(target.clone(), copy_into(state, target, &objects, &decision, false));
    }
    ok(&Value::Object(result))
}

fn spaces_of(state: &State, object_type: &str, id: &str) -> Vec<String> {
    state
        .saved_objects
        .keys()
        .filter(|(_, t, i)| t == object_type && i == id)
        .map(|(s, _, _)| s.clone())
        .collect()
}

pub(crate) fn update_spaces(state: &mut State, source: &str, body: &Value) -> Reply {
    let add: Vec<String> = body["spacesToAdd"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    let remove: Vec<String> = body["spacesToRemove"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    let mut out = Vec::new();
    for item in body["objects"].as_array().into_iter().flatten() {
        let (object_type, id) = (
            item["type"].as_str().unwrap_or_default(),
            item["id"].as_str().unwrap_or_default(),
        );
        let Some(object) = state.saved_objects.get(&object_key(source, item)).cloned() else {
            out.push(json!({"type": object_type, "id": id, "spaces": [],
                            "error": {"statusCode": 404, "error": "Not Found", "message": format!("Saved object [{object_type}/{id}] not found")}}));
            continue;
        };
        for space in &add {
            state
                .saved_objects
                .entry((space.clone(), object_type.to_owned(), id.to_owned()))
                .or_insert_with(|| object.clone());
        }
        for space in &remove {
            state
                .saved_objects
                .remove(&(space.clone(), object_type.to_owned(), id.to_owned()));
        }
        out.push(json!({"type": object_type, "id": id, "spaces": spaces_of(state, object_type, id)}));
    }
    ok(&json!({"objects": out}))
}

pub(crate) fn shareable(state: &State, source: &str, body: &Value) -> Reply {
    let objects = collect(
        state,
        source,
        body["objects"].as_array().map_or(&[][..], Vec::as_slice),
        true,
    );
    let out: Vec<Value> = objects
        .iter()
        .map(|o| {
            let (object_type, id) = (
                o["type"].as_str().unwrap_or_default(),
                o["id"].as_str().unwrap_or_default(),
            );
            json!({"type": object_type, "id": id, "spaces": spaces_of(state, object_type, id), "inboundReferences": []})
        })
        .collect();
    ok(&json!({"objects": out}))
}
