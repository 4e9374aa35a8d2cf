//! Declared state: the resources you want Kibana to have, each keyed by the id you choose.
//!
//! Each resource is written as Kibana's own API body for its kind (field names included: camelCase for spaces and
//! data views, snake_case for connectors and rules, as Kibana has them), plus `space` and `id`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Kind, SecretsPolicy, secrets::Secrets};
use crate::{
    Error, Space,
    connectors::ConnectorType,
    data_views::{FieldFormat, RuntimeField, SourceFilter},
    generated::types,
    rules::{NewRule, RuleAction, RuleType, Schedule},
};

fn default_space() -> String {
    crate::SpaceId::DEFAULT.to_owned()
}

fn is_default_space(space: &str) -> bool {
    space == crate::SpaceId::DEFAULT
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

/// The declared state of a Kibana: spaces, connectors, rules, data views (and each space's default one),
/// maintenance windows and security roles. Build it in Rust or read it from a file ([`DeclaredState::from_path`];
/// TOML, YAML or JSON), then [`plan`](crate::Kibana::plan) it.
///
/// ```
/// use kibana::{Space, config::{ConnectorSpec, DeclaredState, RuleSpec, Secrets}};
/// use kibana::connectors::types::{Webhook, WebhookConfig, WebhookSecrets};
/// use kibana::rules::{NewRule, RuleAction, Schedule};
///
/// let state = DeclaredState::new()
///     .space(Space::new("ops", "Operations"))
///     .connector(ConnectorSpec::typed::<Webhook>("ops", "deploy-hook", "Deploy hook", &WebhookConfig::new("https://hooks.example.com"), &WebhookSecrets::none()).unwrap())
///     .rule(
///         RuleSpec::raw("ops", "cpu-high", "CPU high", ".index-threshold", "stackAlerts", Schedule::every("1m"), serde_json::json!({"index": ["metrics-*"]}))
///             .action(RuleAction::raw("threshold met", "deploy-hook", serde_json::json!({"body": "{{context.message}}"}))),
///     );
/// assert_eq!(state.len(), 3);
/// let toml = state.to_toml().unwrap();
/// assert_eq!(kibana::config::DeclaredState::from_toml(&toml).unwrap().len(), 3);
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DeclaredState {
    /// Spaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "strict_spaces")]
    pub spaces: Vec<Space>,
    /// Security roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleSpec>,
    /// Connectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connectors: Vec<ConnectorSpec>,
    /// Data views.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_views: Vec<DataViewSpec>,
    /// Maintenance windows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maintenance_windows: Vec<MaintenanceWindowSpec>,
    /// Alerting rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
    /// The default data view of spaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_data_views: Vec<DefaultDataViewSpec>,
    /// Kinds this state manages even where it declares none of them (what pruning may delete in the declared
    /// spaces): a kind with a declared resource is managed anyway.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub manage: BTreeSet<Kind>,
}

impl DeclaredState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a space.
    #[must_use]
    pub fn space(mut self, space: Space) -> Self {
        self.spaces.push(space);
        self
    }

    /// Adds a security role.
    #[must_use]
    pub fn role(mut self, role: RoleSpec) -> Self {
        self.roles.push(role);
        self
    }

    /// Adds a connector.
    #[must_use]
    pub fn connector(mut self, connector: ConnectorSpec) -> Self {
        self.connectors.push(connector);
        self
    }

    /// Adds a data view.
    #[must_use]
    pub fn data_view(mut self, view: DataViewSpec) -> Self {
        self.data_views.push(view);
        self
    }

    /// Adds a maintenance window.
    #[must_use]
    pub fn maintenance_window(mut self, window: MaintenanceWindowSpec) -> Self {
        self.maintenance_windows.push(window);
        self
    }

    /// Adds a rule.
    #[must_use]
    pub fn rule(mut self, rule: RuleSpec) -> Self {
        self.rules.push(rule);
        self
    }

    /// Makes `data_view` (a data view id) the default data view of `space`.
    #[must_use]
    pub fn default_data_view(mut self, space: impl Into<String>, data_view: impl Into<String>) -> Self {
        self.default_data_views.push(DefaultDataViewSpec {
            space: space.into(),
            data_view: data_view.into(),
        });
        self
    }

    /// Manages `kind` in the declared spaces even when no resource of it is declared (so that pruning may delete
    /// owned ones).
    #[must_use]
    pub fn manage(mut self, kind: Kind) -> Self {
        self.manage.insert(kind);
        self
    }

    /// How many resources are declared.
    pub fn len(&self) -> usize {
        self.spaces.len()
            + self.roles.len()
            + self.connectors.len()
            + self.data_views.len()
            + self.maintenance_windows.len()
            + self.rules.len()
            + self.default_data_views.len()
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kinds this state manages: those with a declared resource, and those named in [`manage`](Self::manage).
    pub fn managed_kinds(&self) -> BTreeSet<Kind> {
        let mut kinds = self.manage.clone();
        for (kind, count) in [
            (Kind::Space, self.spaces.len()),
            (Kind::Role, self.roles.len()),
            (Kind::Connector, self.connectors.len()),
            (Kind::DataView, self.data_views.len()),
            (Kind::MaintenanceWindow, self.maintenance_windows.len()),
            (Kind::Rule, self.rules.len()),
            (Kind::DefaultDataView, self.default_data_views.len()),
        ] {
            if count > 0 {
                kinds.insert(kind);
            }
        }
        kinds
    }

    /// The spaces this state touches: those declared, and those its resources live in.
    pub fn declared_spaces(&self) -> BTreeSet<String> {
        let mut spaces: BTreeSet<String> = self.spaces.iter().map(|s| s.id.clone()).collect();
        spaces.extend(self.connectors.iter().map(|c| c.space.clone()));
        spaces.extend(self.data_views.iter().map(|v| v.space.clone()));
        spaces.extend(self.maintenance_windows.iter().map(|w| w.space.clone()));
        spaces.extend(self.rules.iter().map(|r| r.space.clone()));
        spaces.extend(self.default_data_views.iter().map(|d| d.space.clone()));
        spaces
    }
}

/// A space as a file declares it: [`Space`]'s fields, a misspelt one refused.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StrictSpace {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    color: Option<String>,
    #[serde(default)]
    initials: Option<String>,
    #[serde(default)]
    disabled_features: Vec<String>,
    #[serde(default)]
    image_url: Option<String>,
    #[serde(default)]
    solution: Option<String>,
}

