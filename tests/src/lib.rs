//! # kibana-fake: a fake Kibana for tests
//!
//! A real HTTP server on `127.0.0.1:0`, in-process and stateful, that behaves like Kibana where clients can tell:
//! authentication, `kbn-xsrf` on writes, the `/s/{space}` prefix (and, like Kibana, no rejection of unknown
//! spaces), Boom error bodies, `server.maxPayload`; spaces, connectors, saved objects, rules and data views kept per space;
//! and scriptable faults (statuses with `Retry-After`, delays, dropped connections, truncated or malformed bodies,
//! the plain-text "not ready" 503). Every request is logged for assertions.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use kibana_fake::{Fault, FakeKibana};
//!
//! let kibana = FakeKibana::builder().api_key("c2VjcmV0").start().await;
//! kibana.inject(Fault::status(503).retry_after("1").on("GET", "/api/status").times(1));
//! # let _ = rustls::crypto::ring::default_provider().install_default();
//! let response = reqwest::get(format!("{}/api/status", kibana.url())).await.unwrap();
//! assert_eq!(response.status(), 503);
//! assert_eq!(kibana.count("GET", "/api/status"), 1);
//! # }
//! ```

// Routes answer with whole HTTP responses on their error paths; boxing them would only add noise here.
#![allow(clippy::result_large_err)]

mod faults;
mod http_util;
pub mod proxy;
mod routes;
mod server;
mod state;
pub mod tls;

use std::{net::SocketAddr, sync::Arc, time::Duration};

pub use faults::{ClosingHost, Fault, FaultAction};
pub use state::{Auth, LoggedRequest};

use crate::state::{Config, Shared};

/// A running fake Kibana. Dropping it stops the server.
pub struct FakeKibana {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept_loop: tokio::task::JoinHandle<()>,
}

/// Configures a [`FakeKibana`].
#[derive(Debug, Clone)]
#[must_use]
pub struct FakeKibanaBuilder {
    config: Config,
}

impl FakeKibana {
    /// An anonymous fake Kibana (no authentication required).
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// A builder.
    pub fn builder() -> FakeKibanaBuilder {
        FakeKibanaBuilder {
            config: Config::default(),
        }
    }

