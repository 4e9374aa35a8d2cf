//! Host URLs through `KibanaBuilder::hosts(..).build()` (input: one URL per line): every accepted host is http(s),
//! has a host, carries no credentials, query or fragment, and the transport can send every request path to it
//! (`scheme://authority/prefix/path`); a refused configuration is `ConfigError::InvalidUrl` naming one of the hosts.

#![no_main]

use kibana::{__fuzz, ConfigError};
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let given: Vec<&str> = text.split('\n').take(4).collect();
    let hosts = match __fuzz::hosts(&given) {
        Ok(hosts) => hosts,
        Err(ConfigError::InvalidUrl { url, reason }) => {
            assert!(!reason.is_empty());
            assert!(
                given
                    .iter()
                    .any(|g| *g == url || Url::parse(g.trim()).is_ok_and(|parsed| parsed.as_str() == url)),
                "{url:?} is none of {given:?}"
            );
            return;
        }
        Err(other) => panic!("{given:?}: not InvalidUrl: {other:?}"),
    };
    assert_eq!(hosts.len(), given.len());
    for (given, host) in given.iter().zip(&hosts) {
        let url = &host.url;
        assert!(given.trim().contains("://"), "{given:?}: a scheme was guessed: {url}");
        assert!(matches!(url.scheme(), "http" | "https"), "{given:?}: {url}");
        assert!(url.host_str().is_some_and(|h| !h.is_empty()), "{given:?}: {url}");
        assert!(
            url.username().is_empty() && url.password().is_none(),
            "{given:?}: {url}"
        );
        assert!(url.query().is_none() && url.fragment().is_none(), "{given:?}: {url}");
        let (scheme, authority, prefix) = match &host.base {
            Ok(base) => (&base.scheme, &base.authority, &base.path_prefix),
            Err(reason) => panic!("{given:?}: accepted at build time, but requests cannot go to {url}: {reason}"),
        };
        let targets = host.base.as_ref().map(|b| &b.targets).unwrap();
        assert_eq!(scheme, url.scheme());
        assert_eq!(prefix, url.path().trim_end_matches('/'));
        assert!(
            authority.starts_with(url.host_str().unwrap_or_default()),
            "{given:?}: {authority}"
        );
        for (path, target) in __fuzz::PROBE_PATHS.iter().zip(targets) {
            match target {
                Ok(target) => assert_eq!(*target, format!("{scheme}://{authority}{prefix}{path}"), "{given:?}"),
                Err(reason) => panic!("{given:?}: {path} cannot be sent to {url}: {reason}"),
            }
        }
    }
});
