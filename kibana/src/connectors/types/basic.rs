//! Logging, indexing, webhooks, chat and mail.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ConnectorType, Empty, Secret};

// ---------------------------------------------------------------- .server-log

connector_type!(
    /// `.server-log`: writes a message to Kibana's log. Neither document spells the type id out (9.3 describes only
    /// its params, `run_message_serverlog`); it is Kibana's `ConnectorTypeId` in `stack_connectors`'
    /// `server/connector_types/server_log/index.ts`, as Kibana's connector docs name it.
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::{ServerLog, ServerLogParams, LogLevel}};
    /// assert_eq!(ServerLog::TYPE_ID, ".server-log");
    /// let params = ServerLogParams::new("disk almost full").with_level(LogLevel::Warn);
    /// assert_eq!(serde_json::to_value(&params).unwrap(), serde_json::json!({"level": "warn", "message": "disk almost full"}));
    /// ```
    ServerLog, ".server-log", Empty, Empty, ServerLogParams
);

/// Log level of a server-log message.
///
/// ```
/// use kibana::connectors::types::LogLevel;
/// let value: LogLevel = serde_json::from_str(r#""warn""#).unwrap();
/// assert_eq!(serde_json::from_value::<LogLevel>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// `trace`
    Trace,
    /// `debug`
    Debug,
    /// `info` (Kibana's default)
    #[default]
    Info,
    /// `warn`
    Warn,
    /// `error`
    Error,
    /// `fatal`
    Fatal,
}

/// Params of `.server-log` (`run_message_serverlog`; 8.x: `run_connector_params_level_message`).
///
/// ```
/// use kibana::connectors::types::ServerLogParams;
/// let value: ServerLogParams = serde_json::from_str(r#"{"level": "error", "message": "disk full"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<ServerLogParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerLogParams {
    /// The level (default `info`).
    #[serde(default)]
    pub level: LogLevel,
    /// The message.
    pub message: String,
}

impl ServerLogParams {
    /// A message at `info` level.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            level: LogLevel::Info,
            message: message.into(),
        }
    }

    /// Sets the level.
    pub fn with_level(mut self, level: LogLevel) -> Self {
        self.level = level;
        self
    }
}

// ---------------------------------------------------------------- .index

connector_type!(
    /// `.index`: writes documents to an Elasticsearch index.
    ///
    /// ```
    /// use kibana::connectors::types::{IndexConfig, IndexParams};
    /// let config = IndexConfig::new("alerts-history").with_refresh(true);
    /// assert_eq!(serde_json::to_value(&config).unwrap()["index"], "alerts-history");
    /// let params = IndexParams::new(vec![serde_json::json!({"message": "hi"})]);
    /// # drop(params);
    /// ```
    Index, ".index", IndexConfig, Empty, IndexParams
);

/// Config of `.index` (`index_config`; 8.x: `config_properties_index`).
///
/// ```
/// use kibana::connectors::types::IndexConfig;
/// let value: IndexConfig = serde_json::from_str(r#"{"index": "alerts-history", "refresh": true}"#).unwrap();
/// assert_eq!(serde_json::from_value::<IndexConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IndexConfig {
    /// The index.
    pub index: String,
    /// A field to fill with the execution time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_time_field: Option<String>,
    /// Refresh the index after writing (default false).
    #[serde(default)]
    pub refresh: bool,
}

impl IndexConfig {
    /// Writes to `index`.
    pub fn new(index: impl Into<String>) -> Self {
        Self {
            index: index.into(),
            execution_time_field: None,
            refresh: false,
        }
    }

    /// Sets `executionTimeField`.
    pub fn with_execution_time_field(mut self, field: impl Into<String>) -> Self {
        self.execution_time_field = Some(field.into());
        self
    }

    /// Sets `refresh`.
    pub fn with_refresh(mut self, refresh: bool) -> Self {
        self.refresh = refresh;
        self
    }
}

/// Params of `.index` (`run_documents`; 8.x: `run_connector_params_documents`).
///
/// ```
/// use kibana::connectors::types::IndexParams;
/// let value: IndexParams = serde_json::from_str(r#"{"documents": [{"message": "hi"}]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<IndexParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexParams {
    /// The documents to write.
    pub documents: Vec<Value>,
}

impl IndexParams {
    /// Writes `documents`.
    pub fn new(documents: Vec<Value>) -> Self {
        Self { documents }
    }
}

// ---------------------------------------------------------------- .webhook

