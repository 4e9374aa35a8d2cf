//! The data views API: `client.data_views()`, in the client's space or another one.
//!
//! Every call goes through the generated route table (`kibana_gen::spec::routes::*DATA_VIEWS*`) with this module's
//! models, and is checked locally first the way Kibana checks it (an empty title or runtime field name, a custom
//! description longer than Kibana stores), so a bad value is an [`Error::InvalidRequest`] before anything is sent.

mod model;

use std::collections::BTreeMap;

use kibana_gen::spec::routes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub use model::{
    AffectedObject, DataView, DataViewSummary, DeleteStatus, FieldAttrs, FieldFormat, RuntimeField, RuntimeFieldScript,
    RuntimeFieldType, RuntimeSubField, SourceFilter, SwapOutcome,
};

use crate::{Error, Kibana, error::DecodeFailure};

/// Kibana keeps a field's `customDescription` to this many characters.
pub const MAX_CUSTOM_DESCRIPTION_CHARS: usize = 300;

/// The saved-object type of data views (what swaps and references name).
pub const DATA_VIEW_TYPE: &str = "index-pattern";

/// The data views API of one space.
///
/// ```no_run
/// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
/// use kibana::data_views::{DataView, DataViewUpdate};
///
/// let views = client.space("ops").data_views();
/// let logs = views.create(&DataView::new("logs-*").id("logs").time_field("@timestamp"), false).await?;
/// views.update("logs", &DataViewUpdate::new().name("Logs").refresh_fields(true)).await?;
/// views.set_default(Some(logs.id.as_deref().unwrap_or("logs")), true).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct DataViews {
    client: Kibana,
}

impl Kibana {
    /// The data views API, in this view's space.
    pub fn data_views(&self) -> DataViews {
        DataViews { client: self.clone() }
    }
}

/// A partial update of a data view: only what is set is sent.
///
/// ```
/// use kibana::data_views::DataViewUpdate;
///
/// let update = DataViewUpdate::new().title("logs-*,metrics-*").refresh_fields(true);
/// assert!(!update.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct DataViewUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_field_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    runtime_field_map: Option<BTreeMap<String, RuntimeField>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field_formats: Option<BTreeMap<String, FieldFormat>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_filters: Option<Vec<SourceFilter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_no_index: Option<bool>,
    #[serde(skip)]
    refresh_fields: bool,
}

impl DataViewUpdate {
    /// Nothing changed yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new index pattern.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// A new display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// A new time field.
    pub fn time_field(mut self, field: impl Into<String>) -> Self {
        self.time_field_name = Some(field.into());
        self
    }

    /// Replaces every runtime field.
    pub fn runtime_fields(mut self, fields: BTreeMap<String, RuntimeField>) -> Self {
        self.runtime_field_map = Some(fields);
        self
    }

    /// Replaces every field formatter.
    pub fn field_formats(mut self, formats: BTreeMap<String, FieldFormat>) -> Self {
        self.field_formats = Some(formats);
        self
    }

    /// Replaces the source filters.
    pub fn source_filters<I: IntoIterator<Item = S>, S: Into<String>>(mut self, patterns: I) -> Self {
        self.source_filters = Some(patterns.into_iter().map(SourceFilter::new).collect());
        self
    }

    /// Keeps the data view when no index matches.
    pub fn allow_no_index(mut self, allow: bool) -> Self {
        self.allow_no_index = Some(allow);
        self
    }

    /// Makes Kibana read the field list again from the indices.
    pub fn refresh_fields(mut self, refresh: bool) -> Self {
        self.refresh_fields = refresh;
        self
    }

    /// Whether nothing would change (and no refresh is asked for).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A change of one field's metadata: each attribute is set, cleared (Kibana's `null`), or left as it is.
///
/// ```
/// use kibana::data_views::FieldMetadata;
///
/// let change = FieldMetadata::new().custom_label("Host").clear_custom_description();
/// assert_eq!(serde_json::to_value(&change).unwrap(), serde_json::json!({"customLabel": "Host", "customDescription": null}));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct FieldMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_label: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_description: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<Option<u64>>,
}

impl FieldMetadata {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the label shown instead of the field name.
    pub fn custom_label(mut self, label: impl Into<String>) -> Self {
        self.custom_label = Some(Some(label.into()));
        self
    }

    /// Removes the custom label.
    pub fn clear_custom_label(mut self) -> Self {
        self.custom_label = Some(None);
        self
    }

    /// Sets the description (at most [`MAX_CUSTOM_DESCRIPTION_CHARS`] characters).
    pub fn custom_description(mut self, description: impl Into<String>) -> Self {
        self.custom_description = Some(Some(description.into()));
        self
    }

