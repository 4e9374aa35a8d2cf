//! Answer-side schemas: what Kibana really sends, not what its document promises.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Ledger, pointer_escape, schemas_mut, unions::is_data_key};
use crate::{generate::rust_type_name, merge::HTTP_METHODS};

/// Marks a component schema that only answers use (relaxed in place, or an answer-side copy). Post-processing
/// reads it to make the generated type keep unknown fields and values.
pub const ANSWER_EXTENSION: &str = "x-kibana-answer";

/// The suffix of an answer-side copy of a schema that requests use too (`AgentPolicy` → `AgentPolicyResponse`).
pub const COPY_SUFFIX: &str = "Response";

/// What [`read_answers_tolerantly`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RelaxedAnswers {
    /// Answer-side copies: original component → copy.
    pub copies: BTreeMap<String, String>,
    /// Components relaxed in place (only answers use them).
    pub relaxed_components: BTreeSet<String>,
    /// Object schemas (components and inline) that lost a `required` name, by the operation (its route in the input
    /// document) whose answers reach them: `(operation route, schema location)`.
    pub relaxed_objects: BTreeSet<(String, String)>,
    /// Required names made optional, in all.
    pub relaxed_properties: usize,
}

/// Makes the schemas of answers tolerant of what real Kibana leaves out, and leaves request schemas as the
/// document writes them.
///
/// Real Kibana omits properties its document marks required: the status `meta`, the import `errors` when there are
/// none, Fleet's `compiled_input` / `compiled_stream` for disabled inputs and a var's `value` when unset. A generated
/// answer type with such a field required fails the whole call. So, in every schema an answer reaches, `required`
/// keeps only the properties that identify the object: `id`, and a property with one fixed value (a tag such as a
/// rule's `type`, which tagged unions decode by). Everything else becomes optional.
///
/// An `anyOf` in an answer becomes a `oneOf`: with its variants relaxed they overlap, and the generated enum
/// decodes the variant that fits an answer best (post-processing), keeping the fields it does not describe.
///
/// A schema that requests use too keeps its name and its `required` list for them, and answers get a relaxed copy
/// (`…Response`), so that building a request still needs every required field at compile time. Components only
/// answers use are relaxed in place, and every answer-side component is marked [`ANSWER_EXTENSION`].
pub fn read_answers_tolerantly(doc: &mut Value, ledger: &mut Ledger) -> RelaxedAnswers {
    let mut outcome = RelaxedAnswers::default();
    let graph = component_graph(doc);
    let mut request_roots = BTreeSet::new();
    let mut answer_roots = BTreeSet::new();
    for (_, _, op) in operations(doc) {
        for key in ["parameters", "requestBody"] {
            collect_refs(op.get(key).unwrap_or(&Value::Null), &mut request_roots);
        }
        collect_refs(op.get("responses").unwrap_or(&Value::Null), &mut answer_roots);
    }
    for item in doc["paths"].as_object().into_iter().flatten().map(|(_, item)| item) {
        collect_refs(item.get("parameters").unwrap_or(&Value::Null), &mut request_roots);
    }
    let requested = closure(&graph, &request_roots);
    let answered = closure(&graph, &answer_roots);

    // Shared schemas that need an answer-side copy: objects, and anything that reaches one.
    let shared: BTreeSet<&String> = answered.iter().filter(|name| requested.contains(*name)).collect();
    let mut copied: BTreeSet<String> = shared
        .iter()
        .filter(|name| {
            doc["components"]["schemas"]
                .get(name.as_str())
                .is_some_and(is_objectish)
        })
        .map(|name| (*name).clone())
        .collect();
    loop {
        let more: Vec<String> = shared
            .iter()
            .filter(|name| !copied.contains(name.as_str()))
            .filter(|name| {
                graph
                    .get(name.as_str())
                    .is_some_and(|refs| refs.iter().any(|r| copied.contains(r)))
            })
            .map(|name| (*name).clone())
            .collect();
        if more.is_empty() {
            break;
        }
        copied.extend(more);
    }
    let mut taken: BTreeSet<String> = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| rust_type_name(name))
        .collect();
    taken.extend(super::unions::reserved_operation_names(doc));
    for name in &copied {
        let copy = super::unions::unique(&format!("{name}_{COPY_SUFFIX}"), &mut taken);
        outcome.copies.insert(name.clone(), copy);
    }

    // Inline answer schemas, in every operation (and in shared `components/responses`).
    let routes: Vec<(String, &str, String)> = operations(doc)
        .into_iter()
        .map(|(path, method, op)| {
            let route = op
                .get(super::ROUTE_EXTENSION)
                .and_then(Value::as_str)
                .map_or_else(|| format!("{} {path}", method.to_uppercase()), str::to_owned);
            (path, method, route)
        })
        .collect();
    let mut relaxed_by_component: BTreeMap<String, usize> = BTreeMap::new();
    for (path, method, route) in &routes {
        let pointer = format!("/paths/{}/{method}/responses", pointer_escape(path));
        if let Some(responses) = doc.pointer_mut(&pointer) {
            let mut relaxed = Vec::new();
            relax(responses, &pointer, &outcome.copies, &mut relaxed);
            outcome.relaxed_properties += relaxed.iter().map(|(_, n)| n).sum::<usize>();
            for (location, _) in relaxed {
                outcome.relaxed_objects.insert((route.clone(), location));
            }
        }
    }
    if let Some(responses) = doc.pointer_mut("/components/responses") {
        let mut relaxed = Vec::new();
        relax(responses, "/components/responses", &outcome.copies, &mut relaxed);
        outcome.relaxed_properties += relaxed.iter().map(|(_, n)| n).sum::<usize>();
    }

    // Components: answer-only ones in place, shared ones as copies.
    let Some(schemas) = schemas_mut(doc) else {
        return outcome;
    };
    for name in &answered {
        let Some(original) = schemas.get(name) else { continue };
        let mut schema = original.clone();
        let pointer = format!("/components/schemas/{}", pointer_escape(name));
        let mut relaxed = Vec::new();
        relax(&mut schema, &pointer, &outcome.copies, &mut relaxed);
        let count: usize = relaxed.iter().map(|(_, n)| n).sum();
        outcome.relaxed_properties += count;
        if count > 0 {
            relaxed_by_component.insert(name.clone(), count);
        }
        if let Some(map) = schema.as_object_mut() {
            map.insert(ANSWER_EXTENSION.into(), Value::Bool(true));
        }
        match outcome.copies.get(name) {
            Some(copy) => {
                schemas.insert(copy.clone(), schema);
            }
            None if requested.contains(name) => {}
            None => {
                outcome.relaxed_components.insert(name.clone());
                schemas.insert(name.clone(), schema);
            }
        }
    }

    // Attribute relaxed components to the operations whose answers reach them (for the report).
    let graph = component_graph(doc);
    let originals: BTreeMap<&String, &String> =
        outcome.copies.iter().map(|(original, copy)| (copy, original)).collect();
    for (path, method, route) in &routes {
        let Some(op) = doc.pointer(&format!("/paths/{}/{method}", pointer_escape(path))) else {
            continue;
        };
        let mut roots = BTreeSet::new();
        collect_refs(op.get("responses").unwrap_or(&Value::Null), &mut roots);
        for name in closure(&graph, &roots) {
            let original = originals.get(&name).map_or(name.as_str(), |original| original.as_str());
            if relaxed_by_component.contains_key(original) {
                outcome
                    .relaxed_objects
                    .insert((route.clone(), format!("/components/schemas/{}", pointer_escape(&name))));
            }
        }
    }

    ledger.notes.push(format!(
        "answers read tolerantly: {} required properties of answer schemas made optional (ids and tags kept), {} \
         components relaxed in place, {} answer-side copies of schemas requests share ({})",
        outcome.relaxed_properties,
        outcome.relaxed_components.len(),
        outcome.copies.len(),
        outcome.copies.values().take(8).cloned().collect::<Vec<_>>().join(", ")
            + if outcome.copies.len() > 8 { ", …" } else { "" }
    ));
    for (_, _, route) in &routes {
        if outcome.relaxed_objects.iter().any(|(r, _)| r == route) {
            ledger.applied(route, "read_answers_tolerantly");
        }
    }
    outcome
}

