//! `GET /api/status` answers (input: see `common/answer.rs`), read as `StatusApi::get` reads them: a 2xx is a
//! `Status` or a `Decode` error with a bounded snippet; a 503 is a `Status` when its body is one, else
//! `ServiceUnavailable`; any other status is its status error. An accepted status round-trips through serde, and
//! its version's compatibility is decided without panicking.

#![no_main]

#[path = "common/answer.rs"]
mod answer;

use http::StatusCode;
use kibana::{__fuzz, Compatibility, Error, ServiceLevel, Status};
use libfuzzer_sys::fuzz_target;

fn major_minor(version: &str) -> bool {
    let mut parts = version.split(['.', '-']);
    parts.next().is_some_and(|p| p.parse::<u32>().is_ok()) && parts.next().is_some_and(|p| p.parse::<u32>().is_ok())
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = answer::Answer::parse(data) else {
        return;
    };
    let Some(result) = __fuzz::status_answer(input.status, &input.body) else {
        return;
    };
    let status = StatusCode::from_u16(input.status).expect("a status code");
    let body = if input.body.is_empty() {
        b"null".as_slice()
    } else {
        &input.body
    };
    let direct = serde_json::from_slice::<Status>(body);
    match result {
        Ok(parsed) => {
            assert!(
                status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE,
                "{status} read as a status"
            );
            assert_eq!(direct.as_ref().ok(), Some(&parsed));
            let again: Status = serde_json::from_slice(&serde_json::to_vec(&parsed).unwrap()).unwrap();
            assert_eq!(again, parsed);
            assert_eq!(
                parsed.is_available(),
                parsed.status.overall.level == ServiceLevel::Available
            );
            if let Some(version) = &parsed.version {
                let compatibility = __fuzz::compatibility(&version.number);
                assert_eq!(
                    compatibility == Compatibility::Unknown,
                    !major_minor(&version.number),
                    "{version:?}"
                );
            }
        }
        Err(Error::Decode(failure)) => {
            assert!(status.is_success(), "{status}: {failure:?}");
            assert!(direct.is_err());
            assert_eq!(failure.status, status);
            assert!(!failure.reason.is_empty());
            answer::assert_clipped(&failure.reason, 1024);
            answer::assert_snippet(&failure.body_snippet, body);
        }
        Err(error) => {
            assert!(!status.is_success(), "{status}: {error:?}");
            assert!(
                status != StatusCode::SERVICE_UNAVAILABLE || direct.is_err(),
                "{status}: {error:?}"
            );
            assert_eq!(error.status(), Some(status));
            assert!(error.api_error().is_some());
        }
    }
});
