//! [`KibanaBuilder`]: where Kibana is, how to authenticate, and how the transport behaves. `build()` checks
//! everything and returns a typed [`ConfigError`]; nothing here panics on user input.

use std::{fmt, sync::Arc, time::Duration};

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use kibana_gen::spec::KibanaVersion;
use url::Url;

use crate::{
    client::{Kibana, Shared, VersionMismatch},
    cloud_id,
    credentials::Credentials,
    error::ConfigError,
    spaces::SpaceCache,
    transport::{
        self, Connector, DefaultHeaders, HostBackoff, KibanaService, RetryConfig, ServerVersions, StackParts,
        TimeLimits, UserLayer, VersionCheck,
        hosts::{HostBase, HostPool},
        proxy::{ProxySettings, ProxySource, Route},
        tls::{TlsSettings, parse_fingerprint},
    },
};

impl Kibana {
    /// A builder.
    ///
    /// ```
    /// let client = kibana::Kibana::builder().url("http://localhost:5601").build().unwrap();
    /// # drop(client);
    /// ```
    pub fn builder() -> KibanaBuilder {
        KibanaBuilder::default()
    }
}

/// The default [`KibanaBuilder::max_response_body`]: 100 MiB, the buffer limit of Elasticsearch's own low-level
/// clients.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 100 * 1024 * 1024;

/// Builds a [`Kibana`] client.
///
/// ```
/// use std::time::Duration;
///
/// let client = kibana::Kibana::builder()
///     .url("https://kibana.example.com:5601")
///     .api_key("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==")
///     .request_timeout(Duration::from_secs(10))
///     .max_retries(5)
///     .max_requests_per_second(20.0)
///     .build()
///     .expect("valid configuration");
/// # drop(client);
/// ```
#[must_use]
pub struct KibanaBuilder {
    hosts: Vec<String>,
    cloud_id: Option<String>,
    credentials: Option<Credentials>,
    credential_conflict: Option<(&'static str, &'static str)>,
    headers: Vec<(String, String)>,
    request_timeout: Duration,
    call_timeout: Option<Duration>,
    connect_timeout: Duration,
    max_response_body: u64,
    tls: TlsSettings,
    pin_error: Option<ConfigError>,
    proxy: ProxySettings,
    retry: RetryConfig,
    host_backoff: HostBackoff,
    max_requests_per_second: Option<f64>,
    pool_max_idle_per_host: usize,
    user_layers: Vec<UserLayer>,
    validate_spaces: bool,
    space_cache_ttl: Duration,
    version_mismatch: VersionMismatch,
    version_check: VersionCheck,
    server_version: Option<Result<KibanaVersion, String>>,
}

impl Default for KibanaBuilder {
    fn default() -> Self {
        Self {
            hosts: Vec::new(),
            cloud_id: None,
            credentials: None,
            credential_conflict: None,
            headers: Vec::new(),
            request_timeout: Duration::from_secs(30),
            call_timeout: None,
            connect_timeout: Duration::from_secs(10),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            tls: TlsSettings::default(),
            pin_error: None,
            proxy: ProxySettings::default(),
            retry: RetryConfig::default(),
            host_backoff: HostBackoff::default(),
            max_requests_per_second: None,
            pool_max_idle_per_host: usize::MAX,
            user_layers: Vec::new(),
            validate_spaces: true,
            space_cache_ttl: Duration::from_secs(300),
            version_mismatch: VersionMismatch::Ignore,
            version_check: VersionCheck::Refuse,
            server_version: None,
        }
    }
}

impl fmt::Debug for KibanaBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KibanaBuilder")
            .field("hosts", &self.hosts)
            .field("cloud_id", &self.cloud_id.as_ref().map(|_| "<set>"))
            .field("credentials", &self.credentials)
            .field("header_names", &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .field("request_timeout", &self.request_timeout)
            .field("call_timeout", &self.call_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_body", &self.max_response_body)
            .field("tls", &self.tls)
            .field("proxy", &self.proxy)
            .field("retry", &self.retry)
            .field("max_requests_per_second", &self.max_requests_per_second)
            .finish_non_exhaustive()
    }
}

