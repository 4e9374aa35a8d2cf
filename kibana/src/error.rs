//! [`Error`]: everything that can go wrong, matchable, and always saying which request and which space; and
//! [`TransportError`], what the stack reports below it.
//!
//! The bottom of the crate: this module imports no other module of it, and every other module may import it.

use std::{fmt, time::Duration};

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which time limit ran out: one attempt's, or the whole call's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeLimit {
    /// The attempt timeout ([`request_timeout`](crate::KibanaBuilder::request_timeout),
    /// [`with_timeout`](crate::Kibana::with_timeout)): one attempt, from sending to the last byte of the answer.
    Attempt,
    /// The call timeout ([`call_timeout`](crate::KibanaBuilder::call_timeout),
    /// [`with_call_timeout`](crate::Kibana::with_call_timeout)): the whole call, every attempt and every wait between
    /// attempts (backoff, `Retry-After`, the rate limiter).
    Call,
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Attempt => "attempt timeout",
            Self::Call => "call timeout",
        })
    }
}

/// Why the stack produced no response (or no complete body). [`Error::Connection`], [`Error::Timeout`],
/// [`Error::Tls`], [`Error::AnswerTooLarge`] and [`Error::ProxyAuthentication`] carry it as their source
/// ([`TransportFailure::transport_error`]).
///
/// ```
/// use std::time::Duration;
/// use kibana::{TimeLimit, transport::TransportError};
///
/// let error = TransportError::Timeout { limit: TimeLimit::Call, after: Duration::from_secs(90) };
/// assert!(error.is_timeout() && !error.is_connect() && !error.is_tls());
/// assert_eq!(error.to_string(), "the call timeout (90s) ran out");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (refused, DNS, connect timeout, TLS handshake, a proxy that could not connect):
    /// the request never reached Kibana, so even a create may be sent again.
    #[error("cannot connect")]
    Connect(#[source] BoxError),
    /// A time limit ran out: `limit` says which, `after` how long it was.
    #[error("the {limit} ({after:?}) ran out")]
    Timeout {
        /// The attempt's or the call's.
        limit: TimeLimit,
        /// The limit's length.
        after: Duration,
    },
    /// The exchange failed once connected (connection closed, protocol error): the request may have reached
    /// Kibana, unless [`may_have_been_processed`](Self::may_have_been_processed) says otherwise.
    #[error("the connection failed during the exchange")]
    Exchange(#[source] BoxError),
    /// Reading the answer's body failed (the connection broke off).
    #[error("reading the answer failed")]
    Body(#[source] BoxError),
    /// A success answer that would be held in memory whole is larger than
    /// [`max_response_body`](crate::KibanaBuilder::max_response_body) (streams such as exports are never held).
    #[error(
        "the answer's body is larger than max_response_body ({limit} bytes{declared}); raise the cap with \
         KibanaBuilder::max_response_body",
        declared = declared.map(|d| format!(", the answer declares {d}")).unwrap_or_default()
    )]
    AnswerTooLarge {
        /// The cap, in bytes.
        limit: u64,
        /// The `Content-Length` the server declared, when it did.
        declared: Option<u64>,
    },
    /// A proxy answered `407 Proxy Authentication Required`: the proxy credentials (from the proxy's URL or
    /// [`proxy_basic_auth`](crate::KibanaBuilder::proxy_basic_auth)) are missing or wrong. Never retried: asking
    /// again with the same credentials cannot help. The request did not reach Kibana.
    #[error(
        "the proxy {} refused the proxy credentials (407 Proxy Authentication Required): set them in the proxy URL or \
         with KibanaBuilder::proxy_basic_auth",
        proxy.as_deref().unwrap_or("on the way")
    )]
    ProxyAuthentication {
        /// The proxy (`http[s]://host:port`, never its credentials), when the client was configured with it.
        proxy: Option<String>,
    },
    /// The request could not be built or routed.
    #[error("{0}")]
    InvalidRequest(String),
    /// Raised by a layer of the user's.
    #[error(transparent)]
    Other(BoxError),
}

impl TransportError {
    /// Whether the request provably never reached the server.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect(_) | Self::ProxyAuthentication { .. })
    }

    /// Whether a time limit (connect, attempt, call) caused it.
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Connect(error) | Self::Exchange(error) | Self::Body(error) | Self::Other(error) => {
                caused_by_timeout(error.as_ref())
            }
            Self::InvalidRequest(_) | Self::AnswerTooLarge { .. } | Self::ProxyAuthentication { .. } => false,
        }
    }

    /// Which time limit ran out, when one did (a connect timeout is a [`Connect`](Self::Connect) error).
    pub fn time_limit(&self) -> Option<TimeLimit> {
        match self {
            Self::Timeout { limit, .. } => Some(*limit),
            _ => None,
        }
    }

    /// Whether the server may have received the request and acted on it. `false` when it provably did not: no
    /// connection was made ([`Connect`](Self::Connect), including a proxy that could not reach Kibana or refused the
    /// proxy credentials), the request was never written to a connection (hyper canceled it), an HTTP/2 server
    /// refused its stream with `REFUSED_STREAM` (RFC 9113 §8.7), or an HTTP/2 server's `GOAWAY` named a last stream
    /// below it (RFC 9113 §6.8: streams above the last stream id were not processed). Any method may be sent again
    /// then.
    ///
    /// ```
    /// use kibana::{TimeLimit, transport::TransportError};
    /// let timeout = TransportError::Timeout { limit: TimeLimit::Attempt, after: std::time::Duration::from_secs(30) };
    /// assert!(timeout.may_have_been_processed());
    /// let refused = TransportError::Connect("connection refused".into());
    /// assert!(!refused.may_have_been_processed());
    /// ```
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Connect(_) | Self::InvalidRequest(_) | Self::ProxyAuthentication { .. } => false,
            Self::Exchange(error) => !was_not_processed(error.as_ref()),
            Self::Timeout { .. } | Self::Body(_) | Self::AnswerTooLarge { .. } | Self::Other(_) => true,
        }
    }

    /// Whether TLS (a certificate, the pin, the handshake) caused it.
    pub fn is_tls(&self) -> bool {
        match self {
            Self::Connect(error) | Self::Exchange(error) | Self::Body(error) | Self::Other(error) => {
                is_tls_error(error.as_ref())
            }
            Self::Timeout { .. }
            | Self::InvalidRequest(_)
            | Self::AnswerTooLarge { .. }
            | Self::ProxyAuthentication { .. } => false,
        }
    }

    /// What a failed body read stands for: a time limit or the size cap when the stack's own body cut it (it
    /// fails with a `TransportError`), else [`Body`](Self::Body).
    pub(crate) fn from_body(error: reqwest::Error) -> Self {
        let mut cause = std::error::Error::source(&error);
        while let Some(inner) = cause {
            match inner.downcast_ref::<TransportError>() {
                Some(Self::Timeout { limit, after }) => {
                    return Self::Timeout {
                        limit: *limit,
                        after: *after,
                    };
                }
                Some(Self::AnswerTooLarge { limit, declared }) => {
                    return Self::AnswerTooLarge {
                        limit: *limit,
                        declared: *declared,
                    };
                }
                _ => cause = inner.source(),
            }
        }
        Self::Body(Box::new(error))
    }
}

