//! The answer's body as the caller reads it when the attempt did not read it whole (a POST's answer, an export
//! stream): bounded by the attempt's timer (the same timer that bounded the wait for the headers, so an attempt
//! registers one timer, not two), capped in size when it is meant to be held in memory, and telling a failing host
//! how the answer ended (a whole answer revives it, a broken one fails it again).

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

use super::hosts::HostPool;
use crate::error::{TimeLimit, TransportError};

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// An attempt's one timer: it ends at the attempt timeout or the call's deadline, whichever comes first.
pub(crate) struct Timer {
    pub(crate) sleep: Pin<Box<Sleep>>,
    pub(crate) limit: TimeLimit,
    pub(crate) after: Duration,
}

impl Timer {
    pub(crate) fn error(&self) -> TransportError {
        TransportError::Timeout {
            limit: self.limit,
            after: self.after,
        }
    }
}

/// A failing host, told how its answer ended.
pub(crate) struct HostReport {
    pub(crate) hosts: Arc<HostPool>,
    pub(crate) index: usize,
}

pub(crate) struct AttemptBody<B> {
    pub(crate) inner: B,
    pub(crate) timer: Option<Timer>,
    /// `(cap, bytes so far)` for an answer meant to be held in memory; `None` for a stream.
    pub(crate) cap: Option<(u64, u64)>,
    pub(crate) host: Option<HostReport>,
}

impl<B> AttemptBody<B> {
    fn report(&mut self, whole: bool) {
        if let Some(HostReport { hosts, index }) = self.host.take() {
            if whole {
                hosts.mark_ok(index);
            } else {
                hosts.mark_failed(index);
            }
        }
    }
}

impl<B> Body for AttemptBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        // The body first: data that has arrived is delivered even if the timer fired meanwhile.
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some((cap, read))) = (frame.data_ref(), self.cap.as_mut()) {
                    *read += data.len() as u64;
                    if *read > *cap {
                        let limit = *cap;
                        self.cap = None;
                        return Poll::Ready(Some(Err(Box::new(TransportError::AnswerTooLarge {
                            limit,
                            declared: None,
                        }))));
                    }
                }
                if self.inner.is_end_stream() {
                    self.report(true);
                }
                return Poll::Ready(Some(Ok(frame)));
            }
            Poll::Ready(Some(Err(error))) => {
                self.report(false);
                return Poll::Ready(Some(Err(error.into())));
            }
            Poll::Ready(None) => {
                self.report(true);
                return Poll::Ready(None);
            }
            Poll::Pending => {}
        }
        if let Some(timer) = self.timer.as_mut()
            && timer.sleep.as_mut().poll(cx).is_ready()
        {
            let error = timer.error();
            self.timer = None;
            if error.time_limit() == Some(TimeLimit::Attempt) {
                self.report(false);
            }
            return Poll::Ready(Some(Err(Box::new(error))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::{BodyExt, StreamBody};

    use super::*;

    fn timer(after: Duration) -> Option<Timer> {
        Some(Timer {
            sleep: Box::pin(tokio::time::sleep(after)),
            limit: TimeLimit::Attempt,
            after,
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_times_out_and_a_complete_one_does_not() {
        let stalled = StreamBody::new(futures::stream::pending::<Result<Frame<Bytes>, std::io::Error>>());
        let body = AttemptBody {
            inner: stalled,
            timer: timer(Duration::from_secs(5)),
            cap: None,
            host: None,
        };
        let error = body.collect().await.expect_err("times out");
        let error = error.downcast_ref::<TransportError>().expect("a TransportError");
        assert_eq!(error.time_limit(), Some(TimeLimit::Attempt));

        let complete = http_body_util::Full::new(Bytes::from_static(b"{}"));
        let body = AttemptBody {
            inner: complete,
            timer: timer(Duration::ZERO),
            cap: None,
            host: None,
        };
        assert_eq!(body.collect().await.unwrap().to_bytes(), Bytes::from_static(b"{}"));
    }

    #[tokio::test]
    async fn a_body_over_its_cap_fails_naming_the_cap() {
        let body = AttemptBody {
            inner: http_body_util::Full::new(Bytes::from(vec![b'x'; 100])),
            timer: None,
            cap: Some((99, 0)),
            host: None,
        };
        let error = body.collect().await.expect_err("too large");
        assert!(error.to_string().contains("max_response_body (99 bytes"), "{error}");
    }
}
