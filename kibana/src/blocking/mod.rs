//! A blocking client, for scripts, build tools and CLIs that have no async runtime (the `blocking` feature), like
//! `reqwest::blocking`.
//!
//! [`Kibana`] is the async [`kibana::Kibana`](crate::Kibana) with every call made blocking: the same builder and
//! options, the same typed APIs with the same names and arguments ([`connectors`](Kibana::connectors),
//! [`rules`](Kibana::rules), [`saved_objects`](Kibana::saved_objects), [`spaces`](Kibana::spaces),
//! [`data_views`](Kibana::data_views), [`status`](Kibana::status)), the same space scoping, the same stack
//! (authentication, `kbn-xsrf`, retries, rate limit, tracing) and the same [`Error`]. Where the async
//! API returns a `Stream` (`find_all`, `export`), the blocking one returns a lazy [`Iter`]. Every generated
//! operation runs through [`Api::call`].
//!
//! ```no_run
//! use kibana::{blocking::Kibana, connectors::types::{Webhook, WebhookConfig, WebhookParams, WebhookSecrets}};
//!
//! # fn demo() -> Result<(), kibana::Error> {
//! let client = Kibana::builder().url("http://localhost:5601").api_key("...").build()?;
//! let ops = client.space("ops");
//! let hook = ops
//!     .connectors()
//!     .create::<Webhook>("deploy hook", &WebhookConfig::new("https://example.com/hook"), &WebhookSecrets::none())?;
//! ops.connectors().execute::<Webhook>(&hook.id, &WebhookParams::new("{}"))?.into_result()?;
//! // Any generated operation: GET /s/ops/api/data_views
//! let views = ops.api().call(|api| api.get_data_views())?.into_inner();
//! # drop(views); Ok(()) }
//! ```
//!
//! # The runtime
//!
//! [`build`](KibanaBuilder::build) starts a small tokio runtime (one worker thread, `kibana-blocking`) that the
//! client owns; clones, space views, API handles and iterators share it, and it stops when the last of them is
//! dropped, closing the pooled connections. Each call runs on the calling thread until its answer is there, so a
//! client used from several threads at once makes its calls in parallel, over one connection pool.
//!
//! # Not inside an async runtime
//!
//! Calling a blocking client from inside an async runtime (a `#[tokio::main]` function, a task, a `spawn_blocking`
//! closure) does not block, panic or deadlock: the call returns at once, nothing sent, with
//! [`ConfigError::BlockingInAsyncRuntime`](crate::ConfigError::BlockingInAsyncRuntime) (as an
//! [`Error::Config`]). Blocking an async worker stalls every task on it, and on a
//! single-threaded runtime it deadlocks: the answer it waits for needs the very thread it blocks (tokio itself
//! panics on a nested `block_on`, and so does reqwest's blocking client). tokio has no way to tell its async workers
//! from the threads where blocking is allowed, so `spawn_blocking` threads are refused too. In async code, use the
//! async [`kibana::Kibana`](crate::Kibana): the same API, with `.await`. A blocking client may be *built* anywhere,
//! and dropped anywhere (inside a runtime its threads are told to stop without waiting for them).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let client = kibana::blocking::Kibana::builder().url("http://localhost:5601").build().unwrap();
//! // Inside an async runtime: refused, not blocked.
//! let refused = client.status().get().unwrap_err();
//! assert!(matches!(refused, kibana::Error::Config(kibana::ConfigError::BlockingInAsyncRuntime)));
//! // Dropping it here is fine.
//! drop(client);
//! # }
//! ```

mod api;
mod builder;
mod connectors;
mod data_views;
mod iter;
mod rules;
mod runtime;
mod saved_objects;
mod spaces;
mod status;

use std::{fmt, sync::Arc, time::Duration};

use http::{HeaderName, HeaderValue};
use url::Url;

