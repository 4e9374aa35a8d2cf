//! [`Spaces`]: the spaces API, blocking.

use std::{collections::BTreeMap, sync::Arc};

use super::runtime::Runtime;
use crate::{
    Error, Space,
    saved_objects::ImportResult,
    spaces::{CopyRetry, CopyToSpaces, LegacyUrlAlias, ObjectRef, ObjectSpaces},
};

/// The spaces API, blocking: [`kibana::spaces::Spaces`](crate::spaces::Spaces)'s methods, with the same names and
/// arguments. Spaces themselves are global (CRUD ignores the view's space); copying and sharing saved objects works
/// *from* the view's space.
///
/// ```no_run
/// use kibana::Space;
///
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
/// client.spaces().create(&Space::new("ops", "Operations").with_color("#3F51B5"))?;
/// for space in client.spaces().list()? {
///     println!("{} ({})", space.name, space.id);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Spaces {
    inner: crate::spaces::Spaces,
    runtime: Arc<Runtime>,
}

impl Spaces {
    pub(crate) fn new(inner: crate::spaces::Spaces, runtime: Arc<Runtime>) -> Self {
        Self { inner, runtime }
    }

    /// See [`Spaces::create`](crate::spaces::Spaces::create).
    pub fn create(&self, space: &Space) -> Result<Space, Error> {
        self.runtime.block_on(self.inner.create(space))
    }

    /// See [`Spaces::get`](crate::spaces::Spaces::get).
    pub fn get(&self, id: &str) -> Result<Space, Error> {
        self.runtime.block_on(self.inner.get(id))
    }

    /// See [`Spaces::list`](crate::spaces::Spaces::list).
    pub fn list(&self) -> Result<Vec<Space>, Error> {
        self.runtime.block_on(self.inner.list())
    }

    /// See [`Spaces::update`](crate::spaces::Spaces::update).
    pub fn update(&self, space: &Space) -> Result<Space, Error> {
        self.runtime.block_on(self.inner.update(space))
    }

    /// See [`Spaces::delete`](crate::spaces::Spaces::delete).
    pub fn delete(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.delete(id))
    }

    /// See [`Spaces::copy_saved_objects`](crate::spaces::Spaces::copy_saved_objects).
    pub fn copy_saved_objects(&self, copy: &CopyToSpaces) -> Result<BTreeMap<String, ImportResult>, Error> {
        self.runtime.block_on(self.inner.copy_saved_objects(copy))
    }

    /// See [`Spaces::resolve_copy_errors`](crate::spaces::Spaces::resolve_copy_errors).
    pub fn resolve_copy_errors(
        &self,
        objects: &[ObjectRef],
        retries: &BTreeMap<String, Vec<CopyRetry>>,
        include_references: bool,
    ) -> Result<BTreeMap<String, ImportResult>, Error> {
        self.runtime
            .block_on(self.inner.resolve_copy_errors(objects, retries, include_references))
    }

    /// See [`Spaces::update_objects_spaces`](crate::spaces::Spaces::update_objects_spaces).
    pub fn update_objects_spaces(
        &self,
        objects: &[ObjectRef],
        spaces_to_add: &[&str],
        spaces_to_remove: &[&str],
    ) -> Result<Vec<ObjectSpaces>, Error> {
        self.runtime.block_on(
            self.inner
                .update_objects_spaces(objects, spaces_to_add, spaces_to_remove),
        )
    }

    /// See [`Spaces::shareable_references`](crate::spaces::Spaces::shareable_references).
    pub fn shareable_references(&self, objects: &[ObjectRef]) -> Result<Vec<ObjectSpaces>, Error> {
        self.runtime.block_on(self.inner.shareable_references(objects))
    }

    /// See [`Spaces::disable_legacy_url_aliases`](crate::spaces::Spaces::disable_legacy_url_aliases).
    pub fn disable_legacy_url_aliases(&self, aliases: &[LegacyUrlAlias]) -> Result<(), Error> {
        self.runtime.block_on(self.inner.disable_legacy_url_aliases(aliases))
    }
}
