//! Accepts connections and runs each request through what Kibana enforces, the faults, and the routes.

use std::{collections::BTreeMap, sync::Arc};

use base64::{Engine, engine::general_purpose::STANDARD};
use bytes::Bytes;
use futures::stream;
use http::{HeaderValue, Method, Request, Response, header};
use http_body_util::{BodyExt, StreamBody, combinators::BoxBody};
use hyper::{body::Incoming, service::service_fn};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::{
    faults::{self, FaultAction},
    http_util::{Reply, bad_request, boom, full, not_found},
    routes,
    state::{Auth, LoggedRequest, Shared},
};

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connections = shared.clone();
        let shared = shared.clone();
        let connection = tokio::spawn(async move {
            let service = service_fn(move |request| handle(shared.clone(), request));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        let mut open = connections.connections.lock().expect("connections lock");
        open.retain(|c| !c.is_finished());
        open.push(connection.abort_handle());
    }
}

/// What a route sees of a request.
pub(crate) struct Ctx {
    pub(crate) method: Method,
    pub(crate) space: String,
    pub(crate) path: String,
    pub(crate) query: BTreeMap<String, Vec<String>>,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) authenticated: bool,
}

impl Ctx {
    pub(crate) fn query_one(&self, key: &str) -> Option<&str> {
        self.query.get(key).and_then(|v| v.first()).map(String::as_str)
    }

    pub(crate) fn query_bool(&self, key: &str) -> bool {
        self.query_one(key) == Some("true")
    }

    pub(crate) fn json(&self) -> Result<serde_json::Value, Reply> {
        if self.body.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&self.body).map_err(|_| bad_request("Invalid request payload JSON format"))
    }
}

type Outcome = Result<Response<BoxBody<Bytes, std::io::Error>>, std::io::Error>;

fn dropped() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "fault: connection dropped")
}

async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Outcome {
    let method = request.method().clone();
    let Some(full_path) = strip_base_path(request.uri().path(), &shared.config.base_path) else {
        return Ok(finish(not_found()));
    };
    let raw_query = request.uri().query().map(str::to_owned);
    let fault = faults::take(
        &mut shared.faults.lock().expect("faults lock"),
        method.as_str(),
        &full_path,
    );
    let (space, api_path) = split_space(&full_path);
    let headers = request.headers().clone();
    let log = |body: Bytes| {
        shared.log.lock().expect("log lock").push(LoggedRequest {
            method: method.to_string(),
            path: full_path.clone(),
            query: raw_query.clone(),
            space: space.clone().unwrap_or_else(|| "default".into()),
            headers: headers.clone(),
            body,
        });
    };

    match &fault {
        Some(FaultAction::DropBeforeBody) => {
            log(Bytes::new());
            return Err(dropped());
        }
        Some(FaultAction::Status { status, retry_after }) => {
            log(Bytes::new());
            let mut reply = match status {
                429 => boom(429, "Server is overloaded"),
                503 => boom(503, "Service Unavailable"),
                500 => boom(
                    500,
                    "An internal server error occurred. Check Kibana server logs for details.",
                ),
                other => boom(*other, "Injected fault"),
            };
            if let Some(value) = retry_after {
                reply
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_str(value).expect("valid header"));
            }
            return Ok(finish(reply));
        }
        Some(FaultAction::NotReady { retry_after }) => {
            log(Bytes::new());
            let reply = Response::builder()
                .status(503)
                .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
                .header(header::RETRY_AFTER, retry_after.as_str())
                .body(full("Kibana server is not ready yet"))
                .expect("valid response");
            return Ok(finish(reply));
        }
        Some(FaultAction::Answer {
            status,
            content_type,
            body,
        }) => {
            log(Bytes::new());
            let reply = Response::builder()
                .status(*status)
                .header(header::CONTENT_TYPE, content_type.as_str())
                .body(full(body.clone()))
                .expect("valid response");
            return Ok(finish(reply));
        }
        _ => {}
    }
    if !shared.config.latency.is_zero() {
        tokio::time::sleep(shared.config.latency).await;
    }

    let limit = if api_path.ends_with("/_import") || api_path.ends_with("/_resolve_import_errors") {
        shared.config.import_max_payload
    } else {
        shared.config.max_payload
    };
    let too_large = || {
        boom(
            413,
            format!("Payload content length greater than maximum allowed: {limit}"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        log(Bytes::new());
        return Ok(finish(too_large()));
    }
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(dropped()),
    };
    log(body.clone());
    if let Some(FaultAction::Delay(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    if body.len() > limit {
        return Ok(finish(too_large()));
    }

    let reply = match space {
        // `/s/` followed by something that is not a space id: no route matches (e.g. uppercase).
        None if full_path.starts_with("/s/") => not_found(),
        _ => {
            let ctx = Ctx {
                method: method.clone(),
                space: space.clone().unwrap_or_else(|| "default".into()),
                path: api_path,
                query: parse_query(raw_query.as_deref()),
                headers: headers.clone(),
                body,
                authenticated: false,
            };
            enforce_and_route(&shared, ctx)
        }
    };

    match fault {
        Some(FaultAction::DropAfterBody) => Err(dropped()),
        Some(FaultAction::TruncatedBody) => Ok(finish(truncate(reply, BodyEnd::Break).await)),
        Some(FaultAction::StalledBody) => Ok(finish(truncate(reply, BodyEnd::Stall).await)),
        Some(FaultAction::MalformedBody) => Ok(finish(
            Response::builder()
                .status(200)
                .header(header::CONTENT_TYPE, "application/json")
                .body(full("{\"id\": \"oops\", this is not json"))
                .expect("valid response"),
        )),
        _ => Ok(finish(reply)),
    }
}

fn finish(mut reply: Reply) -> Reply {
    reply
        .headers_mut()
        .insert("kbn-name", HeaderValue::from_static("kibana-fake"));
    reply
}

/// The path inside the base path (`None`: outside it).
fn strip_base_path(path: &str, base_path: &str) -> Option<String> {
    if base_path.is_empty() {
        return Some(path.to_owned());
    }
    match path.strip_prefix(base_path) {
        Some("") => Some("/".to_owned()),
        Some(rest) if rest.starts_with('/') => Some(rest.to_owned()),
        _ => None,
    }
}

/// What follows the first half of a cut body.
#[derive(Clone, Copy)]
enum BodyEnd {
    /// The connection breaks.
    Break,
    /// Nothing, ever, with the connection open.
    Stall,
}

/// Announces the whole body but sends only its first half, then breaks the connection or stalls.
async fn truncate(reply: Reply, end: BodyEnd) -> Reply {
    let (mut parts, body) = reply.into_parts();
    let bytes = body.collect().await.map(|c| c.to_bytes()).unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len().max(2)));
    // The pause lets the headers and the first half reach the client before the connection breaks.
    let frames = stream::unfold(Some(half), move |half| async move {
        match half {
            Some(half) => Some((Ok(hyper::body::Frame::data(half)), None)),
            None => {
                if let BodyEnd::Stall = end {
                    std::future::pending::<()>().await;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                Some((Err(dropped()), None))
            }
        }
    });
    Response::from_parts(parts, BoxBody::new(StreamBody::new(frames)))
}

/// `(space, path without prefix)`; the space is `None` without prefix or when the prefix is not a valid id.
fn split_space(path: &str) -> (Option<String>, String) {
    let Some(rest) = path.strip_prefix("/s/") else {
        return (None, path.to_owned());
    };
    let (id, remainder) = rest.split_once('/').map_or((rest, ""), |(id, r)| (id, r));
    let valid = !id.is_empty() && id.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '-'));
    if !valid {
        return (None, path.to_owned());
    }
    (Some(id.to_owned()), format!("/{remainder}"))
}

