//! The saved-objects API: `client.saved_objects()`, in the client's space or another one.
//!
//! CRUD, bulk and resolve go through the generated client; `find` sends its own query through the generated route
//! (the document declares `has_reference` an object, which the generated method would send as form fields where
//! Kibana reads JSON); import and resolve-import-errors send the generated multipart forms through their routes and
//! read the answer into this module's models.

mod model;
pub(crate) mod stream;

use bytes::Bytes;
use futures::Stream;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, json};

pub use model::{
    BulkFailure, BulkItem, ExportDetails, ExportLine, FindPage, ImportFailure, ImportResult, ImportSuccess, Reference,
    ResolveOutcome, Resolved, SavedObject,
};

use kibana_gen::{multipart, spec::routes};

use crate::{Error, Kibana, error::DecodeFailure, route::RouteCall};

/// Kibana refuses `page * per_page` beyond this (`Result window is too large`).
pub const RESULT_WINDOW: u64 = 10_000;

/// The saved-objects API of one space.
///
/// Kibana 9 marks the generic saved-objects routes behind `get`, `create`, `update`, `delete`, the bulk calls and
/// `resolve`, and `find`, deprecated (naming no replacement; export and import are not): they are still served, and
/// they are the only public way to manage saved objects of any type. Prefer an app's own API where it has one
/// (`data_views()`, `connectors()`, `rules()`).
///
/// ```no_run
/// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
/// use futures::TryStreamExt;
/// use kibana::saved_objects::FindOptions;
///
/// let dashboards: Vec<_> = client
///     .saved_objects()
///     .find_all::<serde_json::Value>(FindOptions::new(["dashboard"]).per_page(100))
///     .try_collect()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct SavedObjects {
    client: Kibana,
}

impl Kibana {
    /// The saved-objects API, in this view's space.
    pub fn saved_objects(&self) -> SavedObjects {
        SavedObjects { client: self.clone() }
    }
}

/// What `find` looks for. `type` is required by Kibana, hence the constructor.
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct FindOptions {
    types: Vec<String>,
    search: Option<String>,
    search_fields: Vec<String>,
    sort_field: Option<String>,
    has_reference: Vec<(String, String)>,
    fields: Vec<String>,
    filter: Option<String>,
    per_page: Option<u64>,
    page: Option<u64>,
}

impl FindOptions {
    /// Objects of these types.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(types: I) -> Self {
        Self {
            types: types.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// A simple-query-string search (`*` for prefixes).
    pub fn search(mut self, search: impl Into<String>) -> Self {
        self.search = Some(search.into());
        self
    }

    /// The fields `search` looks in.
    pub fn search_fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, fields: I) -> Self {
        self.search_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Sort by this attribute.
    pub fn sort_field(mut self, field: impl Into<String>) -> Self {
        self.sort_field = Some(field.into());
        self
    }

    /// Only objects referencing `object_type`/`id` (may be given several times: all must match).
    pub fn has_reference(mut self, object_type: impl Into<String>, id: impl Into<String>) -> Self {
        self.has_reference.push((object_type.into(), id.into()));
        self
    }

    /// Return only these attributes.
    pub fn fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, fields: I) -> Self {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// A KQL filter on attributes (`dashboard.attributes.title: "x"`).
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// Objects per page (Kibana's default: 20).
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// The page (1-based).
    pub fn page(mut self, page: u64) -> Self {
        self.page = Some(page);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if self.types.is_empty() {
            return Err(Error::InvalidRequest(
                "find needs at least one saved-object type".into(),
            ));
        }
        if self.per_page == Some(0) || self.page == Some(0) {
            return Err(Error::InvalidRequest("page and per_page start at 1".into()));
        }
        let (page, per_page) = (self.page.unwrap_or(1), self.per_page.unwrap_or(20));
        if page.saturating_mul(per_page) > RESULT_WINDOW {
            return Err(Error::InvalidRequest(format!(
                "page {page} × per_page {per_page} is past Kibana's {RESULT_WINDOW}-result window; narrow the search"
            )));
        }
        Ok(())
    }

    fn query(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for t in &self.types {
            query.append_pair("type", t);
        }
        if let Some(search) = &self.search {
            query.append_pair("search", search);
        }
        for field in &self.search_fields {
            query.append_pair("search_fields", field);
        }
        if let Some(sort) = &self.sort_field {
            query.append_pair("sort_field", sort);
        }
        for (object_type, id) in &self.has_reference {
            query.append_pair("has_reference", &json!({"type": object_type, "id": id}).to_string());
        }
        for field in &self.fields {
            query.append_pair("fields", field);
        }
        if let Some(filter) = &self.filter {
            query.append_pair("filter", filter);
        }
        if let Some(per_page) = self.per_page {
            query.append_pair("per_page", &per_page.to_string());
        }
        if let Some(page) = self.page {
            query.append_pair("page", &page.to_string());
        }
        query.finish()
    }
}

/// What to export: whole types or listed objects.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct ExportOptions {
    body: Value,
}

