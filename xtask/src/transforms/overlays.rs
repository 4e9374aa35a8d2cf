use serde_json::{Value, json};

use super::Ledger;
use crate::config::{OperationAddition, ResponseAddition, SchemaAddition};

/// Adds operations Kibana serves that the documents leave out (from Kibana's sources, each with its reason). An
/// addition the documents already have is reported and not applied: the document wins once it describes the route.
pub fn add_missing_operations(
    doc: &mut Value,
    additions: &[OperationAddition],
    ledger: &mut Ledger,
) -> anyhow::Result<()> {
    for addition in additions {
        let (method, path) = addition
            .route
            .trim()
            .split_once(' ')
            .map(|(m, p)| (m.to_ascii_lowercase(), p.trim().to_owned()))
            .filter(|(m, p)| crate::merge::HTTP_METHODS.contains(&m.as_str()) && p.starts_with('/'))
            .ok_or_else(|| anyhow::anyhow!("operation addition: `{}` is not `METHOD /path`", addition.route))?;
        let mut operation: Value = serde_json::from_str(&addition.operation)
            .map_err(|e| anyhow::anyhow!("operation addition `{}`: {e}", addition.route))?;
        if !operation.is_object() {
            anyhow::bail!("operation addition `{}` is not a JSON object", addition.route);
        }
        if let Some(sibling) = &addition.when_present
            && !super::operations(doc)
                .iter()
                .any(|op| super::excluded::same_route(&op.route, sibling))
        {
            ledger.stale(
                "operation_additions",
                &addition.route,
                format!("not added: the documents do not have `{sibling}`, the API it belongs with"),
            );
            continue;
        }
        let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
            continue;
        };
        let item = paths.entry(path.clone()).or_insert_with(|| json!({}));
        let Some(item) = item.as_object_mut() else { continue };
        if item.contains_key(&method) {
            ledger.stale(
                "operation_additions",
                &addition.route,
                "the documents have this route now: remove the entry",
            );
            continue;
        }
        let route = format!("{} {path}", method.to_uppercase());
        operation[super::ROUTE_EXTENSION] = Value::String(route.clone());
        item.insert(method, operation);
        ledger.applied(&route, "add_missing_operations");
        ledger.notes.push(format!("added `{route}`: {}", addition.reason));
    }
    Ok(())
}

/// Adds schemas the documents lack, each appended to a `oneOf`/`anyOf` list, e.g. the execute params of connector
/// types whose params the connectors document does not describe (`.webhook`'s `body`). Each addition names the
/// Kibana documentation it follows.
pub fn add_missing_schemas(doc: &mut Value, additions: &[SchemaAddition], ledger: &mut Ledger) -> anyhow::Result<()> {
    for addition in additions {
        let schema: Value = serde_json::from_str(&addition.schema).map_err(|e| {
            anyhow::anyhow!(
                "[[schema_additions]] `{}`: its `schema` is not JSON: {e}",
                addition.name
            )
        })?;
        if doc["components"]["schemas"].get(&addition.name).is_some() {
            ledger.stale(
                "schema_additions",
                &addition.name,
                "the documents have a schema of this name now: remove the entry (or rename it, if it is still needed)",
            );
            continue;
        }
        let Some(list) = doc.pointer_mut(&addition.append_to).and_then(Value::as_array_mut) else {
            ledger.stale(
                "schema_additions",
                &addition.name,
                format!(
                    "nothing to append to at `{}` in these documents (the schema moved, or Kibana describes it \
                     itself now): remove the entry, or point `append_to` at the list's new place",
                    addition.append_to
                ),
            );
            continue;
        };
        list.push(json!({"$ref": format!("#/components/schemas/{}", addition.name)}));
        doc["components"]["schemas"][&addition.name] = schema;
        ledger.notes.push(format!(
            "added schema `{}` to `{}` ({})",
            addition.name, addition.append_to, addition.reason
        ));
    }
    Ok(())
}

