//! A token bucket (governor's GCRA) shared by every clone and every space-scoped view of a client: requests beyond
//! the rate wait for their turn, they never fail, unless the call's deadline passes while they wait.

use std::{
    num::NonZeroU32,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use futures::future::BoxFuture;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tower::{Layer, Service};

use super::{HttpRequest, RequestContext};
use crate::error::{ConfigError, TimeLimit, TransportError};

/// The shared limiter.
pub(crate) type SharedLimiter = Arc<DefaultDirectRateLimiter>;

/// A limiter for `per_second` requests per second (fractions allowed), with a burst of one so that requests are
/// spread evenly.
pub(crate) fn limiter(per_second: f64) -> Result<SharedLimiter, ConfigError> {
    if !per_second.is_finite() || per_second <= 0.0 {
        return Err(ConfigError::OutOfRange {
            setting: "max_requests_per_second",
            reason: format!("must be a positive number, got {per_second}"),
        });
    }
    let period = Duration::from_secs_f64(1.0 / per_second);
    let quota = Quota::with_period(period)
        .ok_or_else(|| ConfigError::OutOfRange {
            setting: "max_requests_per_second",
            reason: format!("{per_second} is too high"),
        })?
        .allow_burst(NonZeroU32::MIN);
    Ok(Arc::new(RateLimiter::direct(quota)))
}

#[derive(Clone)]
pub(crate) struct RateLimitLayer {
    pub(crate) limiter: SharedLimiter,
}

impl<S> Layer<S> for RateLimitLayer {
    type Service = RateLimited<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RateLimited {
            inner,
            limiter: self.limiter.clone(),
        }
    }
}

#[derive(Clone)]
pub(crate) struct RateLimited<S> {
    inner: S,
    limiter: SharedLimiter,
}

impl<S> Service<HttpRequest> for RateLimited<S>
where
    S: Service<HttpRequest, Error = TransportError> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = S::Response;
    type Error = TransportError;
    type Future = BoxFuture<'static, Result<S::Response, TransportError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        // The service that was polled ready is the one that must be called; a fresh clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let limiter = self.limiter.clone();
        let deadlines = request
            .extensions()
            .get::<RequestContext>()
            .and_then(RequestContext::deadlines)
            .copied();
        Box::pin(async move {
            if limiter.check().is_err() {
                match deadlines {
                    Some(deadlines) => {
                        if tokio::time::timeout_at(deadlines.call, limiter.until_ready())
                            .await
                            .is_err()
                        {
                            return Err(TransportError::Timeout {
                                limit: TimeLimit::Call,
                                after: deadlines.call_timeout,
                            });
                        }
                    }
                    None => limiter.until_ready().await,
                }
            }
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_positive_rates_are_refused() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(limiter(rate).is_err(), "{rate}");
        }
        assert!(limiter(0.5).is_ok());
    }
}
