//! The runtime a blocking client owns: one small tokio runtime per built client, shared by its clones, views, API
//! handles and iterators, and shut down when the last of them is dropped.

use std::{fmt, future::Future, time::Duration};

use crate::{ConfigError, Error};

/// How long dropping the last handle waits for the runtime's threads to stop (a DNS lookup on the blocking pool can
/// take longer; it is then left to finish on its own).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// The runtime behind a blocking client.
///
/// A multi-thread runtime with one worker: the worker keeps the pooled connections' tasks running between calls
/// (hyper's connection tasks, HTTP/2 pings, closed connections noticed), while each call's future runs on the
/// calling thread in [`block_on`](Self::block_on), so that calls from several threads at once run in parallel.
pub(crate) struct Runtime {
    /// `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
}

impl Runtime {
    pub(crate) fn new() -> Result<Self, ConfigError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("kibana-blocking")
            .enable_all()
            .build()
            .map_err(|error| ConfigError::BlockingRuntime(error.to_string()))?;
        Ok(Self { runtime: Some(runtime) })
    }

    fn tokio(&self) -> &tokio::runtime::Runtime {
        self.runtime.as_ref().expect("the runtime is only taken by drop")
    }

    /// Enters the runtime's context, so that what is built meanwhile (the client's stack) finds this runtime.
    pub(crate) fn enter(&self) -> tokio::runtime::EnterGuard<'_> {
        self.tokio().enter()
    }

    /// Runs `future` to completion on the calling thread, or refuses at once, without polling it (so without
    /// sending anything), when the thread is inside an async runtime ([`refuse_inside_async`]).
    pub(crate) fn block_on<T>(&self, future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        refuse_inside_async()?;
        self.tokio().block_on(future)
    }
}

/// `Err(BlockingInAsyncRuntime)` when the current thread is inside a tokio runtime.
///
/// Blocking there would stall that runtime's worker (or deadlock a current-thread runtime), and tokio itself panics
/// when `block_on` is nested. tokio has no public way to tell its async workers from the threads where blocking is
/// allowed (`spawn_blocking`, a thread inside `Runtime::enter`), so every thread with a runtime context is refused:
/// a clear error in place of a panic or a stalled runtime.
pub(crate) fn refuse_inside_async() -> Result<(), Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config(ConfigError::BlockingInAsyncRuntime));
    }
    Ok(())
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime").finish_non_exhaustive()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        let Some(runtime) = self.runtime.take() else {
            return;
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            // Dropped inside an async runtime: waiting would block it (tokio panics if asked to), so the threads
            // are told to stop and left to do it on their own.
            runtime.shutdown_background();
        } else {
            // Stops the worker: the pooled connections' tasks are dropped, which closes their sockets.
            runtime.shutdown_timeout(SHUTDOWN_GRACE);
        }
    }
}
