//! One `tracing` span per logical request (all its attempts): method, operation, path, space, status, attempts,
//! duration. (Each attempt's headers are logged at TRACE by the send layer, through `http`'s `Debug`, which prints
//! sensitive values such as the `Authorization` header as `Sensitive`.)

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
    time::Instant,
};

use futures::future::BoxFuture;
use tower::{Layer, Service};
use tracing::{Instrument, field::Empty};

use super::{HttpRequest, HttpResponse, RequestContext, TransportError};

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TraceLayer;

impl<S> Layer<S> for TraceLayer {
    type Service = Traced<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Traced { inner }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Traced<S> {
    inner: S,
}

/// The call, traced when a subscriber listens for its span (boxed then), as it is otherwise.
pub(crate) enum TracedFuture<F> {
    Quiet(F),
    Traced(BoxFuture<'static, Result<HttpResponse, TransportError>>),
}

impl<F> Future for TracedFuture<F>
where
    F: Future<Output = Result<HttpResponse, TransportError>> + Unpin,
{
    type Output = Result<HttpResponse, TransportError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Self::Quiet(future) => Pin::new(future).poll(cx),
            Self::Traced(future) => future.as_mut().poll(cx),
        }
    }
}

impl<S> Service<HttpRequest> for Traced<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = TransportError> + Clone + Send + 'static,
    S::Future: Send + Unpin,
{
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = TracedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let context = request.extensions().get::<RequestContext>();
        let (operation, path_template, space) = match context {
            Some(c) => (c.operation, c.path_template, c.space.as_deref().unwrap_or("default")),
            None => ("unknown", "", "default"),
        };
        let span = tracing::info_span!(
            "kibana.request",
            method = %request.method(),
            operation,
            path_template,
            path = request.uri().path(),
            space,
            status = Empty,
            attempts = Empty,
            duration_ms = Empty,
            error = Empty,
        );
        if span.is_disabled() {
            // Nobody listens: no clock reads, no span to enter at every poll, no box, and the inner service (the
            // one polled ready) is called as it is, not moved into a future.
            return TracedFuture::Quiet(self.inner.call(request));
        }
        let attempts = context.map(RequestContext::attempt_counter);
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let started = Instant::now();
        let recorder = span.clone();
        TracedFuture::Traced(Box::pin(
            async move {
                let result = inner.call(request).await;
                let span = recorder;
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                if let Some(attempts) = &attempts {
                    span.record("attempts", attempts.get());
                }
                match &result {
                    Ok(response) => {
                        span.record("status", response.status().as_u16());
                    }
                    Err(error) => {
                        span.record("error", tracing::field::display(error));
                    }
                }
                result
            }
            .instrument(span),
        ))
    }
}
