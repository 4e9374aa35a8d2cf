//! What a resource is and where it lives: [`Kind`] and [`Address`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// A kind of resource Kibana as code manages, in dependency order: a kind only depends on kinds before it.
///
/// ```
/// use kibana::config::Kind;
///
/// assert!(Kind::Space < Kind::Connector && Kind::Connector < Kind::Rule);
/// assert_eq!(Kind::DataView.to_string(), "data_view");
/// assert!(Kind::Role.is_global() && !Kind::Rule.is_global());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// A space (global).
    Space,
    /// A security role (global; Kibana keeps roles in Elasticsearch).
    Role,
    /// A connector, in a space.
    Connector,
    /// A data view, in a space.
    DataView,
    /// A maintenance window, in a space, keyed by its title (Kibana chooses its id).
    MaintenanceWindow,
    /// An alerting rule, in a space; depends on the connectors its actions run.
    Rule,
    /// The default data view of a space; depends on that data view.
    DefaultDataView,
}

impl Kind {
    /// Every kind, in dependency order.
    pub const ALL: [Kind; 7] = [
        Kind::Space,
        Kind::Role,
        Kind::Connector,
        Kind::DataView,
        Kind::MaintenanceWindow,
        Kind::Rule,
        Kind::DefaultDataView,
    ];

    /// Whether resources of this kind live outside spaces.
    pub fn is_global(self) -> bool {
        matches!(self, Kind::Space | Kind::Role)
    }

    /// The name used in plans, reports and files (`data_view`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Space => "space",
            Kind::Role => "role",
            Kind::Connector => "connector",
            Kind::DataView => "data_view",
            Kind::MaintenanceWindow => "maintenance_window",
            Kind::Rule => "rule",
            Kind::DefaultDataView => "default_data_view",
        }
    }

    /// The apply step of creates and updates: spaces, then what lives in them, then what refers to those.
    pub(crate) fn step(self) -> usize {
        match self {
            Kind::Space => 0,
            Kind::Role | Kind::Connector | Kind::DataView | Kind::MaintenanceWindow => 1,
            Kind::Rule | Kind::DefaultDataView => 2,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One resource: its kind, its space (`None` for spaces and roles) and its key (the id you chose; a maintenance
/// window's title; a role's name; for a default data view, the space).
///
/// ```
/// use kibana::config::{Address, Kind};
///
/// assert_eq!(Address::new(Kind::Connector, Some("ops"), "pager").to_string(), "connector ops/pager");
/// assert_eq!(Address::new(Kind::Space, None, "ops").to_string(), "space ops");
/// assert_eq!(Address::default_data_view("ops").to_string(), "default_data_view ops");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Address {
    /// The kind.
    pub kind: Kind,
    /// The space (`None` for global kinds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space: Option<String>,
    /// The key within the kind and space.
    pub key: String,
}

impl Address {
    /// An address.
    pub fn new(kind: Kind, space: Option<&str>, key: impl Into<String>) -> Self {
        Self {
            kind,
            space: if kind.is_global() {
                None
            } else {
                space.map(str::to_owned)
            },
            key: key.into(),
        }
    }

    /// The default data view of `space`.
    pub fn default_data_view(space: &str) -> Self {
        Self::new(Kind::DefaultDataView, Some(space), space)
    }

    /// The space the resource lives in (`default` for global kinds, which are called without a space prefix).
    pub(crate) fn space_or_default(&self) -> &str {
        self.space.as_deref().unwrap_or(crate::SpaceId::DEFAULT)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = |f: &mut fmt::Formatter<'_>| {
            if self.key.is_empty() || self.key.chars().any(|c| c.is_whitespace() || c == '"') {
                write!(f, "{:?}", self.key)
            } else {
                f.write_str(&self.key)
            }
        };
        write!(f, "{} ", self.kind)?;
        match (&self.space, self.kind) {
            (Some(space), Kind::DefaultDataView) => f.write_str(space),
            (Some(space), _) => {
                write!(f, "{space}/")?;
                key(f)
            }
            (None, _) => key(f),
        }
    }
}
