//! The fake's state: configuration, stored objects, faults and the request log.

use std::{collections::BTreeMap, sync::Mutex, time::Duration};

use bytes::Bytes;
use http::HeaderMap;
use serde_json::Value;

use crate::faults::Fault;

/// Credentials the fake accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `ApiKey <encoded>`.
    ApiKey(String),
    /// `Basic base64(user:password)`.
    Basic(String, String),
    /// `Bearer <token>`.
    Bearer(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Empty: anonymous access.
    pub(crate) auth: Vec<Auth>,
    pub(crate) max_payload: usize,
    pub(crate) import_max_payload: usize,
    pub(crate) version: String,
    pub(crate) latency: Duration,
    pub(crate) export_size_limit: usize,
    /// Kibana's `server.basePath` (with `rewriteBasePath`): every route lives under it; empty by default.
    pub(crate) base_path: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            auth: Vec::new(),
            max_payload: 1024 * 1024,
            import_max_payload: 25 * 1024 * 1024,
            version: "9.3.0".into(),
            latency: Duration::ZERO,
            export_size_limit: 10_000,
            base_path: String::new(),
        }
    }
}

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    /// The method.
    pub method: String,
    /// The path, with its `/s/{space}` prefix, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The space the request was routed to (`default` without prefix).
    pub space: String,
    /// The headers.
    pub headers: HeaderMap,
    /// The body (empty when it was not read).
    pub body: Bytes,
}

impl LoggedRequest {
    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

#[derive(Debug)]
pub(crate) struct Connector {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) connector_type_id: String,
    pub(crate) config: Value,
    pub(crate) secrets: Value,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) spaces: BTreeMap<String, Value>,
    /// (space, id)
    pub(crate) connectors: BTreeMap<(String, String), Connector>,
    /// (space, type, id) → saved object JSON
    pub(crate) saved_objects: BTreeMap<(String, String, String), Value>,
    /// (space, id) → rule JSON
    pub(crate) rules: BTreeMap<(String, String), Value>,
    /// (space, type, legacy id) → target id (legacy URL aliases, for `resolve`)
    pub(crate) aliases: BTreeMap<(String, String, String), String>,
    pub(crate) status_level: String,
    /// (space, id) → data view JSON, as Kibana returns it
    pub(crate) data_views: BTreeMap<(String, String), Value>,
    /// space → the id of its default data view
    pub(crate) default_data_views: BTreeMap<String, String>,
    /// (space, id) → maintenance window JSON, as Kibana returns it
    pub(crate) maintenance_windows: BTreeMap<(String, String), Value>,
    /// name → security role JSON, as Kibana returns it (roles are global: Elasticsearch keeps them)
    pub(crate) roles: BTreeMap<String, Value>,
    /// Fleet agents, in the order Fleet sorts them (`enrolled_at`, host name); agents are not per space here
    pub(crate) fleet_agents: Vec<Value>,
    /// point-in-time id → the agents as they were when it was opened
    pub(crate) points_in_time: BTreeMap<String, Vec<Value>>,
    /// (space, id) → value list JSON, in the order Kibana sorts them (`tie_breaker_id`)
    pub(crate) lists: BTreeMap<(String, String), Value>,
    /// How many list finds scrolled to their page because the cursor was not the page's
    pub(crate) list_scrolls: usize,
    /// Makes every update time this fake hands out later than the one before (Kibana's are in milliseconds).
    pub(crate) clock_ms: u64,
}

impl State {
    /// Now, as Kibana writes times (`2025-06-01T12:00:00.000Z`), strictly after any time given before.
    pub(crate) fn now_iso(&mut self) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        self.clock_ms = now.max(self.clock_ms + 1);
        iso_time(self.clock_ms)
    }
}

/// Milliseconds since the epoch as an ISO 8601 UTC time.
fn iso_time(ms: u64) -> String {
    let (days, rest) = ((ms / 86_400_000) as i64, ms % 86_400_000);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) state: Mutex<State>,
    pub(crate) faults: Mutex<Vec<Fault>>,
    pub(crate) log: Mutex<Vec<LoggedRequest>>,
    /// Open connections, closed when the fake is dropped.
    pub(crate) connections: Mutex<Vec<tokio::task::AbortHandle>>,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Self {
        let mut state = State {
            status_level: "available".into(),
            ..State::default()
        };
        state.spaces.insert(
            "default".into(),
            serde_json::json!({
                "id": "default", "name": "Default", "description": "This is your default space!",
                "color": "#00bfb3", "disabledFeatures": [], "_reserved": true
            }),
        );
        // Elasticsearch's reserved roles, as Kibana lists them (they can be neither changed nor deleted).
        for name in ["superuser", "viewer"] {
            state.roles.insert(
                name.into(),
                serde_json::json!({
                    "name": name, "metadata": {"_reserved": true}, "transient_metadata": {"enabled": true},
                    "elasticsearch": {"cluster": if name == "superuser" { vec!["all"] } else { vec![] }, "indices": [], "run_as": []},
                    "kibana": [{"base": if name == "superuser" { vec!["all"] } else { vec!["read"] }, "feature": {}, "spaces": ["*"]}],
                    "_transform_error": [], "_unrecognized_applications": []
                }),
            );
        }
        Self {
            config,
            state: Mutex::new(state),
            faults: Mutex::default(),
            log: Mutex::default(),
            connections: Mutex::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_times() {
        assert_eq!(super::iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::iso_time(1_748_779_200_123), "2025-06-01T12:00:00.123Z");
        assert_eq!(super::iso_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
