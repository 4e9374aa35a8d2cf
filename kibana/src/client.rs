//! [`Kibana`]: the client. Cheap to clone; scoped views (`space`, `with_*`) share its connection pool, its rate
//! limiter and its space cache.

use std::{fmt, sync::Arc, time::Duration};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use kibana_gen::spec::Operation;
use progenitor_client::ResponseValue;
use serde::{Serialize, de::DeserializeOwned};
use tower::ServiceExt;
use url::Url;

use crate::{
    credentials::Credentials,
    error::{
        ApiError, BodyLength, Clipped, DecodeFailure, EMPTY_BODY, Error, KibanaErrorBody, TransportFailure,
        decode_reason, snippet,
    },
    spaces::{SpaceCache, SpaceId},
    transport::{
        CallTransport, PLACEHOLDER_AUTHORITY, PLACEHOLDER_ORIGIN, RequestContext, RequestOverrides, RetryConfig,
        ServerVersions, Stack, TransportError, UnreadableBody, retry,
    },
};

/// What to do when the server's Kibana version differs from the one `kibana-gen` was generated from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum VersionMismatch {
    /// Do not check.
    #[default]
    Ignore,
    /// Log a warning.
    Warn,
    /// Fail the check with an error.
    Refuse,
}

pub(crate) struct Shared {
    pub(crate) service: Stack,
    pub(crate) http: reqwest::Client,
    pub(crate) hosts: Vec<Url>,
    /// The hosts reached through a proxy, and how (for `Debug`; never credentials).
    pub(crate) proxies: Vec<String>,
    pub(crate) credentials_kind: &'static str,
    pub(crate) retry: RetryConfig,
    pub(crate) rate: Option<f64>,
    pub(crate) spaces: SpaceCache,
    pub(crate) validate_spaces: bool,
    pub(crate) version_mismatch: VersionMismatch,
    /// The server's version as far as the operations' "added in" check needs it.
    pub(crate) versions: Arc<ServerVersions>,
}

/// Which space a call runs in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum SpaceScope {
    /// The default space (no `/s/` prefix).
    #[default]
    Default,
    /// A named space; the id may be invalid, which is reported at the first call, before anything is sent.
    Named(String),
}

#[derive(Clone, Default)]
pub(crate) struct Scope {
    pub(crate) space: SpaceScope,
    pub(crate) validate: Option<bool>,
    pub(crate) overrides: Option<Arc<RequestOverrides>>,
}

/// A Kibana client.
///
/// Build one with [`Kibana::builder`]; clone it freely (a clone costs a few reference counts). Every API area is a
/// method returning a handle: [`connectors`](Kibana::connectors), [`spaces`](Kibana::spaces),
/// [`status`](Kibana::status)... A view scoped to a space comes from [`space`](Kibana::space).
///
/// ```no_run
/// # async fn demo() -> Result<(), kibana::Error> {
/// let client = kibana::Kibana::builder().url("http://localhost:5601").api_key("...").build()?;
/// let marketing = client.space("marketing");
/// for connector in marketing.connectors().list().await? {
///     println!("{} ({})", connector.name, connector.connector_type_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Kibana {
    pub(crate) shared: Arc<Shared>,
    pub(crate) scope: Scope,
}

impl fmt::Debug for Kibana {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts: Vec<&str> = self.shared.hosts.iter().map(Url::as_str).collect();
        let overridden = self.scope.overrides.as_ref().map(|o| {
            (
                o.authorization.is_some(),
                o.headers.keys().map(HeaderName::as_str).collect::<Vec<_>>(),
                o.timeout,
                o.call_timeout,
            )
        });
        f.debug_struct("Kibana")
            .field("hosts", &hosts)
            .field("proxies", &self.shared.proxies)
            .field("credentials", &self.shared.credentials_kind)
            .field("space", &self.scope.space)
            .field("max_retries", &self.shared.retry.max_retries)
            .field("max_requests_per_second", &self.shared.rate)
            .field("overrides(credentials, headers, timeout, call_timeout)", &overridden)
            .finish_non_exhaustive()
    }
}

