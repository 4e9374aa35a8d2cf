//! The conformance sweep's bookkeeping: every generated operation is called once through Prism (the calls are
//! generated: `../generated/sweep_cases.rs`), and each outcome is filed by cause.

use std::{collections::BTreeMap, future::Future};

use kibana::Error;
use serde::de::DeserializeOwned;

use super::Violations;

/// Why a call did not come back decoded.
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
    /// Anything else.
    Other,
}

/// One operation's outcome.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: &'static str,
    pub route: &'static str,
    pub cause: Option<Cause>,
    pub detail: String,
}

pub struct Sweep {
    violations: Violations,
    pub outcomes: Vec<Outcome>,
}

/// Decodes a generated argument from JSON (a failure is the generated type refusing a valid instance).
pub fn json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("the generated type refuses {text}: {e}"))
}

impl Sweep {
    pub fn new(violations: Violations) -> Self {
        Self {
            violations,
            outcomes: Vec::new(),
        }
    }

    /// Runs one call and files its outcome.
    pub async fn case(
        &mut self,
        name: &'static str,
        route: &'static str,
        call: impl Future<Output = Result<Result<(), Error>, String>>,
    ) {
        // Boxed: 520 generated calls make large futures, which a debug build would otherwise move on the stack.
        let result = Box::pin(call).await;
        let found = std::mem::take(&mut *self.violations.0.lock().unwrap());
        let (cause, detail) = match result {
            Err(refused) => (Some(Cause::Unbuildable), refused),
            Ok(_) if !found.is_empty() => (Some(Cause::InvalidRequest), found.join("; ")),
            Ok(Ok(())) => (None, String::new()),
            Ok(Err(error @ Error::Decode(_))) => (Some(Cause::Undecodable), error.to_string()),
            Ok(Err(error)) => match error.status() {
                Some(status) => (Some(Cause::PrismError(status.as_u16())), error.to_string()),
                None => (Some(Cause::Other), error.to_string()),
            },
        };
        self.outcomes.push(Outcome {
            name,
            route,
            cause,
            detail,
        });
    }

    /// Files an operation whose request could not be made.
    pub fn unbuildable(&mut self, name: &'static str, route: &'static str, reason: &str) {
        self.outcomes.push(Outcome {
            name,
            route,
            cause: Some(Cause::Unbuildable),
            detail: reason.to_owned(),
        });
    }

    /// Called / decoded / failed by cause, then every failure.
    pub fn report(&self) -> String {
        let decoded = self.outcomes.iter().filter(|o| o.cause.is_none()).count();
        let mut by_cause: BTreeMap<String, usize> = BTreeMap::new();
        for outcome in &self.outcomes {
            if let Some(cause) = &outcome.cause {
                *by_cause.entry(format!("{cause:?}")).or_default() += 1;
            }
        }
        let mut out = format!(
            "sweep: called={} decoded={} failed={}\n",
            self.outcomes.len(),
            decoded,
            self.outcomes.len() - decoded
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
        out
    }
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
        "put_streams_name",
        "the document's body is unsatisfiable: `stream` is an allOf of {name: not {}} and an object requiring `name` \
         (zod's omit-then-extend, exported as both)",
    ),
];
