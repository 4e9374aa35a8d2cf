//! The client `cargo xtask regen --pin openapi/kibana-8/pin.toml` generates from three Kibana 8.x plugin documents.
//!
//! Test-only: it shows that the regen pipeline still works for users pinned to an older Kibana, and its test
//! (`tests/spec_examples.rs`) checks every example of those documents against its generated type (Kibana's 9.3
//! document carries no examples). Everything but this file is generated; the seam to progenitor is `kibana-gen`'s.

#[path = "../../../kibana-gen/src/hooks.rs"]
pub mod hooks;
#[rustfmt::skip]
mod generated;
#[rustfmt::skip]
pub mod multipart;
#[rustfmt::skip]
pub mod query;
#[rustfmt::skip]
pub mod spec;
#[rustfmt::skip]
pub mod symbols;

pub use generated::*;
pub use hooks::{Inner, Transport};
pub use spec::SPEC;
