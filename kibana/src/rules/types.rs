//! Typed rule types: each one's `rule_type_id` and `Params`. Rule types the spec does not describe field by field
//! are used with raw JSON params.

use std::fmt::Debug;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// `>`, `>=`, `<`, `<=`, `between`, `notBetween`, with readable names (generated from the spec).
pub use kibana_gen::symbols::ThresholdComparator;

/// A rule type: its id and its params.
pub trait RuleType: Send + Sync + 'static {
    /// Kibana's `rule_type_id`.
    const RULE_TYPE_ID: &'static str;
    /// The params.
    type Params: Serialize + DeserializeOwned + Clone + Debug + PartialEq + Send + Sync;
}

/// Unit of a time window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TimeUnit {
    /// Seconds.
    #[serde(rename = "s")]
    Seconds,
    /// Minutes.
    #[serde(rename = "m")]
    Minutes,
    /// Hours.
    #[serde(rename = "h")]
    Hours,
    /// Days.
    #[serde(rename = "d")]
    Days,
}

/// Aggregation of a threshold rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AggType {
    /// Average.
    Avg,
    /// Count (default).
    #[default]
    Count,
    /// Maximum.
    Max,
    /// Minimum.
    Min,
    /// Sum.
    Sum,
}

/// Whether a threshold applies to all documents or per group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// All documents (default).
    #[default]
    All,
    /// The top groups by `termField`.
    Top,
}

/// `.index-threshold` params (`params_index_threshold_rule`).
///
/// ```
/// use kibana::rules::types::{IndexThresholdParams, ThresholdComparator, TimeUnit};
/// let params = IndexThresholdParams::new(["logs-*"], "@timestamp", ThresholdComparator::GreaterThan, [100.0], 5, TimeUnit::Minutes);
/// let json = serde_json::to_value(&params).unwrap();
/// assert_eq!(json["thresholdComparator"], ">");
/// assert_eq!(json["timeWindowUnit"], "m");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IndexThresholdParams {
    /// Indices.
    pub index: Vec<String>,
    /// The time field.
    pub time_field: String,
    /// The aggregation (default count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agg_type: Option<AggType>,
    /// The aggregated field (not for count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agg_field: Option<String>,
    /// All or per group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<GroupBy>,
    /// Grouping field (with `Top`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_field: Option<String>,
    /// How many groups (with `Top`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_size: Option<u32>,
    /// The comparison.
    #[schemars(with = "String")]
    pub threshold_comparator: ThresholdComparator,
    /// One value, or two for `between` / `notBetween`.
    pub threshold: Vec<f64>,
    /// Window size.
    pub time_window_size: u32,
    /// Window unit.
    pub time_window_unit: TimeUnit,
    /// A KQL filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_kuery: Option<String>,
}

impl IndexThresholdParams {
    /// The required fields.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(
        index: I,
        time_field: impl Into<String>,
        threshold_comparator: ThresholdComparator,
        threshold: impl IntoIterator<Item = f64>,
        time_window_size: u32,
        time_window_unit: TimeUnit,
    ) -> Self {
        Self {
            index: index.into_iter().map(Into::into).collect(),
            time_field: time_field.into(),
            agg_type: None,
            agg_field: None,
            group_by: None,
            term_field: None,
            term_size: None,
            threshold_comparator,
            threshold: threshold.into_iter().collect(),
            time_window_size,
            time_window_unit,
            filter_kuery: None,
        }
    }
}

/// `.index-threshold`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexThreshold;

impl RuleType for IndexThreshold {
    const RULE_TYPE_ID: &'static str = ".index-threshold";
    type Params = IndexThresholdParams;
}

/// The ES|QL query of an ES|QL rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EsqlQuery {
    /// The query.
    pub esql: String,
}

/// A KQL or Lucene query of a search-source rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SearchQuery {
    /// The query text.
    pub query: String,
    /// `kuery` (KQL) or `lucene`.
    pub language: String,
}

/// Where and what a search-source rule searches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SearchConfiguration {
    /// The query.
    pub query: SearchQuery,
    /// A data view id.
    pub index: String,
    /// Extra DSL filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter: Vec<serde_json::Value>,
}

/// What every Elasticsearch query flavour shares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EsQueryCommon {
    /// Documents to include in the context (0 for ES|QL, where it is unused).
    pub size: u32,
    /// One value, or two for `between` / `notBetween`.
    pub threshold: Vec<f64>,
    /// The comparison.
    #[schemars(with = "String")]
    pub threshold_comparator: ThresholdComparator,
    /// Window size.
    pub time_window_size: u32,
    /// Window unit.
    pub time_window_unit: TimeUnit,
    /// The time field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_field: Option<String>,
    /// Skip hits already alerted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_hits_from_previous_run: Option<bool>,
    /// Aggregation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agg_type: Option<AggType>,
    /// All or per group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<GroupBy>,
}

/// `.es-query` params in their three flavours, told apart by `searchType` (9.3: `params_es_query_esql_rule`,
/// `params_es_query_kql_rule`, `params_es_query_dsl_rule`; 8.x: the `oneOf` `params_es_query_rule`).
///
/// ```
/// use kibana::rules::types::{EsQueryCommon, EsQueryParams, EsqlQuery, ThresholdComparator, TimeUnit};
/// let common = EsQueryCommon {
///     size: 0, threshold: vec![0.0], threshold_comparator: ThresholdComparator::GreaterThan,
///     time_window_size: 5, time_window_unit: TimeUnit::Minutes, time_field: Some("@timestamp".into()),
///     exclude_hits_from_previous_run: None, agg_type: None, group_by: None,
/// };
/// let params = EsQueryParams::Esql { esql_query: EsqlQuery { esql: "FROM logs | LIMIT 1".into() }, common };
/// assert_eq!(serde_json::to_value(&params).unwrap()["searchType"], "esqlQuery");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "searchType")]
#[serde(remote = "Self")]
pub enum EsQueryParams {
    /// ES|QL (technical preview in Kibana).
    #[serde(rename = "esqlQuery", rename_all = "camelCase")]
    Esql {
        /// The query.
        esql_query: EsqlQuery,
        /// Thresholds and window.
        #[serde(flatten)]
        common: EsQueryCommon,
    },
    /// KQL or Lucene over a data view.
    #[serde(rename = "searchSource", rename_all = "camelCase")]
    SearchSource {
        /// The search.
        search_configuration: SearchConfiguration,
        /// Thresholds and window.
        #[serde(flatten)]
        common: EsQueryCommon,
    },
    /// Query DSL over indices.
    #[serde(rename = "esQuery", rename_all = "camelCase")]
    QueryDsl {
        /// The DSL query, as a JSON string.
        es_query: String,
        /// Indices.
        index: Vec<String>,
        /// Thresholds and window.
        #[serde(flatten)]
        common: EsQueryCommon,
    },
}

impl Serialize for EsQueryParams {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EsQueryParams::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for EsQueryParams {
    /// Kibana treats params without `searchType` as a Query DSL rule (the oldest flavour); so does this.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut value = serde_json::Value::deserialize(deserializer)?;
        if let Some(object) = value.as_object_mut() {
            object
                .entry("searchType")
                .or_insert_with(|| serde_json::Value::String("esQuery".into()));
        }
        EsQueryParams::deserialize(value).map_err(serde::de::Error::custom)
    }
}

/// `.es-query`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EsQuery;

impl RuleType for EsQuery {
    const RULE_TYPE_ID: &'static str = ".es-query";
    type Params = EsQueryParams;
}