fn strict_spaces<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Space>, D::Error> {
    let spaces = Vec::<StrictSpace>::deserialize(deserializer)?;
    Ok(spaces
        .into_iter()
        .map(|s| {
            let mut space = Space::new(s.id, s.name);
            space.description = s.description;
            space.color = s.color;
            space.initials = s.initials;
            space.disabled_features = s.disabled_features;
            space.image_url = s.image_url;
            space.solution = s.solution;
            space
        })
        .collect())
}

/// A connector: typed ([`ConnectorSpec::typed`]) or raw JSON for a type this SDK does not know.
///
/// Its secrets ([`Secrets`]) are sent, never shown; Kibana never returns them, so [`SecretsPolicy`] decides when
/// they are sent again.
///
/// ```
/// use kibana::config::{ConnectorSpec, Secrets, SecretsPolicy};
/// use serde_json::json;
///
/// let slack = ConnectorSpec::raw("ops", "slack", "Ops channel", ".slack", json!({}))
///     .secrets(Secrets::new().env("webhookUrl", "SLACK_WEBHOOK_URL"))
///     .secrets_policy(SecretsPolicy::WhenFingerprintChanges)
///     .secrets_fingerprint("2025-05-rotation");
/// assert_eq!(slack.connector_type_id, ".slack");
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ConnectorSpec {
    /// The space (default: `default`).
    #[serde(default = "default_space", skip_serializing_if = "is_default_space")]
    pub space: String,
    /// The id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The connector type (`.webhook`); checked against its typed model when the SDK types it.
    pub connector_type_id: String,
    /// The type's config, as Kibana's API takes it (an object).
    #[serde(default = "empty_object")]
    pub config: Value,
    /// The secrets (values or `${env:NAME}` references).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Secrets>,
    /// When the secrets are sent again (default: the plan's, [`SecretsPolicy::OnCreate`] unless set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_policy: Option<SecretsPolicy>,
    /// Your fingerprint of the secrets (a vault version...), for [`SecretsPolicy::WhenFingerprintChanges`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_fingerprint: Option<String>,
}

