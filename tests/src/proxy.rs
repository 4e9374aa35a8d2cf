//! A small HTTP proxy for tests, on `127.0.0.1:0`: forwards absolute-form requests (`GET http://host/path`), tunnels
//! `CONNECT host:port`, optionally requires `Proxy-Authorization: Basic`, optionally speaks TLS itself (an
//! `https://` proxy, [`FakeProxyBuilder::tls`]), and records what it saw of every request (the request line and
//! headers it received, and what it answered) — never what runs inside a tunnel.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use kibana_fake::{FakeKibana, proxy::FakeProxy};
//!
//! let kibana = FakeKibana::start().await;
//! let proxy = FakeProxy::builder().basic_auth("proxy-user", "proxy-pass").start().await;
//! let client = kibana::Kibana::builder()
//!     .url(kibana.url())
//!     .proxy(proxy.url())
//!     .proxy_basic_auth("proxy-user", "proxy-pass")
//!     .build()
//!     .unwrap();
//! client.status().get().await.unwrap();
//! let seen = proxy.requests();
//! assert_eq!(seen[0].target, format!("{}/api/status", kibana.url()));
//! assert_eq!(seen[0].status, 200);
//! # }
//! ```

use std::{
    convert::Infallible,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use base64::{Engine, engine::general_purpose::STANDARD};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Empty, combinators::BoxBody};
use hyper::{body::Incoming, service::service_fn};
use hyper_util::rt::TokioIo;
use tokio::{net::TcpStream, task::AbortHandle};

/// What the proxy saw of one request, and what it answered.
#[derive(Clone, Debug)]
pub struct ProxiedRequest {
    /// `CONNECT`, `GET`, `POST`...
    pub method: String,
    /// The request target as received: `host:port` for `CONNECT`, an absolute URL when forwarding.
    pub target: String,
    /// The headers the proxy received (with `Proxy-Authorization`, which it does not pass on).
    pub headers: HeaderMap,
    /// What the proxy answered: `200` for an established tunnel, `407` without the right credentials, `502` when
    /// the target could not be reached, or the target's own status when forwarding.
    pub status: u16,
}

struct Shared {
    /// The `Proxy-Authorization` value required, if any.
    required: Option<String>,
    tls: bool,
    seen: Mutex<Vec<ProxiedRequest>>,
    tasks: Mutex<Vec<AbortHandle>>,
}

/// A running proxy. Dropping it stops it (and its tunnels).
pub struct FakeProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

/// Configures a [`FakeProxy`].
#[derive(Default, Clone)]
#[must_use]
pub struct FakeProxyBuilder {
    required: Option<String>,
    tls: Option<Arc<rustls::ServerConfig>>,
}

impl std::fmt::Debug for FakeProxyBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeProxyBuilder")
            .field("basic_auth", &self.required.is_some())
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl FakeProxyBuilder {
    /// Require `Proxy-Authorization: Basic base64(username:password)`; others get `407`.
    pub fn basic_auth(mut self, username: &str, password: &str) -> Self {
        self.required = Some(format!("Basic {}", STANDARD.encode(format!("{username}:{password}"))));
        self
    }

    /// Speak TLS with clients (an `https://` proxy) with this configuration, e.g.
    /// [`TestPki::server_config`](crate::tls::TestPki::server_config) for `127.0.0.1`.
    pub fn tls(mut self, config: rustls::ServerConfig) -> Self {
        self.tls = Some(Arc::new(config));
        self
    }

    /// Starts the proxy on `127.0.0.1:0`.
    pub async fn start(self) -> FakeProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let acceptor = self.tls.map(tokio_rustls::TlsAcceptor::from);
        let shared = Arc::new(Shared {
            required: self.required,
            tls: acceptor.is_some(),
            seen: Mutex::default(),
            tasks: Mutex::default(),
        });
        let accepting = shared.clone();
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = accepting.clone();
                let acceptor = acceptor.clone();
                let connection = tokio::spawn(async move {
                    let service = service_fn(move |request| handle(shared.clone(), request));
                    let http1 = hyper::server::conn::http1::Builder::new();
                    match acceptor {
                        None => {
                            let _ = http1
                                .serve_connection(TokioIo::new(stream), service)
                                .with_upgrades()
                                .await;
                        }
                        Some(acceptor) => {
                            let Ok(tls) = acceptor.accept(stream).await else { return };
                            let _ = http1.serve_connection(TokioIo::new(tls), service).with_upgrades().await;
                        }
                    }
                });
                accepting.track(connection.abort_handle());
            }
        });
        shared.track(accept_loop.abort_handle());
        FakeProxy { addr, shared }
    }
}

