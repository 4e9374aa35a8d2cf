//! Connector secrets in declared state: values or environment references, never printed, never written to files
//! as values; when they are sent again ([`SecretsPolicy`]); and the fingerprints of what was sent
//! ([`SecretsLedger`]).
//!
//! Kibana never returns a connector's secrets, so a plan cannot compare them: it says when they will be sent, and
//! why.

use std::{collections::BTreeMap, fmt, sync::Arc};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::Error as _};
use serde_json::{Map, Value};

/// When a connector's secrets are sent again to a connector that exists already.
///
/// They are always sent when the connector is created, and whenever it is updated for another reason (Kibana's
/// update replaces the whole connector, secrets included). The policy decides whether secrets alone make an
/// update.
///
/// ```
/// use kibana::config::SecretsPolicy;
///
/// let policy: SecretsPolicy = serde_json::from_str(r#""when_fingerprint_changes""#).unwrap();
/// assert_eq!(policy, SecretsPolicy::WhenFingerprintChanges);
/// assert_eq!(SecretsPolicy::default(), SecretsPolicy::OnCreate);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretsPolicy {
    /// At every apply: every connector with secrets is updated each time (a plan is never empty).
    Always,
    /// Only when the connector is created (or updated for another reason). The default.
    #[default]
    OnCreate,
    /// When the connector's `secrets_fingerprint` differs from the one recorded in the [`SecretsLedger`] when
    /// its secrets were last sent (or none is recorded).
    WhenFingerprintChanges,
}

/// One secret value: a literal, or a reference to an environment variable (`${env:NAME}` in files), read when the
/// plan is made.
#[derive(Clone)]
enum SecretValue {
    Literal(Arc<SecretString>),
    Env(String),
}

/// A connector's secrets: field name → value. Values are literals or `${env:NAME}` references (`$${` stands for a
/// literal `${`); `Debug` shows field names only, and a state is only written to a file when its secrets are all
/// references.
///
/// ```
/// use kibana::config::Secrets;
///
/// let secrets: Secrets = serde_json::from_str(r#"{"user": "bot", "password": "${env:HOOK_PASSWORD}"}"#).unwrap();
/// assert_eq!(format!("{secrets:?}"), r#"Secrets { fields: ["password", "user"] }"#);
/// assert!(serde_json::to_string(&secrets).is_err(), "a literal is never written out");
/// let referenced = Secrets::new().env("password", "HOOK_PASSWORD");
/// assert_eq!(serde_json::to_string(&referenced).unwrap(), r#"{"password":"${env:HOOK_PASSWORD}"}"#);
/// ```
#[derive(Clone, Default)]
pub struct Secrets {
    fields: BTreeMap<String, SecretValue>,
}

impl Secrets {
    /// No secrets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a literal value.
    #[must_use]
    pub fn value(mut self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.insert(
            field.into(),
            SecretValue::Literal(Arc::new(SecretString::from(value.into()))),
        );
        self
    }

    /// Adds a value read from the environment variable `variable` when the plan is made.
    #[must_use]
    pub fn env(mut self, field: impl Into<String>, variable: impl Into<String>) -> Self {
        self.fields.insert(field.into(), SecretValue::Env(variable.into()));
        self
    }

