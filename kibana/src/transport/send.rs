//! The innermost service: picks a host, and sends the request with `reqwest`.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use futures::future::BoxFuture;
use tower::Service;

use super::{HttpRequest, HttpResponse, RequestContext, RequestTimeout, TransportError, hosts::HostPool};

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
            // Built by hand rather than with `TryFrom`, so that the URL is parsed once, directly on the real host.
            let (parts, body) = request.into_parts();
            let target = rebase(&parts.uri, hosts.base(host))?;
            let mut request = reqwest::Request::new(parts.method, target);
            *request.headers_mut() = parts.headers;
            *request.version_mut() = parts.version;
            *request.body_mut() = Some(body);
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

/// Moves a request built against [`PLACEHOLDER_ORIGIN`](super::PLACEHOLDER_ORIGIN) onto a real host base (which may have a path prefix): the
/// path and query are kept, whatever origin the request had.
fn rebase(uri: &http::Uri, base: &str) -> Result<url::Url, TransportError> {
    let rest = uri.path_and_query().map_or("/", http::uri::PathAndQuery::as_str);
    let mut target = String::with_capacity(base.len() + rest.len());
    target.push_str(base);
    target.push_str(rest);
    url::Url::parse(&target).map_err(|e| TransportError::InvalidRequest(format!("cannot send to {target}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::{super::PLACEHOLDER_ORIGIN, *};

    #[test]
    fn rebase_keeps_path_prefix_and_query() {
        let uri: http::Uri = format!("{PLACEHOLDER_ORIGIN}/s/x/api/actions/connectors?a=1")
            .parse()
            .unwrap();
        let out = rebase(&uri, "https://kb.example.com:9243/kibana").unwrap();
        assert_eq!(
            out.as_str(),
            "https://kb.example.com:9243/kibana/s/x/api/actions/connectors?a=1"
        );
    }
}
