//! Kibana as code: declare spaces, connectors, rules, data views (and each space's default one), maintenance
//! windows and security roles, in Rust or in files; [`plan`](crate::Kibana::plan), read the diff,
//! [`apply`](crate::Kibana::apply); [`pull`](crate::Kibana::pull) what a Kibana has into the same form.
//!
//! - **Declared state** ([`DeclaredState`]): resources keyed by the ids you choose, each written as Kibana's API
//!   body for its kind. Connectors are typed ([`ConnectorSpec::typed`]) or raw JSON; a raw config of a type the SDK
//!   types is checked against its model. Files: TOML, YAML, JSON ([`DeclaredState::from_path`],
//!   [`DeclaredState::write_to`]). Maintenance windows and roles are checked against the generated request types.
//! - **Plan** ([`Plan`]): one request for the spaces, then one list per managed kind and declared space (more
//!   pages only past 1,000 objects of a kind in a space), never one read per object. A field-level diff that
//!   ignores what Kibana fills in (a field you do not declare is Kibana's; `null`, `[]`, `{}` and absent are the
//!   same), printed like `terraform plan` and serialisable to JSON. An invalid state is refused with every
//!   [`Problem`] at once, before anything is written.
//! - **Secrets** ([`Secrets`]) are sent, never shown: not in plans, reports, `Debug` or logs. Kibana never returns
//!   them, so [`SecretsPolicy`] decides when they are sent again.
//! - **Apply** ([`ApplyReport`]): in dependency order, bounded concurrency within a step, idempotent (a create
//!   that meets `Conflict` reads the object and continues as an update), an update or delete of an object that
//!   changed since the plan is not written, and a report per resource.
//! - **Ownership** ([`Ownership`]): nothing is deleted unless the plan prunes ([`PlanOptions::prune`]), and then
//!   only objects carrying this tool's marker, in the declared spaces and kinds.
//!
//! ```no_run
//! use kibana::{Kibana, Space, config::{ConnectorSpec, DeclaredState, PlanOptions, RuleSpec, Secrets}};
//! use kibana::connectors::types::{Webhook, WebhookConfig, WebhookSecrets};
//! use kibana::rules::{RuleAction, Schedule};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Kibana::builder().url("https://kibana.example.com:5601").api_key("...").build()?;
//! let state = DeclaredState::new()
//!     .space(Space::new("ops", "Operations"))
//!     .connector(
//!         ConnectorSpec::typed::<Webhook>("ops", "deploy-hook", "Deploy hook", &WebhookConfig::new("https://hooks.example.com").with_basic_auth(), &WebhookSecrets::none())?
//!             .secrets(Secrets::new().value("user", "bot").env("password", "HOOK_PASSWORD")),
//!     )
//!     .rule(
//!         RuleSpec::raw("ops", "cpu-high", "CPU high", ".index-threshold", "stackAlerts", Schedule::every("1m"), serde_json::json!({
//!             "index": ["metrics-*"], "timeField": "@timestamp", "aggType": "avg", "aggField": "system.cpu.pct",
//!             "groupBy": "all", "thresholdComparator": ">", "threshold": [0.9], "timeWindowSize": 5, "timeWindowUnit": "m"
//!         }))
//!         .action(RuleAction::raw("threshold met", "deploy-hook", serde_json::json!({"body": "{{context.message}}"}))),
//!     );
//! let plan = client.plan_with(&state, &PlanOptions::new().prune(true)).await?;
//! println!("{plan}");
//! let report = client.apply(&plan).await;
//! println!("{report}");
//! assert!(client.plan(&state).await?.is_empty());
//! # Ok(()) }
//! ```

mod address;
mod apply;
mod diff;
mod files;
mod kinds;
mod ownership;
mod plan;
mod pull;
mod secrets;
mod state;
mod typed;
mod validate;

pub use address::{Address, Kind};
pub use apply::{ApplyOptions, ApplyReport, Outcome, ResourceReport};
pub use diff::FieldChange;
pub use files::{FileError, Format};
pub use ownership::Ownership;
pub use plan::{Action, Change, Plan, PlanError, PlanOptions};
pub use pull::PullScope;
pub use secrets::{Secrets, SecretsLedger, SecretsNote, SecretsPolicy};
pub use state::{
    ConnectorSpec, DataViewSpec, DeclaredState, DefaultDataViewSpec, MaintenanceWindowSpec, RoleSpec, RuleSpec,
};
pub use validate::Problem;