impl Kibana {
    pub(crate) fn from_shared(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            scope: Scope::default(),
        }
    }

    /// The hosts requests go to.
    pub fn hosts(&self) -> &[Url] {
        &self.shared.hosts
    }

    /// A view of this client scoped to `space_id`: every API handle from it works in that space. Cheap (no new
    /// connection pool): create one per request in a server if you like. An invalid id is reported by the first
    /// call ([`Error::InvalidSpaceId`]), before anything is sent; use [`try_space`](Self::try_space) to check now.
    ///
    /// ```
    /// let client = kibana::Kibana::builder().url("http://localhost:5601").build().unwrap();
    /// let marketing = client.space("marketing");
    /// assert_eq!(marketing.space_id(), Some("marketing"));
    /// assert_eq!(client.space("default").space_id(), None);
    /// ```
    pub fn space(&self, space_id: impl Into<String>) -> Kibana {
        let space_id = space_id.into();
        let mut view = self.clone();
        view.scope.space = if space_id == SpaceId::DEFAULT {
            SpaceScope::Default
        } else {
            SpaceScope::Named(space_id)
        };
        view
    }

    /// Like [`space`](Self::space), but checks the id now.
    pub fn try_space(&self, space_id: impl Into<String>) -> Result<Kibana, Error> {
        let space_id = space_id.into();
        SpaceId::new(&space_id)?;
        Ok(self.space(space_id))
    }

    /// A view of this client in the default space (no `/s/` prefix).
    pub fn default_space(&self) -> Kibana {
        let mut view = self.clone();
        view.scope.space = SpaceScope::Default;
        view
    }

    /// The space this view is scoped to (`None`: the default space).
    pub fn space_id(&self) -> Option<&str> {
        match &self.scope.space {
            SpaceScope::Default => None,
            SpaceScope::Named(id) => Some(id),
        }
    }

    /// Turns the existence check of this view's space on or off (overrides the builder's setting).
    pub fn validate_space(&self, validate: bool) -> Kibana {
        let mut view = self.clone();
        view.scope.validate = Some(validate);
        view
    }

    fn with_overrides(&self, change: impl FnOnce(&mut RequestOverrides)) -> Kibana {
        let mut overrides = self.scope.overrides.as_deref().cloned().unwrap_or_default();
        change(&mut overrides);
        let mut view = self.clone();
        view.scope.overrides = Some(Arc::new(overrides));
        view
    }

    /// A view that sends other credentials (e.g. a user's own API key), sharing the connection pool.
    ///
    /// Credentials that cannot be an HTTP header value (a newline in a key) make every call of the view fail with
    /// [`Error::InvalidRequest`] before anything is sent.
    pub fn with_credentials(&self, credentials: Credentials) -> Kibana {
        match credentials.header_value() {
            Ok(value) => self.with_overrides(|o| o.authorization = Some(value)),
            Err(_) => self.with_overrides(|o| {
                o.authorization = Some(None);
                o.headers
                    .insert(INVALID_CREDENTIALS_MARKER, HeaderValue::from_static("1"));
            }),
        }
    }

    /// A view that adds (or replaces) a header on every request.
    pub fn with_header(&self, name: HeaderName, value: HeaderValue) -> Kibana {
        self.with_overrides(|o| {
            o.headers.insert(name, value);
        })
    }

    /// A view with another attempt timeout (one attempt, from sending to the last byte of the answer; a long export
    /// stream may need more). Unless a call timeout was set explicitly
    /// ([`call_timeout`](crate::KibanaBuilder::call_timeout), [`with_call_timeout`](Self::with_call_timeout)), the
    /// view's call timeout grows with it: one attempt always gets its full time.
    ///
    /// ```
    /// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
    /// let patient = client.with_timeout(std::time::Duration::from_secs(600));
    /// let export = patient.saved_objects().export_lines(&kibana::saved_objects::ExportOptions::types(["dashboard"])).await?;
    /// # drop(export); Ok(()) }
    /// ```
    pub fn with_timeout(&self, timeout: Duration) -> Kibana {
        self.with_overrides(|o| o.timeout = Some(timeout))
    }

    /// A view with another call timeout: the whole call (every attempt, every wait between attempts, the rate
    /// limiter's wait, and the reading of a streamed answer) ends by then, with an [`Error::Timeout`] whose
    /// [`time_limit`](Error::time_limit) is [`TimeLimit::Call`](crate::TimeLimit::Call).
    ///
    /// ```
    /// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
    /// let hurried = client.with_call_timeout(std::time::Duration::from_secs(5));
    /// hurried.status().get().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_call_timeout(&self, timeout: Duration) -> Kibana {
        self.with_overrides(|o| o.call_timeout = Some(timeout))
    }

    pub(crate) fn space_name(&self) -> Option<String> {
        self.space_id().map(str::to_owned)
    }

    fn check_overrides(&self) -> Result<(), Error> {
        if self
            .scope
            .overrides
            .as_ref()
            .is_some_and(|o| o.headers.contains_key(INVALID_CREDENTIALS_MARKER))
        {
            return Err(Error::InvalidRequest(
                "the credentials given to with_credentials() cannot be sent in an HTTP header".into(),
            ));
        }
        Ok(())
    }

    /// Checks the space id locally, then (when enabled) that the space exists, through the shared cache.
    pub(crate) async fn ensure_space(&self) -> Result<(), Error> {
        self.check_overrides()?;
        let SpaceScope::Named(id) = &self.scope.space else {
            return Ok(());
        };
        let space = SpaceId::new(id)?;
        if !self.scope.validate.unwrap_or(self.shared.validate_spaces) {
            return Ok(());
        }
        let checker = self.default_space().validate_space(false);
        let lookup_space = space.clone();
        let exists = self
            .shared
            .spaces
            .exists(&space, || async move {
                checker.spaces().exists_uncached(&lookup_space).await
            })
            .await?;
        if exists {
            Ok(())
        } else {
            Err(Error::SpaceNotFound { space_id: id.clone() })
        }
    }

    /// Checks that the server has `operation` (the version check: [`VersionCheck`](crate::VersionCheck)), before
    /// a typed layer sends it.
    pub(crate) async fn admit(&self, operation: &'static kibana_gen::spec::Operation) -> Result<(), Error> {
        self.shared
            .versions
            .admit(operation, &self.shared.service, self.scope.overrides.as_deref())
            .await
    }

    /// `http://placeholder[/s/{space}]`: the generated client's base URL for this view.
    fn base_url(&self) -> String {
        let mut url = String::with_capacity(PLACEHOLDER_ORIGIN.len() + 128);
        url.push_str(PLACEHOLDER_ORIGIN);
        if let SpaceScope::Named(id) = &self.scope.space {
            url.push_str("/s/");
            url.push_str(id);
        }
        url
    }

    /// Runs one generated operation through the stack and maps its outcome to [`Error`]: `call` gets a generated
    /// client for this view (its space as the base path, the stack as its transport).
    pub(crate) async fn generated<T, Fut>(
        &self,
        call: impl FnOnce(kibana_gen::Client) -> Fut,
    ) -> Result<ResponseValue<T>, Error>
    where
        Fut: std::future::Future<
                Output = Result<ResponseValue<T>, progenitor_client::Error<kibana_gen::types::KibanaError>>,
            >,
    {
        self.generated_call(call).await.map(|(value, _)| value)
    }

    /// [`generated`](Self::generated), also handing back what the call was and how many times it was sent: a
    /// streamed answer (an export) needs them for an error met while its body is read, after this returns
    /// ([`CallInfo::body_failure`]).
    pub(crate) async fn generated_call<T, Fut>(
        &self,
        call: impl FnOnce(kibana_gen::Client) -> Fut,
    ) -> Result<(ResponseValue<T>, CallInfo), Error>
    where
        Fut: std::future::Future<
                Output = Result<ResponseValue<T>, progenitor_client::Error<kibana_gen::types::KibanaError>>,
            >,
    {
        self.ensure_space().await?;
        let transport = Arc::new(CallTransport::new(
            self.shared.service.clone(),
            self.space_name(),
            self.scope.overrides.as_deref().cloned(),
            self.shared.http.clone(),
            self.shared.versions.clone(),
        ));
        let client = kibana_gen::Client::new_with_client(
            &self.base_url(),
            self.shared.http.clone(),
            kibana_gen::Inner::with_transport(transport.clone()),
        );
        let result = call(client).await;
        let mut record = transport.take_record();
        if let Some(refusal) = record.refused.take() {
            return Err(refusal);
        }
        let method = record.method.clone().unwrap_or(Method::GET);
        let path = record.path.clone().unwrap_or_default();
        let space = self.space_name();
        let attempts = record.attempts.max(1);
        let length = BodyLength::from_headers(record.headers.as_ref());
        let unreadable = record.unreadable.clone();
        let api_error = |status: StatusCode, headers: Option<&HeaderMap>, mut body: KibanaErrorBody| {
            note_unreadable(&mut body, unreadable.as_deref());
            body.note_redirect(status, headers);
            Error::from_status(ApiError {
                method: method.clone(),
                path: path.clone(),
                space: space.clone(),
                status,
                body,
                retry_after: headers.and_then(retry::retry_after),
                attempts,
            })
        };
        let decode = |status: StatusCode, body: &[u8], reason: String| {
            Error::Decode(Box::new(DecodeFailure {
                method: method.clone(),
                path: path.clone(),
                space: space.clone(),
                status,
                body_snippet: snippet(body),
                reason: decode_reason(reason),
            }))
        };
        use progenitor_client::Error as Gen;
        match result {
            Ok(value) => Ok((
                value,
                CallInfo {
                    method,
                    path,
                    space,
                    attempts,
                },
            )),
            Err(Gen::ErrorResponse(value)) => {
                let status = value.status();
                let headers = value.headers().clone();
                let body = KibanaErrorBody::from_generated(status, value.into_inner());
                Err(api_error(status, Some(&headers), body))
            }
            Err(Gen::UnexpectedResponse(response)) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = match response.bytes().await {
                    Ok(body) => body,
                    Err(error) if status.is_success() => {
                        return Err(transport_failure(
                            TransportError::from_body(error),
                            method,
                            path,
                            space,
                            attempts,
                        ));
                    }
                    // The status says what happened; the unreadable body is named rather than passed over.
                    Err(error) => {
                        let mut body = KibanaErrorBody::parse(status, b"");
                        body.message = format!("(the error body could not be read: {})", Clipped(&error, 256));
                        return Err(api_error(status, Some(&headers), body));
                    }
                };
                if status.is_success() {
                    Err(decode(
                        status,
                        &body,
                        format!("status {status} is not one the spec declares for this operation"),
                    ))
                } else {
                    Err(api_error(
                        status,
                        Some(&headers),
                        KibanaErrorBody::parse_bounded(status, &body, length),
                    ))
                }
            }
            Err(Gen::InvalidResponsePayload(body, error)) => {
                let status = record.status.unwrap_or(StatusCode::OK);
                if status.is_success() {
                    Err(decode(status, &body, error.to_string()))
                } else {
                    Err(api_error(
                        status,
                        record.headers.as_ref(),
                        KibanaErrorBody::parse_bounded(status, &body, length),
                    ))
                }
            }
            Err(Gen::CommunicationError(error)) | Err(Gen::ResponseBodyError(error)) => {
                let transport_error = record.error.unwrap_or_else(|| TransportError::from_body(error));
                Err(transport_failure(transport_error, method, path, space, attempts))
            }
            Err(Gen::InvalidRequest(message)) => Err(Error::InvalidRequest(message)),
            Err(other) => Err(Error::InvalidRequest(other.to_string())),
        }
    }

    /// Sends a hand-written route through the same stack: `path` is relative to the view's space.
    ///
    /// It does not check the space: callers of space-scoped routes call [`ensure_space`](Self::ensure_space) first
    /// (the space check itself sends through here, so this must not call it back).
    pub(crate) async fn send_raw(&self, request: RawRequest<'_>) -> Result<RawResponse, Error> {
        self.check_overrides()?;
        let space = if request.space_scoped { self.space_name() } else { None };
        // The URI is put together from its parts: the send layer moves it onto a real host anyway.
        let space_prefix = match (&self.scope.space, request.space_scoped) {
            (SpaceScope::Named(id), true) => Some(id.as_str()),
            _ => None,
        };
        let mut path_and_query =
            String::with_capacity(request.path_and_query.len() + space_prefix.map_or(0, |id| id.len() + 3));
        if let Some(id) = space_prefix {
            path_and_query.push_str("/s/");
            path_and_query.push_str(id);
        }
        path_and_query.push_str(request.path_and_query);
        let path = path_and_query[..path_and_query.find('?').unwrap_or(path_and_query.len())].to_owned();
        let invalid =
            |reason: String| Error::InvalidRequest(format!("cannot build {} {path}: {reason}", request.method));
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(http::uri::Scheme::HTTP);
        parts.authority = Some(placeholder_authority());
        parts.path_and_query =
            Some(http::uri::PathAndQuery::try_from(path_and_query).map_err(|e| invalid(e.to_string()))?);
        let uri = http::Uri::from_parts(parts).map_err(|e| invalid(e.to_string()))?;
        // Room for the headers the stack adds (credentials, User-Agent, the route's version, `kbn-xsrf` and a body's
        // `Content-Length` on writes, `Host`), so that the map never grows; without a body, a map small enough for
        // the allocator's fast path (a map for 8 takes twice the room of one for 6).
        let mut headers = HeaderMap::with_capacity(if request.body.is_some() { 8 } else { 6 });
        headers.insert(http::header::ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(content_type) = request.content_type {
            let value = HeaderValue::from_str(content_type).map_err(|e| invalid(e.to_string()))?;
            headers.insert(http::header::CONTENT_TYPE, value);
        }
        let mut http_request = http::Request::new(request.body.unwrap_or_else(|| reqwest::Body::from(Bytes::new())));
        *http_request.method_mut() = request.method.clone();
        *http_request.uri_mut() = uri;
        *http_request.headers_mut() = headers;
        let context = RequestContext::of(request.operation, space.clone());
        http_request.extensions_mut().insert(context.clone());
        if let Some(overrides) = &self.scope.overrides {
            http_request.extensions_mut().insert(RequestOverrides::clone(overrides));
        }
        let method = request.method.clone();
        let response = self.shared.service.clone().oneshot(http_request).await;
        let attempts = context.attempts().max(1);
        let response =
            response.map_err(|e| transport_failure(e, method.clone(), path.clone(), space.clone(), attempts))?;
        let (response, body) = response.into_parts();
        let unreadable = response.extensions.get::<UnreadableBody>().map(|u| u.0.clone());
        let (status, headers) = (response.status, response.headers);
        // The send layer has read an error body already (at most its cap); a success body is read here.
        let body = read_to_bytes(body).await.map_err(|e| {
            transport_failure(
                TransportError::from_body(e),
                method.clone(),
                path.clone(),
                space.clone(),
                attempts,
            )
        })?;
        if !status.is_success() && !request.any_status {
            let mut error = status_error(method, path, space, status, &headers, &body, attempts);
            if let Some(api) = api_error_mut(&mut error) {
                note_unreadable(&mut api.body, unreadable.as_deref());
            }
            return Err(error);
        }
        Ok(RawResponse {
            status,
            headers,
            attempts,
            body: RawBody {
                bytes: body,
                method,
                path,
                space,
            },
        })
    }

    /// JSON in, JSON out, for hand-written routes, without the space check (callers of space-scoped routes check
    /// it first; the space check itself sends through here).
    pub(crate) async fn send_json_unchecked<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        operation: &'static Operation,
        method: Method,
        path_and_query: &str,
        body: Option<&B>,
        space_scoped: bool,
    ) -> Result<(StatusCode, T), Error> {
        let body = body
            .map(|b| serde_json::to_vec(b).map_err(|e| Error::InvalidRequest(format!("cannot encode the body: {e}"))))
            .transpose()?;
        let response = self
            .send_raw(RawRequest {
                operation,
                method,
                path_and_query,
                content_type: body.as_ref().map(|_| "application/json"),
                body: body.map(reqwest::Body::from),
                space_scoped,
                any_status: false,
            })
            .await?;
        let status = response.status;
        Ok((status, response.json()?))
    }
}

