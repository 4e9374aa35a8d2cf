//! Binds the typed rule params to the `params_*` schemas of Kibana's combined 9.3 document (the pin) and of the 8.x
//! alerting document: the same field names, every field a schema requires required in Rust, and the same enum
//! values where both sides have an enum. The Elasticsearch query flavours are separate schemas in 9.3
//! (`params_es_query_dsl_rule`, `params_es_query_esql_rule`, `params_es_query_kql_rule`) and one `oneOf` in 8.x
//! (`params_es_query_rule`); the criteria of the infrastructure rules are compared too. Every deviation is listed
//! below with its reason, and an exception that no longer applies fails.

use std::collections::{BTreeMap, BTreeSet};

use kibana::rules::{
    RuleType,
    observability::*,
    types::{EsQuery, EsQueryParams, IndexThreshold, IndexThresholdParams},
};
use serde_json::Value;

mod common;

use common::{KIBANA_9_3, Shape, rust_alternative_shape, rust_shape, rust_variant_shape};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Doc {
    V93,
    V8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The schema has the field, the Rust type does not.
    NotInRust,
    /// The schema requires the field, Rust does not.
    Looser,
}

use Doc::{V8, V93};
use Kind::*;

const AGG_FIELDS: &str = "not typed: `EsQueryCommon` is built with struct literals (by users and this repository's \
                          tests), so a new field would break them; Kibana's defaults apply (aggType `count` without \
                          `aggField`, groupBy `all` without `termField` / `termSize`). Send them through raw params";
const DSL_TIME_FIELD: &str = "`EsQueryCommon` is shared by the three flavours and only the Query DSL one requires \
                              `timeField`; Kibana rejects a Query DSL rule without it";

const INVENTORY_SOURCE: &str = "the documents list `sourceId` in each criterion as well as in the params; Rust types \
                                it once, in the params (`InventoryParams::source_id`), and `InventoryCriterion` is \
                                built with struct literals, so a new field would break callers";