/// An exchange error that provably left the request unprocessed: an HTTP/2 stream the server reset with
/// `REFUSED_STREAM`, a stream above the last stream id of the server's `GOAWAY` (h2 fails exactly those streams
/// with the remote `GOAWAY` error; streams at or below it that break later fail with a broken pipe or a reset), or a
/// request hyper never started writing (it reports those as canceled).
pub(crate) fn was_not_processed(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(h2) = error.downcast_ref::<h2::Error>()
            && h2.is_remote()
            && ((h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM)) || h2.is_go_away())
        {
            return true;
        }
        if error
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_canceled)
        {
            return true;
        }
        cause = error.source();
    }
    false
}

/// Whether an HTTP/2 server refused the stream (`REFUSED_STREAM`): the server is alive and chose not to serve it.
pub(crate) fn was_refused_stream(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(h2) = error.downcast_ref::<h2::Error>()
            && h2.is_reset()
            && h2.is_remote()
            && h2.reason() == Some(h2::Reason::REFUSED_STREAM)
        {
            return true;
        }
        cause = error.source();
    }
    false
}

fn caused_by_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || error
                .downcast_ref::<reqwest::Error>()
                .is_some_and(reqwest::Error::is_timeout)
        {
            return true;
        }
        cause = error.source();
    }
    false
}

/// Whether an error was caused by TLS: rustls errors arrive wrapped in (possibly nested) `io::Error`s, which do not
/// always expose them through `source()`.
pub(crate) fn is_tls_error(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.downcast_ref::<rustls::Error>().is_some() {
        return true;
    }
    if let Some(io) = error.downcast_ref::<std::io::Error>()
        && let Some(inner) = io.get_ref()
        && is_tls_error(inner)
    {
        return true;
    }
    error.source().is_some_and(is_tls_error)
}

/// GET, HEAD, PUT, DELETE and OPTIONS: sending one twice has the effect of sending it once (RFC 9110 §9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Kibana's error body (a Boom error): `{statusCode, error, message, attributes?}`.
///
/// When Kibana answers with something else (the plain-text `Kibana server is not ready yet`, an HTML page from a
/// proxy), `message` holds the start of that text and `error` is the status's reason phrase.
///
/// **Bounded**: whatever the server sends, an error body built by the client keeps at most
/// [`MAX_MESSAGE_BYTES`](Self::MAX_MESSAGE_BYTES) of `message`, [`MAX_ATTRIBUTES_BYTES`](Self::MAX_ATTRIBUTES_BYTES)
/// of `attributes` (as JSON) and 256 bytes of `error`, and the client reads at most
/// [`MAX_BODY_BYTES`](Self::MAX_BODY_BYTES) of an error answer's body. What was cut is said where it was cut:
/// `message` ends with `… [cut by kibana-rs: 4096 of 5242880 bytes shown]` (or `of more than N bytes` when the body
/// itself was cut), and oversized `attributes` become a JSON string holding their start and the same note.
///
/// ```
/// use http::StatusCode;
/// use kibana::KibanaErrorBody;
///
/// let body = format!(r#"{{"statusCode":400,"error":"Bad Request","message":"{}"}}"#, "x".repeat(1 << 20));
/// let parsed = KibanaErrorBody::parse(StatusCode::BAD_REQUEST, body.as_bytes());
/// assert_eq!(parsed.status_code, 400);
/// assert!(parsed.message.len() < KibanaErrorBody::MAX_MESSAGE_BYTES + 256);
/// assert!(parsed.message.contains("bytes shown]"), "{}", &parsed.message[4000..]);
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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

impl fmt::Debug for KibanaErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KibanaErrorBody")
            .field("status_code", &self.status_code)
            .field("error", &Clipped(&self.error, MAX_REASON_BYTES + NOTE_ROOM))
            .field(
                "message",
                &Clipped(&self.message, KibanaErrorBody::MAX_MESSAGE_BYTES + NOTE_ROOM),
            )
            .field(
                "attributes",
                &Clipped(&self.attributes, KibanaErrorBody::MAX_ATTRIBUTES_BYTES + NOTE_ROOM),
            )
            .finish()
    }
}

/// Most bytes of Kibana's `error` (the reason phrase) kept.
const MAX_REASON_BYTES: usize = 256;
/// Most characters of a body kept in a snippet (a decode failure, a non-JSON error body).
const MAX_SNIPPET_CHARS: usize = 200;
/// Most bytes of a decode failure's reason kept (serde quotes the unexpected value in it).
const MAX_REASON_TEXT_BYTES: usize = 1024;
/// Room for a cut note after a clipped value, in `Display` and `Debug`.
const NOTE_ROOM: usize = 256;

/// How an error body arrived: whole, or cut by the transport after [`KibanaErrorBody::MAX_BODY_BYTES`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BodyLength {
    /// The `Content-Length` the server declared, when it did.
    pub(crate) declared: Option<u64>,
}

impl BodyLength {
    pub(crate) fn from_headers(headers: Option<&http::HeaderMap>) -> Self {
        Self {
            declared: headers
                .and_then(|h| h.get(http::header::CONTENT_LENGTH))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok()),
        }
    }
}

impl KibanaErrorBody {
    /// Most bytes of an error answer's body the client reads (64 KiB); the rest is never read. Kibana's own error
    /// bodies are a few hundred bytes; the longest validation messages a few KiB.
    pub const MAX_BODY_BYTES: usize = 64 * 1024;
    /// Most bytes of `message` kept (4 KiB), before the cut note.
    pub const MAX_MESSAGE_BYTES: usize = 4 * 1024;
    /// Most bytes of `attributes`, as JSON, kept (4 KiB); larger attributes become a string with their start.
    pub const MAX_ATTRIBUTES_BYTES: usize = 4 * 1024;

