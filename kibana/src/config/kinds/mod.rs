//! Per kind: what is compared (the declared and the observed side in one shape), the object's version, and how a
//! Kibana object becomes declared state again (pull). The calls to Kibana are in [`io`].

pub(crate) mod io;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{
    Address, Kind, Ownership,
    ownership::ROLE_METADATA_KEY,
    secrets::ResolvedSecrets,
    state::{ConnectorSpec, DataViewSpec, DefaultDataViewSpec, MaintenanceWindowSpec, RoleSpec, RuleSpec},
    typed,
};
use crate::Space;

/// What a declared resource sends: its spec, as the apply writes it.
#[derive(Clone, Debug)]
pub(crate) enum Payload {
    Space(Space),
    Connector {
        spec: ConnectorSpec,
        /// The secrets to send (resolved when the plan decided to send them).
        secrets: Option<ResolvedSecrets>,
    },
    /// With the ownership tag among its tags.
    Rule(RuleSpec),
    DataView(DataViewSpec),
    DefaultDataView(String),
    MaintenanceWindow(Map<String, Value>),
    /// With the ownership marker in its metadata.
    Role(Map<String, Value>),
}

/// An object Kibana has, as listed.
#[derive(Clone, Debug)]
pub(crate) struct Observed {
    /// Kibana's id (a maintenance window's; the key otherwise).
    pub(crate) kibana_id: String,
    /// The object, in the shape its kind's list answers (a data view in the data views API's shape).
    pub(crate) raw: Value,
}

/// Map paths compared whole (see [`super::diff`]).
pub(crate) fn whole(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Connector => &["config.headers"],
        Kind::DataView => &["runtimeFieldMap", "fieldFormats"],
        Kind::Role => &["metadata", "kibana[].feature"],
        _ => &[],
    }
}

fn pick(raw: &Value, keys: &[&str]) -> Value {
    let mut out = Map::new();
    for key in keys {
        if let Some(value) = raw.get(*key) {
            out.insert((*key).to_owned(), value.clone());
        }
    }
    Value::Object(out)
}

fn without(value: Value, keys: &[&str]) -> Value {
    match value {
        Value::Object(mut map) => {
            for key in keys {
                map.remove(*key);
            }
            Value::Object(map)
        }
        other => other,
    }
}

const RULE_FIELDS: &[&str] = &[
    "name",
    "rule_type_id",
    "consumer",
    "schedule",
    "params",
    "actions",
    "tags",
    "enabled",
];
const DATA_VIEW_FIELDS: &[&str] = &[
    "title",
    "name",
    "timeFieldName",
    "runtimeFieldMap",
    "fieldFormats",
    "sourceFilters",
    "allowNoIndex",
];
const WINDOW_FIELDS: &[&str] = &["title", "enabled", "schedule", "scope"];
const ROLE_FIELDS: &[&str] = &["description", "elasticsearch", "kibana", "metadata"];