impl ExportOptions {
    /// Every object of these types.
    pub fn types<I: IntoIterator<Item = S>, S: Into<String>>(types: I) -> Self {
        let types: Vec<String> = types.into_iter().map(Into::into).collect();
        Self {
            body: json!({"type": types, "excludeExportDetails": false}),
        }
    }

    /// These objects (`(type, id)` pairs).
    pub fn objects<I: IntoIterator<Item = (T, S)>, T: Into<String>, S: Into<String>>(objects: I) -> Self {
        let objects: Vec<Value> = objects
            .into_iter()
            .map(|(t, id)| json!({"type": t.into(), "id": id.into()}))
            .collect();
        Self {
            body: json!({"objects": objects, "excludeExportDetails": false}),
        }
    }

    /// Also export the objects they reference, recursively.
    pub fn include_references_deep(mut self, deep: bool) -> Self {
        self.body["includeReferencesDeep"] = json!(deep);
        self
    }

    /// Leave out the trailing details line.
    pub fn exclude_export_details(mut self, exclude: bool) -> Self {
        self.body["excludeExportDetails"] = json!(exclude);
        self
    }
}

/// How to import: Kibana refuses `overwrite` together with `create_new_copies`, and so does this type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportMode {
    /// Conflicts are reported per object (default).
    #[default]
    ReportConflicts,
    /// Existing objects are overwritten.
    Overwrite,
    /// Every object gets a new id (no conflicts possible).
    CreateNewCopies,
}

/// A retry for [`SavedObjects::resolve_import_errors`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRetry {
    /// The object's type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The object's id in the file.
    pub id: String,
    /// Overwrite the existing object.
    pub overwrite: bool,
    /// Import it under this id instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_id: Option<String>,
}

fn decode<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Error> {
    let text = value.to_string();
    serde_json::from_value(value).map_err(|e| {
        Error::Decode(Box::new(DecodeFailure {
            method: http::Method::GET,
            path: what.to_owned(),
            space: None,
            status: http::StatusCode::OK,
            body_snippet: crate::error::snippet(text.as_bytes()),
            reason: e.to_string(),
        }))
    })
}

fn to_map(value: impl Serialize, what: &str) -> Result<Map<String, Value>, Error> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Error::InvalidRequest(format!(
            "{what} must serialize to a JSON object, not {other}"
        ))),
        Err(e) => Err(Error::InvalidRequest(format!("cannot encode {what}: {e}"))),
    }
}

fn bulk_items<A: DeserializeOwned>(answer: Map<String, Value>, key: &str) -> Result<Vec<BulkItem<A>>, Error> {
    let items = answer.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    items
        .into_iter()
        .map(|item| {
            if item.get("error").is_some() {
                Ok(BulkItem::Failed(decode(item, "bulk item")?))
            } else {
                Ok(BulkItem::Ok(decode(item, "bulk item")?))
            }
        })
        .collect()
}

fn resolved<A: DeserializeOwned>(raw: RawResolvedValue) -> Result<Resolved<A>, Error> {
    let raw: model::RawResolved = decode(raw.0, "resolve")?;
    let outcome = match (raw.outcome.as_str(), raw.alias_target_id) {
        ("aliasMatch", Some(alias_target_id)) => ResolveOutcome::AliasMatch { alias_target_id },
        ("conflict", Some(alias_target_id)) => ResolveOutcome::Conflict { alias_target_id },
        _ => ResolveOutcome::ExactMatch,
    };
    Ok(Resolved {
        saved_object: decode(raw.saved_object, "resolve")?,
        outcome,
    })
}

