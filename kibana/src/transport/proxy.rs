//! Proxies, like reqwest: `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` (and their lowercase forms) by
//! default, or the builder's `proxy(url)` / `no_proxy()`.
//!
//! The decision is made once per Kibana host, when the client is built (the environment is read then, as reqwest
//! does): an `http://` Kibana is reached by sending absolute-form requests to the proxy, an `https://` Kibana through
//! a `CONNECT` tunnel in which TLS runs end to end with Kibana and is verified against Kibana's host name, never the
//! proxy's. The proxy itself is reached over plain TCP (`http://proxy`) or over TLS (`https://proxy`, verified
//! against the proxy's name); with an `https://` proxy and an `https://` Kibana, TLS with Kibana runs inside TLS with
//! the proxy. The proxy's own credentials (from its URL or [`proxy_basic_auth`](crate::KibanaBuilder::proxy_basic_auth))
//! are sent only as `Proxy-Authorization`, to the proxy; Kibana's credentials are never put in a `CONNECT`.
//! `NO_PROXY` (or [`no_proxy_for`](crate::KibanaBuilder::no_proxy_for)) follows curl's rules as hyper-util implements
//! them: comma-separated domains (matching their subdomains; a leading dot is allowed), IP addresses, CIDR blocks,
//! and `*` for everything.

use std::fmt;

use base64::{Engine, engine::general_purpose::STANDARD};
use http::{HeaderValue, Uri};
use hyper_util::client::proxy::matcher::Matcher;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::error::ConfigError;

/// Where the proxy setting comes from.
#[derive(Clone, Default)]
pub(crate) enum ProxySource {
    /// The environment variables (the default).
    #[default]
    Environment,
    /// No proxy, whatever the environment says.
    Off,
    /// This proxy for every host (its URL may hold credentials: kept as a secret).
    Explicit(SecretString),
}

/// The builder's proxy settings.
#[derive(Clone, Default)]
pub(crate) struct ProxySettings {
    pub(crate) source: ProxySource,
    /// Credentials for the proxy (`Proxy-Authorization: Basic`), in place of any in the proxy's URL.
    pub(crate) basic_auth: Option<(String, SecretString)>,
    /// `NO_PROXY` rules for an explicit proxy.
    pub(crate) bypass: Option<String>,
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            ProxySource::Environment => "from the environment".to_owned(),
            ProxySource::Off => "none".to_owned(),
            ProxySource::Explicit(url) => redact(url.expose_secret()),
        };
        f.debug_struct("ProxySettings")
            .field("proxy", &source)
            .field(
                "basic_auth",
                &self.basic_auth.as_ref().map(|(user, _)| (user, "<redacted>")),
            )
            .field("bypass", &self.bypass)
            .finish()
    }
}

/// How one Kibana host is reached.
#[derive(Clone)]
pub(crate) enum Route {
    /// Straight to the host.
    Direct,
    /// An `http://` host: absolute-form requests to the proxy, `Proxy-Authorization` on each.
    Forward(ProxyTarget),
    /// An `https://` host: a `CONNECT` tunnel through the proxy, then TLS with the host.
    Tunnel(ProxyTarget),
}

/// A proxy as the transport uses it.
#[derive(Clone)]
pub(crate) struct ProxyTarget {
    /// `http://host:port/` or `https://host:port/`, without credentials.
    pub(crate) uri: Uri,
    /// `Basic …`, marked sensitive.
    pub(crate) authorization: Option<HeaderValue>,
}

impl ProxyTarget {
    /// Whether the proxy is reached over TLS (`https://proxy`).
    pub(crate) fn is_tls(&self) -> bool {
        self.uri.scheme_str() == Some("https")
    }

    /// The proxy for messages: `http[s]://host:port`, never its credentials.
    pub(crate) fn shown(&self) -> String {
        self.uri.to_string().trim_end_matches('/').to_owned()
    }
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Direct => f.write_str("direct"),
            Self::Forward(proxy) => write!(f, "via {} (forwarded)", proxy.shown()),
            Self::Tunnel(proxy) => write!(f, "via {} (CONNECT)", proxy.shown()),
        }
    }
}

