//! Elastic Cloud ids: `[<name>:]base64(<host[:port]>$<es_uuid>$<kibana_uuid>)`.

use base64::{Engine, engine::general_purpose::STANDARD};
use url::Url;

use crate::error::ConfigError;

/// The Kibana URL of an Elastic Cloud deployment: `https://<kibana_uuid>.<host>:<port>` (port 443 unless the id
/// names one).
///
/// ```
/// use base64::Engine;
/// let id = format!("prod:{}", base64::engine::general_purpose::STANDARD.encode("eu-west-1.aws.found.io$es123$kb456"));
/// let url = kibana::cloud_id::kibana_url(&id).unwrap();
/// assert_eq!(url.as_str(), "https://kb456.eu-west-1.aws.found.io/");
/// ```
pub fn kibana_url(cloud_id: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidCloudId {
        reason: reason.to_owned(),
    };
    let encoded = match cloud_id.rsplit_once(':') {
        Some((_name, encoded)) => encoded,
        None => cloud_id,
    };
    if encoded.is_empty() {
        return Err(invalid("it is empty"));
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| invalid("the part after the name is not base64"))?;
    let decoded = String::from_utf8(decoded).map_err(|_| invalid("the decoded value is not UTF-8"))?;
    let mut parts = decoded.split('$');
    let host_port = parts
        .next()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| invalid("it has no host"))?;
    let _elasticsearch = parts.next();
    let kibana = parts.next().map(str::trim).unwrap_or_default();
    if kibana.is_empty() {
        return Err(ConfigError::CloudIdWithoutKibana);
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) => {
            let port: u16 = port.parse().map_err(|_| invalid("its port is not a number"))?;
            (host, port)
        }
        None => (host_port, 443),
    };
    let url =
        Url::parse(&format!("https://{kibana}.{host}:{port}")).map_err(|_| invalid("it does not make a valid URL"))?;
    // The parts are pasted into a URL: an `@`, `/`, `?`, `#` or `\` in them would make it name another host (or
    // carry a user name, a path, a query) instead of failing. The URL must be exactly the host the id names.
    let expected = format!("{kibana}.{host}").to_ascii_lowercase();
    if url.host_str() != Some(expected.as_str())
        || url.port_or_known_default() != Some(port)
        || !url.username().is_empty()
        || url.password().is_some()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(invalid("its host or Kibana part is not a plain host name"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(s: &str) -> String {
        STANDARD.encode(s)
    }

    #[test]
    fn decodes_host_port_and_kibana_part() {
        let url = kibana_url(&format!("name:{}", encode("host.example.com:9243$es$kb"))).unwrap();
        assert_eq!(url.as_str(), "https://kb.host.example.com:9243/");
        let url = kibana_url(&encode("host.example.com$es$kb")).unwrap();
        assert_eq!(url.as_str(), "https://kb.host.example.com/");
    }

    #[test]
    fn missing_kibana_part_is_a_clear_error() {
        for id in [encode("host$es"), encode("host$es$"), encode("host$es$  ")] {
            assert!(
                matches!(kibana_url(&id), Err(ConfigError::CloudIdWithoutKibana)),
                "{id}"
            );
        }
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(matches!(
            kibana_url("name:%%%"),
            Err(ConfigError::InvalidCloudId { .. })
        ));
        assert!(matches!(kibana_url(""), Err(ConfigError::InvalidCloudId { .. })));
        assert!(matches!(
            kibana_url(&encode("host:port$es$kb")),
            Err(ConfigError::InvalidCloudId { .. })
        ));
    }

    /// Found by `cargo fuzz` (target `cloud_id`): parts pasted into the URL could change which host it names. The
    /// fuzzer's find (first below) gave `https://k.eu-west-1.aws-1.aws.examp/e.io:443`, a path, not that host.
    #[test]
    fn parts_that_would_change_the_url_structure_are_rejected() {
        for decoded in [
            "eu-west-1.aws-1.aws.examp\\e.io$es0123$k",
            "host$es$user@evil.example", // user name: https://user@evil.example/.host:443
            "host$es$evil.example/",     // path: https://evil.example/.host:443
            "host$es$evil.example\\",    // a backslash is a slash in an https URL
            "host$es$evil.example?",     // query
            "host$es$evil.example#",     // fragment
            "host/x$es$kb",              // path after the host
            "evil.example:443/x$es$kb",  // path after the port
            "host?q$es$kb",              // query after the host
            "ho%73t$es$kb",              // percent-decoded into another name
            "ho\tst$es$kb",              // tabs are dropped by URL parsing
        ] {
            assert!(
                matches!(kibana_url(&encode(decoded)), Err(ConfigError::InvalidCloudId { .. })),
                "{decoded:?} gave {:?}",
                kibana_url(&encode(decoded))
            );
        }
        // Upper case is fine (host names are case-insensitive), and so is a port.
        let url = kibana_url(&encode("Host.Example.COM:9243$es$KB")).unwrap();
        assert_eq!(url.as_str(), "https://kb.host.example.com:9243/");
    }
}