pub use api::Api;
pub use builder::KibanaBuilder;
pub use connectors::Connectors;
pub use data_views::DataViews;
pub use iter::Iter;
pub use rules::Rules;
use runtime::Runtime;
pub use saved_objects::SavedObjects;
pub use spaces::Spaces;
pub use status::StatusApi;

#[cfg(feature = "config")]
use crate::config::{ApplyOptions, ApplyReport, DeclaredState, Plan, PlanError, PlanOptions, PullScope};
use crate::{Credentials, Error};

/// A blocking Kibana client: [`kibana::Kibana`](crate::Kibana) with every call made blocking (see the
/// [module docs](self)).
///
/// Build one with [`Kibana::builder`]; clone it freely (a clone shares the connection pool, the rate limiter, the
/// space cache and the runtime). Views ([`space`](Self::space), `with_*`) and API handles are as cheap.
///
/// ```no_run
/// # fn demo() -> Result<(), kibana::Error> {
/// let client = kibana::blocking::Kibana::builder().url("http://localhost:5601").api_key("...").build()?;
/// let marketing = client.space("marketing");
/// for connector in marketing.connectors().list()? {
///     println!("{} ({})", connector.name, connector.connector_type_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Kibana {
    inner: crate::Kibana,
    runtime: Arc<Runtime>,
}

impl fmt::Debug for Kibana {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Kibana").field(&self.inner).finish()
    }
}

impl Kibana {
    /// A builder: [`kibana::Kibana::builder`](crate::Kibana::builder)'s options, building a blocking client.
    ///
    /// ```
    /// let client = kibana::blocking::Kibana::builder().url("http://localhost:5601").build().unwrap();
    /// assert_eq!(client.hosts()[0].as_str(), "http://localhost:5601/");
    /// ```
    pub fn builder() -> KibanaBuilder {
        KibanaBuilder::default()
    }

    pub(crate) fn from_parts(inner: crate::Kibana, runtime: Arc<Runtime>) -> Self {
        Self { inner, runtime }
    }

    /// The same client in another view (a space, other credentials...), sharing the runtime.
    fn view(&self, inner: crate::Kibana) -> Self {
        Self {
            inner,
            runtime: self.runtime.clone(),
        }
    }

    /// The hosts requests go to.
    pub fn hosts(&self) -> &[Url] {
        self.inner.hosts()
    }

    /// A view scoped to `space_id`: see [`kibana::Kibana::space`](crate::Kibana::space). An invalid id is reported
    /// by the first call, before anything is sent.
    ///
    /// ```
    /// let client = kibana::blocking::Kibana::builder().url("http://localhost:5601").build().unwrap();
    /// assert_eq!(client.space("marketing").space_id(), Some("marketing"));
    /// assert_eq!(client.space("default").space_id(), None);
    /// ```
    pub fn space(&self, space_id: impl Into<String>) -> Kibana {
        self.view(self.inner.space(space_id))
    }

    /// Like [`space`](Self::space), but checks the id now.
    pub fn try_space(&self, space_id: impl Into<String>) -> Result<Kibana, Error> {
        Ok(self.view(self.inner.try_space(space_id)?))
    }

    /// A view in the default space (no `/s/` prefix).
    pub fn default_space(&self) -> Kibana {
        self.view(self.inner.default_space())
    }

    /// The space this view is scoped to (`None`: the default space).
    pub fn space_id(&self) -> Option<&str> {
        self.inner.space_id()
    }

    /// Turns the existence check of this view's space on or off (overrides the builder's setting).
    pub fn validate_space(&self, validate: bool) -> Kibana {
        self.view(self.inner.validate_space(validate))
    }

    /// A view that sends other credentials: see [`kibana::Kibana::with_credentials`](crate::Kibana::with_credentials).
    pub fn with_credentials(&self, credentials: Credentials) -> Kibana {
        self.view(self.inner.with_credentials(credentials))
    }

    /// A view that adds (or replaces) a header on every request.
    pub fn with_header(&self, name: HeaderName, value: HeaderValue) -> Kibana {
        self.view(self.inner.with_header(name, value))
    }

