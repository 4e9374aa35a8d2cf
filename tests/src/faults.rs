//! Scriptable faults: the next N matching requests get a status, a delay, a dropped connection, a broken body...

use std::time::Duration;

/// What happens to a request a fault matches.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer with this status, Kibana's error body and optionally `Retry-After`.
    Status {
        /// The status.
        status: u16,
        /// `Retry-After` value (seconds or HTTP date).
        retry_after: Option<String>,
    },
    /// Wait, then answer normally.
    Delay(Duration),
    /// Close the connection before reading the request body (nothing is processed).
    DropBeforeBody,
    /// Read the body, process the request, then close the connection without answering.
    DropAfterBody,
    /// Process the request and announce the full body, but send only part of it, then close.
    TruncatedBody,
    /// Process the request, send the headers and half the body, then go silent (the connection stays open).
    StalledBody,
    /// Process the request and answer 200 with a body that is not JSON.
    MalformedBody,
    /// The plain-text `Kibana server is not ready yet` 503 with `Retry-After: 30` (or the given value).
    NotReady {
        /// `Retry-After` value.
        retry_after: String,
    },
    /// Answer with this status, content type and body, as they are (without processing the request).
    Answer {
        /// The status.
        status: u16,
        /// The `Content-Type`.
        content_type: String,
        /// The body.
        body: bytes::Bytes,
    },
}

/// A fault: an action for the next `times` requests matching a method (optional) and a path.
///
/// ```
/// use kibana_fake::Fault;
/// let fault = Fault::status(429).retry_after("2").on("GET", "/api/actions/connectors").times(3);
/// # drop(fault);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Fault {
    pub(crate) action: FaultAction,
    pub(crate) method: Option<String>,
    pub(crate) path: Option<String>,
    pub(crate) path_prefix: bool,
    pub(crate) remaining: usize,
}

impl Fault {
    fn new(action: FaultAction) -> Self {
        Self {
            action,
            method: None,
            path: None,
            path_prefix: false,
            remaining: 1,
        }
    }

    /// Answer with `status` and Kibana's error body.
    pub fn status(status: u16) -> Self {
        Self::new(FaultAction::Status {
            status,
            retry_after: None,
        })
    }

    /// Wait `delay`, then answer normally.
    pub fn delay(delay: Duration) -> Self {
        Self::new(FaultAction::Delay(delay))
    }

    /// Close the connection before reading the request body.
    pub fn drop_before_body() -> Self {
        Self::new(FaultAction::DropBeforeBody)
    }

    /// Process the request, then close the connection without answering.
    pub fn drop_after_body() -> Self {
        Self::new(FaultAction::DropAfterBody)
    }

    /// Answer with a body cut short.
    pub fn truncated_body() -> Self {
        Self::new(FaultAction::TruncatedBody)
    }

    /// Answer with the headers and half the body, then stall without closing the connection.
    pub fn stalled_body() -> Self {
        Self::new(FaultAction::StalledBody)
    }

    /// Answer 200 with a body that is not JSON.
    pub fn malformed_body() -> Self {
        Self::new(FaultAction::MalformedBody)
    }

    /// The plain-text "Kibana server is not ready yet" 503.
    pub fn not_ready() -> Self {
        Self::new(FaultAction::NotReady {
            retry_after: "30".into(),
        })
    }

    /// Answer with `status` and exactly this body (e.g. a huge or odd error body), without processing the request.
    ///
    /// ```
    /// use kibana_fake::Fault;
    /// let body = format!(r#"{{"statusCode":400,"error":"Bad Request","message":"{}"}}"#, "x".repeat(1 << 20));
    /// let fault = Fault::answer(400, "application/json", body).on("GET", "/api/actions/connectors");
    /// # drop(fault);
    /// ```
    pub fn answer(status: u16, content_type: &str, body: impl Into<bytes::Bytes>) -> Self {
        Self::new(FaultAction::Answer {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
        })
    }

    /// Sets `Retry-After` (status and not-ready faults).
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        match &mut self.action {
            FaultAction::Status { retry_after, .. } => *retry_after = Some(value.into()),
            FaultAction::NotReady { retry_after } => *retry_after = value.into(),
            _ => {}
        }
        self
    }

    /// Only requests with this method and exactly this path (with its `/s/{space}` prefix).
    pub fn on(mut self, method: &str, path: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self.path = Some(path.to_owned());
        self
    }

    /// Only requests whose path starts with `prefix` (any method).
    pub fn on_prefix(mut self, prefix: &str) -> Self {
        self.path = Some(prefix.to_owned());
        self.path_prefix = true;
        self
    }

    /// Applies to the next `n` matching requests (default 1).
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = n;
        self
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.remaining > 0
            && self.method.as_deref().is_none_or(|m| m == method)
            && match &self.path {
                None => true,
                Some(p) if self.path_prefix => path.starts_with(p.as_str()),
                Some(p) => p == path,
            }
    }
}

/// Takes one use of the first fault matching the request.
pub(crate) fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<FaultAction> {
    let fault = faults.iter_mut().find(|f| f.matches(method, path))?;
    fault.remaining -= 1;
    let action = fault.action.clone();
    faults.retain(|f| f.remaining > 0);
    Some(action)
}

/// A host that accepts connections and closes each at once, before reading or answering anything (a Kibana whose
/// process is wedged behind a still-listening socket, a load balancer with no backend). Counts the connections it
/// accepted. Dropping it stops it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let host = kibana_fake::ClosingHost::start().await;
/// let client = kibana::Kibana::builder().url(host.url()).max_retries(0).no_proxy().build().unwrap();
/// assert!(client.status().get().await.is_err());
/// assert_eq!(host.accepted(), 1);
/// # }
/// ```
pub struct ClosingHost {
    addr: std::net::SocketAddr,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    accept_loop: tokio::task::JoinHandle<()>,
}

impl ClosingHost {
    /// Listens on `127.0.0.1:0`.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = accepted.clone();
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                drop(stream);
            }
        });
        Self {
            addr,
            accepted,
            accept_loop,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many connections it accepted (and closed).
    pub fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for ClosingHost {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}
