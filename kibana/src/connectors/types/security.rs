//! Security connectors: CrowdStrike, Microsoft Defender for Endpoint, SentinelOne (endpoint response) and TheHive
//! (case management). None of them is in the 8.x document.
//!
//! The 9.3 document describes their config and secrets, and two of their sub-actions (`run_getagentdetails` of
//! CrowdStrike, `run_getagents` of SentinelOne) plus TheHive's share of `run_createalert` and `run_pushtoservice`;
//! the other sub-actions follow Kibana's `stack_connectors` schemas
//! (`x-pack/platform/plugins/shared/stack_connectors/common/<type>/schema.ts` and `constants.ts`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ApiKeySecrets, ConnectorType, Empty, IdParam, Secret, TokenSecrets, UrlConfig};

// ---------------------------------------------------------------- .crowdstrike

/// Secrets of `.crowdstrike` (`crowdstrike_secrets`): an API client.
///
/// ```
/// use kibana::connectors::types::CrowdStrikeSecrets;
/// let value: CrowdStrikeSecrets = serde_json::from_str(r#"{"clientId": "abc", "clientSecret": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrowdStrikeSecrets {
    /// The API client id.
    pub client_id: String,
    /// The API client secret.
    pub client_secret: Secret,
}

impl CrowdStrikeSecrets {
    /// An API client.
    ///
    /// ```
    /// let secrets = kibana::connectors::types::CrowdStrikeSecrets::new("abc", "s3cr3t");
    /// assert_eq!(serde_json::to_value(&secrets).unwrap()["clientSecret"], "s3cr3t");
    /// ```
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        }
    }
}

/// Agents (hosts) by id: `getAgentDetails` (`run_getagentdetails`) and `getAgentOnlineStatus` of `.crowdstrike`.
///
/// ```
/// use kibana::connectors::types::AgentIds;
/// let value: AgentIds = serde_json::from_str(r#"{"ids": ["5f4ed7ec2690431f8fa79213268779cb"]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<AgentIds>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgentIds {
    /// The agent ids.
    pub ids: Vec<String>,
}

/// What a CrowdStrike host action does.
///
/// ```
/// use kibana::connectors::types::CrowdStrikeHostCommand;
/// let value: CrowdStrikeHostCommand = serde_json::from_str(r#""lift_containment""#).unwrap();
/// assert_eq!(serde_json::from_value::<CrowdStrikeHostCommand>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrowdStrikeHostCommand {
    /// Isolate the hosts from the network.
    Contain,
    /// Release them.
    LiftContainment,
}

/// `hostActions` of `.crowdstrike`.
///
/// ```
/// use kibana::connectors::types::{CrowdStrikeHostActions, CrowdStrikeHostCommand};
/// let action = CrowdStrikeHostActions::new(CrowdStrikeHostCommand::Contain, ["5f4ed7ec"]).with_comment("ransomware");
/// assert_eq!(serde_json::to_value(&action).unwrap(), serde_json::json!({"command": "contain", "ids": ["5f4ed7ec"], "comment": "ransomware"}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrowdStrikeHostActions {
    /// The action.
    pub command: CrowdStrikeHostCommand,
    /// The hosts' agent ids.
    pub ids: Vec<String>,
    /// CrowdStrike's action parameters (name → value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_parameters: Option<Map<String, Value>>,
    /// The Elastic alerts that led to the action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alert_ids: Vec<String>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl CrowdStrikeHostActions {
    /// Runs `command` on the hosts `ids`.
    ///
    /// ```
    /// use kibana::connectors::types::{CrowdStrikeHostActions, CrowdStrikeHostCommand};
    /// let action = CrowdStrikeHostActions::new(CrowdStrikeHostCommand::LiftContainment, ["5f4ed7ec"]);
    /// assert_eq!(serde_json::to_value(&action).unwrap()["command"], "lift_containment");
    /// ```
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(command: CrowdStrikeHostCommand, ids: I) -> Self {
        Self {
            command,
            ids: ids.into_iter().map(Into::into).collect(),
            action_parameters: None,
            alert_ids: Vec::new(),
            comment: None,
        }
    }

    /// Sets the comment.
    ///
    /// ```
    /// use kibana::connectors::types::{CrowdStrikeHostActions, CrowdStrikeHostCommand};
    /// let action = CrowdStrikeHostActions::new(CrowdStrikeHostCommand::Contain, ["5f4ed7ec"]).with_comment("why");
    /// assert_eq!(action.comment.as_deref(), Some("why"));
    /// ```
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}