/// The environment variables read, in order of preference (reqwest's and hyper-util's order).
const HTTP_VARS: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const HTTPS_VARS: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const ALL_VARS: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const NO_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];

impl ProxySettings {
    /// The route of each host, reading the environment through `env` (the process environment in
    /// [`build`](crate::KibanaBuilder::build); a map in tests).
    pub(crate) fn routes(
        &self,
        hosts: &[Url],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Vec<Route>, ConfigError> {
        let first = |names: [&'static str; 2]| {
            names
                .iter()
                .find_map(|name| env(name).filter(|v| !v.trim().is_empty()).map(|v| (*name, v)))
        };
        let (http, https, all, no) = match &self.source {
            ProxySource::Off => return Ok(hosts.iter().map(|_| Route::Direct).collect()),
            ProxySource::Explicit(url) => (
                None,
                None,
                Some(("proxy()", url.expose_secret().to_owned())),
                self.bypass.clone().unwrap_or_default(),
            ),
            ProxySource::Environment => {
                // Like hyper-util and curl: in a CGI program `HTTP_PROXY` may come from a request's `Proxy:` header
                // (httpoxy), so the environment's proxies are ignored there.
                if env("REQUEST_METHOD").is_some() {
                    tracing::warn!("REQUEST_METHOD is set (a CGI program): proxy environment variables are ignored");
                    return Ok(hosts.iter().map(|_| Route::Direct).collect());
                }
                (
                    first(HTTP_VARS),
                    first(HTTPS_VARS),
                    first(ALL_VARS),
                    first(NO_VARS).map(|(_, v)| v).unwrap_or_default(),
                )
            }
        };
        for (setting, value) in [&http, &https, &all].into_iter().flatten() {
            check_proxy_url(setting, value)?;
        }
        // `*` bypasses every host; hyper-util applies it to host names only, not to IP addresses.
        if no.split(',').any(|entry| entry.trim() == "*") {
            return Ok(hosts.iter().map(|_| Route::Direct).collect());
        }
        let mut matcher = Matcher::builder().no(no);
        if let Some((_, value)) = &http {
            matcher = matcher.http(value.trim());
        }
        if let Some((_, value)) = &https {
            matcher = matcher.https(value.trim());
        }
        if let Some((_, value)) = &all {
            matcher = matcher.all(value.trim());
        }
        let matcher = matcher.build();
        let own_auth = self
            .basic_auth
            .as_ref()
            .map(|(user, password)| basic_auth(user, password.expose_secret()));
        hosts
            .iter()
            .map(|host| {
                let uri: Uri = format!("{}://{}/", host.scheme(), authority(host)).parse().map_err(
                    |e: http::uri::InvalidUri| ConfigError::InvalidUrl {
                        url: host.to_string(),
                        reason: e.to_string(),
                    },
                )?;
                let Some(intercept) = matcher.intercept(&uri) else {
                    return Ok(Route::Direct);
                };
                let target = ProxyTarget {
                    uri: intercept.uri().clone(),
                    authorization: own_auth.clone().or_else(|| intercept.basic_auth().cloned()),
                };
                Ok(if host.scheme() == "https" {
                    Route::Tunnel(target)
                } else {
                    Route::Forward(target)
                })
            })
            .collect()
    }
}

fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// `Basic base64(user:password)`, marked sensitive so that `http`'s `Debug` hides it.
fn basic_auth(user: &str, password: &str) -> HeaderValue {
    let mut value = HeaderValue::try_from(format!("Basic {}", STANDARD.encode(format!("{user}:{password}"))))
        .expect("base64 is a valid header value");
    value.set_sensitive(true);
    value
}

/// A proxy URL the transport can use: `http[s]://[user:password@]host[:port][/]` (a URL without a scheme is taken as
/// `http://`, as curl and reqwest do).
fn check_proxy_url(setting: &str, raw: &str) -> Result<(), ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidProxy {
        setting: setting.to_owned(),
        url: redact(raw),
        reason: reason.to_owned(),
    };
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("http://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    match url.scheme() {
        "http" | "https" => {}
        "socks4" | "socks4a" | "socks5" | "socks5h" => return Err(invalid("SOCKS proxies are not supported")),
        _ => return Err(invalid("the scheme must be http or https")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a proxy URL has no path, query or fragment"));
    }
    // hyper-util parses the URL again, as an `http::Uri`: make sure it can, rather than going direct silently.
    let probe = Uri::from_static("http://kibana-rs.invalid/");
    if Matcher::builder().all(raw).build().intercept(&probe).is_none() {
        return Err(invalid("not a valid URI"));
    }
    Ok(())
}

/// A proxy URL for messages and `Debug`: without its user name and password.
pub(crate) fn redact(raw: &str) -> String {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("http://{raw}")
    };
    match Url::parse(&with_scheme) {
        Ok(mut url) => {
            let had_credentials = !url.username().is_empty() || url.password().is_some();
            let _ = url.set_username("");
            let _ = url.set_password(None);
            let shown = url.as_str().trim_end_matches('/').to_owned();
            if had_credentials {
                shown.replacen("://", "://<credentials>@", 1)
            } else {
                shown
            }
        }
        // Cannot tell the credentials apart: show none of it.
        Err(_) => "<unparsable proxy URL>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn hosts(urls: &[&str]) -> Vec<Url> {
        urls.iter().map(|u| Url::parse(u).unwrap()).collect()
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        move |name| vars.get(name).cloned()
    }

