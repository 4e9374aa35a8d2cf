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
