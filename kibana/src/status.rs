//! `GET /api/status`: Kibana's health and version, and a compatibility check against the pinned spec.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

impl ServiceLevel {
    /// The level a Kibana 7.x legacy status `state` stands for (`green`, `yellow`, `red`), as Kibana itself maps
    /// them; another state is kept as [`ServiceLevel::Unknown`].
    ///
    /// ```
    /// use kibana::ServiceLevel;
    /// assert_eq!(ServiceLevel::from_legacy_state("yellow"), ServiceLevel::Degraded);
    /// assert_eq!(ServiceLevel::from_legacy_state("uninitialized"), ServiceLevel::Unknown("uninitialized".into()));
    /// ```
    pub fn from_legacy_state(state: &str) -> Self {
        match state {
            "green" => Self::Available,
            "yellow" => Self::Degraded,
            "red" => Self::Unavailable,
            other => Self::Unknown(other.to_owned()),
        }
    }
}

/// The level of one service, with Kibana's summary. Kibana 7.x's legacy format (a `state` of `green` / `yellow` /
/// `red` instead of a `level`) reads too; everything else Kibana sends is kept in `other`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceStatus {
    /// The level.
    pub level: ServiceLevel,
    /// Kibana's one-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Everything else Kibana sent (`meta`, `detail`, the legacy `state`, `title`, `since`...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl<'de> Deserialize<'de> for ServiceStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Sent {
            level: Option<ServiceLevel>,
            summary: Option<String>,
            #[serde(flatten)]
            other: Map<String, Value>,
        }
        let sent = Sent::deserialize(deserializer)?;
        let level = match sent.level {
            Some(level) => level,
            None => match sent.other.get("state").and_then(Value::as_str) {
                Some(state) => ServiceLevel::from_legacy_state(state),
                None => return Err(serde::de::Error::missing_field("level")),
            },
        };
        Ok(Self {
            level,
            summary: sent.summary,
            other: sent.other,
        })
    }
}

/// Overall, core and plugin statuses. Without credentials (Kibana 8.9+) only `overall` is present. Kibana 7.x's
/// legacy `statuses` list (`core:elasticsearch@7.17.0`, `plugin:apm@7.17.0`) fills `core` and `plugins`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusDetails {
    /// Kibana's overall level.
    pub overall: ServiceStatus,
    /// Core services (`elasticsearch`, `savedObjects`...).
    #[serde(default)]
    pub core: std::collections::BTreeMap<String, ServiceStatus>,
    /// Plugins.
    #[serde(default)]
    pub plugins: std::collections::BTreeMap<String, ServiceStatus>,
    /// Everything else Kibana sent (the legacy `statuses` list).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl<'de> Deserialize<'de> for StatusDetails {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Sent {
            overall: ServiceStatus,
            #[serde(default)]
            core: std::collections::BTreeMap<String, ServiceStatus>,
            #[serde(default)]
            plugins: std::collections::BTreeMap<String, ServiceStatus>,
            #[serde(flatten)]
            other: Map<String, Value>,
        }
        let mut sent = Sent::deserialize(deserializer)?;
        if sent.core.is_empty() && sent.plugins.is_empty() {
            for legacy in sent
                .other
                .get("statuses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(id) = legacy.get("id").and_then(Value::as_str) else {
                    continue;
                };
                let Ok(mut status) = serde_json::from_value::<ServiceStatus>(legacy.clone()) else {
                    continue;
                };
                if status.summary.is_none() {
                    status.summary = legacy.get("message").and_then(Value::as_str).map(str::to_owned);
                }
                let (kind, name) = id.split_once(':').unwrap_or(("plugin", id));
                let name = name.split('@').next().unwrap_or(name).to_owned();
                match kind {
                    "core" => sent.core.insert(name, status),
                    _ => sent.plugins.insert(name, status),
                };
            }
        }
        Ok(Self {
            overall: sent.overall,
            core: sent.core,
            plugins: sent.plugins,
            other: sent.other,
        })
    }
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
    /// Everything else Kibana sent (`build_date`, `build_flavor`...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
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
    /// Everything else Kibana sent (`metrics`...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
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
    fn kibana_7_legacy_status_reads_as_levels_and_an_older_server() {
        // Kibana 7.17's default `GET /api/status` (the legacy format; `?v8format=true` gives levels).
        let legacy = r#"{"name":"kb","uuid":"5b2de169-2785-441b-ae8c-186a1936b17d",
            "version":{"number":"7.17.9","build_hash":"4ea5bb0","build_number":48996,"build_snapshot":false},
            "status":{"overall":{"since":"2023-02-01T10:00:00.000Z","state":"green","title":"Green",
                "nickname":"Looking good","icon":"success","uiColor":"secondary"},
              "statuses":[
                {"id":"core:elasticsearch@7.17.9","message":"Elasticsearch is available","since":"2023-02-01T10:00:00.000Z","state":"green","icon":"success","uiColor":"secondary"},
                {"id":"plugin:taskManager@7.17.9","message":"Task Manager is degraded","since":"2023-02-01T10:00:00.000Z","state":"yellow","icon":"warning","uiColor":"warning"}]},
            "metrics":{"last_updated":"2023-02-01T10:00:05.000Z","collection_interval_in_millis":5000}}"#;
        let status: Status = serde_json::from_str(legacy).unwrap();
        assert!(status.is_available());
        assert_eq!(
            status.status.core["elasticsearch"].summary.as_deref(),
            Some("Elasticsearch is available")
        );
        assert_eq!(status.status.plugins["taskManager"].level, ServiceLevel::Degraded);
        assert_eq!(
            compatibility_of(status.version.as_ref().map(|v| v.number.as_str())),
            Compatibility::Older
        );
        // Nothing Kibana sent is lost.
        let again = serde_json::to_value(&status).unwrap();
        assert_eq!(again["status"]["statuses"][1]["state"], "yellow");
        assert_eq!(again["metrics"]["collection_interval_in_millis"], 5000);
        assert_eq!(again["status"]["overall"]["nickname"], "Looking good");
    }

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
