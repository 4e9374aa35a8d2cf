//! How the client authenticates: exactly one of API key, basic, bearer, or none.

use std::fmt;

use base64::{Engine, engine::general_purpose::STANDARD};
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

/// Credentials sent in the `Authorization` header. Their `Debug` output never contains the secret.
///
/// ```
/// use kibana::Credentials;
///
/// let creds = Credentials::api_key_id("VuaCfGcBCdbkQm-e5aOx", "ui2lp2axTNmsyakw9tvNnw");
/// assert_eq!(format!("{creds:?}"), "Credentials::ApiKey(<redacted>)");
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Credentials {
    /// `Authorization: ApiKey <encoded>`; `encoded` is the `encoded` value Elasticsearch returns,
    /// `base64(id:api_key)`.
    ApiKey(SecretString),
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name (not secret, shown in `Debug`).
        username: String,
        /// The password.
        password: SecretString,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(SecretString),
    /// No `Authorization` header (anonymous access, or auth added by a layer of your own).
    #[default]
    None,
}

impl Credentials {
    /// An API key in its encoded form (`base64(id:api_key)`, the `encoded` field Elasticsearch returns).
    pub fn api_key(encoded: impl Into<String>) -> Self {
        Self::ApiKey(SecretString::from(encoded.into()))
    }

    /// An API key from its id and key; encoded here.
    pub fn api_key_id(id: impl AsRef<str>, api_key: impl AsRef<str>) -> Self {
        Self::api_key(STANDARD.encode(format!("{}:{}", id.as_ref(), api_key.as_ref())))
    }

    /// A user name and password.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic {
            username: username.into(),
            password: SecretString::from(password.into()),
        }
    }

    /// A bearer token (e.g. an OAuth access token or a service account token).
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(SecretString::from(token.into()))
    }

    /// The `Authorization` header value, marked sensitive so that `http`'s `Debug` hides it.
    pub(crate) fn header_value(&self) -> Result<Option<HeaderValue>, http::header::InvalidHeaderValue> {
        let raw = match self {
            Self::ApiKey(key) => format!("ApiKey {}", key.expose_secret()),
            Self::Basic { username, password } => {
                format!(
                    "Basic {}",
                    STANDARD.encode(format!("{username}:{}", password.expose_secret()))
                )
            }
            Self::Bearer(token) => format!("Bearer {}", token.expose_secret()),
            Self::None => return Ok(None),
        };
        let mut value = HeaderValue::from_str(&raw)?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// The scheme name, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ApiKey(_) => "ApiKey",
            Self::Basic { .. } => "Basic",
            Self::Bearer(_) => "Bearer",
            Self::None => "None",
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ApiKey(_) => f.write_str("Credentials::ApiKey(<redacted>)"),
            Self::Basic { username, .. } => write!(
                f,
                "Credentials::Basic {{ username: {username:?}, password: <redacted> }}"
            ),
            Self::Bearer(_) => f.write_str("Credentials::Bearer(<redacted>)"),
            Self::None => f.write_str("Credentials::None"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values() {
        let v = Credentials::api_key_id("id", "key").header_value().unwrap().unwrap();
        assert_eq!(v.to_str().unwrap(), format!("ApiKey {}", STANDARD.encode("id:key")));
        assert!(v.is_sensitive());
        let v = Credentials::basic("elastic", "changeme")
            .header_value()
            .unwrap()
            .unwrap();
        assert_eq!(v.to_str().unwrap(), "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
        let v = Credentials::bearer("tok").header_value().unwrap().unwrap();
        assert_eq!(v.to_str().unwrap(), "Bearer tok");
        assert!(Credentials::None.header_value().unwrap().is_none());
    }

    #[test]
    fn debug_never_prints_secrets() {
        for creds in [
            Credentials::api_key("c2VjcmV0LWtleQ=="),
            Credentials::basic("elastic", "s3cr3t-pass"),
            Credentials::bearer("s3cr3t-token"),
        ] {
            let debug = format!("{creds:?}");
            assert!(!debug.contains("s3cr3t") && !debug.contains("c2VjcmV0"), "{debug}");
        }
    }
}