/// Rule actions without what Kibana adds to them (their `uuid`, the connector's type).
fn actions_as_declared(actions: &Value) -> Value {
    match actions {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|a| without(a.clone(), &["uuid", "connector_type_id"]))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The compared form of what Kibana has.
pub(crate) fn observed_form(kind: Kind, raw: &Value) -> Value {
    match kind {
        Kind::Space => without(raw.clone(), &["id", "_reserved"]),
        Kind::Connector => {
            let type_id = raw["connector_type_id"].as_str().unwrap_or_default();
            json!({
                "name": raw["name"],
                "connector_type_id": type_id,
                "config": typed::normalized_config(type_id, &raw["config"]),
            })
        }
        Kind::Rule => {
            let mut form = pick(raw, RULE_FIELDS);
            form["actions"] = actions_as_declared(&raw["actions"]);
            form
        }
        Kind::DataView => pick(raw, DATA_VIEW_FIELDS),
        Kind::DefaultDataView => json!({"data_view_id": raw["data_view_id"]}),
        Kind::MaintenanceWindow => pick(raw, WINDOW_FIELDS),
        Kind::Role => pick(raw, ROLE_FIELDS),
    }
}

/// The compared form of what is declared.
pub(crate) fn desired_form(payload: &Payload) -> Value {
    match payload {
        Payload::Space(space) => without(serde_json::to_value(space).unwrap_or_default(), &["id"]),
        Payload::Connector { spec, .. } => json!({
            "name": spec.name,
            "connector_type_id": spec.connector_type_id,
            "config": typed::normalized_config(&spec.connector_type_id, &spec.config),
        }),
        Payload::Rule(rule) => json!({
            "name": rule.name,
            "rule_type_id": rule.rule_type_id,
            "consumer": rule.consumer,
            "schedule": rule.schedule,
            "params": rule.params,
            "actions": actions_as_declared(&serde_json::to_value(&rule.actions).unwrap_or_default()),
            "tags": rule.tags,
            "enabled": rule.enabled,
        }),
        Payload::DataView(view) => {
            let mut form = without(serde_json::to_value(view).unwrap_or_default(), &["space", "id"]);
            // Compared whole even when empty: what is not declared is removed.
            form["runtimeFieldMap"] = serde_json::to_value(&view.runtime_field_map).unwrap_or_default();
            form["fieldFormats"] = serde_json::to_value(&view.field_formats).unwrap_or_default();
            form["sourceFilters"] = serde_json::to_value(&view.source_filters).unwrap_or_default();
            form
        }
        Payload::DefaultDataView(id) => json!({"data_view_id": id}),
        Payload::MaintenanceWindow(body) => pick(&Value::Object(body.clone()), WINDOW_FIELDS),
        Payload::Role(body) => {
            let mut form = pick(&Value::Object(body.clone()), ROLE_FIELDS);
            // Declared even when empty: Kibana's role body replaces these.
            for key in ["elasticsearch", "kibana", "metadata"] {
                if form.get(key).is_none() {
                    form[key] = if key == "kibana" { json!([]) } else { json!({}) };
                }
            }
            form
        }
    }
}

/// The rule as written: the ownership tag among its tags.
pub(crate) fn marked_rule(rule: &RuleSpec, ownership: &Ownership) -> RuleSpec {
    let mut rule = rule.clone();
    let tag = ownership.rule_tag();
    if !rule.tags.contains(&tag) {
        rule.tags.push(tag);
    }
    rule
}

/// The role body as written: the ownership marker in its metadata.
pub(crate) fn marked_role(role: &RoleSpec, ownership: &Ownership) -> Map<String, Value> {
    let mut body = role.body.clone();
    let metadata = body.entry("metadata").or_insert_with(|| json!({}));
    if !metadata.is_object() {
        *metadata = json!({});
    }
    metadata[ROLE_METADATA_KEY] = json!(ownership.marker());
    body
}

/// `value` with object keys sorted at every level, so that its hash does not depend on the order Kibana sent.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), canonical(&map[k]))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

pub(crate) fn fingerprint(value: &Value) -> String {
    let digest = Sha256::digest(canonical(value).to_string().as_bytes());
    format!("sha256:{}", hex::encode(&digest[..12]))
}

/// The object's version: Kibana's own where it has one (a data view's saved-object version, a rule's revision and
/// update time, a maintenance window's update time), a fingerprint of the object otherwise. Computed the same way
/// from a list item and from a read of the one object.
pub(crate) fn version(kind: Kind, raw: &Value) -> String {
    let kibana = match kind {
        Kind::DataView => raw["version"].as_str().map(str::to_owned),
        Kind::Rule => raw["updated_at"]
            .as_str()
            .map(|at| format!("revision {} at {at}", raw["revision"])),
        Kind::MaintenanceWindow => raw["updated_at"].as_str().map(str::to_owned),
        Kind::DefaultDataView => Some(format!(
            "default {:?}",
            raw["data_view_id"].as_str().unwrap_or_default()
        )),
        Kind::Space | Kind::Connector | Kind::Role => None,
    };
    kibana.unwrap_or_else(|| {
        let relevant = match kind {
            Kind::Connector => pick(raw, &["name", "connector_type_id", "config"]),
            Kind::Role => pick(raw, ROLE_FIELDS),
            _ => observed_form(kind, raw),
        };
        fingerprint(&relevant)
    })
}

/// What an object becomes in declared state (pull), without what Kibana fills in; `None` for what is not managed
/// as code (preconfigured connectors, reserved roles, an unset default data view).
pub(crate) fn pulled(address: &Address, raw: &Value, ownership: &Ownership) -> Option<Pulled> {
    let space = address.space_or_default().to_owned();
    let stripped = |value: Value| strip_empty(value).unwrap_or_else(|| json!({}));
    Some(match address.kind {
        Kind::Space => {
            let space: Space = serde_json::from_value(raw.clone()).ok()?;
            Pulled::Space(space)
        }
        Kind::Connector => {
            if raw["is_preconfigured"].as_bool() == Some(true) || raw["is_system_action"].as_bool() == Some(true) {
                return None;
            }
            Pulled::Connector(ConnectorSpec::raw(
                space,
                address.key.clone(),
                raw["name"].as_str().unwrap_or_default(),
                raw["connector_type_id"].as_str().unwrap_or_default(),
                stripped(raw["config"].clone()),
            ))
        }
        Kind::Rule => {
            let mut form = observed_form(Kind::Rule, raw);
            let tag = ownership.rule_tag();
            if let Some(tags) = form["tags"].as_array_mut() {
                tags.retain(|t| t.as_str() != Some(&tag));
            }
            let mut form = stripped(form);
            form["space"] = json!(space);
            form["id"] = json!(address.key);
            form.as_object_mut()?.entry("enabled").or_insert(json!(true));
            form.as_object_mut()?.entry("params").or_insert(json!({}));
            Pulled::Rule(serde_json::from_value(form).ok()?)
        }
        Kind::DataView => {
            let mut form = stripped(observed_form(Kind::DataView, raw));
            form["space"] = json!(space);
            form["id"] = json!(address.key);
            Pulled::DataView(serde_json::from_value(form).ok()?)
        }
        Kind::DefaultDataView => {
            let id = raw["data_view_id"].as_str().filter(|id| !id.is_empty())?;
            Pulled::DefaultDataView(DefaultDataViewSpec {
                space,
                data_view: id.to_owned(),
            })
        }
        Kind::MaintenanceWindow => {
            let form = stripped(observed_form(Kind::MaintenanceWindow, raw));
            Pulled::MaintenanceWindow(MaintenanceWindowSpec {
                space,
                body: form.as_object()?.clone(),
            })
        }
        Kind::Role => {
            if raw["metadata"]["_reserved"].as_bool() == Some(true) {
                return None;
            }
            let mut form = strip_nulls(observed_form(Kind::Role, raw));
            if !form.is_object() {
                return None;
            }
            if let Some(metadata) = form.get_mut("metadata").and_then(Value::as_object_mut) {
                metadata.remove(ROLE_METADATA_KEY);
                if metadata.is_empty() {
                    form.as_object_mut()?.remove("metadata");
                }
            }
            Pulled::Role(RoleSpec {
                name: address.key.clone(),
                body: form.as_object()?.clone(),
            })
        }
    })
}

/// A pulled resource.
pub(crate) enum Pulled {
    Space(Space),
    Connector(ConnectorSpec),
    Rule(RuleSpec),
    DataView(DataViewSpec),
    DefaultDataView(DefaultDataViewSpec),
    MaintenanceWindow(MaintenanceWindowSpec),
    Role(RoleSpec),
}

/// `value` without nulls (and without the empty objects and arrays left once they are gone); `None` when nothing
/// is left. Files cannot all say `null` (TOML cannot), and the comparison treats them all as absent.
pub(crate) fn strip_empty(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Object(map) => {
            let map: Map<String, Value> = map
                .into_iter()
                .filter_map(|(k, v)| strip_empty(v).map(|v| (k, v)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        Value::Array(items) => {
            let items: Vec<Value> = items
                .into_iter()
                .map(|v| strip_empty(v).unwrap_or_else(|| json!({})))
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        other => Some(other),
    }
}

/// `value` without nulls, empty objects and arrays kept (a role's body needs its `base: []`).
pub(crate) fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}
