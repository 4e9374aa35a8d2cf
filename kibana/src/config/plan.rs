//! [`Kibana::plan`]: read what Kibana has (one list per kind and space), compare it with the declared state, and
//! say what an apply would do, field by field.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    sync::Arc,
};

use futures::{StreamExt, stream};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    Address, DeclaredState, Kind, Ownership, Problem, SecretsLedger, SecretsNote, SecretsPolicy,
    diff::{self, FieldChange},
    kinds::{self, Observed, Payload},
    ownership::ROLE_METADATA_KEY,
    validate::{self, Known, Problems},
};
use crate::{Error, Kibana, SpaceId};

/// Reads secret references (`${env:NAME}`): the process environment unless replaced.
type SecretLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// How a plan is made.
///
/// ```
/// use kibana::config::{Ownership, PlanOptions, SecretsPolicy};
///
/// let options = PlanOptions::new()
///     .prune(true)
///     .ownership(Ownership::new("platform").key_prefix("iac-"))
///     .secrets_policy(SecretsPolicy::WhenFingerprintChanges)
///     .concurrency(16);
/// assert!(options.prunes());
/// ```
#[derive(Clone)]
#[must_use]
pub struct PlanOptions {
    prune: bool,
    adopt: bool,
    ownership: Ownership,
    secrets_policy: SecretsPolicy,
    secrets_ledger: SecretsLedger,
    concurrency: usize,
    lookup: SecretLookup,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            prune: false,
            adopt: false,
            ownership: Ownership::default(),
            secrets_policy: SecretsPolicy::default(),
            secrets_ledger: SecretsLedger::default(),
            concurrency: 8,
            lookup: Arc::new(|name| std::env::var(name).ok()),
        }
    }
}

impl fmt::Debug for PlanOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlanOptions")
            .field("prune", &self.prune)
            .field("adopt", &self.adopt)
            .field("ownership", &self.ownership)
            .field("secrets_policy", &self.secrets_policy)
            .field("secrets_ledger", &self.secrets_ledger)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl PlanOptions {
    /// No pruning, no adoption, [`Ownership::default`], secrets sent on create, 8 reads at a time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Deletes objects this tool owns that the state no longer declares, in the declared spaces and kinds only
    /// (default: off; nothing is ever deleted otherwise).
    pub fn prune(mut self, prune: bool) -> Self {
        self.prune = prune;
        self
    }

    /// Whether the plan prunes.
    pub fn prunes(&self) -> bool {
        self.prune
    }

    /// Puts the ownership marker on declared objects Kibana has without it (they become prunable). Off by
    /// default, so that pulling a Kibana then planning finds nothing to do.
    pub fn adopt(mut self, adopt: bool) -> Self {
        self.adopt = adopt;
        self
    }

    /// How owned objects are marked.
    pub fn ownership(mut self, ownership: Ownership) -> Self {
        self.ownership = ownership;
        self
    }

    /// When connector secrets are sent again, for connectors that do not choose (default: on create).
    pub fn secrets_policy(mut self, policy: SecretsPolicy) -> Self {
        self.secrets_policy = policy;
        self
    }

    /// The fingerprints recorded when secrets were last sent.
    pub fn secrets_ledger(mut self, ledger: SecretsLedger) -> Self {
        self.secrets_ledger = ledger;
        self
    }

    /// How many list requests run at a time (at least 1).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Reads `${env:NAME}` references through `lookup` instead of the process environment.
    pub fn secret_lookup(mut self, lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        self.lookup = Arc::new(lookup);
        self
    }
}

/// What an apply does to one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Creates it.
    Create,
    /// Changes it.
    Update,
    /// Deletes it (pruning only).
    Delete,
}

impl Action {
    /// `+`, `~` or `-`.
    pub fn symbol(self) -> char {
        match self {
            Action::Create => '+',
            Action::Update => '~',
            Action::Delete => '-',
        }
    }
}

