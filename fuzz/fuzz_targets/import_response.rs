//! The answer to a multipart import or resolve-import-errors (a 200 with `ImportResult` JSON), read as `import`
//! reads it: an accepted answer is the same whether read directly or through `serde_json::Value` (as the export
//! lines are), each failure has a kind; a refused one is a `Decode` error with the status and a bounded snippet.

#![no_main]

#[path = "common/answer.rs"]
mod answer;

use kibana::{__fuzz, Error, saved_objects::ImportResult};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match __fuzz::import_answer(data) {
        Ok(result) => {
            // serde skips unknown fields without checking them in full (invalid UTF-8 in their strings, numbers past
            // f64): no reason to refuse an answer, but a `Value` cannot hold them, so such answers are not compared.
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&String::from_utf8_lossy(data)) {
                let through_value: ImportResult = serde_json::from_value(value).expect("reads through a Value");
                assert_eq!(through_value, result);
            }
            for failure in &result.errors {
                assert!(!failure.kind().is_empty());
            }
        }
        Err(Error::Decode(failure)) => {
            assert_eq!(failure.status, http::StatusCode::OK);
            assert_eq!(failure.space.as_deref(), Some("fuzz"));
            assert!(!failure.reason.is_empty());
            answer::assert_clipped(&failure.reason, 1024);
            answer::assert_snippet(&failure.body_snippet, if data.is_empty() { b"null" } else { data });
        }
        Err(other) => panic!("not a decode error: {other:?}"),
    }
});
