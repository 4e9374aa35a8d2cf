//! The calls to Kibana, per kind: list (one call, or a few pages, per kind and space), read one object, create,
//! update, delete.
//!
//! Spaces, connectors, rules, data views and the default data view go through the SDK's typed APIs or the
//! generated route table; maintenance windows and security roles through the generated operations
//! (`client.api()`) with the generated request types. Generated *answers* are read as JSON (`to_json`): this file
//! names no generated response type, so a change of their names or shapes changes nothing here.

use futures::TryStreamExt;
use kibana_gen::spec::routes;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

use super::{Observed, Payload};
use crate::{
    Error, Kibana,
    config::{Address, Kind},
    data_views::{DataView, DataViewUpdate},
    generated::types,
    rules::NewRule,
    saved_objects::FindOptions,
};

/// Pages of this many objects when a list pages.
const PAGE: u64 = 1000;
/// Kibana's maintenance window find answers at most 100 per page.
const WINDOW_PAGE: std::num::NonZeroU64 = std::num::NonZeroU64::new(100).expect("a page size");

/// A generated answer as JSON (the one adapter from generated response types to this module's shapes).
fn to_json<T: Serialize>(value: kibana_gen::ResponseValue<T>) -> Result<Value, Error> {
    serde_json::to_value(value.into_inner())
        .map_err(|e| Error::InvalidRequest(format!("cannot read a generated answer as JSON: {e}")))
}

/// A declared JSON body as a generated request type.
fn as_request<T: DeserializeOwned>(body: &serde_json::Map<String, Value>, what: &str) -> Result<T, Error> {
    serde_json::from_value(Value::Object(body.clone()))
        .map_err(|e| Error::InvalidRequest(format!("the {what} does not match Kibana's request body: {e}")))
}

fn role_name<T: TryFrom<String>>(name: &str) -> Result<T, Error>
where
    T::Error: std::fmt::Display,
{
    T::try_from(name.to_owned()).map_err(|e| Error::InvalidRequest(format!("role name {name:?}: {e}")))
}

/// `Ok(None)` for a 404.
fn found<T>(result: Result<T, Error>) -> Result<Option<T>, Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

fn in_space(client: &Kibana, space: &str) -> Kibana {
    client.space(space)
}

/// A data view's saved object (`_find` answers them with JSON-encoded attributes) in the data views API's shape.
fn data_view_from_saved_object(object: &Value) -> Value {
    let attributes = &object["attributes"];
    let decoded = |key: &str| match &attributes[key] {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    };
    json!({
        "id": object["id"],
        "version": object["version"],
        "title": attributes["title"],
        "name": attributes["name"],
        "timeFieldName": attributes["timeFieldName"],
        "runtimeFieldMap": decoded("runtimeFieldMap"),
        "fieldFormats": decoded("fieldFormatMap"),
        "sourceFilters": decoded("sourceFilters"),
        "allowNoIndex": attributes["allowNoIndex"],
        "namespaces": object["namespaces"],
    })
}

/// Every object of `kind` in `space` (`None` for global kinds), keyed as declared state keys them.
pub(crate) async fn list(client: &Kibana, kind: Kind, space: &str) -> Result<Vec<(String, Observed)>, Error> {
    let view = in_space(client, space);
    let keyed = |items: Vec<Value>, key: &str| -> Vec<(String, Observed)> {
        items
            .into_iter()
            .filter_map(|raw| {
                let id = raw[key].as_str()?.to_owned();
                Some((id.clone(), Observed { kibana_id: id, raw }))
            })
            .collect()
    };
    match kind {
        Kind::Space => {
            let spaces: Vec<Value> = client
                .default_space()
                .route(&routes::GET_SPACES_SPACE, &[])
                .unscoped()
                .send::<(), _>(None)
                .await?;
            Ok(keyed(spaces, "id"))
        }
        Kind::Connector => {
            let connectors: Vec<Value> = view
                .route(&routes::GET_ACTIONS_CONNECTORS, &[])
                .send::<(), _>(None)
                .await?;
            Ok(keyed(connectors, "id"))
        }
        Kind::Rule => {
            let mut rules = Vec::new();
            for page in 1.. {
                let answer: Value = view
                    .route(&routes::GET_ALERTING_RULES_FIND, &[])
                    .query("per_page", PAGE)
                    .query("page", page)
                    .send::<(), _>(None)
                    .await?;
                let data = answer["data"].as_array().cloned().unwrap_or_default();
                let done = data.len() < PAGE as usize || (page * PAGE) >= answer["total"].as_u64().unwrap_or(0);
                rules.extend(data);
                if done {
                    break;
                }
            }
            Ok(keyed(rules, "id"))
        }
        Kind::DataView => {
            let objects: Vec<crate::saved_objects::SavedObject<Value>> = view
                .saved_objects()
                .find_all(FindOptions::new([crate::data_views::DATA_VIEW_TYPE]).per_page(PAGE))
                .try_collect()
                .await?;
            let views = objects
                .iter()
                .map(|object| data_view_from_saved_object(&serde_json::to_value(object).unwrap_or_default()))
                .collect();
            Ok(keyed(views, "id"))
        }
        Kind::DefaultDataView => {
            let answer: Value = view
                .route(&routes::GET_DATA_VIEWS_DEFAULT, &[])
                .send::<(), _>(None)
                .await?;
            Ok(vec![(
                space.to_owned(),
                Observed {
                    kibana_id: space.to_owned(),
                    raw: answer,
                },
            )])
        }
        Kind::MaintenanceWindow => {
            let api = view.api();
            let mut windows = Vec::new();
            for page in (1..=100).filter_map(std::num::NonZeroU64::new) {
                let answer = to_json(
                    api.get_maintenance_window_find()
                        .page(page)
                        .per_page(WINDOW_PAGE)
                        .await?,
                )?;
                let items = answer["maintenanceWindows"].as_array().cloned().unwrap_or_default();
                let done = (items.len() as u64) < WINDOW_PAGE.get()
                    || (page.get() * WINDOW_PAGE.get()) as f64 >= answer["total"].as_f64().unwrap_or(0.0);
                windows.extend(items);
                if done {
                    break;
                }
            }
            Ok(windows
                .into_iter()
                .filter_map(|raw| {
                    let title = raw["title"].as_str()?.to_owned();
                    let id = raw["id"].as_str()?.to_owned();
                    Some((title, Observed { kibana_id: id, raw }))
                })
                .collect())
        }
        Kind::Role => {
            let roles = to_json(client.default_space().api().get_security_role().await?)?;
            Ok(keyed(roles.as_array().cloned().unwrap_or_default(), "name"))
        }
    }
}

