//! Generative-AI connectors: Amazon Bedrock and OpenAI (OpenAI or Azure OpenAI).
//!
//! Their execute params are not in the pinned connectors document; they follow Kibana's `stack_connectors`
//! sub-action schemas (`run`, `test`, `invokeAI`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ConnectorType, Secret};

/// Config of `.bedrock` (`config_properties_bedrock`).
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
    /// The default model (default `anthropic.claude-v2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_model: Option<String>,
}

/// Secrets of `.bedrock`.
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

/// Execute params of `.bedrock` and `.gen-ai`.
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

/// Config of `.gen-ai`: which provider, discriminated by `apiProvider` (`config_properties_genai`).
///
/// ```
/// use kibana::connectors::types::GenAiConfig;
/// let value: GenAiConfig = serde_json::from_str(r#"{"apiProvider": "OpenAI", "apiUrl": "https://api.openai.com/v1/chat/completions"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<GenAiConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
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
}

/// Secrets of `.gen-ai`.
///
/// ```
/// use kibana::connectors::types::GenAiSecrets;
/// let value: GenAiSecrets = serde_json::from_str(r#"{"apiKey": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenAiSecrets {
    /// The API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<Secret>,
}

connector_type!(
    /// `.gen-ai` (OpenAI, Azure OpenAI).
    ///
    /// ```
    /// use kibana::connectors::types::GenAiConfig;
    /// let config = GenAiConfig::AzureOpenAi { api_url: "https://x.openai.azure.com/openai/deployments/d".into() };
    /// assert_eq!(serde_json::to_value(&config).unwrap()["apiProvider"], "Azure OpenAI");
    /// ```
    GenAi, ".gen-ai", GenAiConfig, GenAiSecrets, AiParams
);
