//! The tower stack every request goes through, generated or hand-written:
//!
//! ```text
//! user layers (KibanaBuilder::layer)
//!   └ trace: one span per request (method, operation, path template, space, status, attempts, duration)
//!     └ retry: backoff with full jitter, Retry-After, idempotency rules (retry.rs)
//!       └ default headers: credentials, kbn-xsrf on writes, User-Agent, elastic-api-version, overrides
//!         └ rate limit: shared token bucket, waits instead of failing
//!           └ send: round-robin host choice with failure backoff, hyper's pooled client (straight or through a
//!             proxy, connect.rs), the attempt's timeout, the answer's body read within the attempt when needed
//! ```
//!
//! The generated client reaches it through progenitor's `ClientHooks::exec` seam (`CallTransport`, in `call.rs`).

mod body;
mod call;
mod connect;
mod headers;
pub(crate) mod hosts;
mod rate_limit;
pub(crate) mod retry;
mod send;
mod trace;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use http::{HeaderMap, HeaderValue};
use tower::{ServiceBuilder, util::BoxCloneSyncService};

pub(crate) use call::CallTransport;
pub(crate) use connect::Connector;
pub use headers::DEFAULT_USER_AGENT;
pub(crate) use headers::DefaultHeaders;
pub use hosts::HostBackoff;
pub(crate) use rate_limit::limiter;
pub use retry::RetryConfig;
pub(crate) use send::{UnreadableBody, http_client};

/// A request as the stack sees it.
pub type HttpRequest = http::Request<reqwest::Body>;
/// A response as the stack sees it.
pub type HttpResponse = http::Response<reqwest::Body>;
/// The whole stack, boxed: cheap to clone, `Send + Sync`, so that a [`Kibana`](crate::Kibana) clone costs a few
/// reference counts and needs no background task.
pub type KibanaService = BoxCloneSyncService<HttpRequest, HttpResponse, TransportError>;

/// Origin the generated client builds URLs against; the send layer moves each request onto a real host.
pub(crate) const PLACEHOLDER_ORIGIN: &str = "http://kibana-rs.invalid";

/// Why the stack produced no response (or no complete body). [`Error::Connection`](crate::Error::Connection),
/// [`Error::Timeout`](crate::Error::Timeout) and [`Error::Tls`](crate::Error::Tls) carry it as their source.
///
/// ```
/// use kibana::transport::TransportError;
/// let error = TransportError::Timeout(std::time::Duration::from_secs(30));
/// assert!(error.is_timeout() && !error.is_connect() && !error.is_tls());
/// assert_eq!(error.to_string(), "no answer within 30s");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (refused, DNS, connect timeout, TLS handshake): the request never reached
    /// Kibana, so even a create may be sent again.
    #[error("cannot connect")]
    Connect(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// No answer within the attempt's timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The exchange failed once connected (connection closed, protocol error): the request may have reached
    /// Kibana.
    #[error("the connection failed during the exchange")]
    Exchange(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Reading the answer's body failed (connection lost, body timeout).
    #[error("reading the answer failed")]
    Body(#[source] reqwest::Error),
    /// The request could not be built or routed.
    #[error("{0}")]
    InvalidRequest(String),
    /// Raised by a layer of the user's.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl TransportError {
    /// Whether the request provably never reached the server.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect(_))
    }

    /// Whether a timeout (connect, answer or body) caused it.
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout(_) => true,
            Self::Body(error) => error.is_timeout(),
            Self::Connect(error) | Self::Exchange(error) | Self::Other(error) => caused_by_timeout(error.as_ref()),
            Self::InvalidRequest(_) => false,
        }
    }

    /// Whether the server may have received the request and acted on it. `false` when it provably did not: no
    /// connection was made ([`Connect`](Self::Connect), including a proxy that could not reach Kibana), the request
    /// was never written to a connection (hyper canceled it), or an HTTP/2 server refused its stream with
    /// `REFUSED_STREAM` (RFC 9113 §8.7: refused streams were not processed). Any method may be sent again then.
    ///
    /// ```
    /// use kibana::transport::TransportError;
    /// let timeout = TransportError::Timeout(std::time::Duration::from_secs(30));
    /// assert!(timeout.may_have_been_processed());
    /// let refused = TransportError::Connect("connection refused".into());
    /// assert!(!refused.may_have_been_processed());
    /// ```
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Connect(_) | Self::InvalidRequest(_) => false,
            Self::Exchange(error) => !was_not_processed(error.as_ref()),
            Self::Timeout(_) | Self::Body(_) | Self::Other(_) => true,
        }
    }

    /// Whether TLS (a certificate, the pin, the handshake) caused it.
    pub fn is_tls(&self) -> bool {
        match self {
            Self::Connect(error) | Self::Exchange(error) | Self::Other(error) => {
                crate::client::is_tls_error(error.as_ref())
            }
            Self::Body(error) => crate::client::is_tls_error(error),
            Self::Timeout(_) | Self::InvalidRequest(_) => false,
        }
    }
}