connector_type!(
    /// `.webhook`: sends an HTTP request.
    ///
    /// ```
    /// use kibana::connectors::types::{WebhookConfig, WebhookMethod, WebhookSecrets};
    /// let config = WebhookConfig::new("https://hooks.example.com/deploy").with_method(WebhookMethod::Put);
    /// let secrets = WebhookSecrets::basic("bot", "s3cret");
    /// assert!(!format!("{secrets:?}").contains("s3cret"));
    /// assert_eq!(serde_json::to_value(&config).unwrap()["method"], "put");
    /// ```
    Webhook, ".webhook", WebhookConfig, WebhookSecrets, WebhookParams
);

/// HTTP method of a webhook.
///
/// ```
/// use kibana::connectors::types::WebhookMethod;
/// let value: WebhookMethod = serde_json::from_str(r#""put""#).unwrap();
/// assert_eq!(serde_json::from_value::<WebhookMethod>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookMethod {
    /// `post` (default)
    #[default]
    Post,
    /// `put`
    Put,
}

/// How a webhook authenticates (`.webhook`, `.cases-webhook`).
///
/// ```
/// use kibana::connectors::types::WebhookAuthType;
/// let value: WebhookAuthType = serde_json::from_str(r#""webhook-authentication-basic""#).unwrap();
/// assert_eq!(serde_json::from_value::<WebhookAuthType>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum WebhookAuthType {
    /// User and password.
    #[serde(rename = "webhook-authentication-basic")]
    Basic,
    /// A client certificate.
    #[serde(rename = "webhook-authentication-ssl")]
    Ssl,
}

/// Client certificate format of a webhook (`.webhook`, `.cases-webhook`).
///
/// ```
/// use kibana::connectors::types::WebhookCertType;
/// let value: WebhookCertType = serde_json::from_str(r#""ssl-crt-key""#).unwrap();
/// assert_eq!(serde_json::from_value::<WebhookCertType>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum WebhookCertType {
    /// PEM certificate and key.
    #[serde(rename = "ssl-crt-key")]
    CrtKey,
    /// PKCS#12.
    #[serde(rename = "ssl-pfx")]
    Pfx,
}

/// TLS verification of a webhook (`.webhook`, `.cases-webhook`, and `.gen-ai`'s `Other` provider).
///
/// ```
/// use kibana::connectors::types::VerificationMode;
/// let value: VerificationMode = serde_json::from_str(r#""certificate""#).unwrap();
/// assert_eq!(serde_json::from_value::<VerificationMode>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VerificationMode {
    /// Certificate and host name (default).
    #[default]
    Full,
    /// Certificate only.
    Certificate,
    /// None (dangerous).
    None,
}

/// Config of `.webhook` (`webhook_config`; 8.x: `config_properties_webhook`).
///
/// ```
/// use kibana::connectors::types::WebhookConfig;
/// let value: WebhookConfig = serde_json::from_str(r#"{"url": "https://hooks.example.com", "method": "post", "hasAuth": false}"#).unwrap();
/// assert_eq!(serde_json::from_value::<WebhookConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookConfig {
    /// The URL.
    pub url: String,
    /// The method (default `post`).
    #[serde(default)]
    pub method: WebhookMethod,
    /// Extra request headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Whether it authenticates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_auth: Option<bool>,
    /// How it authenticates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<WebhookAuthType>,
    /// Client certificate format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_type: Option<WebhookCertType>,
    /// Base64 CA certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<String>,
    /// TLS verification (default `full`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_mode: Option<VerificationMode>,
}

impl WebhookConfig {
    /// Calls `url` with POST.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            method: WebhookMethod::Post,
            headers: None,
            has_auth: None,
            auth_type: None,
            cert_type: None,
            ca: None,
            verification_mode: None,
        }
    }

    /// Sets the method.
    pub fn with_method(mut self, method: WebhookMethod) -> Self {
        self.method = method;
        self
    }

    /// Adds a header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .get_or_insert_with(BTreeMap::new)
            .insert(name.into(), value.into());
        self
    }

    /// Uses basic authentication (pair with [`WebhookSecrets::basic`]).
    pub fn with_basic_auth(mut self) -> Self {
        self.has_auth = Some(true);
        self.auth_type = Some(WebhookAuthType::Basic);
        self
    }
}

/// Secrets of `.webhook` (`webhook_secrets`; 8.x: `secrets_properties_webhook`).
///
/// ```
/// use kibana::connectors::types::WebhookSecrets;
/// let value: WebhookSecrets = serde_json::from_str(r#"{"user": "bot", "password": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookSecrets {
    /// User for basic authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Password for basic authentication, or the passphrase of the SSL certificate files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// Base64 PEM certificate (SSL authentication).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crt: Option<Secret>,
    /// Base64 PEM key (SSL authentication).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Secret>,
    /// Base64 PKCS#12 (SSL authentication).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pfx: Option<Secret>,
}