    /// Parses an error body; a body that is not Kibana's JSON shape is kept as text (shortened). Only the first
    /// [`MAX_BODY_BYTES`](Self::MAX_BODY_BYTES) are looked at, and the result is bounded (see the type's docs).
    pub fn parse(status: StatusCode, body: &[u8]) -> Self {
        Self::parse_bounded(status, body, BodyLength::default())
    }

    /// [`parse`](Self::parse), knowing the length the server declared. A body longer than
    /// [`MAX_BODY_BYTES`](Self::MAX_BODY_BYTES) is taken as cut there (the transport keeps one byte more than the
    /// cap to say so).
    pub(crate) fn parse_bounded(status: StatusCode, body: &[u8], length: BodyLength) -> Self {
        let cut = body.len() > Self::MAX_BODY_BYTES;
        let kept = &body[..body.len().min(Self::MAX_BODY_BYTES)];
        let parsed = if cut {
            truncated::repair(kept)
                .into_iter()
                .find_map(|(json, open)| Some((loose(&json)?, open)))
        } else {
            loose(kept).map(|body| (body, None))
        };
        let Some((parsed, open)) = parsed else {
            return Self {
                status_code: status.as_u16(),
                error: status.canonical_reason().unwrap_or_default().to_owned(),
                message: text_message(kept, cut, length),
                attributes: None,
            };
        };
        let status_code = parsed.status_code.unwrap_or(status.as_u16());
        let error = parsed
            .error
            .unwrap_or_else(|| status.canonical_reason().unwrap_or_default().to_owned());
        let mut body = Self {
            status_code,
            error,
            message: parsed.message.unwrap_or_default(),
            attributes: parsed.attributes,
        };
        body.bound(open.as_deref());
        if cut {
            // Say how much of the body there was, once, at the end of the message.
            body.message.push_str(&body_cut_note(length));
        }
        body
    }

    /// The body of an error status the generated client parsed (bounded like [`parse`](Self::parse)).
    pub(crate) fn from_generated(status: StatusCode, generated: kibana_gen::types::KibanaError) -> Self {
        let mut body = Self {
            status_code: generated
                .status_code
                .and_then(|code| u16::try_from(code).ok())
                .unwrap_or(status.as_u16()),
            error: generated
                .error
                .unwrap_or_else(|| status.canonical_reason().unwrap_or_default().to_owned()),
            message: generated.message.unwrap_or_default(),
            attributes: (!generated.attributes.is_empty()).then_some(serde_json::Value::Object(generated.attributes)),
        };
        body.bound(None);
        body
    }

    /// Cuts every field to its cap; `open` names the field the body was cut inside (it is known only in part).
    fn bound(&mut self, open: Option<&str>) {
        if self.error.len() > MAX_REASON_BYTES {
            let total = self.error.len();
            self.error.truncate(floor_char_boundary(&self.error, MAX_REASON_BYTES));
            self.error.push_str(&cut_note(self.error.len(), total, false));
        }
        let message_open = open == Some("message");
        if self.message.len() > Self::MAX_MESSAGE_BYTES || message_open {
            let total = self.message.len();
            self.message
                .truncate(floor_char_boundary(&self.message, Self::MAX_MESSAGE_BYTES));
            self.message
                .push_str(&cut_note(self.message.len(), total, message_open));
        }
        if let Some(attributes) = &self.attributes {
            let attributes_open = open == Some("attributes");
            let json = attributes.to_string();
            if json.len() > Self::MAX_ATTRIBUTES_BYTES || attributes_open {
                let kept = &json[..floor_char_boundary(&json, Self::MAX_ATTRIBUTES_BYTES)];
                self.attributes = Some(serde_json::Value::String(format!(
                    "{kept}{}",
                    cut_note(kept.len(), json.len(), attributes_open)
                )));
            }
        }
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
        let location = Clipped(location, 1024);
        self.message =
            format!("redirected to {location}; kibana-rs does not follow redirects: point the client at the final URL");
    }
}

/// What a Kibana-shaped error body may hold, read leniently: a body is Kibana's when it is a JSON object with a
/// string `message` or a numeric `statusCode`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Loose {
    #[serde(default, deserialize_with = "lenient_status")]
    status_code: Option<u16>,
    #[serde(default, deserialize_with = "lenient_string")]
    error: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    message: Option<String>,
    #[serde(default)]
    attributes: Option<serde_json::Value>,
}

fn lenient_status<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u16>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value.as_u64().and_then(|n| u16::try_from(n).ok()))
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    })
}

fn loose(json: &[u8]) -> Option<Loose> {
    let value: serde_json::Value = serde_json::from_slice(json).ok()?;
    let object = value.as_object()?;
    let kibana_shaped = object.get("message").is_some_and(serde_json::Value::is_string)
        || object.get("statusCode").is_some_and(serde_json::Value::is_number);
    if !kibana_shaped {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// The message of an error body that is not Kibana's JSON: its start, and how much there was.
fn text_message(body: &[u8], cut: bool, length: BodyLength) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() && !cut {
        return if body.is_empty() {
            EMPTY_BODY.to_owned()
        } else {
            format!("(the error body was blank: {} bytes of whitespace)", body.len())
        };
    }
    match text.char_indices().nth(MAX_SNIPPET_CHARS) {
        Some((end, _)) => {
            let shown = &text[..end];
            match (cut, length.declared) {
                (true, Some(total)) => format!("{shown}{}", cut_note(shown.len(), total as usize, false)),
                (true, None) => format!("{shown}{}", cut_note(shown.len(), body.len(), true)),
                (false, _) => format!("{shown}{}", cut_note(shown.len(), text.len(), false)),
            }
        }
        None if cut => format!("{text}{}", body_cut_note(length)),
        None => text.to_owned(),
    }
}

/// The message of an error answer whose body was empty: said, rather than left blank after the status.
pub(crate) const EMPTY_BODY: &str = "(the error body was empty)";

fn cut_note(shown: usize, total: usize, more: bool) -> String {
    let more = if more { "more than " } else { "" };
    format!("… [cut by kibana-rs: {shown} of {more}{total} bytes shown]")
}

fn body_cut_note(length: BodyLength) -> String {
    let max = KibanaErrorBody::MAX_BODY_BYTES;
    match length.declared {
        Some(total) => format!(" [the {total}-byte error body was read up to its first {max} bytes]"),
        None => format!(" [the error body was read up to its first {max} bytes]"),
    }
}

/// The largest char boundary of `text` at or below `max`.
fn floor_char_boundary(text: &str, max: usize) -> usize {
    if max >= text.len() {
        return text.len();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// At most 200 characters of a body, for messages, saying how long the body was when it was cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    let head = &body[..body.len().min(MAX_SNIPPET_CHARS * 4 + 4)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start();
    match text.char_indices().nth(MAX_SNIPPET_CHARS) {
        Some((cut, _)) => {
            let shown = &text[..cut];
            format!("{shown}{}", cut_note(shown.len(), body.len(), false))
        }
        None if head.len() < body.len() => format!("{text}{}", cut_note(text.len(), body.len(), false)),
        None => text.trim_end().to_owned(),
    }
}

/// Displays (or debug-prints) a value, writing at most `.1` bytes of it and then how much was left out: what a
/// server sent is never printed whole.
pub(crate) struct Clipped<'a, T: ?Sized>(pub(crate) &'a T, pub(crate) usize);

struct Limited<'a, 'b> {
    out: &'a mut fmt::Formatter<'b>,
    left: usize,
    dropped: usize,
}

impl fmt::Write for Limited<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = floor_char_boundary(s, self.left);
        self.out.write_str(&s[..end])?;
        self.left -= end;
        self.dropped += s.len() - end;
        Ok(())
    }
}