struct RawResolvedValue(Value);

// Kibana 9 marks its generic saved-objects routes (get, create, update, delete, the bulk ones, resolve) deprecated
// without naming a replacement: each app's own API is meant to take over, but these are still served and are the
// only public way to manage saved objects of any type, so this API keeps calling them (see `SavedObjects`' docs).
#[allow(deprecated)]
impl SavedObjects {
    /// The same API in another space.
    pub fn in_space(&self, space_id: impl Into<String>) -> SavedObjects {
        SavedObjects {
            client: self.client.space(space_id),
        }
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> SavedObjects {
        SavedObjects {
            client: self.client.default_space(),
        }
    }

    /// Creates an object; `id: None` lets Kibana choose. Without `overwrite`, an existing id is
    /// [`Error::Conflict`].
    pub async fn create<A: Serialize + DeserializeOwned>(
        &self,
        object_type: &str,
        id: Option<&str>,
        attributes: &A,
        references: &[Reference],
        overwrite: bool,
    ) -> Result<SavedObject<A>, Error> {
        let mut body = Map::new();
        body.insert(
            "attributes".into(),
            Value::Object(to_map(attributes, "the attributes")?),
        );
        body.insert(
            "references".into(),
            serde_json::to_value(references).unwrap_or_default(),
        );
        let answer = match id {
            Some(id) => {
                let body = decode(Value::Object(body), "create body")?;
                self.client
                    .generated(move |c| async move {
                        c.post_saved_objects_type_id(object_type, id, Some(overwrite), &body)
                            .await
                    })
                    .await?
            }
            None => {
                let body = decode(Value::Object(body), "create body")?;
                self.client
                    .generated(
                        move |c| async move { c.post_saved_objects_type(object_type, Some(overwrite), &body).await },
                    )
                    .await?
            }
        };
        decode(Value::Object(answer.into_inner()), "create")
    }

    /// An object.
    pub async fn get<A: DeserializeOwned>(&self, object_type: &str, id: &str) -> Result<SavedObject<A>, Error> {
        let answer = self
            .client
            .generated(move |c| async move { c.get_saved_objects_type_id(object_type, id).await })
            .await?;
        decode(Value::Object(answer.into_inner()), "get")
    }

    /// Updates attributes (merged into the stored ones) and, when given, replaces the references. Kibana answers
    /// with the changed attributes only.
    pub async fn update(
        &self,
        object_type: &str,
        id: &str,
        attributes: &impl Serialize,
        references: Option<&[Reference]>,
    ) -> Result<SavedObject<Value>, Error> {
        let mut body = Map::new();
        body.insert(
            "attributes".into(),
            Value::Object(to_map(attributes, "the attributes")?),
        );
        if let Some(references) = references {
            body.insert(
                "references".into(),
                serde_json::to_value(references).unwrap_or_default(),
            );
        }
        let answer = self
            .client
            .generated(move |c| async move { c.put_saved_objects_type_id(object_type, id, &body).await })
            .await?;
        decode(Value::Object(answer.into_inner()), "update")
    }

    /// Deletes an object; `force` deletes it from every space it is shared to.
    pub async fn delete(&self, object_type: &str, id: &str, force: bool) -> Result<(), Error> {
        self.client
            .generated(move |c| async move { c.delete_saved_objects_type_id(object_type, id, Some(force)).await })
            .await
            .map(drop)
    }

    /// An object by id or by legacy URL alias, with how it was found.
    pub async fn resolve<A: DeserializeOwned>(&self, object_type: &str, id: &str) -> Result<Resolved<A>, Error> {
        let answer = self
            .client
            .generated(move |c| async move { c.get_saved_objects_resolve_type_id(object_type, id).await })
            .await?;
        resolved(RawResolvedValue(Value::Object(answer.into_inner())))
    }

    /// Creates many objects; each item succeeds or fails on its own.
    pub async fn bulk_create<A: Serialize + DeserializeOwned>(
        &self,
        objects: &[(&str, Option<&str>, &A)],
        overwrite: bool,
    ) -> Result<Vec<BulkItem<A>>, Error> {
        let body = objects
            .iter()
            .map(|(object_type, id, attributes)| {
                let mut item = Map::new();
                item.insert("type".into(), json!(object_type));
                if let Some(id) = id {
                    item.insert("id".into(), json!(id));
                }
                item.insert(
                    "attributes".into(),
                    Value::Object(to_map(attributes, "the attributes")?),
                );
                Ok(item)
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let answer = self
            .client
            .generated(move |c| async move { c.post_saved_objects_bulk_create(Some(overwrite), &body).await })
            .await?;
        bulk_items(answer.into_inner(), "saved_objects")
    }

    /// Reads many objects, in request order; missing ones are [`BulkItem::Failed`].
    pub async fn bulk_get<A: DeserializeOwned>(&self, objects: &[(&str, &str)]) -> Result<Vec<BulkItem<A>>, Error> {
        let body: Vec<Map<String, Value>> = objects
            .iter()
            .map(|(t, id)| to_map(json!({"type": t, "id": id}), "item"))
            .collect::<Result<_, _>>()?;
        let answer = self
            .client
            .generated(move |c| async move { c.post_saved_objects_bulk_get(&body).await })
            .await?;
        bulk_items(answer.into_inner(), "saved_objects")
    }

    /// Updates many objects' attributes.
    pub async fn bulk_update(&self, objects: &[(&str, &str, Value)]) -> Result<Vec<BulkItem<Value>>, Error> {
        let body: Vec<Map<String, Value>> = objects
            .iter()
            .map(|(t, id, attributes)| to_map(json!({"type": t, "id": id, "attributes": attributes}), "item"))
            .collect::<Result<_, _>>()?;
        let answer = self
            .client
            .generated(move |c| async move { c.post_saved_objects_bulk_update(&body).await })
            .await?;
        bulk_items(answer.into_inner(), "saved_objects")
    }

    /// Deletes many objects; returns, per item in request order, `Ok(())` or why it failed.
    pub async fn bulk_delete(
        &self,
        objects: &[(&str, &str)],
        force: bool,
    ) -> Result<Vec<Result<(), BulkFailure>>, Error> {
        let body: Vec<Map<String, Value>> = objects
            .iter()
            .map(|(t, id)| to_map(json!({"type": t, "id": id}), "item"))
            .collect::<Result<_, _>>()?;
        let answer = self
            .client
            .generated(move |c| async move { c.post_saved_objects_bulk_delete(Some(force), &body).await })
            .await?;
        let statuses = answer
            .into_inner()
            .get("statuses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        statuses
            .into_iter()
            .map(|status| {
                if status["success"].as_bool() == Some(true) {
                    Ok(Ok(()))
                } else {
                    Ok(Err(decode(status, "bulk delete item")?))
                }
            })
            .collect()
    }

    /// Resolves many objects.
    pub async fn bulk_resolve<A: DeserializeOwned>(
        &self,
        objects: &[(&str, &str)],
    ) -> Result<Vec<Result<Resolved<A>, BulkFailure>>, Error> {
        let body: Vec<Map<String, Value>> = objects
            .iter()
            .map(|(t, id)| to_map(json!({"type": t, "id": id}), "item"))
            .collect::<Result<_, _>>()?;
        let answer = self
            .client
            .generated(move |c| async move { c.post_saved_objects_bulk_resolve(&body).await })
            .await?;
        let items = answer
            .into_inner()
            .get("resolved_objects")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        items
            .into_iter()
            .map(|item| {
                if item["saved_object"].get("error").is_some() {
                    Ok(Err(decode(item["saved_object"].clone(), "bulk resolve item")?))
                } else {
                    Ok(Ok(resolved(RawResolvedValue(item))?))
                }
            })
            .collect()
    }

    /// One page of objects (checked locally first: types given, inside the 10,000-result window).
    pub async fn find<A: DeserializeOwned>(&self, options: &FindOptions) -> Result<FindPage<A>, Error> {
        options.validate()?;
        // The document declares `has_reference` an object, which the generated method would send as form fields;
        // Kibana reads it as JSON, so the query is built here.
        let mut answer: Value = self
            .client
            .route(&routes::GET_SAVED_OBJECTS_FIND, &[])
            .encoded_query(&options.query())
            .send::<(), _>(None)
            .await?;
        let objects = answer["saved_objects"].take();
        Ok(FindPage {
            page: answer["page"].as_u64().unwrap_or(1),
            per_page: answer["per_page"].as_u64().unwrap_or(20),
            total: answer["total"].as_u64().unwrap_or(0),
            saved_objects: decode(objects, "find")?,
        })
    }

    /// Every matching object, page by page, as a stream that fetches the next page only when needed. When more
    /// than 10,000 objects match (Kibana's window), the stream's first item is an error and nothing else is read,
    /// rather than failing half-way.
    pub fn find_all<A: DeserializeOwned + Send + 'static>(
        &self,
        options: FindOptions,
    ) -> impl Stream<Item = Result<SavedObject<A>, Error>> + Send + 'static {
        stream::find_all(self.clone(), options)
    }

    /// Exports objects as a stream of lines, parsed: objects, then the details trailer. Memory stays constant
    /// however large the export.
    pub async fn export(
        &self,
        options: &ExportOptions,
    ) -> Result<impl Stream<Item = Result<ExportLine, Error>> + Send + 'static, Error> {
        let lines = self.export_lines(options).await?;
        Ok(stream::parse_export_lines(lines))
    }

    /// Exports objects as a stream of raw NDJSON lines (without the newline), e.g. to write them to a file.
    pub async fn export_lines(
        &self,
        options: &ExportOptions,
    ) -> Result<impl Stream<Item = Result<Bytes, Error>> + Send + 'static, Error> {
        let body = decode(options.body.clone(), "export options")?;
        let (answer, call) = self
            .client
            .generated_call(move |c| async move { c.post_saved_objects_export(&body).await })
            .await?;
        Ok(stream::ndjson_lines_with(
            answer.into_inner().into_inner(),
            move |error| call.body_failure(error),
        ))
    }

