//! Proxies, against the test bed's proxy (`kibana_fake::proxy::FakeProxy`): absolute-form forwarding for `http://`
//! Kibana, `CONNECT` tunnels for `https://` Kibana with TLS verified as Kibana, proxy credentials (only ever in
//! `Proxy-Authorization`), `NO_PROXY` rules, a proxy that refuses connections, and the environment variables.
//!
//! Every test but one sets the proxy explicitly (`proxy(..)` or `no_proxy()`), which ignores the environment; the
//! one that sets environment variables holds `NAME_LOOKUPS`, as do the tests that make the process resolve a host
//! name (libc reads the environment while resolving).

use std::{net::SocketAddr, sync::Arc, time::Duration};

use base64::{Engine, engine::general_purpose::STANDARD};
use kibana::{ConfigError, Error, Kibana, connectors::types::ServerLog, transport::TransportError};
use kibana_fake::{
    FakeKibana,
    proxy::FakeProxy,
    tls::{Alpn, TestPki, TlsKibana},
};

static NAME_LOOKUPS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// A TLS "Kibana" for `names` (the one `tls.rs` uses), trusted through the returned CA, answering over HTTP/2 or
/// HTTP/1.1 (ALPN) with the protocol in `x-served-over`.
async fn tls_kibana(names: &[&str]) -> (TlsKibana, String) {
    let pki = TestPki::new(names);
    (
        TlsKibana::start(pki.server_config(Alpn::Http2AndHttp1)).await,
        pki.ca_pem(),
    )
}

#[tokio::test]
async fn an_http_kibana_is_reached_through_a_forwarding_proxy_that_alone_gets_the_proxy_credentials() {
    let kibana = FakeKibana::builder().api_key("a2liYW5hLWtleQ==").start().await;
    let proxy = FakeProxy::builder()
        .basic_auth("proxy-user", "proxy-secret-9")
        .start()
        .await;
    let client = Kibana::builder()
        .url(kibana.url())
        .api_key("a2liYW5hLWtleQ==")
        .proxy(proxy.url())
        .proxy_basic_auth("proxy-user", "proxy-secret-9")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("proxy-secret-9"), "{client:?}");
    client.connectors().list().await.unwrap();
    client
        .connectors()
        .create_with_id::<ServerLog>("log", "log", &Default::default(), &Default::default())
        .await
        .unwrap();

    let seen = proxy.requests();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("GET", 200));
    assert_eq!(
        seen[0].target,
        format!("{}/api/actions/connectors", kibana.url()),
        "absolute form"
    );
    assert_eq!(seen[1].target, format!("{}/api/actions/connector/log", kibana.url()));
    for request in &seen {
        assert_eq!(
            request.headers["proxy-authorization"],
            basic("proxy-user", "proxy-secret-9")
        );
    }
    for request in kibana.requests() {
        assert_eq!(request.headers["authorization"], "ApiKey a2liYW5hLWtleQ==");
        assert!(
            !request.headers.contains_key("proxy-authorization"),
            "{:?}",
            request.headers
        );
    }

    // Credentials in the proxy's URL (percent-encoded) work the same way.
    let proxy = FakeProxy::builder().basic_auth("svc@corp", "p:ss").start().await;
    let in_url = format!("http://svc%40corp:p%3Ass@{}", proxy.addr());
    let client = Kibana::builder()
        .url(kibana.url())
        .api_key("a2liYW5hLWtleQ==")
        .proxy(&in_url)
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("p%3Ass"), "{client:?}");
    client.connectors().list().await.unwrap();
    assert_eq!(
        proxy.requests()[0].headers["proxy-authorization"],
        basic("svc@corp", "p:ss")
    );

    // Without them the proxy's 407 is the typed proxy-authentication error, never retryable and not retried.
    let client = Kibana::builder().url(kibana.url()).proxy(proxy.url()).build().unwrap();
    let error = client.connectors().list().await.unwrap_err();
    assert_proxy_refused(&error, &proxy.url());
    assert_eq!(proxy.requests().len(), 2);
}

