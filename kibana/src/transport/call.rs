//! The seam between the generated client and the stack: one [`CallTransport`] per call, so that what the generated
//! client cannot express (our transport errors, the status of an error whose body was not JSON) is kept for the
//! mapping to [`Error`](crate::Error).

use std::sync::{Arc, Mutex};

use http::{HeaderMap, Method, StatusCode};
use kibana_gen::{Transport, hooks::TransportFuture};
use tower::ServiceExt;

use super::{HttpRequest, RequestContext, RequestOverrides, ServerVersions, Stack, TransportError, UnreadableBody};
use crate::error::Error;

/// progenitor sends the spec's `info.version` as `api-version` (a dropshot convention Kibana does not read); the
/// seam drops it, the stack sends `elastic-api-version`.
const PROGENITOR_API_VERSION: http::HeaderName = http::HeaderName::from_static("api-version");

#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub(crate) method: Option<Method>,
    pub(crate) path: Option<String>,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<HeaderMap>,
    pub(crate) error: Option<TransportError>,
    pub(crate) attempts: u32,
    /// Why an error answer's body ended early, when it broke off.
    pub(crate) unreadable: Option<String>,
    /// The call was refused before anything was sent (an operation newer than the server).
    pub(crate) refused: Option<Error>,
}

pub(crate) struct CallTransport {
    service: Stack,
    space: Option<String>,
    overrides: Option<RequestOverrides>,
    http: reqwest::Client,
    versions: Arc<ServerVersions>,
    pub(crate) record: Mutex<CallRecord>,
}

impl CallTransport {
    pub(crate) fn new(
        service: Stack,
        space: Option<String>,
        overrides: Option<RequestOverrides>,
        http: reqwest::Client,
        versions: Arc<ServerVersions>,
    ) -> Self {
        Self {
            service,
            space,
            overrides,
            http,
            versions,
            record: Mutex::default(),
        }
    }

    /// A `reqwest::Error` to hand back through the generated code, which can only carry that type; the real
    /// error waits in the record.
    fn stand_in_error(&self) -> reqwest::Error {
        match self.http.get("http://[invalid").build() {
            Err(error) => error,
            Ok(_) => unreachable!("`http://[invalid` is not a URL"),
        }
    }

    pub(crate) fn take_record(&self) -> CallRecord {
        std::mem::take(&mut *self.record.lock().expect("call record lock"))
    }
}

