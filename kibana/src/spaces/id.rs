//! Space ids, checked locally with Kibana's own rule before anything is sent.

use std::fmt;

use crate::Error;

/// A valid space id: `^[a-z0-9_-]+$`, at most [`SpaceId::MAX_LEN`] characters.
///
/// ```
/// use kibana::SpaceId;
/// assert!(SpaceId::new("marketing-eu_2").is_ok());
/// assert!(SpaceId::new("Marketing").is_err());
/// assert!(SpaceId::new("../admin").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpaceId(String);

impl SpaceId {
    /// The reserved default space.
    pub const DEFAULT: &'static str = "default";
    /// Longest id accepted. Current Kibana sets no maximum (older versions: 500); ids past a few hundred
    /// characters are almost surely a bug in the caller.
    pub const MAX_LEN: usize = 500;

    /// Checks `id` against Kibana's rule.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        let invalid = |reason: String| Error::InvalidSpaceId {
            space_id: id.clone(),
            reason,
        };
        if id.is_empty() {
            return Err(invalid("it is empty".into()));
        }
        if id.len() > Self::MAX_LEN {
            return Err(invalid(format!("it is longer than {} characters", Self::MAX_LEN)));
        }
        if let Some(bad) = id.chars().find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '_' | '-')) {
            return Err(invalid(format!(
                "{bad:?} is not allowed: only lower case a-z, 0-9, '_' and '-' are"
            )));
        }
        Ok(Self(id))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the default space.
    pub fn is_default(&self) -> bool {
        self.0 == Self::DEFAULT
    }
}

impl fmt::Display for SpaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SpaceId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_ids() {
        let long = "a".repeat(SpaceId::MAX_LEN + 1);
        for id in [
            "",
            "Marketing",
            "a/b",
            "..",
            "a b",
            "é",
            "a.b",
            "a\n",
            "%2e",
            long.as_str(),
        ] {
            match SpaceId::new(id) {
                Err(Error::InvalidSpaceId { space_id, reason }) => {
                    assert_eq!(space_id, id);
                    assert!(!reason.is_empty());
                }
                other => panic!("{id:?}: {other:?}"),
            }
        }
        assert!(SpaceId::new("a".repeat(SpaceId::MAX_LEN)).is_ok());
        assert!(SpaceId::new("default").unwrap().is_default());
    }
}