/// The one error a proxy's 407 is, whatever Kibana's scheme.
fn assert_proxy_refused(error: &Error, proxy: &str) {
    let Error::ProxyAuthentication(failure) = error else {
        panic!("{error:?}")
    };
    assert!(
        matches!(
            failure.transport_error(),
            Some(TransportError::ProxyAuthentication { proxy: Some(named) }) if named == proxy
        ),
        "{failure:?}"
    );
    assert!(!error.is_retryable() && !error.may_have_been_processed(), "{error:?}");
    assert_eq!(failure.attempts, 1);
    let text = error.to_string();
    assert!(text.contains("407") && text.contains(proxy), "{text}");
}

#[tokio::test]
async fn an_https_kibana_is_tunnelled_with_connect_and_verified_as_kibana_not_as_the_proxy() {
    let _lookups = NAME_LOOKUPS.lock().await;
    // The certificate names `localhost` only; the proxy is `127.0.0.1`: verifying the proxy's name would fail.
    let (kibana, ca) = tls_kibana(&["localhost"]).await;
    let addr = kibana.addr();
    let proxy = FakeProxy::builder()
        .basic_auth("proxy-user", "proxy-secret-9")
        .start()
        .await;
    let served = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = served.clone();
    let client = Kibana::builder()
        .url(format!("https://localhost:{}", addr.port()))
        .api_key("a2liYW5hLWtleQ==")
        .ca_certificate_pem(ca.clone())
        .proxy(proxy.url())
        .proxy_basic_auth("proxy-user", "proxy-secret-9")
        .layer(tower::util::MapResponseLayer::new(
            move |response: kibana::transport::HttpResponse| {
                let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
                record
                    .lock()
                    .unwrap()
                    .push((header("x-served-over"), header("x-authorization-seen")));
                response
            },
        ))
        .build()
        .unwrap();
    for _ in 0..3 {
        assert!(client.status().get().await.unwrap().is_available());
    }
    // TLS ran end to end, so ALPN picked HTTP/2 as it would without a proxy, and Kibana got its credentials.
    let expected = ("HTTP/2.0".to_owned(), "ApiKey a2liYW5hLWtleQ==".to_owned());
    assert_eq!(*served.lock().unwrap(), vec![expected; 3]);
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1, "one tunnel, reused: {seen:?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("CONNECT", 200));
    assert_eq!(seen[0].target, format!("localhost:{}", addr.port()));
    assert_eq!(
        seen[0].headers["proxy-authorization"],
        basic("proxy-user", "proxy-secret-9")
    );
    assert!(
        !seen[0].headers.contains_key("authorization"),
        "Kibana's credentials never go to the proxy: {:?}",
        seen[0].headers
    );

    // A certificate that does not name the Kibana host is refused through the tunnel too.
    let (other, other_ca) = tls_kibana(&["kibana.example.com"]).await;
    let other = other.addr();
    let client = Kibana::builder()
        .url(format!("https://localhost:{}", other.port()))
        .ca_certificate_pem(other_ca)
        .proxy(proxy.url())
        .proxy_basic_auth("proxy-user", "proxy-secret-9")
        .build()
        .unwrap();
    let error = client.status().get().await.unwrap_err();
    assert!(matches!(error, Error::Tls(_)), "{error:?}");
    assert_eq!(proxy.connects(), 2, "the TLS failure is not retried");

    // The proxy refusing the proxy credentials (407 to CONNECT) is the same typed error as for an http:// Kibana.
    let client = Kibana::builder()
        .url(format!("https://localhost:{}", addr.port()))
        .ca_certificate_pem(ca)
        .proxy(proxy.url())
        .proxy_basic_auth("proxy-user", "wrong")
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let error = client.status().get().await.unwrap_err();
    assert_proxy_refused(&error, &proxy.url());
    assert!(!error.to_string().contains("wrong"), "{error}");
    assert_eq!(proxy.connects(), 3);
}

