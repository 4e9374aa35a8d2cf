//! Generative-AI connectors: Amazon Bedrock, Google Gemini and OpenAI (OpenAI, Azure OpenAI or another
//! OpenAI-compatible service).
//!
//! Their execute params are in neither Kibana document (9.3 or 8.x); they follow Kibana's `stack_connectors`
//! sub-action schemas (`common/openai/schema.ts`, `common/bedrock/schema.ts`, `common/gemini/schema.ts`: `run`,
//! `test`, `invokeAI`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ConnectorType, Secret, VerificationMode};

/// Config of `.bedrock` (`bedrock_config`; 8.x: `config_properties_bedrock`).
///
/// ```
/// use kibana::connectors::types::BedrockConfig;
/// let value: BedrockConfig = serde_json::from_str(r#"{"apiUrl": "https://bedrock-runtime.us-east-1.amazonaws.com"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<BedrockConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BedrockConfig {
    /// The Bedrock runtime URL.
    pub api_url: String,
    /// The default model. Left out, Kibana picks its release's default (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`
    /// in 9.3, `anthropic.claude-v2` in 8.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_model: Option<String>,
}

impl BedrockConfig {
    /// The Bedrock runtime URL, with Kibana's default model.
    ///
    /// ```
    /// let config = kibana::connectors::types::BedrockConfig::new("https://bedrock-runtime.us-east-1.amazonaws.com");
    /// assert!(config.default_model.is_none());
    /// ```
    pub fn new(api_url: impl Into<String>) -> Self {
        Self {
            api_url: api_url.into(),
            default_model: None,
        }
    }
}

/// Secrets of `.bedrock` (`bedrock_secrets`; 8.x: `secrets_properties_bedrock`).
///
/// ```
/// use kibana::connectors::types::BedrockSecrets;
/// let value: BedrockSecrets = serde_json::from_str(r#"{"accessKey": "AKIA", "secret": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BedrockSecrets {
    /// AWS access key id.
    pub access_key: String,
    /// AWS secret key.
    pub secret: Secret,
}

/// One message of a conversation.
///
/// ```
/// use kibana::connectors::types::AiMessage;
/// let value: AiMessage = serde_json::from_str(r#"{"role": "user", "content": "Summarize the alert"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<AiMessage>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AiMessage {
    /// `user`, `assistant` or `system`.
    pub role: String,
    /// The text.
    pub content: String,
}

/// A raw request body for the model.
///
/// ```
/// use kibana::connectors::types::AiRun;
/// let value: AiRun = serde_json::from_str(r#"{"body": "{\"prompt\": \"hi\"}"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<AiRun>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AiRun {
    /// The model's JSON request, as a string.
    pub body: String,
    /// Model override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// A conversation to complete.
///
/// ```
/// use kibana::connectors::types::AiInvoke;
/// let value: AiInvoke = serde_json::from_str(r#"{"messages": [{"role": "user", "content": "hi"}]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<AiInvoke>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AiInvoke {
    /// The messages.
    pub messages: Vec<AiMessage>,
    /// Model override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// Execute params of `.bedrock`, `.gemini` and `.gen-ai` (from Kibana's source: neither document describes them).
///
/// ```
/// use kibana::connectors::types::{AiInvoke, AiMessage, AiParams};
/// let params = AiParams::InvokeAi(AiInvoke { messages: vec![AiMessage { role: "user".into(), content: "hi".into() }], model: None });
/// assert_eq!(serde_json::to_value(&params).unwrap()["subAction"], "invokeAI");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams")]
pub enum AiParams {
    /// Send a raw model request.
    #[serde(rename = "run")]
    Run(AiRun),
    /// Test the connector with a raw request.
    #[serde(rename = "test")]
    Test(AiRun),
    /// Complete a conversation.
    #[serde(rename = "invokeAI")]
    InvokeAi(AiInvoke),
}

connector_type!(
    /// `.bedrock` (Amazon Bedrock).
    ///
    /// ```
    /// use kibana::connectors::types::BedrockConfig;
    /// let config: BedrockConfig = serde_json::from_str(r#"{"apiUrl":"https://bedrock-runtime.us-east-1.amazonaws.com"}"#).unwrap();
    /// assert!(config.default_model.is_none());
    /// ```
    Bedrock, ".bedrock", BedrockConfig, BedrockSecrets, AiParams
);

