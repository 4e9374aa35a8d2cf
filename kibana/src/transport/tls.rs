//! TLS (rustls with the `ring` provider): verification on by default against the system's trust store, extra CA
//! certificates, a client certificate, an opt-in pin of the server certificate, and an explicitly dangerous opt-out.

use std::{fmt, sync::Arc};

use rustls::{
    ClientConfig, DigitallySignedStruct, SignatureScheme,
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::{CryptoProvider, WebPkiSupportedAlgorithms},
};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime, pem::PemObject};
use sha2::{Digest, Sha256};

use crate::error::ConfigError;

/// TLS settings, set through [`KibanaBuilder`](crate::KibanaBuilder).
#[derive(Clone, Default)]
pub(crate) struct TlsSettings {
    pub extra_roots_pem: Vec<Vec<u8>>,
    pub client_identity_pem: Option<(Vec<u8>, Vec<u8>)>,
    pub pinned_sha256: Option<String>,
    pub danger_accept_invalid_certs: bool,
}

impl fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsSettings")
            .field("extra_roots", &self.extra_roots_pem.len())
            .field("client_certificate", &self.client_identity_pem.is_some())
            .field("pinned_sha256", &self.pinned_sha256)
            .field("danger_accept_invalid_certs", &self.danger_accept_invalid_certs)
            .finish()
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Normalizes a fingerprint given as hex, with or without `:` separators, to lowercase hex.
pub(crate) fn parse_fingerprint(fingerprint: &str) -> Result<String, ConfigError> {
    let hex: String = fingerprint
        .chars()
        .filter(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ConfigError::Tls(format!(
            "a SHA-256 fingerprint is 64 hex digits (colons allowed), got {fingerprint:?}"
        )));
    }
    Ok(hex)
}

impl TlsSettings {
    fn extra_roots(&self) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
        let mut extra_roots = Vec::new();
        for pem in &self.extra_roots_pem {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
                .collect::<Result<_, _>>()
                .map_err(|e| ConfigError::Tls(format!("CA bundle: {e}")))?;
            if certs.is_empty() {
                return Err(ConfigError::Tls("CA bundle: no certificate found in the PEM".into()));
            }
            extra_roots.extend(certs);
        }
        Ok(extra_roots)
    }

    /// TLS with an `https://` proxy: verified against the proxy's name with the system trust store and the extra CA
    /// certificates, always. The pin, the client certificate and `danger_accept_invalid_certs` are Kibana's, not the
    /// proxy's.
    pub(crate) fn proxy_config(&self) -> Result<ClientConfig, ConfigError> {
        let provider = provider();
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(self.extra_roots()?, provider.clone())
            .map_err(|e| ConfigError::Tls(format!("loading the system trust store: {e}")))?;
        Ok(ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| ConfigError::Tls(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth())
    }

    pub(crate) fn client_config(&self) -> Result<ClientConfig, ConfigError> {
        let provider = provider();
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| ConfigError::Tls(e.to_string()))?;
        let extra_roots = self.extra_roots()?;

        let verifier: Arc<dyn ServerCertVerifier> = if self.danger_accept_invalid_certs {
            Arc::new(CustomVerifier {
                acceptance: Acceptance::Any,
                algorithms: provider.signature_verification_algorithms,
            })
        } else if let Some(pin) = &self.pinned_sha256 {
            Arc::new(CustomVerifier {
                acceptance: Acceptance::Pinned(pin.clone()),
                algorithms: provider.signature_verification_algorithms,
            })
        } else {
            Arc::new(
                rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone())
                    .map_err(|e| ConfigError::Tls(format!("loading the system trust store: {e}")))?,
            )
        };
        let builder = builder.dangerous().with_custom_certificate_verifier(verifier);

        match &self.client_identity_pem {
            None => Ok(builder.with_no_client_auth()),
            Some((cert_pem, key_pem)) => {
                let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
                    .collect::<Result<_, _>>()
                    .map_err(|e| ConfigError::Tls(format!("client certificate: {e}")))?;
                let key =
                    PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| ConfigError::Tls(format!("client key: {e}")))?;
                builder
                    .with_client_auth_cert(certs, key)
                    .map_err(|e| ConfigError::Tls(format!("client certificate: {e}")))
            }
        }
    }
}

/// What a non-default verifier accepts in place of the CA chain check. Handshake signatures are verified either way,
/// so the peer must hold the key of the certificate it presents.
#[derive(Debug)]
enum Acceptance {
    /// Exactly the certificate with this SHA-256 (the way Elastic's clients use `ssl_assert_fingerprint`): a
    /// self-signed Kibana can be trusted by its fingerprint.
    Pinned(String),
    /// `danger_accept_invalid_certs`: any certificate.
    Any,
}

#[derive(Debug)]
struct CustomVerifier {
    acceptance: Acceptance,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for CustomVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match &self.acceptance {
            Acceptance::Any => Ok(ServerCertVerified::assertion()),
            Acceptance::Pinned(pin) => {
                let actual = hex::encode(Sha256::digest(end_entity.as_ref()));
                if actual == *pin {
                    Ok(ServerCertVerified::assertion())
                } else {
                    Err(rustls::Error::General(format!(
                        "server certificate SHA-256 {actual} does not match the pinned {pin}"
                    )))
                }
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_normalized_and_checked() {
        let hex = "AB".repeat(32);
        assert_eq!(parse_fingerprint(&hex).unwrap(), "ab".repeat(32));
        let colons = vec!["ab"; 32].join(":");
        assert_eq!(parse_fingerprint(&colons).unwrap(), "ab".repeat(32));
        assert!(parse_fingerprint("abc").is_err());
        assert!(parse_fingerprint(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn a_pem_without_certificates_is_a_config_error() {
        let settings = TlsSettings {
            extra_roots_pem: vec![b"not a pem".to_vec()],
            ..Default::default()
        };
        assert!(matches!(settings.client_config(), Err(ConfigError::Tls(_))));
    }
}
