//! Streams: lazy paging for `find_all` and NDJSON line splitting for exports.

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt, TryStreamExt, stream};
use http::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ExportLine, FindOptions, RESULT_WINDOW, SavedObject, SavedObjects, decode};
use crate::{Error, error::TransportFailure};

/// Objects per page when `find_all` is not told: large pages mean fewer requests.
const DEFAULT_PAGE_SIZE: u64 = 100;

struct Paging {
    api: SavedObjects,
    options: FindOptions,
    next_page: u64,
    done: bool,
}

pub(super) fn find_all<A: DeserializeOwned + Send + 'static>(
    api: SavedObjects,
    mut options: FindOptions,
) -> impl Stream<Item = Result<SavedObject<A>, Error>> + Send + 'static {
    options.per_page = Some(options.per_page.unwrap_or(DEFAULT_PAGE_SIZE));
    let first = options.page.unwrap_or(1);
    let state = Paging {
        api,
        options,
        next_page: first,
        done: false,
    };
    stream::try_unfold(state, move |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let request = state.options.clone().page(state.next_page);
        let page = state.api.find::<A>(&request).await?;
        if state.next_page == first && page.total > RESULT_WINDOW {
            return Err(Error::InvalidRequest(format!(
                "{} objects match, more than Kibana's {RESULT_WINDOW}-result window lets find page through; \
                 narrow the search (types, search, filter) or use export",
                page.total
            )));
        }
        state.next_page += 1;
        state.done = page.saved_objects.is_empty() || page.page * page.per_page >= page.total;
        Ok(Some((page.saved_objects, state)))
    })
    .map_ok(|objects| stream::iter(objects.into_iter().map(Ok)))
    .try_flatten()
}

fn body_error(error: reqwest::Error) -> Error {
    Error::Connection(Box::new(TransportFailure {
        method: Method::POST,
        path: "/api/saved_objects/_export".into(),
        space: None,
        attempts: 1,
        source: Box::new(error),
    }))
}

/// Splits a byte stream into lines (without `\n`), holding at most one partial line in memory. Lines of ASCII
/// whitespace only are skipped.
pub(crate) fn ndjson_lines<S>(body: S) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static
where
    S: Stream<Item = reqwest::Result<Bytes>> + Send + Unpin + 'static,
{
    ndjson_lines_with(body, body_error)
}

/// [`ndjson_lines`], with the error a body that breaks off stands for (the call's method, path, space and attempts).
pub(crate) fn ndjson_lines_with<S>(
    body: S,
    on_error: impl Fn(reqwest::Error) -> Error + Send + Sync + 'static,
) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static
where
    S: Stream<Item = reqwest::Result<Bytes>> + Send + Unpin + 'static,
{
    // `scanned`: how much of `buffer` is known to hold no newline, so that a long line arriving in many chunks is
    // searched once, not once per chunk.
    let on_error = std::sync::Arc::new(on_error);
    stream::unfold(
        (body, BytesMut::new(), 0usize, false),
        move |(mut body, mut buffer, mut scanned, mut ended)| {
            let on_error = on_error.clone();
            async move {
                loop {
                    if let Some(offset) = buffer[scanned..].iter().position(|b| *b == b'\n') {
                        let newline = scanned + offset;
                        scanned = 0;
                        let line = buffer.split_to(newline + 1).freeze().slice(..newline);
                        if line.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        return Some((Ok(line), (body, buffer, scanned, ended)));
                    }
                    scanned = buffer.len();
                    if ended {
                        if buffer.iter().all(u8::is_ascii_whitespace) {
                            return None;
                        }
                        let last = buffer.split().freeze();
                        return Some((Ok(last), (body, buffer, 0, ended)));
                    }
                    match body.next().await {
                        Some(Ok(chunk)) => buffer.extend_from_slice(&chunk),
                        Some(Err(error)) => {
                            ended = true;
                            buffer.clear();
                            return Some((Err(on_error(error)), (body, buffer, 0, ended)));
                        }
                        None => ended = true,
                    }
                }
            }
        },
    )
}

/// Parses export lines; the details trailer is recognised by its `exportedCount`, never mistaken for an object.
pub(crate) fn parse_export_lines(
    lines: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
) -> impl Stream<Item = Result<ExportLine, Error>> + Send + 'static {
    lines.map(|line| {
        let line = line?;
        let value: Value = serde_json::from_slice(&line)
            .map_err(|e| Error::InvalidRequest(format!("export line is not JSON: {e}")))?;
        // serde reads a struct from an array too (`["id","type",{}]` would be an object): only objects are lines.
        if !value.is_object() {
            return Err(Error::InvalidRequest(format!(
                "export line is not a JSON object: {}",
                crate::error::snippet(&line)
            )));
        }
        if value.get("exportedCount").is_some() && value.get("type").is_none() {
            Ok(ExportLine::Details(decode(value, "export details")?))
        } else {
            Ok(ExportLine::Object(decode(value, "exported object")?))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_are_split_across_chunks() {
        let chunks: Vec<reqwest::Result<Bytes>> = vec![
            Ok(Bytes::from("{\"a\":1}\n{\"b\"")),
            Ok(Bytes::from(":2}\n\n{\"c\":3}")),
        ];
        let lines: Vec<Bytes> = ndjson_lines(stream::iter(chunks)).try_collect().await.unwrap();
        assert_eq!(
            lines,
            [
                Bytes::from("{\"a\":1}"),
                Bytes::from("{\"b\":2}"),
                Bytes::from("{\"c\":3}")
            ]
        );
    }

    /// Found by `cargo fuzz` (target `export_ndjson`): the line `["","s","s"]` was read as an object with id `""`,
    /// type `s` and attributes `"s"`.
    #[tokio::test]
    async fn a_line_that_is_not_an_object_is_an_error_not_an_object() {
        let lines = [
            "[\"\",\"s\",\"s\"]",
            "[\"d1\",\"dashboard\",{}]",
            "[1]",
            "\"s\"",
            "7",
            "null",
        ];
        let items: Vec<_> = parse_export_lines(stream::iter(lines.map(|l| Ok(Bytes::from(l)))))
            .collect()
            .await;
        assert_eq!(items.len(), lines.len());
        for (line, item) in lines.iter().zip(items) {
            match item {
                Err(Error::InvalidRequest(message)) => assert!(message.contains("not a JSON object"), "{message}"),
                other => panic!("{line}: {other:?}"),
            }
        }
        let object = "{\"id\":\"d1\",\"type\":\"dashboard\",\"attributes\":{}}";
        let items: Vec<_> = parse_export_lines(stream::once(async move { Ok(Bytes::from(object)) }))
            .collect()
            .await;
        assert!(matches!(items[..], [Ok(ExportLine::Object(_))]));
    }

    #[tokio::test]
    async fn a_long_line_in_many_small_chunks_is_split_right() {
        // 64 KiB lines arriving 7 bytes at a time (searching the whole buffer again for each chunk took seconds).
        let line = format!("{{\"id\":\"{}\"}}", "x".repeat(64 * 1024));
        let body = format!("{line}\n \n{line}\n{line}");
        let chunks: Vec<reqwest::Result<Bytes>> = body
            .as_bytes()
            .chunks(7)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let lines: Vec<Bytes> = ndjson_lines(stream::iter(chunks)).try_collect().await.unwrap();
        assert_eq!(lines, vec![Bytes::from(line); 3]);
    }
}
