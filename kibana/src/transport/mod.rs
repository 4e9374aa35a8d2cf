//! The tower stack every request goes through, generated or hand-written:
//!
//! ```text
//! user layers (KibanaBuilder::layer)
//!   └ trace: one span per request (method, operation, path template, space, status, attempts, duration)
//!     └ time limits: the call's deadline and the attempt timeout, set once per call (limits.rs)
//!     └ default headers: credentials, kbn-xsrf on writes, User-Agent, elastic-api-version, overrides
//!       └ retry: backoff with full jitter, Retry-After, idempotency rules, never past the deadline (retry.rs)
//!         └ rate limit: shared token bucket, waits (until the deadline) instead of failing
//!             └ send: host choice (round-robin, failing hosts skipped with backoff, a retry on another host),
//!               hyper's pooled client (straight or through a proxy, connect.rs), one timer per attempt, the
//!               answer's body read within the attempt when it is held in memory (capped)
//! ```
//!
//! The generated client reaches it through progenitor's `ClientHooks::exec` seam (`CallTransport`, in `call.rs`).
//! Below the stack: only [`crate::error`]. Above it: the client and its builder.

mod body;
mod call;
mod connect;
mod headers;
pub(crate) mod hosts;
mod limits;
pub(crate) mod proxy;
mod rate_limit;
pub(crate) mod retry;
mod send;
pub(crate) mod tls;
mod trace;
mod versions;

use std::{
    future::Future,
    pin::Pin,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicU32, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use http::{HeaderMap, HeaderValue};
use kibana_gen::spec::Operation;
use tower::{
    Layer, Service,
    util::{BoxCloneSyncService, Either},
};

pub use crate::error::TransportError;
pub(crate) use call::CallTransport;
pub(crate) use connect::Connector;
pub use headers::DEFAULT_USER_AGENT;
pub(crate) use headers::DefaultHeaders;
pub use hosts::HostBackoff;
pub(crate) use limits::TimeLimits;
pub(crate) use rate_limit::limiter;
pub use retry::RetryConfig;
pub(crate) use send::{UnreadableBody, http_client};
pub(crate) use versions::ServerVersions;
pub use versions::VersionCheck;

/// A request as the stack sees it.
pub type HttpRequest = http::Request<reqwest::Body>;
/// A response as the stack sees it.
pub type HttpResponse = http::Response<reqwest::Body>;
/// The whole stack, boxed: cheap to clone, `Send + Sync`, so that a [`Kibana`](crate::Kibana) clone costs a few
/// reference counts and needs no background task.
pub type KibanaService = BoxCloneSyncService<HttpRequest, HttpResponse, TransportError>;

/// Origin the generated client builds URLs against; the send layer moves each request onto a real host.
pub(crate) const PLACEHOLDER_ORIGIN: &str = "http://kibana-rs.invalid";
/// [`PLACEHOLDER_ORIGIN`]'s authority.
pub(crate) const PLACEHOLDER_AUTHORITY: &str = "kibana-rs.invalid";

/// What the stack knows about the call a request belongs to; in the request's extensions, readable by user layers.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// progenitor's operation name (e.g. `create_connector`) or the hand-written route's name.
    pub operation: &'static str,
    /// The route as the spec writes it (e.g. `/api/actions/connector/{connectorId}`).
    pub path_template: &'static str,
    /// The space (`None`: default).
    pub space: Option<String>,
    /// The operation's entry in the route table, when the caller had it at hand (the default headers read its
    /// `elastic-api-version` without looking the operation up by name).
    spec: Option<&'static Operation>,
    state: Arc<CallState>,
}

/// What the attempts of one call share.
#[derive(Debug)]
struct CallState {
    attempts: AtomicU32,
    /// The host the last attempt went to (`usize::MAX`: none yet), so that a retry goes to another.
    last_host: AtomicUsize,
    /// The call's time limits, set once when it enters the stack (here rather than in an extension of their own:
    /// every attempt's copy of the request carries them without another allocation).
    deadlines: OnceLock<limits::Deadlines>,
}

impl RequestContext {
    pub(crate) fn new(operation: &'static str, path_template: &'static str, space: Option<String>) -> Self {
        Self::with_spec(operation, path_template, None, space)
    }

    /// A call of `spec`, an operation of the route table.
    pub(crate) fn of(spec: &'static Operation, space: Option<String>) -> Self {
        Self::with_spec(spec.name, spec.path, Some(spec), space)
    }

    fn with_spec(
        operation: &'static str,
        path_template: &'static str,
        spec: Option<&'static Operation>,
        space: Option<String>,
    ) -> Self {
        Self {
            operation,
            path_template,
            space,
            spec,
            state: Arc::new(CallState {
                attempts: AtomicU32::new(0),
                last_host: AtomicUsize::new(usize::MAX),
                deadlines: OnceLock::new(),
            }),
        }
    }

    /// How many times the request has been sent so far.
    pub fn attempts(&self) -> u32 {
        self.state.attempts.load(Ordering::Relaxed)
    }

    /// Counts an attempt; the host the previous one went to, if any.
    fn begin_attempt(&self) -> Option<usize> {
        self.state.attempts.fetch_add(1, Ordering::Relaxed);
        Some(self.state.last_host.load(Ordering::Relaxed)).filter(|&host| host != usize::MAX)
    }

