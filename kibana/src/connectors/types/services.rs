//! On-call, automation and chat-API connectors: Opsgenie, PagerDuty, xMatters, Torq, Tines, D3 Security, Slack API.
//!
//! The pinned connectors document describes execute params only for Opsgenie (`createAlert`, `closeAlert`); the
//! other params follow Kibana's connector docs and `x-pack/plugins/stack_connectors` schemas.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ApiUrlConfig, ConnectorType, Empty, Secret};

/// Secrets holding one API key (`.opsgenie`).
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

/// Secrets holding one token (`.torq`, `.d3security`, `.slack_api`).
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

/// `createAlert` of `.opsgenie`.
///
/// ```
/// use kibana::connectors::types::OpsgenieAlert;
/// let value: OpsgenieAlert = serde_json::from_str(r#"{"message": "db-1 down", "priority": "P1", "tags": ["db"]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<OpsgenieAlert>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// Priority `P1` … `P5`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
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

/// `closeAlert` of `.opsgenie`.
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
    /// `.opsgenie`.
    ///
    /// ```
    /// use kibana::connectors::types::{ApiKeySecrets, ApiUrlConfig};
    /// let (config, secrets) = (ApiUrlConfig::new("https://api.opsgenie.com"), ApiKeySecrets::new("k3y"));
    /// assert!(!format!("{secrets:?}").contains("k3y"));
    /// # drop(config);
    /// ```
    Opsgenie, ".opsgenie", ApiUrlConfig, ApiKeySecrets, OpsgenieParams
);

/// Config of `.pagerduty` (`config_properties_pagerduty`).
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

/// Secrets of `.pagerduty`.
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

/// Severity of a PagerDuty event.
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

/// Execute params of `.pagerduty`.
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

/// Config of `.xmatters` (`config_properties_xmatters`).
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

/// Secrets of `.xmatters`.
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

/// Execute params of `.xmatters`.
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

/// Config of `.torq` (`config_properties_torq`).
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

/// Execute params of `.torq` and `.webhook`-like connectors: a JSON body as a string.
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

/// Config of connectors addressed by a `url` (`.tines`, `.d3security`).
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

/// Secrets of `.tines`.
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

/// Execute params of `.tines`.
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

/// Execute params of `.d3security`.
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

/// `postMessage` of `.slack_api`.
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

/// Execute params of `.slack_api`.
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
    SlackApi, ".slack_api", Empty, TokenSecrets, SlackApiParams
);