/// Relaxes the schemas under `node` (an answer tree), pointing references at answer-side copies; records each
/// object that lost `required` names as `(location, how many)`.
fn relax(node: &mut Value, pointer: &str, copies: &BTreeMap<String, String>, relaxed: &mut Vec<(String, usize)>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(name) = reference.strip_prefix("#/components/schemas/")
                && let Some(copy) = copies.get(&name.replace("~1", "/").replace("~0", "~"))
            {
                *reference = format!("#/components/schemas/{}", pointer_escape(copy));
            }
            // A tagged union's variants, named in its extension, are the copies too.
            if let Some(variants) = map
                .get_mut(super::unions::TAG_EXTENSION)
                .and_then(|tag| tag.get_mut("variants"))
                .and_then(Value::as_object_mut)
            {
                for reference in variants.values_mut() {
                    if let Some(name) = reference.as_str().and_then(|r| r.strip_prefix("#/components/schemas/"))
                        && let Some(copy) = copies.get(&name.replace("~1", "/").replace("~0", "~"))
                    {
                        *reference = Value::String(format!("#/components/schemas/{}", pointer_escape(copy)));
                    }
                }
            }
            // An answer matching several variants is read as the one that fits it best (post-processing), its other
            // fields kept: typify would render an `anyOf` of objects whose variants now overlap as a struct of
            // flattened `Option`s, which decodes into whichever variants happen to match and drops the rest.
            if !map.contains_key("oneOf")
                && let Some(variants) = map.shift_remove("anyOf")
            {
                map.insert("oneOf".into(), variants);
            }
            let dropped = relax_required(map);
            if !dropped.is_empty() {
                note_optional(map, &dropped);
                relaxed.push((pointer.to_owned(), dropped.len()));
            }
            for (key, child) in map.iter_mut() {
                if is_data_key(key) {
                    continue;
                }
                relax(child, &format!("{pointer}/{}", pointer_escape(key)), copies, relaxed);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                relax(item, &format!("{pointer}/{index}"), copies, relaxed);
            }
        }
        _ => {}
    }
}

