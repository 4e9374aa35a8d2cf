//! TLS against a real TLS server on 127.0.0.1 with generated certificates: verification on by default, a CA
//! bundle, certificate pinning, the dangerous opt-out, and client certificates.

use std::{net::SocketAddr, sync::Arc};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, service::service_fn};
use hyper_util::rt::TokioIo;
use kibana::{Error, Kibana};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::{
    RootCertStore, ServerConfig,
    pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer},
    server::WebPkiClientVerifier,
};
use sha2::{Digest, Sha256};

struct Pki {
    ca: CertifiedIssuer<'static, KeyPair>,
    server_cert: CertificateDer<'static>,
    server_key: PrivateKeyDer<'static>,
    server_fingerprint: String,
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();
    let der = server_cert.der().clone();
    Pki {
        server_fingerprint: hex::encode(Sha256::digest(der.as_ref())),
        server_cert: der,
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        ca,
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

async fn serve(config: ServerConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else { return };
                let service = service_fn(|request: hyper::Request<hyper::body::Incoming>| async move {
                    Ok::<_, std::convert::Infallible>(
                        Response::builder()
                            .header("content-type", "application/json")
                            .header("x-served-over", format!("{:?}", request.version()))
                            .body(Full::new(Bytes::from_static(
                                br#"{"status":{"overall":{"level":"available"}}}"#,
                            )))
                            .unwrap(),
                    )
                });
                // HTTP/2 when the client offered it and the server config lists it (ALPN), like Kibana with
                // `server.protocol: http2`; the answer tells which protocol served it.
                if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                    let _ = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
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
    addr
}

fn server_config(pki: &Pki, client_ca: Option<&CertificateDer<'static>>) -> ServerConfig {
    let builder = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            roots.add(ca.clone()).unwrap();
            builder.with_client_cert_verifier(
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                    .build()
                    .unwrap(),
            )
        }
    };
    builder
        .with_single_cert(vec![pki.server_cert.clone()], pki.server_key.clone_key())
        .unwrap()
}

fn url(addr: SocketAddr) -> String {
    format!("https://{addr}")
}

#[tokio::test]
async fn an_unknown_ca_is_refused_by_default() {
    let pki = pki();
    let addr = serve(server_config(&pki, None)).await;
    let client = Kibana::builder().url(url(addr)).max_retries(0).build().unwrap();
    let error = client.status().get().await.unwrap_err();
    assert!(matches!(error, Error::Tls(_)), "{error:?}");
}

#[tokio::test]
async fn a_ca_bundle_makes_the_server_trusted() {
    let pki = pki();
    let addr = serve(server_config(&pki, None)).await;
    let client = Kibana::builder()
        .url(url(addr))
        .ca_certificate_pem(pki.ca.pem())
        .build()
        .unwrap();
    assert!(client.status().get().await.unwrap().is_available());
}

#[tokio::test]
async fn a_pinned_fingerprint_replaces_the_ca_check_and_a_wrong_one_is_refused() {
    let pki = pki();
    let addr = serve(server_config(&pki, None)).await;
    let colons = pki
        .server_fingerprint
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap().to_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    let pinned = Kibana::builder()
        .url(url(addr))
        .pin_certificate_sha256(&colons)
        .build()
        .unwrap();
    assert!(pinned.status().get().await.unwrap().is_available());
    let wrong = Kibana::builder()
        .url(url(addr))
        .pin_certificate_sha256("00".repeat(32))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(matches!(wrong.status().get().await, Err(Error::Tls(_))));
}

#[tokio::test]
async fn accepting_invalid_certificates_is_an_explicit_choice() {
    let pki = pki();
    let addr = serve(server_config(&pki, None)).await;
    let client = Kibana::builder()
        .url(url(addr))
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    assert!(client.status().get().await.unwrap().is_available());
}

#[tokio::test]
async fn client_certificates_authenticate_the_client() {
    let pki = pki();
    let client_key = KeyPair::generate().unwrap();
    let client_cert = CertificateParams::new(vec!["kibana-rs-client".to_owned()])
        .unwrap()
        .signed_by(&client_key, &pki.ca)
        .unwrap();
    let addr = serve(server_config(&pki, Some(pki.ca.der()))).await;

    let without = Kibana::builder()
        .url(url(addr))
        .ca_certificate_pem(pki.ca.pem())
        .max_retries(0)
        .build()
        .unwrap();
    assert!(
        without.status().get().await.is_err(),
        "the server requires a client certificate"
    );
    let with = Kibana::builder()
        .url(url(addr))
        .ca_certificate_pem(pki.ca.pem())
        .client_certificate_pem(client_cert.pem(), client_key.serialize_pem())
        .build()
        .unwrap();
    assert!(with.status().get().await.unwrap().is_available());
}

#[tokio::test]
async fn a_certificate_failure_is_not_retried() {
    let pki = pki();
    let addr = serve(server_config(&pki, None)).await;
    let client = Kibana::builder().url(url(addr)).max_retries(3).build().unwrap();
    let Err(Error::Tls(failure)) = client.status().get().await else {
        panic!("a TLS error was expected")
    };
    assert_eq!(failure.attempts, 1);
}

#[tokio::test]
async fn http2_when_the_server_offers_it_by_alpn_http1_otherwise() {
    let pki = pki();
    let mut offers_h2 = server_config(&pki, None);
    offers_h2.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    for (config, expected) in [(offers_h2, "HTTP/2.0"), (server_config(&pki, None), "HTTP/1.1")] {
        let addr = serve(config).await;
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        let client = Kibana::builder()
            .url(url(addr))
            .ca_certificate_pem(pki.ca.pem())
            .layer(tower::util::MapResponseLayer::new(
                move |response: kibana::transport::HttpResponse| {
                    let served_over = response.headers()["x-served-over"].to_str().unwrap().to_owned();
                    record.lock().unwrap().push(served_over);
                    response
                },
            ))
            .build()
            .unwrap();
        for _ in 0..3 {
            assert!(client.status().get().await.unwrap().is_available());
        }
        assert_eq!(*seen.lock().unwrap(), [expected; 3]);
    }
}