/// Adds success responses Kibana sends but the documents do not declare (e.g. `204` where the route answers
/// `res.noContent()` and the document says `200`): the generated client would otherwise report a real success as an
/// unexpected status.
pub fn add_missing_responses(
    doc: &mut Value,
    additions: &[ResponseAddition],
    ledger: &mut Ledger,
) -> anyhow::Result<()> {
    for addition in additions {
        let Some(op) = super::operations(doc)
            .into_iter()
            .find(|op| super::excluded::same_route(&op.route, &addition.route))
        else {
            ledger.stale(
                "response_additions",
                &addition.route,
                "the documents do not have this route (any more): remove the entry",
            );
            continue;
        };
        if let Some(responses) = super::operation_mut(doc, &op.path, op.method)
            .map(|o| o.entry("responses").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut)
            && !responses.contains_key(&addition.status)
        {
            responses.insert(addition.status.clone(), json!({"description": addition.reason}));
        }
        ledger.applied(&op.route, "add_missing_responses");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    fn addition(append_to: &str) -> SchemaAddition {
        SchemaAddition {
            name: "params_webhook".into(),
            append_to: append_to.into(),
            schema: r#"{"type": "object", "required": ["body"], "properties": {"body": {"type": "string"}}}"#.into(),
            reason: "docs".into(),
        }
    }

    #[test]
    fn appends_a_reference_and_adds_the_schema() {
        let mut doc = spec(json!({}));
        doc["components"]["schemas"]["run"] = json!({"properties": {"params": {"oneOf": [{"type": "object"}]}}});
        let mut ledger = Ledger::default();
        add_missing_schemas(
            &mut doc,
            &[addition("/components/schemas/run/properties/params/oneOf")],
            &mut ledger,
        )
        .unwrap();
        assert_eq!(
            doc["components"]["schemas"]["run"]["properties"]["params"]["oneOf"][1]["$ref"],
            "#/components/schemas/params_webhook"
        );
        assert_eq!(doc["components"]["schemas"]["params_webhook"]["required"][0], "body");
    }

    #[test]
    fn adds_a_success_response() {
        let mut doc = spec(json!({"/x": {"post": {"operationId": "op", "responses": {"200": {"description": "ok"}}}}}));
        let additions = [ResponseAddition {
            route: "POST /x".into(),
            status: "204".into(),
            reason: "noContent".into(),
        }];
        let mut ledger = Ledger::default();
        add_missing_responses(&mut doc, &additions, &mut ledger).unwrap();
        assert_eq!(
            doc["paths"]["/x"]["post"]["responses"]["204"]["description"],
            "noContent"
        );
        let unknown = [ResponseAddition {
            route: "GET /nope".into(),
            status: "204".into(),
            reason: "x".into(),
        }];
        add_missing_responses(&mut doc, &unknown, &mut ledger).unwrap();
        assert_eq!(
            ledger.stale[0].entry, "GET /nope",
            "a stale entry is reported, not fatal"
        );
    }

    #[test]
    fn adds_an_operation_the_documents_lack_once() {
        let mut doc = spec(json!({"/api/x/{id}": {"get": {}}}));
        let addition = OperationAddition {
            route: "DELETE /api/x/{id}".into(),
            reason: "served by Kibana".into(),
            operation: r#"{"responses": {"200": {"description": "ok"}}}"#.into(),
            when_present: Some("GET /api/x/{id}".into()),
        };
        let mut ledger = Ledger::default();
        add_missing_operations(&mut doc, std::slice::from_ref(&addition), &mut ledger).unwrap();
        assert_eq!(
            doc["paths"]["/api/x/{id}"]["delete"]["x-kibana-route"],
            "DELETE /api/x/{id}"
        );
        assert!(doc["paths"]["/api/x/{id}"].get("get").is_some());
        add_missing_operations(&mut doc, std::slice::from_ref(&addition), &mut ledger).unwrap();
        assert!(ledger.stale.last().unwrap().why.contains("have this route now"));
        // A document of another API does not get it.
        let mut other = spec(json!({"/api/dashboards": {"get": {}}}));
        add_missing_operations(&mut other, &[addition], &mut ledger).unwrap();
        assert!(other["paths"].get("/api/x/{id}").is_none());
        assert!(ledger.stale.last().unwrap().why.contains("`GET /api/x/{id}`"));
        let bad = OperationAddition {
            route: "FETCH x".into(),
            reason: String::new(),
            operation: "{}".into(),
            when_present: None,
        };
        assert!(add_missing_operations(&mut doc, &[bad], &mut ledger).is_err());
    }

    #[test]
    fn a_missing_target_is_a_stale_setting_not_an_error() {
        let mut doc = spec(json!({}));
        let mut ledger = Ledger::default();
        add_missing_schemas(&mut doc, &[addition("/nope")], &mut ledger).unwrap();
        assert_eq!(ledger.stale[0].table, "schema_additions");
        assert!(
            ledger.stale[0].why.contains("nothing to append to at `/nope`"),
            "{:?}",
            ledger.stale
        );
        assert!(doc["components"]["schemas"].get("params_webhook").is_none());
    }
}
