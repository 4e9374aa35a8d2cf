//! The innermost service: picks a host and sends the request over hyper's pooled client (the one reqwest itself
//! wraps), with one timer per attempt covering both the wait for the headers and the body.
//!
//! Sending through hyper directly rather than `reqwest::Client::execute` skips what this stack already does or does
//! not want (reqwest's retry and redirect layers) and three URL parses per request: the request's URI is moved onto
//! the host's pre-split scheme and authority as it is.
//!
//! The attempt also reads what a caller needs of the answer's body (`settle`): an error body up to its cap, an
//! idempotent request's JSON whole (up to `max_response_body`), so that the retry layer above sees a body that
//! breaks off, and so that a host is healthy again only once a whole answer came from it.

use std::{
    future::{Future, poll_fn},
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use bytes::{Bytes, BytesMut};
use futures::future::BoxFuture;
use http::{
    HeaderMap, StatusCode,
    header::{CONTENT_TYPE, HOST, PROXY_AUTHORIZATION},
};
use http_body::Body;
use hyper::body::Incoming;
use hyper_util::{
    client::legacy::Client,
    rt::{TokioExecutor, TokioTimer},
};
use tokio::time::{Instant, Sleep};
use tower::Service;

use super::{
    HttpRequest, HttpResponse, RequestContext,
    body::{AttemptBody, BoxError, HostReport, Timer},
    connect::{Connector, refused_proxy_credentials},
    hosts::HostPool,
};
use crate::error::{KibanaErrorBody, TimeLimit, TransportError, is_idempotent, was_refused_stream};

/// hyper's pooled HTTP/1.1 and HTTP/2 client over rustls, straight or through a proxy.
pub(crate) type HttpClient = Client<Connector, reqwest::Body>;

/// The pooled client the send layer uses: HTTP/1.1, or HTTP/2 when a TLS server picks it by ALPN (Kibana 8.15+ with
/// `server.protocol: http2`); idle connections closed after 90 s like reqwest's. The connector holds TLS, the
/// connect timeout and the proxies.
pub(crate) fn http_client(connector: Connector, pool_max_idle_per_host: usize) -> HttpClient {
    Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(pool_max_idle_per_host)
        .build(connector)
}

/// An error answer's body could not be read to its end (or to the cap): what arrived is the body, and this says why
/// the rest is missing. In the response's extensions.
#[derive(Clone, Debug)]
pub(crate) struct UnreadableBody(pub(crate) String);

/// Whether an answer is held in memory whole by whoever reads it: JSON and text are decoded whole; streams (NDJSON,
/// binary, server-sent events) are read piece by piece and never held.
fn held_in_memory(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers.get(CONTENT_TYPE) else {
        return true;
    };
    // Compared as bytes: this runs for every answer.
    let value = content_type.as_bytes();
    if value == b"application/json" || value == b"application/json; charset=utf-8" {
        return true;
    }
    let essence = value[..value.iter().position(|b| *b == b';').unwrap_or(value.len())].trim_ascii();
    let is = |wanted: &[u8]| essence.eq_ignore_ascii_case(wanted);
    let ends_with_json = essence.len() >= 5 && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json");
    let text = essence.len() >= 5 && essence[..5].eq_ignore_ascii_case(b"text/");
    is(b"application/json") || ends_with_json || (text && !is(b"text/event-stream"))
}

/// How reading a body within the attempt ended.
enum End {
    /// At its end.
    Whole,
    /// At the cap, with more to come.
    Cap,
    /// The connection broke off (why).
    Broken(BoxError),
    /// The attempt's timer fired.
    Timer,
}

/// Reads at most `cap` bytes of `body` (one more than `cap` is never kept), racing the attempt's timer. A body that
/// arrives in one piece is handed on without a copy.
async fn read_body(body: &mut Incoming, mut timer: Pin<&mut Option<Sleep>>, cap: usize) -> (Bytes, End) {
    let mut first: Option<Bytes> = None;
    let mut more: Option<BytesMut> = None;
    let mut length = 0;
    let end = loop {
        let next = poll_fn(|cx: &mut Context<'_>| {
            if let Poll::Ready(frame) = Pin::new(&mut *body).poll_frame(cx) {
                return Poll::Ready(Some(frame));
            }
            if let Some(timer) = timer.as_mut().as_pin_mut()
                && timer.poll(cx).is_ready()
            {
                return Poll::Ready(None);
            }
            Poll::Pending
        })
        .await;
        let data = match next {
            None => break End::Timer,
            Some(None) => break End::Whole,
            Some(Some(Err(error))) => break End::Broken(Box::new(error)),
            Some(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) => data,
                Err(_) => continue,
            },
        };
        let room = cap - length;
        let kept = if data.len() > room {
            data.slice(..room)
        } else {
            data.clone()
        };
        length += kept.len();
        match (&mut first, &mut more) {
            (None, _) => first = Some(kept),
            (Some(head), None) => {
                let mut joined = BytesMut::with_capacity(head.len() + kept.len());
                joined.extend_from_slice(head);
                joined.extend_from_slice(&kept);
                more = Some(joined);
            }
            (Some(_), Some(joined)) => joined.extend_from_slice(&kept),
        }
        if data.len() > room || (length == cap && !body.is_end_stream()) {
            break End::Cap;
        }
    };
    let bytes = match (more, first) {
        (Some(joined), _) => joined.freeze(),
        (None, Some(head)) => head,
        (None, None) => Bytes::new(),
    };
    (bytes, end)
}

