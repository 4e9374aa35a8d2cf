//! [`Connectors`]: the connectors API, blocking.

use std::sync::Arc;

use serde_json::Value;

use super::runtime::Runtime;
use crate::{
    Error,
    connectors::{Connector, ConnectorType, ConnectorTypeInfo, ExecuteOutcome, TypedConnector},
};

/// The connectors API of one space, blocking: [`kibana::connectors::Connectors`](crate::connectors::Connectors)'s
/// methods, with the same names and arguments.
///
/// ```no_run
/// use kibana::connectors::types::{Webhook, WebhookConfig, WebhookParams, WebhookSecrets};
///
/// # fn demo(client: kibana::blocking::Kibana) -> Result<(), kibana::Error> {
/// let connectors = client.space("ops").connectors();
/// let hook = connectors.create::<Webhook>(
///     "deploy hook",
///     &WebhookConfig::new("https://example.com/hook"),
///     &WebhookSecrets::none(),
/// )?;
/// connectors.execute::<Webhook>(&hook.id, &WebhookParams::new("{}"))?.into_result()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Connectors {
    inner: crate::connectors::Connectors,
    runtime: Arc<Runtime>,
}

impl Connectors {
    pub(crate) fn new(inner: crate::connectors::Connectors, runtime: Arc<Runtime>) -> Self {
        Self { inner, runtime }
    }

    /// The same API in another space.
    pub fn in_space(&self, space_id: impl Into<String>) -> Connectors {
        Self::new(self.inner.in_space(space_id), self.runtime.clone())
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> Connectors {
        Self::new(self.inner.in_default_space(), self.runtime.clone())
    }

    /// See [`Connectors::list`](crate::connectors::Connectors::list).
    pub fn list(&self) -> Result<Vec<Connector>, Error> {
        self.runtime.block_on(self.inner.list())
    }

    /// See [`Connectors::get`](crate::connectors::Connectors::get).
    pub fn get(&self, id: &str) -> Result<Connector, Error> {
        self.runtime.block_on(self.inner.get(id))
    }

    /// See [`Connectors::get_typed`](crate::connectors::Connectors::get_typed).
    pub fn get_typed<C: ConnectorType>(&self, id: &str) -> Result<TypedConnector<C>, Error> {
        self.runtime.block_on(self.inner.get_typed::<C>(id))
    }

    /// See [`Connectors::create`](crate::connectors::Connectors::create).
    pub fn create<C: ConnectorType>(
        &self,
        name: &str,
        config: &C::Config,
        secrets: &C::Secrets,
    ) -> Result<TypedConnector<C>, Error> {
        self.runtime.block_on(self.inner.create::<C>(name, config, secrets))
    }

    /// See [`Connectors::create_with_id`](crate::connectors::Connectors::create_with_id).
    pub fn create_with_id<C: ConnectorType>(
        &self,
        id: &str,
        name: &str,
        config: &C::Config,
        secrets: &C::Secrets,
    ) -> Result<TypedConnector<C>, Error> {
        self.runtime
            .block_on(self.inner.create_with_id::<C>(id, name, config, secrets))
    }

    /// See [`Connectors::create_raw`](crate::connectors::Connectors::create_raw).
    pub fn create_raw(
        &self,
        id: Option<&str>,
        name: &str,
        connector_type_id: &str,
        config: &Value,
        secrets: &Value,
    ) -> Result<Connector, Error> {
        self.runtime
            .block_on(self.inner.create_raw(id, name, connector_type_id, config, secrets))
    }

    /// See [`Connectors::update`](crate::connectors::Connectors::update).
    pub fn update<C: ConnectorType>(
        &self,
        id: &str,
        name: &str,
        config: &C::Config,
        secrets: &C::Secrets,
    ) -> Result<TypedConnector<C>, Error> {
        self.runtime.block_on(self.inner.update::<C>(id, name, config, secrets))
    }

    /// See [`Connectors::update_raw`](crate::connectors::Connectors::update_raw).
    pub fn update_raw(&self, id: &str, name: &str, config: &Value, secrets: &Value) -> Result<Connector, Error> {
        self.runtime.block_on(self.inner.update_raw(id, name, config, secrets))
    }

    /// See [`Connectors::delete`](crate::connectors::Connectors::delete).
    pub fn delete(&self, id: &str) -> Result<(), Error> {
        self.runtime.block_on(self.inner.delete(id))
    }

    /// See [`Connectors::execute`](crate::connectors::Connectors::execute).
    pub fn execute<C: ConnectorType>(&self, id: &str, params: &C::Params) -> Result<ExecuteOutcome, Error> {
        self.runtime.block_on(self.inner.execute::<C>(id, params))
    }

    /// See [`Connectors::execute_raw`](crate::connectors::Connectors::execute_raw).
    pub fn execute_raw(&self, id: &str, params: &Value) -> Result<ExecuteOutcome, Error> {
        self.runtime.block_on(self.inner.execute_raw(id, params))
    }

    /// See [`Connectors::list_types`](crate::connectors::Connectors::list_types).
    pub fn list_types(&self, feature_id: Option<&str>) -> Result<Vec<ConnectorTypeInfo>, Error> {
        self.runtime.block_on(self.inner.list_types(feature_id))
    }
}