/// Keeps in `required` only what identifies the object; returns the names dropped.
fn relax_required(schema: &mut Map<String, Value>) -> Vec<String> {
    let Some(Value::Array(required)) = schema.get("required") else {
        return Vec::new();
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    let identifying = |name: &str| name == "id" || properties.and_then(|p| p.get(name)).is_some_and(fixed_value);
    let (kept, dropped): (Vec<Value>, Vec<Value>) = required
        .iter()
        .cloned()
        .partition(|name| name.as_str().is_none_or(identifying));
    let dropped: Vec<String> = dropped.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    if !dropped.is_empty() {
        if kept.is_empty() {
            schema.shift_remove("required");
        } else {
            schema.insert("required".into(), Value::Array(kept));
        }
    }
    dropped
}

/// A property with one fixed value, written inline (a tag).
fn fixed_value(property: &Value) -> bool {
    property.get("const").is_some()
        || property
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.len() == 1)
}

/// Says in the type's documentation which fields the document requires but Kibana may leave out.
fn note_optional(schema: &mut Map<String, Value>, dropped: &[String]) {
    let names = dropped.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    let note = format!(
        "Read tolerantly: the document requires {names}, which a real Kibana may leave out, so they are optional \
         here."
    );
    let description = match schema.get("description").and_then(Value::as_str) {
        Some(text) if !text.trim().is_empty() => format!("{text}\n\n{note}"),
        _ => note,
    };
    schema.insert("description".into(), Value::String(description));
}

/// An object schema, or one made of objects: anything a relaxed copy could differ in.
fn is_objectish(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            map.contains_key("properties")
                || map.contains_key("required")
                || map
                    .iter()
                    .any(|(key, child)| !is_data_key(key) && key != "$ref" && is_objectish(child))
        }
        Value::Array(items) => items.iter().any(is_objectish),
        _ => false,
    }
}

fn operations(doc: &Value) -> Vec<(String, &'static str, &Map<String, Value>)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in HTTP_METHODS {
            if let Some(op) = item.get(method).and_then(Value::as_object) {
                out.push((path.clone(), method, op));
            }
        }
    }
    out
}

/// Which component schemas each component (of any kind, as `kind/name`, or a schema by its bare name) refers to.
fn component_graph(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (kind, entries) in doc["components"].as_object().into_iter().flatten() {
        for (name, value) in entries.as_object().into_iter().flatten() {
            let mut refs = BTreeSet::new();
            collect_refs(value, &mut refs);
            let key = if kind == "schemas" {
                name.clone()
            } else {
                format!("{kind}/{name}")
            };
            graph.insert(key, refs);
        }
    }
    graph
}

/// Component keys reachable from `roots` (schemas by bare name, other components as `kind/name`); only schemas
/// are returned.
fn closure(graph: &BTreeMap<String, BTreeSet<String>>, roots: &BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.iter().cloned().collect();
    while let Some(node) = stack.pop() {
        if !seen.insert(node.clone()) {
            continue;
        }
        if let Some(refs) = graph.get(&node) {
            stack.extend(refs.iter().cloned());
        }
    }
    seen.retain(|name| !name.contains('/') && graph.contains_key(name));
    seen
}

