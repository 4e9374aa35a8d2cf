//! [`Ownership`]: how this tool marks what it manages, so that pruning deletes only that.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Kind;

/// The metadata key of a security role that carries the ownership marker.
pub(crate) const ROLE_METADATA_KEY: &str = "managed-by";

/// How objects this tool manages are marked, where Kibana gives a place for a mark.
///
/// - rules carry the tag `managed-by:<marker>` (added on every write);
/// - security roles carry `metadata["managed-by"] = <marker>` (added on every write);
/// - Kibana 9.3 has no tag or label on spaces, connectors, data views and maintenance windows: those are owned
///   when their key (id; a maintenance window's title) starts with [`key_prefix`](Self::key_prefix), and are never
///   pruned when no prefix is set. Choose a prefix Kibana's own ids (UUIDs) cannot start with: the plan refuses a
///   prefix made only of hexadecimal digits and dashes.
///
/// Spaces are never pruned: pruning works inside the declared spaces only.
///
/// ```
/// use kibana::config::Ownership;
///
/// let ownership = Ownership::new("platform-team").key_prefix("iac-");
/// assert_eq!(ownership.rule_tag(), "managed-by:platform-team");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ownership {
    marker: String,
    key_prefix: Option<String>,
}

impl Default for Ownership {
    fn default() -> Self {
        Self::new("kibana-rs")
    }
}

impl Ownership {
    /// Marks with `marker` (default: `kibana-rs`).
    pub fn new(marker: impl Into<String>) -> Self {
        Self {
            marker: marker.into(),
            key_prefix: None,
        }
    }

    /// Owns spaces' contents whose key starts with `prefix` (connectors, data views, maintenance windows).
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = Some(prefix.into());
        self
    }

    /// The marker.
    pub fn marker(&self) -> &str {
        &self.marker
    }

    /// The tag rules carry.
    pub fn rule_tag(&self) -> String {
        format!("managed-by:{}", self.marker)
    }

    /// What is wrong with this ownership, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        if self.marker.trim().is_empty() {
            return Some("the ownership marker must not be empty".into());
        }
        match &self.key_prefix {
            Some(prefix) if prefix.chars().all(|c| c.is_ascii_hexdigit() || c == '-') => Some(format!(
                "the ownership key prefix {prefix:?} could begin an id Kibana chose (a UUID): use a letter after f"
            )),
            _ => None,
        }
    }

    /// Whether Kibana has a place for this kind's marker, or a key prefix stands in for it.
    pub(crate) fn can_mark(&self, kind: Kind) -> bool {
        match kind {
            Kind::Rule | Kind::Role => true,
            Kind::Connector | Kind::DataView | Kind::MaintenanceWindow => self.key_prefix.is_some(),
            Kind::Space | Kind::DefaultDataView => false,
        }
    }

    /// Whether an object Kibana has (`raw`, as listed) is this tool's.
    pub(crate) fn owns(&self, kind: Kind, key: &str, raw: &Value) -> bool {
        match kind {
            Kind::Rule => raw["tags"]
                .as_array()
                .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(&self.rule_tag()))),
            Kind::Role => raw["metadata"][ROLE_METADATA_KEY].as_str() == Some(self.marker.as_str()),
            Kind::Connector | Kind::DataView | Kind::MaintenanceWindow => {
                self.key_prefix.as_deref().is_some_and(|prefix| key.starts_with(prefix))
            }
            Kind::Space | Kind::DefaultDataView => false,
        }
    }
}