/// An exchange error that provably left the request unprocessed: an HTTP/2 stream the server reset with
/// `REFUSED_STREAM`, or a request hyper never started writing (it reports those as canceled).
fn was_not_processed(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(h2) = error.downcast_ref::<h2::Error>()
            && h2.is_reset()
            && h2.is_remote()
            && h2.reason() == Some(h2::Reason::REFUSED_STREAM)
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

/// Whether a proxy refused the client's credentials (a `407` to `CONNECT`): asking again cannot help.
pub(crate) fn is_proxy_auth_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.downcast_ref::<connect::ProxyAuthRequired>().is_some() {
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
        {
            return true;
        }
        cause = error.source();
    }
    false
}

/// What the stack knows about the call a request belongs to; in the request's extensions, readable by user layers.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// progenitor's operation name (e.g. `create_connector`) or the hand-written route's name.
    pub operation: &'static str,
    /// The route as the spec writes it (e.g. `/api/actions/connector/{connectorId}`).
    pub path_template: &'static str,
    /// The space (`None`: default).
    pub space: Option<String>,
    attempts: Arc<AtomicU32>,
}

impl RequestContext {
    pub(crate) fn new(operation: &'static str, path_template: &'static str, space: Option<String>) -> Self {
        Self {
            operation,
            path_template,
            space,
            attempts: Arc::default(),
        }
    }

    /// How many times the request has been sent so far.
    pub fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Relaxed)
    }

    fn count_attempt(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }
}

/// Per-call overrides (`Kibana::with_credentials`, `with_header`, `with_timeout`).
#[derive(Clone, Debug, Default)]
pub(crate) struct RequestOverrides {
    /// `Some(None)`: send no credentials.
    pub(crate) authorization: Option<Option<HeaderValue>>,
    pub(crate) headers: HeaderMap,
    pub(crate) timeout: Option<Duration>,
}

/// Per-request timeout, applied by the send layer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestTimeout(pub(crate) Duration);

/// What the stack is built from.
pub(crate) struct StackParts {
    pub(crate) http: send::HttpClient,
    pub(crate) timeout: Option<Duration>,
    pub(crate) hosts: Arc<hosts::HostPool>,
    pub(crate) headers: Arc<DefaultHeaders>,
    pub(crate) retry: Arc<RetryConfig>,
    pub(crate) limiter: Option<rate_limit::SharedLimiter>,
    pub(crate) user_layers: Vec<UserLayer>,
}

/// A layer of the user's, applied around the whole stack.
pub(crate) type UserLayer = Box<dyn FnOnce(KibanaService) -> KibanaService + Send + Sync>;

pub(crate) fn build_stack(parts: StackParts) -> KibanaService {
    let StackParts {
        http,
        timeout,
        hosts,
        headers,
        retry,
        limiter,
        user_layers,
    } = parts;
    let send = send::SendRequest {
        client: Arc::new(http),
        hosts,
        timeout,
    };
    // Retry sits above the header layer so that the copy it keeps for a second attempt is the small request the
    // caller built, not one carrying every default header.
    let stack = ServiceBuilder::new()
        .layer(trace::TraceLayer)
        .layer(tower::retry::RetryLayer::new(retry::RetryPolicy::new(retry)))
        .map_request(move |request| headers.apply(request))
        .option_layer(limiter.map(|limiter| rate_limit::RateLimitLayer { limiter }))
        .service(send);
    let mut service = BoxCloneSyncService::new(stack);
    for layer in user_layers {
        service = layer(service);
    }
    service
}
