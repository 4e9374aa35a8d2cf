//! Every rule example of the pinned alerting document round-trips through the typed rule model. Examples that are
//! malformed upstream are listed as known-bad, with the reason, and must still be malformed (so that the list does
//! not go stale); they are reported, not silently skipped.

use kibana::rules::{
    RuleType,
    types::{EsQuery, IndexThreshold},
};
use serde_json::Value;

/// `(example, reason)`.
const KNOWN_BAD: &[(&str, &str)] = &[(
    "create_es_query_esql_rule_response",
    "a stray key `excludeHitsFromPreviousRun\"` (a `\": true,\"` typo upstream): the real field is lost",
)];

mod common;

fn spec() -> Option<Value> {
    common::pinned_document("alerting.yaml")
}

/// Numbers compare by value (`100` and `100.0` are the same threshold).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .all(|(k, v)| v.is_null() || y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

fn round_trip<R: RuleType>(params: &Value) -> Result<(), String> {
    let typed: R::Params = serde_json::from_value(params.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).unwrap();
    for (key, value) in params.as_object().into_iter().flatten() {
        if !value.is_null() && !back.get(key).is_some_and(|b| same(value, b)) {
            return Err(format!("`{key}` did not survive: {value} became {:?}", back.get(key)));
        }
    }
    Ok(())
}

#[test]
fn every_rule_example_round_trips_through_the_typed_model() {
    let Some(spec) = spec() else { return };
    let (mut checked, mut failures, mut known) = (0, Vec::new(), Vec::new());
    for (name, example) in spec["components"]["examples"].as_object().unwrap() {
        let value = &example["value"];
        let rules: Vec<&Value> = match value["data"].as_array() {
            Some(data) => data.iter().collect(),
            None => vec![value],
        };
        for rule in rules {
            let (Some(kind), Some(params)) = (rule["rule_type_id"].as_str(), rule.get("params")) else {
                continue;
            };
            let outcome = match kind {
                ".index-threshold" => round_trip::<IndexThreshold>(params),
                ".es-query" => round_trip::<EsQuery>(params),
                _ => continue,
            };
            checked += 1;
            match (outcome, KNOWN_BAD.iter().find(|(n, _)| n == name)) {
                (Ok(()), None) => {}
                (Err(error), None) => failures.push(format!("{name}: {error}")),
                (Err(error), Some((_, reason))) => known.push(format!("{name}: {reason} ({error})")),
                (Ok(()), Some(_)) => failures.push(format!(
                    "{name} is listed as known-bad but now round-trips: update the list"
                )),
            }
        }
    }
    eprintln!("rule examples checked: {checked}");
    for k in &known {
        eprintln!("known-bad upstream example (reported): {k}");
    }
    assert!(checked >= 8, "the spec's rule examples were not found ({checked})");
    assert_eq!(
        known.len(),
        KNOWN_BAD.len(),
        "every known-bad example is still in the spec and still bad"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
