//! [`Kibana::apply`]: a plan's changes in dependency order, a bounded number at a time within each step, with a
//! report per resource.

use std::{collections::BTreeMap, fmt};

use futures::{StreamExt, stream};
use serde::{Serialize, Serializer, ser::SerializeStruct};

use super::{
    Action, Address, Change, Kind, Plan, SecretsLedger, diff,
    kinds::{self, Payload},
};
use crate::{Error, Kibana};

/// How a plan is applied.
///
/// ```
/// let options = kibana::config::ApplyOptions::new().concurrency(4);
/// # let _ = options;
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct ApplyOptions {
    concurrency: usize,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self { concurrency: 8 }
    }
}

impl ApplyOptions {
    /// 8 writes at a time within a step.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many writes run at a time within a step (at least 1).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }
}

/// What became of one planned change.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// Done (with a note when something was worth saying: the object existed already, was gone already...).
    Done {
        /// The note.
        note: Option<String>,
    },
    /// Kibana refused, or could not be reached.
    Failed {
        /// Why.
        error: Error,
    },
    /// Not tried: a resource it depends on failed (or was skipped, or had changed).
    Skipped {
        /// That resource.
        dependency: Address,
    },
    /// Not written: the object changed in Kibana since the plan (its version differs, or it is gone). Plan again
    /// to see the change.
    ChangedSincePlan {
        /// The version the plan saw.
        expected: String,
        /// The version now (`None`: the object is gone).
        found: Option<String>,
    },
}

impl Outcome {
    /// Whether it was done.
    pub fn is_done(&self) -> bool {
        matches!(self, Outcome::Done { .. })
    }

    fn label(&self) -> &'static str {
        match self {
            Outcome::Done { .. } => "done",
            Outcome::Failed { .. } => "failed",
            Outcome::Skipped { .. } => "skipped",
            Outcome::ChangedSincePlan { .. } => "changed",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Done { note: None } => f.write_str("done"),
            Outcome::Done { note: Some(note) } => write!(f, "done ({note})"),
            Outcome::Failed { error } => write!(f, "failed: {error}"),
            Outcome::Skipped { dependency } => write!(f, "skipped: {dependency} was not applied"),
            Outcome::ChangedSincePlan { expected, found } => write!(
                f,
                "not written: changed in Kibana since the plan (planned at version {expected}, now {}); plan again",
                found.as_deref().unwrap_or("gone")
            ),
        }
    }
}

/// One resource's line of an [`ApplyReport`].
#[derive(Debug)]
#[non_exhaustive]
pub struct ResourceReport {
    /// The resource.
    pub address: Address,
    /// What was planned.
    pub action: Action,
    /// What became of it.
    pub outcome: Outcome,
}

impl Serialize for ResourceReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("ResourceReport", 4)?;
        out.serialize_field("address", &self.address)?;
        out.serialize_field("action", &self.action)?;
        out.serialize_field("outcome", self.outcome.label())?;
        out.serialize_field("detail", &self.outcome.to_string())?;
        out.end()
    }
}

/// What an apply did, resource by resource. Prints one line per resource and a summary; serialises to JSON.
///
/// ```no_run
/// # async fn demo(client: kibana::Kibana, plan: kibana::config::Plan) {
/// let report = client.apply(&plan).await;
/// println!("{report}");
/// if !report.is_success() {
///     std::process::exit(1);
/// }
/// # }
/// ```
#[derive(Debug, Serialize)]
pub struct ApplyReport {
    resources: Vec<ResourceReport>,
    #[serde(skip)]
    ledger: SecretsLedger,
}

impl ApplyReport {
    /// Every planned change, in the order applied.
    pub fn resources(&self) -> &[ResourceReport] {
        &self.resources
    }

    /// Whether every change was done.
    pub fn is_success(&self) -> bool {
        self.resources.iter().all(|r| r.outcome.is_done())
    }

    /// The report of one resource.
    pub fn get(&self, address: &Address) -> Option<&ResourceReport> {
        self.resources.iter().find(|r| &r.address == address)
    }

    /// The plan's secrets ledger with the fingerprints of the secrets this apply sent: save it for the next plan.
    pub fn secrets_ledger(&self) -> &SecretsLedger {
        &self.ledger
    }

    /// `Apply: 10 done, 1 failed, 2 skipped, 0 changed since the plan.`
    pub fn summary(&self) -> String {
        let count = |label: &str| self.resources.iter().filter(|r| r.outcome.label() == label).count();
        format!(
            "Apply: {} done, {} failed, {} skipped, {} changed since the plan.",
            count("done"),
            count("failed"),
            count("skipped"),
            count("changed")
        )
    }
}

impl fmt::Display for ApplyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.resources {
            write!(f, "  {:<7} {} {}", r.outcome.label(), r.action.symbol(), r.address)?;
            match &r.outcome {
                Outcome::Done { note: None } => writeln!(f)?,
                Outcome::Done { note: Some(note) } => writeln!(f, " ({note})")?,
                other => writeln!(f, ": {other}")?,
            }
        }
        write!(f, "{}", self.summary())
    }
}

/// Runs one change.
async fn run(client: &Kibana, change: &Change) -> Outcome {
    let address = &change.address;
    let result = match change.action {
        Action::Create => create(client, change).await,
        Action::Update => update(client, change).await,
        Action::Delete => delete(client, change).await,
    };
    let outcome = result.unwrap_or_else(|error| Outcome::Failed { error });
    match &outcome {
        Outcome::Done { .. } => tracing::info!(target: "kibana::config", %address, action = ?change.action, "applied"),
        other => {
            tracing::warn!(target: "kibana::config", %address, action = ?change.action, outcome = %other, "not applied")
        }
    }
    outcome
}

