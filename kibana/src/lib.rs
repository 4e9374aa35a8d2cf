//! # kibana-rs
//!
//! A typed Rust client for Kibana's REST API, generated from Kibana's own OpenAPI documents (`kibana-gen`) and
//! wrapped in an ergonomic, fault-tolerant layer (this crate):
//!
//! - [`Kibana::builder`]: one URL, several hosts, or an Elastic Cloud id; API key, basic or bearer credentials;
//!   TLS with CA bundle, client certificate or certificate pinning; timeouts.
//! - One tower stack for every call ([`transport`]): retries with backoff and `Retry-After`, idempotency rules that
//!   never send a create twice, a shared rate limiter, a `tracing` span per request, your own layers.
//! - Spaces: [`Kibana::space`] scopes every API to a space, checked to exist (cached, single-flight).
//! - Typed connectors ([`connectors::types`]): config, secrets and params checked by the compiler.
//! - Typed rules, saved objects, spaces, status and [`data_views`], each space-scoped.
//! - Kibana as code ([`config`]): declared state in Rust or files, plan with a field-level diff, apply, pull.
//! - [`Error`]: one variant per way a call fails, each saying which request and which space.
//!
//! ```no_run
//! use kibana::{Kibana, connectors::types::{Webhook, WebhookConfig, WebhookSecrets, WebhookParams}};
//!
//! # async fn demo() -> Result<(), kibana::Error> {
//! let client = Kibana::builder().url("http://localhost:5601").api_key("...").build()?;
//! let ops = client.space("ops");
//! let hook = ops
//!     .connectors()
//!     .create::<Webhook>("deploy hook", &WebhookConfig::new("https://example.com/hook"), &WebhookSecrets::none())
//!     .await?;
//! ops.connectors().execute::<Webhook>(&hook.id, &WebhookParams::new("{}")).await?.into_result()?;
//! # Ok(()) }
//! ```

/// Not API: entry points for `cargo fuzz` only (see `fuzz/`).
#[doc(hidden)]
#[path = "fuzzing.rs"]
pub mod __fuzz;
mod api;
#[cfg(feature = "blocking")]
pub mod blocking;
mod builder;
mod client;
pub mod cloud_id;
#[cfg(feature = "config")]
pub mod config;
pub mod connectors;
mod credentials;
pub mod data_views;
mod error;
mod ids;
mod route;
pub mod rules;
pub mod saved_objects;
pub mod spaces;
mod status;
pub mod transport;

pub use api::{Api, StackExecutor};
pub use builder::{DEFAULT_MAX_RESPONSE_BODY, KibanaBuilder};
pub use client::{Kibana, VersionMismatch};
pub use credentials::Credentials;
pub use error::{
    ApiError, ConfigError, ConnectorFailure, ConnectorTypeMismatch, DecodeFailure, Error, KibanaErrorBody, TimeLimit,
    TransportFailure,
};
/// The generated low-level client, for operations this crate does not wrap.
pub use kibana_gen as generated;
/// The Kibana release an operation was added in, and how stable Kibana says it is (`kibana_gen::spec`).
pub use kibana_gen::spec::{KibanaVersion, Stability};
pub use spaces::{Space, SpaceId};
pub use status::{
    Compatibility, CompatibilityReport, ServerVersion, ServiceLevel, ServiceStatus, Status, StatusApi, StatusDetails,
};
pub use transport::VersionCheck;