/// Why a body broke off, for an error answer's message.
fn reason(error: &(dyn std::error::Error + 'static)) -> String {
    let mut reason = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        reason.push_str(": ");
        reason.push_str(&cause.to_string());
        source = cause.source();
    }
    reason
}

#[derive(Clone, Debug)]
pub(crate) struct SendRequest {
    /// Behind an `Arc`: the stack is cloned for every call and hyper's client is a large struct.
    pub(crate) client: Arc<HttpClient>,
    pub(crate) hosts: Arc<HostPool>,
    /// Largest success body held in memory.
    pub(crate) max_response_body: u64,
}

/// When an attempt ends, and which limit that is.
#[derive(Clone, Copy)]
struct AttemptEnd {
    at: Instant,
    limit: TimeLimit,
    after: Duration,
}

impl AttemptEnd {
    fn error(&self) -> TransportError {
        TransportError::Timeout {
            limit: self.limit,
            after: self.after,
        }
    }
}

/// One attempt's answer, settled within the attempt. Its timer lives in the attempt's future (no allocation); an
/// answer read after the attempt gets a timer of its own that ends at the same time.
struct Attempt {
    hosts: Arc<HostPool>,
    host: usize,
    idempotent: bool,
    max_response_body: u64,
    end: Option<AttemptEnd>,
}

impl Attempt {
    /// The attempt's time ran out: the error, and a failing host when it was the attempt's own limit.
    fn timed_out(&self) -> TransportError {
        let error = self.end.expect("the timer fired").error();
        if error.time_limit() == Some(TimeLimit::Attempt) {
            self.hosts.mark_failed(self.host);
        }
        error
    }

