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

/// Splits a byte stream into lines (without `\n`), holding at most one partial line in memory.
pub(super) fn ndjson_lines<S>(body: S) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static
where
    S: Stream<Item = reqwest::Result<Bytes>> + Send + Unpin + 'static,
{
    stream::unfold(
        (body, BytesMut::new(), false),
        |(mut body, mut buffer, mut ended)| async move {
            loop {
                if let Some(newline) = buffer.iter().position(|b| *b == b'\n') {
                    let line = buffer.split_to(newline + 1).freeze().slice(..newline);
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some((Ok(line), (body, buffer, ended)));
                }
                if ended {
                    if buffer.iter().all(u8::is_ascii_whitespace) {
                        return None;
                    }
                    let last = buffer.split().freeze();
                    return Some((Ok(last), (body, buffer, ended)));
                }
                match body.next().await {
                    Some(Ok(chunk)) => buffer.extend_from_slice(&chunk),
                    Some(Err(error)) => {
                        ended = true;
                        buffer.clear();
                        return Some((Err(body_error(error)), (body, buffer, ended)));
                    }
                    None => ended = true,
                }
            }
        },
    )
}

/// Parses export lines; the details trailer is recognised by its `exportedCount`, never mistaken for an object.
pub(super) fn parse_export_lines(
    lines: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
) -> impl Stream<Item = Result<ExportLine, Error>> + Send + 'static {
    lines.map(|line| {
        let line = line?;
        let value: Value = serde_json::from_slice(&line)
            .map_err(|e| Error::InvalidRequest(format!("export line is not JSON: {e}")))?;
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
}