/// One planned change.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// The resource.
    pub address: Address,
    /// What happens to it.
    pub action: Action,
    /// The fields that change (every declared field for a create; none for a delete).
    pub fields: Vec<FieldChange>,
    /// What happens to a connector's secrets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<SecretsNote>,
    /// Anything else worth knowing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The object's version when planned (an update or delete is refused if it changed since).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip)]
    pub(crate) kibana_id: String,
    #[serde(skip)]
    pub(crate) payload: Option<Payload>,
    #[serde(skip)]
    pub(crate) depends_on: Vec<Address>,
    /// The fingerprint to record in the ledger once the secrets are sent.
    #[serde(skip)]
    pub(crate) fingerprint: Option<String>,
}

/// Why there is no plan.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The declared state is invalid: every problem found (nothing was written).
    #[error("the declared state is invalid ({} problem{}):\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, list(.0))]
    Invalid(Vec<Problem>),
    /// Reading what Kibana has failed (nothing was written).
    #[error("reading Kibana failed: {0}")]
    Kibana(#[from] Error),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl PlanError {
    /// The problems, when the state is invalid.
    pub fn problems(&self) -> &[Problem] {
        match self {
            PlanError::Invalid(problems) => problems,
            PlanError::Kibana(_) => &[],
        }
    }
}

/// What an apply would do: prints like `terraform plan` and serialises to JSON (`serde_json::to_string(&plan)`)
/// for CI. It holds what the apply sends, secrets included, but neither its `Display`, its `Debug` nor its JSON
/// shows them.
///
/// ```no_run
/// # async fn demo(client: kibana::Kibana, state: kibana::config::DeclaredState) -> Result<(), Box<dyn std::error::Error>> {
/// let plan = client.plan(&state).await?;
/// println!("{plan}");
/// if !plan.is_empty() {
///     let report = client.apply(&plan).await;
///     println!("{report}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Serialize)]
pub struct Plan {
    target: String,
    changes: Vec<Change>,
    unchanged: usize,
    /// Objects found in the declared spaces and kinds that the state does not declare and that were left alone
    /// (not owned, or pruning off).
    left_alone: usize,
    notes: Vec<String>,
    /// How many list requests the plan sent.
    reads: usize,
    #[serde(skip)]
    pub(crate) ledger: SecretsLedger,
}

impl Plan {
    /// The changes, in apply order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether the apply would do nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many declared resources already match.
    pub fn unchanged(&self) -> usize {
        self.unchanged
    }

    /// How many objects in the declared spaces and kinds are not declared and were left alone.
    pub fn left_alone(&self) -> usize {
        self.left_alone
    }

    /// Notes about the plan as a whole (kinds that cannot be pruned...).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// How many requests reading Kibana took.
    pub fn reads(&self) -> usize {
        self.reads
    }

    /// How many changes of each action.
    pub fn count(&self, action: Action) -> usize {
        self.changes.iter().filter(|c| c.action == action).count()
    }

    /// The summary line: `Plan: 2 to create, 1 to update, 0 to delete; 10 unchanged.`
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return format!(
                "No changes: Kibana matches the declared state ({} resource{}).",
                self.unchanged,
                if self.unchanged == 1 { "" } else { "s" }
            );
        }
        format!(
            "Plan: {} to create, {} to update, {} to delete; {} unchanged.",
            self.count(Action::Create),
            self.count(Action::Update),
            self.count(Action::Delete),
            self.unchanged
        )
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  {} {}", self.action.symbol(), self.address)?;
        for field in &self.fields {
            match self.action {
                Action::Create => writeln!(
                    f,
                    "      {} = {}",
                    field.path,
                    field.new.as_ref().map(diff::show).unwrap_or_default()
                )?,
                _ => writeln!(f, "      {field}")?,
            }
        }
        if let Some(secrets) = &self.secrets {
            writeln!(f, "      secrets: {secrets}")?;
        }
        for note in &self.notes {
            writeln!(f, "      # {note}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Kibana plan for {}", self.target)?;
        if !self.changes.is_empty() {
            writeln!(f)?;
            writeln!(f, "  + create   ~ update   - delete")?;
            writeln!(f)?;
        }
        for change in &self.changes {
            write!(f, "{change}")?;
        }
        for note in &self.notes {
            writeln!(f, "  # {note}")?;
        }
        if self.left_alone > 0 {
            writeln!(
                f,
                "  # {} object{} in the declared spaces and kinds not declared and left alone",
                self.left_alone,
                if self.left_alone == 1 { "" } else { "s" }
            )?;
        }
        writeln!(f)?;
        write!(f, "{}", self.summary())
    }
}

