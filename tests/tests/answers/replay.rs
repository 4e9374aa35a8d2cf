//! A tower layer for the client's stack that records the last answer it saw, or answers a request itself with a
//! canned answer (no request leaves the process then).

use std::{
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use bytes::Bytes;
use futures::future::BoxFuture;
use http_body_util::BodyExt;
use kibana::transport::{HttpRequest, HttpResponse, KibanaService, TransportError};
use tower::{Layer, Service};

/// An answer: status, media type and body.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
}

impl Recorded {
    /// A `200 application/json` answer.
    pub fn json(body: impl Into<Bytes>) -> Self {
        Self {
            status: 200,
            content_type: Some("application/json".into()),
            body: body.into(),
        }
    }

    /// The body as JSON, when it is.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

#[derive(Default)]
struct State {
    last: Option<Recorded>,
    replay: Option<Recorded>,
    /// The query string of the last request that came through.
    last_query: Option<String>,
}

/// Records answers, or replays one; clones share their state.
#[derive(Clone, Default)]
pub struct Tap(Arc<Mutex<State>>);

impl Tap {
    /// The last answer that came through (buffered whole).
    pub fn last(&self) -> Option<Recorded> {
        self.0.lock().unwrap().last.clone()
    }

    /// From now on, answer every request with `answer` (or stop, with `None`).
    pub fn replay(&self, answer: Option<Recorded>) {
        let mut state = self.0.lock().unwrap();
        state.replay = answer;
        state.last = None;
    }

    /// Forgets the last answer and request.
    pub fn clear(&self) {
        let mut state = self.0.lock().unwrap();
        state.last = None;
        state.last_query = None;
    }

    /// The query string of the last request (`""` when it had none).
    pub fn last_query(&self) -> Option<String> {
        self.0.lock().unwrap().last_query.clone()
    }
}

impl Layer<KibanaService> for Tap {
    type Service = TapService;
    fn layer(&self, inner: KibanaService) -> TapService {
        TapService {
            inner,
            tap: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct TapService {
    inner: KibanaService,
    tap: Tap,
}

impl Service<HttpRequest> for TapService {
    type Response = HttpResponse;
    type Error = TransportError;
    type Future = BoxFuture<'static, Result<HttpResponse, TransportError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), TransportError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let replay = {
            let mut state = self.tap.0.lock().unwrap();
            state.last_query = Some(request.uri().query().unwrap_or_default().to_owned());
            state.replay.clone()
        };
        if let Some(answer) = replay {
            return Box::pin(async move { Ok(response(&answer)) });
        }
        let tap = self.tap.clone();
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            let (parts, body) = response.into_parts();
            let bytes = body
                .collect()
                .await
                .map_err(|e| TransportError::Other(Box::new(e)))?
                .to_bytes();
            let recorded = Recorded {
                status: parts.status.as_u16(),
                content_type: parts
                    .headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: bytes.clone(),
            };
            tap.0.lock().unwrap().last = Some(recorded);
            Ok(http::Response::from_parts(parts, reqwest::Body::from(bytes)))
        })
    }
}

fn response(answer: &Recorded) -> HttpResponse {
    let mut builder = http::Response::builder().status(answer.status);
    if let Some(content_type) = &answer.content_type {
        builder = builder.header(http::header::CONTENT_TYPE, content_type);
    }
    builder
        .header(http::header::CONTENT_LENGTH, answer.body.len())
        .body(reqwest::Body::from(answer.body.clone()))
        .expect("a valid canned answer")
}