/// A Real Time Response command of `.crowdstrike` (Kibana runs only `runscript`).
///
/// ```
/// use kibana::connectors::types::CrowdStrikeRtrCommand;
/// let value: CrowdStrikeRtrCommand = serde_json::from_str(r#"{"command": "runscript -CloudFile='collect'", "endpoint_ids": ["5f4ed7ec"]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<CrowdStrikeRtrCommand>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CrowdStrikeRtrCommand {
    /// The command line.
    pub command: String,
    /// The hosts' agent ids.
    pub endpoint_ids: Vec<String>,
}

/// Execute params of `.crowdstrike`. `getAgentDetails` is the 9.3 document's `run_getagentdetails`; the others
/// follow Kibana's `common/crowdstrike/schema.ts` (the RTR sub-actions need Kibana's experimental
/// `crowdstrikeConnectorRTROn` flag).
///
/// ```
/// use kibana::connectors::types::{AgentIds, CrowdStrikeParams};
/// let params = CrowdStrikeParams::GetAgentDetails(AgentIds { ids: vec!["5f4ed7ec".into()] });
/// assert_eq!(serde_json::to_value(&params).unwrap(), serde_json::json!({"subAction": "getAgentDetails", "subActionParams": {"ids": ["5f4ed7ec"]}}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum CrowdStrikeParams {
    /// Details of agents.
    GetAgentDetails(AgentIds),
    /// Whether agents are online.
    GetAgentOnlineStatus(AgentIds),
    /// Contain or release hosts.
    HostActions(CrowdStrikeHostActions),
    /// A Real Time Response command (read-only commands).
    #[serde(rename = "executeRTRCommand")]
    ExecuteRtrCommand(CrowdStrikeRtrCommand),
    /// A Real Time Response command with active-responder rights.
    #[serde(rename = "batchActiveResponderExecuteRTR")]
    BatchActiveResponderExecuteRtr(CrowdStrikeRtrCommand),
    /// A Real Time Response command with admin rights.
    #[serde(rename = "batchAdminExecuteRTR")]
    BatchAdminExecuteRtr(CrowdStrikeRtrCommand),
}

connector_type!(
    /// `.crowdstrike` (CrowdStrike Falcon). Type id from the 9.3 document (`crowdstrike_config`: "when type is
    /// `.crowdstrike`") and Kibana's `common/crowdstrike/constants.ts` (`CROWDSTRIKE_CONNECTOR_ID`).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::{CrowdStrike, CrowdStrikeSecrets, UrlConfig}};
    /// assert_eq!(CrowdStrike::TYPE_ID, ".crowdstrike");
    /// let config = UrlConfig { url: "https://api.crowdstrike.com".into() };
    /// let secrets = CrowdStrikeSecrets::new("abc", "s3cr3t");
    /// assert!(!format!("{secrets:?}").contains("s3cr3t"));
    /// # drop(config);
    /// ```
    CrowdStrike, ".crowdstrike", UrlConfig, CrowdStrikeSecrets, CrowdStrikeParams
);

// ---------------------------------------------------------------- .microsoft_defender_endpoint

/// Config of `.microsoft_defender_endpoint` (`defender_config`). Every field is required, as in Kibana's
/// `common/microsoft_defender_endpoint/schema.ts` (the 9.3 document requires `apiUrl` and a `projectKey` it does not
/// define, a copy of `jira_config`'s list).
///
/// ```
/// use kibana::connectors::types::DefenderConfig;
/// let value: DefenderConfig = serde_json::from_str(r#"{"apiUrl": "https://api.securitycenter.microsoft.com", "clientId": "app", "tenantId": "t", "oAuthServerUrl": "https://login.microsoftonline.com", "oAuthScope": "https://securitycenter.onmicrosoft.com/windowsatpservice/.default"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<DefenderConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DefenderConfig {
    /// The Defender for Endpoint API URL, e.g. `https://api.securitycenter.microsoft.com`.
    pub api_url: String,
    /// The application (client) id in Azure.
    pub client_id: String,
    /// The tenant id in Azure.
    pub tenant_id: String,
    /// The OAuth server URL, e.g. `https://login.microsoftonline.com`.
    pub o_auth_server_url: String,
    /// The OAuth scope, e.g. `https://securitycenter.onmicrosoft.com/windowsatpservice/.default`.
    pub o_auth_scope: String,
}