    /// The secrets of a typed connector (`C::Secrets` serializes to an object of strings).
    pub fn from_typed<T: Serialize>(secrets: &T) -> Result<Self, crate::Error> {
        let value = serde_json::to_value(secrets)
            .map_err(|e| crate::Error::InvalidRequest(format!("cannot encode the connector's secrets: {e}")))?;
        let mut out = Self::new();
        for (field, value) in value.as_object().into_iter().flatten() {
            match value {
                Value::String(text) => out = out.value(field.clone(), text.clone()),
                Value::Null => {}
                _ => {
                    return Err(crate::Error::InvalidRequest(format!(
                        "connector secret {field:?} is not a string"
                    )));
                }
            }
        }
        Ok(out)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The field names.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    /// The values, with references read through `lookup`; the variables that are not set are listed instead.
    pub(crate) fn resolve(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<ResolvedSecrets, Vec<String>> {
        let mut values = BTreeMap::new();
        let mut missing = Vec::new();
        for (field, value) in &self.fields {
            match value {
                SecretValue::Literal(secret) => {
                    values.insert(field.clone(), secret.clone());
                }
                SecretValue::Env(variable) => match lookup(variable) {
                    Some(text) => {
                        values.insert(field.clone(), Arc::new(SecretString::from(text)));
                    }
                    None => missing.push(format!("{field} (${{env:{variable}}})")),
                },
            }
        }
        if missing.is_empty() {
            Ok(ResolvedSecrets { values })
        } else {
            Err(missing)
        }
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Serialize for Secrets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = BTreeMap::new();
        for (field, value) in &self.fields {
            match value {
                SecretValue::Env(variable) => {
                    out.insert(field.as_str(), format!("${{env:{variable}}}"));
                }
                SecretValue::Literal(_) => {
                    return Err(S::Error::custom(format!(
                        "secret {field:?} is a literal value: declared state is written out only when every secret \
                         is an environment reference (Secrets::env, `${{env:NAME}}` in files)"
                    )));
                }
            }
        }
        out.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Secrets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, String>::deserialize(deserializer)?;
        let mut out = Self::new();
        for (field, text) in raw {
            out = match text.strip_prefix("${env:").and_then(|rest| rest.strip_suffix('}')) {
                Some(variable) if !variable.is_empty() => out.env(field, variable),
                _ => match text.strip_prefix("$${") {
                    Some(rest) => out.value(field, format!("${{{rest}")),
                    None => out.value(field, text),
                },
            };
        }
        Ok(out)
    }
}

/// Secrets with every reference read: what is sent. Never printed.
#[derive(Clone)]
pub(crate) struct ResolvedSecrets {
    values: BTreeMap<String, Arc<SecretString>>,
}

impl ResolvedSecrets {
    /// The JSON object sent to Kibana; build it only to send it.
    pub(crate) fn expose_json(&self) -> Value {
        let mut map = Map::new();
        for (field, value) in &self.values {
            map.insert(field.clone(), Value::String(value.expose_secret().to_owned()));
        }
        Value::Object(map)
    }
}

impl fmt::Debug for ResolvedSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[REDACTED: {} secret fields]", self.values.len())
    }
}

/// The secrets fingerprint last sent for each connector (`connector space/id` → fingerprint), for
/// [`SecretsPolicy::WhenFingerprintChanges`]. Kibana keeps no place for it, so it lives with you: load it into
/// [`PlanOptions::secrets_ledger`](crate::config::PlanOptions::secrets_ledger), save
/// [`ApplyReport::secrets_ledger`](crate::config::ApplyReport::secrets_ledger) after an apply. It holds the
/// fingerprints you chose (a vault version, a rotation date), never secrets.
///
/// ```
/// use kibana::config::SecretsLedger;
///
/// let mut ledger = SecretsLedger::default();
/// ledger.record("connector ops/pager", "vault-v7");
/// assert_eq!(ledger.fingerprint("connector ops/pager"), Some("vault-v7"));
/// let json = serde_json::to_string(&ledger).unwrap();
/// assert_eq!(serde_json::from_str::<SecretsLedger>(&json).unwrap(), ledger);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretsLedger {
    fingerprints: BTreeMap<String, String>,
}

impl SecretsLedger {
    /// The fingerprint recorded for a connector (its address as printed, `connector ops/pager`).
    pub fn fingerprint(&self, address: &str) -> Option<&str> {
        self.fingerprints.get(address).map(String::as_str)
    }

    /// Records a fingerprint.
    pub fn record(&mut self, address: impl Into<String>, fingerprint: impl Into<String>) {
        self.fingerprints.insert(address.into(), fingerprint.into());
    }

    /// Reads a ledger from a JSON file; a file that does not exist is an empty ledger.
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Self, super::FileError> {
        let path = path.as_ref();
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| super::FileError::parse(path, e)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(super::FileError::io(path, error)),
        }
    }

    /// Writes the ledger as JSON.
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<(), super::FileError> {
        let path = path.as_ref();
        let text = serde_json::to_string_pretty(self).map_err(|e| super::FileError::parse(path, e))?;
        std::fs::write(path, text + "\n").map_err(|e| super::FileError::io(path, e))
    }
}

/// What a plan says about a connector's secrets (never their values).
///
/// ```
/// # use kibana::config::SecretsNote;
/// let note = SecretsNote { fields: 2, sent: true, reason: "the connector is created".into() };
/// assert_eq!(note.to_string(), "(sensitive, 2 fields) will be sent: the connector is created");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretsNote {
    /// How many secret fields are declared.
    pub fields: usize,
    /// Whether the apply sends them.
    pub sent: bool,
    /// Why (or why not).
    pub reason: String,
}

impl fmt::Display for SecretsNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.fields == 1 { "" } else { "s" };
        let verb = if self.sent { "will be sent" } else { "not sent" };
        write!(f, "(sensitive, {} field{plural}) {verb}: {}", self.fields, self.reason)
    }
}
