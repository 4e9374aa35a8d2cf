//! On-call, automation and chat-API connectors: Opsgenie, PagerDuty, xMatters, Torq, Tines, D3 Security, Slack API.
//!
//! The 9.3 document describes the execute params of Opsgenie (`run_createalert`, `run_closealert`), PagerDuty
//! (`run_trigger_pagerduty`, `run_acknowledge_resolve_pagerduty`) and the Slack API (`run_postmessage`,
//! `run_validchannelid`); the 8.x document only Opsgenie's. The other params follow Kibana's connector docs and
//! `stack_connectors` schemas (`x-pack/platform/plugins/shared/stack_connectors`, 8.x: `x-pack/plugins/...`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ApiUrlConfig, ConnectorType, Secret};

/// Secrets holding one API key (`.opsgenie`: `opsgenie_secrets`; `.thehive`: `thehive_secrets`).
///
/// ```
/// use kibana::connectors::types::ApiKeySecrets;
/// let value: ApiKeySecrets = serde_json::from_str(r#"{"apiKey": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKeySecrets {
    /// The API key.
    pub api_key: Secret,
}

impl ApiKeySecrets {
    /// The API key.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            api_key: Secret::new(api_key),
        }
    }
}

/// Secrets holding one token (`.torq`, `.d3security`, `.slack_api`, `.sentinelone`: `torq_secrets`,
/// `d3security_secrets`, `slack_api_secrets`, `sentinelone_secrets`).
///
/// ```
/// use kibana::connectors::types::TokenSecrets;
/// let value: TokenSecrets = serde_json::from_str(r#"{"token": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenSecrets {
    /// The token.
    pub token: Secret,
}

impl TokenSecrets {
    /// The token.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: Secret::new(token),
        }
    }
}

/// Priority of an Opsgenie alert.
///
/// ```
/// use kibana::connectors::types::OpsgeniePriority;
/// let value: OpsgeniePriority = serde_json::from_str(r#""P1""#).unwrap();
/// assert_eq!(serde_json::from_value::<OpsgeniePriority>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum OpsgeniePriority {
    /// `P1` (critical).
    P1,
    /// `P2`.
    P2,
    /// `P3` (Opsgenie's default).
    P3,
    /// `P4`.
    P4,
    /// `P5` (informational).
    P5,
}

/// What kind of entity an Opsgenie responder is.
///
/// ```
/// use kibana::connectors::types::OpsgenieResponderType;
/// let value: OpsgenieResponderType = serde_json::from_str(r#""team""#).unwrap();
/// assert_eq!(serde_json::from_value::<OpsgenieResponderType>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OpsgenieResponderType {
    /// An escalation.
    Escalation,
    /// A schedule.
    Schedule,
    /// A team.
    Team,
    /// A user.
    User,
}