impl DefenderConfig {
    /// Microsoft's public-cloud URLs for an application of a tenant.
    ///
    /// ```
    /// let config = kibana::connectors::types::DefenderConfig::public_cloud("app-id", "tenant-id");
    /// assert_eq!(config.o_auth_server_url, "https://login.microsoftonline.com");
    /// ```
    pub fn public_cloud(client_id: impl Into<String>, tenant_id: impl Into<String>) -> Self {
        Self {
            api_url: "https://api.securitycenter.microsoft.com".into(),
            client_id: client_id.into(),
            tenant_id: tenant_id.into(),
            o_auth_server_url: "https://login.microsoftonline.com".into(),
            o_auth_scope: "https://securitycenter.onmicrosoft.com/windowsatpservice/.default".into(),
        }
    }
}

/// Secrets of `.microsoft_defender_endpoint` (`defender_secrets`).
///
/// ```
/// use kibana::connectors::types::DefenderSecrets;
/// let value: DefenderSecrets = serde_json::from_str(r#"{"clientSecret": "s3cr3t"}"#).unwrap();
/// assert!(!format!("{value:?}").contains("s3cr3t"), "secrets never print");
/// ```
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DefenderSecrets {
    /// The application's client secret.
    pub client_secret: Secret,
}

impl DefenderSecrets {
    /// The client secret.
    ///
    /// ```
    /// let secrets = kibana::connectors::types::DefenderSecrets::new("s3cr3t");
    /// assert_eq!(serde_json::to_value(&secrets).unwrap()["clientSecret"], "s3cr3t");
    /// ```
    pub fn new(client_secret: impl Into<String>) -> Self {
        Self {
            client_secret: Secret::new(client_secret),
        }
    }
}

/// `isolateHost` / `releaseHost` of `.microsoft_defender_endpoint`: a machine and why.
///
/// ```
/// use kibana::connectors::types::DefenderHostAction;
/// let value: DefenderHostAction = serde_json::from_str(r#"{"id": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07", "comment": "malware"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<DefenderHostAction>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DefenderHostAction {
    /// The machine id.
    pub id: String,
    /// Why (required by Defender).
    pub comment: String,
}

/// The script of a `runScript`.
///
/// ```
/// use kibana::connectors::types::DefenderScript;
/// let value: DefenderScript = serde_json::from_str(r#"{"scriptName": "collect.ps1", "args": "-Full"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<DefenderScript>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DefenderScript {
    /// A script of the live-response library.
    pub script_name: String,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<String>,
}

/// `runScript` of `.microsoft_defender_endpoint`.
///
/// ```
/// use kibana::connectors::types::DefenderRunScript;
/// let value: DefenderRunScript = serde_json::from_str(r#"{"id": "1e5bc9d7", "parameters": {"scriptName": "collect.ps1"}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<DefenderRunScript>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DefenderRunScript {
    /// The machine id.
    pub id: String,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The script.
    pub parameters: DefenderScript,
}

/// Execute params of `.microsoft_defender_endpoint`. The document describes none; they follow Kibana's
/// `common/microsoft_defender_endpoint/schema.ts` and `constants.ts`. The list filters of `getAgentList` and
/// `getActions` (each a value or a list of values) are passed as JSON.
///
/// ```
/// use kibana::connectors::types::{DefenderHostAction, DefenderParams};
/// let params = DefenderParams::IsolateHost(DefenderHostAction { id: "1e5bc9d7".into(), comment: "malware".into() });
/// assert_eq!(serde_json::to_value(&params).unwrap()["subAction"], "isolateHost");
/// assert_eq!(serde_json::to_value(DefenderParams::TestConnector(Default::default())).unwrap(), serde_json::json!({"subAction": "testConnector", "subActionParams": {}}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum DefenderParams {
    /// Check the connection.
    TestConnector(Empty),
    /// Details of one machine.
    GetAgentDetails(IdParam),
    /// Machines matching filters (`computerDnsName`, `id`, `healthStatus`, `page`, `pageSize`…).
    GetAgentList(Map<String, Value>),
    /// Isolate a machine.
    IsolateHost(DefenderHostAction),
    /// Release a machine.
    ReleaseHost(DefenderHostAction),
    /// Machine actions matching filters (`id`, `status`, `machineId`, `type`, `page`, `pageSize`…).
    GetActions(Map<String, Value>),
    /// The live-response script library.
    GetLibraryFiles(Empty),
    /// Run a library script on a machine.
    RunScript(DefenderRunScript),
    /// The results of a machine action.
    GetActionResults(IdParam),
}