    /// Removes the description.
    pub fn clear_custom_description(mut self) -> Self {
        self.custom_description = Some(None);
        self
    }

    /// Sets the popularity count.
    pub fn count(mut self, count: u64) -> Self {
        self.count = Some(Some(count));
        self
    }

    /// Resets the popularity count.
    pub fn clear_count(mut self) -> Self {
        self.count = Some(None);
        self
    }
}

/// A reference swap: saved objects that reference data view `from` are changed to reference `to`.
///
/// ```
/// use kibana::data_views::SwapReferences;
///
/// let swap = SwapReferences::new("old-logs", "logs").for_objects("dashboard", ["d1", "d2"]).delete_source(true);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct SwapReferences {
    from_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_type: Option<String>,
    to_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    for_id: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    for_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete: Option<bool>,
}

impl SwapReferences {
    /// References to data view `from_id` become references to `to_id`, in every object of the space.
    pub fn new(from_id: impl Into<String>, to_id: impl Into<String>) -> Self {
        Self {
            from_id: from_id.into(),
            from_type: None,
            to_id: to_id.into(),
            for_id: None,
            for_type: None,
            delete: None,
        }
    }

    /// The referenced object's type, when it is not a data view ([`DATA_VIEW_TYPE`]).
    pub fn from_type(mut self, object_type: impl Into<String>) -> Self {
        self.from_type = Some(object_type.into());
        self
    }

    /// Only in these objects of `object_type`.
    pub fn for_objects<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        object_type: impl Into<String>,
        ids: I,
    ) -> Self {
        self.for_type = Some(object_type.into());
        self.for_id = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Only in objects of `object_type`.
    pub fn for_type(mut self, object_type: impl Into<String>) -> Self {
        self.for_type = Some(object_type.into());
        self
    }

    /// Deletes data view `from` afterwards when nothing references it any more.
    pub fn delete_source(mut self, delete: bool) -> Self {
        self.delete = Some(delete);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if self.from_id.is_empty() || self.to_id.is_empty() {
            return Err(invalid("a reference swap needs both a `from` and a `to` id"));
        }
        if self
            .for_id
            .as_ref()
            .is_some_and(|ids| ids.is_empty() || ids.iter().any(String::is_empty))
        {
            return Err(invalid(
                "a reference swap limited to objects needs their ids, none empty",
            ));
        }
        Ok(())
    }
}

/// Kibana's answer with a data view (`{data_view: …}`), also what the runtime field calls answer (with `fields`).
#[derive(Deserialize)]
struct DataViewAnswer {
    data_view: DataView,
}