impl WebhookSecrets {
    /// No secrets.
    pub fn none() -> Self {
        Self::default()
    }

    /// User and password.
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: Some(user.into()),
            password: Some(Secret::new(password)),
            ..Self::default()
        }
    }
}

/// Params of `.webhook`: the request body (neither document describes it; Kibana's webhook connector schema).
///
/// ```
/// use kibana::connectors::types::WebhookParams;
/// let value: WebhookParams = serde_json::from_str(r#"{"body": "{\"text\": \"hi\"}"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<WebhookParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookParams {
    /// The body sent (a string; often JSON).
    pub body: String,
}

impl WebhookParams {
    /// Sends `body`.
    pub fn new(body: impl Into<String>) -> Self {
        Self { body: body.into() }
    }
}

// ---------------------------------------------------------------- .slack and .teams

/// Secrets of connectors that post to an incoming-webhook URL (`.slack`, `.teams`: `teams_secrets`; 8.x:
/// `secrets_properties_slack_webhook`, `secrets_properties_teams`; the 9.3 document has no `.slack` secrets schema).
///
/// ```
/// use kibana::connectors::types::WebhookUrlSecrets;
/// let value: WebhookUrlSecrets = serde_json::from_str(r#"{"webhookUrl": "https://hooks.slack.com/services/s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookUrlSecrets {
    /// The incoming-webhook URL (it contains a token: secret).
    pub webhook_url: Secret,
}

impl WebhookUrlSecrets {
    /// The incoming-webhook URL.
    pub fn new(webhook_url: impl Into<String>) -> Self {
        Self {
            webhook_url: Secret::new(webhook_url),
        }
    }
}

/// Params of `.slack` and `.teams`: the message (`run_message_slack`; not in the 8.x document).
///
/// ```
/// use kibana::connectors::types::MessageParams;
/// let value: MessageParams = serde_json::from_str(r#"{"message": "Deploy finished"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<MessageParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageParams {
    /// The message.
    pub message: String,
}

impl MessageParams {
    /// Posts `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

connector_type!(
    /// `.slack` (incoming webhook).
    ///
    /// ```
    /// use kibana::connectors::types::WebhookUrlSecrets;
    /// let secrets = WebhookUrlSecrets::new("https://hooks.slack.com/services/T000/B000/XXXX");
    /// assert!(!format!("{secrets:?}").contains("XXXX"));
    /// ```
    Slack, ".slack", Empty, WebhookUrlSecrets, MessageParams
);

connector_type!(
    /// `.teams` (Microsoft Teams incoming webhook).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::Teams};
    /// assert_eq!(Teams::TYPE_ID, ".teams");
    /// ```
    Teams, ".teams", Empty, WebhookUrlSecrets, MessageParams
);

// ---------------------------------------------------------------- .email

connector_type!(
    /// `.email`: sends mail.
    ///
    /// ```
    /// use kibana::connectors::types::{EmailConfig, EmailParams, EmailService};
    /// let config = EmailConfig::new("alerts@example.com").with_service(EmailService::Other).with_host("smtp.example.com", 587);
    /// let params = EmailParams::new(["ops@example.com"], "Deploy", "It is done.");
    /// assert_eq!(serde_json::to_value(&params).unwrap()["to"][0], "ops@example.com");
    /// # drop(config);
    /// ```
    Email, ".email", EmailConfig, EmailSecrets, EmailParams
);

/// The mail service of `.email`.
///
/// ```
/// use kibana::connectors::types::EmailService;
/// let value: EmailService = serde_json::from_str(r#""ses""#).unwrap();
/// assert_eq!(serde_json::from_value::<EmailService>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailService {
    /// Elastic Cloud's mail service.
    ElasticCloud,
    /// Microsoft Exchange (OAuth).
    ExchangeServer,
    /// Gmail.
    Gmail,
    /// Any SMTP server (give host and port).
    Other,
    /// Outlook 365.
    Outlook365,
    /// Amazon SES.
    Ses,
}

/// Config of `.email` (`email_config`; 8.x: `config_properties_email`).
///
/// ```
/// use kibana::connectors::types::EmailConfig;
/// let value: EmailConfig = serde_json::from_str(r#"{"from": "alerts@example.com", "service": "other", "host": "smtp.example.com", "port": 587}"#).unwrap();
/// assert_eq!(serde_json::from_value::<EmailConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailConfig {
    /// The sender.
    pub from: String,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<EmailService>,
    /// SMTP host (service `other`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// SMTP port (service `other`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Use TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// Whether it authenticates (default true).
    #[serde(default = "default_true")]
    pub has_auth: bool,
    /// OAuth client id (Exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// OAuth tenant (Exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// OAuth token URL (Exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_token_url: Option<String>,
}

