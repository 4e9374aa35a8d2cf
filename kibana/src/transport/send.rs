//! The innermost service: picks a host and sends the request over hyper's pooled client (the one reqwest itself
//! wraps), with the attempt's timeout covering both the wait for the headers and the body.
//!
//! Sending through hyper directly rather than `reqwest::Client::execute` skips what this stack already does or does
//! not want (reqwest's retry and redirect layers) and three URL parses per request: the request's URI is moved onto
//! the host's pre-split scheme and authority as it is.

use std::{
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use futures::future::{BoxFuture, Either};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::{TokioExecutor, TokioTimer},
};
use tower::Service;

use super::{
    HttpRequest, HttpResponse, RequestContext, RequestTimeout, TransportError,
    body::{BoxError, DeadlineBody},
    hosts::HostPool,
};

/// hyper's pooled HTTP/1.1 and HTTP/2 client over rustls.
pub(crate) type HttpClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, reqwest::Body>;

/// The pooled client the send layer uses: HTTP/1.1, or HTTP/2 when a TLS server picks it by ALPN (Kibana 8.15+ with
/// `server.protocol: http2`); TCP_NODELAY, the connect timeout, rustls with `tls`, idle connections closed after 90 s
/// like reqwest's.
pub(crate) fn http_client(
    tls: rustls::ClientConfig,
    connect_timeout: Duration,
    pool_max_idle_per_host: usize,
) -> HttpClient {
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    tcp.set_connect_timeout(Some(connect_timeout));
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(tcp);
    Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(pool_max_idle_per_host)
        .build(connector)
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
            // `Authorization` is marked sensitive by the headers layer: `Debug` prints it as `Sensitive`.
            tracing::trace!(host = hosts.base(host), headers = ?request.headers(), "sending attempt");
            *request.uri_mut() = hosts
                .target(host)
                .target(request.uri())
                .map_err(|e| TransportError::InvalidRequest(format!("cannot send to {}: {e}", hosts.base(host))))?;

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
                    Ok(response.map(|body| match deadline {
                        Some((timeout, deadline)) => reqwest::Body::wrap(DeadlineBody {
                            inner: body,
                            deadline,
                            timeout,
                        }),
                        None => reqwest::Body::wrap(body),
                    }))
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