impl Transport for CallTransport {
    fn execute(&self, request: reqwest::Request, operation_id: &'static str) -> TransportFuture<'_> {
        Box::pin(async move {
            let mut request = HttpRequest::try_from(request)?;
            request.headers_mut().remove(PROGENITOR_API_VERSION);
            {
                let mut record = self.record.lock().expect("call record lock");
                record.method = Some(request.method().clone());
                record.path = Some(request.uri().path().to_owned());
            }
            let operation = kibana_gen::spec::operation(operation_id);
            if let Some(operation) = operation
                && let Err(refusal) = self
                    .versions
                    .admit(operation, &self.service, self.overrides.as_ref())
                    .await
            {
                self.record.lock().expect("call record lock").refused = Some(refusal);
                return Err(self.stand_in_error());
            }
            let path_template = operation.map_or("", |op| op.path);
            if !path_template.is_empty() {
                let path = request.uri().path();
                let path = match &self.space {
                    Some(space) => path
                        .strip_prefix("/s/")
                        .and_then(|rest| rest.strip_prefix(space.as_str()))
                        .filter(|rest| rest.starts_with('/'))
                        .unwrap_or(path),
                    None => path,
                };
                if let Err(reason) = fills_template(path, path_template) {
                    let mut record = self.record.lock().expect("call record lock");
                    record.error = Some(TransportError::InvalidRequest(format!(
                        "{operation_id}: {reason}; nothing was sent"
                    )));
                    drop(record);
                    return Err(self.stand_in_error());
                }
            }
            let context = match operation {
                Some(operation) => RequestContext::of(operation, self.space.clone()),
                None => RequestContext::new(operation_id, path_template, self.space.clone()),
            };
            request.extensions_mut().insert(context.clone());
            if let Some(overrides) = &self.overrides {
                request.extensions_mut().insert(overrides.clone());
            }
            let result = self.service.clone().oneshot(request).await;
            let mut record = self.record.lock().expect("call record lock");
            record.attempts = context.attempts();
            match result {
                Ok(response) => {
                    record.status = Some(response.status());
                    record.headers = Some(response.headers().clone());
                    record.unreadable = response.extensions().get::<UnreadableBody>().map(|u| u.0.clone());
                    Ok(reqwest::Response::from(response))
                }
                Err(error) => {
                    record.error = Some(error);
                    drop(record);
                    Err(self.stand_in_error())
                }
            }
        })
    }
}

/// Whether the request's `path` (without the `/s/{space}` prefix) fills the operation's `template`: the same
/// segments, each `{parameter}` standing for at least one character. An empty parameter (`get("")`), or one the URL
/// parser resolved away (`..`), would send the request to another route: `/api/actions/connector/` instead of
/// `/api/actions/connector/{id}`.
pub(crate) fn fills_template(path: &str, template: &str) -> Result<(), String> {
    let sent: Vec<&str> = path.split('/').collect();
    let wanted: Vec<&str> = template.split('/').collect();
    if sent.len() == wanted.len() {
        for (segment, pattern) in sent.iter().zip(&wanted) {
            if !segment_matches(segment, pattern) {
                return Err(if segment.is_empty() && pattern.starts_with('{') {
                    format!("the path parameter `{pattern}` of {template} must not be empty")
                } else {
                    format!("the path {path} does not fill the route {template}")
                });
            }
        }
        return Ok(());
    }
    Err(format!(
        "the path parameters do not fill the route {template} (the request would go to {path}): a parameter is empty, \
         `.` or `..`"
    ))
}

/// `segment` against one segment of a template, where each `{name}` stands for one or more characters.
fn segment_matches(segment: &str, pattern: &str) -> bool {
    let Some(open) = pattern.find('{') else {
        return segment == pattern;
    };
    let Some(close) = pattern[open..].find('}').map(|c| open + c) else {
        return segment == pattern;
    };
    let (literal, rest) = (&pattern[..open], &pattern[close + 1..]);
    let Some(after_literal) = segment.strip_prefix(literal) else {
        return false;
    };
    // The parameter takes at least one character, then the rest of the pattern must match what follows.
    after_literal
        .char_indices()
        .skip(1)
        .map(|(i, _)| i)
        .chain(std::iter::once(after_literal.len()))
        .filter(|&i| i > 0)
        .any(|i| segment_matches(&after_literal[i..], rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fill_templates_only_with_non_empty_parameters() {
        let template = "/api/actions/connector/{id}";
        assert!(fills_template("/api/actions/connector/abc", template).is_ok());
        assert!(fills_template("/api/actions/connector/a%2Fb", template).is_ok());
        let empty = fills_template("/api/actions/connector/", template).unwrap_err();
        assert!(
            empty.contains("`{id}`") && empty.contains("must not be empty"),
            "{empty}"
        );
        assert!(fills_template("/api/actions/", template).is_err(), "`..` resolved away");
        assert!(fills_template("/api/status", "/api/status").is_ok());
        let two = "/api/alerting/rule/{rule_id}/alert/{alert_id}/_mute";
        assert!(fills_template("/api/alerting/rule/r/alert/a/_mute", two).is_ok());
        assert!(fills_template("/api/alerting/rule//alert/a/_mute", two).is_err());
        let mixed = "/api/x/{name}.json";
        assert!(fills_template("/api/x/a.json", mixed).is_ok());
        assert!(fills_template("/api/x/.json", mixed).is_err());
        assert!(fills_template("/api/y/a.json", mixed).is_err());
    }
}
