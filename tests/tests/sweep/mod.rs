//! The conformance sweep's bookkeeping: every generated operation is called once through Prism (the calls are
//! generated: `../generated/sweep_cases.rs`), and each outcome is filed by cause. Each answer that decoded is then
//! checked twice more (`../answers`): the round trip (serialised again, it must say all that Prism sent) and
//! thinned answers (Prism's answer with the properties the document requires left out, one level at a time, as real
//! Kibana does), replayed to the same call.

use std::{collections::BTreeMap, future::Future};

use kibana::Error;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use super::{
    Violations,
    answers::{replay::Tap, roundtrip, thin},
};

pub mod query;

/// Why a call did not come back decoded, or an answer did not survive a check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// Prism found the request invalid against the document.
    InvalidRequest,
    /// Prism's answer (made from the response schema) does not decode into the generated type.
    Undecodable,
    /// Prism answered an error status without finding the request invalid (e.g. it cannot mock the media type).
    PrismError(u16),
    /// No valid request could be made from the document's schemas (or the generated type refused it).
    Unbuildable,
    /// The decoded answer, serialised again, lost or changed something Prism sent.
    RoundTrip,
    /// A thinned answer failed other than by an `Error::Decode` naming a field it lacks.
    Thinned,
    /// With every optional query parameter set, the query sent is not what Kibana's router reads.
    Query,
    /// Anything else.
    Other,
}

/// What a call decoded, as JSON when the answer is JSON.
pub enum Answer {
    Json(Value),
    /// A byte stream (NDJSON, event stream, binary): nothing to compare.
    Opaque,
}

impl Answer {
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Self {
        Answer::Json(serde_json::to_value(value).unwrap_or(Value::Null))
    }
}

/// One operation's outcome.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: &'static str,
    pub route: &'static str,
    pub cause: Option<Cause>,
    pub detail: String,
    /// The round trip held (`None`: not checked, no JSON answer).
    pub round_trip: Option<bool>,
    /// Thinned answers replayed, and how they ended.
    pub thinned: Thinned,
    /// The query pass: how many parameters were set and checked (`None`: the operation has no optional query
    /// parameter).
    pub query: Option<usize>,
}

/// How an operation's thinned answers ended.
#[derive(Clone, Debug, Default)]
pub struct Thinned {
    pub replayed: usize,
    pub decoded: usize,
    /// Refused with an `Error::Decode` naming a field the answer lacked: an identifying field (`id`, a tag).
    pub named: Vec<String>,
    pub failed: Vec<String>,
}

pub struct Sweep {
    violations: Violations,
    tap: Tap,
    /// The document Prism serves (the one with the document's own `required` lists).
    document: Option<Value>,
    pub outcomes: Vec<Outcome>,
}

/// Decodes a generated argument from JSON (a failure is the generated type refusing a valid instance).
pub fn json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("the generated type refuses {text}: {e}"))
}

impl Sweep {
    pub fn new(violations: Violations, tap: Tap, document: Option<Value>) -> Self {
        Self {
            violations,
            tap,
            document,
            outcomes: Vec::new(),
        }
    }

