//! TLS for tests: a test CA with server and client certificates ([`TestPki`]), and [`TlsKibana`], a TLS server on
//! `127.0.0.1:0` answering every request with an available `/api/status` body, over HTTP/2 or HTTP/1.1 as ALPN
//! decides (like Kibana with `server.protocol: http2`). Each answer says how it was served: `x-served-over`
//! (`HTTP/2.0`, `HTTP/1.1`) and `x-authorization-seen` (the `Authorization` header received, or `none`).
//! [`FakeProxy`](crate::proxy::FakeProxy) uses the same certificates for its TLS mode.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use kibana_fake::tls::{Alpn, TestPki, TlsKibana};
//!
//! let pki = TestPki::new(&["localhost", "127.0.0.1"]);
//! let kibana = TlsKibana::start(pki.server_config(Alpn::Http2AndHttp1)).await;
//! let client = kibana::Kibana::builder()
//!     .url(format!("https://localhost:{}", kibana.addr().port()))
//!     .ca_certificate_pem(pki.ca_pem())
//!     .no_proxy()
//!     .build()
//!     .unwrap();
//! assert!(client.status().get().await.unwrap().is_available());
//! # }
//! ```

use std::{convert::Infallible, net::SocketAddr, sync::Arc};

use bytes::Bytes;
use http::{HeaderValue, Response};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::{
    RootCertStore, ServerConfig,
    pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer},
    server::WebPkiClientVerifier,
};
use tokio::task::JoinHandle;

/// The protocols a TLS server offers by ALPN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alpn {
    /// None offered: HTTP/1.1.
    Http1,
    /// `h2` first, then `http/1.1`.
    Http2AndHttp1,
}

/// A test CA and a server certificate it signed for some names (DNS names or IP addresses).
pub struct TestPki {
    ca: CertifiedIssuer<'static, KeyPair>,
    server_cert: CertificateDer<'static>,
    server_key: PrivateKeyDer<'static>,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl TestPki {
    /// A new CA, and a server certificate for `names`.
    pub fn new(names: &[&str]) -> Self {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key")).expect("CA");
        let key = KeyPair::generate().expect("server key");
        let cert = CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
            .expect("server certificate parameters")
            .signed_by(&key, &ca)
            .expect("server certificate");
        Self {
            server_cert: cert.der().clone(),
            server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            ca,
        }
    }

    /// The CA certificate, PEM (for `ca_certificate_pem`).
    pub fn ca_pem(&self) -> String {
        self.ca.pem()
    }

    /// The server certificate's SHA-256 fingerprint, lowercase hex (for `pin_certificate_sha256`).
    pub fn server_fingerprint(&self) -> String {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(self.server_cert.as_ref()))
    }

    /// A client certificate for `name`, signed by the CA: `(certificate PEM, private key PEM)`.
    pub fn client_identity(&self, name: &str) -> (String, String) {
        let key = KeyPair::generate().expect("client key");
        let cert = CertificateParams::new(vec![name.to_owned()])
            .expect("client certificate parameters")
            .signed_by(&key, &self.ca)
            .expect("client certificate");
        (cert.pem(), key.serialize_pem())
    }

    /// A server configuration with the server certificate, offering `alpn`.
    pub fn server_config(&self, alpn: Alpn) -> ServerConfig {
        self.config(alpn, false)
    }

    /// [`server_config`](Self::server_config), requiring a client certificate signed by the CA.
    pub fn server_config_requiring_client_certificates(&self, alpn: Alpn) -> ServerConfig {
        self.config(alpn, true)
    }

    fn config(&self, alpn: Alpn, client_auth: bool) -> ServerConfig {
        let builder = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("protocol versions");
        let builder = if client_auth {
            let mut roots = RootCertStore::empty();
            roots.add(self.ca.der().clone()).expect("the CA is a valid root");
            builder.with_client_cert_verifier(
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                    .build()
                    .expect("client verifier"),
            )
        } else {
            builder.with_no_client_auth()
        };
        let mut config = builder
            .with_single_cert(vec![self.server_cert.clone()], self.server_key.clone_key())
            .expect("server certificate and key");
        if alpn == Alpn::Http2AndHttp1 {
            config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        }
        config
    }
}

/// A TLS "Kibana" answering every request with `{"status":{"overall":{"level":"available"}}}`. Dropping it stops
/// it.
pub struct TlsKibana {
    addr: SocketAddr,
    accept_loop: JoinHandle<()>,
}

impl TlsKibana {
    /// Serves on `127.0.0.1:0` with `config`.
    pub async fn start(config: ServerConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else { return };
                    let service = service_fn(|request: hyper::Request<hyper::body::Incoming>| async move {
                        let seen = request
                            .headers()
                            .get("authorization")
                            .cloned()
                            .unwrap_or(HeaderValue::from_static("none"));
                        Ok::<_, Infallible>(
                            Response::builder()
                                .header("content-type", "application/json")
                                .header("x-served-over", format!("{:?}", request.version()))
                                .header("x-authorization-seen", seen)
                                .body(Full::new(Bytes::from_static(
                                    br#"{"status":{"overall":{"level":"available"}}}"#,
                                )))
                                .expect("valid response"),
                        )
                    });
                    if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                        let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                            .serve_connection(TokioIo::new(tls), service)
                            .await;
                    } else {
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(tls), service)
                            .await;
                    }
                });
            }
        });
        Self { addr, accept_loop }
    }

    /// The address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for TlsKibana {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}