/// What a generated call was, for errors met after it returned (while a streamed body is read).
#[derive(Clone, Debug)]
pub(crate) struct CallInfo {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) space: Option<String>,
    /// How many times the request was sent.
    pub(crate) attempts: u32,
}

impl CallInfo {
    /// The error a body that broke off while streamed stands for: [`Error::Connection`] or [`Error::Timeout`],
    /// with the call's method, path, space and real attempt count.
    pub(crate) fn body_failure(&self, error: reqwest::Error) -> Error {
        transport_failure(
            TransportError::from_body(error),
            self.method.clone(),
            self.path.clone(),
            self.space.clone(),
            self.attempts,
        )
    }
}

/// Marks a view whose `with_credentials` value was unusable; never sent (checked before sending).
const INVALID_CREDENTIALS_MARKER: HeaderName = HeaderName::from_static("x-kibana-rs-invalid-credentials");

/// [`PLACEHOLDER_AUTHORITY`], checked once (an `Authority` validates its text when made).
fn placeholder_authority() -> http::uri::Authority {
    static AUTHORITY: std::sync::LazyLock<http::uri::Authority> =
        std::sync::LazyLock::new(|| http::uri::Authority::from_static(PLACEHOLDER_AUTHORITY));
    AUTHORITY.clone()
}