connector_type!(
    /// `.microsoft_defender_endpoint` (Microsoft Defender for Endpoint). Type id from the 9.3 document
    /// (`defender_config`: "when type is `.microsoft_defender_endpoint`"; `defender_secrets` misspells it
    /// `..microsoft_defender_endpoint`) and Kibana's `common/microsoft_defender_endpoint/constants.ts`
    /// (`MICROSOFT_DEFENDER_ENDPOINT_CONNECTOR_ID`).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::{DefenderConfig, DefenderSecrets, MicrosoftDefenderEndpoint}};
    /// assert_eq!(MicrosoftDefenderEndpoint::TYPE_ID, ".microsoft_defender_endpoint");
    /// let (config, secrets) = (DefenderConfig::public_cloud("app", "tenant"), DefenderSecrets::new("s3cr3t"));
    /// assert!(!format!("{secrets:?}").contains("s3cr3t"));
    /// # drop(config);
    /// ```
    MicrosoftDefenderEndpoint, ".microsoft_defender_endpoint", DefenderConfig, DefenderSecrets, DefenderParams
);

// ---------------------------------------------------------------- .sentinelone

/// Which SentinelOne agents a sub-action applies to: SentinelOne's agent filters (all strings; lists are comma
/// separated), and the Elastic alerts behind the action.
///
/// ```
/// use kibana::connectors::types::SentinelOneAgentFilter;
/// let filter = SentinelOneAgentFilter::uuid("0b1e4a8e-2ad1-4a6d-9c2f-0a6e9f1b7c33").with_filter("siteIds", "225494730938493804");
/// assert_eq!(serde_json::to_value(&filter).unwrap(), serde_json::json!({"uuid": "0b1e4a8e-2ad1-4a6d-9c2f-0a6e9f1b7c33", "siteIds": "225494730938493804"}));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentinelOneAgentFilter {
    /// One agent by UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Agent ids (comma separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<String>,
    /// A computer name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computer_name: Option<String>,
    /// The Elastic alerts that led to the action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alert_ids: Vec<String>,
    /// Other SentinelOne filters by their API name (`siteIds`, `osTypes`, `computerName__contains`…).
    #[serde(flatten)]
    pub filters: BTreeMap<String, String>,
}

impl SentinelOneAgentFilter {
    /// One agent by UUID.
    ///
    /// ```
    /// let filter = kibana::connectors::types::SentinelOneAgentFilter::uuid("0b1e4a8e");
    /// assert_eq!(serde_json::to_value(&filter).unwrap(), serde_json::json!({"uuid": "0b1e4a8e"}));
    /// ```
    pub fn uuid(uuid: impl Into<String>) -> Self {
        Self {
            uuid: Some(uuid.into()),
            ..Self::default()
        }
    }

    /// Adds a SentinelOne filter by its API name.
    ///
    /// ```
    /// let filter = kibana::connectors::types::SentinelOneAgentFilter::default().with_filter("osTypes", "linux");
    /// assert_eq!(serde_json::to_value(&filter).unwrap(), serde_json::json!({"osTypes": "linux"}));
    /// ```
    pub fn with_filter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.filters.insert(name.into(), value.into());
        self
    }
}

/// Where `executeScript` runs: agent UUIDs or ids (comma separated).
///
/// ```
/// use kibana::connectors::types::SentinelOneScriptTarget;
/// let value: SentinelOneScriptTarget = serde_json::from_str(r#"{"uuids": "0b1e4a8e"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SentinelOneScriptTarget>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SentinelOneScriptTarget {
    /// Agent UUIDs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuids: Option<String>,
    /// Agent ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<String>,
}

