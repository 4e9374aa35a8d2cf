//! Kibana spaces: the space id rule, the existence cache, and the spaces API.
//!
//! The pinned OpenAPI documents do not describe the spaces API, so it is written by hand here (following Kibana's
//! docs and `kibana-http-behaviour.md`) on the same transport as every generated operation.

mod api;
mod cache;
mod id;

pub use api::{CopyRetry, CopyToSpaces, LegacyUrlAlias, ObjectRef, ObjectSpaces, Space, Spaces};
pub(crate) use cache::SpaceCache;
pub use id::SpaceId;