    /// Reads what a caller needs of an answer within the attempt, so that the retry layer sees its failures and the
    /// host pool sees whole answers:
    ///
    /// - `407`: a proxy refused the proxy credentials (Kibana never sends it);
    /// - an error status: at most [`KibanaErrorBody::MAX_BODY_BYTES`] + 1 bytes (one more than is kept, to say that
    ///   it was cut), the rest never read: a server cannot make the client hold a large error body;
    /// - an idempotent request's JSON or text answer: all of it, up to `max_response_body`, so that a body broken
    ///   off before its end is retried like a broken connection (elastic-transport reads the body within the attempt
    ///   too);
    /// - anything else is handed on unread, to be read by the caller: capped when it is JSON or text, a stream
    ///   (NDJSON, binary) as it is.
    ///
    /// An `async` block rather than an `async fn`: an `async fn` keeps a second copy of its arguments in its future,
    /// and the answer is read in place rather than taken apart first, so that the attempt's future (boxed) stays
    /// small.
    #[allow(clippy::manual_async_fn)]
    fn settle<'a>(
        &'a self,
        mut response: http::Response<Incoming>,
        mut timer: Pin<&'a mut Option<Sleep>>,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send + 'a {
        async move {
            let status = response.status();
            if status == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
                return Err(TransportError::ProxyAuthentication {
                    proxy: self.hosts.target(self.host).forward_proxy.clone(),
                });
            }
            if !status.is_success() {
                let (bytes, end) =
                    read_body(response.body_mut(), timer.as_mut(), KibanaErrorBody::MAX_BODY_BYTES + 1).await;
                let unreadable = match end {
                    End::Whole | End::Cap => None,
                    End::Broken(error) => Some(reason(error.as_ref())),
                    End::Timer => self.end.map(|end| end.error().to_string()),
                };
                if unreadable.is_some() || matches!(status.as_u16(), 502..=504) {
                    self.hosts.mark_failed(self.host);
                } else {
                    self.hosts.mark_ok(self.host);
                }
                if let Some(reason) = unreadable {
                    response.extensions_mut().insert(UnreadableBody(reason));
                }
                return Ok(with_body(response, reqwest::Body::from(bytes)));
            }
            let held = held_in_memory(response.headers());
            let cap = self.max_response_body;
            // hyper knows the `Content-Length` (the body's exact size hint): no header is parsed again.
            if held && let Some(declared) = response.body().size_hint().exact().filter(|&length| length > cap) {
                return Err(TransportError::AnswerTooLarge {
                    limit: cap,
                    declared: Some(declared),
                });
            }
            if held && self.idempotent {
                let read_cap = usize::try_from(cap).unwrap_or(usize::MAX).saturating_add(1);
                let (bytes, end) = read_body(response.body_mut(), timer.as_mut(), read_cap).await;
                return match end {
                    End::Whole if bytes.len() as u64 <= cap => {
                        self.hosts.mark_ok(self.host);
                        Ok(with_body(response, reqwest::Body::from(bytes)))
                    }
                    End::Whole | End::Cap => Err(TransportError::AnswerTooLarge {
                        limit: cap,
                        declared: None,
                    }),
                    End::Broken(error) => {
                        self.hosts.mark_failed(self.host);
                        Err(TransportError::Body(error))
                    }
                    End::Timer => Err(self.timed_out()),
                };
            }
            // Read later by the caller: a failing host learns how the answer ended when it ends.
            let host = self.hosts.is_failing(self.host).then(|| HostReport {
                hosts: self.hosts.clone(),
                index: self.host,
            });
            let (parts, body) = response.into_parts();
            let body = AttemptBody {
                inner: body,
                timer: self.end.map(|end| Timer {
                    sleep: Box::pin(tokio::time::sleep_until(end.at)),
                    limit: end.limit,
                    after: end.after,
                }),
                cap: held.then_some((cap, 0)),
                host,
            };
            Ok(http::Response::from_parts(parts, reqwest::Body::wrap(body)))
        }
    }

    /// How the attempt ended when hyper gave no answer.
    fn failed(&self, error: hyper_util::client::legacy::Error) -> TransportError {
        if error.is_connect() {
            if let Some(proxy) = refused_proxy_credentials(&error) {
                return TransportError::ProxyAuthentication {
                    proxy: Some(proxy.to_owned()),
                };
            }
            self.hosts.mark_failed(self.host);
            return TransportError::Connect(Box::new(error));
        }
        // A host that accepts and then drops the connection fails like one that refuses it; one that refuses a
        // stream (REFUSED_STREAM) is alive and said so.
        if !was_refused_stream(&error) {
            self.hosts.mark_failed(self.host);
        }
        TransportError::Exchange(Box::new(error) as BoxError)
    }
}

/// `response` with the body read within the attempt in place of hyper's.
fn with_body(response: http::Response<Incoming>, body: reqwest::Body) -> HttpResponse {
    let (parts, _) = response.into_parts();
    http::Response::from_parts(parts, body)
}

impl SendRequest {
    /// Starts an attempt: counts it, picks its host, moves the request onto it, starts its timer and hands the
    /// request to hyper. The future left to wait for the answer and read it holds only what that needs (the
    /// request is hyper's by then).
    fn start(self, mut request: HttpRequest) -> Result<BoxFuture<'static, AttemptResult>, TransportError> {
        let Self {
            client,
            hosts,
            max_response_body,
        } = self;
        let context = request.extensions().get::<RequestContext>();
        let avoid = context.and_then(RequestContext::begin_attempt);
        let host = hosts.pick(avoid);
        if let Some(context) = context {
            context.sent_to(host);
        }
        let deadlines = context.and_then(RequestContext::deadlines).copied();
        let target = hosts.target(host);
        if let Some(authorization) = &target.proxy_authorization {
            // Only for an `http://` host reached through a forwarding proxy (which strips it); a `CONNECT`
            // tunnel carries it in the `CONNECT` alone.
            request.headers_mut().insert(PROXY_AUTHORIZATION, authorization.clone());
        }
        // `Authorization` and `Proxy-Authorization` are marked sensitive: `Debug` prints them as `Sensitive`.
        tracing::trace!(host = hosts.base(host), headers = ?request.headers(), "sending attempt");
        *request.uri_mut() = target
            .target(request.uri())
            .map_err(|e| TransportError::InvalidRequest(format!("cannot send to {}: {e}", hosts.base(host))))?;
        if let Some(host_header) = &target.host_header {
            // What hyper-util would add (unless the request has its own), without formatting it again.
            request.headers_mut().entry(HOST).or_insert_with(|| host_header.clone());
        }
        let idempotent = is_idempotent(request.method());

