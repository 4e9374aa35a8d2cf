//! [`KibanaBuilder`]: the async client's builder, building a blocking client.

use std::{sync::Arc, time::Duration};

use http::StatusCode;

use super::{Kibana, runtime::Runtime};
use crate::{
    ConfigError, Credentials, VersionCheck, VersionMismatch,
    transport::{self, HostBackoff, KibanaService},
};

/// Builds a blocking [`Kibana`]: every option of [`kibana::KibanaBuilder`](crate::KibanaBuilder), with the same
/// names, defaults and checks; [`build`](Self::build) also starts the client's runtime.
///
/// ```
/// use std::time::Duration;
///
/// let client = kibana::blocking::Kibana::builder()
///     .url("https://kibana.example.com:5601")
///     .api_key("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==")
///     .request_timeout(Duration::from_secs(10))
///     .max_retries(5)
///     .build()
///     .expect("valid configuration");
/// # drop(client);
/// ```
///
/// An async builder converts too, e.g. one a shared configuration function makes for both clients:
///
/// ```
/// let async_builder = kibana::Kibana::builder().url("http://localhost:5601");
/// let client = kibana::blocking::KibanaBuilder::from(async_builder).build().unwrap();
/// # drop(client);
/// ```
#[must_use]
#[derive(Debug, Default)]
pub struct KibanaBuilder {
    inner: crate::KibanaBuilder,
}

impl From<crate::KibanaBuilder> for KibanaBuilder {
    fn from(inner: crate::KibanaBuilder) -> Self {
        Self { inner }
    }
}

impl KibanaBuilder {
    fn with(self, change: impl FnOnce(crate::KibanaBuilder) -> crate::KibanaBuilder) -> Self {
        Self {
            inner: change(self.inner),
        }
    }

    /// See [`KibanaBuilder::url`](crate::KibanaBuilder::url).
    pub fn url(self, url: impl Into<String>) -> Self {
        self.with(|b| b.url(url))
    }

    /// See [`KibanaBuilder::hosts`](crate::KibanaBuilder::hosts).
    pub fn hosts<I, S>(self, urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.with(|b| b.hosts(urls))
    }

    /// See [`KibanaBuilder::cloud_id`](crate::KibanaBuilder::cloud_id).
    pub fn cloud_id(self, cloud_id: impl Into<String>) -> Self {
        self.with(|b| b.cloud_id(cloud_id))
    }