/// `(document, schema key, field, kind, reason)`. A schema key is a schema's name, `name[value]` for the
/// alternative of a `oneOf` whose tag is `value`, or `name.criteria` for the items of its `criteria` (the union of
/// their alternatives, if any).
#[rustfmt::skip]
const EXCEPTIONS: &[(Doc, &str, &str, Kind, &str)] = &[
    (V93, "params_property_infra_inventory.criteria", "sourceId", NotInRust, INVENTORY_SOURCE),
    (V8, "params_property_infra_inventory.criteria", "sourceId", NotInRust, INVENTORY_SOURCE),
    (V93, "params_es_query_esql_rule", "aggField", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_esql_rule", "termSize", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_kql_rule", "aggField", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_kql_rule", "termField", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_kql_rule", "termSize", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_dsl_rule", "aggField", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_dsl_rule", "termField", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_dsl_rule", "termSize", NotInRust, AGG_FIELDS),
    (V93, "params_es_query_dsl_rule", "timeField", Looser, DSL_TIME_FIELD),
    (V8, "params_es_query_rule[esqlQuery]", "aggField", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[esqlQuery]", "termSize", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[searchSource]", "aggField", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[searchSource]", "termField", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[searchSource]", "termSize", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[esQuery]", "aggField", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[esQuery]", "termField", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[esQuery]", "termSize", NotInRust, AGG_FIELDS),
    (V8, "params_es_query_rule[esQuery]", "timeField", Looser, DSL_TIME_FIELD),
];

/// Differences the comparison (names, required, enums) cannot see, documented here so that they are not lost:
/// `(document, schema key, field, what differs)`.
#[rustfmt::skip]
const TYPE_DIFFERENCES: &[(Doc, &str, &str, &str)] = &[
    (V93, "params_index_threshold_rule", "termField", "9.3 also accepts a list of up to 4 fields; Rust has one `Option<String>` (8.x: a string); changing the field's type would break callers"),
    (V93, "params_es_query_kql_rule", "termField", "9.3: a string or a list of up to 4 fields (not typed, see EXCEPTIONS)"),
    (V93, "params_es_query_esql_rule", "thresholdComparator", "9.3 allows only `>` (with threshold [0]) for ES|QL; Rust's ThresholdComparator has every comparator"),
    (V93, "params_property_infra_metric_threshold.criteria", "timeUnit", "9.3 has an enum (s, m, h, d), 8.x a string; Rust keeps `String` (an enum would break callers)"),
    (V93, "params_property_infra_metric_threshold.criteria", "aggType", "an enum in both documents; Rust keeps `String` (an enum would break callers)"),
];

struct Checker {
    doc: Doc,
    spec: Value,
    failures: Vec<String>,
    used: BTreeSet<usize>,
    compared: usize,
}

impl Checker {
    fn new(doc: Doc, spec: Value) -> Self {
        Self {
            doc,
            spec,
            failures: Vec::new(),
            used: BTreeSet::new(),
            compared: 0,
        }
    }

    /// The shape of schema `key` (see [`EXCEPTIONS`]): its fields with their enum values, and its required fields.
    fn spec_shape(&self, key: &str) -> Option<Shape> {
        let (name, part) = match key.split_once('.') {
            Some((name, part)) => (name, Some(part)),
            None => (key, None),
        };
        let (name, tag) = match name.split_once('[') {
            Some((name, tag)) => (name, Some(tag.trim_end_matches(']'))),
            None => (name, None),
        };
        let schema = common::resolve(self.spec["components"]["schemas"].get(name)?, &self.spec);
        let schema = match tag {
            Some(tag) => common::tagged_alternative(&schema, &self.spec, "searchType", tag)?,
            None => schema,
        };
        let Some(part) = part else {
            return Some(common::shape(&schema, &self.spec));
        };
        let items = common::resolve(&schema["properties"][part]["items"], &self.spec);
        let alternatives = common::alternatives(&items, &self.spec);
        if alternatives.is_empty() {
            return Some(common::shape(&items, &self.spec));
        }
        // The union of the alternatives: their fields and enum values; required by all of them.
        let mut union: Option<Shape> = None;
        for alternative in alternatives {
            let (props, required) = common::shape(&alternative, &self.spec);
            union = Some(match union {
                None => (props, required),
                Some((mut all, all_required)) => {
                    for (name, values) in props {
                        all.entry(name).or_default().extend(values);
                    }
                    (all, all_required.intersection(&required).cloned().collect())
                }
            });
        }
        union
    }

    fn excepted(&mut self, key: &str, field: &str, kind: Kind) -> bool {
        match EXCEPTIONS
            .iter()
            .position(|(d, k, f, kd, _)| *d == self.doc && *k == key && *f == field && *kd == kind)
        {
            Some(i) => {
                self.used.insert(i);
                true
            }
            None => false,
        }
    }

    fn compare(&mut self, what: &str, key: &str, rust: Shape) {
        let Some((spec_props, spec_required)) = self.spec_shape(key) else {
            self.failures
                .push(format!("{:?} {what}: the document has no schema {key}", self.doc));
            return;
        };
        self.compared += 1;
        let (rust_props, rust_required) = rust;
        let doc = self.doc;
        for name in spec_props.keys().filter(|n| !rust_props.contains_key(*n)) {
            if !self.excepted(key, name, NotInRust) {
                self.failures
                    .push(format!("{doc:?} {what}: `{name}` is in {key} but not in the Rust type"));
            }
        }
        for name in rust_props.keys().filter(|n| !spec_props.contains_key(*n)) {
            self.failures
                .push(format!("{doc:?} {what}: `{name}` is in the Rust type but not in {key}"));
        }
        for name in spec_required.difference(&rust_required) {
            if !self.excepted(key, name, Looser) {
                self.failures.push(format!(
                    "{doc:?} {what}: `{name}` is required by {key} but optional in Rust"
                ));
            }
        }
        for (name, values) in &spec_props {
            if let Some(rust_values) = rust_props.get(name)
                && !values.is_empty()
                && !rust_values.is_empty()
                && rust_values != values
            {
                self.failures.push(format!(
                    "{doc:?} {what}.{name}: enum values differ: {key} {values:?}, Rust {rust_values:?}"
                ));
            }
        }
    }

    fn finish(mut self, what: &str, at_least: usize) {
        eprintln!("{what}: {} bindings compared", self.compared);
        assert!(
            self.compared >= at_least,
            "only {} bindings were compared",
            self.compared
        );
        for (i, (doc, key, field, kind, reason)) in EXCEPTIONS.iter().enumerate() {
            if *doc == self.doc && !self.used.contains(&i) {
                self.failures.push(format!(
                    "{doc:?}: stale exception ({key}, {field}, {kind:?}): no longer needed ({reason})"
                ));
            }
        }
        for (doc, key, field, _) in TYPE_DIFFERENCES {
            if *doc == self.doc
                && !self
                    .spec_shape(key)
                    .is_some_and(|(props, _)| props.contains_key(*field))
            {
                self.failures
                    .push(format!("{doc:?}: TYPE_DIFFERENCES names {key}.{field}, which is gone"));
            }
        }
        assert!(
            self.failures.is_empty(),
            "typed rule params disagree with the {what}:\n{}",
            self.failures.join("\n")
        );
    }
}

/// The bindings shared by both documents (same schema names), then the Elasticsearch query flavours.
fn check_all(c: &mut Checker, es_query: [&str; 3]) {
    c.compare(
        IndexThreshold::RULE_TYPE_ID,
        "params_index_threshold_rule",
        rust_shape::<IndexThresholdParams>(),
    );
    let [esql, kql, dsl] = es_query;
    for (flavour, key) in [("esqlQuery", esql), ("searchSource", kql), ("esQuery", dsl)] {
        c.compare(
            &format!("{} ({flavour})", EsQuery::RULE_TYPE_ID),
            key,
            rust_variant_shape::<EsQueryParams>("searchType", flavour),
        );
    }
    let observability: [(&str, &str, Shape); 10] = [
        (
            ApmAnomaly::RULE_TYPE_ID,
            "params_property_apm_anomaly",
            rust_shape::<ApmAnomalyParams>(),
        ),
        (
            ApmErrorCount::RULE_TYPE_ID,
            "params_property_apm_error_count",
            rust_shape::<ApmErrorCountParams>(),
        ),
        (
            ApmTransactionDuration::RULE_TYPE_ID,
            "params_property_apm_transaction_duration",
            rust_shape::<ApmTransactionDurationParams>(),
        ),
        (
            ApmTransactionErrorRate::RULE_TYPE_ID,
            "params_property_apm_transaction_error_rate",
            rust_shape::<ApmTransactionErrorRateParams>(),
        ),
        (
            InfraInventory::RULE_TYPE_ID,
            "params_property_infra_inventory",
            rust_shape::<InventoryParams>(),
        ),
        (
            "metrics.alert.inventory.threshold criteria",
            "params_property_infra_inventory.criteria",
            rust_shape::<InventoryCriterion>(),
        ),
        (
            InfraMetricThreshold::RULE_TYPE_ID,
            "params_property_infra_metric_threshold",
            rust_shape::<MetricThresholdParams>(),
        ),
        (
            "metrics.alert.threshold criteria",
            "params_property_infra_metric_threshold.criteria",
            rust_shape::<MetricCriterion>(),
        ),
        (
            SloBurnRate::RULE_TYPE_ID,
            "params_property_slo_burn_rate",
            rust_shape::<SloBurnRateParams>(),
        ),
        (
            UptimeTls::RULE_TYPE_ID,
            "params_property_synthetics_uptime_tls",
            rust_shape::<UptimeTlsParams>(),
        ),
    ];
    for (what, key, rust) in observability {
        c.compare(what, key, rust);
    }
    c.compare(
        MonitorStatus::RULE_TYPE_ID,
        "params_property_synthetics_monitor_status",
        rust_shape::<MonitorStatusParams>(),
    );
    // Log threshold: a `oneOf` of the count (first) and ratio (second) flavours; Rust's untagged enum declares
    // Ratio first (it must be tried first when deserializing).
    let log = "params_property_log_threshold";
    let flavours = c.spec_shape(log).map(|_| {
        let schema = common::resolve(&c.spec["components"]["schemas"][log], &c.spec);
        common::alternatives(&schema, &c.spec)
    });
    match flavours.as_deref() {
        Some([count, ratio]) => {
            for (flavour, spec, rust) in [
                ("count", count, rust_alternative_shape::<LogThresholdParams>(1)),
                ("ratio", ratio, rust_alternative_shape::<LogThresholdParams>(0)),
            ] {
                let (spec_props, spec_required) = common::shape(spec, &c.spec);
                let (rust_props, rust_required) = rust;
                c.compared += 1;
                let (a, b): (BTreeSet<_>, BTreeSet<_>) = (spec_props.keys().collect(), rust_props.keys().collect());
                if a != b || !spec_required.is_subset(&rust_required) {
                    c.failures.push(format!(
                        "{:?} {} ({flavour}): {log} has fields {a:?} (required {spec_required:?}), Rust {b:?} (required {rust_required:?})",
                        c.doc,
                        LogThreshold::RULE_TYPE_ID
                    ));
                }
                let spec_enums: BTreeMap<_, _> = spec_props.iter().filter(|(_, v)| !v.is_empty()).collect();
                for (name, values) in spec_enums {
                    if rust_props.get(name).is_some_and(|r| !r.is_empty() && r != values) {
                        c.failures.push(format!(
                            "{:?} {} ({flavour}).{name}: enum values differ",
                            c.doc,
                            LogThreshold::RULE_TYPE_ID
                        ));
                    }
                }
            }
        }
        other => c.failures.push(format!(
            "{:?}: {log} is no longer a oneOf of two flavours: {other:?}",
            c.doc
        )),
    }
}

#[test]
fn typed_rule_params_agree_with_the_9_3_document() {
    let Some(spec) = common::pinned_document(KIBANA_9_3) else {
        return;
    };
    let mut c = Checker::new(V93, spec);
    check_all(
        &mut c,
        [
            "params_es_query_esql_rule",
            "params_es_query_kql_rule",
            "params_es_query_dsl_rule",
        ],
    );
    // Every `params_*` schema of the document is bound.
    let bound = [
        "params_es_query_dsl_rule",
        "params_es_query_esql_rule",
        "params_es_query_kql_rule",
        "params_index_threshold_rule",
        "params_property_apm_anomaly",
        "params_property_apm_error_count",
        "params_property_apm_transaction_duration",
        "params_property_apm_transaction_error_rate",
        "params_property_infra_inventory",
        "params_property_infra_metric_threshold",
        "params_property_log_threshold",
        "params_property_slo_burn_rate",
        "params_property_synthetics_monitor_status",
        "params_property_synthetics_uptime_tls",
    ];
    let in_spec: Vec<&str> = c.spec["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| k.starts_with("params_"))
        .collect();
    let unbound: Vec<_> = in_spec.iter().filter(|k| !bound.contains(k)).collect();
    assert!(
        unbound.is_empty(),
        "params schemas of the 9.3 document no type is bound to: {unbound:?}"
    );
    c.finish("9.3 document", 17);
}

#[test]
fn typed_rule_params_agree_with_the_8x_document() {
    let Some(spec) = common::pinned_document("alerting.yaml") else {
        return;
    };
    let mut c = Checker::new(V8, spec);
    check_all(
        &mut c,
        [
            "params_es_query_rule[esqlQuery]",
            "params_es_query_rule[searchSource]",
            "params_es_query_rule[esQuery]",
        ],
    );
    c.finish("8.x alerting document", 17);
}