/// An entity notified of an Opsgenie alert (`responders`) or one that sees it without a notification (`visibleTo`,
/// where only `team` and `user` are allowed). A user needs `id` or `username`, the others `id` or `name`.
///
/// ```
/// use kibana::connectors::types::{OpsgenieResponder, OpsgenieResponderType};
/// let value: OpsgenieResponder = serde_json::from_str(r#"{"type": "team", "name": "db-oncall"}"#).unwrap();
/// assert_eq!(value.kind, OpsgenieResponderType::Team);
/// assert_eq!(serde_json::from_value::<OpsgenieResponder>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OpsgenieResponder {
    /// The kind of entity.
    #[serde(rename = "type")]
    pub kind: OpsgenieResponderType,
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name (teams, schedules, escalations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its user name (users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

impl OpsgenieResponder {
    /// A team by name.
    ///
    /// ```
    /// let team = kibana::connectors::types::OpsgenieResponder::team("db-oncall");
    /// assert_eq!(serde_json::to_value(&team).unwrap(), serde_json::json!({"type": "team", "name": "db-oncall"}));
    /// ```
    pub fn team(name: impl Into<String>) -> Self {
        Self {
            kind: OpsgenieResponderType::Team,
            id: None,
            name: Some(name.into()),
            username: None,
        }
    }

    /// A user by user name.
    ///
    /// ```
    /// let user = kibana::connectors::types::OpsgenieResponder::user("ada@example.com");
    /// assert_eq!(serde_json::to_value(&user).unwrap()["username"], "ada@example.com");
    /// ```
    pub fn user(username: impl Into<String>) -> Self {
        Self {
            kind: OpsgenieResponderType::User,
            id: None,
            name: None,
            username: Some(username.into()),
        }
    }
}

/// `createAlert` of `.opsgenie` (`run_createalert`, which the 9.3 document shares with TheHive's `createAlert`; 8.x:
/// `run_connector_subaction_createalert`).
///
/// ```
/// use kibana::connectors::types::OpsgenieAlert;
/// let value: OpsgenieAlert = serde_json::from_str(r#"{"message": "db-1 down", "priority": "P1", "tags": ["db"]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<OpsgenieAlert>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpsgenieAlert {
    /// The alert's message (required).
    pub message: String,
    /// Deduplication alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Custom actions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// Custom properties.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, Value>,
    /// The entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<OpsgeniePriority>,
    /// Who is notified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responders: Vec<OpsgenieResponder>,
    /// Teams and users that see the alert without being notified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visible_to: Vec<OpsgenieResponder>,
    /// Source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `closeAlert` of `.opsgenie` (`run_closealert`; 8.x: `run_connector_subaction_closealert`).
///
/// ```
/// use kibana::connectors::types::OpsgenieClose;
/// let value: OpsgenieClose = serde_json::from_str(r#"{"alias": "db-1", "note": "fixed"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<OpsgenieClose>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OpsgenieClose {
    /// The alias of the alert to close (required).
    pub alias: String,
    /// Note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// Execute params of `.opsgenie`.
///
/// ```
/// use kibana::connectors::types::{OpsgenieAlert, OpsgenieParams};
/// let params = OpsgenieParams::CreateAlert(OpsgenieAlert { message: "down".into(), ..Default::default() });
/// assert_eq!(serde_json::to_value(&params).unwrap(), serde_json::json!({"subAction": "createAlert", "subActionParams": {"message": "down"}}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum OpsgenieParams {
    /// Open an alert.
    CreateAlert(OpsgenieAlert),
    /// Close an alert.
    CloseAlert(OpsgenieClose),
}

connector_type!(
    /// `.opsgenie` (`opsgenie_config`, `opsgenie_secrets`).
    ///
    /// ```
    /// use kibana::connectors::types::{ApiKeySecrets, ApiUrlConfig};
    /// let (config, secrets) = (ApiUrlConfig::new("https://api.opsgenie.com"), ApiKeySecrets::new("k3y"));
    /// assert!(!format!("{secrets:?}").contains("k3y"));
    /// # drop(config);
    /// ```
    Opsgenie, ".opsgenie", ApiUrlConfig, ApiKeySecrets, OpsgenieParams
);

/// Config of `.pagerduty` (`pagerduty_config`; 8.x: `config_properties_pagerduty`).
///
/// ```
/// use kibana::connectors::types::PagerDutyConfig;
/// let value: PagerDutyConfig = serde_json::from_str(r#"{"apiUrl": "https://events.pagerduty.com/v2/enqueue"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<PagerDutyConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PagerDutyConfig {
    /// The Events API URL (default `https://events.pagerduty.com/v2/enqueue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
}

/// Secrets of `.pagerduty` (`pagerduty_secrets`; 8.x: `secrets_properties_pagerduty`).
///
/// ```
/// use kibana::connectors::types::PagerDutySecrets;
/// let value: PagerDutySecrets = serde_json::from_str(r#"{"routingKey": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PagerDutySecrets {
    /// The integration's routing key.
    pub routing_key: Secret,
}

impl PagerDutySecrets {
    /// The routing key.
    pub fn new(routing_key: impl Into<String>) -> Self {
        Self {
            routing_key: Secret::new(routing_key),
        }
    }
}

/// What a PagerDuty event does.
///
/// ```
/// use kibana::connectors::types::PagerDutyEventAction;
/// let value: PagerDutyEventAction = serde_json::from_str(r#""resolve""#).unwrap();
/// assert_eq!(serde_json::from_value::<PagerDutyEventAction>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PagerDutyEventAction {
    /// Open (default).
    #[default]
    Trigger,
    /// Resolve.
    Resolve,
    /// Acknowledge.
    Acknowledge,
}

/// Severity of a PagerDuty event (Kibana's default `info`).
///
/// ```
/// use kibana::connectors::types::PagerDutySeverity;
/// let value: PagerDutySeverity = serde_json::from_str(r#""critical""#).unwrap();
/// assert_eq!(serde_json::from_value::<PagerDutySeverity>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PagerDutySeverity {
    /// `critical`
    Critical,
    /// `error`
    Error,
    /// `warning`
    Warning,
    /// `info`
    Info,
}