/// Config of `.gen-ai`: which provider, told apart by `apiProvider` (`genai_openai_config`, `genai_azure_config`,
/// `genai_openai_other_config`; 8.x: the first two, as `config_properties_genai`).
///
/// ```
/// use kibana::connectors::types::GenAiConfig;
/// let value: GenAiConfig = serde_json::from_str(r#"{"apiProvider": "OpenAI", "apiUrl": "https://api.openai.com/v1/chat/completions"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<GenAiConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// let other = GenAiConfig::other("https://llm.example.com/v1/chat/completions", "llama-3");
/// assert_eq!(serde_json::to_value(&other).unwrap()["apiProvider"], "Other");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "apiProvider")]
pub enum GenAiConfig {
    /// OpenAI.
    #[serde(rename = "OpenAI")]
    OpenAi {
        /// The API URL.
        #[serde(rename = "apiUrl")]
        api_url: String,
        /// The default model.
        #[serde(rename = "defaultModel", default, skip_serializing_if = "Option::is_none")]
        default_model: Option<String>,
    },
    /// Azure OpenAI.
    #[serde(rename = "Azure OpenAI")]
    AzureOpenAi {
        /// The deployment URL.
        #[serde(rename = "apiUrl")]
        api_url: String,
    },
    /// Another OpenAI-compatible service (Kibana 9.x; not in the 8.x document), optionally with PKI authentication.
    #[serde(rename = "Other")]
    Other {
        /// The OpenAI-compatible API URL.
        #[serde(rename = "apiUrl")]
        api_url: String,
        /// The model (required for this provider).
        #[serde(rename = "defaultModel")]
        default_model: String,
        /// Extra request headers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        headers: Option<BTreeMap<String, String>>,
        /// PEM CA certificate (PKI). Config is returned by Kibana: keep key material in [`GenAiSecrets`].
        #[serde(rename = "caData", default, skip_serializing_if = "Option::is_none")]
        ca_data: Option<String>,
        /// PEM client certificate (PKI).
        #[serde(rename = "certificateData", default, skip_serializing_if = "Option::is_none")]
        certificate_data: Option<String>,
        /// PEM private key (PKI). The document lists it in the config too; prefer
        /// [`GenAiSecrets::private_key_data`], which Kibana never returns.
        #[serde(rename = "privateKeyData", default, skip_serializing_if = "Option::is_none")]
        private_key_data: Option<String>,
        /// TLS verification of the PKI connection (Kibana's default `full`).
        #[serde(rename = "verificationMode", default, skip_serializing_if = "Option::is_none")]
        verification_mode: Option<VerificationMode>,
    },
}

impl GenAiConfig {
    /// OpenAI at `api_url`, with Kibana's default model.
    ///
    /// ```
    /// let config = kibana::connectors::types::GenAiConfig::open_ai("https://api.openai.com/v1/chat/completions");
    /// assert_eq!(serde_json::to_value(&config).unwrap()["apiProvider"], "OpenAI");
    /// ```
    pub fn open_ai(api_url: impl Into<String>) -> Self {
        Self::OpenAi {
            api_url: api_url.into(),
            default_model: None,
        }
    }

    /// An Azure OpenAI deployment.
    ///
    /// ```
    /// let config = kibana::connectors::types::GenAiConfig::azure("https://x.openai.azure.com/openai/deployments/d");
    /// assert_eq!(serde_json::to_value(&config).unwrap()["apiProvider"], "Azure OpenAI");
    /// ```
    pub fn azure(api_url: impl Into<String>) -> Self {
        Self::AzureOpenAi {
            api_url: api_url.into(),
        }
    }

    /// Another OpenAI-compatible service and its model, without PKI.
    ///
    /// ```
    /// let config = kibana::connectors::types::GenAiConfig::other("https://llm.example.com/v1", "llama-3");
    /// assert_eq!(serde_json::to_value(&config).unwrap()["defaultModel"], "llama-3");
    /// ```
    pub fn other(api_url: impl Into<String>, default_model: impl Into<String>) -> Self {
        Self::Other {
            api_url: api_url.into(),
            default_model: default_model.into(),
            headers: None,
            ca_data: None,
            certificate_data: None,
            private_key_data: None,
            verification_mode: None,
        }
    }
}

/// Secrets of `.gen-ai` (`genai_secrets`; 8.x: `secrets_properties_genai`, API key only): an API key (required for
/// OpenAI and Azure OpenAI), or base64 PEM PKI material (`Other` provider, 9.x).
///
/// ```
/// use kibana::connectors::types::GenAiSecrets;
/// let value: GenAiSecrets = serde_json::from_str(r#"{"apiKey": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// let pki = GenAiSecrets::pki("Y2VydA==", "a2V5");
/// assert_eq!(serde_json::to_value(&pki).unwrap()["privateKeyData"], "a2V5");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenAiSecrets {
    /// The API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<Secret>,
    /// Base64 PEM CA certificate (PKI, `Other` provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_data: Option<Secret>,
    /// Base64 PEM client certificate (PKI, `Other` provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_data: Option<Secret>,
    /// Base64 PEM private key (PKI, `Other` provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key_data: Option<Secret>,
}

