//! Binds the typed rule params to the spec's `params_*` schemas: the same field names, every field the spec
//! requires required in Rust, and the same enum values.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::PathBuf,
};

use kibana::rules::{
    RuleType,
    observability::*,
    types::{IndexThreshold, IndexThresholdParams},
};
use schemars::JsonSchema;
use serde_json::Value;

fn spec() -> Option<Value> {
    let dir = std::env::var_os("KIBANA_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/openapi/kibana"));
    match std::fs::read(dir.join("alerting.yaml")) {
        Ok(bytes) => Some(serde_norway::from_slice(&bytes).expect("alerting.yaml parses")),
        Err(_) => {
            eprintln!(
                "\n*** SKIPPED: no alerting.yaml in {} (set KIBANA_SPEC_DIR); nothing was checked ***\n",
                dir.display()
            );
            None
        }
    }
}

fn resolve(value: &Value, root: &Value) -> Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            &root.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
            root,
        ),
        None => value.clone(),
    }
}

fn enum_values(schema: &Value, root: &Value) -> BTreeSet<String> {
    let schema = resolve(schema, root);
    let mut out: BTreeSet<String> = schema["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e.as_str().map(str::to_owned))
        .collect();
    if let Some(c) = schema["const"].as_str() {
        out.insert(c.to_owned());
    }
    for alt in schema["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(schema["anyOf"].as_array().into_iter().flatten())
    {
        out.extend(enum_values(alt, root));
    }
    out
}

type Shape = (BTreeMap<String, BTreeSet<String>>, BTreeSet<String>);

fn shape(schema: &Value, root: &Value) -> Shape {
    let schema = resolve(schema, root);
    let props = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), enum_values(v, root)))
        .collect();
    let required = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect();
    (props, required)
}

fn rust<T: JsonSchema>() -> Shape {
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
    shape(&schema, &schema)
}

fn compare(failures: &mut Vec<String>, what: &str, spec_name: &str, rust: Shape, spec: &Value) {
    let (spec_props, spec_required) = shape(&spec["components"]["schemas"][spec_name], spec);
    let (rust_props, rust_required) = rust;
    let (a, b): (BTreeSet<_>, BTreeSet<_>) = (spec_props.keys().collect(), rust_props.keys().collect());
    if a != b {
        failures.push(format!(
            "{what}: fields differ from {spec_name}: spec-only {:?}, Rust-only {:?}",
            a.difference(&b).collect::<Vec<_>>(),
            b.difference(&a).collect::<Vec<_>>()
        ));
    }
    for missing in spec_required.difference(&rust_required) {
        failures.push(format!(
            "{what}: `{missing}` is required by {spec_name} but optional in Rust"
        ));
    }
    for (name, values) in &spec_props {
        if !values.is_empty() && rust_props.get(name).is_some_and(|r| !r.is_empty() && r != values) {
            failures.push(format!(
                "{what}.{name}: enum values differ: spec {values:?}, Rust {:?}",
                rust_props[name]
            ));
        }
    }
}

#[test]
fn typed_rule_params_agree_with_the_spec() {
    let Some(spec) = spec() else { return };
    let mut failures = Vec::new();
    let f = &mut failures;
    compare(
        f,
        IndexThreshold::RULE_TYPE_ID,
        "params_index_threshold_rule",
        rust::<IndexThresholdParams>(),
        &spec,
    );
    compare(
        f,
        ApmAnomaly::RULE_TYPE_ID,
        "params_property_apm_anomaly",
        rust::<ApmAnomalyParams>(),
        &spec,
    );
    compare(
        f,
        ApmErrorCount::RULE_TYPE_ID,
        "params_property_apm_error_count",
        rust::<ApmErrorCountParams>(),
        &spec,
    );
    compare(
        f,
        ApmTransactionDuration::RULE_TYPE_ID,
        "params_property_apm_transaction_duration",
        rust::<ApmTransactionDurationParams>(),
        &spec,
    );
    compare(
        f,
        ApmTransactionErrorRate::RULE_TYPE_ID,
        "params_property_apm_transaction_error_rate",
        rust::<ApmTransactionErrorRateParams>(),
        &spec,
    );
    compare(
        f,
        InfraInventory::RULE_TYPE_ID,
        "params_property_infra_inventory",
        rust::<InventoryParams>(),
        &spec,
    );
    compare(
        f,
        SloBurnRate::RULE_TYPE_ID,
        "params_property_slo_burn_rate",
        rust::<SloBurnRateParams>(),
        &spec,
    );
    compare(
        f,
        UptimeTls::RULE_TYPE_ID,
        "params_property_synthetics_uptime_tls",
        rust::<UptimeTlsParams>(),
        &spec,
    );
    compare(
        f,
        MonitorStatus::RULE_TYPE_ID,
        "params_property_synthetics_monitor_status",
        rust::<MonitorStatusParams>(),
        &spec,
    );
    assert!(
        failures.is_empty(),
        "typed rule params disagree with the spec:\n{}",
        failures.join("\n")
    );
}