impl ConnectorSpec {
    /// A connector of a typed connector type: its config and secrets are checked by the compiler.
    pub fn typed<C: ConnectorType>(
        space: impl Into<String>,
        id: impl Into<String>,
        name: impl Into<String>,
        config: &C::Config,
        secrets: &C::Secrets,
    ) -> Result<Self, Error> {
        let config = serde_json::to_value(config)
            .map_err(|e| Error::InvalidRequest(format!("cannot encode the {} config: {e}", C::TYPE_ID)))?;
        let secrets = Secrets::from_typed(secrets)?;
        Ok(Self {
            space: space.into(),
            id: id.into(),
            name: name.into(),
            connector_type_id: C::TYPE_ID.to_owned(),
            config,
            secrets: (!secrets.is_empty()).then_some(secrets),
            secrets_policy: None,
            secrets_fingerprint: None,
        })
    }

    /// A connector from raw JSON (a config that is not an object is refused by the plan).
    pub fn raw(
        space: impl Into<String>,
        id: impl Into<String>,
        name: impl Into<String>,
        connector_type_id: impl Into<String>,
        config: Value,
    ) -> Self {
        Self {
            space: space.into(),
            id: id.into(),
            name: name.into(),
            connector_type_id: connector_type_id.into(),
            config: if config.is_null() { empty_object() } else { config },
            secrets: None,
            secrets_policy: None,
            secrets_fingerprint: None,
        }
    }

    /// With secrets.
    #[must_use]
    pub fn secrets(mut self, secrets: Secrets) -> Self {
        self.secrets = Some(secrets);
        self
    }

    /// With its own secrets policy.
    #[must_use]
    pub fn secrets_policy(mut self, policy: SecretsPolicy) -> Self {
        self.secrets_policy = Some(policy);
        self
    }

    /// With a fingerprint of its secrets.
    #[must_use]
    pub fn secrets_fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.secrets_fingerprint = Some(fingerprint.into());
        self
    }
}

/// An alerting rule: typed params ([`RuleSpec::typed`]) or raw JSON; its actions name connectors of the same
/// space, declared in the state or existing in Kibana.
///
/// ```
/// use kibana::config::RuleSpec;
/// use kibana::rules::{NewRule, RuleAction, Schedule, types::{IndexThreshold, IndexThresholdParams, ThresholdComparator, TimeUnit}};
///
/// let params = IndexThresholdParams::new(["logs-*"], "@timestamp", ThresholdComparator::GreaterThan, [1000.0], 5, TimeUnit::Minutes);
/// let rule = RuleSpec::typed::<IndexThreshold>("ops", "too-many-logs", &NewRule::new("Too many logs", "stackAlerts", Schedule::every("1m"), params))
///     .unwrap()
///     .action(RuleAction::raw("threshold met", "deploy-hook", serde_json::json!({"body": "{{context.message}}"})))
///     .tags(["ops"]);
/// assert_eq!(rule.rule_type_id, ".index-threshold");
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RuleSpec {
    /// The space (default: `default`).
    #[serde(default = "default_space", skip_serializing_if = "is_default_space")]
    pub space: String,
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The rule type (`.index-threshold`); params are checked against its typed model when the SDK types it.
    pub rule_type_id: String,
    /// The app that owns it (`stackAlerts`, `alerts`, `apm`...).
    pub consumer: String,
    /// When it runs.
    pub schedule: Schedule,
    /// The rule type's params (an object).
    #[serde(default = "empty_object")]
    pub params: Value,
    /// Its actions (`id`: a connector of the same space).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<RuleAction>,
    /// Tags (the ownership tag is added for you).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Whether it runs (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
}

