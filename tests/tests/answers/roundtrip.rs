//! The round trip: an answer decoded into a generated type and serialised again must say everything it said
//! before. What the SDK writes differently without losing anything is allowed, each for its reason:
//!
//! - `null` and absent are the same: optional fields are `Option`s, which skip `None` when serialised;
//! - an empty list or map and absent are the same: typify gives optional collections an empty default and skips
//!   them when empty;
//! - numbers compare by value: a property the document types `number` is an `f64`, written `1.0` where `1` came;
//! - date-times compare by instant: `chrono` writes `2024-01-01T00:00:00Z` where `…00.000Z` came;
//! - a UUID compares without case: `uuid` writes lowercase.
//!
//! Anything else received and not written back, or written back changed, is a loss. What the SDK writes that was
//! not received (a default the document gives) is reported apart, not a loss.

use serde_json::Value;

/// One difference, at a JSON path (`$.items[2].name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    pub what: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.what)
    }
}

/// What was received and is missing or changed in what was written back.
pub fn lost(received: &Value, written: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    compare(received, written, "$", &mut out);
    out
}

/// What was written back that was not received.
pub fn added(received: &Value, written: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    compare(written, received, "$", &mut out);
    out.retain(|d| d.what.starts_with("absent"));
    out.iter_mut()
        .for_each(|d| d.what = d.what.replacen("absent after the round trip", "added on the way", 1));
    out
}

fn compare(received: &Value, written: &Value, path: &str, out: &mut Vec<Difference>) {
    match (received, written) {
        (Value::Object(received), Value::Object(written)) => {
            for (key, value) in received {
                let child = format!("{path}.{key}");
                match written.get(key) {
                    Some(other) => compare(value, other, &child, out),
                    None if is_empty(value) => {}
                    None => out.push(Difference {
                        path: child,
                        what: format!("absent after the round trip (was {})", short(value)),
                    }),
                }
            }
        }
        (Value::Array(received), Value::Array(written)) => {
            if received.len() != written.len() {
                out.push(Difference {
                    path: path.to_owned(),
                    what: format!("{} items became {}", received.len(), written.len()),
                });
                return;
            }
            for (index, (a, b)) in received.iter().zip(written).enumerate() {
                compare(a, b, &format!("{path}[{index}]"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) || same_uuid(a, b) => {}
        (a, b) if a == b => {}
        (Value::Null, _) => {}
        (a, b) if is_empty(a) && b.is_null() => {}
        (a, b) => out.push(Difference {
            path: path.to_owned(),
            what: format!("{} became {}", short(a), short(b)),
        }),
    }
}

/// `null`, `[]` and `{}`: what an optional field the SDK skips may have been.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (parse_instant(a), parse_instant(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Seconds and nanoseconds since the epoch of an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`),
/// enough to compare two without a date crate.
fn parse_instant(text: &str) -> Option<(i64, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
        rest = &fraction[digits.len()..];
        let padded: String = digits.chars().chain(std::iter::repeat('0')).take(9).collect();
        nanos = padded.parse().ok()?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (rest.get(1..3)?.parse::<i64>().ok()? * 3600 + rest.get(4..6)?.parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    // Days since 1970-01-01 (civil calendar).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanos))
}

fn same_uuid(a: &str, b: &str) -> bool {
    a.len() == 36 && a.eq_ignore_ascii_case(b) && a.chars().filter(|c| *c == '-').count() == 4
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 80 {
        format!(
            "{}…",
            &text[..text.char_indices().nth(77).map_or(text.len(), |(i, _)| i)]
        )
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn normalisations_are_not_losses_and_drops_are() {
        let received = json!({"a": 1, "b": null, "c": [], "d": "2024-01-01T00:00:00.000Z", "e": {"f": "x", "g": 2},
            "u": "0E5F0E5F-0000-4000-8000-000000000000"});
        let written = json!({"a": 1.0, "d": "2024-01-01T00:00:00Z", "e": {"g": 2}, "u": "0e5f0e5f-0000-4000-8000-000000000000",
            "h": true});
        let lost = lost(&received, &written);
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert_eq!(lost[0].path, "$.e.f");
        assert_eq!(added(&received, &written)[0].path, "$.h");
        assert!(
            super::lost(&json!({"a": "x"}), &json!({"a": "y"}))[0]
                .what
                .contains("became")
        );
        assert!(
            super::lost(&json!([1, 2]), &json!([1]))[0]
                .what
                .contains("2 items became 1")
        );
    }
}
