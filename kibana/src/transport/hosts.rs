//! Several Kibana hosts used round-robin; a failing host is skipped, with exponential backoff per host, until its
//! backoff expires. Then one call (only one, however many run at once) tries it again: a complete answer revives it,
//! another failure doubles its backoff.
//!
//! A host fails when connecting to it fails, when an attempt's time runs out on it, when its connection breaks
//! before or while the answer arrives (a host that accepts and then drops connections fails too), or when it
//! answers 502, 503 or 504. It is healthy again only once a whole answer has arrived from it (headers and body, or
//! for a streamed answer the end of the stream): headers alone do not clear a failure.

use std::{
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use url::Url;

/// How long a failing host is skipped: `base * factor^(failures-1)`, at most `max`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HostBackoff {
    /// Skip time after the first failure.
    pub base: Duration,
    /// Growth per further consecutive failure.
    pub factor: f64,
    /// Longest skip time.
    pub max: Duration,
}

impl Default for HostBackoff {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(1),
            factor: 2.0,
            max: Duration::from_secs(60),
        }
    }
}

impl HostBackoff {
    fn skip_time(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(64) as i32;
        let secs = self.base.as_secs_f64() * self.factor.powi(exponent);
        Duration::from_secs_f64(secs.min(self.max.as_secs_f64()))
    }
}

#[derive(Debug, Default)]
struct HostState {
    /// Consecutive failures (0: healthy).
    failures: u32,
    /// Until when the host is skipped; after it, the next pick tries it once (and pushes this forward meanwhile).
    skipped_until: Option<Instant>,
}

/// A host's URL split once into what every request to it reuses.
#[derive(Debug)]
pub(crate) struct HostBase {
    pub(crate) scheme: http::uri::Scheme,
    pub(crate) authority: http::uri::Authority,
    /// Path prefix without a trailing `/` (Kibana behind a proxy under `/kibana`), often empty.
    pub(crate) path_prefix: String,
    /// `Proxy-Authorization` for a host reached through a forwarding proxy (sensitive), set by the builder.
    pub(crate) proxy_authorization: Option<http::HeaderValue>,
    /// The forwarding proxy the host is reached through (`http[s]://host:port`, no credentials), for errors.
    pub(crate) forward_proxy: Option<String>,
    /// The `Host` header of an `http://` host, made once: hyper-util would format the same value for every
    /// request (`host[:port]`, the default port left out). `http://` is always HTTP/1.1; an `https://` host may
    /// answer in HTTP/2, which carries the authority instead, so its requests are left to hyper-util.
    pub(crate) host_header: Option<http::HeaderValue>,
}

impl HostBase {
    /// Fails (with the reason) for a URL whose host `http` cannot carry, which `url` may accept.
    pub(crate) fn new(url: &Url) -> Result<Self, String> {
        let host = url.host_str().unwrap_or_default();
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let scheme: http::uri::Scheme = url.scheme().parse().map_err(|e| format!("scheme: {e}"))?;
        let authority: http::uri::Authority = authority.parse().map_err(|e| format!("host: {e}"))?;
        let host_header = (scheme == http::uri::Scheme::HTTP)
            .then(|| match authority.port_u16() {
                None | Some(80) => http::HeaderValue::from_str(authority.host()),
                Some(_) => http::HeaderValue::from_str(authority.as_str()),
            })
            .and_then(Result::ok);
        Ok(Self {
            scheme,
            authority,
            path_prefix: url.path().trim_end_matches('/').to_owned(),
            proxy_authorization: None,
            forward_proxy: None,
            host_header,
        })
    }

    /// `request_uri`'s path and query on this host: no URL parsing when there is no prefix, the common case.
    pub(crate) fn target(&self, request_uri: &http::Uri) -> Result<http::Uri, http::Error> {
        let path_and_query = match request_uri.path_and_query() {
            Some(pq) if self.path_prefix.is_empty() => pq.clone(),
            Some(pq) => {
                let mut joined = String::with_capacity(self.path_prefix.len() + pq.as_str().len());
                joined.push_str(&self.path_prefix);
                joined.push_str(pq.as_str());
                http::uri::PathAndQuery::try_from(joined)?
            }
            None if self.path_prefix.is_empty() => http::uri::PathAndQuery::from_static("/"),
            None => http::uri::PathAndQuery::try_from(format!("{}/", self.path_prefix))?,
        };
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(path_and_query);
        http::Uri::from_parts(parts).map_err(http::Error::from)
    }
}