impl Shared {
    fn track(&self, task: AbortHandle) {
        let mut tasks = self.tasks.lock().expect("tasks lock");
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }
}

impl FakeProxy {
    /// An open proxy (no credentials required).
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// A builder.
    pub fn builder() -> FakeProxyBuilder {
        FakeProxyBuilder::default()
    }

    /// `http://127.0.0.1:<port>`, or `https://127.0.0.1:<port>` in TLS mode.
    pub fn url(&self) -> String {
        let scheme = if self.shared.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<ProxiedRequest> {
        self.shared.seen.lock().expect("seen lock").clone()
    }

    /// How many `CONNECT` requests were received.
    pub fn connects(&self) -> usize {
        self.requests().iter().filter(|r| r.method == "CONNECT").count()
    }
}

impl Drop for FakeProxy {
    fn drop(&mut self) {
        for task in self.shared.tasks.lock().expect("tasks lock").drain(..) {
            task.abort();
        }
    }
}

type Body = BoxBody<Bytes, hyper::Error>;

fn empty(status: StatusCode) -> Response<Body> {
    Response::builder()
        .status(status)
        .body(Empty::new().map_err(|never| match never {}).boxed())
        .expect("valid response")
}

/// Headers that concern one hop only, never passed on (RFC 9110 §7.6.1), and the proxy's own credentials.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let method = request.method().to_string();
    let target = request.uri().to_string();
    let headers = request.headers().clone();
    let response = answer(&shared, request).await;
    shared.seen.lock().expect("seen lock").push(ProxiedRequest {
        method,
        target,
        headers,
        status: response.status().as_u16(),
    });
    Ok(response)
}

async fn answer(shared: &Arc<Shared>, request: Request<Incoming>) -> Response<Body> {
    if let Some(required) = &shared.required {
        let given = request
            .headers()
            .get(header::PROXY_AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if given != Some(required.as_str()) {
            let mut response = empty(StatusCode::PROXY_AUTHENTICATION_REQUIRED);
            response.headers_mut().insert(
                header::PROXY_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"kibana-fake-proxy\""),
            );
            return response;
        }
    }
    let Some(authority) = request.uri().authority().cloned() else {
        return empty(StatusCode::BAD_REQUEST);
    };
    if request.method() == Method::CONNECT {
        let Ok(mut upstream) = TcpStream::connect(authority.as_str()).await else {
            return empty(StatusCode::BAD_GATEWAY);
        };
        let tunnel = tokio::spawn(async move {
            if let Ok(upgraded) = hyper::upgrade::on(request).await {
                let _ = tokio::io::copy_bidirectional(&mut TokioIo::new(upgraded), &mut upstream).await;
            }
        });
        shared.track(tunnel.abort_handle());
        return empty(StatusCode::OK);
    }
    // Forwarding: only absolute-form `http://` targets.
    if request.uri().scheme_str() != Some("http") {
        return empty(StatusCode::BAD_REQUEST);
    }
    let address = match authority.port_u16() {
        Some(_) => authority.to_string(),
        None => format!("{}:80", authority.host()),
    };
    let Ok(upstream) = TcpStream::connect(address).await else {
        return empty(StatusCode::BAD_GATEWAY);
    };
    let Ok((mut sender, connection)) = hyper::client::conn::http1::handshake(TokioIo::new(upstream)).await else {
        return empty(StatusCode::BAD_GATEWAY);
    };
    let driver = tokio::spawn(connection);
    shared.track(driver.abort_handle());
    let (mut parts, body) = request.into_parts();
    parts.uri = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .parse()
        .expect("a path and query is a URI");
    for name in HOP_BY_HOP {
        parts.headers.remove(name);
    }
    match sender.send_request(Request::from_parts(parts, body)).await {
        Ok(response) => response.map(BodyExt::boxed),
        Err(_) => empty(StatusCode::BAD_GATEWAY),
    }
}
