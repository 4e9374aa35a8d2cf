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
        Self {
            config,
            state: Mutex::new(state),
            faults: Mutex::default(),
            log: Mutex::default(),
            connections: Mutex::default(),
        }
    }
}