    /// The operation's entry in the route table: the one the call was made with, or else looked up by name (also
    /// when a layer of the user's renamed the operation).
    fn spec(&self) -> Option<&'static Operation> {
        match self.spec {
            Some(spec) if spec.name == self.operation => Some(spec),
            _ => kibana_gen::spec::operation(self.operation),
        }
    }

    fn deadlines(&self) -> Option<&limits::Deadlines> {
        self.state.deadlines.get()
    }

    fn sent_to(&self, host: usize) {
        self.state.last_host.store(host, Ordering::Relaxed);
    }

    /// A handle on the attempt count that outlives the request (for the trace span).
    fn attempt_counter(&self) -> AttemptCounter {
        AttemptCounter(self.state.clone())
    }
}

/// Reads a call's attempt count after the request is gone.
struct AttemptCounter(Arc<CallState>);

impl AttemptCounter {
    fn get(&self) -> u32 {
        self.0.attempts.load(Ordering::Relaxed)
    }
}

/// Per-call overrides (`Kibana::with_credentials`, `with_header`, `with_timeout`, `with_call_timeout`).
#[derive(Clone, Debug, Default)]
pub(crate) struct RequestOverrides {
    /// `Some(None)`: send no credentials.
    pub(crate) authorization: Option<Option<HeaderValue>>,
    pub(crate) headers: HeaderMap,
    /// The attempt timeout.
    pub(crate) timeout: Option<Duration>,
    /// The call timeout.
    pub(crate) call_timeout: Option<Duration>,
}

/// What the stack is built from.
pub(crate) struct StackParts {
    pub(crate) http: send::HttpClient,
    pub(crate) limits: TimeLimits,
    pub(crate) hosts: Arc<hosts::HostPool>,
    pub(crate) headers: Arc<DefaultHeaders>,
    pub(crate) retry: Arc<RetryConfig>,
    pub(crate) limiter: Option<rate_limit::SharedLimiter>,
    /// Largest success body held in memory, in bytes.
    pub(crate) max_response_body: u64,
    pub(crate) user_layers: Vec<UserLayer>,
}

/// A layer of the user's, applied around the whole stack.
pub(crate) type UserLayer = Box<dyn FnOnce(KibanaService) -> KibanaService + Send + Sync>;

/// Our layers, as [`build_stack`] puts them together.
type OwnStack =
    trace::Traced<Prepare<retry::Retry<Either<rate_limit::RateLimited<send::SendRequest>, send::SendRequest>>>>;

/// The stack as a client holds it. Without layers of the user's, our layers as they are: a call clones them for a
/// few reference counts and awaits their future inline, where the boxed stack would cost two allocations per call
/// (the clone of the box and the boxed future). With them, the boxed stack they wrapped.
#[derive(Clone)]
pub(crate) enum Stack {
    Own(OwnStack),
    Layered(KibanaService),
}

impl Service<HttpRequest> for Stack {
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = StackFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), TransportError>> {
        match self {
            Self::Own(stack) => stack.poll_ready(cx),
            Self::Layered(stack) => stack.poll_ready(cx),
        }
    }

    fn call(&mut self, request: HttpRequest) -> StackFuture {
        match self {
            Self::Own(stack) => StackFuture::Own(stack.call(request)),
            Self::Layered(stack) => StackFuture::Layered(stack.call(request)),
        }
    }
}

// The call's future inline is the point of [`Stack::Own`]; the boxed stack's is a box already.
#[allow(clippy::large_enum_variant)]
pub(crate) enum StackFuture {
    Own(<OwnStack as Service<HttpRequest>>::Future),
    Layered(<KibanaService as Service<HttpRequest>>::Future),
}

impl Future for StackFuture {
    type Output = Result<HttpResponse, TransportError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Self::Own(future) => Pin::new(future).poll(cx),
            Self::Layered(future) => future.as_mut().poll(cx),
        }
    }
}

/// Sets what is the same for every attempt of a call, once, above retry: its time limits and its default headers,
/// so that the copy retry keeps for another attempt is the whole request (one allocation of the right size) and no
/// attempt grows its header map.
#[derive(Clone)]
pub(crate) struct Prepare<S> {
    inner: S,
    limits: TimeLimits,
    headers: Arc<DefaultHeaders>,
}

impl<S: Service<HttpRequest>> Service<HttpRequest> for Prepare<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: HttpRequest) -> S::Future {
        self.limits.apply(&mut request);
        self.headers.apply(&mut request);
        self.inner.call(request)
    }
}

pub(crate) fn build_stack(parts: StackParts) -> Stack {
    let StackParts {
        http,
        limits,
        hosts,
        headers,
        retry,
        limiter,
        max_response_body,
        user_layers,
    } = parts;
    let send = send::SendRequest {
        client: Arc::new(http),
        hosts,
        max_response_body,
    };
    let below_retry = match limiter {
        Some(limiter) => Either::Left(rate_limit::RateLimitLayer { limiter }.layer(send)),
        None => Either::Right(send),
    };
    let stack = trace::TraceLayer.layer(Prepare {
        inner: retry::RetryLayer { config: retry }.layer(below_retry),
        limits,
        headers,
    });
    if user_layers.is_empty() {
        return Stack::Own(stack);
    }
    let mut service = BoxCloneSyncService::new(stack);
    for layer in user_layers {
        service = layer(service);
    }
    Stack::Layered(service)
}
