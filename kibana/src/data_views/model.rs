//! Data view models: what Kibana stores and returns (`Data_views_*` schemas of Kibana's document).
//!
//! Every struct keeps the fields it does not type in `other`, so that reading a data view and writing it back
//! loses nothing a newer Kibana added.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A data view (`index-pattern` saved object): which indices, how their fields read.
///
/// ```
/// use kibana::data_views::{DataView, RuntimeField, RuntimeFieldType};
///
/// let view = DataView::new("logs-*")
///     .id("logs")
///     .name("Logs")
///     .time_field("@timestamp")
///     .runtime_field("day", RuntimeField::new(RuntimeFieldType::Keyword).script("emit(doc['@timestamp'].value.dayOfWeekEnum.toString())"));
/// assert_eq!(view.title, "logs-*");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DataView {
    /// Kibana's id; `None` on create lets Kibana choose one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The index pattern (`logs-*`, `a,b`, `remote:logs-*`): Kibana calls it the title.
    #[serde(default)]
    pub title: String,
    /// The name shown in Kibana (the title when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The field time filters apply to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_field_name: Option<String>,
    /// Runtime fields by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub runtime_field_map: BTreeMap<String, RuntimeField>,
    /// Field formatters by field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_formats: BTreeMap<String, FieldFormat>,
    /// Custom labels, descriptions and popularity by field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub field_attrs: BTreeMap<String, FieldAttrs>,
    /// Fields hidden from Discover.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_filters: Vec<SourceFilter>,
    /// Keep the data view when no index matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_no_index: Option<bool>,
    /// The spaces it is in (read; on create, where Kibana puts it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// `rollup` for rollup data views.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Rollup metadata (`{aggs, params}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_meta: Option<Value>,
    /// The saved object's version (optimistic concurrency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The field list Kibana read from the indices (answers; rarely sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Map<String, Value>>,
    /// Everything else Kibana sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl DataView {
    /// A data view over `title` (an index pattern).
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// With your own id (Kibana chooses one otherwise).
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// With a display name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// With the field time filters apply to.
    #[must_use]
    pub fn time_field(mut self, field: impl Into<String>) -> Self {
        self.time_field_name = Some(field.into());
        self
    }

    /// With a runtime field.
    #[must_use]
    pub fn runtime_field(mut self, name: impl Into<String>, field: RuntimeField) -> Self {
        self.runtime_field_map.insert(name.into(), field);
        self
    }

    /// With a field formatter.
    #[must_use]
    pub fn field_format(mut self, field: impl Into<String>, format: FieldFormat) -> Self {
        self.field_formats.insert(field.into(), format);
        self
    }

    /// With a field's label, description or popularity.
    #[must_use]
    pub fn field_attrs(mut self, field: impl Into<String>, attrs: FieldAttrs) -> Self {
        self.field_attrs.insert(field.into(), attrs);
        self
    }

    /// Hides fields matching `pattern` (`user.*`) from Discover.
    #[must_use]
    pub fn source_filter(mut self, pattern: impl Into<String>) -> Self {
        self.source_filters.push(SourceFilter::new(pattern));
        self
    }

    /// Keeps the data view when no index matches.
    #[must_use]
    pub fn allow_no_index(mut self, allow: bool) -> Self {
        self.allow_no_index = Some(allow);
        self
    }

    /// In these spaces (on create).
    #[must_use]
    pub fn namespaces<I: IntoIterator<Item = S>, S: Into<String>>(mut self, spaces: I) -> Self {
        self.namespaces = spaces.into_iter().map(Into::into).collect();
        self
    }
}

/// One entry of the data view list (`GET /api/data_views`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DataViewSummary {
    /// Kibana's id.
    pub id: String,
    /// The index pattern.
    #[serde(default)]
    pub title: String,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The spaces it is in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// Rollup metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_meta: Option<Value>,
    /// Everything else Kibana sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A runtime field: a field computed at query time by a Painless script (or read from `_source` without one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RuntimeField {
    /// Its type.
    #[serde(rename = "type")]
    pub field_type: RuntimeFieldType,
    /// The script that emits its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<RuntimeFieldScript>,
    /// A composite field's subfields, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, RuntimeSubField>,
    /// Everything else Kibana sent (`customLabel`, `popularity`, `format`, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl RuntimeField {
    /// A runtime field of `field_type`, without a script (it reads the field from `_source`).
    pub fn new(field_type: RuntimeFieldType) -> Self {
        Self {
            field_type,
            script: None,
            fields: BTreeMap::new(),
            other: Map::new(),
        }
    }

    /// With the Painless script that emits its values.
    #[must_use]
    pub fn script(mut self, source: impl Into<String>) -> Self {
        self.script = Some(RuntimeFieldScript {
            source: source.into(),
            other: Map::new(),
        });
        self
    }

    /// With a subfield (composite fields).
    #[must_use]
    pub fn subfield(mut self, name: impl Into<String>, field_type: RuntimeFieldType) -> Self {
        self.fields.insert(
            name.into(),
            RuntimeSubField {
                field_type,
                other: Map::new(),
            },
        );
        self
    }
}