impl<T: ?Sized> Clipped<'_, T> {
    fn write(
        &self,
        f: &mut fmt::Formatter<'_>,
        print: impl FnOnce(&mut Limited<'_, '_>) -> fmt::Result,
    ) -> fmt::Result {
        let mut limited = Limited {
            out: f,
            left: self.1,
            dropped: 0,
        };
        print(&mut limited)?;
        let dropped = limited.dropped;
        if dropped > 0 {
            write!(f, "… [cut by kibana-rs: {dropped} more bytes]")?;
        }
        Ok(())
    }
}

impl<T: fmt::Display + ?Sized> fmt::Display for Clipped<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, |out| fmt::Write::write_fmt(out, format_args!("{}", self.0)))
    }
}

impl<T: fmt::Debug + ?Sized> fmt::Debug for Clipped<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, |out| fmt::Write::write_fmt(out, format_args!("{:?}", self.0)))
    }
}

/// Recovers the fields of a JSON object cut short, so that a huge error body read in part still says what Kibana
/// said (its status, reason and the start of its message).
mod truncated {
    #[derive(Clone, Copy, PartialEq)]
    enum Container {
        Object { after_colon: bool },
        Array,
    }

    /// `prefix` closed into JSON, best candidate first, each with the top-level field it was cut inside, if any.
    /// Empty when `prefix` does not start like a JSON object. Never panics on any input (the candidates are only
    /// candidates: the caller parses them).
    pub(super) fn repair(prefix: &[u8]) -> Vec<(Vec<u8>, Option<String>)> {
        let Some(start) = prefix.iter().position(|b| !b.is_ascii_whitespace()) else {
            return Vec::new();
        };
        if prefix[start] != b'{' {
            return Vec::new();
        }
        let mut stack: Vec<Container> = Vec::new();
        // Where the document could be closed: the length to keep and the containers open there.
        let mut safe: Option<(usize, Vec<Container>)> = None;
        let mut in_string = false;
        let mut string_start = 0;
        let mut string_is_key = false;
        let mut escape_at: Option<usize> = None;
        let mut unicode_left = 0u8;
        let mut top_key: Option<String> = None;
        let mut pending_key: Option<String> = None;
        for (i, &byte) in prefix.iter().enumerate().skip(start) {
            if in_string {
                if unicode_left > 0 {
                    unicode_left = if byte.is_ascii_hexdigit() { unicode_left - 1 } else { 0 };
                    if unicode_left == 0 {
                        escape_at = None;
                    }
                } else if escape_at.is_some() {
                    if byte == b'u' {
                        unicode_left = 4;
                    } else {
                        escape_at = None;
                    }
                } else if byte == b'\\' {
                    escape_at = Some(i);
                } else if byte == b'"' {
                    in_string = false;
                    if string_is_key {
                        if stack.len() == 1 {
                            pending_key = Some(String::from_utf8_lossy(&prefix[string_start + 1..i]).into_owned());
                        }
                    } else {
                        safe = Some((i + 1, stack.clone()));
                        if stack.len() == 1 {
                            top_key = None;
                        }
                    }
                }
                continue;
            }
            match byte {
                b'"' => {
                    in_string = true;
                    string_start = i;
                    string_is_key = matches!(stack.last(), Some(Container::Object { after_colon: false }));
                }
                b'{' => stack.push(Container::Object { after_colon: false }),
                b'[' => stack.push(Container::Array),
                b'}' | b']' => {
                    stack.pop();
                    if stack.is_empty() {
                        // A whole document: nothing was cut that matters.
                        return vec![(prefix[..=i].to_vec(), None)];
                    }
                    safe = Some((i + 1, stack.clone()));
                    if stack.len() == 1 {
                        top_key = None;
                    }
                }
                b':' => {
                    if let Some(Container::Object { after_colon }) = stack.last_mut() {
                        *after_colon = true;
                    }
                    if stack.len() == 1 {
                        top_key = pending_key.take();
                    }
                }
                b',' => {
                    safe = Some((i, stack.clone()));
                    if stack.len() == 1 {
                        top_key = None;
                    }
                    if let Some(Container::Object { after_colon }) = stack.last_mut() {
                        *after_colon = false;
                    }
                }
                _ => {}
            }
        }
        let close = |mut json: Vec<u8>, open: &[Container]| {
            for container in open.iter().rev() {
                json.push(match container {
                    Container::Object { .. } => b'}',
                    Container::Array => b']',
                });
            }
            json
        };
        let mut candidates = Vec::new();
        if in_string && !string_is_key {
            // Cut inside a string value: keep what there is of it.
            let mut end = escape_at.unwrap_or(prefix.len());
            end = drop_lone_high_surrogate(prefix, string_start + 1, end);
            end = match std::str::from_utf8(&prefix[string_start + 1..end]) {
                Ok(_) => end,
                Err(error) => string_start + 1 + error.valid_up_to(),
            };
            let mut json = prefix[..end].to_vec();
            json.push(b'"');
            candidates.push((close(json, &stack), top_key.clone()));
        }
        // Else (or if that does not parse), up to the last complete value: the field being read is lost.
        if let Some((end, open)) = safe {
            candidates.push((close(prefix[..end].to_vec(), &open), top_key));
        }
        candidates
    }

