//! The innermost service: picks a host and sends the request over hyper's pooled client (the one reqwest itself
//! wraps), with the attempt's timeout covering both the wait for the headers and the body.
//!
//! Sending through hyper directly rather than `reqwest::Client::execute` skips what this stack already does or does
//! not want (reqwest's retry and redirect layers) and three URL parses per request: the request's URI is moved onto
//! the host's pre-split scheme and authority as it is.
//!
//! The attempt also reads what a caller needs of the answer's body (`settle`): an error body up to its cap, an
//! idempotent request's JSON whole, so that the retry layer above sees a body that breaks off.

use std::{
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use bytes::{Bytes, BytesMut};
use futures::future::{BoxFuture, Either};
use http::header::{CONTENT_TYPE, PROXY_AUTHORIZATION};
use http_body_util::BodyExt;
use hyper_util::{
    client::legacy::Client,
    rt::{TokioExecutor, TokioTimer},
};
use tower::Service;

use super::{
    HttpRequest, HttpResponse, RequestContext, RequestTimeout, TransportError,
    body::{BoxError, DeadlineBody},
    connect::Connector,
    hosts::HostPool,
    retry::is_idempotent,
};
use crate::error::KibanaErrorBody;

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

/// Reads what a caller needs of an answer within the attempt, so that the retry layer sees its failures:
///
/// - an error status: at most [`KibanaErrorBody::MAX_BODY_BYTES`] + 1 bytes (one more than is kept, to say that it
///   was cut), the rest never read: a server cannot make the client hold a large error body;
/// - an idempotent request's JSON or text answer: all of it, so that a body broken off before its end is retried like
///   a broken connection (elastic-transport reads the body within the attempt too);
/// - anything else (a POST's answer, NDJSON or binary streams such as exports) is handed on unread, to be streamed.
async fn settle(response: HttpResponse, idempotent: bool) -> Result<HttpResponse, TransportError> {
    if !response.status().is_success() {
        let (mut parts, body) = response.into_parts();
        let (bytes, unreadable) = read_capped(body, KibanaErrorBody::MAX_BODY_BYTES + 1).await;
        if let Some(reason) = unreadable {
            parts.extensions.insert(UnreadableBody(reason));
        }
        return Ok(http::Response::from_parts(parts, reqwest::Body::from(bytes)));
    }
    if idempotent && read_whole(&response) {
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.map_err(TransportError::Body)?.to_bytes();
        return Ok(http::Response::from_parts(parts, reqwest::Body::from(bytes)));
    }
    Ok(response)
}

/// JSON and text answers are decoded whole anyway; streams (NDJSON, binary, server-sent events) are not read here.
fn read_whole(response: &HttpResponse) -> bool {
    let Some(content_type) = response.headers().get(CONTENT_TYPE) else {
        return true;
    };
    let Ok(content_type) = content_type.to_str() else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence.ends_with("+json")
        || (essence.starts_with("text/") && essence != "text/event-stream")
}

/// At most `cap` bytes of `body`, and why it ended early when it broke.
async fn read_capped(mut body: reqwest::Body, cap: usize) -> (Bytes, Option<String>) {
    let mut buffer = BytesMut::new();
    while buffer.len() < cap {
        match body.frame().await {
            None => break,
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let room = cap - buffer.len();
                    buffer.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            Some(Err(error)) => {
                let mut reason = error.to_string();
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    reason.push_str(": ");
                    reason.push_str(&cause.to_string());
                    source = cause.source();
                }
                return (buffer.freeze(), Some(reason));
            }
        }
    }
    (buffer.freeze(), None)
}

#[derive(Clone, Debug)]
pub(crate) struct SendRequest {
    /// Behind an `Arc`: the stack is cloned for every call and hyper's client is a large struct.
    pub(crate) client: Arc<HttpClient>,
    pub(crate) hosts: Arc<HostPool>,
    /// Per attempt, unless the request carries a [`RequestTimeout`].
    pub(crate) timeout: Option<Duration>,
}

impl Service<HttpRequest> for SendRequest {
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = BoxFuture<'static, Result<HttpResponse, TransportError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: HttpRequest) -> Self::Future {
        let client = self.client.clone();
        let hosts = self.hosts.clone();
        let timeout = request
            .extensions()
            .get::<RequestTimeout>()
            .map_or(self.timeout, |t| Some(t.0));
        Box::pin(async move {
            if let Some(context) = request.extensions().get::<RequestContext>() {
                context.count_attempt();
            }
            let host = hosts.pick();
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
            let idempotent = is_idempotent(request.method());

            let mut deadline = timeout.map(|t| (t, Box::pin(tokio::time::sleep(t))));
            let sent = client.request(request);
            let answer = match deadline.as_mut() {
                None => sent.await,
                Some((timeout, timer)) => match futures::future::select(sent, timer.as_mut()).await {
                    Either::Left((answer, _)) => answer,
                    Either::Right(_) => {
                        hosts.mark_failed(host);
                        return Err(TransportError::Timeout(*timeout));
                    }
                },
            };
            match answer {
                Ok(response) => {
                    hosts.mark_ok(host);
                    let response = response.map(|body| match deadline {
                        Some((timeout, deadline)) => reqwest::Body::wrap(DeadlineBody {
                            inner: body,
                            deadline,
                            timeout,
                        }),
                        None => reqwest::Body::wrap(body),
                    });
                    settle(response, idempotent).await
                }
                Err(error) if error.is_connect() => {
                    hosts.mark_failed(host);
                    Err(TransportError::Connect(Box::new(error)))
                }
                Err(error) => Err(TransportError::Exchange(Box::new(error) as BoxError)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    //! Against an HTTP/2 server (h2 over TLS, picked by ALPN like Kibana's `server.protocol: http2`) that resets the
    //! first streams it gets: a `REFUSED_STREAM` stream was provably not processed, any other reset may have been.

    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use http::{Method, StatusCode};

    use crate::{Error, Kibana};

    /// Serves `https://localhost:<port>`; the first `reset` streams are reset with `reason`, the others answered
    /// `{"ok":true}`. Counts the streams it got.
    async fn h2_server(reset: usize, reason: h2::Reason) -> (u16, Arc<AtomicUsize>) {
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
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
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
                        let answer = http::Response::builder()
                            .header("content-type", "application/json")
                            .body(())
                            .unwrap();
                        let mut body = respond.send_response(answer, false).unwrap();
                        let _ = body.send_data(bytes::Bytes::from_static(br#"{"ok":true}"#), true);
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
        client
            .send_json_unchecked(
                "create_thing",
                "/api/things",
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
}
