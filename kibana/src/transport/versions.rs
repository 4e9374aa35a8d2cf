//! Which operations the server can answer: an operation the document says was added in a later Kibana than the
//! server runs is refused before anything is sent (or logged, or sent anyway: [`VersionCheck`]).
//!
//! The server's version comes from the builder ([`KibanaBuilder::server_version`](crate::KibanaBuilder)) or from one
//! `GET /api/status`, sent the first time an operation that names its Kibana version is called and kept for the
//! client's lifetime (concurrent first calls wait for the one request). Operations the document gives no version
//! never wait for it, so a client that calls only those never sends the status request.

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};
use kibana_gen::spec::{KibanaVersion, Operation};
use serde::Deserialize;
use tokio::sync::OnceCell;
use tower::ServiceExt;

use super::{HttpRequest, PLACEHOLDER_ORIGIN, RequestContext, RequestOverrides, Stack};
use crate::error::Error;

/// What a client does with an operation that Kibana's document says was added after the server's version.
///
/// ```
/// use kibana::{Kibana, VersionCheck};
/// // A server known to run 9.0.1: operations added in 9.1 or later fail locally with `Error::Unsupported`.
/// let client = Kibana::builder()
///     .url("http://localhost:5601")
///     .server_version("9.0.1")
///     .version_check(VersionCheck::Refuse)
///     .build()
///     .unwrap();
/// # drop(client);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum VersionCheck {
    /// Fail with [`Error::Unsupported`], nothing sent (the default): Kibana would answer a bare 404.
    #[default]
    Refuse,
    /// Log a warning (`tracing`) and send.
    Warn,
    /// Do not check (and never ask the server for its version).
    Off,
}

/// What the client knows of the server's version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Learned {
    /// The server runs this release.
    Version(KibanaVersion),
    /// Serverless Kibana: its routes do not follow the releases' "added in" versions.
    Serverless,
    /// The server does not say (a redacted status without credentials, an unreadable version).
    Unknown,
}

/// The version check of one client (shared by its views).
#[derive(Debug)]
pub(crate) struct ServerVersions {
    policy: VersionCheck,
    learned: OnceCell<Learned>,
}

impl ServerVersions {
    /// `given`: the version the user says the server runs; otherwise it is asked for when first needed.
    pub(crate) fn new(policy: VersionCheck, given: Option<KibanaVersion>) -> Self {
        let learned = match given {
            Some(version) => OnceCell::new_with(Some(Learned::Version(version))),
            None => OnceCell::new(),
        };
        Self { policy, learned }
    }

    /// Whether `operation` may be sent: `Err(Error::Unsupported)` when it was added after the server's version
    /// and the policy refuses. `service` and `overrides` send the status request when the version is not known
    /// yet (with the credentials of the call that needs it).
    pub(crate) async fn admit(
        &self,
        operation: &'static Operation,
        service: &Stack,
        overrides: Option<&RequestOverrides>,
    ) -> Result<(), Error> {
        let Some(needs) = operation.added_in else {
            return Ok(());
        };
        if self.policy == VersionCheck::Off {
            return Ok(());
        }
        let learned = match self
            .learned
            .get_or_try_init(|| ask_the_server(service, overrides))
            .await
        {
            Ok(learned) => *learned,
            // Not learned this time (the server was unreachable or refused the status request): the call itself
            // goes out and reports what is wrong; the next one asks again.
            Err(()) => return Ok(()),
        };
        let Learned::Version(server) = learned else {
            return Ok(());
        };
        if needs <= server {
            return Ok(());
        }
        match self.policy {
            VersionCheck::Refuse => Err(Error::Unsupported {
                operation: operation.name,
                route: format!("{} {}", operation.method, operation.path),
                needs,
                server,
            }),
            VersionCheck::Warn | VersionCheck::Off => {
                tracing::warn!(
                    operation = operation.name,
                    needs = %needs,
                    server = %server,
                    "sending an operation Kibana's document says was added after the server's version"
                );
                Ok(())
            }
        }
    }
}

/// One `GET /api/status` through the stack. `Err(())`: nothing learned now, ask again next time.
async fn ask_the_server(service: &Stack, overrides: Option<&RequestOverrides>) -> Result<Learned, ()> {
    let mut request = HttpRequest::new(reqwest::Body::from(Bytes::new()));
    *request.method_mut() = Method::GET;
    *request.uri_mut() = format!("{PLACEHOLDER_ORIGIN}/api/status").parse().map_err(|_| ())?;
    request
        .headers_mut()
        .insert(http::header::ACCEPT, HeaderValue::from_static("application/json"));
    request
        .extensions_mut()
        .insert(RequestContext::new("get_status", "/api/status", None));
    if let Some(overrides) = overrides {
        request.extensions_mut().insert(overrides.clone());
    }
    let response = service.clone().oneshot(request).await.map_err(|error| {
        tracing::debug!(%error, "the server's version could not be asked for");
    })?;
    let status = response.status();
    // 503 carries the status body too (core services unavailable).
    if !status.is_success() && status != StatusCode::SERVICE_UNAVAILABLE {
        tracing::debug!(%status, "the server did not tell its version");
        return Err(());
    }
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map_err(|_| ())?
        .to_bytes();
    Ok(learned_from(&body))
}

/// What a status answer says about the version (tolerant: anything unreadable is [`Learned::Unknown`]).
fn learned_from(body: &[u8]) -> Learned {
    #[derive(Deserialize)]
    struct Status {
        version: Option<Version>,
    }
    #[derive(Deserialize)]
    struct Version {
        number: Option<String>,
        build_flavor: Option<String>,
    }
    let Ok(Status { version: Some(version) }) = serde_json::from_slice::<Status>(body) else {
        return Learned::Unknown;
    };
    if version.build_flavor.as_deref() == Some("serverless") {
        return Learned::Serverless;
    }
    version
        .number
        .as_deref()
        .and_then(KibanaVersion::parse)
        .map_or(Learned::Unknown, Learned::Version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_answers_tell_the_version_or_nothing() {
        assert_eq!(
            learned_from(br#"{"version":{"number":"9.0.1","build_flavor":"default"}}"#),
            Learned::Version(KibanaVersion::new(9, 0, 1))
        );
        assert_eq!(
            learned_from(br#"{"version":{"number":"9.3.0-SNAPSHOT"}}"#),
            Learned::Version(KibanaVersion::new(9, 3, 0))
        );
        assert_eq!(
            learned_from(br#"{"version":{"number":"9.4.0","build_flavor":"serverless"}}"#),
            Learned::Serverless
        );
        assert_eq!(
            learned_from(br#"{"status":{"overall":{"level":"available"}}}"#),
            Learned::Unknown
        );
        assert_eq!(learned_from(br#"{"version":{"number":"main"}}"#), Learned::Unknown);
        assert_eq!(learned_from(b"<html>"), Learned::Unknown);
    }
}
