//! [`DataViews`]: the data views API, blocking.

use std::{collections::BTreeMap, sync::Arc};

use super::runtime::Runtime;
use crate::{
    Error,
    data_views::{
        AffectedObject, DataView, DataViewSummary, DataViewUpdate, FieldMetadata, RuntimeField, SwapOutcome,
        SwapReferences,
    },
};

/// The data views API of one space, blocking: [`kibana::data_views::DataViews`](crate::data_views::DataViews)'s
/// methods, with the same names and arguments.
///
/// ```no_run
/// use kibana::data_views::DataView;
///
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
/// let views = client.space("ops").data_views();
/// let logs = views.create(&DataView::new("logs-*").name("Logs").time_field("@timestamp"), false)?;
/// views.set_default(logs.id.as_deref(), true)?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct DataViews {
    inner: crate::data_views::DataViews,
    runtime: Arc<Runtime>,
}

impl DataViews {
    pub(crate) fn new(inner: crate::data_views::DataViews, runtime: Arc<Runtime>) -> Self {
        Self { inner, runtime }
    }

    /// The same API in another space.
    pub fn in_space(&self, space_id: impl Into<String>) -> DataViews {
        Self::new(self.inner.in_space(space_id), self.runtime.clone())
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> DataViews {
        Self::new(self.inner.in_default_space(), self.runtime.clone())
    }

    /// See [`DataViews::create`](crate::data_views::DataViews::create).
    pub fn create(&self, view: &DataView, override_existing: bool) -> Result<DataView, Error> {
        self.runtime.block_on(self.inner.create(view, override_existing))
    }

    /// See [`DataViews::get`](crate::data_views::DataViews::get).
    pub fn get(&self, id: &str) -> Result<DataView, Error> {
        self.runtime.block_on(self.inner.get(id))
    }

    /// See [`DataViews::list`](crate::data_views::DataViews::list).
    pub fn list(&self) -> Result<Vec<DataViewSummary>, Error> {
        self.runtime.block_on(self.inner.list())
    }

    /// See [`DataViews::update`](crate::data_views::DataViews::update).
    pub fn update(&self, id: &str, update: &DataViewUpdate) -> Result<DataView, Error> {
        self.runtime.block_on(self.inner.update(id, update))
    }

    /// See [`DataViews::delete`](crate::data_views::DataViews::delete).
    pub fn delete(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.delete(id))
    }

    /// See [`DataViews::create_runtime_field`](crate::data_views::DataViews::create_runtime_field).
    pub fn create_runtime_field(&self, view_id: &str, name: &str, field: &RuntimeField) -> Result<DataView, Error> {
        self.runtime
            .block_on(self.inner.create_runtime_field(view_id, name, field))
    }

    /// See [`DataViews::upsert_runtime_field`](crate::data_views::DataViews::upsert_runtime_field).
    pub fn upsert_runtime_field(&self, view_id: &str, name: &str, field: &RuntimeField) -> Result<DataView, Error> {
        self.runtime
            .block_on(self.inner.upsert_runtime_field(view_id, name, field))
    }

    /// See [`DataViews::runtime_field`](crate::data_views::DataViews::runtime_field).
    pub fn runtime_field(&self, view_id: &str, name: &str) -> Result<RuntimeField, Error> {
        self.runtime.block_on(self.inner.runtime_field(view_id, name))
    }

    /// See [`DataViews::update_runtime_field`](crate::data_views::DataViews::update_runtime_field).
    pub fn update_runtime_field(&self, view_id: &str, name: &str, field: &RuntimeField) -> Result<DataView, Error> {
        self.runtime
            .block_on(self.inner.update_runtime_field(view_id, name, field))
    }

    /// See [`DataViews::delete_runtime_field`](crate::data_views::DataViews::delete_runtime_field).
    pub fn delete_runtime_field(&self, view_id: &str, name: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.delete_runtime_field(view_id, name))
    }

    /// See [`DataViews::update_field_metadata`](crate::data_views::DataViews::update_field_metadata).
    pub fn update_field_metadata(&self, view_id: &str, fields: &BTreeMap<String, FieldMetadata>) -> Result<(), Error> {
        self.runtime.block_on(self.inner.update_field_metadata(view_id, fields))
    }

    /// See [`DataViews::default_id`](crate::data_views::DataViews::default_id).
    pub fn default_id(&self) -> Result<Option<String>, Error> {
        self.runtime.block_on(self.inner.default_id())
    }

    /// See [`DataViews::set_default`](crate::data_views::DataViews::set_default).
    pub fn set_default(&self, id: Option<&str>, force: bool) -> Result<(), Error> {
        self.runtime.block_on(self.inner.set_default(id, force))
    }

    /// See [`DataViews::preview_swap_references`](crate::data_views::DataViews::preview_swap_references).
    pub fn preview_swap_references(&self, swap: &SwapReferences) -> Result<Vec<AffectedObject>, Error> {
        self.runtime.block_on(self.inner.preview_swap_references(swap))
    }

    /// See [`DataViews::swap_references`](crate::data_views::DataViews::swap_references).
    pub fn swap_references(&self, swap: &SwapReferences) -> Result<SwapOutcome, Error> {
        self.runtime.block_on(self.inner.swap_references(swap))
    }
}