impl KibanaBuilder {
    /// Kibana's URL, with scheme (`http://` or `https://`) and optionally a path prefix (`/kibana`). A URL without
    /// a scheme is refused rather than guessed: guessing `http://` could send credentials in clear text.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.hosts = vec![url.into()];
        self
    }

    /// Several Kibana hosts behind no load balancer: used round-robin; a failing one (connection refused or dropped,
    /// attempt timeout, 502/503/504) is skipped for its [`host_backoff`](Self::host_backoff), and a retry goes to
    /// another host.
    pub fn hosts<I, S>(mut self, urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.hosts = urls.into_iter().map(Into::into).collect();
        self
    }

    /// An Elastic Cloud deployment's id; the Kibana URL is decoded from it.
    pub fn cloud_id(mut self, cloud_id: impl Into<String>) -> Self {
        self.cloud_id = Some(cloud_id.into());
        self
    }

    fn set_credentials(mut self, credentials: Credentials) -> Self {
        if let Some(existing) = &self.credentials {
            self.credential_conflict
                .get_or_insert((existing.kind(), credentials.kind()));
        }
        self.credentials = Some(credentials);
        self
    }

    /// Credentials of any kind. Setting credentials twice is a configuration error.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.set_credentials(credentials)
    }

    /// An encoded API key (`base64(id:api_key)`).
    pub fn api_key(self, encoded: impl Into<String>) -> Self {
        self.set_credentials(Credentials::api_key(encoded))
    }

    /// An API key from id and key.
    pub fn api_key_id(self, id: impl AsRef<str>, api_key: impl AsRef<str>) -> Self {
        self.set_credentials(Credentials::api_key_id(id, api_key))
    }

    /// User name and password.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.set_credentials(Credentials::basic(username, password))
    }

    /// A bearer token.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.set_credentials(Credentials::bearer(token))
    }

    /// A header sent with every request (checked by `build()`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The attempt timeout: time for one attempt, from sending to the last byte of the answer's body (default
    /// 30 s). A long export stream may need more: [`Kibana::with_timeout`] sets it per call. When it runs out, the
    /// attempt fails with [`TimeLimit::Attempt`](crate::TimeLimit::Attempt) and an idempotent request is retried
    /// (see [`retry_on_timeout`](Self::retry_on_timeout)).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The call timeout: time for the whole call, every attempt and every wait between them (backoff,
    /// `Retry-After`, the rate limiter), and the reading of a streamed answer. Default: 90 s, or the attempt
    /// timeout when that is longer (so that one attempt always gets its full time). Each attempt ends at its own
    /// timeout or at the call's deadline, whichever comes first; a retry whose wait would end past the deadline is
    /// not made, and the last answer or error is returned. When it runs out, the call fails with an
    /// [`Error::Timeout`](crate::Error::Timeout) whose [`time_limit`](crate::Error::time_limit) is
    /// [`TimeLimit::Call`](crate::TimeLimit::Call). [`Kibana::with_call_timeout`] sets it per view.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = kibana::Kibana::builder()
    ///     .url("https://kibana.example.com:5601")
    ///     .request_timeout(Duration::from_secs(10))
    ///     .call_timeout(Duration::from_secs(25))
    ///     .build()
    ///     .unwrap();
    /// # drop(client);
    /// ```
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// Largest success answer held in memory, in bytes (default [`DEFAULT_MAX_RESPONSE_BODY`], 100 MiB): JSON and
    /// text answers are read whole to be decoded, and one larger than this fails with
    /// [`Error::AnswerTooLarge`](crate::Error::AnswerTooLarge), naming the cap, as soon as it is known to be
    /// larger (its `Content-Length`, or the byte past the cap), without reading the rest. Streams (exports, NDJSON,
    /// binary downloads) are never held and never capped. Error answers have their own fixed cap
    /// ([`KibanaErrorBody::MAX_BODY_BYTES`](crate::KibanaErrorBody::MAX_BODY_BYTES)).
    ///
    /// ```
    /// let client = kibana::Kibana::builder()
    ///     .url("https://kibana.example.com:5601")
    ///     .max_response_body(16 * 1024 * 1024)
    ///     .build()
    ///     .unwrap();
    /// # drop(client);
    /// ```
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Trust the CA certificates in this PEM bundle, in addition to the system's.
    pub fn ca_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls.extra_roots_pem.push(pem.into());
        self
    }

    /// Authenticate with a client certificate (PEM chain and PEM private key).
    pub fn client_certificate_pem(
        mut self,
        certificate_chain: impl Into<Vec<u8>>,
        private_key: impl Into<Vec<u8>>,
    ) -> Self {
        self.tls.client_identity_pem = Some((certificate_chain.into(), private_key.into()));
        self
    }

    /// Accept exactly the server certificate with this SHA-256 fingerprint (hex, colons allowed), in place of
    /// CA verification: the way to trust a self-signed Kibana.
    pub fn pin_certificate_sha256(mut self, fingerprint: impl AsRef<str>) -> Self {
        match parse_fingerprint(fingerprint.as_ref()) {
            Ok(hex) => self.tls.pinned_sha256 = Some(hex),
            Err(error) => self.pin_error = Some(error),
        }
        self
    }

    /// **Dangerous**: accept any server certificate. Anyone on the network path can then read the credentials.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.tls.danger_accept_invalid_certs = accept;
        self
    }

    /// Sends every request through this HTTP proxy, whatever the environment says (`HTTPS_PROXY` and the like are
    /// then ignored; see [`no_proxy_for`](Self::no_proxy_for) for exceptions). `http://host:port`, optionally with
    /// credentials (`http://user:password@host:port`, percent-encoded; kept as a secret, never in `Debug`); a URL
    /// without a scheme is taken as `http://`. An `https://proxy:port` is reached over TLS (rustls, verified against
    /// the proxy's name with the system trust store and [`ca_certificate_pem`](Self::ca_certificate_pem); the pin,
    /// the client certificate and `danger_accept_invalid_certs` are Kibana's only). An `https://` Kibana is reached
    /// through a `CONNECT` tunnel (TLS runs with Kibana, verified as Kibana's host name); an `http://` Kibana by
    /// absolute-form requests to the proxy, which then sees everything, Kibana's credentials included, as anyone on
    /// a plain-HTTP path does. A proxy that refuses the proxy credentials (`407`) is
    /// [`Error::ProxyAuthentication`](crate::Error::ProxyAuthentication) either way. Checked by `build()`
    /// ([`ConfigError::InvalidProxy`]): SOCKS proxies are not supported.
    ///
    /// Without `proxy` or [`no_proxy`](Self::no_proxy), the client reads `HTTPS_PROXY` (for `https://` hosts),
    /// `HTTP_PROXY` (for `http://` hosts), `ALL_PROXY` (for both, when the former are unset) and `NO_PROXY`
    /// (uppercase first, then lowercase, like reqwest), once, in `build()`.
    ///
    /// ```
    /// let client = kibana::Kibana::builder()
    ///     .url("https://kibana.internal:5601")
    ///     .proxy("http://proxy.corp.example.com:3128")
    ///     .proxy_basic_auth("svc-kibana", "proxy-password")
    ///     .no_proxy_for("localhost, .cluster.local, 10.0.0.0/8")
    ///     .build()
    ///     .unwrap();
    /// assert!(!format!("{client:?}").contains("proxy-password"));
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy.source = ProxySource::Explicit(secrecy::SecretString::from(url.into()));
        self
    }

    /// Connects straight to Kibana, ignoring the proxy environment variables.
    ///
    /// ```
    /// let client = kibana::Kibana::builder().url("http://localhost:5601").no_proxy().build().unwrap();
    /// # drop(client);
    /// ```
    pub fn no_proxy(mut self) -> Self {
        self.proxy.source = ProxySource::Off;
        self
    }

    /// Credentials for the proxy, sent as `Proxy-Authorization: Basic` (to the proxy only: in each `CONNECT`, or on
    /// each request forwarded to an `http://` Kibana), in place of any in the proxy's URL. Applies to the proxy from
    /// [`proxy`](Self::proxy) or from the environment. The password is kept as a secret and never shown in `Debug`.
    ///
    /// ```
    /// let builder = kibana::Kibana::builder()
    ///     .url("https://kibana.example.com")
    ///     .proxy("http://proxy:3128")
    ///     .proxy_basic_auth("svc", "s3cret");
    /// assert!(!format!("{builder:?}").contains("s3cret"));
    /// ```
    pub fn proxy_basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.proxy.basic_auth = Some((username.into(), secrecy::SecretString::from(password.into())));
        self
    }

    /// Hosts that bypass the [`proxy`](Self::proxy), with `NO_PROXY`'s rules: comma-separated domains (each also
    /// matching its subdomains; a leading dot is allowed), IP addresses, CIDR blocks (`10.0.0.0/8`), or `*`.
    /// (With proxies from the environment, `NO_PROXY` itself is read.)
    ///
    /// ```
    /// let client = kibana::Kibana::builder()
    ///     .url("http://10.1.2.3:5601")
    ///     .proxy("http://proxy:3128")
    ///     .no_proxy_for("10.0.0.0/8")
    ///     .build()
    ///     .unwrap();
    /// # drop(client);
    /// ```
    pub fn no_proxy_for(mut self, hosts: impl Into<String>) -> Self {
        self.proxy.bypass = Some(hosts.into());
        self
    }

    /// Retries after the first attempt (default 3; 0 disables).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Statuses retried for idempotent requests (default 429, 502, 503, 504); a 429 is retried for every method
    /// (see [`retry_429_on_any_method`](Self::retry_429_on_any_method)).
    pub fn retry_on_status(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.retry.retry_on_status = statuses.into_iter().collect();
        self
    }

    /// Whether a `429 Too Many Requests` is retried for every method, POST included (default true): Kibana's rate
    /// limiting rejects a request before handling it, so sending it again cannot do the work twice. Within the retry
    /// budget ([`max_retries`](Self::max_retries)), honouring `Retry-After` up to
    /// [`max_retry_after`](Self::max_retry_after), and only while 429 is in
    /// [`retry_on_status`](Self::retry_on_status). `false`: a POST's 429 is returned to the caller at once.
    ///
    /// ```
    /// let client = kibana::Kibana::builder().url("http://localhost:5601").retry_429_on_any_method(false).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn retry_429_on_any_method(mut self, retry: bool) -> Self {
        self.retry.retry_429_on_any_method = retry;
        self
    }

    /// Whether idempotent requests whose attempt timed out are retried (default true).
    pub fn retry_on_timeout(mut self, retry: bool) -> Self {
        self.retry.retry_on_timeout = retry;
        self
    }

    /// Backoff between retries: first step and ceiling (defaults 100 ms and 10 s), full jitter.
    pub fn retry_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.retry.base_backoff = base;
        self.retry.max_backoff = max;
        self
    }

    /// Longest `Retry-After` honoured (default 30 s).
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.retry.max_retry_after = max;
        self
    }

    /// How long a failing host is skipped (defaults: 1 s, ×2 per consecutive failure, at most 60 s), each host with
    /// its own backoff; then one call tries it again, and a whole answer from it (headers and body) revives it.
    pub fn host_backoff(mut self, backoff: HostBackoff) -> Self {
        self.host_backoff = backoff;
        self
    }

    /// Requests per second, shared by every clone and scoped view of the client; excess requests wait.
    pub fn max_requests_per_second(mut self, rate: f64) -> Self {
        self.max_requests_per_second = Some(rate);
        self
    }

    /// Idle connections kept per host (default: no limit, like reqwest; idle ones close after 90 s).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Wraps the whole stack in a tower layer of your own (metrics, custom auth...). Layers added later wrap
    /// earlier ones.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<KibanaService> + Send + Sync + 'static,
        L::Service: tower::Service<
                transport::HttpRequest,
                Response = transport::HttpResponse,
                Error = transport::TransportError,
            > + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<transport::HttpRequest>>::Future: Send + 'static,
    {
        self.user_layers
            .push(Box::new(move |service| KibanaService::new(layer.layer(service))));
        self
    }

    /// Check that a space exists before its first use (default on).
    pub fn validate_spaces(mut self, validate: bool) -> Self {
        self.validate_spaces = validate;
        self
    }

    /// How long a space check is trusted (default 5 minutes).
    pub fn space_cache_ttl(mut self, ttl: Duration) -> Self {
        self.space_cache_ttl = ttl;
        self
    }

    /// What [`StatusApi::compatibility`](crate::status::StatusApi::compatibility) does on a version mismatch.
    pub fn on_version_mismatch(mut self, policy: VersionMismatch) -> Self {
        self.version_mismatch = policy;
        self
    }

    /// What a call of an operation added in a later Kibana than the server's does ([`VersionCheck::Refuse`] by
    /// default: [`Error::Unsupported`](crate::Error::Unsupported), nothing sent). The operations that need it are
    /// those whose `kibana_gen::spec::Operation::added_in` is set.
    ///
    /// ```
    /// let client = kibana::Kibana::builder()
    ///     .url("http://localhost:5601")
    ///     .version_check(kibana::VersionCheck::Warn)
    ///     .build()
    ///     .unwrap();
    /// # drop(client);
    /// ```
    pub fn version_check(mut self, policy: VersionCheck) -> Self {
        self.version_check = policy;
        self
    }

    /// The Kibana version the server runs (`"9.0.1"`), for the [`version_check`](Self::version_check): the client
    /// then never asks the server (by default it reads `GET /api/status` once, the first time an operation that
    /// names its Kibana version is called). Not a version: [`ConfigError::OutOfRange`] from `build`.
    ///
    /// ```
    /// let client = kibana::Kibana::builder().url("http://localhost:5601").server_version("9.0.1").build().unwrap();
    /// # drop(client);
    /// assert!(kibana::Kibana::builder().url("http://localhost:5601").server_version("nine").build().is_err());
    /// ```
    pub fn server_version(mut self, version: impl AsRef<str>) -> Self {
        let version = version.as_ref();
        self.server_version =
            Some(KibanaVersion::parse(version).ok_or_else(|| format!("{version:?} is not a Kibana version (9.0.1)")));
        self
    }

    fn parse_hosts(&self) -> Result<Vec<Url>, ConfigError> {
        match (&self.cloud_id, self.hosts.is_empty()) {
            (Some(_), false) => Err(ConfigError::ConflictingHosts),
            (Some(id), true) => Ok(vec![cloud_id::kibana_url(id)?]),
            (None, true) => Err(ConfigError::NoHost),
            (None, false) => self.hosts.iter().map(|h| parse_host(h)).collect(),
        }
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Kibana, ConfigError> {
        let hosts = self.parse_hosts()?;
        if let Some((first, second)) = self.credential_conflict {
            return Err(ConfigError::ConflictingCredentials { first, second });
        }
        if let Some(error) = self.pin_error {
            return Err(error);
        }
        let credentials = self.credentials.unwrap_or_default();
        let authorization = credentials
            .header_value()
            .map_err(|_| ConfigError::InvalidCredentials {
                kind: credentials.kind(),
            })?;
        let mut custom = HeaderMap::new();
        for (name, value) in &self.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| ConfigError::InvalidHeader {
                name: name.clone(),
                reason: e.to_string(),
            })?;
            let header_value = HeaderValue::from_str(value).map_err(|e| ConfigError::InvalidHeader {
                name: name.clone(),
                reason: e.to_string(),
            })?;
            custom.insert(header_name, header_value);
        }
        for (setting, duration) in [
            ("request_timeout", self.request_timeout),
            ("connect_timeout", self.connect_timeout),
            ("call_timeout", self.call_timeout.unwrap_or(Duration::MAX)),
        ] {
            if duration.is_zero() {
                return Err(ConfigError::OutOfRange {
                    setting,
                    reason: "must be longer than zero".into(),
                });
            }
        }
        if !(self.host_backoff.factor >= 1.0 && self.host_backoff.factor.is_finite()) {
            return Err(ConfigError::OutOfRange {
                setting: "host_backoff.factor",
                reason: format!("must be at least 1, got {}", self.host_backoff.factor),
            });
        }
        let server_version = self
            .server_version
            .transpose()
            .map_err(|reason| ConfigError::OutOfRange {
                setting: "server_version",
                reason,
            })?;
        let limiter = self.max_requests_per_second.map(transport::limiter).transpose()?;
        let tls = self.tls.client_config()?;
        // Only the generated client uses reqwest, to build requests; they are sent by the stack, over hyper.
        let request_builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls.clone())
            .no_proxy()
            .build()
            .map_err(|e| ConfigError::Tls(format!("building the HTTP client: {e}")))?;

        let routes = self.proxy.routes(&hosts, &|name| std::env::var(name).ok())?;
        let targets: Vec<HostBase> = hosts
            .iter()
            .zip(&routes)
            .map(|(url, route)| {
                let mut target = HostBase::new(url).map_err(|reason| ConfigError::InvalidUrl {
                    url: url.to_string(),
                    reason,
                })?;
                if let Route::Forward(proxy) = route {
                    target.proxy_authorization = proxy.authorization.clone();
                    target.forward_proxy = Some(proxy.shown());
                }
                Ok(target)
            })
            .collect::<Result<_, ConfigError>>()?;
        let needs_proxy_tls = routes.iter().any(|route| match route {
            Route::Direct => false,
            Route::Forward(proxy) | Route::Tunnel(proxy) => proxy.is_tls(),
        });
        let proxy_tls = needs_proxy_tls.then(|| self.tls.proxy_config()).transpose()?;
        let connector = Connector::new(
            tls,
            proxy_tls,
            self.connect_timeout,
            targets.iter().zip(&routes).map(|(target, route)| {
                (
                    target.scheme == http::uri::Scheme::HTTPS,
                    target.authority.clone(),
                    route.clone(),
                )
            }),
        );
        let proxies = hosts
            .iter()
            .zip(&routes)
            .filter(|(_, route)| !matches!(route, Route::Direct))
            .map(|(url, route)| format!("{} {route:?}", url.as_str().trim_end_matches('/')))
            .collect();
        let host_pool = Arc::new(HostPool::new(&hosts, targets, self.host_backoff));
        let service = transport::build_stack(StackParts {
            http: transport::http_client(connector, self.pool_max_idle_per_host),
            limits: TimeLimits {
                attempt: Some(self.request_timeout),
                call: self.call_timeout,
            },
            max_response_body: self.max_response_body,
            hosts: host_pool,
            headers: Arc::new(DefaultHeaders { authorization, custom }),
            retry: Arc::new(self.retry.clone()),
            limiter,
            user_layers: self.user_layers,
        });
        Ok(Kibana::from_shared(Arc::new(Shared {
            service,
            http: request_builder,
            hosts,
            proxies,
            credentials_kind: credentials.kind(),
            retry: self.retry,
            rate: self.max_requests_per_second,
            spaces: SpaceCache::new(self.space_cache_ttl),
            validate_spaces: self.validate_spaces,
            version_mismatch: self.version_mismatch,
            versions: Arc::new(ServerVersions::new(self.version_check, server_version)),
        })))
    }
}

