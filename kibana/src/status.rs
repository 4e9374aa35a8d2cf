//! `GET /api/status`: Kibana's health and version, and a compatibility check against the pinned spec.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::{
    Error, Kibana,
    client::{RawResponse, VersionMismatch},
};

/// A status level. Unknown levels (from newer Kibana versions) are kept, not rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ServiceLevel {
    /// Everything works.
    Available,
    /// Works with reduced functionality.
    Degraded,
    /// Does not work.
    Unavailable,
    /// Broken.
    Critical,
    /// A level this SDK does not know.
    #[serde(untagged)]
    Unknown(String),
}

/// The level of one service, with Kibana's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceStatus {
    /// The level.
    pub level: ServiceLevel,
    /// Kibana's one-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// Overall, core and plugin statuses. Without credentials (Kibana 8.9+) only `overall` is present.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusDetails {
    /// Kibana's overall level.
    pub overall: ServiceStatus,
    /// Core services (`elasticsearch`, `savedObjects`...).
    #[serde(default)]
    pub core: std::collections::BTreeMap<String, ServiceStatus>,
    /// Plugins.
    #[serde(default)]
    pub plugins: std::collections::BTreeMap<String, ServiceStatus>,
}

/// The server's version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerVersion {
    /// E.g. `8.15.0`.
    pub number: String,
    /// Git commit of the build.
    #[serde(default)]
    pub build_hash: Option<String>,
    /// Build number.
    #[serde(default)]
    pub build_number: Option<u64>,
    /// Whether it is a snapshot build.
    #[serde(default)]
    pub build_snapshot: Option<bool>,
}

/// `GET /api/status`. Fields other than `status` are absent in the redacted answer Kibana gives anonymous callers.
///
/// ```
/// let status: kibana::Status = serde_json::from_str(r#"{"status":{"overall":{"level":"available"}}}"#).unwrap();
/// assert_eq!(status.status.overall.level, kibana::ServiceLevel::Available);
/// assert!(status.version.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The instance name.
    #[serde(default)]
    pub name: Option<String>,
    /// The instance uuid.
    #[serde(default)]
    pub uuid: Option<String>,
    /// The version (absent when redacted).
    #[serde(default)]
    pub version: Option<ServerVersion>,
    /// The statuses.
    pub status: StatusDetails,
}

impl Status {
    /// Whether Kibana says it is available.
    pub fn is_available(&self) -> bool {
        self.status.overall.level == ServiceLevel::Available
    }
}

/// How the server's version relates to the Kibana the SDK was generated from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compatibility {
    /// Within the pinned range.
    Compatible,
    /// Newer major or minor than the pinned range: new fields and types may be unknown to the typed models.
    Newer,
    /// Older than the pinned range: some operations may not exist.
    Older,
    /// The server did not tell its version (anonymous, redacted status).
    Unknown,
}

/// The result of [`StatusApi::compatibility`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompatibilityReport {
    /// The server's version, when known.
    pub server_version: Option<String>,
    /// What `kibana-gen` was generated from.
    pub generated_for: &'static str,
    /// The verdict.
    pub compatibility: Compatibility,
}

fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// Compares a server version with the Kibana range the pinned documents describe (`kibana_gen::SPEC`).
pub fn compatibility_of(server_version: Option<&str>) -> Compatibility {
    let Some((major, minor)) = server_version.and_then(major_minor) else {
        return Compatibility::Unknown;
    };
    let (low, high) = (kibana_gen::SPEC.kibana_min, kibana_gen::SPEC.kibana_max);
    if (major, minor) < low {
        Compatibility::Older
    } else if (major, minor) > high {
        Compatibility::Newer
    } else {
        Compatibility::Compatible
    }
}

/// Reads `GET /api/status`'s answer (any status).
pub(crate) fn status_from_answer(response: RawResponse) -> Result<Status, Error> {
    if response.status.is_success() {
        return response.json();
    }
    // Kibana answers 503 with the status body when core services are unavailable; anything else is an error.
    if response.status == http::StatusCode::SERVICE_UNAVAILABLE
        && let Ok(status) = serde_json::from_slice::<Status>(&response.body.bytes)
    {
        return Ok(status);
    }
    Err(response.into_error())
}

/// The status API: `client.status()`.
#[derive(Clone, Debug)]
pub struct StatusApi {
    client: Kibana,
}

impl Kibana {
    /// The status API.
    pub fn status(&self) -> StatusApi {
        StatusApi {
            client: self.default_space(),
        }
    }
}

impl StatusApi {
    /// Kibana's status. A 503 with a status body (core unavailable) is returned as a status, not an error.
    pub async fn get(&self) -> Result<Status, Error> {
        let response = self
            .client
            .route(&kibana_gen::spec::routes::GET_STATUS, &[])
            .unscoped()
            .send_body(None, None, true)
            .await?;
        status_from_answer(response)
    }

    /// Polls the status (every `interval`, default 1 s) until Kibana says it is available, or `timeout` passes.
    pub async fn wait_until_available(&self, timeout: Duration) -> Result<Status, Error> {
        let started = Instant::now();
        let interval = Duration::from_millis(500).min(timeout);
        loop {
            let last = match self.get().await {
                Ok(status) if status.is_available() => return Ok(status),
                Ok(status) => format!("{:?}", status.status.overall.level),
                Err(error) => error.to_string(),
            };
            if started.elapsed() + interval > timeout {
                return Err(Error::NotAvailable {
                    waited: started.elapsed(),
                    last,
                });
            }
            tokio::time::sleep(interval).await;
        }
    }

    /// Compares the server's version with the Kibana `kibana-gen` was generated from; with
    /// [`VersionMismatch::Refuse`] a mismatch is an [`Error::IncompatibleVersion`], with `Warn` it is logged.
    pub async fn compatibility(&self) -> Result<CompatibilityReport, Error> {
        let status = self.get().await?;
        let server_version = status.version.map(|v| v.number);
        let compatibility = compatibility_of(server_version.as_deref());
        let report = CompatibilityReport {
            server_version: server_version.clone(),
            generated_for: kibana_gen::SPEC.kibana_ref,
            compatibility: compatibility.clone(),
        };
        if matches!(compatibility, Compatibility::Newer | Compatibility::Older) {
            match self.client.shared.version_mismatch {
                VersionMismatch::Refuse => {
                    return Err(Error::IncompatibleVersion {
                        server: server_version.unwrap_or_default(),
                        generated_for: kibana_gen::SPEC.kibana_ref.to_owned(),
                    });
                }
                VersionMismatch::Warn => tracing::warn!(?report, "Kibana version differs from the pinned spec"),
                VersionMismatch::Ignore => {}
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_levels_are_kept() {
        let s: ServiceStatus = serde_json::from_str(r#"{"level":"sparkling"}"#).unwrap();
        assert_eq!(s.level, ServiceLevel::Unknown("sparkling".into()));
    }

    #[test]
    fn versions_compare_by_major_minor() {
        // The pin: Kibana 9.0–9.3.
        assert_eq!(compatibility_of(Some("9.1.3")), Compatibility::Compatible);
        assert_eq!(compatibility_of(Some("9.4.0")), Compatibility::Newer);
        assert_eq!(compatibility_of(Some("8.19.0")), Compatibility::Older);
        assert_eq!(compatibility_of(Some("9.3.0-SNAPSHOT")), Compatibility::Compatible);
        assert_eq!(compatibility_of(None), Compatibility::Unknown);
    }
}