impl DataViews {
    /// The same API in another space.
    pub fn in_space(&self, space_id: impl Into<String>) -> DataViews {
        self.client.space(space_id).data_views()
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> DataViews {
        self.client.default_space().data_views()
    }

    /// Creates a data view (with its `id`, or one Kibana chooses). Kibana refuses a second data view with the
    /// same title unless `override_existing`, which replaces it.
    pub async fn create(&self, view: &DataView, override_existing: bool) -> Result<DataView, Error> {
        validate_view(view)?;
        if view.id.as_deref() == Some("") {
            return Err(invalid(
                "a data view id must not be empty (leave it out to let Kibana choose)",
            ));
        }
        let body = json!({"data_view": view, "override": override_existing});
        let answer: DataViewAnswer = self
            .client
            .route(&routes::POST_DATA_VIEWS_DATA_VIEW, &[])
            .send(Some(&body))
            .await?;
        Ok(answer.data_view)
    }

    /// A data view.
    pub async fn get(&self, id: &str) -> Result<DataView, Error> {
        let answer: DataViewAnswer = self
            .client
            .route(&routes::GET_DATA_VIEWS_DATA_VIEW_VIEW_ID, &[id])
            .send::<(), _>(None)
            .await?;
        Ok(answer.data_view)
    }

    /// Every data view of the space, in summary.
    pub async fn list(&self) -> Result<Vec<DataViewSummary>, Error> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default)]
            data_view: Vec<DataViewSummary>,
        }
        let answer: List = self
            .client
            .route(&routes::GET_DATA_VIEWS, &[])
            .send::<(), _>(None)
            .await?;
        Ok(answer.data_view)
    }

    /// Changes what `update` sets, and (with [`DataViewUpdate::refresh_fields`]) reads the field list again.
    pub async fn update(&self, id: &str, update: &DataViewUpdate) -> Result<DataView, Error> {
        if update.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(invalid("a data view's title (its index pattern) must not be empty"));
        }
        if let Some(fields) = &update.runtime_field_map {
            fields
                .iter()
                .try_for_each(|(name, field)| validate_runtime_field(name, field))?;
        }
        let body = json!({"data_view": update, "refresh_fields": update.refresh_fields});
        let answer: DataViewAnswer = self
            .client
            .route(&routes::POST_DATA_VIEWS_DATA_VIEW_VIEW_ID, &[id])
            .send(Some(&body))
            .await?;
        Ok(answer.data_view)
    }

    /// Deletes a data view.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let _: Value = self
            .client
            .route(&routes::DELETE_DATA_VIEWS_DATA_VIEW_VIEW_ID, &[id])
            .send::<(), _>(None)
            .await?;
        Ok(())
    }

    /// Adds a runtime field; Kibana refuses a name the data view already has. Answers the updated data view.
    pub async fn create_runtime_field(
        &self,
        view_id: &str,
        name: &str,
        field: &RuntimeField,
    ) -> Result<DataView, Error> {
        self.send_runtime_field(
            &routes::POST_DATA_VIEWS_DATA_VIEW_VIEW_ID_RUNTIME_FIELD,
            view_id,
            name,
            field,
        )
        .await
    }

    /// Adds or replaces a runtime field. Answers the updated data view.
    pub async fn upsert_runtime_field(
        &self,
        view_id: &str,
        name: &str,
        field: &RuntimeField,
    ) -> Result<DataView, Error> {
        self.send_runtime_field(
            &routes::PUT_DATA_VIEWS_DATA_VIEW_VIEW_ID_RUNTIME_FIELD,
            view_id,
            name,
            field,
        )
        .await
    }

    /// `{name, runtimeField}` to the create (POST) or upsert (PUT) route.
    async fn send_runtime_field(
        &self,
        route: &'static kibana_gen::spec::Operation,
        view_id: &str,
        name: &str,
        field: &RuntimeField,
    ) -> Result<DataView, Error> {
        validate_runtime_field(name, field)?;
        let body = json!({"name": name, "runtimeField": field});
        let answer: DataViewAnswer = self.client.route(route, &[view_id]).send(Some(&body)).await?;
        Ok(answer.data_view)
    }

    /// A runtime field of a data view ([`Error::NotFound`] when it has none of that name).
    pub async fn runtime_field(&self, view_id: &str, name: &str) -> Result<RuntimeField, Error> {
        let answer: Value = self
            .client
            .route(
                &routes::GET_DATA_VIEWS_DATA_VIEW_VIEW_ID_RUNTIME_FIELD_FIELD_NAME,
                &[view_id, name],
            )
            .send::<(), _>(None)
            .await?;
        runtime_field_of(&answer, name)
    }

    /// Changes a runtime field's type and script (Kibana updates nothing else of it). Answers the updated data
    /// view.
    pub async fn update_runtime_field(
        &self,
        view_id: &str,
        name: &str,
        field: &RuntimeField,
    ) -> Result<DataView, Error> {
        validate_runtime_field(name, field)?;
        let mut runtime_field = Map::new();
        runtime_field.insert("type".into(), json!(field.field_type));
        if let Some(script) = &field.script {
            runtime_field.insert("script".into(), json!(script));
        }
        let body = json!({"runtimeField": runtime_field});
        let answer: DataViewAnswer = self
            .client
            .route(
                &routes::POST_DATA_VIEWS_DATA_VIEW_VIEW_ID_RUNTIME_FIELD_FIELD_NAME,
                &[view_id, name],
            )
            .send(Some(&body))
            .await?;
        Ok(answer.data_view)
    }

    /// Deletes a runtime field.
    pub async fn delete_runtime_field(&self, view_id: &str, name: &str) -> Result<(), Error> {
        let _: Value = self
            .client
            .route(
                &routes::DELETE_DATA_VIEWS_DATA_VIEW_VIEW_ID_RUNTIME_FIELD_FIELD_NAME,
                &[view_id, name],
            )
            .send::<(), _>(None)
            .await?;
        Ok(())
    }

    /// Sets, clears or leaves each field's label, description and popularity (by field name).
    pub async fn update_field_metadata(
        &self,
        view_id: &str,
        fields: &BTreeMap<String, FieldMetadata>,
    ) -> Result<(), Error> {
        if fields.is_empty() {
            return Err(invalid("a field metadata update needs at least one field"));
        }
        for (name, change) in fields {
            if name.is_empty() {
                return Err(invalid("a field name must not be empty"));
            }
            if let Some(Some(description)) = &change.custom_description {
                check_description(name, description)?;
            }
        }
        let _: Value = self
            .client
            .route(&routes::POST_DATA_VIEWS_DATA_VIEW_VIEW_ID_FIELDS, &[view_id])
            .send(Some(&json!({"fields": fields})))
            .await?;
        Ok(())
    }

    /// The id of the space's default data view, if one is set.
    pub async fn default_id(&self) -> Result<Option<String>, Error> {
        #[derive(Deserialize)]
        struct Default {
            #[serde(default)]
            data_view_id: Option<String>,
        }
        let answer: Default = self
            .client
            .route(&routes::GET_DATA_VIEWS_DEFAULT, &[])
            .send::<(), _>(None)
            .await?;
        Ok(answer.data_view_id.filter(|id| !id.is_empty()))
    }

    /// Sets (`Some(id)`) or clears (`None`) the space's default data view. Without `force`, Kibana keeps a default
    /// that is already set. Kibana does not check that the id exists.
    pub async fn set_default(&self, id: Option<&str>, force: bool) -> Result<(), Error> {
        if id == Some("") {
            return Err(invalid(
                "a default data view id must not be empty (pass None to clear it)",
            ));
        }
        let _: Value = self
            .client
            .route(&routes::POST_DATA_VIEWS_DEFAULT, &[])
            .send(Some(&json!({"data_view_id": id, "force": force})))
            .await?;
        Ok(())
    }

    /// The objects [`swap_references`](Self::swap_references) would change, without changing them.
    pub async fn preview_swap_references(&self, swap: &SwapReferences) -> Result<Vec<AffectedObject>, Error> {
        swap.validate()?;
        let answer: SwapOutcome = self
            .client
            .route(&routes::POST_DATA_VIEWS_SWAP_REFERENCES_PREVIEW, &[])
            .send(Some(swap))
            .await?;
        Ok(answer.result)
    }

    /// Changes saved objects' references from one data view to another.
    pub async fn swap_references(&self, swap: &SwapReferences) -> Result<SwapOutcome, Error> {
        swap.validate()?;
        self.client
            .route(&routes::POST_DATA_VIEWS_SWAP_REFERENCES, &[])
            .send(Some(swap))
            .await
    }
}