/// A body to its end, in one piece: without a copy when it arrives in one frame (the send layer hands on bodies it
/// read within the attempt as one).
async fn read_to_bytes(mut body: reqwest::Body) -> Result<Bytes, reqwest::Error> {
    use http_body_util::BodyExt;
    let first = match body.frame().await {
        None => return Ok(Bytes::new()),
        Some(frame) => frame?.into_data().unwrap_or_default(),
    };
    if http_body::Body::is_end_stream(&body) {
        return Ok(first);
    }
    let rest = body.collect().await?.to_bytes();
    let mut joined = bytes::BytesMut::with_capacity(first.len() + rest.len());
    joined.extend_from_slice(&first);
    joined.extend_from_slice(&rest);
    Ok(joined.freeze())
}

/// Notes on an error body that the rest of it could not be read.
fn note_unreadable(body: &mut KibanaErrorBody, reason: Option<&str>) {
    let Some(reason) = reason else { return };
    let reason = Clipped(reason, 256);
    if body.message.is_empty() || body.message == EMPTY_BODY {
        body.message = format!("(the error body could not be read: {reason})");
    } else {
        body.message
            .push_str(&format!(" (the rest of the error body could not be read: {reason})"));
    }
}

fn api_error_mut(error: &mut Error) -> Option<&mut ApiError> {
    match error {
        Error::BadRequest(e)
        | Error::Unauthorized(e)
        | Error::Forbidden(e)
        | Error::NotFound(e)
        | Error::Conflict(e)
        | Error::PayloadTooLarge(e)
        | Error::TooManyRequests(e)
        | Error::ServiceUnavailable(e)
        | Error::ServerError(e)
        | Error::OtherStatus(e) => Some(e),
        _ => None,
    }
}

