//! Typed params of the observability rule types the spec describes field by field: APM, infrastructure, logs, SLO
//! burn rate and synthetics / uptime.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::types::RuleType;

/// `<`, `<=`, `>`, `>=`, `between`, `outside` (infrastructure rules), with readable names (generated from the spec).
pub use kibana_gen::symbols::Comparator as MetricComparator;

macro_rules! rule_type {
    ($(#[$doc:meta])* $name:ident, $id:literal, $params:ty) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl RuleType for $name {
            const RULE_TYPE_ID: &'static str = $id;
            type Params = $params;
        }
    };
}

/// Window unit of APM rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApmWindowUnit {
    /// Minutes.
    #[serde(rename = "m")]
    Minutes,
    /// Hours.
    #[serde(rename = "h")]
    Hours,
    /// Days.
    #[serde(rename = "d")]
    Days,
}

/// Severity of an APM anomaly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnomalySeverity {
    /// `critical`
    Critical,
    /// `major`
    Major,
    /// `minor`
    Minor,
    /// `warning`
    Warning,
}

/// `apm.anomaly` params (`params_property_apm_anomaly`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApmAnomalyParams {
    /// The environment (`ENVIRONMENT_ALL` for all).
    pub environment: String,
    /// The anomaly severity threshold.
    pub anomaly_severity_type: AnomalySeverity,
    /// Window size.
    pub window_size: f64,
    /// Window unit.
    pub window_unit: ApmWindowUnit,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// The transaction type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
}

rule_type!(
    /// `apm.anomaly`.
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::ApmAnomaly};
    /// assert_eq!(ApmAnomaly::RULE_TYPE_ID, "apm.anomaly");
    /// ```
    ApmAnomaly, "apm.anomaly", ApmAnomalyParams
);

/// `apm.error_rate` (error count) params (`params_property_apm_error_count`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApmErrorCountParams {
    /// The environment.
    pub environment: String,
    /// The error count threshold.
    pub threshold: f64,
    /// Window size.
    pub window_size: f64,
    /// Window unit.
    pub window_unit: ApmWindowUnit,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Grouping fields (`service.name`, `service.environment`, `transaction.name`, `error.grouping_key`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
    /// One error group only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_grouping_key: Option<String>,
}

rule_type!(
    /// `apm.error_rate` (error count threshold).
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::ApmErrorCount};
    /// assert_eq!(ApmErrorCount::RULE_TYPE_ID, "apm.error_rate");
    /// ```
    ApmErrorCount, "apm.error_rate", ApmErrorCountParams
);

/// Latency aggregation of `apm.transaction_duration`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum LatencyAggregation {
    /// Average.
    #[serde(rename = "avg")]
    Avg,
    /// 95th percentile.
    #[serde(rename = "95th")]
    P95,
    /// 99th percentile.
    #[serde(rename = "99th")]
    P99,
}

/// `apm.transaction_duration` params (`params_property_apm_transaction_duration`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApmTransactionDurationParams {
    /// The environment.
    pub environment: String,
    /// The latency threshold (ms).
    pub threshold: f64,
    /// Aggregation.
    pub aggregation_type: LatencyAggregation,
    /// Window size.
    pub window_size: f64,
    /// Window unit.
    pub window_unit: ApmWindowUnit,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// The transaction type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    /// The transaction name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_name: Option<String>,
    /// Grouping fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
}

rule_type!(
    /// `apm.transaction_duration` (latency threshold).
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::ApmTransactionDuration};
    /// assert_eq!(ApmTransactionDuration::RULE_TYPE_ID, "apm.transaction_duration");
    /// ```
    ApmTransactionDuration, "apm.transaction_duration", ApmTransactionDurationParams
);

/// `apm.transaction_error_rate` params (`params_property_apm_transaction_error_rate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApmTransactionErrorRateParams {
    /// The environment.
    pub environment: String,
    /// The failed-transaction rate threshold (%).
    pub threshold: f64,
    /// Window size.
    pub window_size: f64,
    /// Window unit.
    pub window_unit: ApmWindowUnit,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// The transaction type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    /// The transaction name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_name: Option<String>,
    /// Grouping fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
}

rule_type!(
    /// `apm.transaction_error_rate` (failed transaction rate).
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::ApmTransactionErrorRate};
    /// assert_eq!(ApmTransactionErrorRate::RULE_TYPE_ID, "apm.transaction_error_rate");
    /// ```
    ApmTransactionErrorRate, "apm.transaction_error_rate", ApmTransactionErrorRateParams
);

/// Time unit of infrastructure and log rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Unit {
    /// Seconds.
    #[serde(rename = "s")]
    Seconds,
    /// Minutes.
    #[serde(rename = "m")]
    Minutes,
    /// Hours.
    #[serde(rename = "h")]
    Hours,
    /// Days.
    #[serde(rename = "d")]
    Days,
}