impl GenAiSecrets {
    /// An API key.
    ///
    /// ```
    /// let secrets = kibana::connectors::types::GenAiSecrets::api_key("sk-s3cr3t");
    /// assert!(!format!("{secrets:?}").contains("s3cr3t"));
    /// ```
    pub fn api_key(api_key: impl Into<String>) -> Self {
        Self {
            api_key: Some(Secret::new(api_key)),
            ..Self::default()
        }
    }

    /// A client certificate and its key, both base64 PEM (`Other` provider).
    ///
    /// ```
    /// let secrets = kibana::connectors::types::GenAiSecrets::pki("Y2VydA==", "a2V5");
    /// assert!(secrets.api_key.is_none());
    /// ```
    pub fn pki(certificate_data: impl Into<String>, private_key_data: impl Into<String>) -> Self {
        Self {
            certificate_data: Some(Secret::new(certificate_data)),
            private_key_data: Some(Secret::new(private_key_data)),
            ..Self::default()
        }
    }
}

connector_type!(
    /// `.gen-ai` (OpenAI, Azure OpenAI, other OpenAI-compatible services).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::{GenAi, GenAiConfig}};
    /// assert_eq!(GenAi::TYPE_ID, ".gen-ai");
    /// let config = GenAiConfig::AzureOpenAi { api_url: "https://x.openai.azure.com/openai/deployments/d".into() };
    /// assert_eq!(serde_json::to_value(&config).unwrap()["apiProvider"], "Azure OpenAI");
    /// ```
    GenAi, ".gen-ai", GenAiConfig, GenAiSecrets, AiParams
);

/// Config of `.gemini` (`gemini_config`; not in the 8.x document).
///
/// ```
/// use kibana::connectors::types::GeminiConfig;
/// let value: GeminiConfig = serde_json::from_str(r#"{"apiUrl": "https://us-central1-aiplatform.googleapis.com", "gcpRegion": "us-central1", "gcpProjectID": "my-project"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<GeminiConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GeminiConfig {
    /// The Vertex AI URL, e.g. `https://us-central1-aiplatform.googleapis.com`.
    pub api_url: String,
    /// The model. Left out, Kibana uses its default (`gemini-2.5-pro` in 9.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_model: Option<String>,
    /// The GCP region of the Vertex AI endpoint.
    pub gcp_region: String,
    /// The GCP project with Vertex AI enabled.
    #[serde(rename = "gcpProjectID")]
    pub gcp_project_id: String,
}

impl GeminiConfig {
    /// The required fields, with Kibana's default model.
    ///
    /// ```
    /// let config = kibana::connectors::types::GeminiConfig::new("https://us-central1-aiplatform.googleapis.com", "us-central1", "my-project");
    /// assert_eq!(serde_json::to_value(&config).unwrap()["gcpProjectID"], "my-project");
    /// ```
    pub fn new(api_url: impl Into<String>, gcp_region: impl Into<String>, gcp_project_id: impl Into<String>) -> Self {
        Self {
            api_url: api_url.into(),
            default_model: None,
            gcp_region: gcp_region.into(),
            gcp_project_id: gcp_project_id.into(),
        }
    }
}

/// Secrets of `.gemini` (`gemini_secrets`).
///
/// ```
/// use kibana::connectors::types::GeminiSecrets;
/// let value: GeminiSecrets = serde_json::from_str(r#"{"credentialsJson": "{\"private_key\": \"s3cr3t\"}"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeminiSecrets {
    /// The service account's credentials JSON (the account needs Vertex AI's user role).
    pub credentials_json: Secret,
}

impl GeminiSecrets {
    /// The service account's credentials JSON.
    ///
    /// ```
    /// let secrets = kibana::connectors::types::GeminiSecrets::new(r#"{"type": "service_account"}"#);
    /// assert_eq!(serde_json::to_value(&secrets).unwrap()["credentialsJson"], r#"{"type": "service_account"}"#);
    /// ```
    pub fn new(credentials_json: impl Into<String>) -> Self {
        Self {
            credentials_json: Secret::new(credentials_json),
        }
    }
}

connector_type!(
    /// `.gemini` (Google Gemini on Vertex AI). Type id from the 9.3 document (`gemini_config`: "when type is
    /// `.gemini`") and Kibana's `common/gemini/constants.ts` (`GEMINI_CONNECTOR_ID`).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::{Gemini, GeminiConfig, GeminiSecrets}};
    /// assert_eq!(Gemini::TYPE_ID, ".gemini");
    /// let config = GeminiConfig::new("https://us-central1-aiplatform.googleapis.com", "us-central1", "p");
    /// let secrets = GeminiSecrets::new("{}");
    /// # drop((config, secrets));
    /// ```
    Gemini, ".gemini", GeminiConfig, GeminiSecrets, AiParams
);