    /// `http://127.0.0.1:<port>`, followed by the base path if one was set.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.shared.config.base_path)
    }

    /// The address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Adds a fault; faults are matched in the order they were added.
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.lock().expect("faults lock").push(fault);
    }

    /// Removes every fault not used up yet.
    pub fn clear_faults(&self) {
        self.shared.faults.lock().expect("faults lock").clear();
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.log.lock().expect("log lock").clone()
    }

    /// The query of each `method` request to `path` (as logged: with its `/s/{space}` prefix), in order, decoded into
    /// `(key, value)` pairs as they were sent (a repeated key repeats).
    ///
    /// ```no_run
    /// # async fn demo(fake: kibana_fake::FakeKibana) {
    /// let pages: Vec<_> = fake.queries("GET", "/api/lists/_find");
    /// # }
    /// ```
    pub fn queries(&self, method: &str, path: &str) -> Vec<Vec<(String, String)>> {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .map(|r| {
                url::form_urlencoded::parse(r.query.as_deref().unwrap_or_default().as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .collect()
    }

    /// How many requests had this method and this exact path (with its `/s/{space}` prefix, without query).
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.shared
            .log
            .lock()
            .expect("log lock")
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .count()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.shared.log.lock().expect("log lock").len()
    }

    /// How many requests were writes (any method but GET, HEAD, OPTIONS).
    pub fn write_count(&self) -> usize {
        self.shared
            .log
            .lock()
            .expect("log lock")
            .iter()
            .filter(|r| !matches!(r.method.as_str(), "GET" | "HEAD" | "OPTIONS"))
            .count()
    }

    /// Forgets the request log.
    pub fn clear_log(&self) {
        self.shared.log.lock().expect("log lock").clear();
    }

    /// The ids of the connectors stored in `space` (`default` for the default space).
    pub fn connector_ids(&self, space: &str) -> Vec<String> {
        self.shared
            .state
            .lock()
            .expect("state lock")
            .connectors
            .keys()
            .filter(|(s, _)| s == space)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// The ids of the data views stored in `space`.
    pub fn data_view_ids(&self, space: &str) -> Vec<String> {
        self.shared
            .state
            .lock()
            .expect("state lock")
            .data_views
            .keys()
            .filter(|(s, _)| s == space)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// How many saved objects are stored in `space`.
    pub fn saved_object_count(&self, space: &str) -> usize {
        self.shared
            .state
            .lock()
            .expect("state lock")
            .saved_objects
            .keys()
            .filter(|(s, _, _)| s == space)
            .count()
    }

    /// Stores `count` saved objects of `object_type` in `space` directly (for paging and export tests).
    pub fn seed_saved_objects(&self, space: &str, object_type: &str, count: usize) {
        let mut state = self.shared.state.lock().expect("state lock");
        for i in 0..count {
            let id = format!("{object_type}-{i:06}");
            let object = routes::saved_objects::new_object(
                object_type,
                &id,
                serde_json::json!({"title": format!("{object_type} {i}")}),
                Vec::new(),
            );
            state
                .saved_objects
                .insert((space.to_owned(), object_type.to_owned(), id), object);
        }
    }

    /// Adds a legacy URL alias: `resolve` of `(object_type, legacy_id)` in `space` finds `target_id`.
    pub fn add_alias(&self, space: &str, object_type: &str, legacy_id: &str, target_id: &str) {
        let mut state = self.shared.state.lock().expect("state lock");
        state.aliases.insert(
            (space.to_owned(), object_type.to_owned(), legacy_id.to_owned()),
            target_id.to_owned(),
        );
    }

    /// Enrols `count` Fleet agents (listed by `GET /api/fleet/agents`, by page or by `searchAfter` inside a point
    /// in time).
    pub fn seed_fleet_agents(&self, count: usize) {
        let mut state = self.shared.state.lock().expect("state lock");
        let start = state.fleet_agents.len();
        state
            .fleet_agents
            .extend((start..start + count).map(routes::fleet_agents::agent));
    }

    /// Stores `count` value lists in `space` (listed by `GET /api/lists/_find`, by page and cursor).
    pub fn seed_lists(&self, space: &str, count: usize) {
        let mut state = self.shared.state.lock().expect("state lock");
        let start = state.lists.len();
        for i in start..start + count {
            let list = routes::lists::list(i);
            let id = list["id"].as_str().unwrap_or_default().to_owned();
            state.lists.insert((space.to_owned(), id), list);
        }
    }

    /// How many list finds were sent a cursor that did not mark their page (Kibana then scrolls to the page).
    pub fn list_scrolls(&self) -> usize {
        self.shared.state.lock().expect("state lock").list_scrolls
    }

    /// Sets the level `/api/status` reports (`available`, `degraded`, `unavailable`, `critical`).
    pub fn set_status_level(&self, level: &str) {
        self.shared.state.lock().expect("state lock").status_level = level.to_owned();
    }
}

impl Drop for FakeKibana {
    fn drop(&mut self) {
        self.accept_loop.abort();
        for connection in self.shared.connections.lock().expect("connections lock").drain(..) {
            connection.abort();
        }
    }
}

impl FakeKibanaBuilder {
    /// Require `Authorization: ApiKey <encoded>`.
    pub fn api_key(mut self, encoded: impl Into<String>) -> Self {
        self.config.auth.push(Auth::ApiKey(encoded.into()));
        self
    }

    /// Require `Authorization: Basic` with these credentials.
    pub fn basic(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.config.auth.push(Auth::Basic(username.into(), password.into()));
        self
    }

    /// Require `Authorization: Bearer <token>`.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.config.auth.push(Auth::Bearer(token.into()));
        self
    }

    /// `server.maxPayload` in bytes (default 1 MiB; saved-object imports allow 25 MiB).
    pub fn max_payload(mut self, bytes: usize) -> Self {
        self.config.max_payload = bytes;
        self
    }

    /// The version `/api/status` reports (default `9.3.0`, the pinned Kibana).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.config.version = version.into();
        self
    }

    /// Serve every route under `path` (e.g. `/kibana`), like Kibana with `server.basePath` and
    /// `server.rewriteBasePath: true` behind a proxy; a request outside it is a 404. The request log and faults use
    /// paths without the base path.
    pub fn base_path(mut self, path: impl Into<String>) -> Self {
        self.config.base_path = path.into().trim_end_matches('/').to_owned();
        self
    }

    /// Most objects one export may contain (Kibana's `savedObjects.maxImportExportSize`, default 10,000).
    pub fn export_size_limit(mut self, limit: usize) -> Self {
        self.config.export_size_limit = limit;
        self
    }

    /// A delay before every answer (to simulate a distant server).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.config.latency = latency;
        self
    }

    /// Starts the server on `127.0.0.1:0`.
    pub async fn start(self) -> FakeKibana {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared::new(self.config));
        let accept_loop = tokio::spawn(server::serve(listener, shared.clone()));
        FakeKibana {
            addr,
            shared,
            accept_loop,
        }
    }
}
