//! Shared by the integration tests: one sample value for every typed rule type.

use kibana::rules::{RuleType, observability::*};
use serde_json::json;

/// Receives one `(consumer, params)` sample per typed rule type.
#[allow(async_fn_in_trait, dead_code)]
pub trait RuleSampleVisitor {
    async fn visit<R: RuleType>(&mut self, consumer: &str, params: R::Params);
}

/// Calls `visitor` with a sample of every typed observability rule type (both log threshold flavours).
#[allow(dead_code)]
pub async fn observability_rule_samples(visitor: &mut impl RuleSampleVisitor) {
    visitor
        .visit::<ApmAnomaly>(
            "apm",
            ApmAnomalyParams {
                environment: "production".into(),
                anomaly_severity_type: AnomalySeverity::Critical,
                window_size: 30.0,
                window_unit: ApmWindowUnit::Minutes,
                service_name: Some("checkout".into()),
                transaction_type: None,
            },
        )
        .await;
    visitor
        .visit::<ApmErrorCount>(
            "apm",
            ApmErrorCountParams {
                environment: "ENVIRONMENT_ALL".into(),
                threshold: 25.0,
                window_size: 5.0,
                window_unit: ApmWindowUnit::Minutes,
                service_name: None,
                group_by: vec!["service.name".into()],
                error_grouping_key: None,
            },
        )
        .await;
    visitor
        .visit::<ApmTransactionDuration>(
            "apm",
            ApmTransactionDurationParams {
                environment: "production".into(),
                threshold: 1500.0,
                aggregation_type: LatencyAggregation::P95,
                window_size: 5.0,
                window_unit: ApmWindowUnit::Minutes,
                service_name: None,
                transaction_type: Some("request".into()),
                transaction_name: None,
                group_by: vec![],
            },
        )
        .await;
    visitor
        .visit::<ApmTransactionErrorRate>(
            "apm",
            ApmTransactionErrorRateParams {
                environment: "production".into(),
                threshold: 10.0,
                window_size: 1.0,
                window_unit: ApmWindowUnit::Hours,
                service_name: None,
                transaction_type: None,
                transaction_name: None,
                group_by: vec![],
            },
        )
        .await;
    visitor
        .visit::<InfraInventory>(
            "infrastructure",
            InventoryParams {
                criteria: vec![InventoryCriterion {
                    metric: "cpu".into(),
                    comparator: MetricComparator::GreaterThan,
                    threshold: vec![90.0],
                    time_size: 5.0,
                    time_unit: Unit::Minutes,
                    warning_comparator: None,
                    warning_threshold: None,
                    custom_metric: None,
                }],
                node_type: "host".into(),
                alert_on_no_data: Some(true),
                filter_query: None,
                filter_query_text: None,
                source_id: None,
            },
        )
        .await;
    visitor
        .visit::<InfraMetricThreshold>(
            "infrastructure",
            MetricThresholdParams {
                criteria: vec![MetricCriterion {
                    agg_type: "avg".into(),
                    metric: Some("system.cpu.user.pct".into()),
                    comparator: MetricComparator::Outside,
                    threshold: vec![0.1, 0.9],
                    time_size: 1.0,
                    time_unit: "m".into(),
                    warning_comparator: None,
                    warning_threshold: None,
                    custom_metric: None,
                    equation: None,
                    label: None,
                }],
                group_by: None,
                filter_query: None,
                source_id: Some("default".into()),
                alert_on_no_data: None,
                alert_on_group_disappear: None,
            },
        )
        .await;
    let count = LogThresholdParams::Count {
        criteria: vec![LogCriterion {
            field: "log.level".into(),
            comparator: LogComparator::Equals,
            value: json!("error"),
        }],
        count: LogCount {
            comparator: LogComparator::MoreThan,
            value: 100.0,
        },
        time_size: 5.0,
        time_unit: Unit::Minutes,
        log_view: LogViewReference::new("default"),
        group_by: vec![],
    };
    visitor.visit::<LogThreshold>("logs", count).await;
    let ratio = LogThresholdParams::Ratio {
        // Two conditions per side: the spec puts `minItems: 2` on each side rather than on the pair (Kibana
        // itself accepts any number), and a sample valid for both is what the conformance suite needs.
        criteria: [
            vec![
                LogCriterion {
                    field: "log.level".into(),
                    comparator: LogComparator::Equals,
                    value: json!("error"),
                },
                LogCriterion {
                    field: "service.name".into(),
                    comparator: LogComparator::Equals,
                    value: json!("api"),
                },
            ],
            vec![
                LogCriterion {
                    field: "log.level".into(),
                    comparator: LogComparator::Equals,
                    value: json!("info"),
                },
                LogCriterion {
                    field: "service.name".into(),
                    comparator: LogComparator::Equals,
                    value: json!("api"),
                },
            ],
        ],
        count: LogCount {
            comparator: LogComparator::MoreThan,
            value: 0.5,
        },
        time_size: 5.0,
        time_unit: Unit::Minutes,
        log_view: LogViewReference::new("default"),
        group_by: vec!["host.name".into()],
    };
    visitor.visit::<LogThreshold>("logs", ratio).await;
    visitor
        .visit::<SloBurnRate>(
            "slo",
            SloBurnRateParams {
                slo_id: "8853df00".into(),
                burn_rate_threshold: 14.4,
                max_burn_rate_threshold: Some(168.0),
                long_window: BurnRateWindow {
                    value: 1.0,
                    unit: "h".into(),
                },
                short_window: BurnRateWindow {
                    value: 5.0,
                    unit: "m".into(),
                },
            },
        )
        .await;
    visitor
        .visit::<UptimeTls>(
            "uptime",
            UptimeTlsParams {
                search: None,
                cert_expiration_threshold: Some(30.0),
                cert_age_threshold: Some(730.0),
            },
        )
        .await;
    visitor
        .visit::<MonitorStatus>(
            "uptime",
            MonitorStatusParams {
                num_times: 3.0,
                should_check_status: true,
                should_check_availability: false,
                availability: None,
                search: Some("monitor.type: http".into()),
                filters: None,
                timerange_count: Some(15.0),
                timerange_unit: Some("m".into()),
                version: None,
                is_auto_generated: None,
                locations: None,
                timerange: None,
            },
        )
        .await;
}

