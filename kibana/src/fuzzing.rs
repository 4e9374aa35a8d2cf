//! **Not API: for `cargo fuzz` only** (the targets in the workspace's `fuzz/` directory).
//!
//! Hidden from the docs, outside semver, and free to change or vanish in any release: do not call it. Each function
//! is a thin shim that hands bytes to the parser the client really runs on what a server (or a configuration file)
//! sends it, including the crate-private ones, and returns what that parser returns. The contracts are asserted by
//! the fuzz targets, not here.

use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, executor::block_on, stream};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use url::Url;

use crate::{
    Compatibility, ConfigError, Error, Kibana, SpaceId, Status,
    client::{RawBody, RawResponse},
    saved_objects::{ExportLine, ImportResult, stream::ndjson_lines, stream::parse_export_lines},
    transport::{PLACEHOLDER_ORIGIN, hosts::HostBase, retry},
};

/// [`crate::cloud_id::kibana_url`].
pub fn cloud_id(id: &str) -> Result<Url, ConfigError> {
    crate::cloud_id::kibana_url(id)
}

/// [`SpaceId::new`].
pub fn space_id(id: &str) -> Result<SpaceId, Error> {
    SpaceId::new(id)
}

/// Request paths a host is tried with: the root, a plain path, a space-scoped path with a query.
pub const PROBE_PATHS: &[&str] = &[
    "/",
    "/api/status",
    "/s/ops/api/saved_objects/_find?type=dashboard&per_page=1",
];

/// A host as the client ended up with it.
#[derive(Debug)]
pub struct Host {
    /// What `Kibana::hosts()` reports.
    pub url: Url,
    /// The host as the transport splits it (or why it could not).
    pub base: Result<HostTargets, String>,
}

/// A host split for requests, and where requests go on it.
#[derive(Debug)]
pub struct HostTargets {
    /// `http` or `https`.
    pub scheme: String,
    /// Host and port.
    pub authority: String,
    /// The path prefix, without a trailing `/`.
    pub path_prefix: String,
    /// Each of [`PROBE_PATHS`] on this host (or why it could not be sent there).
    pub targets: Vec<Result<String, String>>,
}

/// `Kibana::builder().hosts(urls).build()` (without loading the system trust store, which is not what is fuzzed),
/// then each host as the transport splits it ([`HostBase`]) and joins request paths onto it.
pub fn hosts(urls: &[&str]) -> Result<Vec<Host>, ConfigError> {
    let client = Kibana::builder()
        .hosts(urls.iter().copied())
        .danger_accept_invalid_certs(true)
        .build()?;
    Ok(client
        .hosts()
        .iter()
        .map(|url| Host {
            url: url.clone(),
            base: HostBase::new(url).map(|base| {
                let targets = PROBE_PATHS
                    .iter()
                    .map(|path| {
                        let uri: http::Uri = format!("{PLACEHOLDER_ORIGIN}{path}").parse().expect("a valid probe");
                        base.target(&uri).map(|t| t.to_string()).map_err(|e| e.to_string())
                    })
                    .collect();
                HostTargets {
                    scheme: base.scheme.to_string(),
                    authority: base.authority.to_string(),
                    path_prefix: base.path_prefix.clone(),
                    targets,
                }
            }),
        })
        .collect())
}

/// The crate's `Retry-After` parser on a header of these bytes (`None` as well when they cannot be a header value,
/// which no HTTP client hands over).
pub fn retry_after(value: &[u8]) -> Option<Duration> {
    let mut headers = HeaderMap::new();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_bytes(value).ok()?);
    retry::retry_after(&headers)
}

fn answer(status: StatusCode, headers: HeaderMap, body: &[u8]) -> RawResponse {
    RawResponse {
        status,
        headers,
        attempts: 1,
        body: RawBody {
            bytes: Bytes::copy_from_slice(body),
            method: Method::GET,
            path: "/api/fuzz".into(),
            space: Some("fuzz".into()),
        },
    }
}

