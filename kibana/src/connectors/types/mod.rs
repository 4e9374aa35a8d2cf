//! Typed connector types: each one's type id, config, secrets and execute params.
//!
//! Every connector type whose config, secrets or params Kibana's 9.3 document describes is here (27 types: the 22
//! of Kibana 8.x plus CrowdStrike, Microsoft Defender for Endpoint, Google Gemini, SentinelOne and TheHive). Each
//! type's rustdoc names the document schemas it follows (9.3 and 8.x), and where its type id and execute params come
//! from when the document does not say.
//!
//! Required fields are constructor arguments; optional ones are builder-style methods. Secrets are
//! [`Secret`]s: sent to Kibana, printed as `[REDACTED]`. Every config, secrets and params type derives
//! [`schemars::JsonSchema`], so connector definitions kept in YAML or TOML files can be validated.

use std::fmt::Debug;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// A connector type: its id and the shapes of its config, secrets and execute params.
pub trait ConnectorType: Send + Sync + 'static {
    /// Kibana's type id, e.g. `.webhook`.
    const TYPE_ID: &'static str;
    /// `config` (returned by Kibana).
    type Config: Serialize + DeserializeOwned + Clone + Debug + PartialEq + Send + Sync;
    /// `secrets` (sent, never returned).
    type Secrets: Serialize + Debug + Send + Sync;
    /// `params` of an execute (and of a rule action).
    type Params: Serialize + Debug + Send + Sync;
}

/// A config or secrets object with no fields (`{}`).
///
/// ```
/// use kibana::connectors::types::Empty;
/// let value: Empty = serde_json::from_str(r#"{}"#).unwrap();
/// assert_eq!(serde_json::from_value::<Empty>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Empty {}

macro_rules! connector_type {
    ($(#[$doc:meta])* $name:ident, $id:literal, $config:ty, $secrets:ty, $params:ty) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl ConnectorType for $name {
            const TYPE_ID: &'static str = $id;
            type Config = $config;
            type Secrets = $secrets;
            type Params = $params;
        }
    };
}

mod ai;
mod basic;
mod incident;
mod secret;
mod security;
mod services;

pub use ai::*;
pub use basic::*;
pub use incident::*;
pub use secret::Secret;
pub use security::*;
pub use services::*;

/// The type id of every connector type this module types, sorted (what `list_types` of a Kibana that has them all
/// answers).
///
/// ```
/// use kibana::connectors::types::{ConnectorType, TYPED_CONNECTOR_TYPE_IDS, Webhook};
///
/// assert!(TYPED_CONNECTOR_TYPE_IDS.contains(&Webhook::TYPE_ID));
/// assert!(TYPED_CONNECTOR_TYPE_IDS.is_sorted());
/// ```
pub const TYPED_CONNECTOR_TYPE_IDS: &[&str] = &[
    Bedrock::TYPE_ID,
    CasesWebhook::TYPE_ID,
    CrowdStrike::TYPE_ID,
    D3Security::TYPE_ID,
    Email::TYPE_ID,
    Gemini::TYPE_ID,
    GenAi::TYPE_ID,
    Index::TYPE_ID,
    Jira::TYPE_ID,
    MicrosoftDefenderEndpoint::TYPE_ID,
    Opsgenie::TYPE_ID,
    PagerDuty::TYPE_ID,
    Resilient::TYPE_ID,
    SentinelOne::TYPE_ID,
    ServerLog::TYPE_ID,
    ServiceNow::TYPE_ID,
    ServiceNowItom::TYPE_ID,
    ServiceNowSir::TYPE_ID,
    Slack::TYPE_ID,
    SlackApi::TYPE_ID,
    Swimlane::TYPE_ID,
    Teams::TYPE_ID,
    TheHive::TYPE_ID,
    Tines::TYPE_ID,
    Torq::TYPE_ID,
    Webhook::TYPE_ID,
    Xmatters::TYPE_ID,
];