    /// `end`, moved before a trailing `\\uD800`–`\\uDBFF` escape (half of a pair JSON parsers refuse alone).
    fn drop_lone_high_surrogate(prefix: &[u8], string_start: usize, end: usize) -> usize {
        if end < string_start + 6 {
            return end;
        }
        let tail = &prefix[end - 6..end];
        if tail[0] == b'\\'
            && tail[1] == b'u'
            && let Ok(hex) = std::str::from_utf8(&tail[2..])
            && let Ok(code) = u16::from_str_radix(hex, 16)
            && (0xD800..0xDC00).contains(&code)
        {
            return end - 6;
        }
        end
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
        write!(f, "{} {} answered {}: ", self.method, self.path, self.status)?;
        if self.body.message.is_empty() {
            f.write_str("(the error body has an empty message)")?;
        } else {
            write!(
                f,
                "{}",
                Clipped(&self.body.message, KibanaErrorBody::MAX_MESSAGE_BYTES + NOTE_ROOM)
            )?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// A request that failed before an answer arrived (or while its body was read).
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
    /// The underlying error (a [`TransportError`] when the stack raised it).
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportFailure {
    /// Whether Kibana may have received the request and acted on it: `false` only when the last attempt provably
    /// never reached it or was refused unprocessed (connection refused, DNS, TLS handshake, a proxy that could not
    /// connect, an HTTP/2 stream refused with `REFUSED_STREAM`). After a broken connection or a timeout it is
    /// `true`: a create may exist although the call failed.
    ///
    /// ```
    /// use kibana::{TimeLimit, TransportFailure, transport::TransportError};
    ///
    /// let failure = TransportFailure {
    ///     method: http::Method::POST,
    ///     path: "/api/actions/connector".into(),
    ///     space: None,
    ///     attempts: 1,
    ///     source: Box::new(TransportError::Timeout { limit: TimeLimit::Attempt, after: std::time::Duration::from_secs(30) }),
    /// };
    /// assert!(failure.may_have_been_processed());
    /// ```
    pub fn may_have_been_processed(&self) -> bool {
        self.transport_error()
            .is_none_or(TransportError::may_have_been_processed)
    }

    /// The stack's own error, when the stack raised it (not a layer of the user's).
    ///
    /// ```
    /// # async fn demo(client: kibana::Kibana) {
    /// use kibana::{Error, TimeLimit};
    ///
    /// match client.connectors().list().await {
    ///     Err(Error::Timeout(failure)) if failure.time_limit() == Some(TimeLimit::Call) => {
    ///         println!("the whole call took too long after {} attempts", failure.attempts)
    ///     }
    ///     other => println!("{other:?}"),
    /// }
    /// # }
    /// ```
    pub fn transport_error(&self) -> Option<&TransportError> {
        self.source.downcast_ref::<TransportError>()
    }

    /// Which time limit ran out, for a timeout.
    pub fn time_limit(&self) -> Option<TimeLimit> {
        self.transport_error().and_then(TransportError::time_limit)
    }
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

impl fmt::Debug for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeFailure")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("space", &self.space)
            .field("status", &self.status)
            .field(
                "body_snippet",
                &Clipped(&self.body_snippet, MAX_SNIPPET_CHARS * 4 + NOTE_ROOM),
            )
            .field("reason", &Clipped(&self.reason, MAX_REASON_TEXT_BYTES))
            .finish()
    }
}

/// `reason` cut to a bounded length: serde quotes the value it did not expect, which the server chose.
pub(crate) fn decode_reason(reason: impl fmt::Display) -> String {
    Clipped(&reason, MAX_REASON_TEXT_BYTES).to_string()
}

/// A typed connector call met a connector of another type.
#[derive(Clone, PartialEq, Eq)]
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

impl fmt::Debug for ConnectorTypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectorTypeMismatch")
            .field("connector_id", &Clipped(&self.connector_id, MAX_REASON_BYTES))
            .field("expected", &self.expected)
            .field("actual", &Clipped(&self.actual, MAX_REASON_BYTES))
            .field("space", &self.space)
            .finish()
    }
}

/// A typed rule call met a rule of another type.
#[derive(Clone, PartialEq, Eq)]
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

impl fmt::Debug for RuleTypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleTypeMismatch")
            .field("rule_id", &Clipped(&self.rule_id, MAX_REASON_BYTES))
            .field("expected", &self.expected)
            .field("actual", &Clipped(&self.actual, MAX_REASON_BYTES))
            .field("space", &self.space)
            .finish()
    }
}

/// A connector that ran and failed.
#[derive(Clone, PartialEq)]
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

impl fmt::Debug for ConnectorFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectorFailure")
            .field("connector_id", &Clipped(&self.connector_id, MAX_REASON_BYTES))
            .field(
                "message",
                &Clipped(&self.message, KibanaErrorBody::MAX_MESSAGE_BYTES + NOTE_ROOM),
            )
            .field(
                "service_message",
                &Clipped(&self.service_message, KibanaErrorBody::MAX_MESSAGE_BYTES + NOTE_ROOM),
            )
            .field("retry", &Clipped(&self.retry, MAX_REASON_BYTES))
            .finish()
    }
}

fn clip_message(text: &str) -> Clipped<'_, str> {
    Clipped(text, KibanaErrorBody::MAX_MESSAGE_BYTES + NOTE_ROOM)
}