/// A link attached to a PagerDuty event.
///
/// ```
/// use kibana::connectors::types::PagerDutyLink;
/// let value: PagerDutyLink = serde_json::from_str(r#"{"href": "https://kibana.example.com/app/r/1", "text": "Rule"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<PagerDutyLink>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PagerDutyLink {
    /// The URL.
    pub href: String,
    /// Its text.
    pub text: String,
}

/// Execute params of `.pagerduty`: one type for the 9.3 document's `run_trigger_pagerduty` and
/// `run_acknowledge_resolve_pagerduty` (not in the 8.x document), told apart by `eventAction`.
///
/// ```
/// use kibana::connectors::types::PagerDutyParams;
/// let value: PagerDutyParams = serde_json::from_str(r#"{"eventAction": "trigger", "summary": "db-1 down", "severity": "critical"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<PagerDutyParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PagerDutyParams {
    /// What the event does.
    pub event_action: PagerDutyEventAction,
    /// Deduplication key (required to resolve or acknowledge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_key: Option<String>,
    /// Summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<PagerDutySeverity>,
    /// ISO-8601 time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Extra details of a triggering event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_details: Option<Map<String, Value>>,
    /// Links of a triggering event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<PagerDutyLink>,
}

impl PagerDutyParams {
    /// A triggering event with a summary.
    pub fn trigger(summary: impl Into<String>) -> Self {
        Self {
            event_action: PagerDutyEventAction::Trigger,
            summary: Some(summary.into()),
            ..Self::default()
        }
    }

    /// Resolves the event with this deduplication key.
    ///
    /// ```
    /// let params = kibana::connectors::types::PagerDutyParams::resolve("db-1");
    /// assert_eq!(serde_json::to_value(&params).unwrap(), serde_json::json!({"eventAction": "resolve", "dedupKey": "db-1"}));
    /// ```
    pub fn resolve(dedup_key: impl Into<String>) -> Self {
        Self {
            event_action: PagerDutyEventAction::Resolve,
            dedup_key: Some(dedup_key.into()),
            ..Self::default()
        }
    }

    /// Acknowledges the event with this deduplication key.
    ///
    /// ```
    /// let params = kibana::connectors::types::PagerDutyParams::acknowledge("db-1");
    /// assert_eq!(serde_json::to_value(&params).unwrap()["eventAction"], "acknowledge");
    /// ```
    pub fn acknowledge(dedup_key: impl Into<String>) -> Self {
        Self {
            event_action: PagerDutyEventAction::Acknowledge,
            dedup_key: Some(dedup_key.into()),
            ..Self::default()
        }
    }
}

connector_type!(
    /// `.pagerduty`.
    ///
    /// ```
    /// use kibana::connectors::types::PagerDutyParams;
    /// assert_eq!(serde_json::to_value(PagerDutyParams::trigger("down")).unwrap()["eventAction"], "trigger");
    /// ```
    PagerDuty, ".pagerduty", PagerDutyConfig, PagerDutySecrets, PagerDutyParams
);

/// Config of `.xmatters` (`xmatters_config`; 8.x: `config_properties_xmatters`).
///
/// ```
/// use kibana::connectors::types::XmattersConfig;
/// let value: XmattersConfig = serde_json::from_str(r#"{"configUrl": "https://example.xmatters.com/api/integration/1/functions/x/triggers", "usesBasic": true}"#).unwrap();
/// assert_eq!(serde_json::from_value::<XmattersConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct XmattersConfig {
    /// The flow URL (basic auth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_url: Option<String>,
    /// Whether basic auth is used (default true; otherwise the URL is a secret).
    #[serde(default = "default_true")]
    pub uses_basic: bool,
}

fn default_true() -> bool {
    true
}

/// Secrets of `.xmatters` (`xmatters_secrets`; 8.x: `secrets_properties_xmatters`).
///
/// ```
/// use kibana::connectors::types::XmattersSecrets;
/// let value: XmattersSecrets = serde_json::from_str(r#"{"user": "bot", "password": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct XmattersSecrets {
    /// User (basic auth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Password (basic auth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// The flow URL with its API key (URL auth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_url: Option<Secret>,
}

