//! The connectors (actions) API: `client.connectors()`, in the client's space or another one.
//!
//! Connectors come typed ([`ConnectorType`]: config, secrets and execute params of one connector type checked by
//! the compiler) or raw (JSON, for connector types this SDK does not know).

mod outcome;
pub mod types;

use kibana_gen::spec::routes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use outcome::{ExecuteOutcome, ExecuteStatus};
pub use types::ConnectorType;

use crate::{Error, Kibana};

/// A connector as Kibana returns it (secrets are never returned), with its config as JSON.
///
/// ```
/// let connector: kibana::connectors::Connector = serde_json::from_str(
///     r#"{"id": "c1", "name": "hook", "connector_type_id": ".webhook", "config": {"url": "https://x"}, "referenced_by_count": 2}"#,
/// ).unwrap();
/// assert_eq!((connector.connector_type_id.as_str(), connector.referenced_by_count), (".webhook", Some(2)));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Connector {
    /// The id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The type, e.g. `.webhook`.
    pub connector_type_id: String,
    /// The type's configuration.
    #[serde(default)]
    pub config: Value,
    /// Defined in `kibana.yml`, not editable.
    #[serde(default)]
    pub is_preconfigured: bool,
    /// Uses a deprecated form.
    #[serde(default)]
    pub is_deprecated: bool,
    /// Its secrets could not be decrypted and must be set again.
    #[serde(default)]
    pub is_missing_secrets: bool,
    /// A system action (not user-created).
    #[serde(default)]
    pub is_system_action: bool,
    /// How many rules use it (only in lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_by_count: Option<u64>,
}

/// A connector of a known type, with its config typed: what [`Connectors::get_typed`] and the typed creates return.
///
/// ```no_run
/// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
/// use kibana::connectors::types::Webhook;
/// let hook = client.connectors().get_typed::<Webhook>("deploy-hook").await?;
/// println!("{} posts to {}", hook.name, hook.config.url);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TypedConnector<C: ConnectorType> {
    /// The id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The typed configuration.
    pub config: C::Config,
    /// Defined in `kibana.yml`.
    pub is_preconfigured: bool,
    /// Uses a deprecated form.
    pub is_deprecated: bool,
    /// Its secrets must be set again.
    pub is_missing_secrets: bool,
}

impl<C: ConnectorType> TypedConnector<C> {
    /// A handle for rule actions: the connector's id and type.
    pub fn handle(&self) -> ConnectorRef<C> {
        ConnectorRef {
            id: self.id.clone(),
            marker: std::marker::PhantomData,
        }
    }
}

/// A reference to a connector of type `C`, used to type the params of rule actions.
///
/// ```
/// use kibana::connectors::{ConnectorRef, types::ServerLog};
/// let log = ConnectorRef::<ServerLog>::new("my-server-log");
/// assert_eq!(log.id, "my-server-log");
/// ```
#[derive(Debug)]
pub struct ConnectorRef<C: ConnectorType> {
    /// The connector's id.
    pub id: String,
    marker: std::marker::PhantomData<fn() -> C>,
}

impl<C: ConnectorType> Clone for ConnectorRef<C> {
    fn clone(&self) -> Self {
        Self {
            id: self.id.clone(),
            marker: std::marker::PhantomData,
        }
    }
}

impl<C: ConnectorType> ConnectorRef<C> {
    /// A reference by id (when the connector is known to be of type `C`).
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            marker: std::marker::PhantomData,
        }
    }
}

fn into_typed<C: ConnectorType>(connector: Connector, space: Option<String>) -> Result<TypedConnector<C>, Error> {
    if connector.connector_type_id != C::TYPE_ID {
        return Err(Error::ConnectorTypeMismatch(Box::new(
            crate::error::ConnectorTypeMismatch {
                connector_id: connector.id,
                expected: C::TYPE_ID,
                actual: connector.connector_type_id,
                space,
            },
        )));
    }
    let config = serde_json::from_value(connector.config).map_err(|e| {
        Error::InvalidRequest(format!(
            "connector {} has a {} config this SDK cannot read: {e}",
            connector.id,
            C::TYPE_ID
        ))
    })?;
    Ok(TypedConnector {
        id: connector.id,
        name: connector.name,
        config,
        is_preconfigured: connector.is_preconfigured,
        is_deprecated: connector.is_deprecated,
        is_missing_secrets: connector.is_missing_secrets,
    })
}

