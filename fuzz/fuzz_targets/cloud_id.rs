//! `kibana::cloud_id::kibana_url`: an accepted id yields exactly `https://<kibana>.<host>:<port>/`, the host the id
//! names and nothing else (no user name, path, query or fragment smuggled in); a refused one is a cloud-id error.

#![no_main]

use base64::{Engine, engine::general_purpose::STANDARD};
use kibana::{__fuzz, ConfigError};
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(id) = std::str::from_utf8(data) else {
        return;
    };
    let url = match __fuzz::cloud_id(id) {
        Ok(url) => url,
        Err(ConfigError::InvalidCloudId { reason }) => return assert!(!reason.is_empty()),
        Err(ConfigError::CloudIdWithoutKibana) => return,
        Err(other) => panic!("{id:?}: not a cloud-id error: {other:?}"),
    };
    assert_eq!(url.scheme(), "https", "{id:?}");
    assert!(
        url.username().is_empty() && url.password().is_none(),
        "{id:?} gave {url}"
    );
    assert_eq!(url.path(), "/", "{id:?} gave {url}");
    assert!(url.query().is_none() && url.fragment().is_none(), "{id:?} gave {url}");
    assert_eq!(
        Url::parse(url.as_str()).as_ref(),
        Ok(&url),
        "{id:?}: {url} does not re-parse to itself"
    );

    // What the id names, decoded independently of the parser: `[name:]base64(host[:port]$es$kibana)`.
    let encoded = id.rsplit_once(':').map_or(id, |(_, encoded)| encoded);
    let decoded = STANDARD.decode(encoded.trim()).expect("an accepted id is base64");
    let decoded = String::from_utf8(decoded).expect("an accepted id is UTF-8");
    let mut parts = decoded.split('$');
    let host_port = parts.next().expect("a host part");
    let kibana = parts.nth(1).expect("a Kibana part").trim();
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().expect("an accepted port is a number")),
        None => (host_port, 443),
    };
    let expected = format!("{kibana}.{host}").to_ascii_lowercase();
    assert_eq!(
        url.host_str(),
        Some(expected.as_str()),
        "{id:?} ({decoded:?}) names another host: {url}"
    );
    assert_eq!(url.port_or_known_default(), Some(port), "{id:?} ({decoded:?}): {url}");
});