#[derive(Debug)]
pub(crate) struct HostPool {
    bases: Vec<String>,
    targets: Vec<HostBase>,
    states: Vec<Mutex<HostState>>,
    next: AtomicUsize,
    /// How many hosts have failures: while none has, a pick takes no lock.
    failing: AtomicUsize,
    backoff: HostBackoff,
}

impl HostPool {
    /// `targets` are `urls` split by [`HostBase::new`], in the same order.
    pub(crate) fn new(urls: &[Url], targets: Vec<HostBase>, backoff: HostBackoff) -> Self {
        Self {
            bases: urls
                .iter()
                .map(|u| u.as_str().trim_end_matches('/').to_owned())
                .collect(),
            targets,
            states: urls.iter().map(|_| Mutex::default()).collect(),
            next: AtomicUsize::new(0),
            failing: AtomicUsize::new(0),
            backoff,
        }
    }

    /// The next host in round-robin order that is neither skipped nor `avoid` (the host the call's previous
    /// attempt went to, so that a retry goes elsewhere); when every other host is skipped, the one whose skip ends
    /// first. A request is never refused for lack of a host.
    ///
    /// A host whose skip has ended is taken by this pick, and skipped by the others until this attempt says how it
    /// went: a dead host is tried once per backoff window, however many calls run at once.
    pub(crate) fn pick(&self, avoid: Option<usize>) -> usize {
        let count = self.bases.len();
        if count == 1 {
            return 0;
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed) % count;
        if self.failing.load(Ordering::Acquire) == 0 {
            return if avoid == Some(start) {
                (start + 1) % count
            } else {
                start
            };
        }
        let now = Instant::now();
        let mut soonest: Option<(Instant, usize)> = None;
        for offset in 0..count {
            let index = (start + offset) % count;
            if avoid == Some(index) {
                continue;
            }
            let mut state = self.states[index].lock().expect("host state lock");
            match state.skipped_until {
                _ if state.failures == 0 => return index,
                Some(until) if until > now => {
                    if soonest.is_none_or(|(s, _)| until < s) {
                        soonest = Some((until, index));
                    }
                }
                _ => {
                    // Its backoff is over: this attempt tries it; the others keep skipping it meanwhile.
                    state.skipped_until = Some(now + self.backoff.skip_time(state.failures));
                    return index;
                }
            }
        }
        match soonest {
            Some((_, index)) => index,
            None => avoid.unwrap_or(start),
        }
    }

    pub(crate) fn base(&self, index: usize) -> &str {
        &self.bases[index]
    }

    pub(crate) fn target(&self, index: usize) -> &HostBase {
        &self.targets[index]
    }

    /// Whether the host has failed since it last gave a whole answer (always `false` with one host, which is never
    /// skipped).
    pub(crate) fn is_failing(&self, index: usize) -> bool {
        self.bases.len() > 1
            && self.failing.load(Ordering::Acquire) > 0
            && self.states[index].lock().expect("host state lock").failures > 0
    }

    /// The host failed: skip it for its backoff (longer after each consecutive failure).
    pub(crate) fn mark_failed(&self, index: usize) {
        if self.bases.len() == 1 {
            return;
        }
        let mut state = self.states[index].lock().expect("host state lock");
        if state.failures == 0 {
            self.failing.fetch_add(1, Ordering::AcqRel);
        }
        state.failures = state.failures.saturating_add(1);
        let skip = self.backoff.skip_time(state.failures);
        state.skipped_until = Some(Instant::now() + skip);
        tracing::warn!(
            host = %self.bases[index],
            failures = state.failures,
            skip_ms = skip.as_millis() as u64,
            "Kibana host failed; skipping it for a while"
        );
    }

