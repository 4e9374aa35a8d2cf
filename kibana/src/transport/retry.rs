//! When and how long to wait before sending a request again.
//!
//! - Idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried on `retry_on_status` answers, on connection
//!   errors, on an answer whose body broke off before its end (the send layer reads their bodies within the
//!   attempt), and (when enabled) on attempt timeouts.
//! - Any other method (a create, an execute) is retried on a `429` (Kibana's rate limiting rejects a request before
//!   handling it, as elastic-transport assumes too; `retry_429_on_any_method(false)` turns that off), and otherwise
//!   only when the request provably was not processed: the connection could not be established (refused, DNS, a
//!   proxy that could not connect), hyper never started writing it, an HTTP/2 server refused its stream
//!   (`REFUSED_STREAM`) or sent a `GOAWAY` whose last stream id is below it. Once a request may have been processed,
//!   a second attempt could create a second connector or run an action twice.
//! - A TLS failure (unknown CA, wrong pin), a proxy's `407`, an answer over `max_response_body` and a call timeout
//!   are not retried at all: asking again cannot fix a certificate, a credential, a size or the time left.
//! - The delay is exponential with full jitter, or `Retry-After` (seconds or HTTP date) when the server sends one,
//!   capped by `max_retry_after`. A retry whose wait would end past the call's deadline is not made: the last
//!   answer (or error) is the call's.

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::{Duration, SystemTime},
};

use http::{HeaderMap, Method, StatusCode, header::RETRY_AFTER};
use tower::{Layer, Service};

use super::{HttpRequest, HttpResponse, RequestContext};
use crate::error::{TimeLimit, TransportError, is_idempotent};

/// Retry settings (set through [`KibanaBuilder`](crate::KibanaBuilder)).
#[derive(Clone, Debug)]
pub struct RetryConfig {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Statuses that make an idempotent request be retried.
    pub retry_on_status: Vec<StatusCode>,
    /// Whether a `429` is retried for every method, POST included (when 429 is in `retry_on_status`): Kibana's rate
    /// limiting rejects a request before handling it.
    pub retry_429_on_any_method: bool,
    /// Whether an idempotent request that timed out is retried.
    pub retry_on_timeout: bool,
    /// First backoff step; attempt `n` waits a random time in `[0, min(max_backoff, base * 2^n))`.
    pub base_backoff: Duration,
    /// Longest computed backoff.
    pub max_backoff: Duration,
    /// Longest `Retry-After` honoured; a longer one is cut to this.
    pub max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_retries: 3,
            retry_on_status: [429, 502, 503, 504]
                .iter()
                .map(|s| StatusCode::from_u16(*s).expect("valid"))
                .collect(),
            retry_429_on_any_method: true,
            retry_on_timeout: true,
            base_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// Why a request may be sent again, and how soon the server asked for it.
#[derive(Debug, PartialEq)]
enum Verdict {
    Stop,
    Retry { retry_after: Option<Duration> },
}

fn verdict(config: &RetryConfig, method: &Method, result: &Result<HttpResponse, TransportError>) -> Verdict {
    let idempotent = is_idempotent(method);
    match result {
        Ok(response) => {
            let status = response.status();
            let rejected_unhandled = status == StatusCode::TOO_MANY_REQUESTS && config.retry_429_on_any_method;
            if (idempotent || rejected_unhandled) && config.retry_on_status.contains(&status) {
                Verdict::Retry {
                    retry_after: retry_after(response.headers()),
                }
            } else {
                Verdict::Stop
            }
        }
        // A certificate does not become valid by asking again, nor a proxy credential.
        Err(error) if error.is_tls() => Verdict::Stop,
        Err(
            TransportError::ProxyAuthentication { .. }
            | TransportError::AnswerTooLarge { .. }
            | TransportError::InvalidRequest(_)
            | TransportError::Other(_),
        ) => Verdict::Stop,
        Err(TransportError::Timeout {
            limit: TimeLimit::Call, ..
        }) => Verdict::Stop,
        // Provably unprocessed (never connected, never written, a refused HTTP/2 stream; a connect timeout
        // included): safe for any method.
        Err(error) if !error.may_have_been_processed() => Verdict::Retry { retry_after: None },
        Err(error) if error.is_timeout() => {
            if idempotent && config.retry_on_timeout {
                Verdict::Retry { retry_after: None }
            } else {
                Verdict::Stop
            }
        }
        // A broken exchange or an answer whose body broke off: sending again is safe only for an idempotent request.
        Err(TransportError::Exchange(_) | TransportError::Body(_)) if idempotent => {
            Verdict::Retry { retry_after: None }
        }
        Err(_) => Verdict::Stop,
    }
}

/// `Retry-After` as delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

impl RetryConfig {
    /// Exponential backoff with full jitter for the `retry`-th retry (0-based).
    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(30)))
            .min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// The retry layer: sends the request, and again while [`verdict`] allows it, within `max_retries` and the call's
