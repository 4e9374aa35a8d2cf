use serde_json::{Value, json};

use super::Ledger;
use crate::config::{ResponseAddition, SchemaAddition};

/// Adds schemas the documents lack, each appended to a `oneOf`/`anyOf` list, e.g. the execute params of connector
/// types whose params the connectors document does not describe (`.webhook`'s `body`). Each addition names the
/// Kibana documentation it follows.
pub fn add_missing_schemas(doc: &mut Value, additions: &[SchemaAddition], ledger: &mut Ledger) -> anyhow::Result<()> {
    for addition in additions {
        let schema: Value = serde_json::from_str(&addition.schema)
            .map_err(|e| anyhow::anyhow!("openapi/transforms.toml: schema addition `{}`: {e}", addition.name))?;
        if doc["components"]["schemas"].get(&addition.name).is_some() {
            anyhow::bail!(
                "schema addition `{}` clashes with a schema of the documents",
                addition.name
            );
        }
        let Some(list) = doc.pointer_mut(&addition.append_to).and_then(Value::as_array_mut) else {
            anyhow::bail!(
                "schema addition `{}`: nothing to append to at `{}`",
                addition.name,
                addition.append_to
            );
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
        let mut found = false;
        for (path, method, id) in super::operations(doc) {
            if id != addition.operation_id {
                continue;
            }
            let responses = &mut doc["paths"][&path][method]["responses"];
            if responses.get(&addition.status).is_none() {
                responses[&addition.status] = json!({"description": addition.reason});
            }
            ledger.applied(&id, "add_missing_responses");
            found = true;
        }
        if !found {
            anyhow::bail!(
                "response addition: no operation `{}` in the documents",
                addition.operation_id
            );
        }
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
            operation_id: "op".into(),
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
            operation_id: "nope".into(),
            status: "204".into(),
            reason: "x".into(),
        }];
        assert!(add_missing_responses(&mut doc, &unknown, &mut ledger).is_err());
    }

    #[test]
    fn a_missing_target_is_an_error() {
        let mut doc = spec(json!({}));
        assert!(add_missing_schemas(&mut doc, &[addition("/nope")], &mut Ledger::default()).is_err());
    }
}
