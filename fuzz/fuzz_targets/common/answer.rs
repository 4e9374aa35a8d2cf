#![allow(dead_code)] // each target uses a part

//! The input of the answer targets, an HTTP answer in miniature (so that seeds can be written by hand):
//!
//! ```text
//! 409
//! Location: /elsewhere
//! Retry-After: 5
//!
//! {"statusCode":409,"error":"Conflict","message":"..."}
//! ```
//!
//! The first line is the status; header lines up to an empty line are optional; the rest is the body. One header is
//! the harness's own: `Pad: <n>` replaces the body's first `~` (or, without one, appends) with `n` bytes `a`
//! (`n` ≤ 80 KiB), so that small inputs can stand for bodies past the client's read limits.

use std::borrow::Cow;

pub struct Answer<'a> {
    pub status: u16,
    /// Header lines as `(name, value)`, in order, `Pad` excluded.
    pub headers: Vec<(&'a [u8], &'a [u8])>,
    pub body: Cow<'a, [u8]>,
}

/// Past `KibanaErrorBody::MAX_BODY_BYTES` (64 KiB) and the transport's one byte more, not much further.
const MAX_PAD: usize = 80 * 1024;

impl<'a> Answer<'a> {
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let newline = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
        let status = std::str::from_utf8(&data[..newline]).ok()?.trim().parse().ok()?;
        let rest = data.get(newline + 1..).unwrap_or_default();
        let Some(end) = rest.windows(2).position(|w| w == b"\n\n") else {
            return Some(Answer {
                status,
                headers: Vec::new(),
                body: Cow::Borrowed(rest),
            });
        };
        let mut headers = Vec::new();
        let mut pad = None;
        for line in rest[..end].split(|b| *b == b'\n') {
            let Some(colon) = line.iter().position(|b| *b == b':') else {
                continue;
            };
            let (name, value) = (&line[..colon], &line[colon + 1..]);
            let value = value.strip_prefix(b" ").unwrap_or(value);
            if name.eq_ignore_ascii_case(b"pad") {
                pad = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.trim().parse::<usize>().ok());
            } else {
                headers.push((name, value));
            }
        }
        let body = &rest[end + 2..];
        let body = match pad {
            None => Cow::Borrowed(body),
            Some(n) => {
                let filler = vec![b'a'; n.min(MAX_PAD)];
                let mut padded = Vec::with_capacity(body.len() + filler.len());
                match body.iter().position(|b| *b == b'~') {
                    Some(at) => {
                        padded.extend_from_slice(&body[..at]);
                        padded.extend_from_slice(&filler);
                        padded.extend_from_slice(&body[at + 1..]);
                    }
                    None => {
                        padded.extend_from_slice(body);
                        padded.extend_from_slice(&filler);
                    }
                }
                Cow::Owned(padded)
            }
        };
        Some(Answer { status, headers, body })
    }

    /// The first value of a header, as an HTTP client would hand it over (`None` when it could not be a header).
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| *v)
    }
}

/// Room the client leaves for a note saying what it cut (`… [cut by kibana-rs: 4096 of 5242880 bytes shown]`).
pub const NOTE_ROOM: usize = 96;
const CUT_NOTE: &str = "… [cut by kibana-rs: ";

/// A body snippet (decode failures, non-JSON error bodies): the whole (trimmed) body when short, else its start, at
/// most 200 characters, and a note saying how much there was.
pub fn assert_snippet(snippet: &str, body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    if snippet == text.trim() {
        return assert!(
            snippet.chars().count() <= 200,
            "{} characters kept whole",
            snippet.chars().count()
        );
    }
    let cut = snippet
        .rfind(CUT_NOTE)
        .unwrap_or_else(|| panic!("{snippet:?}: neither the body nor cut"));
    let (kept, note) = snippet.split_at(cut);
    assert!(note.ends_with(" bytes shown]") && note.len() <= NOTE_ROOM, "{note:?}");
    assert!(kept.chars().count() <= 200, "{} characters kept", kept.chars().count());
    // The last character may stand for a code point the cut split (`U+FFFD`).
    let kept = kept.trim_end_matches('\u{fffd}');
    assert!(
        text.trim_start().starts_with(kept),
        "{kept:?} is not the start of the body"
    );
}

/// A text the client clipped to `max` bytes: at most that, and a cut note.
pub fn assert_clipped(text: &str, max: usize) {
    assert!(
        text.len() <= max + NOTE_ROOM,
        "{} bytes, more than {max} and a note",
        text.len()
    );
}