    /// Imports an NDJSON export (at most 25 MiB, Kibana's limit for imports).
    pub async fn import(&self, ndjson: impl Into<Bytes>, mode: ImportMode) -> Result<ImportResult, Error> {
        let form = multipart::PostSavedObjectsImportForm::new(export_file(ndjson.into()));
        let call = self.client.route(&routes::POST_SAVED_OBJECTS_IMPORT, &[]);
        let call = match mode {
            ImportMode::ReportConflicts => call,
            ImportMode::Overwrite => call.query("overwrite", true),
            ImportMode::CreateNewCopies => call.query("createNewCopies", true),
        };
        let (content_type, body) = form.into_multipart();
        upload(call, content_type, body).await
    }

    /// Retries an import's failed objects with per-object decisions (overwrite, new id).
    pub async fn resolve_import_errors(
        &self,
        ndjson: impl Into<Bytes>,
        retries: &[ImportRetry],
        create_new_copies: bool,
    ) -> Result<ImportResult, Error> {
        let retries = serde_json::to_value(retries).map_err(|e| Error::InvalidRequest(e.to_string()))?;
        let form = multipart::PostSavedObjectsResolveImportErrorsForm::new(&retries).file(export_file(ndjson.into()));
        let mut call = self
            .client
            .route(&routes::POST_SAVED_OBJECTS_RESOLVE_IMPORT_ERRORS, &[]);
        if create_new_copies {
            call = call.query("createNewCopies", true);
        }
        let (content_type, body) = form.into_multipart();
        upload(call, content_type, body).await
    }
}

/// The export as a form's file part: Kibana wants its name to end in `.ndjson`.
fn export_file(ndjson: Bytes) -> multipart::Part {
    multipart::Part::file("import.ndjson", ndjson).mime("application/ndjson")
}

/// Sends an import form through the generated route, reading the answer into the SDK's own model.
async fn upload(call: RouteCall<'_>, content_type: http::HeaderValue, body: Bytes) -> Result<ImportResult, Error> {
    let content_type = content_type
        .to_str()
        .map_err(|e| Error::InvalidRequest(format!("the multipart content type is not text: {e}")))?
        .to_owned();
    call.send_body(Some(&content_type), Some(reqwest::Body::from(body)), false)
        .await?
        .json()
}
