//! [`StatusApi`]: the status API, blocking.

use std::{sync::Arc, time::Duration};

use super::runtime::Runtime;
use crate::{CompatibilityReport, Error, Status};

/// The status API, blocking: [`kibana::StatusApi`](crate::StatusApi)'s methods, with the same names and arguments.
///
/// ```no_run
/// use std::time::Duration;
///
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
/// // E.g. in a CI job right after starting Kibana.
/// let status = client.status().wait_until_available(Duration::from_secs(120))?;
/// println!("{:?}", status.version.map(|v| v.number));
/// println!("{:?}", client.status().compatibility()?.compatibility);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct StatusApi {
    inner: crate::StatusApi,
    runtime: Arc<Runtime>,
}

impl StatusApi {
    pub(crate) fn new(inner: crate::StatusApi, runtime: Arc<Runtime>) -> Self {
        Self { inner, runtime }
    }

    /// See [`StatusApi::get`](crate::StatusApi::get).
    pub fn get(&self) -> Result<Status, Error> {
        self.runtime.block_on(self.inner.get())
    }

    /// Polls the status until Kibana says it is available, or `timeout` passes, sleeping on the client's runtime
    /// between polls: see [`StatusApi::wait_until_available`](crate::StatusApi::wait_until_available).
    pub fn wait_until_available(&self, timeout: Duration) -> Result<Status, Error> {
        self.runtime.block_on(self.inner.wait_until_available(timeout))
    }

    /// See [`StatusApi::compatibility`](crate::StatusApi::compatibility).
    pub fn compatibility(&self) -> Result<CompatibilityReport, Error> {
        self.runtime.block_on(self.inner.compatibility())
    }
}
