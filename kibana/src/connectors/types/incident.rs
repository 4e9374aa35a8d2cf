//! Incident-management connectors: Jira, ServiceNow (ITSM, SecOps, ITOM), IBM Resilient, Swimlane, and the
//! case-management webhook. Their execute params are sub-actions (`{"subAction": ..., "subActionParams": ...}`),
//! as the 9.3 document's `run_*` schemas (8.x: `run_connector_subaction_*`) describe them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ConnectorType, Secret, VerificationMode, WebhookAuthType, WebhookCertType};

/// A comment pushed with an incident.
///
/// ```
/// use kibana::connectors::types::IncidentComment;
/// let value: IncidentComment = serde_json::from_str(r#"{"comment": "Investigating", "commentId": 1}"#).unwrap();
/// assert_eq!(serde_json::from_value::<IncidentComment>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncidentComment {
    /// The comment.
    pub comment: String,
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<i64>,
}

/// `pushToService`: create or update an incident in the external system.
///
/// ```
/// use kibana::connectors::types::PushToService;
/// let value: PushToService = serde_json::from_str(r#"{"incident": {"summary": "Disk full", "description": "db-1"}, "comments": []}"#).unwrap();
/// assert_eq!(serde_json::from_value::<PushToService>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushToService {
    /// The incident's fields (`summary`, `description`, `externalId`, `priority`, `labels`... depending on the
    /// system; see Kibana's `run_connector_subaction_pushtoservice`).
    pub incident: Map<String, Value>,
    /// Comments to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<IncidentComment>,
}

impl PushToService {
    /// An incident with a summary (title) and a description.
    pub fn new(summary: impl Into<String>, description: impl Into<String>) -> Self {
        let mut incident = Map::new();
        incident.insert("summary".into(), Value::String(summary.into()));
        incident.insert("description".into(), Value::String(description.into()));
        Self {
            incident,
            comments: Vec::new(),
        }
    }

    /// Sets another incident field.
    pub fn with_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.incident.insert(name.into(), value.into());
        self
    }

    /// Adds a comment.
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comments.push(IncidentComment {
            comment: comment.into(),
            comment_id: None,
        });
        self
    }
}

/// `getIncident`.
///
/// ```
/// use kibana::connectors::types::ExternalId;
/// let value: ExternalId = serde_json::from_str(r#"{"externalId": "10001"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ExternalId>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExternalId {
    /// The incident's id in the external system.
    pub external_id: String,
}

/// An id (`issue`, `fieldsByIssueType`).
///
/// ```
/// use kibana::connectors::types::IdParam;
/// let value: IdParam = serde_json::from_str(r#"{"id": "10024"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<IdParam>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IdParam {
    /// The id.
    pub id: String,
}

/// `issues`: search Jira issues by title.
///
/// ```
/// use kibana::connectors::types::TitleParam;
/// let value: TitleParam = serde_json::from_str(r#"{"title": "disk"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TitleParam>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TitleParam {
    /// The title to look for.
    pub title: String,
}

/// `getChoices`: the choices of ServiceNow fields.
///
/// ```
/// use kibana::connectors::types::FieldsParam;
/// let value: FieldsParam = serde_json::from_str(r#"{"fields": ["priority", "urgency"]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<FieldsParam>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FieldsParam {
    /// The fields.
    pub fields: Vec<String>,
}

/// Execute params of `.jira`.
///
/// ```
/// use kibana::connectors::types::{JiraParams, PushToService};
/// let params = JiraParams::PushToService(PushToService::new("Disk full", "on db-1"));
/// assert_eq!(serde_json::to_value(&params).unwrap()["subAction"], "pushToService");
/// assert_eq!(serde_json::to_value(&JiraParams::IssueTypes).unwrap(), serde_json::json!({"subAction": "issueTypes"}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum JiraParams {
    /// Create or update an issue.
    PushToService(PushToService),
    /// Read an issue.
    GetIncident(ExternalId),
    /// The fields of the project.
    GetFields,
    /// Search issues by title.
    Issues(TitleParam),
    /// One issue.
    Issue(IdParam),
    /// The project's issue types.
    IssueTypes,
    /// The fields of an issue type.
    FieldsByIssueType(IdParam),
}