        let end = match deadlines {
            Some(deadlines) => {
                let now = Instant::now();
                let (at, limit, after) = deadlines.attempt_end(now);
                if at <= now {
                    return Err(TransportError::Timeout { limit, after });
                }
                Some(AttemptEnd { at, limit, after })
            }
            None => None,
        };
        let mut sent = client.request(request);
        let attempt = Attempt {
            hosts,
            host,
            idempotent,
            max_response_body,
            end,
        };
        Ok(Box::pin(async move {
            let mut timer = std::pin::pin!(attempt.end.map(|end| tokio::time::sleep_until(end.at)));
            let answer = poll_fn(|cx| {
                if let Poll::Ready(answer) = Pin::new(&mut sent).poll(cx) {
                    return Poll::Ready(Some(answer));
                }
                if let Some(timer) = timer.as_mut().as_pin_mut()
                    && timer.poll(cx).is_ready()
                {
                    return Poll::Ready(None);
                }
                Poll::Pending
            })
            .await;
            drop(sent);
            match answer {
                Some(Ok(response)) => attempt.settle(response, timer).await,
                None => Err(attempt.timed_out()),
                Some(Err(error)) => Err(attempt.failed(error)),
            }
        }))
    }
}

type AttemptResult = Result<HttpResponse, TransportError>;

/// An attempt. It starts when it is first polled, as an `async` block would: a future made and dropped unpolled
/// sends nothing, counts no attempt and moves no host on.
pub(crate) struct SendFuture(SendState);

// Boxing the request to start with would be an allocation per attempt, which is what the attempt's future avoids.
#[allow(clippy::large_enum_variant)]
enum SendState {
    Start(Option<(SendRequest, HttpRequest)>),
    Sending(BoxFuture<'static, AttemptResult>),
}

impl Future for SendFuture {
    type Output = AttemptResult;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<AttemptResult> {
        let state = &mut self.get_mut().0;
        if let SendState::Start(start) = state {
            let (send, request) = start.take().expect("an attempt polled after it ended");
            match send.start(request) {
                Ok(sending) => *state = SendState::Sending(sending),
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
        match state {
            SendState::Sending(sending) => sending.as_mut().poll(cx),
            SendState::Start(_) => unreachable!("started above"),
        }
    }
}

impl Service<HttpRequest> for SendRequest {
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = SendFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest) -> SendFuture {
        SendFuture(SendState::Start(Some((self.clone(), request))))
    }
}

#[cfg(test)]
mod tests {
    //! Against an HTTP/2 server (h2 over TLS, picked by ALPN like Kibana's `server.protocol: http2`) that resets the
    //! first streams it gets, or goes away: a `REFUSED_STREAM` stream was provably not processed, nor a stream above
    //! the last stream id of a `GOAWAY`; any other reset, or a stream the `GOAWAY` covers, may have been.

    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use http::{Method, StatusCode};

    use crate::{Error, Kibana};

    fn acceptor() -> tokio_rustls::TlsAcceptor {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let mut config =
            rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(
                    vec![key.cert.der().clone()],
                    rustls_pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into()),
                )
                .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec()];
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    }

