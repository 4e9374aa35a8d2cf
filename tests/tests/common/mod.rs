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

/// A pinned Kibana document from `KIBANA_SPEC_DIR` or `../shared/openapi/kibana`; `None`, after a loud message, when
/// this machine does not have it.
#[allow(dead_code)]
pub fn pinned_document(file: &str) -> Option<serde_json::Value> {
    let dir = std::env::var_os("KIBANA_SPEC_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/openapi/kibana"));
    match std::fs::read(dir.join(file)) {
        Ok(bytes) => Some(serde_norway::from_slice(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"))),
        Err(_) => {
            eprintln!(
                "\n*** SKIPPED: no {file} in {} (set KIBANA_SPEC_DIR); nothing was checked ***\n",
                dir.display()
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

#[allow(dead_code)]
fn resolve(value: &serde_json::Value, root: &serde_json::Value) -> serde_json::Value {
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

/// The [`Shape`] of an object schema of `root`.
#[allow(dead_code)]
pub fn shape(schema: &serde_json::Value, root: &serde_json::Value) -> Shape {
    let schema = resolve(schema, root);
    let properties = schema["properties"]
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
    (properties, required)
}

/// The [`Shape`] of a Rust type, from its JSON Schema.
#[allow(dead_code)]
pub fn rust_shape<T: schemars::JsonSchema>() -> Shape {
    let schema = serde_json::to_value(schemars::schema_for!(T)).expect("schemas serialize");
    shape(&schema, &schema)
}
