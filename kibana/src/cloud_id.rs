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
    Url::parse(&format!("https://{kibana}.{host}:{port}")).map_err(|_| invalid("it does not make a valid URL"))
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
}