#[tokio::test]
async fn an_https_proxy_is_reached_over_verified_tls_for_http_and_https_kibana() {
    let _lookups = NAME_LOOKUPS.lock().await;
    // One CA signs the proxy's certificate (for 127.0.0.1) and Kibana's (for localhost).
    let pki = TestPki::new(&["127.0.0.1", "localhost"]);
    let proxy = FakeProxy::builder()
        .tls(pki.server_config(Alpn::Http1))
        .basic_auth("proxy-user", "proxy-secret-9")
        .start()
        .await;
    assert!(proxy.url().starts_with("https://"), "{}", proxy.url());
    let tls_kibana = TlsKibana::start(pki.server_config(Alpn::Http2AndHttp1)).await;
    let plain_kibana = FakeKibana::builder().api_key("a2liYW5hLWtleQ==").start().await;
    let through = |url: String| {
        Kibana::builder()
            .url(url)
            .api_key("a2liYW5hLWtleQ==")
            .ca_certificate_pem(pki.ca_pem())
            .proxy(proxy.url())
            .proxy_basic_auth("proxy-user", "proxy-secret-9")
            .build()
            .unwrap()
    };
    // https:// Kibana: TLS with the proxy, CONNECT inside it, TLS with Kibana inside the tunnel.
    let client = through(format!("https://localhost:{}", tls_kibana.addr().port()));
    for _ in 0..2 {
        assert!(client.status().get().await.unwrap().is_available());
    }
    // http:// Kibana: absolute-form requests over TLS to the proxy.
    through(plain_kibana.url()).connectors().list().await.unwrap();
    let seen = proxy.requests();
    let summary: Vec<(&str, u16)> = seen.iter().map(|r| (r.method.as_str(), r.status)).collect();
    assert_eq!(summary, [("CONNECT", 200), ("GET", 200)], "{seen:?}");
    assert_eq!(seen[0].target, format!("localhost:{}", tls_kibana.addr().port()));
    assert_eq!(seen[1].target, format!("{}/api/actions/connectors", plain_kibana.url()));
    assert!(
        seen.iter()
            .all(|r| r.headers["proxy-authorization"] == basic("proxy-user", "proxy-secret-9"))
    );
    assert_eq!(plain_kibana.request_count(), 1);

    // The proxy's certificate is verified: without the CA, no connection is made and nothing reaches the proxy.
    let untrusted = Kibana::builder()
        .url(plain_kibana.url())
        .proxy(proxy.url())
        .max_retries(0)
        .build()
        .unwrap();
    let error = untrusted.connectors().list().await.unwrap_err();
    assert!(matches!(error, Error::Tls(_)), "{error:?}");
    assert!(error.to_string().contains(&proxy.url()), "{error}");
    assert_eq!(proxy.requests().len(), 2);
}

#[tokio::test]
async fn a_proxy_that_refuses_connections_is_a_connect_error_that_names_it() {
    let kibana = FakeKibana::start().await;
    let dead = closed_port();
    for url in [kibana.url(), "https://127.0.0.1:9".to_owned()] {
        let client = Kibana::builder()
            .url(&url)
            .proxy(format!("http://user:pw-77@{dead}"))
            .max_retries(2)
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
            .build()
            .unwrap();
        let error = client
            .connectors()
            .create_with_id::<ServerLog>("log", "log", &Default::default(), &Default::default())
            .await
            .unwrap_err();
        let Error::Connection(failure) = &error else {
            panic!("{error:?}")
        };
        let text = error.to_string();
        assert!(text.contains(&format!("through the proxy http://{dead}")), "{text}");
        assert!(!text.contains("pw-77"), "{text}");
        assert!(!failure.may_have_been_processed(), "it never reached Kibana");
        assert_eq!(
            failure.attempts, 3,
            "even a POST is retried when it provably never left"
        );
        assert!(error.is_retryable());
    }
    assert_eq!(kibana.request_count(), 0);
}

