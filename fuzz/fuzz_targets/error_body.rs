//! Kibana error bodies (input: see `common/answer.rs`), whatever their size.
//!
//! `KibanaErrorBody::parse` is bounded (`error` ≤ 256 bytes, `message` ≤ `MAX_MESSAGE_BYTES`, `attributes` ≤
//! `MAX_ATTRIBUTES_BYTES` as JSON, each and a cut note) and well formed: a Kibana-shaped body (a JSON object with a
//! string `message` or a numeric `statusCode`) keeps what Kibana said (cut only past the bounds), anything else
//! becomes the status, its reason phrase and a snippet of the text. The error a hand-written route makes of the
//! answer: the variant of its status, that body (a redirect's message names its `Location`), the `Retry-After`
//! parser's value, a bounded `Display` and `Debug` naming request and space.

#![no_main]

#[path = "common/answer.rs"]
mod answer;

use answer::{NOTE_ROOM, assert_clipped};
use http::StatusCode;
use kibana::{__fuzz, Error, KibanaErrorBody};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const MAX_REASON_BYTES: usize = 256;
/// A Location is shown up to 1 KiB.
const MAX_LOCATION_BYTES: usize = 1024;

fn floor(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn assert_bounded(body: &KibanaErrorBody) {
    assert_clipped(&body.error, MAX_REASON_BYTES);
    // A message can carry two notes: what was cut of it, and that the body itself was cut.
    assert_clipped(&body.message, KibanaErrorBody::MAX_MESSAGE_BYTES + NOTE_ROOM);
    if let Some(attributes) = &body.attributes {
        let fits = attributes.to_string().len() <= KibanaErrorBody::MAX_ATTRIBUTES_BYTES;
        let cut =
            matches!(attributes, Value::String(s) if s.len() <= KibanaErrorBody::MAX_ATTRIBUTES_BYTES + NOTE_ROOM);
        assert!(fits || cut, "attributes of {} bytes", attributes.to_string().len());
    }
    let debug = format!("{body:?}");
    assert!(
        debug.len()
            <= 2 * (MAX_REASON_BYTES + KibanaErrorBody::MAX_MESSAGE_BYTES + 2 * KibanaErrorBody::MAX_ATTRIBUTES_BYTES)
                + 1024,
        "Debug of {} bytes",
        debug.len()
    );
}

/// A field kept from the body: whole when within `max`, else its start (the cut note follows).
fn assert_kept(kept: &str, sent: &str, max: usize) {
    if sent.len() <= max {
        assert_eq!(kept, sent);
    } else {
        assert!(
            kept.starts_with(floor(sent, max - 4)),
            "{:?}… is not the start of what was sent",
            floor(kept, 64)
        );
        assert!(kept.contains("[cut by kibana-rs: "));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = answer::Answer::parse(data) else {
        return;
    };
    let Ok(status) = StatusCode::from_u16(input.status) else {
        return;
    };
    let body = &input.body[..];
    let parsed = KibanaErrorBody::parse(status, body);
    assert_bounded(&parsed);
    let reason = status.canonical_reason().unwrap_or_default();

    if body.len() <= KibanaErrorBody::MAX_BODY_BYTES {
        let object = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| v.as_object().cloned());
        let shaped = object.filter(|o| {
            o.get("message").is_some_and(Value::is_string) || o.get("statusCode").is_some_and(Value::is_number)
        });
        match shaped {
            Some(sent) => {
                let sent_status = sent
                    .get("statusCode")
                    .and_then(Value::as_u64)
                    .and_then(|n| u16::try_from(n).ok());
                assert_eq!(parsed.status_code, sent_status.unwrap_or(status.as_u16()));
                let text = |field: &str| match sent.get(field) {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                };
                assert_kept(
                    &parsed.error,
                    &text("error").unwrap_or_else(|| reason.to_owned()),
                    MAX_REASON_BYTES,
                );
                assert_kept(
                    &parsed.message,
                    &text("message").unwrap_or_default(),
                    KibanaErrorBody::MAX_MESSAGE_BYTES,
                );
                match sent.get("attributes").filter(|a| !a.is_null()) {
                    None => assert_eq!(parsed.attributes, None),
                    Some(a) if a.to_string().len() <= KibanaErrorBody::MAX_ATTRIBUTES_BYTES => {
                        assert_eq!(parsed.attributes.as_ref(), Some(a))
                    }
                    Some(_) => assert!(matches!(parsed.attributes, Some(Value::String(_)))),
                }
            }
            None => {
                assert_eq!(parsed.status_code, status.as_u16());
                assert_eq!(parsed.error, reason);
                assert_eq!(parsed.attributes, None);
                if String::from_utf8_lossy(body).trim().is_empty() {
                    // Nothing to show: the message says the body was empty (or blank), never nothing.
                    assert!(
                        parsed.message.starts_with("(the error body was "),
                        "{:?}",
                        parsed.message
                    );
                } else {
                    answer::assert_snippet(&parsed.message, body);
                }
            }
        }
    }

    let Some(error) = __fuzz::error_answer(input.status, &input.headers, body) else {
        return;
    };
    assert_eq!(error.status(), Some(status));
    assert_eq!(error.space(), Some("fuzz"));
    let api = error.api_error().expect("a status error");
    assert_bounded(&api.body);
    if status.is_redirection() {
        let location = input
            .header("location")
            .map(|l| http::HeaderValue::from_bytes(l).unwrap());
        let location = location
            .as_ref()
            .and_then(|l| l.to_str().ok())
            .unwrap_or("(no Location header)");
        let shown = floor(location, MAX_LOCATION_BYTES);
        assert!(
            api.body.message.contains(shown),
            "{:?} does not name {shown:?}",
            floor(&api.body.message, 64)
        );
        assert_clipped(&api.body.message, MAX_LOCATION_BYTES + 200);
    }
    assert_eq!(
        api.retry_after,
        input.header("retry-after").and_then(__fuzz::retry_after)
    );
    assert_eq!(error.retry_after(), api.retry_after);
    assert_eq!(
        error.is_retryable(),
        matches!(status.as_u16(), 429 | 502 | 503 | 504),
        "{status}"
    );
    let variant_fits = match status.as_u16() {
        400 => matches!(error, Error::BadRequest(_)),
        401 => matches!(error, Error::Unauthorized(_)),
        403 => matches!(error, Error::Forbidden(_)),
        404 => matches!(error, Error::NotFound(_)),
        409 => matches!(error, Error::Conflict(_)),
        413 => matches!(error, Error::PayloadTooLarge(_)),
        429 => matches!(error, Error::TooManyRequests(_)),
        503 => matches!(error, Error::ServiceUnavailable(_)),
        500..=599 => matches!(error, Error::ServerError(_)),
        _ => matches!(error, Error::OtherStatus(_)),
    };
    assert!(variant_fits, "{status} made {error:?}");
    let shown = error.to_string();
    assert!(
        shown.starts_with("[space: fuzz] ") && shown.contains("GET /api/fuzz"),
        "{}",
        floor(&shown, 200)
    );
    assert_clipped(&shown, KibanaErrorBody::MAX_MESSAGE_BYTES + 2 * NOTE_ROOM + 256);
    let debug = format!("{error:?}");
    assert!(debug.len() <= 32 * 1024, "Debug of {} bytes", debug.len());
});
