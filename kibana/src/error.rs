//! [`Error`]: everything that can go wrong, matchable, and always saying which request and which space.

use std::{fmt, time::Duration};

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

/// Kibana's error body (a Boom error): `{statusCode, error, message, attributes?}`.
///
/// When Kibana answers with something else (the plain-text `Kibana server is not ready yet`, an HTML page from a
/// proxy), `message` holds the start of that text and `error` is the status's reason phrase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KibanaErrorBody {
    /// The HTTP status code Kibana put in the body.
    pub status_code: u16,
    /// The reason phrase, e.g. `Conflict`.
    #[serde(default)]
    pub error: String,
    /// What went wrong, in Kibana's words.
    #[serde(default)]
    pub message: String,
    /// Operation-specific details, when Kibana gives any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<serde_json::Value>,
}

impl KibanaErrorBody {
    /// Parses an error body; a body that is not Kibana's JSON shape is kept as text (shortened).
    pub fn parse(status: StatusCode, body: &[u8]) -> Self {
        serde_json::from_slice::<KibanaErrorBody>(body).unwrap_or_else(|_| Self {
            status_code: status.as_u16(),
            error: status.canonical_reason().unwrap_or_default().to_owned(),
            message: snippet(body),
            attributes: None,
        })
    }
}

impl KibanaErrorBody {
    /// Kibana's API does not redirect: a 3xx comes from a proxy or a wrong base URL. It is not followed (a POST
    /// turned into a GET by a 301 is worse than an error), and its message names the target instead.
    pub(crate) fn note_redirect(&mut self, status: StatusCode, headers: Option<&http::HeaderMap>) {
        if !status.is_redirection() {
            return;
        }
        let location = headers
            .and_then(|h| h.get(http::header::LOCATION))
            .and_then(|v| v.to_str().ok())
            .unwrap_or("(no Location header)");
        self.message =
            format!("redirected to {location}; kibana-rs does not follow redirects: point the client at the final URL");
    }
}

/// At most 200 characters of a body, for messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// An error answer from Kibana: the request, the status and Kibana's body.
#[derive(Clone, Debug)]
pub struct ApiError {
    /// The request's method.
    pub method: Method,
    /// The request's path (with the `/s/{space}` prefix when there was one).
    pub path: String,
    /// The space the request was scoped to (`None`: the default space).
    pub space: Option<String>,
    /// The HTTP status.
    pub status: StatusCode,
    /// Kibana's error body.
    pub body: KibanaErrorBody,
    /// `Retry-After`, when Kibana sent one.
    pub retry_after: Option<Duration>,
    /// How many times the request was sent.
    pub attempts: u32,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} answered {}: {}",
            self.method, self.path, self.status, self.body.message
        )?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// A request that failed before an answer arrived.
#[derive(Debug)]
pub struct TransportFailure {
    /// The request's method.
    pub method: Method,
    /// The request's path.
    pub path: String,
    /// The space the request was scoped to.
    pub space: Option<String>,
    /// How many times the request was sent (or tried).
    pub attempts: u32,
    /// The underlying error.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} after {} attempt(s): {}",
            self.method, self.path, self.attempts, self.source
        )?;
        let mut source = self.source.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// A successful status whose body could not be read as the expected type.
#[derive(Debug)]
pub struct DecodeFailure {
    /// The request's method.
    pub method: Method,
    /// The request's path.
    pub path: String,
    /// The space the request was scoped to.
    pub space: Option<String>,
    /// The response status.
    pub status: StatusCode,
    /// The start of the body (never credentials: those are only ever sent, not received).
    pub body_snippet: String,
    /// What did not fit.
    pub reason: String,
}

/// A typed connector call met a connector of another type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectorTypeMismatch {
    /// The connector.
    pub connector_id: String,
    /// The type asked for.
    pub expected: &'static str,
    /// The connector's type.
    pub actual: String,
    /// The space.
    pub space: Option<String>,
}

/// A typed rule call met a rule of another type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleTypeMismatch {
    /// The rule.
    pub rule_id: String,
    /// The type asked for.
    pub expected: &'static str,
    /// The rule's type.
    pub actual: String,
    /// The space.
    pub space: Option<String>,
}

/// A connector that ran and failed.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectorFailure {
    /// The connector.
    pub connector_id: String,
    /// Kibana's message.
    pub message: String,
    /// The third-party service's message.
    pub service_message: Option<String>,
    /// Kibana's retry hint (`true`, `false` or a date).
    pub retry: Option<serde_json::Value>,
}