    /// A whole answer arrived from the host: it is healthy again.
    pub(crate) fn mark_ok(&self, index: usize) {
        if self.bases.len() == 1 || self.failing.load(Ordering::Acquire) == 0 {
            return;
        }
        let mut state = self.states[index].lock().expect("host state lock");
        if state.failures > 0 {
            *state = HostState::default();
            self.failing.fetch_sub(1, Ordering::AcqRel);
            tracing::info!(host = %self.bases[index], "Kibana host answers again");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(n: usize) -> HostPool {
        let urls: Vec<Url> = (0..n)
            .map(|i| Url::parse(&format!("http://h{i}:5601/")).unwrap())
            .collect();
        HostPool::new(
            &urls,
            urls.iter().map(|u| HostBase::new(u).unwrap()).collect(),
            HostBackoff {
                base: Duration::from_secs(60),
                factor: 2.0,
                max: Duration::from_secs(600),
            },
        )
    }

    #[test]
    fn round_robin_skips_failed_hosts_and_revives_them() {
        let pool = pool(3);
        let picks: Vec<_> = (0..6).map(|_| pool.pick(None)).collect();
        assert_eq!(picks, [0, 1, 2, 0, 1, 2]);
        pool.mark_failed(1);
        assert!(pool.is_failing(1) && !pool.is_failing(0));
        let picks: Vec<_> = (0..4).map(|_| pool.pick(None)).collect();
        assert!(!picks.contains(&1), "{picks:?}");
        pool.mark_ok(1);
        assert!(!pool.is_failing(1));
        let picks: Vec<_> = (0..3).map(|_| pool.pick(None)).collect();
        assert!(picks.contains(&1));
    }

    #[test]
    fn a_retry_avoids_the_host_its_previous_attempt_went_to() {
        let pool = pool(3);
        for _ in 0..6 {
            for avoid in 0..3 {
                assert_ne!(pool.pick(Some(avoid)), avoid);
            }
        }
        pool.mark_failed(0);
        pool.mark_failed(2);
        // Only host 1 is healthy, and a retry from it goes to the failing host whose skip ends first.
        assert_eq!(pool.pick(Some(1)), 0);
        assert_eq!(pool.pick(None), 1);
    }

    #[test]
    fn a_host_whose_backoff_ended_is_tried_by_one_pick_only() {
        let urls: Vec<Url> = (0..2)
            .map(|i| Url::parse(&format!("http://h{i}:5601/")).unwrap())
            .collect();
        let pool = HostPool::new(
            &urls,
            urls.iter().map(|u| HostBase::new(u).unwrap()).collect(),
            HostBackoff {
                base: Duration::from_millis(20),
                factor: 1.0,
                max: Duration::from_millis(20),
            },
        );
        pool.mark_failed(0);
        assert!((0..10).all(|_| pool.pick(None) == 1));
        std::thread::sleep(Duration::from_millis(30));
        let picks: Vec<_> = (0..10).map(|_| pool.pick(None)).collect();
        assert_eq!(picks.iter().filter(|&&p| p == 0).count(), 1, "one probe: {picks:?}");
    }

    #[test]
    fn all_failed_picks_the_soonest_to_recover() {
        let pool = pool(2);
        pool.mark_failed(0);
        pool.mark_failed(0);
        pool.mark_failed(1);
        assert_eq!(pool.pick(None), 1);
        assert_eq!(pool.base(1), "http://h1:5601");
    }

    #[test]
    fn targets_keep_path_prefix_and_query() {
        let uri: http::Uri = "http://kibana-rs.invalid/s/x/api/actions/connectors?a=1"
            .parse()
            .unwrap();
        let prefixed = HostBase::new(&Url::parse("https://kb.example.com:9243/kibana/").unwrap()).unwrap();
        assert_eq!(
            prefixed.target(&uri).unwrap(),
            "https://kb.example.com:9243/kibana/s/x/api/actions/connectors?a=1"
        );
        let plain = HostBase::new(&Url::parse("http://[::1]:5601").unwrap()).unwrap();
        assert_eq!(
            plain.target(&uri).unwrap(),
            "http://[::1]:5601/s/x/api/actions/connectors?a=1"
        );
        let relative: http::Uri = "/api/status".parse().unwrap();
        assert_eq!(plain.target(&relative).unwrap(), "http://[::1]:5601/api/status");
    }

    #[test]
    fn http_hosts_carry_the_host_header_hyper_util_would_make() {
        let host = |url: &str| HostBase::new(&Url::parse(url).unwrap()).unwrap().host_header;
        assert_eq!(host("http://[::1]:5601").unwrap(), "[::1]:5601");
        assert_eq!(host("http://kb.example.com/kibana/").unwrap(), "kb.example.com");
        assert_eq!(host("http://kb.example.com:80").unwrap(), "kb.example.com");
        assert_eq!(host("http://127.0.0.1:8080").unwrap(), "127.0.0.1:8080");
        assert_eq!(host("https://kb.example.com:9243"), None, "HTTP/2 may carry it instead");
    }

    #[test]
    fn backoff_grows_and_caps() {
        let b = HostBackoff {
            base: Duration::from_secs(1),
            factor: 3.0,
            max: Duration::from_secs(5),
        };
        assert_eq!(b.skip_time(1), Duration::from_secs(1));
        assert_eq!(b.skip_time(2), Duration::from_secs(3));
        assert_eq!(b.skip_time(3), Duration::from_secs(5));
    }
}
