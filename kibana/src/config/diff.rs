//! Field-level differences between what is declared and what Kibana has.
//!
//! The rules, so that what Kibana fills in never shows as a change:
//! - an object field you do not declare is Kibana's (a server default, a server-filled field): not compared;
//! - `null`, `[]`, `{}` and an absent field are the same;
//! - numbers compare by value (`5` is `5.0`);
//! - arrays compare element by element (their elements by these rules); a different length is one change;
//! - maps keyed by you (a data view's runtime fields, a webhook's headers: the kind's "whole" paths) compare
//!   whole: a key Kibana has and you do not declare is a removal.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One changed field: its path (`config.url`, `actions[0].params.message`), what Kibana has, what is declared.
///
/// ```
/// use kibana::config::FieldChange;
/// use serde_json::json;
///
/// let change = FieldChange { path: "config.url".into(), old: Some(json!("https://a")), new: Some(json!("https://b")) };
/// assert_eq!(change.to_string(), r#"~ config.url: "https://a" -> "https://b""#);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field's path.
    pub path: String,
    /// What Kibana has (`None`: nothing).
    pub old: Option<Value>,
    /// What is declared (`None`: removed).
    pub new: Option<Value>,
}

/// At most this many characters of a value are printed.
const SHOWN: usize = 160;

pub(crate) fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= SHOWN {
        text
    } else {
        let cut: String = text.chars().take(SHOWN).collect();
        format!("{cut}… ({} chars)", text.chars().count())
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.old, &self.new) {
            (None, Some(new)) => write!(f, "+ {}: {}", self.path, show(new)),
            (Some(old), None) => write!(f, "- {}: {}", self.path, show(old)),
            (Some(old), Some(new)) => write!(f, "~ {}: {} -> {}", self.path, show(old), show(new)),
            (None, None) => write!(f, "~ {}", self.path),
        }
    }
}

/// Whether a value stands for "nothing".
pub(crate) fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// The changes that turn `observed` into `desired`; `whole` lists the paths (indices written `[]`) of maps
/// compared whole.
pub(crate) fn diff(desired: &Value, observed: &Value, whole: &[&str]) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk(&mut Vec::new(), desired, observed, whole, false, &mut out);
    out
}

/// The fields of a resource to create: each declared top-level field.
pub(crate) fn additions(desired: &Value) -> Vec<FieldChange> {
    let empty = Map::new();
    sorted(desired.as_object().unwrap_or(&empty))
        .into_iter()
        .filter(|(_, value)| !is_empty(value))
        .map(|(key, value)| FieldChange {
            path: render(&[Segment::Key(key.clone())]),
            old: None,
            new: Some(value.clone()),
        })
        .collect()
}

fn sorted(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

#[derive(Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) if is_plain(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Key(key) => out.push_str(&format!("[{key:?}]")),
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn is_plain(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The path with indices written `[]`, for matching `whole` patterns.
fn pattern(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(_) => out.push_str("[]"),
        }
    }
    out
}

fn record(path: &[Segment], observed: &Value, desired: Option<&Value>, out: &mut Vec<FieldChange>) {
    out.push(FieldChange {
        path: render(path),
        old: (!is_empty(observed)).then(|| observed.clone()),
        new: desired.filter(|d| !is_empty(d)).cloned(),
    });
}

fn scalar_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn walk(
    path: &mut Vec<Segment>,
    desired: &Value,
    observed: &Value,
    whole: &[&str],
    in_whole: bool,
    out: &mut Vec<FieldChange>,
) {
    if is_empty(desired) && is_empty(observed) {
        return;
    }
    match desired {
        Value::Object(wanted) => {
            let empty = Map::new();
            let have = match observed {
                Value::Object(have) => have,
                other if is_empty(other) => &empty,
                other => return record(path, other, Some(desired), out),
            };
            let whole_here = in_whole || whole.contains(&pattern(path).as_str());
            // Keys in order, whatever order the maps keep (serde_json's `preserve_order` may be on).
            for (key, value) in sorted(wanted) {
                path.push(Segment::Key(key.clone()));
                walk(
                    path,
                    value,
                    have.get(key).unwrap_or(&Value::Null),
                    whole,
                    whole_here,
                    out,
                );
                path.pop();
            }
            if whole_here {
                for (key, value) in sorted(have) {
                    if !wanted.contains_key(key) && !is_empty(value) {
                        path.push(Segment::Key(key.clone()));
                        record(path, value, None, out);
                        path.pop();
                    }
                }
            }
        }
        Value::Array(wanted) => match observed {
            Value::Array(have) if have.len() == wanted.len() => {
                for (i, (w, h)) in wanted.iter().zip(have).enumerate() {
                    path.push(Segment::Index(i));
                    walk(path, w, h, whole, in_whole, out);
                    path.pop();
                }
            }
            other => record(path, other, Some(desired), out),
        },
        // A declared `null` is "nothing": Kibana's value stays unless the map is compared whole.
        Value::Null => {
            if in_whole {
                record(path, observed, None, out);
            }
        }
        scalar => {
            if !scalar_equal(scalar, observed) {
                record(path, observed, Some(desired), out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn paths(changes: &[FieldChange]) -> Vec<String> {
        changes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn undeclared_fields_defaults_and_empties_are_not_changes() {
        let desired = json!({"name": "a", "config": {"url": "u", "headers": []}, "tags": [], "n": 5});
        let observed =
            json!({"name": "a", "id": "x", "config": {"url": "u", "hasAuth": true, "method": "post"}, "n": 5.0});
        assert!(diff(&desired, &observed, &[]).is_empty());
    }

    #[test]
    fn changes_have_paths_and_arrays_compare_by_element() {
        let desired = json!({"params": {"threshold": [2]}, "actions": [{"id": "a", "params": {"m": "new"}}]});
        let observed =
            json!({"params": {"threshold": [1]}, "actions": [{"id": "a", "uuid": "u", "params": {"m": "old"}}]});
        assert_eq!(
            paths(&diff(&desired, &observed, &[])),
            [
                r#"~ actions[0].params.m: "old" -> "new""#,
                "~ params.threshold[0]: 1 -> 2"
            ]
        );
        let longer = json!({"tags": ["a", "b"]});
        assert_eq!(
            paths(&diff(&longer, &json!({"tags": ["a"]}), &[])),
            [r#"~ tags: ["a"] -> ["a","b"]"#]
        );
    }

    #[test]
    fn whole_maps_report_removed_keys() {
        let desired = json!({"runtimeFieldMap": {"a": {"type": "keyword"}}});
        let observed = json!({"runtimeFieldMap": {"a": {"type": "keyword"}, "host.name": {"type": "ip"}}});
        assert_eq!(
            paths(&diff(&desired, &observed, &["runtimeFieldMap"])),
            [r#"- runtimeFieldMap["host.name"]: {"type":"ip"}"#]
        );
        assert!(diff(&desired, &observed, &[]).is_empty());
    }
}
