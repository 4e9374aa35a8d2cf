use kibana_gen::spec::routes;
use serde_json::Value;

use crate::saved_objects::ImportResult;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::SpaceId;
use crate::{Error, Kibana};

/// A Kibana space.
///
/// ```
/// let space = kibana::Space::new("marketing", "Marketing")
///     .with_color("#AA6556")
///     .with_initials("MK")
///     .with_description("Campaign dashboards");
/// assert!(space.validate().is_ok());
/// assert!(kibana::Space::new("marketing", "Marketing").with_color("red").validate().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Space {
    /// The id (`^[a-z0-9_-]+$`), part of every URL in the space.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Avatar colour, `#` and 6 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Avatar initials, at most 2 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    /// Features hidden in this space.
    #[serde(default)]
    pub disabled_features: Vec<String>,
    /// Avatar image, a `data:image/...` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// The solution view (`es`, `oblt`, `security`, `classic`) on Kibana versions that have them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
    /// Whether Kibana reserves the space (the default space); read-only, so never sent.
    #[serde(rename = "_reserved", default, skip_serializing)]
    pub reserved: bool,
    /// Everything else Kibana sent (a newer Kibana's settings), kept so that reading a space and updating it
    /// loses nothing.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl Space {
    /// A space with an id and a name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            description: None,
            color: None,
            initials: None,
            disabled_features: Vec::new(),
            image_url: None,
            solution: None,
            reserved: false,
            other: serde_json::Map::new(),
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the avatar colour.
    pub fn with_color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// Sets the avatar initials.
    pub fn with_initials(mut self, initials: impl Into<String>) -> Self {
        self.initials = Some(initials.into());
        self
    }

    /// Hides features.
    pub fn with_disabled_features<I: IntoIterator<Item = S>, S: Into<String>>(mut self, features: I) -> Self {
        self.disabled_features = features.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the avatar image (`data:image/...`).
    pub fn with_image_url(mut self, url: impl Into<String>) -> Self {
        self.image_url = Some(url.into());
        self
    }

    /// Sets the solution view.
    pub fn with_solution(mut self, solution: impl Into<String>) -> Self {
        self.solution = Some(solution.into());
        self
    }

    /// Checks the space the way Kibana would, so that a bad value is reported before anything is sent.
    pub fn validate(&self) -> Result<(), Error> {
        SpaceId::new(&self.id)?;
        let invalid = |what: &str| Err(Error::InvalidRequest(format!("space {:?}: {what}", self.id)));
        if self.name.trim().is_empty() {
            return invalid("the name must not be empty");
        }
        if let Some(color) = &self.color {
            let hex = color.strip_prefix('#').unwrap_or_default();
            if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return invalid(&format!(
                    "color {color:?} must be a 6 digit hex color, starting with a #"
                ));
            }
        }
        if self.initials.as_ref().is_some_and(|i| i.chars().count() > 2) {
            return invalid("initials must be at most 2 characters");
        }
        if self.image_url.as_ref().is_some_and(|u| !u.starts_with("data:image")) {
            return invalid("image_url must be a data:image URL");
        }
        if self.disabled_features.len() > 100 {
            return invalid("at most 100 disabled features");
        }
        Ok(())
    }
}

/// The spaces API: `client.spaces()`. Spaces themselves are global (CRUD ignores the view's space); copying and
/// sharing saved objects works *from* the view's space.
#[derive(Clone, Debug)]
pub struct Spaces {
    client: Kibana,
    scoped: Kibana,
}

impl Kibana {
    /// The spaces API.
    pub fn spaces(&self) -> Spaces {
        Spaces {
            client: self.default_space(),
            scoped: self.clone(),
        }
    }
}

impl Spaces {
    /// Creates a space (checked locally first). Kibana answers 409 ([`Error::Conflict`]) when the id is taken.
    pub async fn create(&self, space: &Space) -> Result<Space, Error> {
        space.validate()?;
        let created: Space = self
            .client
            .route(&routes::POST_SPACES_SPACE, &[])
            .unscoped()
            .send(Some(space))
            .await?;
        self.client.shared.spaces.record(&created.id, true);
        Ok(created)
    }

