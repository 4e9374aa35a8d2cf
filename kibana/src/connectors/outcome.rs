use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Error;

/// Whether the connector did its job.
///
/// ```
/// use kibana::connectors::ExecuteStatus;
/// assert_eq!(serde_json::from_str::<ExecuteStatus>(r#""error""#).unwrap(), ExecuteStatus::Error);
/// assert_eq!(serde_json::from_str::<ExecuteStatus>(r#""queued""#).unwrap(), ExecuteStatus::Unknown("queued".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ExecuteStatus {
    /// It worked.
    Ok,
    /// It failed; see the outcome's message.
    Error,
    /// A status this SDK does not know.
    #[serde(untagged)]
    Unknown(String),
}

/// What running a connector returned. Kibana answers **200 even when the connector failed**; this type is
/// `#[must_use]` and [`into_result`](Self::into_result) turns a failure into [`Error::ConnectorFailed`].
///
/// ```
/// let outcome: kibana::connectors::ExecuteOutcome = serde_json::from_str(
///     r#"{"status":"error","connector_id":"c1","message":"an error occurred","service_message":"refused","retry":true}"#,
/// ).unwrap();
/// let err = outcome.into_result().unwrap_err();
/// assert!(err.to_string().contains("refused"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use = "a connector failure arrives as a successful response: check the outcome (e.g. `into_result()`)"]
#[non_exhaustive]
pub struct ExecuteOutcome {
    /// Success or failure.
    pub status: ExecuteStatus,
    /// The connector.
    pub connector_id: String,
    /// Kibana's message (on failure).
    #[serde(default)]
    pub message: Option<String>,
    /// The third-party service's message (on failure).
    #[serde(default)]
    pub service_message: Option<String>,
    /// What the connector returned.
    #[serde(default)]
    pub data: Option<Value>,
    /// Whether trying again may help: `true`, `false`, or a date after which to retry.
    #[serde(default)]
    pub retry: Option<Value>,
}

impl ExecuteOutcome {
    pub(crate) fn empty(connector_id: &str) -> Self {
        Self {
            status: ExecuteStatus::Ok,
            connector_id: connector_id.to_owned(),
            message: None,
            service_message: None,
            data: None,
            retry: None,
        }
    }

    /// Whether the connector did its job.
    pub fn is_ok(&self) -> bool {
        self.status == ExecuteStatus::Ok
    }

    /// The returned data on success, [`Error::ConnectorFailed`] otherwise.
    pub fn into_result(self) -> Result<Option<Value>, Error> {
        if self.is_ok() {
            return Ok(self.data);
        }
        Err(Error::ConnectorFailed(Box::new(crate::error::ConnectorFailure {
            connector_id: self.connector_id,
            message: self.message.unwrap_or_default(),
            service_message: self.service_message,
            retry: self.retry,
        })))
    }
}
