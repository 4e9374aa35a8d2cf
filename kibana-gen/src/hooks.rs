//! progenitor's extension seam (`ClientHooks`), the only hand-written code in this crate.
//!
//! Every generated method builds a `reqwest::Request` and hands it to [`ClientHooks::exec`]. Implementing `exec`
//! for the generated [`Client`](crate::Client) lets a [`Transport`] (the `kibana` crate's tower stack) send it
//! instead of the bare `reqwest::Client`: authentication, retries, rate limiting and tracing are then written once
//! for every operation.

use std::{fmt, future::Future, pin::Pin, sync::Arc};

use progenitor_client::{ClientHooks, OperationInfo};

use crate::Client;

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

/// Sends the requests of the generated client.
///
/// ```
/// use kibana_gen::{Transport, hooks::TransportFuture};
///
/// struct Direct(reqwest::Client);
///
/// impl Transport for Direct {
///     fn execute(&self, request: reqwest::Request, _operation_id: &'static str) -> TransportFuture<'_> {
///         Box::pin(self.0.execute(request))
///     }
/// }
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` for the operation named `operation_id` (progenitor's snake_case name).
    fn execute(&self, request: reqwest::Request, operation_id: &'static str) -> TransportFuture<'_>;
}

/// The generated client's extra state: the transport its requests go through (the plain `reqwest::Client` when
/// none is set).
#[derive(Clone, Default)]
pub struct Inner {
    transport: Option<Arc<dyn Transport>>,
}

impl Inner {
    /// Routes every request of the client through `transport`.
    pub fn with_transport(transport: Arc<dyn Transport>) -> Self {
        Self {
            transport: Some(transport),
        }
    }
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner")
            .field("custom_transport", &self.transport.is_some())
            .finish()
    }
}

impl ClientHooks<Inner> for Client {
    /// A raw body goes out with the media type the document gives it (progenitor can only say
    /// `application/octet-stream`): the Fleet package upload is `application/gzip`. A caller can still send another
    /// (`application/zip`) by setting the header in its own transport. Every request carries the
    /// `elastic-api-version` its route declares, when it declares one.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let operation = crate::spec::operation(info.operation_id);
        if let Some(crate::spec::Operation {
            request_body: crate::spec::RequestBody::Raw { content_type },
            ..
        }) = operation
            && let Ok(value) = reqwest::header::HeaderValue::from_str(content_type)
        {
            request.headers_mut().insert(reqwest::header::CONTENT_TYPE, value);
        }
        // Each route's own API version (Kibana refuses a version the route does not have with a 400).
        if let Some(version) = operation.and_then(|op| op.api_version) {
            request.headers_mut().insert(
                reqwest::header::HeaderName::from_static("elastic-api-version"),
                reqwest::header::HeaderValue::from_static(version),
            );
        }
        Ok(())
    }

    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        match &self.inner.transport {
            Some(transport) => transport.execute(request, info.operation_id).await,
            None => self.client.execute(request).await,
        }
    }
}