impl RuleSpec {
    /// A rule with typed params.
    pub fn typed<R: RuleType>(
        space: impl Into<String>,
        id: impl Into<String>,
        rule: &NewRule<R::Params>,
    ) -> Result<Self, Error> {
        let params = serde_json::to_value(&rule.params)
            .map_err(|e| Error::InvalidRequest(format!("cannot encode the {} params: {e}", R::RULE_TYPE_ID)))?;
        Ok(Self {
            space: space.into(),
            id: id.into(),
            name: rule.name.clone(),
            rule_type_id: R::RULE_TYPE_ID.to_owned(),
            consumer: rule.consumer.clone(),
            schedule: rule.schedule.clone(),
            params,
            actions: rule.actions.clone(),
            tags: rule.tags.clone(),
            enabled: rule.enabled,
        })
    }

    /// A rule with raw JSON params.
    pub fn raw(
        space: impl Into<String>,
        id: impl Into<String>,
        name: impl Into<String>,
        rule_type_id: impl Into<String>,
        consumer: impl Into<String>,
        schedule: Schedule,
        params: Value,
    ) -> Self {
        Self {
            space: space.into(),
            id: id.into(),
            name: name.into(),
            rule_type_id: rule_type_id.into(),
            consumer: consumer.into(),
            schedule,
            params,
            actions: Vec::new(),
            tags: Vec::new(),
            enabled: true,
        }
    }

    /// Adds an action.
    #[must_use]
    pub fn action(mut self, action: RuleAction) -> Self {
        self.actions.push(action);
        self
    }

    /// Sets the tags.
    #[must_use]
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Declares it disabled.
    #[must_use]
    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }
}

/// A data view: its index pattern (`title`), name, time field, runtime fields, field formats, source filters.
///
/// Runtime fields, field formats and source filters are compared whole: what you do not declare is removed.
///
/// ```
/// use kibana::config::DataViewSpec;
/// use kibana::data_views::{RuntimeField, RuntimeFieldType};
///
/// let logs = DataViewSpec::new("ops", "logs", "logs-*")
///     .name("Logs")
///     .time_field("@timestamp")
///     .runtime_field("day", RuntimeField::new(RuntimeFieldType::Keyword).script("emit('x')"));
/// assert_eq!(logs.title, "logs-*");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct DataViewSpec {
    /// The space (default: `default`).
    #[serde(default = "default_space", skip_serializing_if = "is_default_space")]
    pub space: String,
    /// The id.
    pub id: String,
    /// The index pattern.
    pub title: String,
    /// The name shown in Kibana (Kibana uses the title when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The field time filters apply to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_field_name: Option<String>,
    /// Runtime fields by name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub runtime_field_map: std::collections::BTreeMap<String, RuntimeField>,
    /// Field formatters by field name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub field_formats: std::collections::BTreeMap<String, FieldFormat>,
    /// Fields hidden from Discover.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_filters: Vec<SourceFilter>,
    /// Keep the data view when no index matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_no_index: Option<bool>,
}

impl DataViewSpec {
    /// A data view over `title` (an index pattern).
    pub fn new(space: impl Into<String>, id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            space: space.into(),
            id: id.into(),
            title: title.into(),
            name: None,
            time_field_name: None,
            runtime_field_map: Default::default(),
            field_formats: Default::default(),
            source_filters: Vec::new(),
            allow_no_index: None,
        }
    }

    /// With a display name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// With a time field.
    #[must_use]
    pub fn time_field(mut self, field: impl Into<String>) -> Self {
        self.time_field_name = Some(field.into());
        self
    }

    /// With a runtime field.
    #[must_use]
    pub fn runtime_field(mut self, name: impl Into<String>, field: RuntimeField) -> Self {
        self.runtime_field_map.insert(name.into(), field);
        self
    }

    /// With a field formatter.
    #[must_use]
    pub fn field_format(mut self, field: impl Into<String>, format: FieldFormat) -> Self {
        self.field_formats.insert(field.into(), format);
        self
    }

    /// Hides fields matching `pattern` from Discover.
    #[must_use]
    pub fn source_filter(mut self, pattern: impl Into<String>) -> Self {
        self.source_filters.push(SourceFilter::new(pattern));
        self
    }

    /// Keeps the data view when no index matches.
    #[must_use]
    pub fn allow_no_index(mut self, allow: bool) -> Self {
        self.allow_no_index = Some(allow);
        self
    }
}

