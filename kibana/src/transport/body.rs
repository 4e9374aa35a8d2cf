//! The request timeout's second half: a response body that fails once the attempt's deadline passes, so that a
//! server sending headers and then stalling cannot hold a call forever. The same timer that bounded the wait for the
//! headers is moved into the body, so an attempt registers one timer, not two.

use std::{
    future::Future,
    io,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The error a body read fails with when the deadline passes: an `io::Error` of kind `TimedOut`, which
/// `reqwest::Error::is_timeout` and our error mapping recognise through the source chain.
pub(crate) fn body_timed_out(timeout: Duration) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!("the answer's body did not arrive within the request timeout ({timeout:?})"),
    )
}

pub(crate) struct DeadlineBody<B> {
    pub(crate) inner: B,
    pub(crate) deadline: Pin<Box<Sleep>>,
    pub(crate) timeout: Duration,
}

impl<B> Body for DeadlineBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        // The body first: data that has arrived is delivered even if the timer fired meanwhile.
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|result| result.map_err(Into::into)));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(body_timed_out(self.timeout)))));
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

    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_times_out_and_a_complete_one_does_not() {
        let stalled = StreamBody::new(futures::stream::pending::<Result<Frame<Bytes>, io::Error>>());
        let timeout = Duration::from_secs(5);
        let body = DeadlineBody {
            inner: stalled,
            deadline: Box::pin(tokio::time::sleep(timeout)),
            timeout,
        };
        let error = body.collect().await.expect_err("times out");
        let io = error.downcast_ref::<io::Error>().expect("an io::Error");
        assert_eq!(io.kind(), io::ErrorKind::TimedOut);

        let complete = http_body_util::Full::new(Bytes::from_static(b"{}"));
        let body = DeadlineBody {
            inner: complete,
            deadline: Box::pin(tokio::time::sleep(Duration::ZERO)),
            timeout: Duration::ZERO,
        };
        assert_eq!(body.collect().await.unwrap().to_bytes(), Bytes::from_static(b"{}"));
    }
}
