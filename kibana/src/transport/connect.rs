//! Connections to Kibana: straight (TCP, then TLS for `https://`), or through an HTTP proxy chosen per host when the
//! client was built (`proxy.rs`), reached over TCP (`http://proxy`) or TLS (`https://proxy`, rustls, verified as the
//! proxy's name):
//!
//! - an `http://` host: a connection to the proxy, marked as proxied so that hyper sends absolute-form requests
//!   (`GET http://kibana:5601/api/status HTTP/1.1`); the send layer adds `Proxy-Authorization`;
//! - an `https://` host: hyper-util's [`Tunnel`] sends `CONNECT kibana:5601` (with `Proxy-Authorization` and nothing
//!   else) over that connection, then rustls runs TLS with Kibana inside the tunnel, verified against Kibana's host
//!   name (the URI the connector is called with), not the proxy's; ALPN may pick HTTP/2 as without a proxy.
//!
//! Errors on the way to a proxy name it (never its credentials), and count as connection failures: the request
//! never reached Kibana.

use std::{
    fmt,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use futures::future::BoxFuture;
use http::{Uri, uri::Authority};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::{
    client::legacy::connect::{Connected, Connection, HttpConnector, proxy::Tunnel},
    rt::TokioIo,
};
use tokio::net::TcpStream;
use tower::Service;

use super::{
    body::BoxError,
    proxy::{ProxyTarget, Route},
};

type Tcp = TokioIo<TcpStream>;
/// TCP to Kibana or to a proxy, with TLS when the URI is `https://`.
type Https = HttpsConnector<HttpConnector>;
/// TLS with Kibana inside a `CONNECT` tunnel through a proxy reached with [`Https`].
type Tunnelled = HttpsConnector<Tunnel<Https>>;

/// What the pooled client connects with.
#[derive(Clone)]
pub(crate) struct Connector {
    direct: Https,
    /// The proxied hosts (few: one per configured host at most), matched by scheme and authority.
    proxied: Arc<[(bool, Authority, Via)]>,
}

#[derive(Clone)]
enum Via {
    Forward {
        proxy: Uri,
        shown: Arc<str>,
        connector: Https,
    },
    Tunnel {
        shown: Arc<str>,
        connector: Tunnelled,
    },
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proxied: Vec<String> = self
            .proxied
            .iter()
            .map(|(_, authority, via)| match via {
                Via::Forward { shown, .. } => format!("{authority} via {shown}"),
                Via::Tunnel { shown, .. } => format!("{authority} via {shown} (CONNECT)"),
            })
            .collect();
        f.debug_struct("Connector")
            .field("proxied", &proxied)
            .finish_non_exhaustive()
    }
}

fn tcp(connect_timeout: Duration) -> HttpConnector {
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    tcp.set_connect_timeout(Some(connect_timeout));
    tcp
}

/// TLS for `https://` URIs (HTTP/1.1 or HTTP/2 by ALPN), plain TCP for `http://` ones.
fn tls_over<T>(tls: rustls::ClientConfig, inner: T) -> HttpsConnector<T> {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(inner)
}

/// A connection to a proxy: TLS for an `https://` proxy, offering HTTP/1.1 only (`CONNECT` and forwarded requests are
/// HTTP/1.1), plain TCP for an `http://` one.
fn to_proxy(tls: rustls::ClientConfig, connect_timeout: Duration) -> Https {
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(tcp(connect_timeout))
}

impl Connector {
    /// `hosts` (scheme `https`?, authority) with the route each takes. `proxy_tls` verifies `https://` proxies (the
    /// builder makes it when a route needs it; without it, `tls` does).
    pub(crate) fn new(
        tls: rustls::ClientConfig,
        proxy_tls: Option<rustls::ClientConfig>,
        connect_timeout: Duration,
        hosts: impl IntoIterator<Item = (bool, Authority, Route)>,
    ) -> Self {
        let proxy_tls = proxy_tls.unwrap_or_else(|| tls.clone());
        let proxied = hosts
            .into_iter()
            .filter_map(|(https, authority, route)| {
                let via = match route {
                    Route::Direct => return None,
                    Route::Forward(target) => Via::Forward {
                        shown: target.shown().into(),
                        proxy: target.uri,
                        connector: to_proxy(proxy_tls.clone(), connect_timeout),
                    },
                    Route::Tunnel(ProxyTarget { uri, authorization }) => {
                        let shown: Arc<str> = ProxyTarget {
                            uri: uri.clone(),
                            authorization: None,
                        }
                        .shown()
                        .into();
                        let mut tunnel = Tunnel::new(uri, to_proxy(proxy_tls.clone(), connect_timeout));
                        if let Some(authorization) = authorization {
                            tunnel = tunnel.with_auth(authorization);
                        }
                        Via::Tunnel {
                            shown,
                            connector: tls_over(tls.clone(), tunnel),
                        }
                    }
                };
                Some((https, authority, via))
            })
            .collect();
        Self {
            direct: tls_over(tls, tcp(connect_timeout)),
            proxied,
        }
    }

    fn via(&self, dst: &Uri) -> Option<&Via> {
        if self.proxied.is_empty() {
            return None;
        }
        let https = dst.scheme_str() == Some("https");
        let authority = dst.authority()?;
        self.proxied
            .iter()
            .find(|(h, a, _)| *h == https && a == authority)
            .map(|(_, _, via)| via)
    }
}