fn payload(change: &Change) -> Result<&Payload, Error> {
    change
        .payload
        .as_ref()
        .ok_or_else(|| Error::InvalidRequest(format!("{}: the plan has nothing to write", change.address)))
}

/// Whether the object as read now differs from what is declared.
fn differs(kind: Kind, payload: &Payload, raw: &serde_json::Value) -> bool {
    !diff::diff(
        &kinds::desired_form(payload),
        &kinds::observed_form(kind, raw),
        kinds::whole(kind),
    )
    .is_empty()
}

async fn create(client: &Kibana, change: &Change) -> Result<Outcome, Error> {
    let payload = payload(change)?;
    match kinds::io::create(client, &change.address, payload).await {
        Ok(_) => Ok(Outcome::Done { note: None }),
        // The object exists (created by an earlier apply whose answer was lost, or by someone since the plan):
        // read it and continue as an update.
        Err(Error::Conflict(conflict)) => {
            let Some(raw) = kinds::io::read(client, &change.address, &change.kibana_id).await? else {
                return Ok(Outcome::Failed {
                    error: Error::Conflict(conflict),
                });
            };
            let secrets = matches!(payload, Payload::Connector { secrets: Some(_), .. });
            if !differs(change.address.kind, payload, &raw) && !secrets {
                return Ok(Outcome::Done {
                    note: Some("it existed already, as declared".into()),
                });
            }
            kinds::io::update(client, &change.address, &change.kibana_id, payload, &raw).await?;
            Ok(Outcome::Done {
                note: Some("it existed already: updated to the declared state".into()),
            })
        }
        Err(error) => Err(error),
    }
}

/// Reads the object again; `Err(outcome)` when it is gone or changed since the plan.
async fn unchanged_since_plan(client: &Kibana, change: &Change) -> Result<Result<serde_json::Value, Outcome>, Error> {
    let expected = change.version.clone().unwrap_or_default();
    match kinds::io::read(client, &change.address, &change.kibana_id).await? {
        None => Ok(Err(Outcome::ChangedSincePlan { expected, found: None })),
        Some(raw) => {
            let now = kinds::version(change.address.kind, &raw);
            if now == expected {
                Ok(Ok(raw))
            } else {
                Ok(Err(Outcome::ChangedSincePlan {
                    expected,
                    found: Some(now),
                }))
            }
        }
    }
}

async fn update(client: &Kibana, change: &Change) -> Result<Outcome, Error> {
    let payload = payload(change)?;
    let raw = match unchanged_since_plan(client, change).await? {
        Ok(raw) => raw,
        Err(outcome) => return Ok(outcome),
    };
    kinds::io::update(client, &change.address, &change.kibana_id, payload, &raw).await?;
    Ok(Outcome::Done { note: None })
}

async fn delete(client: &Kibana, change: &Change) -> Result<Outcome, Error> {
    match unchanged_since_plan(client, change).await? {
        Ok(_) => {}
        Err(Outcome::ChangedSincePlan { found: None, .. }) => {
            return Ok(Outcome::Done {
                note: Some("it was gone already".into()),
            });
        }
        Err(outcome) => return Ok(outcome),
    }
    match kinds::io::delete(client, &change.address, &change.kibana_id).await {
        Ok(()) | Err(Error::NotFound(_)) => Ok(Outcome::Done { note: None }),
        Err(error) => Err(error),
    }
}

impl Kibana {
    /// Applies `plan` with the default [`ApplyOptions`] (8 writes at a time within a step).
    pub async fn apply(&self, plan: &Plan) -> ApplyReport {
        self.apply_with(plan, &ApplyOptions::default()).await
    }

    /// Applies `plan`: deletes first (rules before what they use), then spaces, then what lives in them
    /// (connectors, data views, maintenance windows, roles), then what refers to those (rules, default data
    /// views); within a step, `concurrency` at a time. A change whose dependency was not applied is skipped; an
    /// update or delete of an object that changed since the plan is not written. Never fails as a whole: see the
    /// report. Running plan and apply again after a partial failure converges, without duplicates.
    pub async fn apply_with(&self, plan: &Plan, options: &ApplyOptions) -> ApplyReport {
        let mut steps: BTreeMap<(usize, usize), Vec<&Change>> = BTreeMap::new();
        for change in plan.changes() {
            let step = match change.action {
                Action::Delete => (0, usize::MAX - change.address.kind.step()),
                _ => (1, change.address.kind.step()),
            };
            steps.entry(step).or_default().push(change);
        }
        let mut outcomes: BTreeMap<Address, Outcome> = BTreeMap::new();
        let mut ledger = plan.ledger.clone();
        for (_, changes) in steps {
            let done = &outcomes;
            let results: Vec<(Address, Outcome)> = stream::iter(changes)
                .map(|change| async move {
                    let blocked = change
                        .depends_on
                        .iter()
                        .find(|d| done.get(*d).is_some_and(|o| !o.is_done()));
                    let outcome = match blocked {
                        Some(dependency) => Outcome::Skipped {
                            dependency: dependency.clone(),
                        },
                        None => run(self, change).await,
                    };
                    (change.address.clone(), outcome)
                })
                .buffer_unordered(options.concurrency)
                .collect()
                .await;
            outcomes.extend(results);
        }
        let resources = plan
            .changes()
            .iter()
            .filter_map(|change| {
                let outcome = outcomes.remove(&change.address)?;
                if let (true, Some(fingerprint)) = (outcome.is_done(), &change.fingerprint) {
                    ledger.record(change.address.to_string(), fingerprint.clone());
                }
                Some(ResourceReport {
                    address: change.address.clone(),
                    action: change.action,
                    outcome,
                })
            })
            .collect();
        ApplyReport { resources, ledger }
    }
}