/// Where Kibana's combined 9.3 document is, for [`pinned_document`].
#[allow(dead_code)]
pub const KIBANA_9_3: &str = "kibana-9.3/kibana.yaml";

/// A pinned Kibana document; `None`, after a loud message, when this machine does not have it.
///
/// A bare file name (`connectors.yaml`, `alerting.yaml`, `saved_objects.yaml`) is one of the 8.x plugin documents, in
/// `KIBANA_SPEC_DIR` or `../shared/openapi/kibana`. [`KIBANA_9_3`] is Kibana's combined 9.3 document (3.7 MB), in
/// `KIBANA_9_3_SPEC_DIR` (the directory holding `kibana.yaml`) or `../shared/openapi/kibana-9.3`; it is parsed
/// once per test binary and cloned for each caller.
#[allow(dead_code)]
pub fn pinned_document(file: &str) -> Option<serde_json::Value> {
    let shared = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/openapi");
    let (path, variable) = if file == KIBANA_9_3 {
        let dir = std::env::var_os("KIBANA_9_3_SPEC_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| shared.join("kibana-9.3"));
        (dir.join("kibana.yaml"), "KIBANA_9_3_SPEC_DIR")
    } else {
        let dir = std::env::var_os("KIBANA_SPEC_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| shared.join("kibana"));
        (dir.join(file), "KIBANA_SPEC_DIR")
    };
    static PARSED: std::sync::Mutex<Vec<(std::path::PathBuf, serde_json::Value)>> = std::sync::Mutex::new(Vec::new());
    let mut parsed = PARSED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, value)) = parsed.iter().find(|(p, _)| *p == path) {
        return Some(value.clone());
    }
    match std::fs::read(&path) {
        Ok(bytes) => {
            let value: serde_json::Value =
                serde_norway::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            parsed.push((path, value.clone()));
            Some(value)
        }
        Err(_) => {
            eprintln!(
                "\n*** SKIPPED: no {} (set {variable}); nothing was checked ***\n",
                path.display()
            );
            None
        }
    }
}

/// Field name → enum values (empty when not an enum), and the required fields, of an object schema.
#[allow(dead_code)]
pub type Shape = (
    std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    std::collections::BTreeSet<String>,
);

/// `value` with its `$ref`s followed (within `root`).
#[allow(dead_code)]
pub fn resolve(value: &serde_json::Value, root: &serde_json::Value) -> serde_json::Value {
    match value.get("$ref").and_then(serde_json::Value::as_str) {
        Some(r) => resolve(
            &root.pointer(r.trim_start_matches('#')).cloned().unwrap_or_default(),
            root,
        ),
        None => value.clone(),
    }
}