/// The error a hand-written route makes of an answer with this status, these headers and this body; `None` when
/// `status` is not a status code or a header could not be one (no HTTP client hands such a header over).
pub fn error_answer(status: u16, headers: &[(&[u8], &[u8])], body: &[u8]) -> Option<Error> {
    let status = StatusCode::from_u16(status).ok()?;
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.append(
            http::HeaderName::from_bytes(name).ok()?,
            HeaderValue::from_bytes(value).ok()?,
        );
    }
    Some(answer(status, map, body).into_error())
}

/// `GET /api/status` answered with this status and body, read as `StatusApi::get` reads it; `None` when `status` is
/// not a status code.
pub fn status_answer(status: u16, body: &[u8]) -> Option<Result<Status, Error>> {
    let status = StatusCode::from_u16(status).ok()?;
    Some(crate::status::status_from_answer(answer(
        status,
        HeaderMap::new(),
        body,
    )))
}

/// How a server reporting this version relates to the pinned spec (the version comes from the status body).
pub fn compatibility(server_version: &str) -> Compatibility {
    crate::status::compatibility_of(Some(server_version))
}

/// A 200 answer to a multipart import (or resolve-import-errors), read as `import` reads it.
pub fn import_answer(body: &[u8]) -> Result<ImportResult, Error> {
    answer(StatusCode::OK, HeaderMap::new(), body).json()
}

fn body(chunks: Vec<Vec<u8>>) -> impl futures::Stream<Item = reqwest::Result<Bytes>> + Send + Unpin + 'static {
    stream::iter(chunks.into_iter().map(|chunk| Ok(Bytes::from(chunk))))
}

/// The export body arriving in these chunks, split into lines by the export's own stream, to its end.
pub fn export_lines(chunks: Vec<Vec<u8>>) -> Vec<Result<Bytes, Error>> {
    block_on(ndjson_lines(body(chunks)).collect())
}

/// The export body arriving in these chunks, split and parsed by the export's own streams, to its end.
pub fn export(chunks: Vec<Vec<u8>>) -> Vec<Result<ExportLine, Error>> {
    block_on(parse_export_lines(ndjson_lines(body(chunks))).collect())
}

#[cfg(test)]
mod tests {
    //! The shims reach their parsers (the fuzz crate is not built by `cargo test`).

    use super::*;

    #[test]
    fn shims_reach_the_parsers() {
        assert!(space_id("ops").is_ok());
        assert!(cloud_id("").is_err());
        let hosts = hosts(&["http://localhost:5601/kibana/"]).unwrap();
        let base = hosts[0].base.as_ref().unwrap();
        assert_eq!(
            (base.scheme.as_str(), base.authority.as_str(), base.path_prefix.as_str()),
            ("http", "localhost:5601", "/kibana")
        );
        assert_eq!(
            base.targets[1].as_deref(),
            Ok("http://localhost:5601/kibana/api/status")
        );
        assert_eq!(retry_after(b" 7 "), Some(Duration::from_secs(7)));
        let headers: &[(&[u8], &[u8])] = &[(b"retry-after", b"3")];
        let error = error_answer(429, headers, br#"{"statusCode":429,"message":"slow down"}"#).unwrap();
        assert_eq!(
            (error.kibana_message(), error.retry_after()),
            (Some("slow down"), Some(Duration::from_secs(3)))
        );
        let status = status_answer(503, br#"{"status":{"overall":{"level":"unavailable"}}}"#).unwrap();
        assert!(!status.unwrap().is_available());
        assert!(import_answer(br#"{"success":true,"successCount":0}"#).unwrap().success);
        // The crash `cargo xtask fuzz` found (fuzz/regressions/import_response/): an empty error type.
        let crash =
            br#"{"success":false,"successCount":0,"errors":[{"id":"a","type":"dashboard","error":{"type":""}}]}"#;
        let result = import_answer(crash).unwrap();
        assert_eq!(result.errors[0].kind(), "unknown");
        let chunks = vec![
            b"{\"id\":\"a\",\"type\":\"t\",\"attributes\":{}}\n{\"exported".to_vec(),
            b"Count\":1}".to_vec(),
        ];
        let lines = export_lines(chunks.clone());
        assert_eq!(lines.len(), 2);
        assert!(matches!(
            export(chunks)[..],
            [Ok(ExportLine::Object(_)), Ok(ExportLine::Details(_))]
        ));
    }
}