    /// See [`KibanaBuilder::credentials`](crate::KibanaBuilder::credentials).
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.with(|b| b.credentials(credentials))
    }

    /// See [`KibanaBuilder::api_key`](crate::KibanaBuilder::api_key).
    pub fn api_key(self, encoded: impl Into<String>) -> Self {
        self.with(|b| b.api_key(encoded))
    }

    /// See [`KibanaBuilder::api_key_id`](crate::KibanaBuilder::api_key_id).
    pub fn api_key_id(self, id: impl AsRef<str>, api_key: impl AsRef<str>) -> Self {
        self.with(|b| b.api_key_id(id, api_key))
    }

    /// See [`KibanaBuilder::basic_auth`](crate::KibanaBuilder::basic_auth).
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.with(|b| b.basic_auth(username, password))
    }

    /// See [`KibanaBuilder::bearer_token`](crate::KibanaBuilder::bearer_token).
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.with(|b| b.bearer_token(token))
    }

    /// See [`KibanaBuilder::header`](crate::KibanaBuilder::header).
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|b| b.header(name, value))
    }

    /// See [`KibanaBuilder::request_timeout`](crate::KibanaBuilder::request_timeout).
    pub fn request_timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.request_timeout(timeout))
    }

    /// See [`KibanaBuilder::connect_timeout`](crate::KibanaBuilder::connect_timeout).
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.connect_timeout(timeout))
    }

    /// See [`KibanaBuilder::ca_certificate_pem`](crate::KibanaBuilder::ca_certificate_pem).
    pub fn ca_certificate_pem(self, pem: impl Into<Vec<u8>>) -> Self {
        self.with(|b| b.ca_certificate_pem(pem))
    }

    /// See [`KibanaBuilder::client_certificate_pem`](crate::KibanaBuilder::client_certificate_pem).
    pub fn client_certificate_pem(
        self,
        certificate_chain: impl Into<Vec<u8>>,
        private_key: impl Into<Vec<u8>>,
    ) -> Self {
        self.with(|b| b.client_certificate_pem(certificate_chain, private_key))
    }

    /// See [`KibanaBuilder::pin_certificate_sha256`](crate::KibanaBuilder::pin_certificate_sha256).
    pub fn pin_certificate_sha256(self, fingerprint: impl AsRef<str>) -> Self {
        self.with(|b| b.pin_certificate_sha256(fingerprint))
    }

    /// See [`KibanaBuilder::danger_accept_invalid_certs`](crate::KibanaBuilder::danger_accept_invalid_certs).
    pub fn danger_accept_invalid_certs(self, accept: bool) -> Self {
        self.with(|b| b.danger_accept_invalid_certs(accept))
    }

    /// See [`KibanaBuilder::proxy`](crate::KibanaBuilder::proxy).
    pub fn proxy(self, url: impl Into<String>) -> Self {
        self.with(|b| b.proxy(url))
    }

    /// See [`KibanaBuilder::no_proxy`](crate::KibanaBuilder::no_proxy).
    pub fn no_proxy(self) -> Self {
        self.with(|b| b.no_proxy())
    }

    /// See [`KibanaBuilder::proxy_basic_auth`](crate::KibanaBuilder::proxy_basic_auth).
    pub fn proxy_basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.with(|b| b.proxy_basic_auth(username, password))
    }

    /// See [`KibanaBuilder::no_proxy_for`](crate::KibanaBuilder::no_proxy_for).
    pub fn no_proxy_for(self, hosts: impl Into<String>) -> Self {
        self.with(|b| b.no_proxy_for(hosts))
    }

    /// See [`KibanaBuilder::max_retries`](crate::KibanaBuilder::max_retries).
    pub fn max_retries(self, retries: u32) -> Self {
        self.with(|b| b.max_retries(retries))
    }

    /// See [`KibanaBuilder::retry_on_status`](crate::KibanaBuilder::retry_on_status).
    pub fn retry_on_status(self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.with(|b| b.retry_on_status(statuses))
    }

    /// See [`KibanaBuilder::retry_on_timeout`](crate::KibanaBuilder::retry_on_timeout).
    pub fn retry_on_timeout(self, retry: bool) -> Self {
        self.with(|b| b.retry_on_timeout(retry))
    }

    /// See [`KibanaBuilder::retry_backoff`](crate::KibanaBuilder::retry_backoff).
    pub fn retry_backoff(self, base: Duration, max: Duration) -> Self {
        self.with(|b| b.retry_backoff(base, max))
    }

    /// See [`KibanaBuilder::max_retry_after`](crate::KibanaBuilder::max_retry_after).
    pub fn max_retry_after(self, max: Duration) -> Self {
        self.with(|b| b.max_retry_after(max))
    }

    /// See [`KibanaBuilder::host_backoff`](crate::KibanaBuilder::host_backoff).
    pub fn host_backoff(self, backoff: HostBackoff) -> Self {
        self.with(|b| b.host_backoff(backoff))
    }

    /// See [`KibanaBuilder::max_requests_per_second`](crate::KibanaBuilder::max_requests_per_second).
    pub fn max_requests_per_second(self, rate: f64) -> Self {
        self.with(|b| b.max_requests_per_second(rate))
    }

    /// See [`KibanaBuilder::pool_max_idle_per_host`](crate::KibanaBuilder::pool_max_idle_per_host).
    pub fn pool_max_idle_per_host(self, max: usize) -> Self {
        self.with(|b| b.pool_max_idle_per_host(max))
    }

    /// See [`KibanaBuilder::layer`](crate::KibanaBuilder::layer). The layer's services run on the client's
    /// runtime, and may spawn tasks onto it.
    pub fn layer<L>(self, layer: L) -> Self
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
        self.with(|b| b.layer(layer))
    }

    /// See [`KibanaBuilder::validate_spaces`](crate::KibanaBuilder::validate_spaces).
    pub fn validate_spaces(self, validate: bool) -> Self {
        self.with(|b| b.validate_spaces(validate))
    }

    /// See [`KibanaBuilder::space_cache_ttl`](crate::KibanaBuilder::space_cache_ttl).
    pub fn space_cache_ttl(self, ttl: Duration) -> Self {
        self.with(|b| b.space_cache_ttl(ttl))
    }

    /// See [`KibanaBuilder::on_version_mismatch`](crate::KibanaBuilder::on_version_mismatch).
    pub fn on_version_mismatch(self, policy: VersionMismatch) -> Self {
        self.with(|b| b.on_version_mismatch(policy))
    }

    /// See [`KibanaBuilder::call_timeout`](crate::KibanaBuilder::call_timeout).
    pub fn call_timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.call_timeout(timeout))
    }

    /// See [`KibanaBuilder::max_response_body`](crate::KibanaBuilder::max_response_body).
    pub fn max_response_body(self, bytes: u64) -> Self {
        self.with(|b| b.max_response_body(bytes))
    }

    /// See [`KibanaBuilder::retry_429_on_any_method`](crate::KibanaBuilder::retry_429_on_any_method).
    pub fn retry_429_on_any_method(self, retry: bool) -> Self {
        self.with(|b| b.retry_429_on_any_method(retry))
    }

    /// See [`KibanaBuilder::version_check`](crate::KibanaBuilder::version_check).
    pub fn version_check(self, policy: VersionCheck) -> Self {
        self.with(|b| b.version_check(policy))
    }

    /// See [`KibanaBuilder::server_version`](crate::KibanaBuilder::server_version).
    pub fn server_version(self, version: impl AsRef<str>) -> Self {
        self.with(|b| b.server_version(version))
    }

    /// Checks the configuration like [`KibanaBuilder::build`](crate::KibanaBuilder::build), then starts the
    /// client's runtime (one worker thread, named `kibana-blocking`, shared by every clone and view of the client).
    ///
    /// Building inside an async runtime is allowed (the client can then be moved to a thread of its own); calling
    /// it there is not ([`ConfigError::BlockingInAsyncRuntime`]).
    pub fn build(self) -> Result<Kibana, ConfigError> {
        let runtime = Arc::new(Runtime::new()?);
        // Whatever the stack spawns while it is built (a user layer's worker) belongs to the client's runtime.
        let inner = {
            let _inside = runtime.enter();
            self.inner.build()?
        };
        Ok(Kibana::from_parts(inner, runtime))
    }
}
