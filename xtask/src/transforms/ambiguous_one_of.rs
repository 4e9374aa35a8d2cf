use serde_json::Value;

use super::Ledger;
use crate::config::AmbiguousOneOf;

/// Turns the `oneOf` of the listed schemas (JSON pointers) into `anyOf`.
///
/// Some of Kibana's request bodies are a `oneOf` without a discriminator whose variants overlap (the connector
/// update body carries no `connector_type_id`; its `.server-log` variant requires only `name`), so every valid
/// update matches two variants and fails `oneOf`. Kibana itself validates against the stored connector's type;
/// `anyOf` is the faithful reading.
pub fn relax_ambiguous_one_of(doc: &mut Value, schemas: &[AmbiguousOneOf], ledger: &mut Ledger) {
    for entry in schemas {
        let Some(schema) = doc.pointer_mut(&entry.pointer).and_then(Value::as_object_mut) else {
            ledger.stale(
                "ambiguous_one_of",
                &entry.pointer,
                "nothing at this pointer in the documents (the schema moved or went): remove the entry, or point it at the schema's new place",
            );
            continue;
        };
        match schema.shift_remove("oneOf") {
            Some(variants) => {
                schema.insert("anyOf".into(), variants);
                ledger
                    .notes
                    .push(format!("`{}`: oneOf read as anyOf ({})", entry.pointer, entry.reason));
            }
            None => ledger.stale(
                "ambiguous_one_of",
                &entry.pointer,
                "the schema there has no `oneOf` now: remove the entry",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    #[test]
    fn listed_one_of_becomes_any_of() {
        let mut doc = spec(json!({}));
        doc["components"]["schemas"]["update"] = json!({"oneOf": [{"type": "object"}]});
        doc["components"]["schemas"]["other"] = json!({"oneOf": [{"type": "object"}]});
        let mut ledger = Ledger::default();
        let listed = [AmbiguousOneOf {
            pointer: "/components/schemas/update".into(),
            reason: "overlap".into(),
        }];
        relax_ambiguous_one_of(&mut doc, &listed, &mut ledger);
        assert!(doc["components"]["schemas"]["update"]["anyOf"].is_array());
        assert!(doc["components"]["schemas"]["other"]["oneOf"].is_array());
        assert!(ledger.notes[0].contains("overlap"));
    }
}
