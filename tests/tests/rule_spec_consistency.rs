//! Binds the typed rule params to the spec's `params_*` schemas: the same field names, every field the spec
//! requires required in Rust, and the same enum values.

use std::collections::BTreeSet;

use kibana::rules::{
    RuleType,
    observability::*,
    types::{IndexThreshold, IndexThresholdParams},
};
use serde_json::Value;

mod common;

use common::{Shape, rust_shape as rust, shape};

fn spec() -> Option<Value> {
    common::pinned_document("alerting.yaml")
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
