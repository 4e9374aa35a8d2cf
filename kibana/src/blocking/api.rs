//! [`Api`]: every generated operation, blocking.

use std::{future::IntoFuture, sync::Arc};

use super::runtime::Runtime;
use crate::Error;

/// Every generated operation of the pinned Kibana document, blocking: [`call`](Self::call) runs any operation of the
/// async [`kibana::Api`](crate::Api) (the same methods, arguments and types, through the same stack and in the
/// view's space) and waits for its answer.
///
/// ```no_run
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
/// // GET /s/ops/api/data_views
/// let views = client.space("ops").api().call(|api| api.get_data_views())?.into_inner();
/// // GET /api/alerting/_health, with the answer's status and headers
/// let health = client.api().call(|api| api.get_alerting_health())?;
/// println!("{:?}", health.status());
/// # drop(views); Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Api {
    api: crate::Api,
    runtime: Arc<Runtime>,
}

impl Api {
    pub(crate) fn new(api: crate::Api, runtime: Arc<Runtime>) -> Self {
        Self { api, runtime }
    }

    /// Runs one generated operation and blocks until its answer is there: `operation` gets the async
    /// [`kibana::Api`](crate::Api) and returns the call, which is then awaited on the client's runtime. Anything
    /// that turns into a future of `Result<T, kibana::Error>` will do: a generated method's future, or (as the
    /// generated methods become builders with named optional parameters) the builder itself.
    ///
    /// Called from inside an async runtime, it returns
    /// [`ConfigError::BlockingInAsyncRuntime`](crate::ConfigError::BlockingInAsyncRuntime) without calling
    /// `operation`.
    ///
    /// ```no_run
    /// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
    /// let api = client.api();
    /// let connectors = api.call(|api| api.get_actions_connectors())?.into_inner();
    /// println!("{} connectors", connectors.len());
    /// # Ok(()) }
    /// ```
    pub fn call<'a, Op, Call, T>(&'a self, operation: Op) -> Result<T, Error>
    where
        Op: FnOnce(&'a crate::Api) -> Call,
        Call: IntoFuture<Output = Result<T, Error>>,
    {
        super::runtime::refuse_inside_async()?;
        // Built inside the runtime's context: a call that sets up a timer or a task as it is built finds it.
        let call = {
            let _inside = self.runtime.enter();
            operation(&self.api).into_future()
        };
        self.runtime.block_on(call)
    }
}