/// Local component references under `value`: schemas by bare name, other components as `kind/name`.
fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref" {
                    if let Some(rest) = child.as_str().and_then(|r| r.strip_prefix("#/components/")) {
                        let rest = rest.replace("~1", "/").replace("~0", "~");
                        match rest.split_once('/') {
                            Some(("schemas", name)) => out.insert(name.to_owned()),
                            Some((kind, name)) => out.insert(format!("{kind}/{name}")),
                            None => false,
                        };
                    }
                } else if !is_data_key(key) {
                    collect_refs(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    fn policy_doc() -> Value {
        let mut doc = spec(json!({
            "/api/policies": {
                "get": {"operationId": "get_policies", "responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": {"type": "object", "required": ["items", "total"], "properties": {
                        "total": {"type": "integer"},
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Policy"}}}}}}}}},
                "post": {"operationId": "post_policies",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Policy"}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Status"}}}}}}
            }
        }));
        doc["components"]["schemas"] = json!({
            "Policy": {"type": "object", "required": ["id", "name", "inputs", "kind"], "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string", "enum": ["agent"]},
                "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/Input"}}}},
            "Input": {"type": "object", "required": ["compiled_input"], "properties": {
                "compiled_input": {"type": "object"}, "level": {"$ref": "#/components/schemas/Level"}}},
            "Level": {"type": "string", "enum": ["a", "b"]},
            "Status": {"type": "object", "required": ["meta"], "properties": {
                "meta": {"type": "object"}, "either": {"$ref": "#/components/schemas/Either"}}},
            "Either": {"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "properties": {"b": {"type": "string"}}}]},
        });
        doc
    }

    #[test]
    fn answers_get_relaxed_copies_and_requests_keep_the_document() {
        let mut doc = policy_doc();
        let mut ledger = Ledger::default();
        let outcome = read_answers_tolerantly(&mut doc, &mut ledger);
        let schemas = &doc["components"]["schemas"];

        // The request side is the document's.
        assert_eq!(schemas["Policy"]["required"], json!(["id", "name", "inputs", "kind"]));
        assert_eq!(schemas["Input"]["required"], json!(["compiled_input"]));
        assert_eq!(
            doc["paths"]["/api/policies"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Policy"
        );
        // Answers read copies that keep only the id and the tag.
        assert_eq!(
            outcome.copies,
            BTreeMap::from([
                ("Input".to_owned(), "Input_Response".to_owned()),
                ("Policy".to_owned(), "Policy_Response".to_owned())
            ])
        );
        assert_eq!(schemas["Policy_Response"]["required"], json!(["id", "kind"]));
        assert_eq!(
            schemas["Policy_Response"]["properties"]["inputs"]["items"]["$ref"],
            "#/components/schemas/Input_Response"
        );
        assert!(schemas["Input_Response"].get("required").is_none());
        assert_eq!(schemas["Input_Response"][ANSWER_EXTENSION], true);
        assert!(
            schemas["Input_Response"]["description"]
                .as_str()
                .unwrap()
                .contains("`compiled_input`")
        );
        // Enums are shared: nothing to relax.
        assert_eq!(
            schemas["Input_Response"]["properties"]["level"]["$ref"],
            "#/components/schemas/Level"
        );
        assert!(schemas.get("Level_Response").is_none());
        // Answer-only schemas are relaxed in place; inline answers too.
        assert!(schemas["Status"].get("required").is_none());
        assert!(schemas["Either"].get("anyOf").is_none() && schemas["Either"]["oneOf"].is_array());
        assert!(outcome.relaxed_components.contains("Status"));
        let inline = &doc["paths"]["/api/policies"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(inline.get("required").is_none());
        assert_eq!(
            inline["properties"]["items"]["items"]["$ref"],
            "#/components/schemas/Policy_Response"
        );
        assert_eq!(outcome.relaxed_properties, 2 + 1 + 1 + 2);
        assert!(
            outcome
                .relaxed_objects
                .iter()
                .any(|(route, at)| route == "GET /api/policies" && at.ends_with("Input_Response"))
        );
    }

    #[test]
    fn a_copy_never_takes_a_name_in_use() {
        let mut doc = policy_doc();
        doc["components"]["schemas"]["PolicyResponse"] = json!({"type": "string"});
        let outcome = read_answers_tolerantly(&mut doc, &mut Ledger::default());
        assert_eq!(outcome.copies["Policy"], "Policy_Response_2");
    }

    #[test]
    fn a_document_without_answer_bodies_is_unchanged() {
        let mut doc = spec(
            json!({"/api/x": {"post": {"operationId": "post_x", "requestBody": {"content": {
            "application/json": {"schema": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}}}},
            "responses": {"204": {"description": "none"}}}}}),
        );
        let before = doc.clone();
        let outcome = read_answers_tolerantly(&mut doc, &mut Ledger::default());
        assert_eq!(doc, before);
        assert_eq!(outcome.relaxed_properties, 0);
    }
}