/// Which incident `closeIncident` closes: by its ServiceNow id or by the correlation id the connector gave it.
///
/// ```
/// use kibana::connectors::types::CloseIncidentTarget;
/// let value: CloseIncidentTarget = serde_json::from_str(r#"{"correlation_id": "{{rule.id}}:{{alert.id}}"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<CloseIncidentTarget>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CloseIncidentTarget {
    /// The incident's id in ServiceNow.
    #[serde(rename = "externalId", default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The correlation id (Kibana's default when creating: `{{rule.id}}:{{alert.id}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

/// `closeIncident` of `.servicenow` (`run_closeincident`; Kibana 9.x, not in the 8.x document).
///
/// ```
/// use kibana::connectors::types::CloseIncident;
/// let close = CloseIncident::by_external_id("INC0010001");
/// assert_eq!(serde_json::to_value(&close).unwrap(), serde_json::json!({"incident": {"externalId": "INC0010001"}}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CloseIncident {
    /// The incident to close (one of the two ids is needed).
    pub incident: CloseIncidentTarget,
}

impl CloseIncident {
    /// Closes the incident with this ServiceNow id.
    ///
    /// ```
    /// let close = kibana::connectors::types::CloseIncident::by_external_id("INC0010001");
    /// assert_eq!(close.incident.external_id.as_deref(), Some("INC0010001"));
    /// ```
    pub fn by_external_id(external_id: impl Into<String>) -> Self {
        Self {
            incident: CloseIncidentTarget {
                external_id: Some(external_id.into()),
                correlation_id: None,
            },
        }
    }

    /// Closes the incident with this correlation id.
    ///
    /// ```
    /// let close = kibana::connectors::types::CloseIncident::by_correlation_id("rule-1:alert-1");
    /// assert_eq!(close.incident.correlation_id.as_deref(), Some("rule-1:alert-1"));
    /// ```
    pub fn by_correlation_id(correlation_id: impl Into<String>) -> Self {
        Self {
            incident: CloseIncidentTarget {
                external_id: None,
                correlation_id: Some(correlation_id.into()),
            },
        }
    }
}

/// Execute params of `.servicenow` and `.servicenow-sir`.
///
/// ```
/// use kibana::connectors::types::ServiceNowParams;
/// let value: ServiceNowParams = serde_json::from_str(r#"{"subAction": "getIncident", "subActionParams": {"externalId": "INC001"}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ServiceNowParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum ServiceNowParams {
    /// Create or update an incident.
    PushToService(PushToService),
    /// Read an incident.
    GetIncident(ExternalId),
    /// The incident fields.
    GetFields,
    /// The choices of fields.
    GetChoices(FieldsParam),
    /// Close an incident (`.servicenow` ITSM only; Kibana 9.x).
    CloseIncident(CloseIncident),
}

/// `addEvent` of `.servicenow-itom`.
///
/// ```
/// use kibana::connectors::types::ItomEvent;
/// let value: ItomEvent = serde_json::from_str(r#"{"description": "CPU high", "severity": "2"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ItomEvent>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ItomEvent {
    /// Additional information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<String>,
    /// The event's details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The event class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_class: Option<String>,
    /// Deduplication key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_key: Option<String>,
    /// The metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    /// The node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// The resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Severity (`1` critical … `5` info).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// The source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_of_event: Option<String>,
    /// The event type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(rename = "type")]
    pub event_type: Option<String>,
}

/// Execute params of `.servicenow-itom`.
///
/// ```
/// use kibana::connectors::types::ServiceNowItomParams;
/// let value: ServiceNowItomParams = serde_json::from_str(r#"{"subAction": "getChoices", "subActionParams": {"fields": ["severity"]}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ServiceNowItomParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum ServiceNowItomParams {
    /// Send an event.
    AddEvent(Box<ItomEvent>),
    /// The choices of fields.
    GetChoices(FieldsParam),
}

/// Execute params of `.resilient`, `.swimlane` and `.cases-webhook`.
///
/// ```
/// use kibana::connectors::types::PushParams;
/// let value: PushParams = serde_json::from_str(r#"{"subAction": "pushToService", "subActionParams": {"incident": {"summary": "Disk full"}}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<PushParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum PushParams {
    /// Create or update an incident.
    PushToService(PushToService),
}