/// Every way a call can fail.
///
/// Status errors carry Kibana's parsed body and the request; space errors name the space; nothing carries
/// credentials.
///
/// ```
/// # async fn demo(client: kibana::Kibana) {
/// match client.connectors().get("my-connector").await {
///     Ok(connector) => println!("{}", connector.name),
///     Err(kibana::Error::NotFound(e)) => println!("no such connector: {}", e.body.message),
///     Err(e) if e.is_retryable() => println!("try again later: {e}"),
///     Err(e) => println!("failed: {e}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400: Kibana refused the request (validation, bad JSON, missing `kbn-xsrf`...).
    #[error("{tag}bad request: {0}", tag = space_tag(.0.space.as_deref()))]
    BadRequest(Box<ApiError>),
    /// 401: no or wrong credentials.
    #[error("{tag}unauthorized: {0}", tag = space_tag(.0.space.as_deref()))]
    Unauthorized(Box<ApiError>),
    /// 403: the credentials lack a privilege.
    #[error("{tag}forbidden: {0}", tag = space_tag(.0.space.as_deref()))]
    Forbidden(Box<ApiError>),
    /// 404: the object (or route) does not exist.
    #[error("{tag}not found: {0}", tag = space_tag(.0.space.as_deref()))]
    NotFound(Box<ApiError>),
    /// 409: the object exists already, or was changed concurrently.
    #[error("{tag}conflict: {0}", tag = space_tag(.0.space.as_deref()))]
    Conflict(Box<ApiError>),
    /// 413: the body is larger than Kibana's `server.maxPayload`.
    #[error("{tag}payload too large: {0}", tag = space_tag(.0.space.as_deref()))]
    PayloadTooLarge(Box<ApiError>),
    /// 429: Kibana (or Elasticsearch behind it) is overloaded; see `retry_after`.
    #[error("{tag}too many requests: {0}", tag = space_tag(.0.space.as_deref()))]
    TooManyRequests(Box<ApiError>),
    /// 503: Kibana is not ready or Elasticsearch is unavailable; see `retry_after`.
    #[error("{tag}service unavailable: {0}", tag = space_tag(.0.space.as_deref()))]
    ServiceUnavailable(Box<ApiError>),
    /// Any other 5xx.
    #[error("{tag}server error: {0}", tag = space_tag(.0.space.as_deref()))]
    ServerError(Box<ApiError>),
    /// Any other non-2xx status.
    #[error("{tag}unexpected status: {0}", tag = space_tag(.0.space.as_deref()))]
    OtherStatus(Box<ApiError>),
    /// The space does not exist (checked before the request, which was not sent).
    #[error("[space: {space_id}] the space does not exist; the request was not sent")]
    SpaceNotFound {
        /// The space.
        space_id: String,
    },
    /// The space id cannot be a Kibana space id (checked locally; nothing was sent).
    #[error("[space: {space_id}] invalid space id: {reason}")]
    InvalidSpaceId {
        /// The id as given.
        space_id: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Checking whether the space exists failed (the intended request was not sent).
    #[error("[space: {space_id}] could not check that the space exists: {source}")]
    SpaceValidation {
        /// The space.
        space_id: String,
        /// Why the check failed (shared by every call that waited for the same check).
        source: std::sync::Arc<Error>,
    },
    /// Kibana did not become available in time.
    #[error("Kibana was not available after {waited:?} (last status: {last})")]
    NotAvailable {
        /// How long was waited.
        waited: Duration,
        /// The last status level, or the last error.
        last: String,
    },
    /// The server's Kibana version is outside what this SDK was generated for, and the client refuses it.
    #[error("Kibana {server} is not a version kibana-rs was generated for ({generated_for})")]
    IncompatibleVersion {
        /// The server's version.
        server: String,
        /// The pin's Kibana range.
        generated_for: String,
    },
    /// A typed call met a connector of another type (nothing was changed).
    #[error("{tag}connector {} is a {} connector, not {}", .0.connector_id, .0.actual, .0.expected, tag = space_tag(.0.space.as_deref()))]
    ConnectorTypeMismatch(Box<ConnectorTypeMismatch>),
    /// A typed rule call met a rule of another type (nothing was changed).
    #[error("{tag}rule {} is a {} rule, not {}", .0.rule_id, .0.actual, .0.expected, tag = space_tag(.0.space.as_deref()))]
    RuleTypeMismatch(Box<RuleTypeMismatch>),
    /// The connector ran and failed (Kibana answered 200 with `status: "error"`).
    #[error("connector {} failed: {}{detail}", .0.connector_id, .0.message, detail = .0.service_message.as_ref().map(|m| format!(" ({m})")).unwrap_or_default())]
    ConnectorFailed(Box<ConnectorFailure>),
    /// A value given to the SDK is invalid (checked locally; nothing was sent).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The connection failed or broke.
    #[error("{tag}connection failed: {0}", tag = space_tag(.0.space.as_deref()))]
    Connection(Box<TransportFailure>),
    /// No answer within the timeout.
    #[error("{tag}timed out: {0}", tag = space_tag(.0.space.as_deref()))]
    Timeout(Box<TransportFailure>),
    /// The TLS handshake failed (certificate, fingerprint pin, protocol).
    #[error("{tag}TLS failed: {0}", tag = space_tag(.0.space.as_deref()))]
    Tls(Box<TransportFailure>),
    /// A success status with a body that does not have the expected shape.
    #[error(
        "{tag}could not decode the answer to {method} {path} ({status}): {reason}; body starts with: {snippet}",
        tag = space_tag(.0.space.as_deref()), method = .0.method, path = .0.path, status = .0.status,
        reason = .0.reason, snippet = .0.body_snippet
    )]
    Decode(Box<DecodeFailure>),
    /// The client configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
}