/// The string values an enum schema allows, through `$ref`s, `oneOf`/`anyOf` of `const`s (schemars' form for
/// documented variants) and `Option` wrappers.
#[allow(dead_code)]
pub fn enum_values(schema: &serde_json::Value, root: &serde_json::Value) -> std::collections::BTreeSet<String> {
    let schema = resolve(schema, root);
    let mut out: std::collections::BTreeSet<String> = schema["enum"]
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

/// The [`Shape`] of an object schema of `root` (an `allOf` is merged, as schemars writes some flattened fields).
#[allow(dead_code)]
pub fn shape(schema: &serde_json::Value, root: &serde_json::Value) -> Shape {
    let schema = resolve(schema, root);
    let mut properties: std::collections::BTreeMap<_, _> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), enum_values(v, root)))
        .collect();
    let mut required: std::collections::BTreeSet<_> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        let (p, r) = shape(part, root);
        properties.extend(p);
        required.extend(r);
    }
    (properties, required)
}

/// The `default` of each property of an object schema that has one (through `$ref`s).
#[allow(dead_code)]
pub fn defaults(
    schema: &serde_json::Value,
    root: &serde_json::Value,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    let schema = resolve(schema, root);
    schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let v = resolve(v, root);
            v.get("default").map(|d| (k.clone(), d.clone()))
        })
        .collect()
}

/// The alternatives of a `oneOf` / `anyOf` schema, each with its `$ref` followed.
#[allow(dead_code)]
pub fn alternatives(schema: &serde_json::Value, root: &serde_json::Value) -> Vec<serde_json::Value> {
    let schema = resolve(schema, root);
    schema["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(schema["anyOf"].as_array().into_iter().flatten())
        .map(|alt| resolve(alt, root))
        .collect()
}

/// The alternative of a `oneOf` / `anyOf` schema whose `tag` property allows exactly `value` (a `const` or a
/// one-value `enum`).
#[allow(dead_code)]
pub fn tagged_alternative(
    schema: &serde_json::Value,
    root: &serde_json::Value,
    tag: &str,
    value: &str,
) -> Option<serde_json::Value> {
    alternatives(schema, root).into_iter().find(|alt| {
        let values = enum_values(&alt["properties"][tag], root);
        values.len() == 1 && values.contains(value)
    })
}

/// The JSON Schema of a Rust type, as schemars writes it.
#[allow(dead_code)]
pub fn rust_schema<T: schemars::JsonSchema>() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("schemas serialize")
}

/// The [`Shape`] of a Rust type, from its JSON Schema.
#[allow(dead_code)]
pub fn rust_shape<T: schemars::JsonSchema>() -> Shape {
    let schema = rust_schema::<T>();
    shape(&schema, &schema)
}

/// The [`Shape`] of the variant of a tagged Rust enum whose `tag` is `value` (the tag is one of its fields).
#[allow(dead_code)]
pub fn rust_variant_shape<T: schemars::JsonSchema>(tag: &str, value: &str) -> Shape {
    let schema = rust_schema::<T>();
    let variant = tagged_alternative(&schema, &schema, tag, value)
        .unwrap_or_else(|| panic!("{} has no variant with {tag} = {value}", std::any::type_name::<T>()));
    shape(&variant, &schema)
}

/// The [`Shape`] of the `index`-th alternative of an untagged Rust enum (declaration order).
#[allow(dead_code)]
pub fn rust_alternative_shape<T: schemars::JsonSchema>(index: usize) -> Shape {
    let schema = rust_schema::<T>();
    let alternative = alternatives(&schema, &schema)
        .into_iter()
        .nth(index)
        .unwrap_or_else(|| panic!("{} has no alternative {index}", std::any::type_name::<T>()));
    shape(&alternative, &schema)
}

/// The params of sub-action `name` of an adjacently tagged `{"subAction", "subActionParams"}` Rust enum:
/// `Ok(Some(shape))` for a variant with params, `Ok(None)` for one without, `Err` when the enum has no such
/// sub-action.
#[allow(dead_code)]
pub fn rust_sub_action_shape<T: schemars::JsonSchema>(name: &str) -> Result<Option<Shape>, String> {
    let schema = rust_schema::<T>();
    let variant = tagged_alternative(&schema, &schema, "subAction", name)
        .ok_or_else(|| format!("{} has no `{name}` sub-action", std::any::type_name::<T>()))?;
    Ok(variant["properties"]
        .get("subActionParams")
        .map(|params| shape(params, &schema)))
}