/// A connector type as `GET /api/actions/connector_types` describes it.
///
/// ```
/// let info: kibana::connectors::ConnectorTypeInfo = serde_json::from_str(
///     r#"{"id": ".email", "name": "Email", "enabled": true, "supported_feature_ids": ["alerting"]}"#,
/// ).unwrap();
/// assert!(info.enabled && info.supported_feature_ids == ["alerting"]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConnectorTypeInfo {
    /// The type id, e.g. `.email`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Enabled at all.
    #[serde(default)]
    pub enabled: bool,
    /// Enabled in `kibana.yml`.
    #[serde(default)]
    pub enabled_in_config: bool,
    /// Allowed by the license.
    #[serde(default)]
    pub enabled_in_license: bool,
    /// Lowest license that allows it.
    #[serde(default)]
    pub minimum_license_required: Option<String>,
    /// Features it can be used in (`alerting`, `cases`...).
    #[serde(default)]
    pub supported_feature_ids: Vec<String>,
    /// A system action type.
    #[serde(default)]
    pub is_system_action_type: bool,
}

#[derive(Serialize)]
struct CreateBody<'a, Cfg: Serialize, Sec: Serialize> {
    name: &'a str,
    connector_type_id: &'a str,
    config: &'a Cfg,
    secrets: &'a Sec,
}

/// An update body. Empty `config` / `secrets` are left out: Kibana defaults them to `{}`, and the spec's update
/// `oneOf` (no discriminator) otherwise matches several connector types at once for such bodies.
#[derive(Serialize)]
struct UpdateBody<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "is_empty_object")]
    config: Value,
    #[serde(skip_serializing_if = "is_empty_object")]
    secrets: Value,
}

fn is_empty_object(value: &Value) -> bool {
    value.as_object().is_some_and(serde_json::Map::is_empty)
}

fn update_body<'a>(name: &'a str, config: &impl Serialize, secrets: &impl Serialize) -> Result<UpdateBody<'a>, Error> {
    let encode = |what: &str, value: Result<Value, serde_json::Error>| {
        value.map_err(|e| Error::InvalidRequest(format!("cannot encode the connector's {what}: {e}")))
    };
    Ok(UpdateBody {
        name,
        config: encode("config", serde_json::to_value(config))?,
        secrets: encode("secrets", serde_json::to_value(secrets))?,
    })
}

#[derive(Serialize)]
struct ExecuteBody<'a, P: Serialize> {
    params: &'a P,
}

/// The connectors API of one space: `client.connectors()` or `client.space("x").connectors()`.
///
/// ```no_run
/// use kibana::connectors::types::{ServerLog, ServerLogParams, LogLevel};
/// # async fn demo(client: kibana::Kibana) -> Result<(), kibana::Error> {
/// let log = client.connectors().create::<ServerLog>("audit log", &Default::default(), &Default::default()).await?;
/// client
///     .connectors()
///     .execute::<ServerLog>(&log.id, &ServerLogParams::new("deployed").with_level(LogLevel::Info))
///     .await?
///     .into_result()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Connectors {
    client: Kibana,
}

impl Kibana {
    /// The connectors API, in this view's space.
    pub fn connectors(&self) -> Connectors {
        Connectors { client: self.clone() }
    }
}

impl Connectors {
    /// The same API in another space (per-call override).
    pub fn in_space(&self, space_id: impl Into<String>) -> Connectors {
        Connectors {
            client: self.client.space(space_id),
        }
    }

    /// The same API in the default space.
    pub fn in_default_space(&self) -> Connectors {
        Connectors {
            client: self.client.default_space(),
        }
    }

    /// Every connector of the space, with `referenced_by_count`.
    pub async fn list(&self) -> Result<Vec<Connector>, Error> {
        self.client
            .route(&routes::GET_ACTIONS_CONNECTORS, &[])
            .send::<(), _>(None)
            .await
    }

    /// One connector.
    pub async fn get(&self, id: &str) -> Result<Connector, Error> {
        self.client
            .route(&routes::GET_ACTIONS_CONNECTOR_ID, &[id])
            .send::<(), _>(None)
            .await
    }

    /// One connector of a known type; a connector of another type is [`Error::ConnectorTypeMismatch`].
    pub async fn get_typed<C: ConnectorType>(&self, id: &str) -> Result<TypedConnector<C>, Error> {
        into_typed(self.get(id).await?, self.client.space_name())
    }

