//! The innermost service: picks a host, and sends the request with `reqwest`.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use futures::future::BoxFuture;
use tower::Service;

use super::{
    HttpRequest, HttpResponse, PLACEHOLDER_ORIGIN, RequestContext, RequestTimeout, TransportError, hosts::HostPool,
};

#[derive(Clone, Debug)]
pub(crate) struct SendRequest {
    pub(crate) client: reqwest::Client,
    pub(crate) hosts: Arc<HostPool>,
}

impl Service<HttpRequest> for SendRequest {
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = BoxFuture<'static, Result<HttpResponse, TransportError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let client = self.client.clone();
        let hosts = self.hosts.clone();
        Box::pin(async move {
            if let Some(context) = request.extensions().get::<RequestContext>() {
                context.count_attempt();
            }
            let timeout = request.extensions().get::<RequestTimeout>().map(|t| t.0);
            let host = hosts.pick();
            // `Authorization` is marked sensitive by the headers layer: `Debug` prints it as `Sensitive`.
            tracing::trace!(host = hosts.base(host), headers = ?request.headers(), "sending attempt");
            let mut request = reqwest::Request::try_from(request).map_err(TransportError::Http)?;
            let target = rebase(request.url(), hosts.base(host))?;
            *request.url_mut() = target;
            if timeout.is_some() {
                *request.timeout_mut() = timeout;
            }
            match client.execute(request).await {
                Ok(response) => {
                    hosts.mark_ok(host);
                    Ok(HttpResponse::from(response))
                }
                Err(error) => {
                    if error.is_connect() || error.is_timeout() {
                        hosts.mark_failed(host);
                    }
                    Err(TransportError::Http(error))
                }
            }
        })
    }
}

/// Moves a URL built against [`PLACEHOLDER_ORIGIN`] onto a real host base (which may have a path prefix).
fn rebase(url: &url::Url, base: &str) -> Result<url::Url, TransportError> {
    let full = url.as_str();
    let rest = full.strip_prefix(PLACEHOLDER_ORIGIN).unwrap_or_else(|| {
        // Not built by this client (e.g. a user layer changed it): keep path and query.
        &full[url.origin().ascii_serialization().len()..]
    });
    url::Url::parse(&format!("{base}{rest}"))
        .map_err(|e| TransportError::InvalidRequest(format!("cannot send to {base}{rest}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebase_keeps_path_prefix_and_query() {
        let url = url::Url::parse(&format!("{PLACEHOLDER_ORIGIN}/s/x/api/actions/connectors?a=1")).unwrap();
        let out = rebase(&url, "https://kb.example.com:9243/kibana").unwrap();
        assert_eq!(
            out.as_str(),
            "https://kb.example.com:9243/kibana/s/x/api/actions/connectors?a=1"
        );
    }
}
