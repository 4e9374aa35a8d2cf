//! The query string Kibana's router reads, written from the rules (`kibana_gen::query`'s module documentation),
//! independently of the SDK's encoder: the sweep's query pass holds what the SDK sent against it.

use serde_json::Value;

/// The pairs a parameter of this JSON value makes.
pub fn expected_pairs(name: &str, value: &Value) -> Vec<(String, Value)> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .filter(|item| !item.is_null())
            .map(|item| (name.to_owned(), item.clone()))
            .collect(),
        other => vec![(name.to_owned(), other.clone())],
    }
}

/// Whether a query value as sent says `expected`: a string is itself, a number its value written without a
/// spurious fraction, a boolean `true` / `false`, an object (or list item object) its JSON text.
pub fn says(sent: &str, expected: &Value) -> bool {
    match expected {
        Value::String(text) => sent == text,
        Value::Bool(flag) => sent == if *flag { "true" } else { "false" },
        Value::Number(number) => match number.as_f64() {
            Some(float) if float.fract() == 0.0 => sent == format!("{}", float as i64),
            _ => sent.parse::<f64>().ok() == number.as_f64(),
        },
        structured => serde_json::from_str::<Value>(sent).ok().as_ref() == Some(structured),
    }
}

/// The decoded pairs of a query string (`a=1&b=x%20y`).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// What is wrong with `sent` for the parameters `expected` (wire name, JSON text of the value): a pair missing,
/// unexpected or written otherwise.
pub fn problems(sent: &str, expected: &[(&str, &str)]) -> Vec<String> {
    let mut wanted: Vec<(String, Value)> = Vec::new();
    for (name, text) in expected {
        let value: Value = serde_json::from_str(text).unwrap_or(Value::String((*text).to_owned()));
        wanted.extend(expected_pairs(name, &value));
    }
    let mut sent = pairs(sent);
    let mut out = Vec::new();
    for (name, value) in &wanted {
        match sent.iter().position(|(key, text)| key == name && says(text, value)) {
            Some(index) => {
                sent.remove(index);
            }
            None => out.push(format!(
                "`{name}`: expected {value}, sent {:?}",
                sent.iter()
                    .filter(|(key, _)| key == name)
                    .map(|(_, v)| v)
                    .collect::<Vec<_>>()
            )),
        }
    }
    out.extend(
        sent.into_iter()
            .map(|(key, value)| format!("`{key}={value}` sent, not expected")),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules() {
        assert!(problems("page=2&type=a&type=b", &[("page", "2"), ("type", r#"["a","b"]"#)]).is_empty());
        assert_eq!(problems("page=2.0", &[("page", "2")]).len(), 1, "a spurious fraction");
        let object = r#"{"type":"index-pattern","id":"logs-*"}"#;
        let sent = "has_reference=%7B%22id%22%3A%22logs-*%22%2C%22type%22%3A%22index-pattern%22%7D";
        assert!(
            problems(sent, &[("has_reference", object)]).is_empty(),
            "JSON text, any key order"
        );
        let spread = "id=logs-*&type=index-pattern";
        assert_eq!(
            problems(spread, &[("has_reference", object)]).len(),
            3,
            "spread fields lose the name"
        );
    }
}
