//! [`Iter`]: a lazy blocking iterator over what the async API streams.

use std::{fmt, pin::Pin, sync::Arc};

use futures::{Stream, StreamExt};

use super::runtime::Runtime;
use crate::Error;

/// What an [`Iter`] reads: the async API's stream, boxed (each typed API's stream has its own unnameable type).
type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// A lazy iterator over the items of an async stream (a paged find, an export): each [`next`](Iterator::next)
/// blocks until the next item is there, fetching the next page or reading more of the answer only then.
///
/// Like the stream it wraps, it ends after an error. Called from inside an async runtime, `next` yields one
/// [`ConfigError::BlockingInAsyncRuntime`](crate::ConfigError::BlockingInAsyncRuntime) error and the iterator ends
/// (nothing was read). It keeps the client's runtime alive: it may outlive the client it came from.
///
/// ```no_run
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
/// use kibana::saved_objects::FindOptions;
///
/// for dashboard in client.saved_objects().find_all::<serde_json::Value>(FindOptions::new(["dashboard"])) {
///     println!("{}", dashboard?.id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "an iterator does nothing until it is read"]
pub struct Iter<T> {
    stream: Option<ItemStream<T>>,
    runtime: Arc<Runtime>,
}

impl<T> Iter<T> {
    pub(crate) fn new(stream: impl Stream<Item = Result<T, Error>> + Send + 'static, runtime: Arc<Runtime>) -> Self {
        Self {
            stream: Some(Box::pin(stream)),
            runtime,
        }
    }
}

impl<T> Iterator for Iter<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.stream.as_mut()?;
        match self.runtime.block_on(async { Ok(stream.next().await) }) {
            Ok(Some(item)) => Some(item),
            // A stream may misbehave when polled after its end: it is not polled again.
            Ok(None) => {
                self.stream = None;
                None
            }
            Err(refused) => {
                // Refused before reading: end here, so that a loop that skips errors cannot spin on this one.
                self.stream = None;
                Some(Err(refused))
            }
        }
    }
}

impl<T> std::iter::FusedIterator for Iter<T> {}

impl<T> fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("ended", &self.stream.is_none())
            .finish_non_exhaustive()
    }
}
