//! Several Kibana hosts used round-robin; a host whose connection fails is skipped, with exponential backoff, until
//! its backoff expires.

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
    failures: u32,
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
}

impl HostBase {
    /// Fails (with the reason) for a URL whose host `http` cannot carry, which `url` may accept.
    pub(crate) fn new(url: &Url) -> Result<Self, String> {
        let host = url.host_str().unwrap_or_default();
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Self {
            scheme: url.scheme().parse().map_err(|e| format!("scheme: {e}"))?,
            authority: authority.parse().map_err(|e| format!("host: {e}"))?,
            path_prefix: url.path().trim_end_matches('/').to_owned(),
            proxy_authorization: None,
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
        http::Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(path_and_query)
            .build()
    }
}

#[derive(Debug)]
pub(crate) struct HostPool {
    bases: Vec<String>,
    targets: Vec<HostBase>,
    states: Vec<Mutex<HostState>>,
    next: AtomicUsize,
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
            backoff,
        }
    }

    /// The next host in round-robin order that is not being skipped; when every host is skipped, the one whose
    /// skip ends first (a request is never refused for lack of a host).
    pub(crate) fn pick(&self) -> usize {
        let count = self.bases.len();
        if count == 1 {
            return 0;
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed) % count;
        let now = Instant::now();
        let mut soonest: Option<(Instant, usize)> = None;
        for offset in 0..count {
            let index = (start + offset) % count;
            let state = self.states[index].lock().expect("host state lock");
            match state.skipped_until {
                Some(until) if until > now => {
                    if soonest.is_none_or(|(s, _)| until < s) {
                        soonest = Some((until, index));
                    }
                }
                _ => return index,
            }
        }
        soonest.map_or(start, |(_, index)| index)
    }

    pub(crate) fn base(&self, index: usize) -> &str {
        &self.bases[index]
    }

    pub(crate) fn target(&self, index: usize) -> &HostBase {
        &self.targets[index]
    }

    pub(crate) fn mark_failed(&self, index: usize) {
        let mut state = self.states[index].lock().expect("host state lock");
        state.failures = state.failures.saturating_add(1);
        state.skipped_until = Some(Instant::now() + self.backoff.skip_time(state.failures));
        tracing::warn!(host = %self.bases[index], failures = state.failures, "Kibana host failed; skipping it for a while");
    }

    pub(crate) fn mark_ok(&self, index: usize) {
        if self.bases.len() == 1 {
            return;
        }
        let mut state = self.states[index].lock().expect("host state lock");
        if state.failures > 0 {
            *state = HostState::default();
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
        let picks: Vec<_> = (0..6).map(|_| pool.pick()).collect();
        assert_eq!(picks, [0, 1, 2, 0, 1, 2]);
        pool.mark_failed(1);
        let picks: Vec<_> = (0..4).map(|_| pool.pick()).collect();
        assert!(!picks.contains(&1), "{picks:?}");
        pool.mark_ok(1);
        let picks: Vec<_> = (0..3).map(|_| pool.pick()).collect();
        assert!(picks.contains(&1));
    }

    #[test]
    fn all_failed_picks_the_soonest_to_recover() {
        let pool = pool(2);
        pool.mark_failed(0);
        pool.mark_failed(0);
        pool.mark_failed(1);
        assert_eq!(pool.pick(), 1);
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
