//! [`SavedObjects`]: the saved-objects API, blocking.

use std::sync::Arc;

use bytes::Bytes;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use super::{Iter, runtime::Runtime};
use crate::{
    Error,
    saved_objects::{
        BulkFailure, BulkItem, ExportLine, ExportOptions, FindOptions, FindPage, ImportMode, ImportResult, ImportRetry,
        Reference, Resolved, SavedObject,
    },
};

/// The saved-objects API of one space, blocking:
/// [`kibana::saved_objects::SavedObjects`](crate::saved_objects::SavedObjects)'s methods, with the same names and
/// arguments; [`find_all`](Self::find_all), [`export`](Self::export) and [`export_lines`](Self::export_lines) are
/// lazy [`Iter`]s (an export is read as it is iterated: memory stays constant however large it is).
///
/// ```no_run
/// use std::io::Write;
/// use kibana::saved_objects::ExportOptions;
///
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), Box<dyn std::error::Error>> {
/// let mut file = std::fs::File::create("dashboards.ndjson")?;
/// for line in client.saved_objects().export_lines(&ExportOptions::types(["dashboard"]))? {
///     file.write_all(&line?)?;
///     file.write_all(b"\n")?;
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct SavedObjects {
    inner: crate::saved_objects::SavedObjects,
    runtime: Arc<Runtime>,
}

impl SavedObjects {
    pub(crate) fn new(inner: crate::saved_objects::SavedObjects, runtime: Arc<Runtime>) -> Self {
        Self { inner, runtime }
    }

    /// The same API in another space.
    pub fn in_space(&self, space_id: impl Into<String>) -> SavedObjects {
        Self::new(self.inner.in_space(space_id), self.runtime.clone())
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> SavedObjects {
        Self::new(self.inner.in_default_space(), self.runtime.clone())
    }

    /// See [`SavedObjects::create`](crate::saved_objects::SavedObjects::create).
    pub fn create<A: Serialize + DeserializeOwned>(
        &self,
        object_type: &str,
        id: Option<&str>,
        attributes: &A,
        references: &[Reference],
        overwrite: bool,
    ) -> Result<SavedObject<A>, Error> {
        self.runtime
            .block_on(self.inner.create(object_type, id, attributes, references, overwrite))
    }

    /// See [`SavedObjects::get`](crate::saved_objects::SavedObjects::get).
    pub fn get<A: DeserializeOwned>(&self, object_type: &str, id: &str) -> Result<SavedObject<A>, Error> {
        self.runtime.block_on(self.inner.get(object_type, id))
    }

    /// See [`SavedObjects::update`](crate::saved_objects::SavedObjects::update).
    pub fn update(
        &self,
        object_type: &str,
        id: &str,
        attributes: &impl Serialize,
        references: Option<&[Reference]>,
    ) -> Result<SavedObject<Value>, Error> {
        self.runtime
            .block_on(self.inner.update(object_type, id, attributes, references))
    }

    /// See [`SavedObjects::delete`](crate::saved_objects::SavedObjects::delete).
    pub fn delete(&self, object_type: &str, id: &str, force: bool) -> Result<(), Error> {
        self.runtime.block_on(self.inner.delete(object_type, id, force))
    }

    /// See [`SavedObjects::resolve`](crate::saved_objects::SavedObjects::resolve).
    pub fn resolve<A: DeserializeOwned>(&self, object_type: &str, id: &str) -> Result<Resolved<A>, Error> {
        self.runtime.block_on(self.inner.resolve(object_type, id))
    }

    /// See [`SavedObjects::bulk_create`](crate::saved_objects::SavedObjects::bulk_create).
    pub fn bulk_create<A: Serialize + DeserializeOwned>(
        &self,
        objects: &[(&str, Option<&str>, &A)],
        overwrite: bool,
    ) -> Result<Vec<BulkItem<A>>, Error> {
        self.runtime.block_on(self.inner.bulk_create(objects, overwrite))
    }

    /// See [`SavedObjects::bulk_get`](crate::saved_objects::SavedObjects::bulk_get).
    pub fn bulk_get<A: DeserializeOwned>(&self, objects: &[(&str, &str)]) -> Result<Vec<BulkItem<A>>, Error> {
        self.runtime.block_on(self.inner.bulk_get(objects))
    }

    /// See [`SavedObjects::bulk_update`](crate::saved_objects::SavedObjects::bulk_update).
    pub fn bulk_update(&self, objects: &[(&str, &str, Value)]) -> Result<Vec<BulkItem<Value>>, Error> {
        self.runtime.block_on(self.inner.bulk_update(objects))
    }

    /// See [`SavedObjects::bulk_delete`](crate::saved_objects::SavedObjects::bulk_delete).
    pub fn bulk_delete(&self, objects: &[(&str, &str)], force: bool) -> Result<Vec<Result<(), BulkFailure>>, Error> {
        self.runtime.block_on(self.inner.bulk_delete(objects, force))
    }

    /// See [`SavedObjects::bulk_resolve`](crate::saved_objects::SavedObjects::bulk_resolve).
    pub fn bulk_resolve<A: DeserializeOwned>(
        &self,
        objects: &[(&str, &str)],
    ) -> Result<Vec<Result<Resolved<A>, BulkFailure>>, Error> {
        self.runtime.block_on(self.inner.bulk_resolve(objects))
    }

    /// See [`SavedObjects::find`](crate::saved_objects::SavedObjects::find).
    pub fn find<A: DeserializeOwned>(&self, options: &FindOptions) -> Result<FindPage<A>, Error> {
        self.runtime.block_on(self.inner.find(options))
    }

    /// Every matching object, page by page, each page fetched when the iterator reaches it: see
    /// [`SavedObjects::find_all`](crate::saved_objects::SavedObjects::find_all).
    pub fn find_all<A: DeserializeOwned + Send + 'static>(&self, options: FindOptions) -> Iter<SavedObject<A>> {
        Iter::new(self.inner.find_all(options), self.runtime.clone())
    }

    /// Exports objects as lines, parsed (objects, then the details trailer), read from the answer as the iterator
    /// is read: see [`SavedObjects::export`](crate::saved_objects::SavedObjects::export). The export's request is
    /// sent (and its status checked) by this call.
    pub fn export(&self, options: &ExportOptions) -> Result<Iter<ExportLine>, Error> {
        let lines = self.runtime.block_on(self.inner.export(options))?;
        Ok(Iter::new(lines, self.runtime.clone()))
    }

    /// Exports objects as raw NDJSON lines (without the newline), read as the iterator is read: see
    /// [`SavedObjects::export_lines`](crate::saved_objects::SavedObjects::export_lines).
    pub fn export_lines(&self, options: &ExportOptions) -> Result<Iter<Bytes>, Error> {
        let lines = self.runtime.block_on(self.inner.export_lines(options))?;
        Ok(Iter::new(lines, self.runtime.clone()))
    }

    /// See [`SavedObjects::import`](crate::saved_objects::SavedObjects::import).
    pub fn import(&self, ndjson: impl Into<Bytes>, mode: ImportMode) -> Result<ImportResult, Error> {
        self.runtime.block_on(self.inner.import(ndjson, mode))
    }

    /// See [`SavedObjects::resolve_import_errors`](crate::saved_objects::SavedObjects::resolve_import_errors).
    pub fn resolve_import_errors(
        &self,
        ndjson: impl Into<Bytes>,
        retries: &[ImportRetry],
        create_new_copies: bool,
    ) -> Result<ImportResult, Error> {
        self.runtime
            .block_on(self.inner.resolve_import_errors(ndjson, retries, create_new_copies))
    }
}