/// Where a SentinelOne script's output goes.
///
/// ```
/// use kibana::connectors::types::SentinelOneOutputDestination;
/// let value: SentinelOneOutputDestination = serde_json::from_str(r#""SentinelCloud""#).unwrap();
/// assert_eq!(serde_json::from_value::<SentinelOneOutputDestination>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SentinelOneOutputDestination {
    /// On the agent's machine.
    Local,
    /// Nowhere.
    None,
    /// SentinelOne's cloud.
    SentinelCloud,
    /// Singularity XDR.
    #[serde(rename = "SingularityXDR")]
    SingularityXdr,
}

/// The script of an `executeScript`.
///
/// ```
/// use kibana::connectors::types::SentinelOneScript;
/// let value: SentinelOneScript = serde_json::from_str(r#"{"scriptId": "1466645476786791838", "inputParams": "--help", "outputDestination": "SentinelCloud"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SentinelOneScript>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentinelOneScript {
    /// The script's id in SentinelOne.
    pub script_id: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_name: Option<String>,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_params: Option<String>,
    /// Where the output goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_destination: Option<SentinelOneOutputDestination>,
    /// The task's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_description: Option<String>,
    /// Timeout in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_runtime_timeout_seconds: Option<u64>,
    /// Whether it needs an approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_approval: Option<bool>,
    /// Other script options by their API name (`outputDirectory`, `passwordFromScope`…).
    #[serde(flatten)]
    pub options: Map<String, Value>,
}

/// `executeScript` of `.sentinelone`.
///
/// ```
/// use kibana::connectors::types::SentinelOneExecuteScript;
/// let value: SentinelOneExecuteScript = serde_json::from_str(r#"{"filter": {"uuids": "0b1e4a8e"}, "script": {"scriptId": "1466645476786791838"}}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SentinelOneExecuteScript>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentinelOneExecuteScript {
    /// Where it runs.
    pub filter: SentinelOneScriptTarget,
    /// What runs.
    pub script: SentinelOneScript,
    /// The Elastic alerts that led to the action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alert_ids: Vec<String>,
}

/// `getRemoteScripts` of `.sentinelone`: the script library, filtered.
///
/// ```
/// use kibana::connectors::types::SentinelOneScriptQuery;
/// let value: SentinelOneScriptQuery = serde_json::from_str(r#"{"osTypes": "linux,macos"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SentinelOneScriptQuery>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentinelOneScriptQuery {
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// `linux`, `macos`, `windows` (comma separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_types: Option<String>,
    /// `action`, `artifactCollection`, `dataCollection` (comma separated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_type: Option<String>,
}

/// `fetchAgentFiles` of `.sentinelone`: files of an agent, zipped with a pass code.
///
/// ```
/// use kibana::connectors::types::SentinelOneFetchFiles;
/// let value: SentinelOneFetchFiles = serde_json::from_str(r#"{"agentId": "1845174760470303882", "zipPassCode": "0123456789", "files": ["/etc/hosts"]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<SentinelOneFetchFiles>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentinelOneFetchFiles {
    /// The agent id.
    pub agent_id: String,
    /// The zip's pass code (at least 10 characters).
    pub zip_pass_code: String,
    /// The file paths.
    pub files: Vec<String>,
}

/// Execute params of `.sentinelone`. `getAgents` is the 9.3 document's `run_getagents` (which lists no params;
/// Kibana's schema takes the agent filter, all optional); the others follow Kibana's `common/sentinelone/schema.ts`
/// and `constants.ts`. The file-download sub-actions answer with a stream and are left to
/// [`execute_raw`](crate::connectors::Connectors::execute_raw).
///
/// ```
/// use kibana::connectors::types::{SentinelOneAgentFilter, SentinelOneParams};
/// let params = SentinelOneParams::IsolateHost(SentinelOneAgentFilter::uuid("0b1e4a8e"));
/// assert_eq!(serde_json::to_value(&params).unwrap(), serde_json::json!({"subAction": "isolateHost", "subActionParams": {"uuid": "0b1e4a8e"}}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum SentinelOneParams {
    /// Agents matching the filter.
    GetAgents(SentinelOneAgentFilter),
    /// Isolate the matching agents' hosts from the network.
    IsolateHost(SentinelOneAgentFilter),
    /// Release them.
    ReleaseHost(SentinelOneAgentFilter),
    /// Run a library script.
    ExecuteScript(Box<SentinelOneExecuteScript>),
    /// The script library.
    GetRemoteScripts(SentinelOneScriptQuery),
    /// The status of a script run.
    GetRemoteScriptStatus {
        /// The run's parent task id.
        #[serde(rename = "parentTaskId")]
        parent_task_id: String,
    },
    /// The results of script runs.
    GetRemoteScriptResults {
        /// The runs' task ids.
        #[serde(rename = "taskIds")]
        task_ids: Vec<String>,
    },
    /// Fetch files from an agent.
    FetchAgentFiles(SentinelOneFetchFiles),
    /// SentinelOne's activity log, filtered (`agentIds`, `activityTypes`, `limit`, `sortOrder`…).
    GetActivities(Map<String, Value>),
}