    /// Runs one call (again for each thinned answer) and files its outcome.
    pub async fn case<F, Fut>(&mut self, name: &'static str, route: &'static str, call: F)
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Result<Answer, Error>, String>>,
    {
        let sweep = &*self;
        sweep.tap.replay(None);
        // Boxed: 520 generated calls make large futures, which a debug build would otherwise move on the stack.
        let result = Box::pin(call()).await;
        let found = std::mem::take(&mut *sweep.violations.0.lock().unwrap());
        let received = sweep.tap.last();
        let mut outcome = Outcome {
            name,
            route,
            cause: None,
            detail: String::new(),
            round_trip: None,
            thinned: Thinned::default(),
            query: None,
        };
        let decoded = match result {
            Err(refused) => {
                outcome.cause = Some(Cause::Unbuildable);
                outcome.detail = refused;
                None
            }
            Ok(_) if !found.is_empty() => {
                outcome.cause = Some(Cause::InvalidRequest);
                outcome.detail = found.join("; ");
                None
            }
            Ok(Ok(answer)) => Some(answer),
            Ok(Err(error @ Error::Decode(_))) => {
                outcome.cause = Some(Cause::Undecodable);
                outcome.detail = error.to_string();
                None
            }
            Ok(Err(error)) => {
                outcome.cause = Some(match error.status() {
                    Some(status) => Cause::PrismError(status.as_u16()),
                    None => Cause::Other,
                });
                outcome.detail = error.to_string();
                None
            }
        };
        if let (Some(Answer::Json(written)), Some(received)) = (&decoded, &received)
            && let Some(sent) = received.body_json()
        {
            let lost = roundtrip::lost(&sent, written);
            outcome.round_trip = Some(lost.is_empty());
            if !lost.is_empty() {
                outcome.cause = Some(Cause::RoundTrip);
                outcome.detail = lost
                    .iter()
                    .take(5)
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            if let Some(document) = &sweep.document {
                outcome.thinned = thinned(&sweep.tap, document, route, received, &sent, &call).await;
                if !outcome.thinned.failed.is_empty() && outcome.cause.is_none() {
                    outcome.cause = Some(Cause::Thinned);
                    outcome.detail = outcome.thinned.failed.join("; ");
                }
            }
        }
        sweep.tap.replay(None);
        self.outcomes.push(outcome);
    }

    /// Files an operation whose request could not be made.
    pub fn unbuildable(&mut self, name: &'static str, route: &'static str, reason: &str) {
        self.outcomes.push(Outcome {
            name,
            route,
            cause: Some(Cause::Unbuildable),
            detail: reason.to_owned(),
            round_trip: None,
            thinned: Thinned::default(),
            query: None,
        });
    }

    /// The query pass of an operation (filed on its outcome): called with every optional query parameter set,
    /// Prism must accept the request and the query must be what Kibana's router reads for `expected` (each
    /// parameter's wire name and JSON value).
    pub async fn query_case<F, Fut>(
        &mut self,
        name: &'static str,
        route: &'static str,
        expected: &[(&str, &str)],
        call: F,
    ) where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Result<(), Error>, String>>,
    {
        self.tap.replay(None);
        let result = Box::pin(call()).await;
        let found = std::mem::take(&mut *self.violations.0.lock().unwrap());
        let sent = self.tap.last_query();
        let Some(outcome) = self.outcomes.iter_mut().rev().find(|o| o.name == name) else {
            return;
        };
        outcome.query = Some(expected.len());
        let mut problems = Vec::new();
        if let Err(refused) = &result {
            problems.push(format!("the call could not be made: {refused}"));
        }
        if !found.is_empty() {
            problems.push(format!("Prism refused it: {}", found.join("; ")));
        }
        match &sent {
            Some(sent) => problems.extend(query::problems(sent, expected)),
            None => problems.push("no request was sent".to_owned()),
        }
        if !problems.is_empty() && outcome.cause.is_none() {
            outcome.cause = Some(Cause::Query);
            outcome.detail = format!("{route}: {}", problems.join("; "));
        }
    }

    /// `sweep: called= decoded= roundtrip_ok= thinned_ok=`, the counts by cause, then every shortfall.
    pub fn report(&self) -> String {
        let decoded = self
            .outcomes
            .iter()
            .filter(|o| {
                !matches!(
                    o.cause,
                    Some(
                        Cause::InvalidRequest
                            | Cause::Undecodable
                            | Cause::PrismError(_)
                            | Cause::Unbuildable
                            | Cause::Other
                    )
                )
            })
            .count();
        let round_trips = self.outcomes.iter().filter(|o| o.round_trip.is_some()).count();
        let round_trip_ok = self.outcomes.iter().filter(|o| o.round_trip == Some(true)).count();
        let thinned: Vec<&Outcome> = self.outcomes.iter().filter(|o| o.thinned.replayed > 0).collect();
        let thinned_ok = thinned
            .iter()
            .filter(|o| o.thinned.failed.is_empty() && o.thinned.named.is_empty())
            .count();
        let thinned_named = thinned
            .iter()
            .filter(|o| o.thinned.failed.is_empty() && !o.thinned.named.is_empty())
            .count();
        let replays: usize = thinned.iter().map(|o| o.thinned.replayed).sum();
        let query_operations = self.outcomes.iter().filter(|o| o.query.is_some()).count();
        let query_parameters: usize = self.outcomes.iter().filter_map(|o| o.query).sum();
        let query_failed = self.outcomes.iter().filter(|o| o.cause == Some(Cause::Query)).count();
        let mut by_cause: BTreeMap<String, usize> = BTreeMap::new();
        for outcome in &self.outcomes {
            if let Some(cause) = &outcome.cause {
                *by_cause.entry(format!("{cause:?}")).or_default() += 1;
            }
        }
        let mut out = format!(
            "sweep: called={} decoded={} roundtrip_ok={} thinned_ok={} query_checked={query_parameters} failed={}\n  round trips checked: {round_trips} (the others: no JSON answer, or not decoded)\n  thinned answers: {replays} replayed for {} operations; {thinned_ok} operations decoded every one, {thinned_named} refused one with an Error::Decode naming the identifying field it lacked (ids and tags stay required)\n  query pass: {query_operations} operations called again with every optional query parameter set; {query_parameters} parameters (optional and required) checked against Kibana's encoding; {query_failed} failed\n",
            self.outcomes.len(),
            decoded,
            round_trip_ok,
            thinned_ok,
            self.outcomes.iter().filter(|o| o.cause.is_some()).count(),
            thinned.len(),
        );
        for (cause, count) in &by_cause {
            out.push_str(&format!("  {cause}: {count}\n"));
        }
        for outcome in self.outcomes.iter().filter(|o| o.cause.is_some()) {
            let detail: String = outcome.detail.chars().take(400).collect();
            out.push_str(&format!(
                "  - {} `{}` ({:?}): {detail}\n",
                outcome.name,
                outcome.route,
                outcome.cause.as_ref().unwrap()
            ));
        }
        for outcome in thinned.iter().filter(|o| !o.thinned.named.is_empty()) {
            out.push_str(&format!(
                "  - {} `{}` (thinned, refused naming the field): {}\n",
                outcome.name,
                outcome.route,
                outcome.thinned.named.join("; ")
            ));
        }
        out
    }
}

/// Replays `sent` thinned at every level to the same call; a decode error must name a field it lacks.
async fn thinned<F, Fut>(
    tap: &Tap,
    document: &Value,
    route: &str,
    received: &super::answers::replay::Recorded,
    sent: &Value,
    call: &F,
) -> Thinned
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Result<Answer, Error>, String>>,
{
    let mut outcome = Thinned::default();
    let Some((method, path)) = route.split_once(' ') else {
        return outcome;
    };
    let Some(schema) = thin::answer_schema(document, method, path, received.status) else {
        return outcome;
    };
    for level in 0..thin::depth(sent) {
        let (answer, removed) = thin::thin(document, schema, sent, level);
        if removed.is_empty() {
            continue;
        }
        let mut replayed = received.clone();
        replayed.body = serde_json::to_vec(&answer).unwrap_or_default().into();
        tap.replay(Some(replayed));
        outcome.replayed += 1;
        match Box::pin(call()).await {
            Ok(Ok(_)) => outcome.decoded += 1,
            Ok(Err(error @ Error::Decode(_))) => {
                let text = error.to_string();
                match removed.iter().find(|name| text.contains(&format!("`{name}`"))) {
                    Some(name) => outcome.named.push(format!("level {level}: `{name}`")),
                    None => outcome
                        .failed
                        .push(format!("level {level} without {removed:?}: {text}")),
                }
            }
            Ok(Err(error)) => outcome.failed.push(format!("level {level}: {error}")),
            Err(refused) => outcome.failed.push(format!("level {level}: {refused}")),
        }
    }
    tap.replay(None);
    outcome
}

/// Operations the sweep cannot judge, with the reason (each was checked by hand: the request is valid and the
/// generated type right, or the document is wrong in a way no transform should guess at).
pub const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "post_agent_builder_converse_async",
        "Prism: the answer is `text/event-stream`, which Prism cannot mock from an object schema (500 \
         NO_COMPLEX_OBJECT_TEXT); the request validated",
    ),
    (
        "post_saved_objects_export",
        "Prism: no serializer for `application/x-ndjson` answers (500); the request validated, and the export \
         stream is tested against the fake and fuzzed",
    ),
    (
        "post_detection_engine_signals_assignees",
        "Prism: no serializer for the `application/ndjson` answer the document declares (500); the request validated",
    ),
    (
        "post_saved_objects_resolve_import_errors",
        "Prism reads every multipart part as a string, so the JSON `retries` part is never an array to it; the form \
         sends `retries` as a JSON part, as Kibana reads it",
    ),
    (
        "post_endpoint_action_upload",
        "Prism reads every multipart part as a string, so the JSON `endpoint_ids` / `parameters` parts are never an \
         array / object to it",
    ),
    (
        "post_endpoint_action_kill_process",
        "the document's `parameters` is a oneOf of {pid} / {entity_id} / {process_name} with nothing required and \
         additional properties allowed: every object matches two or more variants, so no body passes a strict oneOf \
         validator (Kibana's own schema rejects unknown keys and accepts {pid: 1})",
    ),
    (
        "post_endpoint_action_suspend_process",
        "the same oneOf of {pid} / {entity_id} as kill_process: every object matches both variants",
    ),
    (
        "get_alerting_rules_find",
        "the query pass: Prism reads the object parameter `has_reference` in OpenAPI's default form style \
         (`type=…&id=…`); Kibana's router reads an object query parameter as JSON text (`has_reference={\"type\":…}`, \
         issue 23), which is what the SDK sends; the first call (without it) validated and decoded",
    ),
    (
        "put_streams_name",
        "the document's body is unsatisfiable: `stream` is an allOf of {name: not {}} and an object requiring `name` \
         (zod's omit-then-extend, exported as both)",
    ),
];