    /// A space by id.
    pub async fn get(&self, id: &str) -> Result<Space, Error> {
        let id = SpaceId::new(id)?;
        self.client
            .route(&routes::GET_SPACES_SPACE_ID, &[id.as_str()])
            .unscoped()
            .send_unchecked::<(), _>(None)
            .await
    }

    /// Every space.
    pub async fn list(&self) -> Result<Vec<Space>, Error> {
        self.client
            .route(&routes::GET_SPACES_SPACE, &[])
            .unscoped()
            .send::<(), _>(None)
            .await
    }

    /// Replaces a space's attributes (checked locally first).
    pub async fn update(&self, space: &Space) -> Result<Space, Error> {
        space.validate()?;
        self.client
            .route(&routes::PUT_SPACES_SPACE_ID, &[&space.id])
            .unscoped()
            .send(Some(space))
            .await
    }

    /// Deletes a space and everything in it. The default space cannot be deleted (Kibana answers 400).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let space = SpaceId::new(id)?;
        self.client.shared.spaces.invalidate(id);
        let result = self
            .client
            .route(&routes::DELETE_SPACES_SPACE_ID, &[space.as_str()])
            .unscoped()
            .send::<(), Value>(None)
            .await;
        self.client.shared.spaces.invalidate(id);
        result.map(|_| ())
    }

    /// Whether a space exists, asking Kibana (no cache).
    pub(crate) async fn exists_uncached(&self, id: &SpaceId) -> Result<bool, Error> {
        match self.get(id.as_str()).await {
            Ok(_) => Ok(true),
            Err(Error::NotFound(_)) => Ok(false),
            Err(error) => Err(error),
        }
    }
}

/// A saved object, by type and id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The id.
    pub id: String,
}

impl ObjectRef {
    /// `object_type`/`id`.
    pub fn new(object_type: impl Into<String>, id: impl Into<String>) -> Self {
        Self {
            object_type: object_type.into(),
            id: id.into(),
        }
    }
}

/// How to copy saved objects to other spaces. Kibana refuses `overwrite` with `create_new_copies`; so does this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct CopyToSpaces {
    spaces: Vec<String>,
    objects: Vec<ObjectRef>,
    include_references: bool,
    overwrite: bool,
    create_new_copies: bool,
}

impl CopyToSpaces {
    /// Copies `objects` to `spaces`, with their references, reporting conflicts.
    pub fn new<S: Into<String>>(
        spaces: impl IntoIterator<Item = S>,
        objects: impl IntoIterator<Item = ObjectRef>,
    ) -> Self {
        Self {
            spaces: spaces.into_iter().map(Into::into).collect(),
            objects: objects.into_iter().collect(),
            include_references: true,
            overwrite: false,
            create_new_copies: false,
        }
    }

    /// Also copy the objects they reference (default true).
    pub fn include_references(mut self, include: bool) -> Self {
        self.include_references = include;
        self
    }

    /// Overwrite objects that exist in the target spaces.
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// Give every copy a new id.
    pub fn create_new_copies(mut self, create: bool) -> Self {
        self.create_new_copies = create;
        self
    }

    fn validate(&self) -> Result<(), Error> {
        for space in &self.spaces {
            SpaceId::new(space)?;
        }
        if self.spaces.is_empty() || self.objects.is_empty() {
            return Err(Error::InvalidRequest(
                "copy needs at least one target space and one object".into(),
            ));
        }
        if self.overwrite && self.create_new_copies {
            return Err(Error::InvalidRequest(
                "overwrite and create_new_copies cannot be used together".into(),
            ));
        }
        Ok(())
    }
}

/// A retry of a failed copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CopyRetry {
    /// The object's type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The object's id.
    pub id: String,
    /// Overwrite the object in the target space.
    pub overwrite: bool,
    /// Copy it under this id instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_id: Option<String>,
    /// Copy it even though references are missing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignore_missing_references: bool,
}

