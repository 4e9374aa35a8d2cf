//! `kibana-gen/src/query.rs`: query parameters encoded as Kibana's router reads them.

/// The module; every generated method's query parameters go through it (`postprocess::query`).
pub fn render() -> String {
    format!("{}\n{}", super::GENERATED_HEADER, MODULE)
}

const MODULE: &str = r#"//! Query parameters as Kibana's router reads them (progenitor's own encoder spreads an object's fields into the
//! query, losing its name, and writes an `f64` page number as `2.0`):
//!
//! - a string as itself (percent-encoded by the URL), a boolean as `true` / `false`;
//! - a number without a spurious fraction (`2`, not `2.0`; a fraction where there is one);
//! - a list as the key repeated, once per item (`type=a&type=b`);
//! - an object (or a list's object item) as JSON text under its own name (`has_reference={"type":"x","id":"y"}`);
//! - an absent value not at all.
//!
//! A route whose document spells its query as one object parameter of several fields (the endpoint `query`
//! parameters) is spread instead: each field under its own name (`postprocess::query`, `openapi/README.md`).
//!
//! ```
//! use kibana_gen::query::QueryParam;
//! // What reqwest's `RequestBuilder::query` writes: it encodes with serde_urlencoded.
//! let encode = |param: QueryParam<'_, serde_json::Value>| serde_urlencoded::to_string(&param).unwrap();
//! assert_eq!(encode(QueryParam::new("page", &serde_json::json!(2.0))), "page=2");
//! assert_eq!(encode(QueryParam::new("type", &serde_json::json!(["a", "b"]))), "type=a&type=b");
//! assert_eq!(
//!     encode(QueryParam::new("has_reference", &serde_json::json!({"id": "1"}))),
//!     "has_reference=%7B%22id%22%3A%221%22%7D"
//! );
//! ```

use serde::{Serialize, Serializer, ser::Error as _};
use serde_json::Value;

/// One query parameter: its name and value, encoded when serialised into the query.
pub struct QueryParam<'a, T: ?Sized> {
    name: &'a str,
    value: &'a T,
    spread: bool,
}

impl<'a, T: ?Sized> QueryParam<'a, T> {
    /// A parameter encoded as Kibana's router reads it.
    pub fn new(name: &'a str, value: &'a T) -> Self {
        Self { name, value, spread: false }
    }

    /// An object parameter whose fields are the route's parameters, each sent under its own name.
    pub fn spread(name: &'a str, value: &'a T) -> Self {
        Self { name, value, spread: true }
    }
}

impl<T: Serialize + ?Sized> Serialize for QueryParam<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.value).map_err(S::Error::custom)?;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match &value {
            Value::Object(fields) if self.spread => {
                for (name, value) in fields {
                    push(&mut pairs, name, value);
                }
            }
            value => push(&mut pairs, self.name, value),
        }
        pairs.serialize(serializer)
    }
}

fn push<'a>(pairs: &mut Vec<(&'a str, String)>, name: &'a str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items.iter().filter(|item| !item.is_null()) {
                pairs.push((name, text(item)));
            }
        }
        value => pairs.push((name, text(value))),
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => match number.as_f64() {
            // A whole `f64` (a page, a size, a millisecond timestamp): no `.0`.
            Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() < 9_007_199_254_740_992.0 => {
                format!("{}", float as i64)
            }
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}
"#;