fn parse_host(host: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidUrl {
        url: host.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = host.trim();
    if !trimmed.contains("://") {
        return Err(invalid(
            "no scheme: write http://... or https://... (a scheme is never guessed)",
        ));
    }
    let url = Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a query or fragment has no place in a base URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("put credentials in basic_auth(), not in the URL"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(builder: KibanaBuilder) -> ConfigError {
        builder.build().expect_err("configuration must be refused")
    }

    #[test]
    fn a_host_the_url_crate_accepts_but_http_cannot_carry_is_refused_not_a_panic() {
        assert!(Url::parse("http://a{b}.example.com").is_ok());
        assert!(matches!(
            err(Kibana::builder().url("http://a{b}.example.com")),
            ConfigError::InvalidUrl { .. }
        ));
    }

    #[test]
    fn invalid_configurations_are_typed_errors() {
        assert_eq!(err(Kibana::builder()), ConfigError::NoHost);
        assert!(matches!(
            err(Kibana::builder().url("localhost:5601")),
            ConfigError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("ftp://x")),
            ConfigError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://u:p@x")),
            ConfigError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://")),
            ConfigError::InvalidUrl { .. }
        ));
        assert_eq!(
            err(Kibana::builder().url("http://x").cloud_id("a:b")),
            ConfigError::ConflictingHosts
        );
        assert!(matches!(
            err(Kibana::builder().cloud_id("a:@@@")),
            ConfigError::InvalidCloudId { .. }
        ));
        assert_eq!(
            err(Kibana::builder().url("http://x").api_key("k").basic_auth("u", "p")),
            ConfigError::ConflictingCredentials {
                first: "ApiKey",
                second: "Basic"
            }
        );
        assert!(matches!(
            err(Kibana::builder().url("http://x").max_requests_per_second(0.0)),
            ConfigError::OutOfRange { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://x").max_requests_per_second(-3.0)),
            ConfigError::OutOfRange { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://x").header("bad name", "v")),
            ConfigError::InvalidHeader { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://x").header("x-a", "bad\nvalue")),
            ConfigError::InvalidHeader { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://x").pin_certificate_sha256("zz")),
            ConfigError::Tls(_)
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://x").request_timeout(Duration::ZERO)),
            ConfigError::OutOfRange { .. }
        ));
        assert!(matches!(
            err(Kibana::builder().url("http://x").api_key("bad\nkey")),
            ConfigError::InvalidCredentials { .. }
        ));
    }

    #[test]
    fn debug_of_builder_and_client_never_shows_secrets() {
        let builder = Kibana::builder()
            .url("http://x:5601")
            .basic_auth("elastic", "hunter2-secret")
            .header("x-opaque", "value");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let client = builder.build().unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("Basic"), "{debug}");
        let client = Kibana::builder()
            .url("http://x")
            .api_key("c2VjcmV0OnNlY3JldA==")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("c2VjcmV0"));
        let derived = client.with_credentials(crate::Credentials::bearer("tok-secret"));
        assert!(!format!("{derived:?}").contains("tok-secret"));
    }

    #[test]
    fn hosts_and_cloud_id_are_accepted() {
        let client = Kibana::builder()
            .hosts(["http://a:5601", "https://b/kibana"])
            .build()
            .unwrap();
        assert_eq!(client.hosts().len(), 2);
        use base64::Engine;
        let id = base64::engine::general_purpose::STANDARD.encode("example.com$es$kb");
        let client = Kibana::builder().cloud_id(format!("dep:{id}")).build().unwrap();
        assert_eq!(client.hosts()[0].as_str(), "https://kb.example.com/");
    }
}
