//! TLS against a real TLS server on 127.0.0.1 with generated certificates (`kibana_fake::tls`, the server the proxy
//! tests use too): verification on by default, a CA bundle, certificate pinning, the dangerous opt-out, client
//! certificates, and HTTP/2 by ALPN.

use std::{net::SocketAddr, sync::Arc};

use kibana::{Error, Kibana};
use kibana_fake::tls::{Alpn, TestPki, TlsKibana};

fn pki() -> TestPki {
    TestPki::new(&["127.0.0.1", "localhost"])
}

fn url(addr: SocketAddr) -> String {
    format!("https://{addr}")
}

#[tokio::test]
async fn an_unknown_ca_is_refused_by_default() {
    let server = TlsKibana::start(pki().server_config(Alpn::Http1)).await;
    let client = Kibana::builder()
        .url(url(server.addr()))
        .max_retries(0)
        .no_proxy()
        .build()
        .unwrap();
    let error = client.status().get().await.unwrap_err();
    assert!(matches!(error, Error::Tls(_)), "{error:?}");
}

#[tokio::test]
async fn a_ca_bundle_makes_the_server_trusted() {
    let pki = pki();
    let server = TlsKibana::start(pki.server_config(Alpn::Http1)).await;
    let client = Kibana::builder()
        .url(url(server.addr()))
        .ca_certificate_pem(pki.ca_pem())
        .no_proxy()
        .build()
        .unwrap();
    assert!(client.status().get().await.unwrap().is_available());
}

#[tokio::test]
async fn a_pinned_fingerprint_replaces_the_ca_check_and_a_wrong_one_is_refused() {
    let pki = pki();
    let server = TlsKibana::start(pki.server_config(Alpn::Http1)).await;
    let colons = pki
        .server_fingerprint()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap().to_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    let pinned = Kibana::builder()
        .url(url(server.addr()))
        .pin_certificate_sha256(&colons)
        .no_proxy()
        .build()
        .unwrap();
    assert!(pinned.status().get().await.unwrap().is_available());
    let wrong = Kibana::builder()
        .url(url(server.addr()))
        .pin_certificate_sha256("00".repeat(32))
        .max_retries(0)
        .no_proxy()
        .build()
        .unwrap();
    assert!(matches!(wrong.status().get().await, Err(Error::Tls(_))));
}

#[tokio::test]
async fn accepting_invalid_certificates_is_an_explicit_choice() {
    let server = TlsKibana::start(pki().server_config(Alpn::Http1)).await;
    let client = Kibana::builder()
        .url(url(server.addr()))
        .danger_accept_invalid_certs(true)
        .no_proxy()
        .build()
        .unwrap();
    assert!(client.status().get().await.unwrap().is_available());
}

#[tokio::test]
async fn client_certificates_authenticate_the_client() {
    let pki = pki();
    let (certificate, key) = pki.client_identity("kibana-rs-client");
    let server = TlsKibana::start(pki.server_config_requiring_client_certificates(Alpn::Http1)).await;

    let without = Kibana::builder()
        .url(url(server.addr()))
        .ca_certificate_pem(pki.ca_pem())
        .max_retries(0)
        .no_proxy()
        .build()
        .unwrap();
    assert!(
        without.status().get().await.is_err(),
        "the server requires a client certificate"
    );
    let with = Kibana::builder()
        .url(url(server.addr()))
        .ca_certificate_pem(pki.ca_pem())
        .client_certificate_pem(certificate, key)
        .no_proxy()
        .build()
        .unwrap();
    assert!(with.status().get().await.unwrap().is_available());
}

#[tokio::test]
async fn a_certificate_failure_is_not_retried() {
    let server = TlsKibana::start(pki().server_config(Alpn::Http1)).await;
    let client = Kibana::builder()
        .url(url(server.addr()))
        .max_retries(3)
        .no_proxy()
        .build()
        .unwrap();
    let Err(Error::Tls(failure)) = client.status().get().await else {
        panic!("a TLS error was expected")
    };
    assert_eq!(failure.attempts, 1);
}

#[tokio::test]
async fn http2_when_the_server_offers_it_by_alpn_http1_otherwise() {
    let pki = pki();
    for (alpn, expected) in [(Alpn::Http2AndHttp1, "HTTP/2.0"), (Alpn::Http1, "HTTP/1.1")] {
        let server = TlsKibana::start(pki.server_config(alpn)).await;
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        let client = Kibana::builder()
            .url(url(server.addr()))
            .ca_certificate_pem(pki.ca_pem())
            .no_proxy()
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