fn clip_short(text: &str) -> Clipped<'_, str> {
    Clipped(text, MAX_REASON_BYTES)
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
    #[error("Kibana was not available after {waited:?} (last status: {last})", last = clip_message(last))]
    NotAvailable {
        /// How long was waited.
        waited: Duration,
        /// The last status level, or the last error.
        last: String,
    },
    /// The server's Kibana version is outside what this SDK was generated for, and the client refuses it.
    #[error("Kibana {server} is not a version kibana-rs was generated for ({generated_for})", server = clip_short(server))]
    IncompatibleVersion {
        /// The server's version.
        server: String,
        /// The pin's Kibana range.
        generated_for: String,
    },
    /// The operation was added in a later Kibana than the server runs (Kibana's document says when), and the
    /// client refuses it ([`VersionCheck::Refuse`](crate::VersionCheck), the default): nothing was sent. Kibana
    /// itself would answer a bare 404. A user who knows better sets [`VersionCheck::Off`](crate::VersionCheck).
    #[error(
        "{route} ({operation}) needs Kibana {needs} or later; the server runs {server} (nothing was sent; `VersionCheck::Off` sends it anyway)"
    )]
    Unsupported {
        /// The generated operation's name (`get_streams`).
        operation: &'static str,
        /// `METHOD /path`.
        route: String,
        /// The Kibana release that added it.
        needs: kibana_gen::spec::KibanaVersion,
        /// The server's version.
        server: kibana_gen::spec::KibanaVersion,
    },
    /// A typed call met a connector of another type (nothing was changed).
    #[error("{tag}connector {} is a {} connector, not {}", clip_short(&.0.connector_id), clip_short(&.0.actual), .0.expected, tag = space_tag(.0.space.as_deref()))]
    ConnectorTypeMismatch(Box<ConnectorTypeMismatch>),
    /// A typed rule call met a rule of another type (nothing was changed).
    #[error("{tag}rule {} is a {} rule, not {}", clip_short(&.0.rule_id), clip_short(&.0.actual), .0.expected, tag = space_tag(.0.space.as_deref()))]
    RuleTypeMismatch(Box<RuleTypeMismatch>),
    /// The connector ran and failed (Kibana answered 200 with `status: "error"`).
    #[error("connector {} failed: {}{detail}", clip_short(&.0.connector_id), clip_message(&.0.message), detail = .0.service_message.as_ref().map(|m| format!(" ({})", clip_message(m))).unwrap_or_default())]
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
    /// A success answer that would be held in memory is larger than
    /// [`max_response_body`](crate::KibanaBuilder::max_response_body): its source is
    /// [`TransportError::AnswerTooLarge`], naming the cap. Not retried.
    #[error("{tag}answer too large: {0}", tag = space_tag(.0.space.as_deref()))]
    AnswerTooLarge(Box<TransportFailure>),
    /// A proxy refused the proxy credentials (`407 Proxy Authentication Required`), whether Kibana is `http://`
    /// (forwarded requests) or `https://` (a `CONNECT` tunnel): its source is
    /// [`TransportError::ProxyAuthentication`]. Never retryable; the request did not reach Kibana.
    #[error("{tag}proxy authentication failed: {0}", tag = space_tag(.0.space.as_deref()))]
    ProxyAuthentication(Box<TransportFailure>),
    /// A success status with a body that does not have the expected shape.
    #[error(
        "{tag}could not decode the answer to {method} {path} ({status}): {reason}; body starts with: {snippet}",
        tag = space_tag(.0.space.as_deref()), method = .0.method, path = .0.path, status = .0.status,
        reason = Clipped(&.0.reason, MAX_REASON_TEXT_BYTES),
        snippet = Clipped(&.0.body_snippet, MAX_SNIPPET_CHARS * 4 + NOTE_ROOM)
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

    /// Which time limit ran out, for an [`Error::Timeout`] (`None` for a connect timeout, which is a connection
    /// error, and for every other error).
    pub fn time_limit(&self) -> Option<TimeLimit> {
        match self {
            Self::Timeout(f) => f.time_limit(),
            _ => None,
        }
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
            Self::Connection(f)
            | Self::Timeout(f)
            | Self::Tls(f)
            | Self::AnswerTooLarge(f)
            | Self::ProxyAuthentication(f) => f.space.as_deref(),
            Self::Decode(d) => d.space.as_deref(),
            Self::ConnectorTypeMismatch(mismatch) => mismatch.space.as_deref(),
            Self::RuleTypeMismatch(mismatch) => mismatch.space.as_deref(),
            _ => self.api_error().and_then(|e| e.space.as_deref()),
        }
    }

    /// Whether sending the same call again is both likely to help and safe: Kibana asked to come back later
    /// (429, 503), or a gateway or the connection failed (502, 504, connection errors, timeouts) **and** sending
    /// again cannot do the work twice — the request is idempotent (GET, HEAD, PUT, DELETE, OPTIONS) or provably was
    /// not processed ([`may_have_been_processed`](Self::may_have_been_processed) is `false`).
    ///
    /// A create or an execute (POST) whose connection broke during the exchange is **not** retryable: Kibana may
    /// have stored it. Retry such a call safely by making it idempotent (create with your own id:
    /// `create_with_id`, then a `Conflict` means the first attempt landed), or by reading back (list or get) before
    /// sending it again.
    ///
    /// ```
    /// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
    /// use kibana::connectors::types::ServerLog;
    ///
    /// let connectors = client.connectors();
    /// let (config, secrets) = (Default::default(), Default::default());
    /// let create = || connectors.create_with_id::<ServerLog>("audit-log", "audit", &config, &secrets);
    /// match create().await {
    ///     Ok(_) => {}
    ///     // Safe to send again: the id makes a second create a `Conflict`, never a duplicate.
    ///     Err(e) if e.is_retryable() || e.may_have_been_processed() => match create().await {
    ///         Ok(_) | Err(kibana::Error::Conflict(_)) => {}
    ///         Err(e) => return Err(e),
    ///     },
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::TooManyRequests(_) | Self::ServiceUnavailable(_) => true,
            Self::ServerError(e) => matches!(e.status.as_u16(), 502 | 504) && is_idempotent(&e.method),
            Self::Connection(f) | Self::Timeout(f) => !f.may_have_been_processed() || is_idempotent(&f.method),
            _ => false,
        }
    }

    /// Whether Kibana may have acted on the request although the call failed. `false` when the SDK knows it did
    /// not: nothing was sent (invalid input, a missing space, configuration), the connection never reached
    /// Kibana or the HTTP/2 stream was refused unprocessed (see [`TransportFailure::may_have_been_processed`]), or
    /// Kibana refused it (a 3xx or 4xx, 429, 503). `true` after a broken connection, a timeout, a 5xx other than 503,
    /// or an answer that could not be decoded (the call succeeded).
    ///
    /// ```
    /// let error = kibana::Error::InvalidRequest("empty id".into());
    /// assert!(!error.may_have_been_processed());
    /// ```
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Connection(f)
            | Self::Timeout(f)
            | Self::Tls(f)
            | Self::AnswerTooLarge(f)
            | Self::ProxyAuthentication(f) => f.may_have_been_processed(),
            Self::Decode(_) | Self::ConnectorFailed(_) => true,
            _ => match self.api_error() {
                Some(e) => !(e.status.is_client_error() || e.status.is_redirection() || e.status.as_u16() == 503),
                None => false,
            },
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
    /// A proxy setting is unusable: the builder's [`proxy`](crate::KibanaBuilder::proxy), or `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `ALL_PROXY` (or their lowercase forms) in the environment.
    #[error("invalid proxy {url} (from {setting}): {reason}")]
    InvalidProxy {
        /// Where the value came from: `proxy()` or the environment variable's name.
        setting: String,
        /// The proxy URL, without its credentials.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// A `kibana::blocking` client (the `blocking` feature) was called from inside an async (tokio) runtime, where
    /// blocking the thread would stall the runtime or deadlock it. Nothing was sent: use the async
    /// [`Kibana`](crate::Kibana) there, or call from a thread outside the runtime.
    #[error(
        "a kibana::blocking client was called from inside an async runtime, where blocking would stall or deadlock \
         it; nothing was sent: use the async kibana::Kibana there, or call from a thread outside the runtime \
         (std::thread::spawn)"
    )]
    BlockingInAsyncRuntime,
    /// The `kibana::blocking` client's own runtime could not be started (no thread could be
    /// spawned).
    #[error("could not start the blocking client's runtime: {0}")]
    BlockingRuntime(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB5: usize = 5 * 1024 * 1024;

    fn boom(message: &str, attributes: Option<&str>) -> Vec<u8> {
        let attributes = attributes.map(|a| format!(",\"attributes\":{a}")).unwrap_or_default();
        format!(
            r#"{{"statusCode":400,"error":"Bad Request","message":{}{attributes}}}"#,
            serde_json::json!(message)
        )
        .into_bytes()
    }

    /// What the send layer hands on of a large error body: its first `MAX_BODY_BYTES + 1` bytes.
    fn as_read(body: &[u8]) -> &[u8] {
        &body[..body.len().min(KibanaErrorBody::MAX_BODY_BYTES + 1)]
    }

    fn bounded(body: &KibanaErrorBody) {
        assert!(
            body.message.len() <= KibanaErrorBody::MAX_MESSAGE_BYTES + NOTE_ROOM,
            "{}",
            body.message.len()
        );
        assert!(body.error.len() <= MAX_REASON_BYTES + NOTE_ROOM);
        match &body.attributes {
            Some(serde_json::Value::String(kept)) => {
                assert!(kept.len() <= KibanaErrorBody::MAX_ATTRIBUTES_BYTES + NOTE_ROOM)
            }
            Some(attributes) => assert!(attributes.to_string().len() <= KibanaErrorBody::MAX_ATTRIBUTES_BYTES),
            None => {}
        }
    }

    #[test]
    fn a_huge_message_is_cut_and_says_how_much_there_was() {
        let body = boom(&"m".repeat(MB5), None);
        // Whole (a caller of `parse` with everything in memory).
        let parsed = KibanaErrorBody::parse(StatusCode::BAD_REQUEST, &body);
        bounded(&parsed);
        assert_eq!((parsed.status_code, parsed.error.as_str()), (400, "Bad Request"));
        assert!(parsed.message.starts_with("mmmm"));
        assert!(parsed.message.contains("of more than"), "{}", &parsed.message[4000..]);
        // As the transport reads it: cut, with the declared length.
        let length = BodyLength {
            declared: Some(body.len() as u64),
        };
        let parsed = KibanaErrorBody::parse_bounded(StatusCode::BAD_REQUEST, as_read(&body), length);
        bounded(&parsed);
        assert_eq!(parsed.status_code, 400);
        assert!(
            parsed.message.ends_with(&format!(
                "[the {}-byte error body was read up to its first 65536 bytes]",
                body.len()
            )),
            "{}",
            &parsed.message[4000..]
        );
        // Whole and below the read cap, but above the message cap: the exact total is known.
        let parsed = KibanaErrorBody::parse(StatusCode::BAD_REQUEST, &boom(&"m".repeat(10_000), None));
        assert!(
            parsed
                .message
                .ends_with("[cut by kibana-rs: 4096 of 10000 bytes shown]"),
            "{}",
            &parsed.message[4000..]
        );
        let api = ApiError {
            method: Method::POST,
            path: "/api/x".into(),
            space: None,
            status: StatusCode::BAD_REQUEST,
            body: parsed,
            retry_after: None,
            attempts: 1,
        };
        let error = Error::from_status(api);
        assert!(error.to_string().len() < 4096 + 300);
        assert!(format!("{error:?}").len() < 4096 + 600);
    }

    #[test]
    fn huge_attributes_become_a_string_holding_their_start() {
        let attributes = format!(
            r#"{{"objects":[{}]}}"#,
            vec![r#"{"id":"abc","type":"dashboard"}"#; 100_000].join(",")
        );
        let body = boom("short", Some(&attributes));
        for (input, length) in [
            (&body[..], BodyLength::default()),
            (
                as_read(&body),
                BodyLength {
                    declared: Some(body.len() as u64),
                },
            ),
        ] {
            let parsed = KibanaErrorBody::parse_bounded(StatusCode::BAD_REQUEST, input, length);
            bounded(&parsed);
            assert!(parsed.message.starts_with("short"), "{}", parsed.message);
            let Some(serde_json::Value::String(kept)) = &parsed.attributes else {
                panic!("{:?}", parsed.attributes)
            };
            assert!(kept.starts_with(r#"{"objects":[{"id":"abc""#), "{kept}");
            assert!(kept.contains("[cut by kibana-rs: "), "{kept}");
            assert!(format!("{parsed:?}").len() < 10_000);
        }
        // Small attributes are kept as they are.
        let parsed = KibanaErrorBody::parse(StatusCode::BAD_REQUEST, &boom("m", Some(r#"{"a":1}"#)));
        assert_eq!(parsed.attributes, Some(serde_json::json!({"a": 1})));
    }

    #[test]
    fn a_body_cut_anywhere_still_gives_a_bounded_error_and_never_panics() {
        let body = boom(
            "ä quoted \" and \\ escaped \u{1F600} message with \u{7} control",
            Some(r#"{"nested":[1,2.5,true,null,{"k":"v\u00e9"}],"x":"y"}"#),
        );
        for end in 0..=body.len() {
            // Pretend the cap fell at `end`: pad the prefix so that it counts as cut.
            let mut prefix = body[..end].to_vec();
            prefix.resize(KibanaErrorBody::MAX_BODY_BYTES + 1, b' ');
            let parsed = KibanaErrorBody::parse_bounded(StatusCode::BAD_REQUEST, &prefix, BodyLength::default());
            bounded(&parsed);
            if end > r#"{"statusCode":400,"#.len() {
                assert_eq!(parsed.status_code, 400, "cut at {end}: {parsed:?}");
            }
        }
        for end in 0..=body.len() {
            let parsed = KibanaErrorBody::parse(StatusCode::BAD_REQUEST, &body[..end]);
            bounded(&parsed);
        }
    }

    #[test]
    fn a_cut_inside_the_message_keeps_what_there_is_of_it() {
        let body = boom(&"é".repeat(100_000), None);
        let parsed = KibanaErrorBody::parse_bounded(StatusCode::BAD_REQUEST, as_read(&body), BodyLength::default());
        assert_eq!(parsed.error, "Bad Request");
        assert!(parsed.message.starts_with("éééé"));
        assert!(parsed.message.contains("of more than"), "{}", &parsed.message[4000..]);
        // The cap falling anywhere inside escapes (a two-byte character, a surrogate pair).
        let head = r#"{"statusCode":502,"message":""#;
        for shift in 0..24 {
            let filler = "a".repeat(KibanaErrorBody::MAX_BODY_BYTES - head.len() - shift);
            let body = format!(r#"{head}{filler}\u00e9\ud83d\ude00\n{}"}}"#, "b".repeat(100));
            let parsed = KibanaErrorBody::parse_bounded(
                StatusCode::BAD_GATEWAY,
                as_read(body.as_bytes()),
                BodyLength::default(),
            );
            assert_eq!(parsed.status_code, 502, "shift {shift}");
            assert!(parsed.message.starts_with("aaaa"), "shift {shift}: {}", parsed.message);
            assert!(parsed.message.contains("of more than"), "shift {shift}");
        }
    }

    #[test]
    fn text_bodies_are_snippets_that_say_how_long_they_were() {
        let parsed = KibanaErrorBody::parse(StatusCode::SERVICE_UNAVAILABLE, b"Kibana server is not ready yet");
        assert_eq!(parsed.message, "Kibana server is not ready yet");
        assert_eq!(parsed.error, "Service Unavailable");
        let html = format!("<html>{}</html>", "x".repeat(MB5));
        let parsed = KibanaErrorBody::parse_bounded(
            StatusCode::BAD_GATEWAY,
            as_read(html.as_bytes()),
            BodyLength {
                declared: Some(html.len() as u64),
            },
        );
        assert!(parsed.message.starts_with("<html>xxx"));
        assert!(
            parsed.message.ends_with(&format!("of {} bytes shown]", html.len())),
            "{}",
            parsed.message
        );
        assert!(parsed.message.len() < 400);
        let long = snippet(&vec![b'y'; MB5]);
        assert!(
            long.len() < 300 && long.ends_with(&format!("200 of {MB5} bytes shown]")),
            "{long}"
        );
    }

    #[test]
    fn display_and_debug_of_hand_built_errors_are_bounded_too() {
        let huge = "z".repeat(MB5);
        let decode = Error::Decode(Box::new(DecodeFailure {
            method: Method::GET,
            path: "/api/x".into(),
            space: None,
            status: StatusCode::OK,
            body_snippet: huge.clone(),
            reason: huge.clone(),
        }));
        assert!(decode.to_string().len() < 4000, "{}", decode.to_string().len());
        assert!(format!("{decode:?}").len() < 4000);
        let failed = Error::ConnectorFailed(Box::new(ConnectorFailure {
            connector_id: "c".into(),
            message: huge.clone(),
            service_message: Some(huge.clone()),
            retry: None,
        }));
        assert!(failed.to_string().len() < 10_000);
        assert!(format!("{failed:?}").len() < 10_000);
        let body = KibanaErrorBody {
            status_code: 400,
            error: huge.clone(),
            message: huge.clone(),
            attributes: Some(serde_json::Value::String(huge)),
        };
        assert!(format!("{body:?}").len() < 10_000);
        assert_eq!(
            format!("{}", Clipped("abcdef", 3)),
            "abc… [cut by kibana-rs: 3 more bytes]"
        );
        assert_eq!(format!("{}", Clipped("abc", 3)), "abc");
    }

    fn failure(method: Method, source: TransportError) -> Box<TransportFailure> {
        Box::new(TransportFailure {
            method,
            path: "/api/actions/connector/x".into(),
            space: None,
            attempts: 1,
            source: Box::new(source),
        })
    }

    fn status(method: Method, status: u16) -> Error {
        Error::from_status(ApiError {
            method,
            path: "/api/x".into(),
            space: None,
            status: StatusCode::from_u16(status).unwrap(),
            body: KibanaErrorBody::parse(StatusCode::from_u16(status).unwrap(), b""),
            retry_after: None,
            attempts: 1,
        })
    }

    #[test]
    fn is_retryable_is_false_for_a_write_that_may_have_been_processed() {
        let broken = || TransportError::Exchange("connection closed before message completed".into());
        let post_broken = Error::Connection(failure(Method::POST, broken()));
        assert!(post_broken.may_have_been_processed());
        assert!(
            !post_broken.is_retryable(),
            "a create may exist: repeating it could make a duplicate"
        );
        assert!(Error::Connection(failure(Method::GET, broken())).is_retryable());
        assert!(Error::Connection(failure(Method::PUT, broken())).is_retryable());
        let refused = Error::Connection(failure(Method::POST, TransportError::Connect("refused".into())));
        assert!(!refused.may_have_been_processed() && refused.is_retryable());
        let timeout = Error::Timeout(failure(
            Method::POST,
            TransportError::Timeout {
                limit: TimeLimit::Attempt,
                after: Duration::from_secs(1),
            },
        ));
        assert!(timeout.may_have_been_processed() && !timeout.is_retryable());
        assert!(
            Error::Timeout(failure(
                Method::GET,
                TransportError::Timeout {
                    limit: TimeLimit::Attempt,
                    after: Duration::from_secs(1)
                }
            ))
            .is_retryable()
        );
        assert!(status(Method::POST, 503).is_retryable() && !status(Method::POST, 503).may_have_been_processed());
        assert!(status(Method::POST, 429).is_retryable());
        assert!(!status(Method::POST, 502).is_retryable() && status(Method::POST, 502).may_have_been_processed());
        assert!(status(Method::GET, 504).is_retryable());
        assert!(!status(Method::POST, 409).is_retryable() && !status(Method::POST, 409).may_have_been_processed());
        assert!(!Error::InvalidRequest("x".into()).may_have_been_processed());
    }
}