fn invalid(what: &str) -> Error {
    Error::InvalidRequest(what.to_owned())
}

/// What Kibana refuses in a data view it is given to create.
pub(crate) fn validate_view(view: &DataView) -> Result<(), Error> {
    if view.title.trim().is_empty() {
        return Err(invalid("a data view's title (its index pattern) must not be empty"));
    }
    view.runtime_field_map
        .iter()
        .try_for_each(|(name, field)| validate_runtime_field(name, field))?;
    for (name, attrs) in &view.field_attrs {
        if let Some(description) = &attrs.custom_description {
            check_description(name, description)?;
        }
    }
    Ok(())
}

/// Kibana stores at most [`MAX_CUSTOM_DESCRIPTION_CHARS`] characters of a field's description.
fn check_description(field: &str, description: &str) -> Result<(), Error> {
    let chars = description.chars().count();
    if chars > MAX_CUSTOM_DESCRIPTION_CHARS {
        return Err(invalid(&format!(
            "field {field:?}: a custom description has at most {MAX_CUSTOM_DESCRIPTION_CHARS} characters, this one {chars}"
        )));
    }
    Ok(())
}

fn validate_runtime_field(name: &str, field: &RuntimeField) -> Result<(), Error> {
    if name.is_empty() {
        return Err(invalid("a runtime field's name must not be empty"));
    }
    match (&field.field_type, field.fields.is_empty()) {
        (RuntimeFieldType::Composite, true) => Err(invalid(&format!(
            "runtime field {name:?}: a composite field needs subfields"
        ))),
        (RuntimeFieldType::Composite, false) if field.script.is_none() => Err(invalid(&format!(
            "runtime field {name:?}: a composite field needs a script"
        ))),
        (RuntimeFieldType::Composite, false) => Ok(()),
        (_, false) => Err(invalid(&format!(
            "runtime field {name:?}: only composite fields have subfields"
        ))),
        (RuntimeFieldType::Other(kind), true) if kind.is_empty() => {
            Err(invalid(&format!("runtime field {name:?}: the type must not be empty")))
        }
        (_, true) => Ok(()),
    }
}