    fn shown(routes: &[Route]) -> Vec<String> {
        routes.iter().map(|r| format!("{r:?}")).collect()
    }

    #[test]
    fn environment_variables_choose_by_scheme_with_all_proxy_as_fallback() {
        let settings = ProxySettings::default();
        let targets = hosts(&["http://kb:5601", "https://kb:5601"]);
        let routes = settings
            .routes(
                &targets,
                &env(&[("HTTP_PROXY", "http://plain:3128"), ("https_proxy", "tunnel:8080")]),
            )
            .unwrap();
        assert_eq!(
            shown(&routes),
            ["via http://plain:3128 (forwarded)", "via http://tunnel:8080 (CONNECT)"]
        );
        let routes = settings
            .routes(&targets, &env(&[("all_proxy", "http://every:1")]))
            .unwrap();
        assert_eq!(
            shown(&routes),
            ["via http://every:1 (forwarded)", "via http://every:1 (CONNECT)"]
        );
        // Uppercase wins over lowercase, as in reqwest and hyper-util.
        let routes = settings
            .routes(
                &targets[1..],
                &env(&[("HTTPS_PROXY", "http://upper:1"), ("https_proxy", "http://lower:1")]),
            )
            .unwrap();
        assert_eq!(shown(&routes), ["via http://upper:1 (CONNECT)"]);
        assert_eq!(
            shown(&settings.routes(&targets, &env(&[])).unwrap()),
            ["direct", "direct"]
        );
    }

