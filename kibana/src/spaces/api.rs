use http::Method;
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
    /// Whether Kibana reserves the space (the default space); read-only.
    #[serde(rename = "_reserved", default, skip_serializing)]
    pub reserved: bool,
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

/// The spaces API: `client.spaces()`. Spaces are global: the handle ignores the client's space scope.
#[derive(Clone, Debug)]
pub struct Spaces {
    client: Kibana,
}

impl Kibana {
    /// The spaces API.
    pub fn spaces(&self) -> Spaces {
        Spaces {
            client: self.default_space(),
        }
    }
}

const SPACE_PATH: &str = "/api/spaces/space/{id}";

impl Spaces {
    /// Creates a space (checked locally first). Kibana answers 409 ([`Error::Conflict`]) when the id is taken.
    pub async fn create(&self, space: &Space) -> Result<Space, Error> {
        space.validate()?;
        let (_, created): (_, Space) = self
            .client
            .send_json(
                "create_space",
                "/api/spaces/space",
                Method::POST,
                "/api/spaces/space",
                Some(space),
                false,
            )
            .await?;
        self.client.shared.spaces.record(&created.id, true);
        Ok(created)
    }

    /// A space by id.
    pub async fn get(&self, id: &str) -> Result<Space, Error> {
        let id = SpaceId::new(id)?;
        let path = format!("/api/spaces/space/{id}");
        let (_, space): (_, Space) = self
            .client
            .send_json_unchecked::<(), _>("get_space", SPACE_PATH, Method::GET, &path, None, false)
            .await?;
        Ok(space)
    }

    /// Every space.
    pub async fn list(&self) -> Result<Vec<Space>, Error> {
        let (_, spaces): (_, Vec<Space>) = self
            .client
            .send_json::<(), _>(
                "get_spaces",
                "/api/spaces/space",
                Method::GET,
                "/api/spaces/space",
                None,
                false,
            )
            .await?;
        Ok(spaces)
    }

    /// Replaces a space's attributes (checked locally first).
    pub async fn update(&self, space: &Space) -> Result<Space, Error> {
        space.validate()?;
        let path = format!("/api/spaces/space/{}", space.id);
        let (_, updated): (_, Space) = self
            .client
            .send_json("update_space", SPACE_PATH, Method::PUT, &path, Some(space), false)
            .await?;
        Ok(updated)
    }

    /// Deletes a space and everything in it. The default space cannot be deleted (Kibana answers 400).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let space = SpaceId::new(id)?;
        let path = format!("/api/spaces/space/{space}");
        self.client.shared.spaces.invalidate(id);
        let result = self
            .client
            .send_json::<(), serde_json::Value>("delete_space", SPACE_PATH, Method::DELETE, &path, None, false)
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
