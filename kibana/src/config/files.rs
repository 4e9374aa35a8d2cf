//! Declared state in files: TOML, YAML and JSON, chosen by the file's extension.

use std::{fmt, path::Path};

use super::DeclaredState;

/// A file format for declared state.
///
/// ```
/// use kibana::config::Format;
///
/// assert_eq!(Format::from_path("kibana.toml"), Some(Format::Toml));
/// assert_eq!(Format::from_path("state/ops.yml"), Some(Format::Yaml));
/// assert_eq!(Format::from_path("state.txt"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `.toml`
    Toml,
    /// `.yaml`, `.yml`
    Yaml,
    /// `.json`
    Json,
}

impl Format {
    /// The format a path's extension names.
    pub fn from_path(path: impl AsRef<Path>) -> Option<Format> {
        match path.as_ref().extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A file could not be read, parsed or written.
///
/// ```
/// let error = kibana::config::DeclaredState::from_path("missing.toml").unwrap_err();
/// assert!(error.to_string().starts_with("missing.toml: "), "{error}");
/// ```
#[derive(Debug)]
pub struct FileError {
    path: String,
    reason: String,
}

impl FileError {
    pub(crate) fn io(path: &Path, error: std::io::Error) -> Self {
        Self {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }

    pub(crate) fn parse(path: &Path, error: impl fmt::Display) -> Self {
        Self {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }

    fn format(what: &str, error: impl fmt::Display) -> Self {
        Self {
            path: format!("({what})"),
            reason: error.to_string(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for FileError {}

impl DeclaredState {
    /// Reads a state file; the extension names the format (`.toml`, `.yaml`/`.yml`, `.json`).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, FileError> {
        let path = path.as_ref();
        let format = Format::from_path(path)
            .ok_or_else(|| FileError::parse(path, "the extension must be .toml, .yaml, .yml or .json"))?;
        let text = std::fs::read_to_string(path).map_err(|e| FileError::io(path, e))?;
        Self::parse(&text, format).map_err(|e| FileError::parse(path, e.reason))
    }

    /// Parses a state in `format`.
    pub fn parse(text: &str, format: Format) -> Result<Self, FileError> {
        match format {
            Format::Toml => toml::from_str(text).map_err(|e| FileError::format("TOML", e)),
            Format::Yaml => serde_norway::from_str(text).map_err(|e| FileError::format("YAML", e)),
            Format::Json => serde_json::from_str(text).map_err(|e| FileError::format("JSON", e)),
        }
    }

    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<Self, FileError> {
        Self::parse(text, Format::Toml)
    }

    /// Parses YAML.
    pub fn from_yaml(text: &str) -> Result<Self, FileError> {
        Self::parse(text, Format::Yaml)
    }

    /// Parses JSON.
    pub fn from_json(text: &str) -> Result<Self, FileError> {
        Self::parse(text, Format::Json)
    }

    /// The state in `format`. Fails when a secret is a literal value (only environment references are written).
    pub fn render(&self, format: Format) -> Result<String, FileError> {
        match format {
            Format::Toml => toml::to_string_pretty(self).map_err(|e| FileError::format("TOML", e)),
            Format::Yaml => serde_norway::to_string(self).map_err(|e| FileError::format("YAML", e)),
            Format::Json => serde_json::to_string_pretty(self)
                .map(|text| text + "\n")
                .map_err(|e| FileError::format("JSON", e)),
        }
    }

    /// The state as TOML.
    pub fn to_toml(&self) -> Result<String, FileError> {
        self.render(Format::Toml)
    }

    /// The state as YAML.
    pub fn to_yaml(&self) -> Result<String, FileError> {
        self.render(Format::Yaml)
    }

    /// The state as JSON.
    pub fn to_json(&self) -> Result<String, FileError> {
        self.render(Format::Json)
    }

    /// Writes the state to `path`, in the format its extension names.
    pub fn write_to(&self, path: impl AsRef<Path>) -> Result<(), FileError> {
        let path = path.as_ref();
        let format = Format::from_path(path)
            .ok_or_else(|| FileError::parse(path, "the extension must be .toml, .yaml, .yml or .json"))?;
        let text = self.render(format).map_err(|e| FileError::parse(path, e.reason))?;
        std::fs::write(path, text).map_err(|e| FileError::io(path, e))
    }
}
