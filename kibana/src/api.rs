//! Every generated operation, through the client's stack: [`Kibana::api`].

use std::future::Future;

use kibana_gen::{ResponseValue, api::Executor, types::KibanaError};

use crate::{Error, Kibana};

/// Every operation of the pinned Kibana document, with the generated client's arguments and types, sent through
/// this client's stack (authentication, `kbn-xsrf`, retries, rate limit, tracing) in the view's space (checked to
/// exist, like every other API) and failing with [`Error`].
///
/// The methods are named after their routes (`GET /api/fleet/agent_policies` is `get_fleet_agent_policies`) and
/// grouped by API area, each behind a cargo feature of this crate (`fleet`, `cases`, `slo`... or `full`); the
/// areas the typed APIs use (connectors, alerting, saved objects, spaces, system, data views) are always there.
/// `kibana_gen::spec::routes` lists every operation with its route and Kibana's operationId.
///
/// ```no_run
/// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
/// // GET /s/ops/api/data_views
/// let views = client.space("ops").api().get_data_views().await?.into_inner();
/// // GET /api/status
/// let status = client.api().get_status().await?;
/// println!("{:?}", status.status());
/// # drop(views); Ok(()) }
/// ```
pub type Api = kibana_gen::api::Api<StackExecutor>;

/// Runs the calls of an [`Api`] through a [`Kibana`] view. Built by [`Kibana::api`].
#[derive(Clone, Debug)]
pub struct StackExecutor {
    client: Kibana,
}

impl Executor for StackExecutor {
    type Error = Error;

    fn execute<'a, T, Fut>(
        &'a self,
        call: impl FnOnce(kibana_gen::Client) -> Fut + Send + 'a,
    ) -> impl Future<Output = Result<ResponseValue<T>, Error>> + Send + 'a
    where
        T: Send + 'a,
        Fut: Future<Output = Result<ResponseValue<T>, kibana_gen::Error<KibanaError>>> + Send + 'a,
    {
        self.client.generated(call)
    }
}

impl Kibana {
    /// Every generated operation, through this view's stack and in its space: see [`Api`].
    pub fn api(&self) -> Api {
        Api::new(StackExecutor { client: self.clone() })
    }
}