pub(crate) struct RawRequest<'a> {
    /// The route table's entry (its name, template and version travel in the call's context).
    pub(crate) operation: &'static Operation,
    pub(crate) method: Method,
    pub(crate) path_and_query: &'a str,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) body: Option<reqwest::Body>,
    /// Whether the path gets the view's `/s/{space}` prefix (the spaces API itself does not).
    pub(crate) space_scoped: bool,
    /// Hand back error statuses as responses instead of errors.
    pub(crate) any_status: bool,
}

pub(crate) struct RawBody {
    pub(crate) bytes: Bytes,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) space: Option<String>,
}

pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// How many times the request was sent.
    pub(crate) attempts: u32,
    pub(crate) body: RawBody,
}

impl RawResponse {
    /// The error this (non-2xx) response stands for, with the number of times its request was sent.
    pub(crate) fn into_error(self) -> Error {
        let RawBody {
            bytes,
            method,
            path,
            space,
        } = self.body;
        status_error(method, path, space, self.status, &self.headers, &bytes, self.attempts)
    }

    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let RawBody {
            bytes,
            method,
            path,
            space,
        } = self.body;
        let bytes = if bytes.is_empty() {
            Bytes::from_static(b"null")
        } else {
            bytes
        };
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::Decode(Box::new(DecodeFailure {
                method,
                path,
                space,
                status: self.status,
                body_snippet: snippet(&bytes),
                reason: decode_reason(e),
            }))
        })
    }
}