    /// A view with another per-attempt timeout.
    pub fn with_timeout(&self, timeout: Duration) -> Kibana {
        self.view(self.inner.with_timeout(timeout))
    }

    /// A view with another call timeout: see [`kibana::Kibana::with_call_timeout`](crate::Kibana::with_call_timeout).
    pub fn with_call_timeout(&self, timeout: Duration) -> Kibana {
        self.view(self.inner.with_call_timeout(timeout))
    }

    /// The connectors API, in this view's space.
    pub fn connectors(&self) -> Connectors {
        Connectors::new(self.inner.connectors(), self.runtime.clone())
    }

    /// The rules API, in this view's space.
    pub fn rules(&self) -> Rules {
        Rules::new(self.inner.rules(), self.runtime.clone())
    }

    /// The saved-objects API, in this view's space.
    pub fn saved_objects(&self) -> SavedObjects {
        SavedObjects::new(self.inner.saved_objects(), self.runtime.clone())
    }

    /// The spaces API (spaces are global; copying and sharing work from this view's space).
    pub fn spaces(&self) -> Spaces {
        Spaces::new(self.inner.spaces(), self.runtime.clone())
    }

    /// The data views API, in this view's space.
    pub fn data_views(&self) -> DataViews {
        DataViews::new(self.inner.data_views(), self.runtime.clone())
    }

    /// The status API.
    pub fn status(&self) -> StatusApi {
        StatusApi::new(self.inner.status(), self.runtime.clone())
    }

    /// Every generated operation, through this view's stack and in its space: see [`Api`].
    pub fn api(&self) -> Api {
        Api::new(self.inner.api(), self.runtime.clone())
    }

    /// Kibana as code: what applying `state` would change; see [`kibana::Kibana::plan`](crate::Kibana::plan).
    ///
    /// ```no_run
    /// # fn demo(client: kibana::blocking::Kibana) -> Result<(), Box<dyn std::error::Error>> {
    /// let state = kibana::config::DeclaredState::from_path("kibana-state.toml")?;
    /// let plan = client.plan(&state)?;
    /// println!("{plan}");
    /// let report = client.apply(&plan)?;
    /// assert!(report.is_success());
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "config")]
    pub fn plan(&self, state: &DeclaredState) -> Result<Plan, PlanError> {
        self.runtime.block_on(async { Ok(self.inner.plan(state).await) })?
    }

    /// See [`kibana::Kibana::plan_with`](crate::Kibana::plan_with).
    #[cfg(feature = "config")]
    pub fn plan_with(&self, state: &DeclaredState, options: &PlanOptions) -> Result<Plan, PlanError> {
        self.runtime
            .block_on(async { Ok(self.inner.plan_with(state, options).await) })?
    }

    /// Kibana as code: applies `plan`; see [`kibana::Kibana::apply`](crate::Kibana::apply). `Err` only when called
    /// inside an async runtime (nothing applied); what Kibana answered is in the report.
    #[cfg(feature = "config")]
    pub fn apply(&self, plan: &Plan) -> Result<ApplyReport, Error> {
        self.runtime.block_on(async { Ok(self.inner.apply(plan).await) })
    }

    /// See [`kibana::Kibana::apply_with`](crate::Kibana::apply_with).
    #[cfg(feature = "config")]
    pub fn apply_with(&self, plan: &Plan, options: &ApplyOptions) -> Result<ApplyReport, Error> {
        self.runtime
            .block_on(async { Ok(self.inner.apply_with(plan, options).await) })
    }

    /// Kibana as code: reads what Kibana has as declared state; see [`kibana::Kibana::pull`](crate::Kibana::pull).
    #[cfg(feature = "config")]
    pub fn pull(&self, scope: &PullScope) -> Result<DeclaredState, Error> {
        self.runtime.block_on(self.inner.pull(scope))
    }
}