/// One object as it is now (`None`: it does not exist), in the shape [`list`] answers.
pub(crate) async fn read(client: &Kibana, address: &Address, kibana_id: &str) -> Result<Option<Value>, Error> {
    let view = in_space(client, address.space_or_default());
    match address.kind {
        Kind::Space => found(
            client
                .default_space()
                .route(&routes::GET_SPACES_SPACE_ID, &[kibana_id])
                .unscoped()
                .send::<(), Value>(None)
                .await,
        ),
        Kind::Connector => found(
            view.route(&routes::GET_ACTIONS_CONNECTOR_ID, &[kibana_id])
                .send::<(), Value>(None)
                .await,
        ),
        Kind::Rule => found(
            view.route(&routes::GET_ALERTING_RULE_ID, &[kibana_id])
                .send::<(), Value>(None)
                .await,
        ),
        Kind::DataView => {
            let answer = found(
                view.route(&routes::GET_DATA_VIEWS_DATA_VIEW_VIEW_ID, &[kibana_id])
                    .send::<(), Value>(None)
                    .await,
            )?;
            Ok(answer.map(|mut a| a["data_view"].take()))
        }
        Kind::DefaultDataView => view
            .route(&routes::GET_DATA_VIEWS_DEFAULT, &[])
            .send::<(), Value>(None)
            .await
            .map(Some),
        Kind::MaintenanceWindow => match view.api().get_maintenance_window_id(kibana_id).await {
            Ok(answer) => to_json(answer).map(Some),
            Err(Error::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        },
        Kind::Role => {
            let name: types::GetSecurityRoleNameName = role_name(kibana_id)?;
            match client.default_space().api().get_security_role_name(&name).await {
                Ok(answer) => to_json(answer).map(Some),
                Err(Error::NotFound(_)) => Ok(None),
                Err(error) => Err(error),
            }
        }
    }
}

fn rule_body(rule: &crate::config::RuleSpec) -> Value {
    json!({
        "name": rule.name,
        "rule_type_id": rule.rule_type_id,
        "consumer": rule.consumer,
        "schedule": rule.schedule,
        "params": rule.params,
        "actions": rule.actions,
        "tags": rule.tags,
        "enabled": rule.enabled,
    })
}

fn data_view(view: &crate::config::DataViewSpec) -> DataView {
    let mut out = DataView::new(view.title.clone()).id(view.id.clone());
    out.name = view.name.clone();
    out.time_field_name = view.time_field_name.clone();
    out.runtime_field_map = view.runtime_field_map.clone();
    out.field_formats = view.field_formats.clone();
    out.source_filters = view.source_filters.clone();
    out.allow_no_index = view.allow_no_index;
    out
}

/// Creates the object; answers Kibana's id for it. A taken id is [`Error::Conflict`].
pub(crate) async fn create(client: &Kibana, address: &Address, payload: &Payload) -> Result<String, Error> {
    let view = in_space(client, address.space_or_default());
    match payload {
        Payload::Space(space) => client.spaces().create(space).await.map(|s| s.id),
        Payload::Connector { spec, secrets } => {
            let secrets = secrets.as_ref().map_or_else(|| json!({}), |s| s.expose_json());
            view.connectors()
                .create_raw(
                    Some(&spec.id),
                    &spec.name,
                    &spec.connector_type_id,
                    &spec.config,
                    &secrets,
                )
                .await
                .map(|c| c.id)
        }
        Payload::Rule(rule) => view
            .rules()
            .create_raw(Some(&rule.id), &rule_body(rule))
            .await
            .map(|r| r.id),
        Payload::DataView(spec) => view
            .data_views()
            .create(&data_view(spec), false)
            .await
            .map(|v| v.id.unwrap_or_else(|| spec.id.clone())),
        Payload::DefaultDataView(id) => view
            .data_views()
            .set_default(Some(id), true)
            .await
            .map(|()| address.key.clone()),
        Payload::MaintenanceWindow(body) => {
            let body: types::PostMaintenanceWindowBody = as_request(body, "maintenance window")?;
            let created = to_json(view.api().post_maintenance_window(&body).await?)?;
            created["id"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| Error::InvalidRequest("Kibana answered a maintenance window without an id".into()))
        }
        Payload::Role(body) => {
            let name: types::PutSecurityRoleNameName = role_name(&address.key)?;
            let body: types::PutSecurityRoleNameBody = as_request(body, "role")?;
            client
                .default_space()
                .api()
                .put_security_role_name(&name, &body)
                .create_only(true)
                .await
                .map(|_| address.key.clone())
        }
    }
}

/// Changes the object to what is declared; `observed` is the object as just read.
pub(crate) async fn update(
    client: &Kibana,
    address: &Address,
    kibana_id: &str,
    payload: &Payload,
    observed: &Value,
) -> Result<(), Error> {
    let view = in_space(client, address.space_or_default());
    match payload {
        Payload::Space(space) => client.spaces().update(space).await.map(drop),
        Payload::Connector { spec, secrets } => {
            let secrets = secrets.as_ref().map_or_else(|| json!({}), |s| s.expose_json());
            view.connectors()
                .update_raw(kibana_id, &spec.name, &spec.config, &secrets)
                .await
                .map(drop)
        }
        Payload::Rule(rule) => {
            let rules = view.rules();
            let form = super::observed_form(Kind::Rule, observed);
            let mut declared = super::desired_form(payload);
            let enabled_changes = form["enabled"].as_bool() != Some(rule.enabled);
            declared["enabled"] = form["enabled"].clone();
            if !crate::config::diff::diff(&declared, &form, &[]).is_empty() {
                let mut update = NewRule::new(
                    rule.name.clone(),
                    rule.consumer.clone(),
                    rule.schedule.clone(),
                    rule.params.clone(),
                );
                update.actions = rule.actions.clone();
                update.tags = rule.tags.clone();
                rules.update(kibana_id, &update).await?;
            }
            if enabled_changes {
                if rule.enabled {
                    rules.enable(kibana_id).await?;
                } else {
                    rules.disable(kibana_id).await?;
                }
            }
            Ok(())
        }
        Payload::DataView(spec) => {
            let mut update = DataViewUpdate::new()
                .title(spec.title.clone())
                .runtime_fields(spec.runtime_field_map.clone())
                .field_formats(spec.field_formats.clone())
                .source_filters(spec.source_filters.iter().map(|f| f.value.clone()));
            if let Some(name) = &spec.name {
                update = update.name(name.clone());
            }
            if let Some(field) = &spec.time_field_name {
                update = update.time_field(field.clone());
            }
            if let Some(allow) = spec.allow_no_index {
                update = update.allow_no_index(allow);
            }
            view.data_views().update(kibana_id, &update).await.map(drop)
        }
        Payload::DefaultDataView(id) => view.data_views().set_default(Some(id), true).await,
        Payload::MaintenanceWindow(body) => {
            let body: types::PatchMaintenanceWindowIdBody = as_request(body, "maintenance window")?;
            view.api().patch_maintenance_window_id(kibana_id, &body).await.map(drop)
        }
        Payload::Role(body) => {
            let name: types::PutSecurityRoleNameName = role_name(kibana_id)?;
            let body: types::PutSecurityRoleNameBody = as_request(body, "role")?;
            client
                .default_space()
                .api()
                .put_security_role_name(&name, &body)
                .await
                .map(drop)
        }
    }
}

/// Deletes the object.
pub(crate) async fn delete(client: &Kibana, address: &Address, kibana_id: &str) -> Result<(), Error> {
    let view = in_space(client, address.space_or_default());
    match address.kind {
        Kind::Space => client.spaces().delete(kibana_id).await,
        Kind::Connector => view.connectors().delete(kibana_id).await,
        Kind::Rule => view.rules().delete(kibana_id).await,
        Kind::DataView => view.data_views().delete(kibana_id).await,
        Kind::DefaultDataView => view.data_views().set_default(None, true).await,
        Kind::MaintenanceWindow => view.api().delete_maintenance_window_id(kibana_id).await.map(drop),
        Kind::Role => {
            let name: types::DeleteSecurityRoleNameName = role_name(kibana_id)?;
            client
                .default_space()
                .api()
                .delete_security_role_name(&name)
                .await
                .map(drop)
        }
    }
}