/// The error a non-2xx answer of a hand-written route stands for: Kibana's body (or, for a redirect, a message naming
/// its target) and `Retry-After`.
fn status_error(
    method: Method,
    path: String,
    space: Option<String>,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    attempts: u32,
) -> Error {
    let mut parsed = KibanaErrorBody::parse_bounded(status, body, BodyLength::from_headers(Some(headers)));
    parsed.note_redirect(status, Some(headers));
    Error::from_status(ApiError {
        method,
        path,
        space,
        status,
        body: parsed,
        retry_after: retry::retry_after(headers),
        attempts,
    })
}

pub(crate) fn transport_failure(
    error: TransportError,
    method: Method,
    path: String,
    space: Option<String>,
    attempts: u32,
) -> Error {
    if let TransportError::InvalidRequest(_) = &error {
        return Error::InvalidRequest(error.to_string());
    }
    let variant = match &error {
        TransportError::AnswerTooLarge { .. } => Error::AnswerTooLarge,
        TransportError::ProxyAuthentication { .. } => Error::ProxyAuthentication,
        error if error.is_tls() => Error::Tls,
        error if error.is_timeout() => Error::Timeout,
        _ => Error::Connection,
    };
    variant(Box::new(TransportFailure {
        method,
        path,
        space,
        attempts,
        source: Box::new(error),
    }))
}