/// Config of connectors addressed by their API URL only (`.opsgenie`, `.bedrock` without a default model).
///
/// ```
/// use kibana::connectors::types::ApiUrlConfig;
/// let value: ApiUrlConfig = serde_json::from_str(r#"{"apiUrl": "https://api.opsgenie.com"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ApiUrlConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiUrlConfig {
    /// The service's API URL.
    pub api_url: String,
}

impl ApiUrlConfig {
    /// The API URL.
    pub fn new(api_url: impl Into<String>) -> Self {
        Self {
            api_url: api_url.into(),
        }
    }
}

/// Config of `.jira` (`jira_config`; 8.x: `config_properties_jira`).
///
/// ```
/// use kibana::connectors::types::JiraConfig;
/// let value: JiraConfig = serde_json::from_str(r#"{"apiUrl": "https://example.atlassian.net", "projectKey": "OPS"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<JiraConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct JiraConfig {
    /// The Jira URL.
    pub api_url: String,
    /// The project key.
    pub project_key: String,
}

/// Secrets of `.jira` (`jira_secrets`; 8.x: `secrets_properties_jira`).
///
/// ```
/// use kibana::connectors::types::JiraSecrets;
/// let value: JiraSecrets = serde_json::from_str(r#"{"email": "bot@example.com", "apiToken": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JiraSecrets {
    /// The user's e-mail.
    pub email: String,
    /// The API token.
    pub api_token: Secret,
}

impl JiraSecrets {
    /// E-mail and API token.
    pub fn new(email: impl Into<String>, api_token: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            api_token: Secret::new(api_token),
        }
    }
}

connector_type!(
    /// `.jira`.
    ///
    /// ```
    /// use kibana::connectors::types::{JiraConfig, JiraSecrets};
    /// let config = JiraConfig { api_url: "https://example.atlassian.net".into(), project_key: "OPS".into() };
    /// let secrets = JiraSecrets::new("bot@example.com", "t0ken");
    /// assert!(!format!("{secrets:?}").contains("t0ken"));
    /// # drop(config);
    /// ```
    Jira, ".jira", JiraConfig, JiraSecrets, JiraParams
);

/// Config of `.servicenow`, `.servicenow-sir` and `.servicenow-itom` (`servicenow_config`; ITOM:
/// `servicenow_itom_config`, the same without `usesTableApi`; 8.x: `config_properties_servicenow[_itom]`).
///
/// ```
/// use kibana::connectors::types::ServiceNowConfig;
/// let value: ServiceNowConfig = serde_json::from_str(r#"{"apiUrl": "https://example.service-now.com", "isOAuth": false}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ServiceNowConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceNowConfig {
    /// The instance URL.
    pub api_url: String,
    /// OAuth client id (OAuth only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Whether OAuth is used (default false: basic auth).
    #[serde(default)]
    pub is_o_auth: bool,
    /// JWT key id (OAuth only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt_key_id: Option<String>,
    /// User identifier (OAuth only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identifier_value: Option<String>,
    /// Use the table API (default true; `.servicenow` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses_table_api: Option<bool>,
}

impl ServiceNowConfig {
    /// Basic-auth access to an instance.
    pub fn new(api_url: impl Into<String>) -> Self {
        Self {
            api_url: api_url.into(),
            client_id: None,
            is_o_auth: false,
            jwt_key_id: None,
            user_identifier_value: None,
            uses_table_api: None,
        }
    }
}

/// Secrets of the ServiceNow connectors (`servicenow_secrets`; 8.x: `secrets_properties_servicenow`).
///
/// ```
/// use kibana::connectors::types::ServiceNowSecrets;
/// let value: ServiceNowSecrets = serde_json::from_str(r#"{"username": "admin", "password": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceNowSecrets {
    /// User (basic auth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Password (basic auth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// OAuth client secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    /// OAuth private key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<Secret>,
    /// OAuth private key password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key_password: Option<Secret>,
}

impl ServiceNowSecrets {
    /// Basic auth.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: Some(username.into()),
            password: Some(Secret::new(password)),
            ..Self::default()
        }
    }
}