    #[test]
    fn no_proxy_matches_domains_subdomains_ips_and_cidrs() {
        let settings = ProxySettings::default();
        let targets = hosts(&[
            "https://kibana.corp.example.com",
            "https://corp.example.com:5601",
            "https://notcorp.example.com",
            "http://10.1.2.3:5601",
            "http://192.168.7.7",
            "http://[::1]:5601",
            "https://elsewhere.example.org",
        ]);
        let vars = env(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("HTTP_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "corp.example.com, 10.0.0.0/8,192.168.7.7 ,::1"),
        ]);
        let routes = settings.routes(&targets, &vars).unwrap();
        assert_eq!(
            shown(&routes),
            [
                "direct",
                "direct",
                "via http://proxy:3128 (CONNECT)",
                "direct",
                "direct",
                "direct",
                "via http://proxy:3128 (CONNECT)"
            ]
        );
        let everything = env(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("HTTP_PROXY", "proxy:1"),
            ("no_proxy", " *"),
        ]);
        let routes = settings.routes(&targets, &everything).unwrap();
        assert!(routes.iter().all(|r| matches!(r, Route::Direct)), "{routes:?}");
    }

    #[test]
    fn an_explicit_proxy_ignores_the_environment_and_off_means_off() {
        let targets = hosts(&["https://kb.example.com"]);
        let vars = env(&[("HTTPS_PROXY", "http://from-env:1"), ("NO_PROXY", "example.com")]);
        let explicit = ProxySettings {
            source: ProxySource::Explicit(SecretString::from("http://mine:3128")),
            ..Default::default()
        };
        assert_eq!(
            shown(&explicit.routes(&targets, &vars).unwrap()),
            ["via http://mine:3128 (CONNECT)"]
        );
        let bypassed = ProxySettings {
            bypass: Some(".example.com".into()),
            ..explicit
        };
        assert_eq!(shown(&bypassed.routes(&targets, &vars).unwrap()), ["direct"]);
        let off = ProxySettings {
            source: ProxySource::Off,
            ..Default::default()
        };
        assert_eq!(shown(&off.routes(&targets, &vars).unwrap()), ["direct"]);
    }

    #[test]
    fn an_https_proxy_is_a_route_over_tls_for_either_kind_of_host() {
        let vars = env(&[("ALL_PROXY", "https://secure-proxy:3129")]);
        let routes = ProxySettings::default()
            .routes(&hosts(&["http://kb", "https://kb"]), &vars)
            .unwrap();
        assert_eq!(
            shown(&routes),
            [
                "via https://secure-proxy:3129 (forwarded)",
                "via https://secure-proxy:3129 (CONNECT)"
            ]
        );
        assert!(routes.iter().all(|route| match route {
            Route::Forward(proxy) | Route::Tunnel(proxy) => proxy.is_tls(),
            Route::Direct => false,
        }));
    }

    #[test]
    fn cgi_programs_ignore_the_environment() {
        let vars = env(&[("HTTP_PROXY", "http://attacker:1"), ("REQUEST_METHOD", "GET")]);
        let routes = ProxySettings::default().routes(&hosts(&["http://kb"]), &vars).unwrap();
        assert_eq!(shown(&routes), ["direct"]);
    }

    #[test]
    fn credentials_come_from_the_url_or_the_builder_and_are_sensitive() {
        let targets = hosts(&["http://kb"]);
        let from_url = ProxySettings {
            source: ProxySource::Explicit(SecretString::from("http://al%40ice:s%3Acret@proxy:3128")),
            ..Default::default()
        };
        let Route::Forward(target) = &from_url.routes(&targets, &env(&[])).unwrap()[0] else {
            panic!("forwarded")
        };
        let auth = target.authorization.as_ref().unwrap();
        assert_eq!(auth, &format!("Basic {}", STANDARD.encode("al@ice:s:cret")));
        assert!(auth.is_sensitive());
        assert_eq!(target.shown(), "http://proxy:3128");
        let from_builder = ProxySettings {
            basic_auth: Some(("bob".into(), SecretString::from("hunter2"))),
            ..from_url
        };
        let Route::Forward(target) = &from_builder.routes(&targets, &env(&[])).unwrap()[0] else {
            panic!("forwarded")
        };
        assert_eq!(
            target.authorization.as_ref().unwrap(),
            &format!("Basic {}", STANDARD.encode("bob:hunter2"))
        );
        let debug = format!("{from_builder:?}");
        assert!(!debug.contains("hunter2") && !debug.contains("s%3Acret"), "{debug}");
        assert!(debug.contains("http://<credentials>@proxy:3128"), "{debug}");
    }

    #[test]
    fn unusable_proxy_urls_are_config_errors_naming_the_setting() {
        let targets = hosts(&["http://kb"]);
        for (value, reason) in [
            ("socks5://proxy:1080", "SOCKS"),
            ("http://proxy:3128/path", "path"),
            ("ftp://proxy", "scheme"),
            ("http://", "host"),
        ] {
            let error = ProxySettings::default()
                .routes(&targets, &env(&[("HTTPS_PROXY", value)]))
                .unwrap_err();
            let ConfigError::InvalidProxy {
                setting, reason: why, ..
            } = &error
            else {
                panic!("{error:?}")
            };
            assert_eq!(setting, "HTTPS_PROXY");
            assert!(why.contains(reason), "{value}: {why}");
        }
        let error = ProxySettings {
            source: ProxySource::Explicit(SecretString::from("socks5://user:pw@proxy")),
            ..Default::default()
        }
        .routes(&targets, &env(&[]))
        .unwrap_err();
        assert!(!error.to_string().contains("pw"), "{error}");
        assert!(error.to_string().contains("proxy()"), "{error}");
    }
}
