//! Rule shapes: schedules, actions (typed by connector), frequencies, alert filters, and rules as Kibana returns
//! them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    Error,
    connectors::{ConnectorRef, ConnectorType},
};

/// How often a rule runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Schedule {
    /// An interval such as `30s`, `1m`, `2h`, `1d`.
    pub interval: String,
}

impl Schedule {
    /// Every `interval` (`30s`, `5m`, `1h`, `1d`).
    pub fn every(interval: impl Into<String>) -> Self {
        Self {
            interval: interval.into(),
        }
    }
}

/// When actions run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum NotifyWhen {
    /// When the alert's action group changes.
    OnActionGroupChange,
    /// At every run while the alert is active.
    OnActiveAlert,
    /// At most once per throttle interval.
    OnThrottleInterval,
}

/// How often an action runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActionFrequency {
    /// One summary for all alerts (true) or one action per alert (false).
    pub summary: bool,
    /// When it runs.
    pub notify_when: NotifyWhen,
    /// With `OnThrottleInterval`: the interval (`10m`).
    #[serde(default)]
    pub throttle: Option<String>,
}

/// A KQL filter on the alerts an action runs for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AlertsQuery {
    /// The KQL expression.
    pub kql: String,
    /// Extra DSL filters.
    #[serde(default)]
    pub filters: Vec<Value>,
}

/// Hours of a timeframe (`HH:mm`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hours {
    /// Start, e.g. `08:00`.
    pub start: String,
    /// End, e.g. `17:00`.
    pub end: String,
}

/// The days and hours an action may run in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Timeframe {
    /// ISO weekdays (1 = Monday … 7 = Sunday); empty means every day.
    pub days: Vec<u8>,
    /// The hours.
    pub hours: Hours,
    /// IANA time zone.
    pub timezone: String,
}

/// Conditions an alert must meet for the action to run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AlertsFilter {
    /// Only alerts matching this query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<AlertsQuery>,
    /// Only in this timeframe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeframe: Option<Timeframe>,
}

/// An action of a rule: which connector runs, with which params, when.
///
/// ```
/// use kibana::connectors::{ConnectorRef, types::{LogLevel, ServerLog, ServerLogParams}};
/// use kibana::rules::{ActionFrequency, NotifyWhen, RuleAction};
///
/// let log = ConnectorRef::<ServerLog>::new("my-server-log");
/// let action = RuleAction::connector("threshold met", &log, &ServerLogParams::new("{{context.message}}").with_level(LogLevel::Warn))
///     .unwrap()
///     .with_frequency(ActionFrequency { summary: false, notify_when: NotifyWhen::OnActionGroupChange, throttle: None });
/// assert_eq!(action.params["level"], "warn");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RuleAction {
    /// The action group (e.g. `threshold met`, `query matched`).
    pub group: String,
    /// The connector's id.
    pub id: String,
    /// The connector's params (typed through [`RuleAction::connector`]).
    pub params: Value,
    /// How often it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<ActionFrequency>,
    /// Which alerts it runs for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts_filter: Option<AlertsFilter>,
    /// Kibana's id of the action (returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// The connector type (returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector_type_id: Option<String>,
}

impl RuleAction {
    /// An action running a typed connector with typed params.
    pub fn connector<C: ConnectorType>(
        group: impl Into<String>,
        connector: &ConnectorRef<C>,
        params: &C::Params,
    ) -> Result<Self, Error> {
        let params = serde_json::to_value(params)
            .map_err(|e| Error::InvalidRequest(format!("cannot encode the {} action params: {e}", C::TYPE_ID)))?;
        Ok(Self::raw(group, connector.id.clone(), params))
    }

    /// An action with raw JSON params.
    pub fn raw(group: impl Into<String>, connector_id: impl Into<String>, params: Value) -> Self {
        Self {
            group: group.into(),
            id: connector_id.into(),
            params,
            frequency: None,
            alerts_filter: None,
            uuid: None,
            connector_type_id: None,
        }
    }

    /// Sets the frequency.
    pub fn with_frequency(mut self, frequency: ActionFrequency) -> Self {
        self.frequency = Some(frequency);
        self
    }

    /// Sets the alerts filter.
    pub fn with_alerts_filter(mut self, filter: AlertsFilter) -> Self {
        self.alerts_filter = Some(filter);
        self
    }
}

/// A rule to create, with params `P`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct NewRule<P> {
    /// The name.
    pub name: String,
    /// The rule type.
    pub rule_type_id: String,
    /// The app that owns it (`alerts`, `stackAlerts`, `apm`, `infrastructure`, `logs`, `slo`, `uptime`...).
    pub consumer: String,
    /// When it runs.
    pub schedule: Schedule,
    /// The rule type's params.
    pub params: P,
    /// Its actions.
    pub actions: Vec<RuleAction>,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether it runs (default true).
    pub enabled: bool,
}

/// A rule as Kibana returns it, with params `P` ([`Value`] for any rule type).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rule<P = Value> {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The rule type.
    pub rule_type_id: String,
    /// The owning app.
    pub consumer: String,
    /// Whether it runs.
    pub enabled: bool,
    /// When it runs.
    pub schedule: Schedule,
    /// The rule type's params.
    pub params: P,
    /// Its actions.
    #[serde(default)]
    pub actions: Vec<RuleAction>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Whether all its alerts are muted.
    #[serde(default)]
    pub mute_all: bool,
    /// Alerts muted one by one.
    #[serde(default)]
    pub muted_alert_ids: Vec<String>,
    /// Rule-level notify_when (legacy; prefer per-action frequency).
    #[serde(default)]
    pub notify_when: Option<NotifyWhen>,
    /// Rule-level throttle (legacy).
    #[serde(default)]
    pub throttle: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Last update time.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// The last run's status.
    #[serde(default)]
    pub execution_status: Option<Value>,
}

/// One page of `find`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RulesPage<P = Value> {
    /// The page (1-based).
    pub page: u64,
    /// Rules per page.
    pub per_page: u64,
    /// How many rules match.
    pub total: u64,
    /// This page's rules.
    pub data: Vec<Rule<P>>,
}

/// A rule type as `GET /api/alerting/rule_types` describes it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RuleTypeInfo {
    /// The id, e.g. `.index-threshold`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The app that produces its alerts.
    #[serde(default)]
    pub producer: Option<String>,
    /// Its action groups.
    #[serde(default)]
    pub action_groups: Vec<Value>,
    /// The default action group.
    #[serde(default)]
    pub default_action_group_id: Option<String>,
    /// Whether the license allows it.
    #[serde(default)]
    pub enabled_in_license: bool,
    /// Lowest license that allows it.
    #[serde(default)]
    pub minimum_license_required: Option<String>,
}