connector_type!(
    /// `.servicenow` (ITSM).
    ///
    /// ```
    /// use kibana::connectors::types::{ServiceNowConfig, ServiceNowSecrets};
    /// let secrets = ServiceNowSecrets::basic("admin", "pw");
    /// assert_eq!(serde_json::to_value(&ServiceNowConfig::new("https://x.service-now.com")).unwrap()["isOAuth"], false);
    /// # drop(secrets);
    /// ```
    ServiceNow, ".servicenow", ServiceNowConfig, ServiceNowSecrets, ServiceNowParams
);
connector_type!(
    /// `.servicenow-sir` (SecOps).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::ServiceNowSir};
    /// assert_eq!(ServiceNowSir::TYPE_ID, ".servicenow-sir");
    /// ```
    ServiceNowSir, ".servicenow-sir", ServiceNowConfig, ServiceNowSecrets, ServiceNowParams
);
connector_type!(
    /// `.servicenow-itom`.
    ///
    /// ```
    /// use kibana::connectors::types::{ItomEvent, ServiceNowItomParams};
    /// let params = ServiceNowItomParams::AddEvent(Box::new(ItomEvent { description: Some("cpu".into()), ..Default::default() }));
    /// assert_eq!(serde_json::to_value(&params).unwrap()["subAction"], "addEvent");
    /// ```
    ServiceNowItom, ".servicenow-itom", ServiceNowConfig, ServiceNowSecrets, ServiceNowItomParams
);

/// Config of `.resilient` (`resilient_config`; 8.x: `config_properties_resilient`).
///
/// ```
/// use kibana::connectors::types::ResilientConfig;
/// let value: ResilientConfig = serde_json::from_str(r#"{"apiUrl": "https://resilient.example.com", "orgId": "201"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ResilientConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResilientConfig {
    /// The IBM Resilient URL.
    pub api_url: String,
    /// The organization id.
    pub org_id: String,
}

/// Secrets of `.resilient` (`resilient_secrets`; 8.x: `secrets_properties_resilient`).
///
/// ```
/// use kibana::connectors::types::ResilientSecrets;
/// let value: ResilientSecrets = serde_json::from_str(r#"{"apiKeyId": "key-id", "apiKeySecret": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResilientSecrets {
    /// The API key id.
    pub api_key_id: String,
    /// The API key secret.
    pub api_key_secret: Secret,
}

connector_type!(
    /// `.resilient` (IBM Resilient).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::Resilient};
    /// assert_eq!(Resilient::TYPE_ID, ".resilient");
    /// ```
    Resilient, ".resilient", ResilientConfig, ResilientSecrets, PushParams
);

/// Which records a Swimlane connector creates.
///
/// ```
/// use kibana::connectors::types::SwimlaneConnectorType;
/// let value: SwimlaneConnectorType = serde_json::from_str(r#""cases""#).unwrap();
/// assert_eq!(serde_json::from_value::<SwimlaneConnectorType>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SwimlaneConnectorType {
    /// Alerts and cases.
    All,
    /// Alerts.
    Alerts,
    /// Cases.
    Cases,
}

/// Config of `.swimlane` (`swimlane_config`; 8.x: `config_properties_swimlane`).
///
/// ```
/// use kibana::connectors::types::SwimlaneConfig;
/// let value: SwimlaneConfig = serde_json::from_str(r#"{"apiUrl": "https://swimlane.example.com", "appId": "app", "connectorType": "all"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SwimlaneConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SwimlaneConfig {
    /// The Swimlane URL.
    pub api_url: String,
    /// The application id.
    pub app_id: String,
    /// What it creates.
    pub connector_type: SwimlaneConnectorType,
    /// Field mappings (see the document's `swimlane_config.mappings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mappings: Option<Map<String, Value>>,
}

/// Secrets of `.swimlane` (`swimlane_secrets`; 8.x: `secrets_properties_swimlane`).
///
/// ```
/// use kibana::connectors::types::SwimlaneSecrets;
/// let value: SwimlaneSecrets = serde_json::from_str(r#"{"apiToken": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SwimlaneSecrets {
    /// The API token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_token: Option<Secret>,
}

connector_type!(
    /// `.swimlane`.
    ///
    /// ```
    /// use kibana::connectors::types::{SwimlaneConfig, SwimlaneConnectorType};
    /// let config = SwimlaneConfig { api_url: "https://s".into(), app_id: "a".into(), connector_type: SwimlaneConnectorType::Alerts, mappings: None };
    /// assert_eq!(serde_json::to_value(&config).unwrap()["connectorType"], "alerts");
    /// ```
    Swimlane, ".swimlane", SwimlaneConfig, SwimlaneSecrets, PushParams
);