/// A saved object and the spaces it is in.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ObjectSpaces {
    /// The type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// The id.
    pub id: String,
    /// The spaces it is in.
    #[serde(default)]
    pub spaces: Vec<String>,
    /// Why it could not be changed, if it could not.
    #[serde(default)]
    pub error: Option<Value>,
}

/// A legacy URL alias to disable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyUrlAlias {
    /// The space the alias is in.
    pub target_space: String,
    /// The object type.
    pub target_type: String,
    /// The alias's (old) id.
    pub source_id: String,
}

impl Spaces {
    fn scoped_path(&self) -> &Kibana {
        &self.scoped
    }

    /// Copies saved objects from this view's space to other spaces; the result is per target space, with per-object
    /// errors (conflicts are reported there, not as an HTTP error).
    pub async fn copy_saved_objects(&self, copy: &CopyToSpaces) -> Result<BTreeMap<String, ImportResult>, Error> {
        copy.validate()?;
        self.scoped_path()
            .route(&routes::POST_SPACES_COPY_SAVED_OBJECTS, &[])
            .send(Some(copy))
            .await
    }

    /// Retries failed copies with per-object decisions, per target space.
    pub async fn resolve_copy_errors(
        &self,
        objects: &[ObjectRef],
        retries: &BTreeMap<String, Vec<CopyRetry>>,
        include_references: bool,
    ) -> Result<BTreeMap<String, ImportResult>, Error> {
        for space in retries.keys() {
            SpaceId::new(space)?;
        }
        let body = serde_json::json!({
            "objects": objects, "retries": retries, "includeReferences": include_references, "createNewCopies": false
        });
        self.scoped_path()
            .route(&routes::POST_SPACES_RESOLVE_COPY_SAVED_OBJECTS_ERRORS, &[])
            .send(Some(&body))
            .await
    }

    /// Shares objects to more spaces and/or removes them from some (`*` means every space).
    pub async fn update_objects_spaces(
        &self,
        objects: &[ObjectRef],
        spaces_to_add: &[&str],
        spaces_to_remove: &[&str],
    ) -> Result<Vec<ObjectSpaces>, Error> {
        for space in spaces_to_add.iter().chain(spaces_to_remove).filter(|s| **s != "*") {
            SpaceId::new(*space)?;
        }
        let body =
            serde_json::json!({"objects": objects, "spacesToAdd": spaces_to_add, "spacesToRemove": spaces_to_remove});
        let answer: Value = self
            .scoped_path()
            .route(&routes::POST_SPACES_UPDATE_OBJECTS_SPACES, &[])
            .send(Some(&body))
            .await?;
        serde_json::from_value(answer["objects"].clone())
            .map_err(|e| Error::InvalidRequest(format!("unexpected answer: {e}")))
    }

    /// The objects and everything they reference, with the spaces each is in (what sharing them would involve).
    pub async fn shareable_references(&self, objects: &[ObjectRef]) -> Result<Vec<ObjectSpaces>, Error> {
        let body = serde_json::json!({"objects": objects});
        let answer: Value = self
            .scoped_path()
            .route(&routes::POST_SPACES_GET_SHAREABLE_REFERENCES, &[])
            .send(Some(&body))
            .await?;
        serde_json::from_value(answer["objects"].clone())
            .map_err(|e| Error::InvalidRequest(format!("unexpected answer: {e}")))
    }

    /// Disables legacy URL aliases (so that old links stop resolving to the new objects).
    pub async fn disable_legacy_url_aliases(&self, aliases: &[LegacyUrlAlias]) -> Result<(), Error> {
        for alias in aliases {
            SpaceId::new(&alias.target_space)?;
        }
        let body = serde_json::json!({"aliases": aliases});
        let _: Value = self
            .client
            .route(&routes::POST_SPACES_DISABLE_LEGACY_URL_ALIASES, &[])
            .unscoped()
            .send(Some(&body))
            .await?;
        Ok(())
    }
}