/// deadline, waiting the backoff or `Retry-After` between attempts.
#[derive(Clone, Debug)]
pub(crate) struct RetryLayer {
    pub(crate) config: Arc<RetryConfig>,
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;

    fn layer(&self, inner: S) -> Retry<S> {
        Retry {
            inner,
            config: self.config.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Retry<S> {
    inner: S,
    config: Arc<RetryConfig>,
}

impl<S> Service<HttpRequest> for Retry<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = TransportError> + Clone + Unpin,
    S::Future: Unpin,
{
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = RetryFuture<S>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), TransportError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> RetryFuture<S> {
        let retained = if self.config.max_retries > 0 {
            Retained::of(&request)
        } else {
            None
        };
        // The service that was polled ready is the one that must be called; a fresh clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let sending = inner.call(request);
        RetryFuture {
            inner,
            config: self.config.clone(),
            retained,
            retries: 0,
            state: State::Sending(sending),
        }
    }
}

/// What a call keeps to send its request again: the first attempt sends the caller's request itself, so the copy
/// is made once per call and only its head and body are copied (a request sent again carries the call's
/// [`RequestContext`] as its one extension: the layers below read nothing else, nor does hyper).
struct Retained {
    method: Method,
    uri: http::Uri,
    version: http::Version,
    headers: HeaderMap,
    body: bytes::Bytes,
    context: Option<RequestContext>,
}

impl Retained {
    /// `None` for a request whose body streams (an upload): it cannot be sent twice.
    fn of(request: &HttpRequest) -> Option<Self> {
        let body = request.body().as_bytes()?;
        Some(Self {
            method: request.method().clone(),
            uri: request.uri().clone(),
            version: request.version(),
            headers: request.headers().clone(),
            body: bytes::Bytes::copy_from_slice(body),
            context: request.extensions().get::<RequestContext>().cloned(),
        })
    }

    fn request(&self) -> HttpRequest {
        let mut request = http::Request::new(reqwest::Body::from(self.body.clone()));
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.version_mut() = self.version;
        *request.headers_mut() = self.headers.clone();
        if let Some(context) = &self.context {
            request.extensions_mut().insert(context.clone());
        }
        request
    }
}

enum State<F> {
    Sending(F),
    Waiting(Pin<Box<tokio::time::Sleep>>),
    /// Waiting for the inner service to be ready for the next attempt.
    Ready,
}

pub(crate) struct RetryFuture<S: Service<HttpRequest>> {
    inner: S,
    config: Arc<RetryConfig>,
    retained: Option<Retained>,
    retries: u32,
    state: State<S::Future>,
}

impl<S> RetryFuture<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = TransportError>,
{
    /// How long to wait before the next attempt, or `None` to hand `result` to the caller.
    fn next_wait(&self, result: &Result<HttpResponse, TransportError>) -> Option<Duration> {
        let retained = self.retained.as_ref()?;
        if self.retries >= self.config.max_retries {
            return None;
        }
        let Verdict::Retry { retry_after } = verdict(&self.config, &retained.method, result) else {
            return None;
        };
        let delay = match retry_after {
            Some(after) => after.min(self.config.max_retry_after),
            None => self.config.backoff(self.retries),
        };
        if let Some(deadlines) = retained.context.as_ref().and_then(RequestContext::deadlines)
            && tokio::time::Instant::now() + delay >= deadlines.call
        {
            tracing::debug!(
                delay_ms = delay.as_millis() as u64,
                "not retrying Kibana request: the wait would end past the call timeout"
            );
            return None;
        }
        Some(delay)
    }
}

impl<S> Future for RetryFuture<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = TransportError> + Unpin,
    S::Future: Unpin,
{
    type Output = Result<HttpResponse, TransportError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Sending(sending) => {
                    let result = std::task::ready!(Pin::new(sending).poll(cx));
                    let Some(delay) = this.next_wait(&result) else {
                        return Poll::Ready(result);
                    };
                    this.retries += 1;
                    tracing::debug!(
                        retry = this.retries,
                        delay_ms = delay.as_millis() as u64,
                        "retrying Kibana request"
                    );
                    this.state = State::Waiting(Box::pin(tokio::time::sleep(delay)));
                }
                State::Waiting(sleep) => {
                    std::task::ready!(sleep.as_mut().poll(cx));
                    this.state = State::Ready;
                }
                State::Ready => {
                    std::task::ready!(this.inner.poll_ready(cx))?;
                    let request = this.retained.as_ref().expect("retries need a copy").request();
                    this.state = State::Sending(this.inner.call(request));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, retry_after: Option<&str>) -> Result<HttpResponse, TransportError> {
        let mut builder = http::Response::builder().status(status);
        if let Some(v) = retry_after {
            builder = builder.header(RETRY_AFTER, v);
        }
        Ok(builder.body(reqwest::Body::from("")).unwrap())
    }

    #[test]
    fn idempotent_methods_retry_on_configured_statuses_only() {
        let config = RetryConfig::default();
        assert_eq!(
            verdict(&config, &Method::GET, &response(503, Some("7"))),
            Verdict::Retry {
                retry_after: Some(Duration::from_secs(7))
            }
        );
        assert_eq!(
            verdict(&config, &Method::PUT, &response(429, None)),
            Verdict::Retry { retry_after: None }
        );
        assert_eq!(verdict(&config, &Method::GET, &response(500, None)), Verdict::Stop);
        assert_eq!(verdict(&config, &Method::GET, &response(200, None)), Verdict::Stop);
    }

    #[test]
    fn post_is_retried_on_a_429_only() {
        let config = RetryConfig::default();
        assert_eq!(
            verdict(&config, &Method::POST, &response(503, Some("1"))),
            Verdict::Stop
        );
        assert_eq!(
            verdict(&config, &Method::POST, &response(429, Some("1"))),
            Verdict::Retry {
                retry_after: Some(Duration::from_secs(1))
            },
            "Kibana's 429 rejects before handling: safe for a POST"
        );
        let off = RetryConfig {
            retry_429_on_any_method: false,
            ..RetryConfig::default()
        };
        assert_eq!(verdict(&off, &Method::POST, &response(429, None)), Verdict::Stop);
        assert_eq!(
            verdict(&off, &Method::GET, &response(429, None)),
            Verdict::Retry { retry_after: None }
        );
    }

    #[test]
    fn what_cannot_get_better_is_never_retried() {
        let config = RetryConfig::default();
        for error in [
            TransportError::ProxyAuthentication { proxy: None },
            TransportError::AnswerTooLarge {
                limit: 1,
                declared: None,
            },
            TransportError::Timeout {
                limit: TimeLimit::Call,
                after: Duration::from_secs(1),
            },
        ] {
            assert_eq!(verdict(&config, &Method::GET, &Err(error)), Verdict::Stop);
        }
        let attempt = TransportError::Timeout {
            limit: TimeLimit::Attempt,
            after: Duration::from_secs(1),
        };
        assert_eq!(
            verdict(&config, &Method::GET, &Err(attempt)),
            Verdict::Retry { retry_after: None }
        );
    }

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "30".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(30)));
        let later = SystemTime::now() + Duration::from_secs(120);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let parsed = retry_after(&headers).unwrap();
        assert!(
            parsed > Duration::from_secs(100) && parsed <= Duration::from_secs(120),
            "{parsed:?}"
        );
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_is_jittered_below_an_exponential_ceiling() {
        let config = RetryConfig::default();
        for retry in 0..8 {
            let ceiling = (config.base_backoff * 2u32.pow(retry)).min(config.max_backoff);
            for _ in 0..50 {
                assert!(config.backoff(retry) <= ceiling);
            }
        }
    }