    fn answer(respond: &mut h2::server::SendResponse<bytes::Bytes>) {
        let answer = http::Response::builder()
            .header("content-type", "application/json")
            .body(())
            .unwrap();
        let mut body = respond.send_response(answer, false).unwrap();
        let _ = body.send_data(bytes::Bytes::from_static(br#"{"ok":true}"#), true);
    }

    /// Serves `https://localhost:<port>`; the first `reset` streams are reset with `reason`, the others answered
    /// `{"ok":true}`. Counts the streams it got.
    async fn h2_server(reset: usize, reason: h2::Reason) -> (u16, Arc<AtomicUsize>) {
        let acceptor = acceptor();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let streams = Arc::new(AtomicUsize::new(0));
        let seen = streams.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, seen) = (acceptor.clone(), seen.clone());
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let Ok(mut connection) = h2::server::handshake(tls).await else {
                        return;
                    };
                    while let Some(Ok((_request, mut respond))) = connection.accept().await {
                        if seen.fetch_add(1, Ordering::SeqCst) < reset {
                            respond.send_reset(reason);
                            continue;
                        }
                        answer(&mut respond);
                    }
                });
            }
        });
        (port, streams)
    }

    /// Serves `https://localhost:<port>`. Its first connection goes away: with `covered`, after taking the first
    /// stream (a `GOAWAY` whose last stream id is that stream's, then the connection closes before it is answered);
    /// without, before taking any (`GOAWAY` with last stream id 0: every stream of the client is above it). Later
    /// connections answer `{"ok":true}`. Counts the streams it took.
    async fn going_away_server(covered: bool) -> (u16, Arc<AtomicUsize>) {
        let acceptor = acceptor();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let streams = Arc::new(AtomicUsize::new(0));
        let seen = streams.clone();
        tokio::spawn(async move {
            let mut first = true;
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, seen, going_away) = (acceptor.clone(), seen.clone(), std::mem::take(&mut first));
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let Ok(mut connection) = h2::server::handshake(tls).await else {
                        return;
                    };
                    if going_away {
                        let taken = if covered {
                            let taken = connection.accept().await;
                            seen.fetch_add(usize::from(taken.is_some()), Ordering::SeqCst);
                            taken
                        } else {
                            None
                        };
                        connection.abrupt_shutdown(h2::Reason::NO_ERROR);
                        // Drive the connection until the GOAWAY is out, then close it, the stream unanswered.
                        let _ = tokio::time::timeout(std::time::Duration::from_millis(200), connection.accept()).await;
                        drop(connection);
                        drop(taken);
                        return;
                    }
                    while let Some(Ok((_request, mut respond))) = connection.accept().await {
                        seen.fetch_add(1, Ordering::SeqCst);
                        answer(&mut respond);
                    }
                });
            }
        });
        (port, streams)
    }

    async fn post(port: u16) -> Result<(StatusCode, serde_json::Value), Error> {
        let client = Kibana::builder()
            .url(format!("https://localhost:{port}"))
            .danger_accept_invalid_certs(true)
            .no_proxy()
            .retry_backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(5))
            .build()
            .unwrap();
        static CREATE_THING: kibana_gen::spec::Operation = kibana_gen::spec::Operation {
            name: "create_thing",
            operation_id: "post-things",
            method: "POST",
            path: "/api/things",
            tag: "",
            request_body: kibana_gen::spec::RequestBody::Json,
            deprecated: false,
            api_version: None,
            added_in: None,
            stability: kibana_gen::spec::Stability::Unspecified,
            replacement: None,
        };
        client
            .send_json_unchecked(
                &CREATE_THING,
                Method::POST,
                "/api/things",
                Some(&serde_json::json!({"name": "x"})),
                false,
            )
            .await
    }

    #[tokio::test]
    async fn a_post_whose_http2_stream_was_refused_is_sent_again() {
        let (port, streams) = h2_server(1, h2::Reason::REFUSED_STREAM).await;
        let (status, body) = post(port).await.expect("retried after REFUSED_STREAM");
        assert_eq!((status, body), (StatusCode::OK, serde_json::json!({"ok": true})));
        assert_eq!(streams.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_post_whose_http2_stream_was_reset_otherwise_is_not() {
        let (port, streams) = h2_server(1, h2::Reason::INTERNAL_ERROR).await;
        let error = post(port).await.unwrap_err();
        let Error::Connection(failure) = &error else {
            panic!("{error:?}")
        };
        assert!(failure.may_have_been_processed());
        assert!(!error.is_retryable());
        assert_eq!(
            streams.load(Ordering::SeqCst),
            1,
            "the server may have acted on it: not sent again"
        );
    }

    #[tokio::test]
    async fn a_post_on_a_stream_above_the_goaway_last_stream_id_is_sent_again() {
        let (port, streams) = going_away_server(false).await;
        let (status, body) = post(port).await.expect("resent after the GOAWAY");
        assert_eq!((status, body), (StatusCode::OK, serde_json::json!({"ok": true})));
        assert_eq!(
            streams.load(Ordering::SeqCst),
            1,
            "processed once, on the second connection"
        );
    }

    #[tokio::test]
    async fn a_post_on_a_stream_the_goaway_covers_is_not() {
        let (port, streams) = going_away_server(true).await;
        let error = post(port).await.unwrap_err();
        let Error::Connection(failure) = &error else {
            panic!("{error:?}")
        };
        assert!(failure.may_have_been_processed(), "{error:?}");
        assert!(!error.is_retryable());
        assert_eq!(
            streams.load(Ordering::SeqCst),
            1,
            "the server may have acted on it: not sent again"
        );
    }
}