    /// Creates a typed connector with a new random id (a UUID, the form Kibana gives the ids it chooses).
    ///
    /// Kibana 9's document describes only the create route with an id; choosing it here also means the
    /// connector's id is known before the request is sent.
    pub async fn create<C: ConnectorType>(
        &self,
        name: &str,
        config: &C::Config,
        secrets: &C::Secrets,
    ) -> Result<TypedConnector<C>, Error> {
        self.create_with_id::<C>(&crate::ids::random_id(), name, config, secrets)
            .await
    }

    /// Creates a typed connector with the caller's id: the idempotent way to create. A taken id is
    /// [`Error::Conflict`].
    pub async fn create_with_id<C: ConnectorType>(
        &self,
        id: &str,
        name: &str,
        config: &C::Config,
        secrets: &C::Secrets,
    ) -> Result<TypedConnector<C>, Error> {
        let body = CreateBody {
            name,
            connector_type_id: C::TYPE_ID,
            config,
            secrets,
        };
        let created: Connector = self
            .client
            .route(&routes::POST_ACTIONS_CONNECTOR_ID, &[id])
            .send(Some(&body))
            .await?;
        into_typed(created, self.client.space_name())
    }

    /// Creates a connector of any type from raw JSON (for types this SDK does not know); without an `id`, a new
    /// random one.
    pub async fn create_raw(
        &self,
        id: Option<&str>,
        name: &str,
        connector_type_id: &str,
        config: &Value,
        secrets: &Value,
    ) -> Result<Connector, Error> {
        let body = CreateBody {
            name,
            connector_type_id,
            config,
            secrets,
        };
        let id = id.map_or_else(crate::ids::random_id, str::to_owned);
        self.client
            .route(&routes::POST_ACTIONS_CONNECTOR_ID, &[&id])
            .send(Some(&body))
            .await
    }

    /// Replaces a typed connector's name, config and secrets (the type cannot change).
    pub async fn update<C: ConnectorType>(
        &self,
        id: &str,
        name: &str,
        config: &C::Config,
        secrets: &C::Secrets,
    ) -> Result<TypedConnector<C>, Error> {
        let body = update_body(name, config, secrets)?;
        let updated: Connector = self
            .client
            .route(&routes::PUT_ACTIONS_CONNECTOR_ID, &[id])
            .send(Some(&body))
            .await?;
        into_typed(updated, self.client.space_name())
    }

    /// Replaces a connector's name, config and secrets from raw JSON.
    pub async fn update_raw(&self, id: &str, name: &str, config: &Value, secrets: &Value) -> Result<Connector, Error> {
        let body = update_body(name, config, secrets)?;
        self.client
            .route(&routes::PUT_ACTIONS_CONNECTOR_ID, &[id])
            .send(Some(&body))
            .await
    }

    /// Deletes a connector.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let _: Value = self
            .client
            .route(&routes::DELETE_ACTIONS_CONNECTOR_ID, &[id])
            .send::<(), _>(None)
            .await?;
        Ok(())
    }

    /// Runs a typed connector. The connector's own failure arrives as `Ok` with [`ExecuteStatus::Error`]: call
    /// [`ExecuteOutcome::into_result`] to turn it into an error.
    pub async fn execute<C: ConnectorType>(&self, id: &str, params: &C::Params) -> Result<ExecuteOutcome, Error> {
        self.execute_json(id, params).await
    }

    /// Runs a connector with raw JSON params.
    pub async fn execute_raw(&self, id: &str, params: &Value) -> Result<ExecuteOutcome, Error> {
        self.execute_json(id, params).await
    }

    async fn execute_json<P: Serialize>(&self, id: &str, params: &P) -> Result<ExecuteOutcome, Error> {
        let outcome: Option<ExecuteOutcome> = self
            .client
            .route(&routes::POST_ACTIONS_CONNECTOR_ID_EXECUTE, &[id])
            .send(Some(&ExecuteBody { params }))
            .await?;
        // 204: the connector returned nothing; Kibana considers that a success.
        Ok(outcome.unwrap_or_else(|| ExecuteOutcome::empty(id)))
    }

    /// The connector types, optionally only those supporting a feature (`alerting`, `cases`, `uptime`...).
    pub async fn list_types(&self, feature_id: Option<&str>) -> Result<Vec<ConnectorTypeInfo>, Error> {
        self.client
            .route(&routes::GET_ACTIONS_CONNECTOR_TYPES, &[])
            .query_opt("feature_id", feature_id)
            .send::<(), _>(None)
            .await
    }
}
