//! The pin (`openapi/pin.toml`) and the transform settings (`openapi/transforms.toml`), as data.

use std::{collections::BTreeMap, path::Path};

use anyhow::{Context, Result};
use serde::Deserialize;

/// Which Kibana documents the generated client comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub kibana_ref: String,
    /// Oldest `major.minor` the documents describe.
    pub kibana_min: String,
    /// Newest `major.minor` the documents describe.
    pub kibana_max: String,
    pub api_version: String,
    /// The crate the regen writes, relative to the workspace root.
    #[serde(default = "default_output_crate")]
    pub output_crate: String,
    /// A crate whose `[features]` forward the generated crate's area features (`kibana`).
    #[serde(default)]
    pub feature_crate: Option<String>,
    /// Where the conformance sweep's calls go (one call of every operation through `kibana::Api`).
    #[serde(default)]
    pub sweep_cases: Option<String>,
    #[serde(rename = "document")]
    pub documents: Vec<DocumentPin>,
}

fn default_output_crate() -> String {
    "kibana-gen".to_owned()
}

fn kibana_repository() -> String {
    "elastic/kibana".to_owned()
}

/// One pinned OpenAPI document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentPin {
    pub name: String,
    pub file: String,
    /// The GitHub repository the document is taken from.
    #[serde(default = "kibana_repository")]
    pub repository: String,
    pub source_path: String,
    pub commit: String,
    pub url: String,
    pub sha256: String,
    /// The API version of this document's routes that declare none themselves (the Terraform provider's copy of
    /// Kibana's document cuts the versioned media types that say it). Routes that declare their own keep it.
    #[serde(default)]
    pub api_version: Option<String>,
    /// Where the document is, relative to the workspace (or absolute), instead of `--spec-dir` or the download.
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransformConfig {
    pub managed_headers: Vec<String>,
    pub space_prefix: SpacePrefix,
    pub legacy_routes: LegacyRoutes,
    #[serde(default)]
    pub excluded_operations: Vec<ExcludedOperation>,
    pub symbol_names: BTreeMap<String, String>,
    /// Rust names of hoisted symbol enums, by schema name.
    #[serde(default)]
    pub symbol_enum_names: BTreeMap<String, String>,
    #[serde(default)]
    pub required: Required,
    #[serde(default)]
    pub known_bad_examples: Vec<KnownBadExample>,
    #[serde(default)]
    pub ambiguous_one_of: Vec<AmbiguousOneOf>,
    #[serde(default)]
    pub schema_additions: Vec<SchemaAddition>,
    #[serde(default)]
    pub response_additions: Vec<ResponseAddition>,
    #[serde(default)]
    pub areas: Areas,
    #[serde(default)]
    pub operation_additions: Vec<OperationAddition>,
    /// How query parameters are typed and encoded where the document says otherwise than Kibana reads them.
    #[serde(default)]
    pub query: QuerySettings,
    /// The file these settings come from, for messages.
    #[serde(skip)]
    pub path: String,
}

/// `[query]`: query parameters the document types or shapes otherwise than Kibana's router reads them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuerySettings {
    /// Names of query parameters that take whole numbers only (pages, sizes, counts), typed `integer` whatever the
    /// document's looser `number`.
    #[serde(default)]
    pub integers: Vec<String>,
    /// Why.
    #[serde(default)]
    pub integers_reason: String,
    /// Object parameters whose fields are the route's query parameters.
    #[serde(default)]
    pub spread_objects: Vec<SpreadQueryObject>,
}

/// An object query parameter sent as its fields, each under its own name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpreadQueryObject {
    /// `METHOD /path`, as the document writes it.
    pub route: String,
    /// The parameter's name in the document.
    pub parameter: String,
    pub reason: String,
}

/// An operation Kibana serves that the documents leave out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationAddition {
    /// `METHOD /path`.
    pub route: String,
    pub reason: String,
    /// Added only when the documents have this route (`METHOD /path`): the API the operation belongs with, so
    /// that a document of another API (a plugin document) does not get it.
    #[serde(default)]
    pub when_present: Option<String>,
    /// The operation object, as JSON.
    pub operation: String,
}

/// How operations group into API areas, each a cargo feature of `kibana-gen`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Areas {
    /// The areas `kibana-gen` builds by default.
    #[serde(default)]
    pub default: Vec<String>,
    /// Area of an operation by the first segment of its path after `/api/`; other segments are their own area.
    #[serde(default)]
    pub segments: BTreeMap<String, String>,
}

/// A success response Kibana sends that the documents do not declare.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseAddition {
    /// `METHOD /path`, as the document writes it.
    pub route: String,
    pub status: String,
    pub reason: String,
}

/// A schema the documents lack, appended to a `oneOf`/`anyOf` list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaAddition {
    pub name: String,
    /// JSON pointer of the list the `$ref` is appended to.
    pub append_to: String,
    /// The schema, as JSON.
    pub schema: String,
    pub reason: String,
}

/// A schema whose `oneOf` variants overlap, read as `anyOf`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmbiguousOneOf {
    /// JSON pointer of the schema holding the `oneOf`.
    pub pointer: String,
    pub reason: String,
}

/// A spec example that is malformed upstream: reported by the example test instead of failing it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownBadExample {
    pub document: String,
    pub pointer: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpacePrefix {
    pub prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacyRoutes {
    pub reason: String,
    pub exact: Vec<String>,
    pub prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludedOperation {
    /// `METHOD /path`, as the document writes it.
    pub route: String,
    pub reason: String,
}

/// Routes the `kibana` crate's typed APIs call: the API (`client.connectors()`) → its routes (`METHOD /path`
/// after the space prefix is removed; path parameter names do not have to match).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Required {
    pub by_api: BTreeMap<String, Vec<String>>,
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

impl Pin {
    pub fn load(path: &Path) -> Result<Self> {
        let pin: Pin = read_toml(path)?;
        anyhow::ensure!(
            !pin.documents.is_empty(),
            "{}: the pin lists no document",
            path.display()
        );
        Ok(pin)
    }
}

impl TransformConfig {
    pub fn load(path: &Path) -> Result<Self> {
        let mut config: Self = read_toml(path)?;
        config.path = path.display().to_string();
        Ok(config)
    }
}
