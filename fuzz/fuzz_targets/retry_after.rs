//! The `Retry-After` parser on any header bytes: delay-seconds give exactly that many seconds, an HTTP date the time
//! left until it (zero when it has passed), anything else `None` (the retry falls back to its backoff); the delay the
//! retry policy waits, `min(value, max_retry_after)`, is within that cap.

#![no_main]

use std::time::{Duration, SystemTime};

use kibana::{__fuzz, transport::RetryConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let before = SystemTime::now();
    let parsed = __fuzz::retry_after(data);
    let after = SystemTime::now();

    // What an HTTP client hands over as text: tab and visible ASCII (other bytes are refused or opaque).
    let text = match std::str::from_utf8(data) {
        Ok(text) if data.iter().all(|b| *b == b'\t' || (0x20..0x7f).contains(b)) => text.trim(),
        _ => return assert_eq!(parsed, None, "{data:?} is not header text"),
    };
    let date = httpdate::parse_http_date(text);
    match (parsed, text.parse::<u64>()) {
        (Some(delay), Ok(seconds)) => assert_eq!(delay, Duration::from_secs(seconds), "{text:?}"),
        (Some(delay), Err(_)) => {
            let date = date.unwrap_or_else(|_| panic!("{text:?}: neither seconds nor a date, yet {delay:?}"));
            let most = date.duration_since(before).unwrap_or(Duration::ZERO);
            let least = date.duration_since(after).unwrap_or(Duration::ZERO);
            assert!(
                least <= delay && delay <= most,
                "{text:?}: {delay:?} outside [{least:?}, {most:?}]"
            );
        }
        (None, Ok(seconds)) => panic!("{text:?}: {seconds} s ignored"),
        (None, Err(_)) => assert!(date.is_err(), "{text:?}: a date ignored"),
    }
    let cap = RetryConfig::default().max_retry_after;
    if let Some(delay) = parsed {
        assert!(delay.min(cap) <= cap);
    }
});
