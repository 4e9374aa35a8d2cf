//! The saved-objects export stream. Input: one byte choosing how the body is cut into chunks, then the body.
//!
//! However the body is chunked (one chunk; chunks of fuzzer-chosen sizes, empty ones included; one byte at a time),
//! `ndjson_lines` yields exactly the lines of the body that are not blank, in order, without their `\n`.
//! `parse_export_lines` gives one item per line: `InvalidRequest` for a line that is not a JSON object (an array
//! included, which serde would read as a struct), the details trailer for an object with `exportedCount` and no
//! `type`, otherwise an object (with the line's id and type) or a `Decode` error.

#![no_main]

use bytes::Bytes;
use kibana::{__fuzz, Error, saved_objects::ExportLine};
use libfuzzer_sys::fuzz_target;

/// Chunk lengths from `seed`: 0 to 2^(seed % 8) bytes, by a small xorshift.
fn chunked(seed: u8, body: &[u8]) -> Vec<Vec<u8>> {
    let mut state = u32::from(seed).wrapping_mul(0x9e37_79b9) | 1;
    let max = 1usize << (seed % 8);
    let mut chunks = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let len = (state as usize % (max + 1)).min(rest.len());
        chunks.push(rest[..len].to_vec());
        rest = &rest[len..];
    }
    chunks
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else {
        return;
    };
    let expected: Vec<&[u8]> = body
        .split(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .collect();
    let mut chunkings = vec![vec![body.to_vec()], chunked(seed, body)];
    if body.len() <= 1024 {
        chunkings.push(body.iter().map(|b| vec![*b]).collect());
    }
    for chunks in chunkings {
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        let lines: Vec<Bytes> = __fuzz::export_lines(chunks)
            .into_iter()
            .map(|line| line.expect("a body without transport errors has no error lines"))
            .collect();
        assert_eq!(lines, expected, "chunks of {sizes:?}");
    }

    let parsed = __fuzz::export(chunked(seed, body));
    assert_eq!(parsed.len(), expected.len());
    for (line, item) in expected.iter().zip(parsed) {
        let value = serde_json::from_slice::<serde_json::Value>(line);
        match (value, item) {
            (Err(_), Err(Error::InvalidRequest(message))) => assert!(message.starts_with("export line is not JSON")),
            (Ok(value), Err(Error::InvalidRequest(message))) if !value.is_object() => {
                assert!(message.starts_with("export line is not a JSON object"), "{message}")
            }
            (Ok(value), item) if value.is_object() => {
                let trailer = value.get("exportedCount").is_some() && value.get("type").is_none();
                match item {
                    Ok(ExportLine::Details(details)) => {
                        assert!(trailer, "{value} read as the trailer");
                        assert_eq!(Some(details.exported_count), value["exportedCount"].as_u64());
                    }
                    Ok(ExportLine::Object(object)) => {
                        assert!(!trailer, "{value} read as an object");
                        assert_eq!(Some(object.id.as_str()), value["id"].as_str());
                        assert_eq!(Some(object.object_type.as_str()), value["type"].as_str());
                    }
                    Err(Error::Decode(_)) => {}
                    Err(other) => panic!("{value}: {other:?}"),
                }
            }
            (value, item) => panic!("{:?}: {value:?} gave {item:?}", String::from_utf8_lossy(line)),
        }
    }
});
