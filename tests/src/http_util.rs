//! Response helpers: JSON, Kibana's Boom error body, empty and NDJSON answers.

use bytes::Bytes;
use http::{Response, StatusCode, header};
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use serde_json::{Value, json};

pub(crate) type Body = BoxBody<Bytes, std::io::Error>;
pub(crate) type Reply = Response<Body>;

pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

pub(crate) fn json_reply(status: u16, value: &Value) -> Reply {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(full(serde_json::to_vec(value).expect("JSON values serialize")))
        .expect("valid response")
}

pub(crate) fn ok(value: &Value) -> Reply {
    json_reply(200, value)
}

/// 200 with an empty body (what several Kibana routes answer for a delete).
pub(crate) fn empty_ok() -> Reply {
    Response::builder()
        .status(200)
        .body(full(Bytes::new()))
        .expect("valid response")
}

pub(crate) fn no_content() -> Reply {
    Response::builder()
        .status(204)
        .body(full(Bytes::new()))
        .expect("valid response")
}

/// Kibana's error body: `{statusCode, error, message}`.
pub(crate) fn boom(status: u16, message: impl Into<String>) -> Reply {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    json_reply(
        status,
        &json!({"statusCode": status, "error": reason, "message": message.into()}),
    )
}

pub(crate) fn not_found() -> Reply {
    boom(404, "Not Found")
}

pub(crate) fn bad_request(message: impl Into<String>) -> Reply {
    boom(400, message)
}

pub(crate) fn saved_object_not_found(kind: &str, id: &str) -> Reply {
    boom(404, format!("Saved object [{kind}/{id}] not found"))
}

pub(crate) fn conflict(kind: &str, id: &str) -> Reply {
    boom(409, format!("Saved object [{kind}/{id}] conflict"))
}