/// Execute params of `.xmatters` (neither document describes them; Kibana's xMatters connector schema).
///
/// ```
/// use kibana::connectors::types::XmattersParams;
/// let value: XmattersParams = serde_json::from_str(r#"{"alertActionGroupName": "threshold met", "severity": "critical"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<XmattersParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct XmattersParams {
    /// Alert action group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_action_group_name: Option<String>,
    /// Signal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal_id: Option<String>,
    /// Rule name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    /// Date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space_id: Option<String>,
    /// Tags (comma separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
}

connector_type!(
    /// `.xmatters`.
    ///
    /// ```
    /// use kibana::connectors::types::XmattersConfig;
    /// let config: XmattersConfig = serde_json::from_str("{}").unwrap();
    /// assert!(config.uses_basic, "the spec's default");
    /// ```
    Xmatters, ".xmatters", XmattersConfig, XmattersSecrets, XmattersParams
);

/// Config of `.torq` (`torq_config`; 8.x: `config_properties_torq`).
///
/// ```
/// use kibana::connectors::types::TorqConfig;
/// let value: TorqConfig = serde_json::from_str(r#"{"webhookIntegrationUrl": "https://hooks.torq.io/v1/webhooks/x"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TorqConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TorqConfig {
    /// The webhook integration URL.
    pub webhook_integration_url: String,
}

/// Execute params of `.torq` and `.webhook`-like connectors: a JSON body as a string (Kibana's Torq connector
/// schema; neither document describes them).
///
/// ```
/// use kibana::connectors::types::BodyParams;
/// let value: BodyParams = serde_json::from_str(r#"{"body": "{\"alert\": \"db-1\"}"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<BodyParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BodyParams {
    /// The body.
    pub body: String,
}

connector_type!(
    /// `.torq`.
    ///
    /// ```
    /// use kibana::connectors::types::{TokenSecrets, TorqConfig};
    /// let config = TorqConfig { webhook_integration_url: "https://hooks.torq.io/v1/x".into() };
    /// # drop((config, TokenSecrets::new("t")));
    /// ```
    Torq, ".torq", TorqConfig, TokenSecrets, BodyParams
);

/// Config of connectors addressed by a `url` (`.tines`, `.d3security`, `.crowdstrike`, `.sentinelone`:
/// `tines_config`, `d3security_config`, `crowdstrike_config`, `sentinelone_config`).
///
/// ```
/// use kibana::connectors::types::UrlConfig;
/// let value: UrlConfig = serde_json::from_str(r#"{"url": "https://example.tines.com"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<UrlConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UrlConfig {
    /// The service URL.
    pub url: String,
}

/// Secrets of `.tines` (`tines_secrets`; 8.x: `secrets_properties_tines`).
///
/// ```
/// use kibana::connectors::types::TinesSecrets;
/// let value: TinesSecrets = serde_json::from_str(r#"{"email": "bot@example.com", "token": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TinesSecrets {
    /// The user's e-mail.
    pub email: String,
    /// The API token.
    pub token: Secret,
}

/// A Tines webhook.
///
/// ```
/// use kibana::connectors::types::TinesWebhook;
/// let value: TinesWebhook = serde_json::from_str(r#"{"id": 1, "path": "/webhook/abc", "storyId": 2}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TinesWebhook>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TinesWebhook {
    /// Webhook id.
    pub id: u64,
    /// Webhook path.
    pub path: String,
    /// Story id.
    pub story_id: u64,
}

/// `run` of `.tines`.
///
/// ```
/// use kibana::connectors::types::TinesRun;
/// let value: TinesRun = serde_json::from_str(r#"{"webhook": {"id": 1, "path": "/webhook/abc", "storyId": 2}, "body": "{}"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TinesRun>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TinesRun {
    /// The webhook to call.
    pub webhook: TinesWebhook,
    /// The body.
    pub body: String,
}

/// Execute params of `.tines` (neither document describes them; Kibana's `common/tines/schema.ts`).
///
/// ```
/// use kibana::connectors::types::TinesParams;
/// let value: TinesParams = serde_json::from_str(r#"{"subAction": "webhooks", "subActionParams": {"storyId": 2}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TinesParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum TinesParams {
    /// Call a story's webhook.
    Run(TinesRun),
    /// List stories.
    Stories,
    /// List a story's webhooks.
    Webhooks {
        /// The story.
        #[serde(rename = "storyId")]
        story_id: u64,
    },
}

connector_type!(
    /// `.tines`.
    ///
    /// ```
    /// use kibana::connectors::types::TinesParams;
    /// assert_eq!(serde_json::to_value(TinesParams::Stories).unwrap(), serde_json::json!({"subAction": "stories"}));
    /// ```
    Tines, ".tines", UrlConfig, TinesSecrets, TinesParams
);