#[tokio::test]
async fn no_proxy_rules_bypass_the_proxy_for_matching_hosts() {
    let kibana = FakeKibana::start().await;
    let proxy = FakeProxy::start().await;
    let port = kibana.addr().port();
    for (bypass, proxied) in [
        ("127.0.0.1", false),
        ("127.0.0.0/8", false),
        ("10.0.0.0/8, 192.168.0.1", true),
        ("*", false),
        ("example.com", true),
    ] {
        let before = proxy.requests().len();
        let client = Kibana::builder()
            .url(kibana.url())
            .proxy(proxy.url())
            .proxy_basic_auth("u", "never-sent-when-bypassed")
            .no_proxy_for(bypass)
            .build()
            .unwrap();
        client.status().get().await.unwrap();
        assert_eq!(proxy.requests().len() - before, usize::from(proxied), "{bypass}");
    }
    // A domain (and its subdomains): `localhost` is a name the client resolves itself when it bypasses.
    let _lookups = NAME_LOOKUPS.lock().await;
    let before = proxy.requests().len();
    let client = Kibana::builder()
        .url(format!("http://localhost:{port}"))
        .proxy(proxy.url())
        .no_proxy_for(".localhost,localhost")
        .build()
        .unwrap();
    client.status().get().await.unwrap();
    assert_eq!(proxy.requests().len(), before);
    for request in kibana.requests() {
        assert!(
            !request.headers.contains_key("proxy-authorization"),
            "{:?}",
            request.headers
        );
    }
}

#[tokio::test]
async fn unusable_proxy_settings_are_refused_by_build() {
    for (url, reason) in [
        ("socks5://proxy:1080", "SOCKS"),
        ("http://proxy:3128/some/path", "path"),
    ] {
        let error = Kibana::builder()
            .url("http://kibana:5601")
            .proxy(url)
            .build()
            .unwrap_err();
        let ConfigError::InvalidProxy { reason: why, .. } = &error else {
            panic!("{error:?}")
        };
        assert!(why.contains(reason), "{url}: {error}");
    }
}

/// The environment is process-global: this is the only test that changes it, under `NAME_LOOKUPS`, and every
/// other client in this file is built with an explicit proxy setting (which does not read it).
#[tokio::test]
async fn proxy_environment_variables_are_honoured_by_default() {
    let _lookups = NAME_LOOKUPS.lock().await;
    const VARS: [&str; 8] = [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ];
    let set = |vars: &[(&str, &str)]| {
        for name in VARS {
            // SAFETY: no other test of this binary reads or writes the environment meanwhile (see above).
            unsafe { std::env::remove_var(name) };
        }
        for (name, value) in vars {
            // SAFETY: as above.
            unsafe { std::env::set_var(name, value) };
        }
    };
    let kibana = FakeKibana::start().await;
    let proxy = FakeProxy::builder().basic_auth("env-user", "env-pass").start().await;
    let with_credentials = format!("http://env-user:env-pass@{}", proxy.addr());
    let through_proxy = |vars: &[(&str, &str)]| {
        set(vars);
        let client = Kibana::builder().url(kibana.url()).build();
        set(&[]);
        client
    };
    let cases: [(&[(&str, &str)], bool); 6] = [
        (&[("HTTP_PROXY", &with_credentials)], true),
        (&[("http_proxy", &with_credentials)], true),
        (&[("ALL_PROXY", &with_credentials)], true),
        // HTTPS_PROXY is for https:// hosts only.
        (&[("HTTPS_PROXY", &with_credentials)], false),
        (&[("HTTP_PROXY", &with_credentials), ("NO_PROXY", "127.0.0.0/8")], false),
        (&[("http_proxy", &with_credentials), ("no_proxy", "127.0.0.1")], false),
    ];
    for (vars, proxied) in cases {
        let before = proxy.requests().len();
        through_proxy(vars).unwrap().status().get().await.unwrap();
        assert_eq!(proxy.requests().len() - before, usize::from(proxied), "{vars:?}");
    }
    let via_proxy = proxy.requests();
    assert!(via_proxy.iter().all(|r| r.status == 200), "{via_proxy:?}");
    // `no_proxy()` ignores the environment.
    set(&[("HTTP_PROXY", &with_credentials)]);
    let direct = Kibana::builder().url(kibana.url()).no_proxy().build();
    set(&[]);
    let before = proxy.requests().len();
    direct.unwrap().status().get().await.unwrap();
    assert_eq!(proxy.requests().len(), before);
    // An unusable value is a configuration error naming the variable, not a silent direct connection.
    let error = through_proxy(&[("HTTP_PROXY", "socks5://127.0.0.1:1080")]).unwrap_err();
    let ConfigError::InvalidProxy { setting, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(setting, "HTTP_PROXY");
}