impl Service<Uri> for Connector {
    type Response = KibanaStream;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<KibanaStream, BoxError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Every inner connector is always ready (they resolve and connect in `call`).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        match self.via(&dst).cloned() {
            None => {
                let connecting = self.direct.call(dst);
                Box::pin(async move {
                    Ok(KibanaStream {
                        inner: Stream::Straight(connecting.await?),
                        forwarded: false,
                    })
                })
            }
            Some(Via::Forward {
                proxy,
                shown,
                mut connector,
            }) => Box::pin(async move {
                let stream = connector
                    .call(proxy)
                    .await
                    .map_err(|e| ProxyFailure::boxed(&shown, e))?;
                Ok(KibanaStream {
                    inner: Stream::Straight(stream),
                    forwarded: true,
                })
            }),
            Some(Via::Tunnel { shown, mut connector }) => Box::pin(async move {
                let stream = connector.call(dst).await.map_err(|e| ProxyFailure::boxed(&shown, e))?;
                Ok(KibanaStream {
                    inner: Stream::Tunnelled(stream),
                    forwarded: false,
                })
            }),
        }
    }
}

/// A connection failed on the way through a proxy: it names the proxy.
#[derive(Debug)]
pub(crate) struct ProxyFailure {
    proxy: Arc<str>,
    source: BoxError,
}

impl ProxyFailure {
    fn boxed(proxy: &Arc<str>, source: BoxError) -> BoxError {
        // hyper-util's tunnel error type is private; its message is the only way to tell a 407 apart.
        let source = if chain_mentions(source.as_ref(), "proxy authorization required") {
            Box::new(ProxyAuthRequired {
                proxy: proxy.clone(),
                source,
            })
        } else {
            source
        };
        Box::new(Self {
            proxy: proxy.clone(),
            source,
        })
    }
}

fn chain_mentions(error: &(dyn std::error::Error + 'static), text: &str) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.to_string().contains(text) {
            return true;
        }
        cause = error.source();
    }
    false
}

impl fmt::Display for ProxyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "through the proxy {}", self.proxy)
    }
}

impl std::error::Error for ProxyFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// The proxy answered `CONNECT` with `407 Proxy Authentication Required`: the proxy credentials (from the proxy's
/// URL or `proxy_basic_auth`) are missing or wrong. The send layer makes it a
/// [`TransportError::ProxyAuthentication`](crate::transport::TransportError::ProxyAuthentication).
#[derive(Debug)]
pub(crate) struct ProxyAuthRequired {
    proxy: Arc<str>,
    source: BoxError,
}

impl fmt::Display for ProxyAuthRequired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the proxy refused the proxy credentials (407 Proxy Authentication Required)")
    }
}

impl std::error::Error for ProxyAuthRequired {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// The proxy that refused the proxy credentials, when that is why connecting failed.
pub(crate) fn refused_proxy_credentials<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a str> {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(refused) = error.downcast_ref::<ProxyAuthRequired>() {
            return Some(&refused.proxy);
        }
        cause = error.source();
    }
    None
}

/// A connection as hyper uses it; a connection to a forwarding proxy says so, which makes hyper write absolute-form
/// request targets.
pub(crate) struct KibanaStream {
    inner: Stream,
    forwarded: bool,
}

// A connection is made once and lives in hyper's pool; boxing either variant would add a pointer chase to every
// read and write of the connections that use it.
#[allow(clippy::large_enum_variant)]
enum Stream {
    /// To Kibana, or to a forwarding proxy.
    Straight(MaybeHttpsStream<Tcp>),
    /// TLS with Kibana inside a tunnel through a proxy.
    Tunnelled(MaybeHttpsStream<MaybeHttpsStream<Tcp>>),
}

impl Connection for KibanaStream {
    fn connected(&self) -> Connected {
        let connected = match &self.inner {
            Stream::Straight(stream) => stream.connected(),
            Stream::Tunnelled(stream) => stream.connected(),
        };
        if self.forwarded {
            connected.proxy(true)
        } else {
            connected
        }
    }
}

/// Calls `$method` on whichever stream the connection is.
macro_rules! on_stream {
    ($self:ident, $stream:ident => $call:expr) => {
        match &mut $self.inner {
            Stream::Straight($stream) => $call,
            Stream::Tunnelled($stream) => $call,
        }
    };
}

impl hyper::rt::Read for KibanaStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        on_stream!(self, stream => Pin::new(stream).poll_read(cx, buf))
    }
}

impl hyper::rt::Write for KibanaStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        on_stream!(self, stream => Pin::new(stream).poll_write(cx, buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        on_stream!(self, stream => Pin::new(stream).poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        on_stream!(self, stream => Pin::new(stream).poll_shutdown(cx))
    }

    fn is_write_vectored(&self) -> bool {
        match &self.inner {
            Stream::Straight(stream) => stream.is_write_vectored(),
            Stream::Tunnelled(stream) => stream.is_write_vectored(),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        on_stream!(self, stream => Pin::new(stream).poll_write_vectored(cx, bufs))
    }
}
