//! What the plan refuses, all at once and before anything is written: [`Problem`]s of the declared state alone
//! (duplicates, invalid values, configs or params that do not read as their typed model), and those that need
//! what Kibana has (an unknown space, a rule action whose connector is neither declared nor in Kibana).

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Address, DeclaredState, Kind, Ownership, SecretsPolicy, typed};
use crate::{SpaceId, generated::types};

/// One thing wrong with a declared state.
///
/// ```
/// use kibana::config::{Address, Kind, Problem};
///
/// let problem = Problem::new(Some(Address::new(Kind::Connector, Some("ops"), "x")), "the name must not be empty");
/// assert_eq!(problem.to_string(), "connector ops/x: the name must not be empty");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// The resource it is about (`None`: the state or the options as a whole).
    pub address: Option<Address>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem.
    pub fn new(address: Option<Address>, message: impl Into<String>) -> Self {
        Self {
            address,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.address {
            Some(address) => write!(f, "{address}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Collects problems.
#[derive(Default)]
pub(crate) struct Problems(pub(crate) Vec<Problem>);

impl Problems {
    pub(crate) fn add(&mut self, address: &Address, message: impl Into<String>) {
        self.0.push(Problem::new(Some(address.clone()), message));
    }

    pub(crate) fn general(&mut self, message: impl Into<String>) {
        self.0.push(Problem::new(None, message));
    }
}

/// A schedule interval Kibana reads: a number and `s`, `m`, `h` or `d`.
fn valid_interval(interval: &str) -> bool {
    let Some(unit) = interval.chars().last() else {
        return false;
    };
    let digits = &interval[..interval.len() - unit.len_utf8()];
    matches!(unit, 's' | 'm' | 'h' | 'd') && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn check_space_id(problems: &mut Problems, address: &Address, space: &str) {
    if let Err(error) = SpaceId::new(space) {
        problems.add(address, error.to_string());
    }
}

/// Kibana's request body, checked against the generated type (with unknown fields reported).
fn check_body<T: Serialize + serde::de::DeserializeOwned>(
    problems: &mut Problems,
    address: &Address,
    body: &serde_json::Map<String, Value>,
    what: &str,
) {
    if let Err(error) = typed::round_trip::<T>(&Value::Object(body.clone())) {
        problems.add(address, format!("not a valid {what} body: {error}"));
    }
}

/// Every address of the state, each with how many times it is declared.
pub(crate) fn addresses(state: &DeclaredState) -> BTreeMap<Address, usize> {
    let mut out = BTreeMap::new();
    let mut add = |address: Address| *out.entry(address).or_insert(0) += 1;
    for space in &state.spaces {
        add(Address::new(Kind::Space, None, &space.id));
    }
    for role in &state.roles {
        add(Address::new(Kind::Role, None, &role.name));
    }
    for c in &state.connectors {
        add(Address::new(Kind::Connector, Some(&c.space), &c.id));
    }
    for v in &state.data_views {
        add(Address::new(Kind::DataView, Some(&v.space), &v.id));
    }
    for w in &state.maintenance_windows {
        add(Address::new(Kind::MaintenanceWindow, Some(&w.space), w.title()));
    }
    for r in &state.rules {
        add(Address::new(Kind::Rule, Some(&r.space), &r.id));
    }
    for d in &state.default_data_views {
        add(Address::default_data_view(&d.space));
    }
    out
}

/// The problems of the state alone.
pub(crate) fn local(state: &DeclaredState, ownership: &Ownership, default_policy: SecretsPolicy) -> Problems {
    let mut problems = Problems::default();
    if let Some(problem) = ownership.problem() {
        problems.general(problem);
    }
    for (address, count) in addresses(state) {
        if count > 1 {
            problems.add(&address, format!("declared {count} times"));
        }
    }
    for space in &state.spaces {
        let address = Address::new(Kind::Space, None, &space.id);
        if let Err(error) = space.validate() {
            problems.add(&address, error.to_string());
        }
    }
    for c in &state.connectors {
        let address = Address::new(Kind::Connector, Some(&c.space), &c.id);
        check_space_id(&mut problems, &address, &c.space);
        if c.id.is_empty() {
            problems.add(&address, "the id must not be empty");
        }
        if c.name.trim().is_empty() {
            problems.add(&address, "the name must not be empty");
        }
        if !c.config.is_object() {
            problems.add(&address, "the config must be an object");
        } else if let Some(Err(error)) = typed::connector_config(&c.connector_type_id, &c.config) {
            problems.add(
                &address,
                format!("the {} config does not validate: {error}", c.connector_type_id),
            );
        }
        if c.connector_type_id.is_empty() {
            problems.add(&address, "the connector type must not be empty");
        }
        let policy = c.secrets_policy.unwrap_or(default_policy);
        if policy == SecretsPolicy::WhenFingerprintChanges && c.secrets.is_some() && c.secrets_fingerprint.is_none() {
            problems.add(
                &address,
                "secrets_policy when_fingerprint_changes needs a secrets_fingerprint",
            );
        }
    }
    for r in &state.rules {
        let address = Address::new(Kind::Rule, Some(&r.space), &r.id);
        check_space_id(&mut problems, &address, &r.space);
        for (field, value) in [
            ("id", &r.id),
            ("name", &r.name),
            ("rule_type_id", &r.rule_type_id),
            ("consumer", &r.consumer),
        ] {
            if value.trim().is_empty() {
                problems.add(&address, format!("the {field} must not be empty"));
            }
        }
        if !valid_interval(&r.schedule.interval) {
            problems.add(
                &address,
                format!(
                    "schedule interval {:?} is not a number followed by s, m, h or d",
                    r.schedule.interval
                ),
            );
        }
        if !r.params.is_object() {
            problems.add(&address, "the params must be an object");
        } else if let Some(Err(error)) = typed::rule_params(&r.rule_type_id, &r.params) {
            problems.add(
                &address,
                format!("the {} params do not validate: {error}", r.rule_type_id),
            );
        }
        for (i, action) in r.actions.iter().enumerate() {
            if action.id.is_empty() || action.group.is_empty() {
                problems.add(&address, format!("action {i} needs a connector id and a group"));
            }
            if !action.params.is_object() {
                problems.add(&address, format!("action {i}: the params must be an object"));
            }
        }
    }
    for v in &state.data_views {
        let address = Address::new(Kind::DataView, Some(&v.space), &v.id);
        check_space_id(&mut problems, &address, &v.space);
        if v.id.is_empty() {
            problems.add(&address, "the id must not be empty");
        }
        let mut view = crate::data_views::DataView::new(v.title.clone());
        view.runtime_field_map = v.runtime_field_map.clone();
        if let Err(error) = crate::data_views::validate_view(&view) {
            problems.add(&address, error.to_string());
        }
    }
    for d in &state.default_data_views {
        let address = Address::default_data_view(&d.space);
        check_space_id(&mut problems, &address, &d.space);
        if d.data_view.is_empty() {
            problems.add(&address, "the data view id must not be empty");
        }
    }
    for w in &state.maintenance_windows {
        let address = Address::new(Kind::MaintenanceWindow, Some(&w.space), w.title());
        check_space_id(&mut problems, &address, &w.space);
        if w.title().trim().is_empty() {
            problems.add(&address, "the title (a maintenance window's key) must not be empty");
        }
        check_body::<types::PostMaintenanceWindowBody>(&mut problems, &address, &w.body, "maintenance window");
    }
    for role in &state.roles {
        let address = Address::new(Kind::Role, None, &role.name);
        if role.name.is_empty() || role.name.chars().count() > 1024 {
            problems.add(&address, "a role name has 1 to 1024 characters");
        }
        check_body::<types::PutSecurityRoleNameBody>(&mut problems, &address, &role.body, "role");
    }
    problems
}

/// What Kibana has that the remote checks need.
pub(crate) struct Known<'a> {
    /// Spaces that exist.
    pub(crate) spaces: &'a BTreeSet<String>,
    /// Connectors that exist (preconfigured ones included): (space, id) → type.
    pub(crate) connectors: &'a BTreeMap<(String, String), String>,
    /// Data views that exist: (space, id).
    pub(crate) data_views: &'a BTreeSet<(String, String)>,
}

/// The problems that need what Kibana has.
pub(crate) fn remote(state: &DeclaredState, known: &Known<'_>, problems: &mut Problems) {
    let declared_spaces: BTreeSet<&str> = state.spaces.iter().map(|s| s.id.as_str()).collect();
    let space_known =
        |space: &str| space == SpaceId::DEFAULT || declared_spaces.contains(space) || known.spaces.contains(space);
    let check_space = |problems: &mut Problems, address: &Address, space: &str| {
        if SpaceId::new(space).is_ok() && !space_known(space) {
            problems.add(
                address,
                format!("space {space:?} is neither declared nor in Kibana (Kibana would put it in a phantom space)"),
            );
        }
    };
    for c in &state.connectors {
        check_space(
            problems,
            &Address::new(Kind::Connector, Some(&c.space), &c.id),
            &c.space,
        );
    }
    for v in &state.data_views {
        check_space(problems, &Address::new(Kind::DataView, Some(&v.space), &v.id), &v.space);
    }
    for w in &state.maintenance_windows {
        check_space(
            problems,
            &Address::new(Kind::MaintenanceWindow, Some(&w.space), w.title()),
            &w.space,
        );
    }
    let declared_connectors: BTreeSet<(&str, &str)> = state
        .connectors
        .iter()
        .map(|c| (c.space.as_str(), c.id.as_str()))
        .collect();
    for r in &state.rules {
        let address = Address::new(Kind::Rule, Some(&r.space), &r.id);
        check_space(problems, &address, &r.space);
        for (i, action) in r.actions.iter().enumerate() {
            let declared = declared_connectors.contains(&(r.space.as_str(), action.id.as_str()));
            let exists = known.connectors.contains_key(&(r.space.clone(), action.id.clone()));
            if !action.id.is_empty() && !declared && !exists {
                problems.add(
                    &address,
                    format!(
                        "action {i} runs connector {:?}, which is neither declared in space {:?} nor in Kibana",
                        action.id, r.space
                    ),
                );
            }
        }
    }
    let declared_views: BTreeSet<(&str, &str)> = state
        .data_views
        .iter()
        .map(|v| (v.space.as_str(), v.id.as_str()))
        .collect();
    for d in &state.default_data_views {
        let address = Address::default_data_view(&d.space);
        check_space(problems, &address, &d.space);
        let declared = declared_views.contains(&(d.space.as_str(), d.data_view.as_str()));
        if !d.data_view.is_empty() && !declared && !known.data_views.contains(&(d.space.clone(), d.data_view.clone())) {
            problems.add(
                &address,
                format!(
                    "data view {:?} is neither declared in space {:?} nor in Kibana",
                    d.data_view, d.space
                ),
            );
        }
    }
    for role in &state.roles {
        let address = Address::new(Kind::Role, None, &role.name);
        let spaces = role.body.get("kibana").and_then(Value::as_array).into_iter().flatten();
        for space in spaces.flat_map(|grant| grant["spaces"].as_array().cloned().unwrap_or_default()) {
            if let Some(space) = space.as_str().filter(|s| *s != "*")
                && !space_known(space)
            {
                problems.add(
                    &address,
                    format!("grants space {space:?}, which is neither declared nor in Kibana"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert!(valid_interval("1m") && valid_interval("30s") && valid_interval("12h"));
        assert!(!valid_interval("m") && !valid_interval("1w") && !valid_interval("") && !valid_interval("1.5m"));
    }
}