connector_type!(
    /// `.sentinelone` (SentinelOne). Type id from the 9.3 document (`sentinelone_config`: "when type is
    /// `.sentinelone`") and Kibana's `common/sentinelone/constants.ts` (`SENTINELONE_CONNECTOR_ID`).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::{SentinelOne, TokenSecrets, UrlConfig}};
    /// assert_eq!(SentinelOne::TYPE_ID, ".sentinelone");
    /// let (config, secrets) = (UrlConfig { url: "https://usea1.sentinelone.net".into() }, TokenSecrets::new("s3cr3t"));
    /// assert!(!format!("{secrets:?}").contains("s3cr3t"));
    /// # drop(config);
    /// ```
    SentinelOne, ".sentinelone", UrlConfig, TokenSecrets, SentinelOneParams
);

// ---------------------------------------------------------------- .thehive

/// Config of `.thehive` (`thehive_config`).
///
/// ```
/// use kibana::connectors::types::TheHiveConfig;
/// let value: TheHiveConfig = serde_json::from_str(r#"{"url": "https://thehive.example.com", "organisation": "soc"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TheHiveConfig>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TheHiveConfig {
    /// The instance URL.
    pub url: String,
    /// The organisation holding the alerts and cases (default: the API key's user's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

impl TheHiveConfig {
    /// The instance URL, in the API key's default organisation.
    ///
    /// ```
    /// let config = kibana::connectors::types::TheHiveConfig::new("https://thehive.example.com");
    /// assert_eq!(serde_json::to_value(&config).unwrap(), serde_json::json!({"url": "https://thehive.example.com"}));
    /// ```
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            organisation: None,
        }
    }
}

/// A case of TheHive, as `pushToService` creates or updates it. `severity` is 1 (low) to 4 (critical), Kibana's
/// default 2; `tlp` (traffic light protocol) is 0 (clear) to 4 (red), Kibana's default 2 (amber).
///
/// ```
/// use kibana::connectors::types::TheHiveIncident;
/// let value: TheHiveIncident = serde_json::from_str(r#"{"title": "Ransomware", "description": "on db-1", "severity": 4, "tags": ["elastic"]}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TheHiveIncident>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TheHiveIncident {
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// The case's id in TheHive: present, the case is updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Severity, 1 to 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<u8>,
    /// Traffic light protocol, 0 to 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlp: Option<u8>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A comment pushed to a TheHive case.
///
/// ```
/// use kibana::connectors::types::TheHiveComment;
/// let value: TheHiveComment = serde_json::from_str(r#"{"comment": "Isolated", "commentId": "c-1"}"#).unwrap();
/// assert_eq!(serde_json::from_value::<TheHiveComment>(serde_json::to_value(&value).unwrap()).unwrap(), value);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TheHiveComment {
    /// The comment.
    pub comment: String,
    /// Its id (a string in Kibana's TheHive schema).
    pub comment_id: String,
}

/// `pushToService` of `.thehive` (its share of the 9.3 document's `run_pushtoservice`).
///
/// ```
/// use kibana::connectors::types::TheHivePush;
/// let push = TheHivePush::new("Ransomware", "on db-1");
/// assert_eq!(serde_json::to_value(&push).unwrap(), serde_json::json!({"incident": {"title": "Ransomware", "description": "on db-1"}}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TheHivePush {
    /// The case.
    pub incident: TheHiveIncident,
    /// Comments to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<TheHiveComment>,
}

