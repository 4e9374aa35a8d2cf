//! [`Secret`]: a connector secret that is sent to Kibana but never printed.

use std::{borrow::Cow, fmt};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret value of a connector (password, token, webhook URL…).
///
/// It serializes to the plain string (Kibana needs it), deserializes from one (connector definitions in files), has
/// the JSON Schema of a string, and its `Debug` output is `[REDACTED]`; the value lives in a [`SecretString`],
/// zeroed when dropped.
///
/// ```
/// use kibana::connectors::types::Secret;
/// let token = Secret::new("xoxb-s3cr3t");
/// assert_eq!(format!("{token:?}"), "[REDACTED]");
/// assert_eq!(serde_json::to_value(&token).unwrap(), "xoxb-s3cr3t");
/// assert_eq!(token.expose_secret(), "xoxb-s3cr3t");
/// ```
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The value, for the rare code that must see it.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl JsonSchema for Secret {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}