/// One condition of an inventory rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryCriterion {
    /// The metric (`cpu`, `memory`, `rx`, `tx`, `custom`...).
    pub metric: String,
    /// The comparison.
    #[schemars(with = "String")]
    pub comparator: MetricComparator,
    /// One value, or two for `between` / `outside`.
    pub threshold: Vec<f64>,
    /// Window size.
    pub time_size: f64,
    /// Window unit.
    pub time_unit: Unit,
    /// Warning comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub warning_comparator: Option<MetricComparator>,
    /// Warning values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_threshold: Option<Vec<f64>>,
    /// The custom metric (with `metric: custom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metric: Option<Value>,
}

/// `metrics.alert.inventory.threshold` params (`params_property_infra_inventory`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryParams {
    /// The conditions.
    pub criteria: Vec<InventoryCriterion>,
    /// `host`, `pod`, `container`, `awsEC2`, `awsS3`, `awsSQS`, `awsRDS`.
    pub node_type: String,
    /// Alert when there is no data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_on_no_data: Option<bool>,
    /// A filter (ES query JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_query: Option<String>,
    /// The filter as typed (KQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_query_text: Option<String>,
    /// The metrics source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

rule_type!(
    /// `metrics.alert.inventory.threshold`.
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::InfraInventory};
    /// assert_eq!(InfraInventory::RULE_TYPE_ID, "metrics.alert.inventory.threshold");
    /// ```
    InfraInventory, "metrics.alert.inventory.threshold", InventoryParams
);

/// One condition of a metric threshold rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetricCriterion {
    /// `avg`, `max`, `min`, `cardinality`, `rate`, `count`, `sum`, `p95`, `p99`, `custom`.
    pub agg_type: String,
    /// The field (not for `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// The comparison.
    #[schemars(with = "String")]
    pub comparator: MetricComparator,
    /// One value, or two for `between` / `outside`.
    pub threshold: Vec<f64>,
    /// Window size.
    pub time_size: f64,
    /// Window unit (`s`, `m`, `h`, `d`).
    pub time_unit: String,
    /// Warning comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub warning_comparator: Option<MetricComparator>,
    /// Warning values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_threshold: Option<Vec<f64>>,
    /// Custom metrics (with `aggType: custom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metric: Option<Vec<Value>>,
    /// Custom equation (with `aggType: custom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equation: Option<String>,
    /// Custom label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// `metrics.alert.threshold` params (`params_property_infra_metric_threshold`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetricThresholdParams {
    /// The conditions.
    pub criteria: Vec<MetricCriterion>,
    /// Group alerts by these fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<Value>,
    /// A filter (ES query JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_query: Option<String>,
    /// The metrics source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Alert when there is no data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_on_no_data: Option<bool>,
    /// Alert when a group disappears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_on_group_disappear: Option<bool>,
}

rule_type!(
    /// `metrics.alert.threshold`.
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::InfraMetricThreshold};
    /// assert_eq!(InfraMetricThreshold::RULE_TYPE_ID, "metrics.alert.threshold");
    /// ```
    InfraMetricThreshold, "metrics.alert.threshold", MetricThresholdParams
);

/// A log threshold comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum LogComparator {
    /// `more than`
    #[serde(rename = "more than")]
    MoreThan,
    /// `more than or equals`
    #[serde(rename = "more than or equals")]
    MoreThanOrEquals,
    /// `less than`
    #[serde(rename = "less than")]
    LessThan,
    /// `less than or equals`
    #[serde(rename = "less than or equals")]
    LessThanOrEquals,
    /// `equals`
    #[serde(rename = "equals")]
    Equals,
    /// `does not equal`
    #[serde(rename = "does not equal")]
    DoesNotEqual,
    /// `matches`
    #[serde(rename = "matches")]
    Matches,
    /// `does not match`
    #[serde(rename = "does not match")]
    DoesNotMatch,
    /// `matches phrase`
    #[serde(rename = "matches phrase")]
    MatchesPhrase,
    /// `does not match phrase`
    #[serde(rename = "does not match phrase")]
    DoesNotMatchPhrase,
}

/// A condition on a log field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LogCriterion {
    /// The field.
    pub field: String,
    /// The comparison.
    pub comparator: LogComparator,
    /// A number or a string.
    pub value: Value,
}

/// The count condition of a log threshold rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LogCount {
    /// The comparison.
    pub comparator: LogComparator,
    /// The count (or ratio).
    pub value: f64,
}

/// The log view a log threshold rule reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogViewReference {
    /// The log view (`default`).
    pub log_view_id: String,
    /// Always `log-view-reference`.
    #[serde(rename = "type")]
    pub kind: String,
}

impl LogViewReference {
    /// The log view with this id.
    pub fn new(log_view_id: impl Into<String>) -> Self {
        Self {
            log_view_id: log_view_id.into(),
            kind: "log-view-reference".into(),
        }
    }
}