/// `run` of `.d3security`.
///
/// ```
/// use kibana::connectors::types::D3Event;
/// let value: D3Event = serde_json::from_str(r#"{"body": "{}", "severity": "high", "eventType": "alert"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<D3Event>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct D3Event {
    /// The body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Event type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
}

/// Execute params of `.d3security` (neither document describes them; Kibana's `common/d3security/schema.ts`).
///
/// ```
/// use kibana::connectors::types::D3SecurityParams;
/// let value: D3SecurityParams = serde_json::from_str(r#"{"subAction": "run", "subActionParams": {"body": "{}"}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<D3SecurityParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum D3SecurityParams {
    /// Send an event.
    Run(D3Event),
    /// Test the connection.
    Test(D3Event),
}

connector_type!(
    /// `.d3security`.
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::D3Security};
    /// assert_eq!(D3Security::TYPE_ID, ".d3security");
    /// ```
    D3Security, ".d3security", UrlConfig, TokenSecrets, D3SecurityParams
);

/// A channel a `.slack_api` connector may post to.
///
/// ```
/// use kibana::connectors::types::SlackChannel;
/// let value: SlackChannel = serde_json::from_str(r##"{"id": "C0123", "name": "#ops"}"##).unwrap();
/// assert_eq!(serde_json::from_value::<SlackChannel>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SlackChannel {
    /// The channel id.
    pub id: String,
    /// The channel name.
    pub name: String,
}

/// Config of `.slack_api` (`slack_api_config`; the 8.x document has no config for it).
///
/// ```
/// use kibana::connectors::types::SlackApiConfig;
/// let config = SlackApiConfig::default().with_channel("C0123", "#ops");
/// assert_eq!(serde_json::to_value(&config).unwrap(), serde_json::json!({"allowedChannels": [{"id": "C0123", "name": "#ops"}]}));
/// assert_eq!(serde_json::to_value(SlackApiConfig::default()).unwrap(), serde_json::json!({}));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlackApiConfig {
    /// The channels it may post to (at most 25); empty, any channel the app can reach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_channels: Vec<SlackChannel>,
}

impl SlackApiConfig {
    /// Allows one more channel.
    ///
    /// ```
    /// let config = kibana::connectors::types::SlackApiConfig::default().with_channel("C0123", "ops");
    /// assert_eq!(config.allowed_channels[0].id, "C0123");
    /// ```
    pub fn with_channel(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.allowed_channels.push(SlackChannel {
            id: id.into(),
            name: name.into(),
        });
        self
    }
}

/// `postMessage` of `.slack_api` (`run_postmessage`), and `postBlockkit` (Kibana's source; `text` is then a Block Kit
/// JSON document).
///
/// ```
/// use kibana::connectors::types::SlackPostMessage;
/// let value: SlackPostMessage = serde_json::from_str(r#"{"channelIds": ["C01"], "text": "Deploy finished"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SlackPostMessage>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlackPostMessage {
    /// Channel ids.
    pub channel_ids: Vec<String>,
    /// The text.
    pub text: String,
}

/// Execute params of `.slack_api` (`run_postmessage`, `run_validchannelid`; not in the 8.x document).
///
/// ```
/// use kibana::connectors::types::SlackApiParams;
/// let value: SlackApiParams = serde_json::from_str(r#"{"subAction": "validChannelId", "subActionParams": {"channelId": "C01"}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SlackApiParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum SlackApiParams {
    /// Post a message.
    PostMessage(SlackPostMessage),
    /// Post a Block Kit message (`text` holds the JSON with its `blocks`; Kibana's source, not in the document).
    PostBlockkit(SlackPostMessage),
    /// Check a channel id.
    ValidChannelId {
        /// The channel.
        #[serde(rename = "channelId")]
        channel_id: String,
    },
}

connector_type!(
    /// `.slack_api` (Slack Web API).
    ///
    /// ```
    /// use kibana::connectors::types::{SlackApiParams, SlackPostMessage};
    /// let params = SlackApiParams::PostMessage(SlackPostMessage { channel_ids: vec!["C01".into()], text: "hi".into() });
    /// assert_eq!(serde_json::to_value(&params).unwrap()["subActionParams"]["channelIds"][0], "C01");
    /// ```
    SlackApi, ".slack_api", SlackApiConfig, TokenSecrets, SlackApiParams
);