    fn exchange(error: impl std::error::Error + Send + Sync + 'static) -> Result<HttpResponse, TransportError> {
        Err(TransportError::Exchange(Box::new(error)))
    }

    #[test]
    fn a_broken_exchange_is_retried_only_when_idempotent_a_failed_connect_always() {
        let config = RetryConfig::default();
        // (A remote `REFUSED_STREAM` reset cannot be built outside h2: `send.rs` tests it against an HTTP/2 server.)
        let broken = || exchange(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset"));
        assert_eq!(verdict(&config, &Method::POST, &broken()), Verdict::Stop);
        assert_eq!(
            verdict(&config, &Method::GET, &broken()),
            Verdict::Retry { retry_after: None }
        );
        let connect = Err(TransportError::Connect("refused".into()));
        assert_eq!(
            verdict(&config, &Method::POST, &connect),
            Verdict::Retry { retry_after: None }
        );
    }

    #[test]
    fn streaming_bodies_are_not_kept_to_be_sent_again() {
        let stream = futures::stream::once(async { Ok::<_, std::io::Error>(bytes::Bytes::from("x")) });
        let request = http::Request::new(reqwest::Body::wrap_stream(stream));
        assert!(Retained::of(&request).is_none());
        let mut request = http::Request::new(reqwest::Body::from("{}"));
        request
            .extensions_mut()
            .insert(RequestContext::new("op", "/api/x", Some("ops".into())));
        request.headers_mut().insert("x-a", http::HeaderValue::from_static("1"));
        let again = Retained::of(&request).unwrap().request();
        assert_eq!(again.body().as_bytes(), Some(&b"{}"[..]));
        assert_eq!(again.headers()["x-a"], "1");
        let context = again.extensions().get::<RequestContext>().unwrap();
        assert_eq!((context.operation, context.space.as_deref()), ("op", Some("ops")));
    }
}