/// What Kibana has, as far as the state needs.
#[derive(Default)]
pub(crate) struct Remote {
    pub(crate) spaces: BTreeSet<String>,
    pub(crate) objects: BTreeMap<Address, Observed>,
    /// (kind, space) pairs read (`default` for global kinds).
    pub(crate) listed: BTreeSet<(Kind, String)>,
    /// Every connector Kibana has (preconfigured included): (space, id) → type.
    pub(crate) connectors: BTreeMap<(String, String), String>,
    /// Maintenance window titles Kibana has more than once, per space.
    pub(crate) ambiguous: BTreeSet<Address>,
    pub(crate) reads: usize,
}

/// Reads the kinds needed in each space (and the global kinds), `concurrency` lists at a time.
pub(crate) async fn observe(
    client: &Kibana,
    spaces_wanted: Option<&BTreeSet<String>>,
    global: &BTreeSet<Kind>,
    per_space: &dyn Fn(&str) -> BTreeSet<Kind>,
    concurrency: usize,
) -> Result<Remote, Error> {
    let mut remote = Remote::default();
    let spaces = kinds::io::list(client, Kind::Space, SpaceId::DEFAULT).await?;
    remote.reads += 1;
    remote.listed.insert((Kind::Space, SpaceId::DEFAULT.to_owned()));
    for (id, _) in &spaces {
        remote.spaces.insert(id.clone());
        // Listing spaces proves they exist: the per-space calls below need no existence check of their own.
        client.shared.spaces.record(id, true);
    }
    if global.contains(&Kind::Space) {
        for (id, observed) in spaces {
            remote.objects.insert(Address::new(Kind::Space, None, id), observed);
        }
    }
    let mut tasks: Vec<(Kind, String)> = global
        .iter()
        .filter(|k| **k == Kind::Role)
        .map(|k| (*k, SpaceId::DEFAULT.to_owned()))
        .collect();
    for space in remote
        .spaces
        .iter()
        .filter(|s| spaces_wanted.is_none_or(|w| w.contains(*s)))
    {
        tasks.extend(per_space(space).into_iter().map(|kind| (kind, space.clone())));
    }
    let results: Vec<_> = stream::iter(tasks)
        .map(|(kind, space)| async move {
            let listed = kinds::io::list(client, kind, &space).await;
            (kind, space, listed)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    for (kind, space, listed) in results {
        remote.reads += 1;
        let listed = listed?;
        remote.listed.insert((kind, space.clone()));
        let space_of = (!kind.is_global()).then_some(space.as_str());
        for (key, observed) in listed {
            if kind == Kind::Connector {
                let type_id = observed.raw["connector_type_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                remote.connectors.insert((space.clone(), key.clone()), type_id);
                if observed.raw["is_preconfigured"].as_bool() == Some(true)
                    || observed.raw["is_system_action"].as_bool() == Some(true)
                {
                    continue;
                }
            }
            let address = Address::new(kind, space_of, key);
            if remote.objects.insert(address.clone(), observed).is_some() && kind == Kind::MaintenanceWindow {
                remote.ambiguous.insert(address);
            }
        }
    }
    Ok(remote)
}

/// The ownership marker removed from a compared form (the marker is written, never compared).
fn unmarked(kind: Kind, mut form: Value, ownership: &Ownership) -> Value {
    match kind {
        Kind::Rule => {
            let tag = ownership.rule_tag();
            if let Some(tags) = form.get_mut("tags").and_then(Value::as_array_mut) {
                tags.retain(|t| t.as_str() != Some(tag.as_str()));
            }
        }
        Kind::Role => {
            if let Some(metadata) = form.get_mut("metadata").and_then(Value::as_object_mut) {
                metadata.remove(ROLE_METADATA_KEY);
            }
        }
        _ => {}
    }
    form
}

/// One declared resource, ready to compare.
struct Declared {
    address: Address,
    /// The payload written when the object is created or marked (with the ownership marker).
    marked: Payload,
    /// The payload written to an object Kibana has without the marker (when not adopting).
    unmarked: Payload,
    depends_on: Vec<Address>,
}

fn declared(state: &DeclaredState, ownership: &Ownership) -> Vec<Declared> {
    let mut out = Vec::new();
    let space_dependency = |space: &str| Address::new(Kind::Space, None, space);
    for space in &state.spaces {
        let payload = Payload::Space(space.clone());
        out.push(Declared {
            address: Address::new(Kind::Space, None, &space.id),
            marked: payload.clone(),
            unmarked: payload,
            depends_on: Vec::new(),
        });
    }
    for role in &state.roles {
        let spaces = role.body.get("kibana").and_then(Value::as_array).into_iter().flatten();
        let depends_on = spaces
            .flat_map(|grant| grant["spaces"].as_array().cloned().unwrap_or_default())
            .filter_map(|s| s.as_str().map(space_dependency))
            .collect();
        out.push(Declared {
            address: Address::new(Kind::Role, None, &role.name),
            marked: Payload::Role(kinds::marked_role(role, ownership)),
            unmarked: Payload::Role(role.body.clone()),
            depends_on,
        });
    }
    for c in &state.connectors {
        let payload = Payload::Connector {
            spec: c.clone(),
            secrets: None,
        };
        out.push(Declared {
            address: Address::new(Kind::Connector, Some(&c.space), &c.id),
            marked: payload.clone(),
            unmarked: payload,
            depends_on: vec![space_dependency(&c.space)],
        });
    }
    for v in &state.data_views {
        let payload = Payload::DataView(v.clone());
        out.push(Declared {
            address: Address::new(Kind::DataView, Some(&v.space), &v.id),
            marked: payload.clone(),
            unmarked: payload,
            depends_on: vec![space_dependency(&v.space)],
        });
    }
    for w in &state.maintenance_windows {
        let payload = Payload::MaintenanceWindow(w.body.clone());
        out.push(Declared {
            address: Address::new(Kind::MaintenanceWindow, Some(&w.space), w.title()),
            marked: payload.clone(),
            unmarked: payload,
            depends_on: vec![space_dependency(&w.space)],
        });
    }
    for r in &state.rules {
        let mut depends_on = vec![space_dependency(&r.space)];
        depends_on.extend(
            r.actions
                .iter()
                .map(|a| Address::new(Kind::Connector, Some(&r.space), &a.id)),
        );
        out.push(Declared {
            address: Address::new(Kind::Rule, Some(&r.space), &r.id),
            marked: Payload::Rule(kinds::marked_rule(r, ownership)),
            unmarked: Payload::Rule(r.clone()),
            depends_on,
        });
    }
    for d in &state.default_data_views {
        let payload = Payload::DefaultDataView(d.data_view.clone());
        out.push(Declared {
            address: Address::default_data_view(&d.space),
            marked: payload.clone(),
            unmarked: payload,
            depends_on: vec![
                space_dependency(&d.space),
                Address::new(Kind::DataView, Some(&d.space), &d.data_view),
            ],
        });
    }
    out
}

/// Decides whether a connector's secrets are sent, and resolves them if so.
fn secrets_decision(
    change: &mut Change,
    payload: &mut Payload,
    observed: Option<&Value>,
    other_changes: bool,
    options: &PlanOptions,
    problems: &mut Problems,
) -> bool {
    let Payload::Connector { spec, secrets } = payload else {
        return false;
    };
    let address = change.address.to_string();
    let policy = spec.secrets_policy.unwrap_or(options.secrets_policy);
    let Some(declared) = spec.secrets.as_ref().filter(|s| !s.is_empty()) else {
        if other_changes && observed.is_some() {
            change
                .notes
                .push("no secrets are declared: the update sends none, and Kibana clears any the connector has".into());
        }
        return false;
    };
    let recorded = options.secrets_ledger.fingerprint(&address);
    let reason = match observed {
        None => Some("the connector is created".to_owned()),
        Some(_) if other_changes => Some("the connector is updated (Kibana's update replaces its secrets)".to_owned()),
        Some(raw) if raw["is_missing_secrets"].as_bool() == Some(true) => {
            Some("Kibana reports the connector's secrets missing".to_owned())
        }
        Some(_) => match policy {
            SecretsPolicy::Always => Some("secrets policy `always`".to_owned()),
            SecretsPolicy::OnCreate => None,
            SecretsPolicy::WhenFingerprintChanges => match (recorded, spec.secrets_fingerprint.as_deref()) {
                (Some(old), Some(new)) if old == new => None,
                (Some(old), Some(new)) => Some(format!("the secrets fingerprint changed ({old} -> {new})")),
                (None, _) => Some("no fingerprint of the secrets last sent is recorded".to_owned()),
                (Some(_), None) => None,
            },
        },
    };
    let sent = reason.is_some();
    change.secrets = Some(SecretsNote {
        fields: declared.fields().count(),
        sent,
        reason: reason.unwrap_or_else(|| match policy {
            SecretsPolicy::OnCreate => "Kibana keeps the secrets it has (secrets policy `on_create`)".to_owned(),
            _ => "the secrets fingerprint is unchanged".to_owned(),
        }),
    });
    if sent {
        match declared.resolve(options.lookup.as_ref()) {
            Ok(resolved) => *secrets = Some(resolved),
            Err(missing) => problems.add(
                &change.address,
                format!(
                    "secrets refer to environment variables that are not set: {}",
                    missing.join(", ")
                ),
            ),
        }
        change.fingerprint = spec.secrets_fingerprint.clone();
    }
    sent
}

impl Kibana {
    /// Plans `state` with the default [`PlanOptions`] (no pruning, secrets sent on create).
    ///
    /// ```no_run
    /// # async fn demo(client: kibana::Kibana) -> Result<(), Box<dyn std::error::Error>> {
    /// let state = kibana::config::DeclaredState::from_path("kibana.toml")?;
    /// let plan = client.plan(&state).await?;
    /// println!("{plan}");
    /// # Ok(()) }
    /// ```
    pub async fn plan(&self, state: &DeclaredState) -> Result<Plan, PlanError> {
        self.plan_with(state, &PlanOptions::default()).await
    }

    /// Plans `state`: validates it, reads what Kibana has (the spaces list, then one list per managed kind and
    /// declared space, a few more pages only past 1,000 objects), and compares. An invalid state is refused with
    /// every problem found; nothing is written either way.
    pub async fn plan_with(&self, state: &DeclaredState, options: &PlanOptions) -> Result<Plan, PlanError> {
        let ownership = &options.ownership;
        let mut problems = validate::local(state, ownership, options.secrets_policy);
        let managed = state.managed_kinds();
        let declared_spaces = state.declared_spaces();
        let per_space = |space: &str| -> BTreeSet<Kind> {
            let mut kinds = BTreeSet::new();
            let mut need = |kind: Kind, present: bool| {
                if present || (options.prune && managed.contains(&kind)) {
                    kinds.insert(kind);
                }
            };
            need(Kind::Connector, state.connectors.iter().any(|c| c.space == space));
            need(Kind::DataView, state.data_views.iter().any(|v| v.space == space));
            need(
                Kind::MaintenanceWindow,
                state.maintenance_windows.iter().any(|w| w.space == space),
            );
            let rules_here = state.rules.iter().any(|r| r.space == space);
            need(Kind::Rule, rules_here);
            let default_here = state.default_data_views.iter().any(|d| d.space == space);
            need(Kind::DefaultDataView, default_here);
            // What the checks need: the connectors rules name, the data view a default names.
            if rules_here {
                kinds.insert(Kind::Connector);
            }
            if default_here {
                kinds.insert(Kind::DataView);
            }
            kinds
        };
        let mut global = BTreeSet::new();
        if managed.contains(&Kind::Space) {
            global.insert(Kind::Space);
        }
        if managed.contains(&Kind::Role) {
            global.insert(Kind::Role);
        }
        let remote = observe(self, Some(&declared_spaces), &global, &per_space, options.concurrency).await?;

        let data_views: BTreeSet<(String, String)> = remote
            .objects
            .keys()
            .filter(|a| a.kind == Kind::DataView)
            .map(|a| (a.space_or_default().to_owned(), a.key.clone()))
            .collect();
        validate::remote(
            state,
            &Known {
                spaces: &remote.spaces,
                connectors: &remote.connectors,
                data_views: &data_views,
            },
            &mut problems,
        );

        let mut changes = Vec::new();
        let mut unchanged = 0;
        for declared in declared(state, ownership) {
            let address = declared.address;
            let kind = address.kind;
            if remote.ambiguous.contains(&address) {
                problems.add(
                    &address,
                    "Kibana has several maintenance windows with this title: the title is the key",
                );
                continue;
            }
            let observed = remote.objects.get(&address).filter(|o| {
                // An unset default data view is nothing to update.
                kind != Kind::DefaultDataView || o.raw["data_view_id"].as_str().is_some_and(|id| !id.is_empty())
            });
            let owned = observed.is_some_and(|o| ownership.owns(kind, &address.key, &o.raw));
            let mark = observed.is_none() || owned || options.adopt;
            let mut payload = if mark { declared.marked } else { declared.unmarked };
            let desired = kinds::desired_form(&payload);
            let mut change = Change {
                address: address.clone(),
                action: Action::Create,
                fields: Vec::new(),
                secrets: None,
                notes: Vec::new(),
                version: None,
                kibana_id: address.key.clone(),
                payload: None,
                depends_on: declared.depends_on,
                fingerprint: None,
            };
            match observed {
                None => {
                    change.fields = diff::additions(&unmarked(kind, desired, ownership));
                    secrets_decision(&mut change, &mut payload, None, true, options, &mut problems);
                }
                Some(observed) => {
                    let form = kinds::observed_form(kind, &observed.raw);
                    if kind == Kind::Connector && form["connector_type_id"] != desired["connector_type_id"] {
                        problems.add(
                            &address,
                            format!(
                                "Kibana has it as a {} connector, declared {}: a connector's type cannot change \
                                 (delete it, or choose another id)",
                                form["connector_type_id"], desired["connector_type_id"]
                            ),
                        );
                        continue;
                    }
                    if kind == Kind::Rule {
                        for field in ["rule_type_id", "consumer"] {
                            if form[field] != desired[field] {
                                problems.add(
                                    &address,
                                    format!(
                                        "Kibana has {field} {}, declared {}: it cannot change (delete the rule, or \
                                         choose another id)",
                                        form[field], desired[field]
                                    ),
                                );
                            }
                        }
                    }
                    change.fields = diff::diff(
                        &unmarked(kind, desired, ownership),
                        &unmarked(kind, form, ownership),
                        kinds::whole(kind),
                    );
                    if mark && !owned && ownership.can_mark(kind) && matches!(kind, Kind::Rule | Kind::Role) {
                        change.notes.push(format!(
                            "adopted: the ownership marker {:?} is added",
                            ownership.marker()
                        ));
                        change.fields.push(FieldChange {
                            path: if kind == Kind::Rule {
                                "tags"
                            } else {
                                "metadata.managed-by"
                            }
                            .into(),
                            old: None,
                            new: Some(json!(if kind == Kind::Rule {
                                ownership.rule_tag()
                            } else {
                                ownership.marker().to_owned()
                            })),
                        });
                    }
                    let other_changes = !change.fields.is_empty();
                    let secrets_sent = secrets_decision(
                        &mut change,
                        &mut payload,
                        Some(&observed.raw),
                        other_changes,
                        options,
                        &mut problems,
                    );
                    if !other_changes && !secrets_sent {
                        unchanged += 1;
                        continue;
                    }
                    change.action = Action::Update;
                    change.version = Some(kinds::version(kind, &observed.raw));
                    change.kibana_id = observed.kibana_id.clone();
                }
            }
            change.payload = Some(payload);
            changes.push(change);
        }

        let mut notes = Vec::new();
        let mut left_alone = 0;
        let declared_addresses = validate::addresses(state);
        for (address, observed) in &remote.objects {
            let kind = address.kind;
            let in_scope = managed.contains(&kind)
                && (kind.is_global() || declared_spaces.contains(address.space_or_default()))
                && remote.listed.contains(&(kind, address.space_or_default().to_owned()));
            // Spaces are never pruned, default data views are settings, reserved roles are Kibana's own: none
            // of them is a candidate to report as left alone.
            let reserved = kind == Kind::Role && observed.raw["metadata"]["_reserved"].as_bool() == Some(true);
            if !in_scope
                || declared_addresses.contains_key(address)
                || matches!(kind, Kind::DefaultDataView | Kind::Space)
                || reserved
            {
                continue;
            }
            let owned = ownership.owns(kind, &address.key, &observed.raw);
            if options.prune && owned {
                changes.push(Change {
                    address: address.clone(),
                    action: Action::Delete,
                    fields: Vec::new(),
                    secrets: None,
                    notes: vec!["owned by this tool and no longer declared".into()],
                    version: Some(kinds::version(kind, &observed.raw)),
                    kibana_id: observed.kibana_id.clone(),
                    payload: None,
                    depends_on: Vec::new(),
                    fingerprint: None,
                });
            } else {
                left_alone += 1;
            }
        }
        if options.prune {
            for kind in &managed {
                if !ownership.can_mark(*kind) {
                    notes.push(match kind {
                        Kind::Space => "spaces are never pruned (pruning works inside the declared spaces)".to_owned(),
                        Kind::DefaultDataView => "a default data view is never pruned".to_owned(),
                        _ => format!(
                            "{kind}s are not pruned: Kibana keeps no tag on them; set Ownership::key_prefix to own \
                             them by key"
                        ),
                    });
                }
            }
        }
        if !problems.0.is_empty() {
            return Err(PlanError::Invalid(problems.0));
        }
        // Apply order: deletes first, what refers to others before what it refers to; then creates and updates,
        // what is referred to first.
        changes.sort_by_cached_key(|c| {
            let step = c.address.kind.step();
            let rank = match c.action {
                Action::Delete => (0, usize::MAX - step),
                _ => (1, step),
            };
            (rank, c.address.clone())
        });
        Ok(Plan {
            target: self.hosts().first().map(|h| h.to_string()).unwrap_or_default(),
            changes,
            unchanged,
            left_alone,
            notes,
            reads: remote.reads,
            ledger: options.secrets_ledger.clone(),
        })
    }
}