/// A runtime field's script.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RuntimeFieldScript {
    /// The Painless source.
    pub source: String,
    /// Everything else Kibana sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A composite runtime field's subfield.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RuntimeSubField {
    /// Its type.
    #[serde(rename = "type")]
    pub field_type: RuntimeFieldType,
    /// Everything else Kibana sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The types Kibana offers for runtime fields; a type this SDK does not know yet is kept as [`Other`](Self::Other).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuntimeFieldType {
    /// `keyword`.
    Keyword,
    /// `long`.
    Long,
    /// `double`.
    Double,
    /// `date`.
    Date,
    /// `ip`.
    Ip,
    /// `boolean`.
    Boolean,
    /// `geo_point`.
    GeoPoint,
    /// `composite`: several subfields from one script.
    Composite,
    /// Any other type name.
    Other(String),
}

impl RuntimeFieldType {
    /// The name Kibana uses.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Keyword => "keyword",
            Self::Long => "long",
            Self::Double => "double",
            Self::Date => "date",
            Self::Ip => "ip",
            Self::Boolean => "boolean",
            Self::GeoPoint => "geo_point",
            Self::Composite => "composite",
            Self::Other(name) => name,
        }
    }
}

impl FromStr for RuntimeFieldType {
    type Err = std::convert::Infallible;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Ok(match name {
            "keyword" => Self::Keyword,
            "long" => Self::Long,
            "double" => Self::Double,
            "date" => Self::Date,
            "ip" => Self::Ip,
            "boolean" => Self::Boolean,
            "geo_point" => Self::GeoPoint,
            "composite" => Self::Composite,
            other => Self::Other(other.to_owned()),
        })
    }
}

impl fmt::Display for RuntimeFieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuntimeFieldType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuntimeFieldType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(name.parse().unwrap_or_else(|never| match never {}))
    }
}

/// A field formatter: its id (`bytes`, `number`, `url`, `color`, `date`, …) and that formatter's params.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldFormat {
    /// The formatter id.
    pub id: String,
    /// Its params (`pattern`, `urlTemplate`, `colors`, …), as the formatter reads them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Map<String, Value>>,
}

impl FieldFormat {
    /// The formatter `id` with its default params.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            params: None,
        }
    }

    /// With one param.
    #[must_use]
    pub fn param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.params
            .get_or_insert_with(Map::new)
            .insert(name.into(), value.into());
        self
    }
}

/// A field's custom label, description and popularity, as stored in the data view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FieldAttrs {
    /// The label shown instead of the field name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_label: Option<String>,
    /// A description (at most [`MAX_CUSTOM_DESCRIPTION_CHARS`](super::MAX_CUSTOM_DESCRIPTION_CHARS) characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_description: Option<String>,
    /// Popularity (how often it was used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

impl FieldAttrs {
    /// With a custom label.
    #[must_use]
    pub fn custom_label(mut self, label: impl Into<String>) -> Self {
        self.custom_label = Some(label.into());
        self
    }

    /// With a custom description.
    #[must_use]
    pub fn custom_description(mut self, description: impl Into<String>) -> Self {
        self.custom_description = Some(description.into());
        self
    }

    /// With a popularity count.
    #[must_use]
    pub fn count(mut self, count: u64) -> Self {
        self.count = Some(count);
        self
    }
}

/// A source filter: fields matching `value` (`user.*`) are hidden from Discover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceFilter {
    /// The field name pattern.
    pub value: String,
}

impl SourceFilter {
    /// A filter for `pattern`.
    pub fn new(pattern: impl Into<String>) -> Self {
        Self { value: pattern.into() }
    }
}

/// A saved object a reference swap touches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AffectedObject {
    /// Its id.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub object_type: String,
}

/// What [`swap_references`](super::DataViews::swap_references) did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SwapOutcome {
    /// The objects whose references now name the new data view.
    #[serde(default)]
    pub result: Vec<AffectedObject>,
    /// With `delete`: whether the old data view was deleted, and how many references to it remain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_status: Option<DeleteStatus>,
}

/// Whether a swap deleted the old data view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteStatus {
    /// References to it left elsewhere (it is kept when any remain).
    #[serde(default)]
    pub remaining_refs: u64,
    /// Whether it was deleted.
    #[serde(default)]
    pub delete_performed: bool,
}