impl TheHivePush {
    /// A new case with a title and a description.
    ///
    /// ```
    /// let push = kibana::connectors::types::TheHivePush::new("Ransomware", "on db-1");
    /// assert!(push.incident.external_id.is_none() && push.comments.is_empty());
    /// ```
    pub fn new(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            incident: TheHiveIncident {
                title: title.into(),
                description: description.into(),
                external_id: None,
                severity: None,
                tlp: None,
                tags: Vec::new(),
            },
            comments: Vec::new(),
        }
    }
}

/// `createAlert` of `.thehive` (its share of the 9.3 document's `run_createalert`). Kibana's schema requires
/// `title`, `description`, `type`, `source` and `sourceRef`.
///
/// ```
/// use kibana::connectors::types::TheHiveAlert;
/// let alert = TheHiveAlert::new("Ransomware", "on db-1", "external", "elastic", "rule-1:alert-1");
/// assert_eq!(serde_json::to_value(&alert).unwrap()["sourceRef"], "rule-1:alert-1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TheHiveAlert {
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// The alert type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The source.
    pub source: String,
    /// A reference unique within the source.
    pub source_ref: String,
    /// Severity, 1 (low) to 4 (critical); Kibana's default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<u8>,
    /// Traffic light protocol, 0 (clear) to 4 (red); Kibana's default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlp: Option<u8>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl TheHiveAlert {
    /// The required fields.
    ///
    /// ```
    /// let alert = kibana::connectors::types::TheHiveAlert::new("Ransomware", "on db-1", "external", "elastic", "r1:a1");
    /// assert_eq!(serde_json::to_value(&alert).unwrap()["type"], "external");
    /// ```
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        kind: impl Into<String>,
        source: impl Into<String>,
        source_ref: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            description: description.into(),
            kind: kind.into(),
            source: source.into(),
            source_ref: source_ref.into(),
            severity: None,
            tlp: None,
            tags: Vec::new(),
        }
    }
}

/// Execute params of `.thehive` (Kibana's `common/thehive/schema.ts`: `pushToService`, `createAlert`).
///
/// ```
/// use kibana::connectors::types::{TheHiveParams, TheHivePush};
/// let params = TheHiveParams::PushToService(TheHivePush::new("Ransomware", "on db-1"));
/// assert_eq!(serde_json::to_value(&params).unwrap()["subAction"], "pushToService");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subAction", content = "subActionParams", rename_all = "camelCase")]
pub enum TheHiveParams {
    /// Create or update a case.
    PushToService(TheHivePush),
    /// Create an alert.
    CreateAlert(TheHiveAlert),
}

connector_type!(
    /// `.thehive` (TheHive). Type id from the 9.3 document (`thehive_config`: "when type is `.thehive`") and
    /// Kibana's `common/thehive/constants.ts` (`THEHIVE_CONNECTOR_ID`).
    ///
    /// ```
    /// use kibana::connectors::{ConnectorType, types::{ApiKeySecrets, TheHive, TheHiveConfig}};
    /// assert_eq!(TheHive::TYPE_ID, ".thehive");
    /// let (config, secrets) = (TheHiveConfig::new("https://thehive.example.com"), ApiKeySecrets::new("s3cr3t"));
    /// assert!(!format!("{secrets:?}").contains("s3cr3t"));
    /// # drop(config);
    /// ```
    TheHive, ".thehive", TheHiveConfig, ApiKeySecrets, TheHiveParams
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentinelone_filters_keep_unknown_names() {
        let filter: SentinelOneAgentFilter =
            serde_json::from_value(serde_json::json!({"uuid": "u", "osTypes": "linux", "alertIds": ["a"]})).unwrap();
        assert_eq!(filter.filters["osTypes"], "linux");
        assert_eq!(filter.alert_ids, ["a"]);
        assert_eq!(
            serde_json::to_value(&filter).unwrap(),
            serde_json::json!({"uuid": "u", "osTypes": "linux", "alertIds": ["a"]})
        );
    }

    #[test]
    fn unit_like_sub_actions_send_empty_params() {
        assert_eq!(
            serde_json::to_value(DefenderParams::GetLibraryFiles(Empty {})).unwrap(),
            serde_json::json!({"subAction": "getLibraryFiles", "subActionParams": {}})
        );
        assert_eq!(
            serde_json::to_value(SentinelOneParams::GetAgents(SentinelOneAgentFilter::default())).unwrap(),
            serde_json::json!({"subAction": "getAgents", "subActionParams": {}})
        );
    }
}