fn space_tag(space: Option<&str>) -> String {
    space.map(|s| format!("[space: {s}] ")).unwrap_or_default()
}

impl Error {
    /// Maps an error status to its variant.
    pub(crate) fn from_status(error: ApiError) -> Self {
        let boxed = Box::new(error);
        match boxed.status.as_u16() {
            400 => Self::BadRequest(boxed),
            401 => Self::Unauthorized(boxed),
            403 => Self::Forbidden(boxed),
            404 => Self::NotFound(boxed),
            409 => Self::Conflict(boxed),
            413 => Self::PayloadTooLarge(boxed),
            429 => Self::TooManyRequests(boxed),
            503 => Self::ServiceUnavailable(boxed),
            500..=599 => Self::ServerError(boxed),
            _ => Self::OtherStatus(boxed),
        }
    }

    /// The error answer, for status errors.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::BadRequest(e)
            | Self::Unauthorized(e)
            | Self::Forbidden(e)
            | Self::NotFound(e)
            | Self::Conflict(e)
            | Self::PayloadTooLarge(e)
            | Self::TooManyRequests(e)
            | Self::ServiceUnavailable(e)
            | Self::ServerError(e)
            | Self::OtherStatus(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when Kibana answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Decode(d) => Some(d.status),
            _ => self.api_error().map(|e| e.status),
        }
    }

    /// Kibana's own message, when Kibana answered with an error.
    pub fn kibana_message(&self) -> Option<&str> {
        self.api_error().map(|e| e.body.message.as_str())
    }

    /// `Retry-After` as Kibana sent it (429 and 503).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(|e| e.retry_after)
    }

    /// The space this error concerns (`None`: the default space, or no space involved).
    pub fn space(&self) -> Option<&str> {
        match self {
            Self::SpaceNotFound { space_id }
            | Self::InvalidSpaceId { space_id, .. }
            | Self::SpaceValidation { space_id, .. } => Some(space_id),
            Self::Connection(f) | Self::Timeout(f) | Self::Tls(f) => f.space.as_deref(),
            Self::Decode(d) => d.space.as_deref(),
            Self::ConnectorTypeMismatch(mismatch) => mismatch.space.as_deref(),
            Self::RuleTypeMismatch(mismatch) => mismatch.space.as_deref(),
            _ => self.api_error().and_then(|e| e.space.as_deref()),
        }
    }

    /// Whether trying the same call again later may succeed (overload, unavailability, connection trouble).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::TooManyRequests(_) | Self::ServiceUnavailable(_) | Self::Connection(_) | Self::Timeout(_) => true,
            Self::ServerError(e) => matches!(e.status.as_u16(), 502 | 504),
            _ => false,
        }
    }
}

/// An invalid client configuration, reported by [`KibanaBuilder::build`](crate::KibanaBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No host, URL or cloud id was given.
    #[error("no Kibana host: give `url`, `hosts` or `cloud_id`")]
    NoHost,
    /// Hosts were given in more than one way.
    #[error("give Kibana's location once: `url`/`hosts` and `cloud_id` exclude each other")]
    ConflictingHosts,
    /// A host URL is not usable.
    #[error("invalid Kibana URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// The cloud id cannot be decoded.
    #[error("invalid Elastic Cloud id: {reason}")]
    InvalidCloudId {
        /// Why.
        reason: String,
    },
    /// The cloud id decodes, but names no Kibana.
    #[error("the Elastic Cloud id has no Kibana part: this deployment has no Kibana")]
    CloudIdWithoutKibana,
    /// More than one kind of credentials was set.
    #[error("credentials were set twice ({first} and {second}); give exactly one kind")]
    ConflictingCredentials {
        /// The first kind.
        first: &'static str,
        /// The second kind.
        second: &'static str,
    },
    /// A credential cannot be sent in an HTTP header.
    #[error("the {kind} credentials contain characters that cannot be sent in an HTTP header")]
    InvalidCredentials {
        /// The kind.
        kind: &'static str,
    },
    /// A header name or value is invalid.
    #[error("invalid header {name:?}: {reason}")]
    InvalidHeader {
        /// The name as given.
        name: String,
        /// Why.
        reason: String,
    },
    /// A numeric setting is out of range.
    #[error("invalid {setting}: {reason}")]
    OutOfRange {
        /// The setting.
        setting: &'static str,
        /// Why.
        reason: String,
    },
    /// A TLS setting is unusable (bad PEM, bad fingerprint...).
    #[error("invalid TLS setting: {0}")]
    Tls(String),
}