/// The runtime field out of a runtime field answer (`{data_view, fields}`): from the data view's map, else from the
/// field list.
fn runtime_field_of(answer: &Value, name: &str) -> Result<RuntimeField, Error> {
    let from_map = answer.pointer("/data_view/runtimeFieldMap").and_then(|m| m.get(name));
    let from_fields = || {
        answer["fields"]
            .as_array()?
            .iter()
            .find(|f| f.get("name").and_then(Value::as_str) == Some(name))?
            .get("runtimeField")
    };
    let reason = match from_map.or_else(from_fields) {
        Some(field) => match serde_json::from_value(field.clone()) {
            Ok(field) => return Ok(field),
            Err(e) => e.to_string(),
        },
        None => format!("the answer holds no runtime field {name:?}"),
    };
    Err(Error::Decode(Box::new(DecodeFailure {
        method: http::Method::GET,
        path: routes::GET_DATA_VIEWS_DATA_VIEW_VIEW_ID_RUNTIME_FIELD_FIELD_NAME
            .path
            .to_owned(),
        space: None,
        status: http::StatusCode::OK,
        body_snippet: crate::error::snippet(answer.to_string().as_bytes()),
        reason,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_view_round_trips_what_kibana_returns() {
        let kibana = json!({
            "id": "logs", "title": "logs-*", "name": "Logs", "timeFieldName": "@timestamp", "version": "WzEsMV0=",
            "namespaces": ["default"], "allowNoIndex": false, "sourceFilters": [{"value": "secret.*"}],
            "runtimeFieldMap": {"day": {"type": "keyword", "script": {"source": "emit('x')"}}},
            "fieldFormats": {"bytes": {"id": "bytes", "params": {"pattern": "0,0.[0]b"}}},
            "fieldAttrs": {"host": {"customLabel": "Host", "count": 3}},
            "typeMeta": {}, "fields": {"host": {"name": "host", "type": "string"}}, "newer": {"kept": true}
        });
        let view: DataView = serde_json::from_value(kibana.clone()).unwrap();
        assert_eq!(view.runtime_field_map["day"].field_type, RuntimeFieldType::Keyword);
        assert_eq!(view.field_attrs["host"].count, Some(3));
        assert_eq!(view.other["newer"], json!({"kept": true}));
        assert_eq!(serde_json::to_value(&view).unwrap(), kibana);
    }

    #[test]
    fn an_unknown_runtime_field_type_is_kept() {
        let field: RuntimeField = serde_json::from_value(json!({"type": "lookup", "customLabel": "L"})).unwrap();
        assert_eq!(field.field_type, RuntimeFieldType::Other("lookup".into()));
        assert_eq!(
            serde_json::to_value(&field).unwrap(),
            json!({"type": "lookup", "customLabel": "L"})
        );
    }

    #[test]
    fn local_validation_mirrors_kibana() {
        assert!(validate_view(&DataView::new("")).is_err());
        assert!(validate_view(&DataView::new("  ")).is_err());
        assert!(validate_view(&DataView::new("logs-*")).is_ok());
        let long = FieldAttrs::default().custom_description("x".repeat(301));
        assert!(validate_view(&DataView::new("a").field_attrs("f", long)).is_err());
        let keyword = RuntimeField::new(RuntimeFieldType::Keyword);
        assert!(validate_runtime_field("", &keyword).is_err());
        assert!(validate_runtime_field("k", &keyword).is_ok());
        let composite = RuntimeField::new(RuntimeFieldType::Composite);
        assert!(validate_runtime_field("c", &composite).is_err());
        let composite = composite.subfield("a", RuntimeFieldType::Long);
        assert!(validate_runtime_field("c", &composite).is_err(), "no script");
        assert!(validate_runtime_field("c", &composite.script("emit(Map.of('a', 1))")).is_ok());
        assert!(validate_runtime_field("k", &keyword.subfield("a", RuntimeFieldType::Long)).is_err());
        assert!(SwapReferences::new("", "b").validate().is_err());
        assert!(
            SwapReferences::new("a", "b")
                .for_objects("dashboard", Vec::<String>::new())
                .validate()
                .is_err()
        );
        assert!(SwapReferences::new("a", "b").validate().is_ok());
    }

    #[test]
    fn an_update_sends_only_what_it_sets() {
        let update = DataViewUpdate::new().name("Logs").refresh_fields(true);
        assert_eq!(serde_json::to_value(&update).unwrap(), json!({"name": "Logs"}));
        assert!(DataViewUpdate::new().is_empty());
        assert!(!DataViewUpdate::new().refresh_fields(true).is_empty());
    }

    #[test]
    fn a_swap_serializes_as_kibana_reads_it() {
        let swap = SwapReferences::new("a", "b")
            .for_objects("dashboard", ["d"])
            .delete_source(true);
        assert_eq!(
            serde_json::to_value(&swap).unwrap(),
            json!({"fromId": "a", "toId": "b", "forId": ["d"], "forType": "dashboard", "delete": true})
        );
    }
}