/// HTTP method of a case-management webhook call.
///
/// ```
/// use kibana::connectors::types::CaseWebhookMethod;
/// let value: CaseWebhookMethod = serde_json::from_str(r#""patch""#).unwrap();
/// assert_eq!(serde_json::from_value::<CaseWebhookMethod>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaseWebhookMethod {
    /// `patch`
    Patch,
    /// `post`
    Post,
    /// `put`
    Put,
}

/// Config of `.cases-webhook` (`cases_webhook_config`; 8.x: `config_properties_cases_webhook`, without the TLS
/// fields `authType`, `ca`, `certType` and `verificationMode`).
///
/// ```
/// use kibana::connectors::types::CasesWebhookConfig;
/// let value: CasesWebhookConfig = serde_json::from_str(r#"{"createIncidentJson": "{}", "createIncidentResponseKey": "id", "createIncidentUrl": "https://c/i", "getIncidentResponseExternalTitleKey": "title", "getIncidentUrl": "https://c/i/1", "updateIncidentJson": "{}", "updateIncidentUrl": "https://c/i/1", "viewIncidentUrl": "https://c/v/1"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<CasesWebhookConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CasesWebhookConfig {
    /// JSON template of the create-incident body.
    pub create_incident_json: String,
    /// Key of the new incident's id in the response.
    pub create_incident_response_key: String,
    /// Create-incident URL.
    pub create_incident_url: String,
    /// Key of the incident's title in the get response.
    pub get_incident_response_external_title_key: String,
    /// Get-incident URL.
    pub get_incident_url: String,
    /// JSON template of the update-incident body.
    pub update_incident_json: String,
    /// Update-incident URL.
    pub update_incident_url: String,
    /// Incident view URL.
    pub view_incident_url: String,
    /// Create-incident method (default `post`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_incident_method: Option<CaseWebhookMethod>,
    /// Update-incident method (default `put`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_incident_method: Option<CaseWebhookMethod>,
    /// JSON template of the create-comment body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_comment_json: Option<String>,
    /// Create-comment method (default `put`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_comment_method: Option<CaseWebhookMethod>,
    /// Create-comment URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_comment_url: Option<String>,
    /// Whether it authenticates (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_auth: Option<bool>,
    /// Extra headers, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<String>,
    /// How it authenticates (Kibana 9.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<WebhookAuthType>,
    /// Base64 CA certificate to trust (Kibana 9.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<String>,
    /// Client certificate format, with SSL authentication (Kibana 9.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_type: Option<WebhookCertType>,
    /// TLS verification (Kibana's default `full`; Kibana 9.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_mode: Option<VerificationMode>,
}

/// Secrets of `.cases-webhook` (`cases_webhook_secrets`; 8.x: `secrets_properties_cases_webhook`, user and password
/// only).
///
/// ```
/// use kibana::connectors::types::CasesWebhookSecrets;
/// let value: CasesWebhookSecrets = serde_json::from_str(r#"{"user": "bot", "password": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CasesWebhookSecrets {
    /// User.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// Base64 PEM certificate (SSL authentication, `ssl-crt-key`; Kibana 9.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crt: Option<Secret>,
    /// Base64 PEM key (SSL authentication, `ssl-crt-key`; Kibana 9.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Secret>,
    /// Base64 PKCS#12 (SSL authentication, `ssl-pfx`; Kibana 9.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pfx: Option<Secret>,
}

impl CasesWebhookSecrets {
    /// User and password.
    ///
    /// ```
    /// let secrets = kibana::connectors::types::CasesWebhookSecrets::basic("bot", "s3cr3t");
    /// assert!(!format!("{secrets:?}").contains("s3cr3t"));
    /// ```
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: Some(user.into()),
            password: Some(Secret::new(password)),
            ..Self::default()
        }
    }
}

connector_type!(
    /// `.cases-webhook` (Webhook - Case Management).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::CasesWebhook};
    /// assert_eq!(CasesWebhook::TYPE_ID, ".cases-webhook");
    /// ```
    CasesWebhook, ".cases-webhook", CasesWebhookConfig, CasesWebhookSecrets, PushParams
);