/// The default data view of a space.
///
/// ```
/// let state = kibana::config::DeclaredState::new().default_data_view("ops", "logs");
/// assert_eq!(state.default_data_views[0].data_view, "logs");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DefaultDataViewSpec {
    /// The space.
    #[serde(default = "default_space")]
    pub space: String,
    /// The data view's id.
    pub data_view: String,
}

/// A maintenance window, keyed by its title in its space (Kibana chooses maintenance windows' ids, so the title
/// is what finds it again). The body is Kibana's create body (`title`, `enabled`, `schedule`, `scope`), checked
/// against the generated request type (`kibana::generated::types::PostMaintenanceWindowBody`) by the plan.
///
/// ```
/// use kibana::config::MaintenanceWindowSpec;
/// use kibana::generated::types::PostMaintenanceWindowBody;
///
/// let body: PostMaintenanceWindowBody = serde_json::from_value(serde_json::json!({
///     "title": "Weekly patching",
///     "schedule": {"custom": {"start": "2025-06-01T22:00:00.000Z", "duration": "2h", "recurring": {"every": "1w"}}}
/// })).unwrap();
/// let window = MaintenanceWindowSpec::new("ops", &body).unwrap();
/// assert_eq!(window.title(), "Weekly patching");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MaintenanceWindowSpec {
    /// The space (default: `default`).
    #[serde(default = "default_space", skip_serializing_if = "is_default_space")]
    pub space: String,
    /// Kibana's create body.
    #[serde(flatten)]
    pub body: Map<String, Value>,
}

impl MaintenanceWindowSpec {
    /// A maintenance window from the generated request type.
    pub fn new(space: impl Into<String>, body: &types::PostMaintenanceWindowBody) -> Result<Self, Error> {
        let body = match serde_json::to_value(body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => Map::new(),
            Err(e) => {
                return Err(Error::InvalidRequest(format!(
                    "cannot encode the maintenance window: {e}"
                )));
            }
        };
        Ok(Self {
            space: space.into(),
            body,
        })
    }

    /// The title (its key).
    pub fn title(&self) -> &str {
        self.body.get("title").and_then(Value::as_str).unwrap_or_default()
    }
}

/// A security role, by name. The body is Kibana's role body (`description`, `elasticsearch`, `kibana`,
/// `metadata`), checked against the generated request type (`kibana::generated::types::PutSecurityRoleNameBody`)
/// by the plan; the ownership marker goes into `metadata`.
///
/// ```
/// use kibana::config::RoleSpec;
/// use kibana::generated::types::PutSecurityRoleNameBody;
///
/// let body: PutSecurityRoleNameBody = serde_json::from_value(serde_json::json!({
///     "elasticsearch": {"indices": [{"names": ["logs-*"], "privileges": ["read"]}]},
///     "kibana": [{"base": ["read"], "spaces": ["ops"]}]
/// })).unwrap();
/// let role = RoleSpec::new("ops-reader", &body).unwrap();
/// assert_eq!(role.name, "ops-reader");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleSpec {
    /// The role name.
    pub name: String,
    /// Kibana's role body.
    #[serde(flatten)]
    pub body: Map<String, Value>,
}

impl RoleSpec {
    /// A role from the generated request type.
    pub fn new(name: impl Into<String>, body: &types::PutSecurityRoleNameBody) -> Result<Self, Error> {
        let body = match serde_json::to_value(body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => Map::new(),
            Err(e) => return Err(Error::InvalidRequest(format!("cannot encode the role: {e}"))),
        };
        Ok(Self {
            name: name.into(),
            body,
        })
    }
}