/// `logs.alert.document.count` params (`params_property_log_threshold`): a count of matching documents, or the
/// ratio of two queries' counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum LogThresholdParams {
    /// The ratio of two queries: `criteria` is a pair of condition lists.
    Ratio {
        /// The two queries.
        criteria: [Vec<LogCriterion>; 2],
        /// The ratio condition.
        count: LogCount,
        /// Window size.
        #[serde(rename = "timeSize")]
        time_size: f64,
        /// Window unit.
        #[serde(rename = "timeUnit")]
        time_unit: Unit,
        /// The log view.
        #[serde(rename = "logView")]
        log_view: LogViewReference,
        /// Group by these fields.
        #[serde(rename = "groupBy", default, skip_serializing_if = "Vec::is_empty")]
        group_by: Vec<String>,
    },
    /// A count of documents matching the criteria.
    Count {
        /// The conditions.
        #[serde(default)]
        criteria: Vec<LogCriterion>,
        /// The count condition.
        count: LogCount,
        /// Window size.
        #[serde(rename = "timeSize")]
        time_size: f64,
        /// Window unit.
        #[serde(rename = "timeUnit")]
        time_unit: Unit,
        /// The log view.
        #[serde(rename = "logView")]
        log_view: LogViewReference,
        /// Group by these fields.
        #[serde(rename = "groupBy", default, skip_serializing_if = "Vec::is_empty")]
        group_by: Vec<String>,
    },
}

rule_type!(
    /// `logs.alert.document.count` (log threshold).
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::LogThreshold};
    /// assert_eq!(LogThreshold::RULE_TYPE_ID, "logs.alert.document.count");
    /// ```
    LogThreshold, "logs.alert.document.count", LogThresholdParams
);

/// A burn-rate window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BurnRateWindow {
    /// The duration.
    pub value: f64,
    /// Its unit (`m`, `h`, `d`).
    pub unit: String,
}

/// `slo.rules.burnRate` params (`params_property_slo_burn_rate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SloBurnRateParams {
    /// The SLO.
    pub slo_id: String,
    /// The burn rate that triggers the alert.
    pub burn_rate_threshold: f64,
    /// The largest burn rate the error budget allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_burn_rate_threshold: Option<f64>,
    /// The long window.
    pub long_window: BurnRateWindow,
    /// The short window.
    pub short_window: BurnRateWindow,
}

rule_type!(
    /// `slo.rules.burnRate`.
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::SloBurnRate};
    /// assert_eq!(SloBurnRate::RULE_TYPE_ID, "slo.rules.burnRate");
    /// ```
    SloBurnRate, "slo.rules.burnRate", SloBurnRateParams
);

/// `xpack.uptime.alerts.tls` params (`params_property_synthetics_uptime_tls`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UptimeTlsParams {
    /// Monitors to check (KQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// Days before expiry to alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_expiration_threshold: Option<f64>,
    /// Certificate age (days) to alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_age_threshold: Option<f64>,
}

rule_type!(
    /// `xpack.uptime.alerts.tls` (uptime TLS certificate).
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::UptimeTls};
    /// assert_eq!(UptimeTls::RULE_TYPE_ID, "xpack.uptime.alerts.tls");
    /// ```
    UptimeTls, "xpack.uptime.alerts.tls", UptimeTlsParams
);

/// The availability condition of a monitor status rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    /// The range.
    pub range: f64,
    /// Its unit.
    pub range_unit: String,
    /// Availability threshold (percent, as a string).
    pub threshold: String,
}

/// `xpack.uptime.alerts.monitorStatus` params (`params_property_synthetics_monitor_status`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MonitorStatusParams {
    /// How many times a monitor must be down.
    pub num_times: f64,
    /// Check down status.
    pub should_check_status: bool,
    /// Check availability.
    pub should_check_availability: bool,
    /// The availability condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// Monitors to check (KQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// Filters (a KQL string, or the deprecated object form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Value>,
    /// Look-back count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timerange_count: Option<f64>,
    /// Look-back unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timerange_unit: Option<String>,
    /// Params version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<f64>,
    /// Created by the app rather than a user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_auto_generated: Option<bool>,
    /// Deprecated location filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<String>>,
    /// Deprecated time range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timerange: Option<BTreeMap<String, String>>,
}

rule_type!(
    /// `xpack.uptime.alerts.monitorStatus` (synthetics / uptime monitor status).
    ///
    /// ```
    /// use kibana::rules::{RuleType, observability::MonitorStatus};
    /// assert_eq!(MonitorStatus::RULE_TYPE_ID, "xpack.uptime.alerts.monitorStatus");
    /// ```
    MonitorStatus, "xpack.uptime.alerts.monitorStatus", MonitorStatusParams
);
