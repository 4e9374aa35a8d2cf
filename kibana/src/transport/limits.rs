//! The two time limits of a call, as aws-sdk-rust has them: the attempt timeout (one attempt, from sending to the
//! last byte of the answer) and the call timeout (the whole call: every attempt, every backoff or `Retry-After` wait,
//! the rate limiter's wait). Set once when the call enters the stack; the send layer gives each attempt one timer
//! that ends at whichever limit comes first, the retry layer does not start a wait that would end past the call's
//! deadline, and the rate limiter waits no longer than it.

use std::time::Duration;

use tokio::time::Instant;

use super::{HttpRequest, RequestContext, RequestOverrides};
use crate::error::TimeLimit;

/// The call timeout when none is set: long enough for the default attempt timeout (30 s) to be met twice with the
/// backoff between, short enough that a call never hangs for minutes.
pub(crate) const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(90);

/// The client's limits, from the builder.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TimeLimits {
    /// The attempt timeout.
    pub(crate) attempt: Option<Duration>,
    /// The call timeout, when set explicitly; otherwise [`DEFAULT_CALL_TIMEOUT`], or the attempt timeout when that
    /// is longer (a single attempt always gets its full time).
    pub(crate) call: Option<Duration>,
}

/// One call's limits, in its [`RequestContext`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadlines {
    /// The attempt timeout.
    pub(crate) attempt: Option<Duration>,
    /// When the call must be over.
    pub(crate) call: Instant,
    /// The call timeout (for the error that says it ran out).
    pub(crate) call_timeout: Duration,
}

impl TimeLimits {
    /// The effective limits for a view's overrides: a per-call attempt timeout longer than the default call timeout
    /// raises it (unless a call timeout was set explicitly).
    pub(crate) fn resolve(&self, overrides: Option<&RequestOverrides>) -> (Option<Duration>, Duration) {
        let attempt = overrides.and_then(|o| o.timeout).or(self.attempt);
        let call = overrides
            .and_then(|o| o.call_timeout)
            .or(self.call)
            .unwrap_or_else(|| DEFAULT_CALL_TIMEOUT.max(attempt.unwrap_or_default()));
        (attempt, call)
    }

    /// Sets the call's deadlines in its [`RequestContext`] (a request that comes without one, from a layer of the
    /// user's, gets one).
    pub(crate) fn apply(&self, request: &mut HttpRequest) {
        let (attempt, call_timeout) = self.resolve(request.extensions().get::<RequestOverrides>());
        let deadlines = Deadlines {
            attempt,
            call: Instant::now() + call_timeout,
            call_timeout,
        };
        match request.extensions().get::<RequestContext>() {
            // Set once: a request sent again through the whole stack (by a layer of the user's) keeps its first.
            Some(context) => {
                let _ = context.state.deadlines.set(deadlines);
            }
            None => {
                let context = RequestContext::new("unknown", "", None);
                let _ = context.state.deadlines.set(deadlines);
                request.extensions_mut().insert(context);
            }
        }
    }
}

impl Deadlines {
    /// When an attempt starting `now` must end, and which limit that is.
    pub(crate) fn attempt_end(&self, now: Instant) -> (Instant, TimeLimit, Duration) {
        match self.attempt {
            Some(attempt) if now + attempt < self.call => (now + attempt, TimeLimit::Attempt, attempt),
            _ => (self.call, TimeLimit::Call, self.call_timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_timeout_defaults_to_90_s_or_the_attempt_timeout() {
        let limits = TimeLimits {
            attempt: Some(Duration::from_secs(30)),
            call: None,
        };
        assert_eq!(
            limits.resolve(None),
            (Some(Duration::from_secs(30)), DEFAULT_CALL_TIMEOUT)
        );
        let long = RequestOverrides {
            timeout: Some(Duration::from_secs(600)),
            ..Default::default()
        };
        assert_eq!(limits.resolve(Some(&long)).1, Duration::from_secs(600));
        let explicit = TimeLimits {
            call: Some(Duration::from_secs(5)),
            ..limits
        };
        assert_eq!(explicit.resolve(Some(&long)).1, Duration::from_secs(5));
        let per_call = RequestOverrides {
            call_timeout: Some(Duration::from_secs(7)),
            ..Default::default()
        };
        assert_eq!(explicit.resolve(Some(&per_call)).1, Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn an_attempt_ends_at_the_first_limit() {
        let now = Instant::now();
        let deadlines = Deadlines {
            attempt: Some(Duration::from_secs(30)),
            call: now + Duration::from_secs(40),
            call_timeout: Duration::from_secs(40),
        };
        assert_eq!(
            deadlines.attempt_end(now),
            (
                now + Duration::from_secs(30),
                TimeLimit::Attempt,
                Duration::from_secs(30)
            )
        );
        let later = now + Duration::from_secs(20);
        assert_eq!(
            deadlines.attempt_end(later),
            (now + Duration::from_secs(40), TimeLimit::Call, Duration::from_secs(40))
        );
    }
}