fn default_true() -> bool {
    true
}

impl EmailConfig {
    /// Mail from `from`.
    pub fn new(from: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            service: None,
            host: None,
            port: None,
            secure: None,
            has_auth: true,
            client_id: None,
            tenant_id: None,
            oauth_token_url: None,
        }
    }

    /// Sets the service.
    pub fn with_service(mut self, service: EmailService) -> Self {
        self.service = Some(service);
        self
    }

    /// Sets SMTP host and port.
    pub fn with_host(mut self, host: impl Into<String>, port: u16) -> Self {
        self.host = Some(host.into());
        self.port = Some(port);
        self
    }

    /// Sets `secure`.
    pub fn with_secure(mut self, secure: bool) -> Self {
        self.secure = Some(secure);
        self
    }

    /// Sets `hasAuth`.
    pub fn with_auth(mut self, has_auth: bool) -> Self {
        self.has_auth = has_auth;
        self
    }
}

/// Secrets of `.email` (`email_secrets`; 8.x: `secrets_properties_email`).
///
/// ```
/// use kibana::connectors::types::EmailSecrets;
/// let value: EmailSecrets = serde_json::from_str(r#"{"user": "alerts", "password": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailSecrets {
    /// SMTP user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// SMTP password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// OAuth client secret (Exchange).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
}

impl EmailSecrets {
    /// SMTP user and password.
    pub fn login(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: Some(user.into()),
            password: Some(Secret::new(password)),
            client_secret: None,
        }
    }
}

/// Params of `.email` (`run_message_email`; not in the 8.x document). Kibana needs at least one recipient in `to`,
/// `cc` or `bcc`.
///
/// ```
/// use kibana::connectors::types::EmailParams;
/// let value: EmailParams = serde_json::from_str(r#"{"to": ["ops@example.com"], "subject": "Alert", "message": "Disk full"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<EmailParams>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailParams {
    /// Recipients.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// Copy recipients.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// Blind copy recipients.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<String>,
    /// Subject.
    pub subject: String,
    /// Body (Markdown).
    pub message: String,
}

impl EmailParams {
    /// Adds copy recipients.
    ///
    /// ```
    /// let mail = kibana::connectors::types::EmailParams::new(["ops@example.com"], "s", "m").with_cc(["lead@example.com"]);
    /// assert_eq!(mail.cc, ["lead@example.com"]);
    /// ```
    pub fn with_cc<I: IntoIterator<Item = S>, S: Into<String>>(mut self, cc: I) -> Self {
        self.cc.extend(cc.into_iter().map(Into::into));
        self
    }

    /// Adds blind copy recipients.
    ///
    /// ```
    /// let mail = kibana::connectors::types::EmailParams::new(Vec::<String>::new(), "s", "m").with_bcc(["audit@example.com"]);
    /// assert!(mail.to.is_empty());
    /// ```
    pub fn with_bcc<I: IntoIterator<Item = S>, S: Into<String>>(mut self, bcc: I) -> Self {
        self.bcc.extend(bcc.into_iter().map(Into::into));
        self
    }

    /// A mail to `to`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(
        to: I,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            to: to.into_iter().map(Into::into).collect(),
            cc: Vec::new(),
            bcc: Vec::new(),
            subject: subject.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_serialize_for_kibana_but_never_debug_print() {
        let secrets = WebhookSecrets::basic("u", "pa55word");
        assert_eq!(
            serde_json::to_value(&secrets).unwrap(),
            serde_json::json!({"user": "u", "password": "pa55word"})
        );
        assert!(!format!("{secrets:?}").contains("pa55word"));
        let url = WebhookUrlSecrets::new("https://hooks/secret-token");
        assert_eq!(
            serde_json::to_value(&url).unwrap()["webhookUrl"],
            "https://hooks/secret-token"
        );
        assert!(!format!("{url:?}").contains("secret-token"));
        let email = EmailSecrets::login("u", "mailpass");
        assert!(!format!("{email:?}").contains("mailpass"));
    }

    #[test]
    fn defaults_match_the_spec() {
        let config: WebhookConfig = serde_json::from_str(r#"{"url":"http://x"}"#).unwrap();
        assert_eq!(config.method, WebhookMethod::Post);
        let config: IndexConfig = serde_json::from_str(r#"{"index":"i"}"#).unwrap();
        assert!(!config.refresh);
        let config: EmailConfig = serde_json::from_str(r#"{"from":"a@b"}"#).unwrap();
        assert!(config.has_auth);
        let params: ServerLogParams = serde_json::from_str(r#"{"message":"m"}"#).unwrap();
        assert_eq!(params.level, LogLevel::Info);
    }
}