fn parse_query(query: Option<&str>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in url_pairs(query.unwrap_or_default()) {
        out.entry(key).or_default().push(value);
    }
    out
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn credentials_valid(accepted: &[Auth], value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(' ') else {
        return false;
    };
    let rest = rest.trim();
    accepted.iter().any(|auth| match auth {
        Auth::ApiKey(key) => scheme.eq_ignore_ascii_case("apikey") && rest == key,
        Auth::Bearer(token) => scheme.eq_ignore_ascii_case("bearer") && rest == token,
        Auth::Basic(user, password) => {
            scheme.eq_ignore_ascii_case("basic") && rest == STANDARD.encode(format!("{user}:{password}"))
        }
    })
}

fn enforce_and_route(shared: &Shared, mut ctx: Ctx) -> Reply {
    let auth_header = ctx
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if shared.config.auth.is_empty() {
        ctx.authenticated = true;
    } else {
        match auth_header {
            Some(value) if credentials_valid(&shared.config.auth, &value) => ctx.authenticated = true,
            Some(_) => return boom(401, "[security_exception]: unable to authenticate user"),
            // `/api/status` answers anonymous callers with a redacted body (Kibana 8.9+).
            None if ctx.path == "/api/status" => {}
            None => return boom(401, "Unauthorized"),
        }
    }
    let safe = matches!(ctx.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !ctx.headers.contains_key("kbn-xsrf") {
        return bad_request("Request must contain a kbn-xsrf header.");
    }
    routes::route(shared, &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_prefix_rules() {
        assert_eq!(split_space("/api/x"), (None, "/api/x".into()));
        assert_eq!(
            split_space("/s/marketing/api/x"),
            (Some("marketing".into()), "/api/x".into())
        );
        assert_eq!(split_space("/s/Marketing/api/x"), (None, "/s/Marketing/api/x".into()));
    }

    #[test]
    fn query_decoding() {
        let q = parse_query(Some("type=a&type=b&search=hello%20world&x=1+2"));
        assert_eq!(q["type"], ["a", "b"]);
        assert_eq!(q["search"], ["hello world"]);
        assert_eq!(q["x"], ["1 2"]);
    }
}
