use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Ledger, operation_mut, operations};

/// The extension holding what [`describe_lifecycle`] read from an operation ([`Lifecycle`] as JSON).
pub const LIFECYCLE_EXTENSION: &str = "x-kibana-lifecycle";

/// How stable Kibana says an operation is (its `x-state`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stability {
    GenerallyAvailable,
    Beta,
    TechnicalPreview,
    #[default]
    Unspecified,
}

impl Stability {
    pub const ALL: [Stability; 4] = [
        Stability::GenerallyAvailable,
        Stability::Beta,
        Stability::TechnicalPreview,
        Stability::Unspecified,
    ];

    /// As `kibana_gen::spec::Stability::as_str` says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stability::GenerallyAvailable => "generally available",
            Stability::Beta => "beta",
            Stability::TechnicalPreview => "technical preview",
            Stability::Unspecified => "unspecified",
        }
    }

    /// The variant of `kibana_gen::spec::Stability`.
    pub fn variant(self) -> &'static str {
        match self {
            Stability::GenerallyAvailable => "GenerallyAvailable",
            Stability::Beta => "Beta",
            Stability::TechnicalPreview => "TechnicalPreview",
            Stability::Unspecified => "Unspecified",
        }
    }
}

/// A Kibana release, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    /// `9.2.0`, `9.2` (patch 0), `9.3.0-SNAPSHOT`, `9.1.0-beta1` (the pre-release suffix ignored); `None` for
    /// anything else. The same rule as the generated `KibanaVersion::parse`.
    pub fn parse(text: &str) -> Option<Self> {
        let core = match text.find(['-', '+']) {
            Some(at) if at + 1 < text.len() => &text[..at],
            Some(_) => return None,
            None => text,
        };
        let number = |part: &str| -> Option<u32> {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let mut parts = core.split('.');
        let major = number(parts.next()?)?;
        let minor = number(parts.next()?)?;
        let patch = match parts.next() {
            Some(part) => number(part)?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Version { major, minor, patch })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What the document says about an operation's life: the release that added it, how stable it is, whether it is
/// deprecated and what replaces it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub added_in: Option<Version>,
    pub stability: Stability,
    /// `deprecated: true`, or an `x-state` that says `Deprecated`.
    pub deprecated: bool,
    /// What to use instead, when the operation is deprecated and the document names it.
    pub replacement: Option<String>,
}

/// What an `x-state` says: `"Technical Preview; added in 9.2.0"`, `"Generally available; added in 9.1.0"`, `"Beta"`,
/// `"Deprecated; use X instead"`, `"added in 9.4"`. Each `;`- or `,`-separated part is a stability, an `added in`
/// release or `Deprecated...`; any other part says nothing. Never panics.
pub fn parse_state(text: &str) -> (Stability, Option<Version>, bool) {
    let (mut stability, mut added_in, mut deprecated) = (Stability::Unspecified, None, false);
    for part in text.split([';', ',', '\n']) {
        let lower = part.trim().to_ascii_lowercase();
        let (words, version) = match lower.find("added in") {
            Some(at) => {
                let token = lower[at + "added in".len()..].split_whitespace().next().unwrap_or("");
                let token = token.trim_end_matches(['.', ')', ':']);
                (&lower[..at], Version::parse(token))
            }
            None => (lower.as_str(), None),
        };
        if added_in.is_none() {
            added_in = version;
        }
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        let words = words.trim_end_matches(['.', ':', '-']).trim();
        let said = match words {
            "generally available" | "generally-available" | "ga" => Some(Stability::GenerallyAvailable),
            "beta" => Some(Stability::Beta),
            "technical preview" | "technical-preview" | "tech preview" | "preview" => Some(Stability::TechnicalPreview),
            _ => None,
        };
        if let Some(said) = said
            && stability == Stability::Unspecified
        {
            stability = said;
        }
        if words.starts_with("deprecated") {
            deprecated = true;
        }
    }
    (stability, added_in, deprecated)
}

/// The `X` of a sentence `Use X instead.` / `..., use X instead`: `None` unless one is plainly there (one line,
/// `instead` ending the clause, `X` short).
pub fn replacement(text: &str) -> Option<String> {
    for line in text.lines() {
        // ASCII lowercase keeps every byte offset.
        let lower = line.to_ascii_lowercase();
        let mut from = 0;
        while let Some(found) = lower[from..].find("use ") {
            let start = from + found;
            from = start + 1;
            if start > 0 && lower.as_bytes()[start - 1].is_ascii_alphanumeric() {
                continue;
            }
            let rest = &lower[start + "use ".len()..];
            let Some(end) = clause_ending_instead(rest) else {
                continue;
            };
            let candidate = line[start + "use ".len()..][..end].trim().trim_end_matches(',').trim();
            if !candidate.is_empty()
                && candidate.chars().count() <= 100
                && !candidate.to_ascii_lowercase().contains("instead")
                && !candidate.contains(". ")
                && !candidate.contains("; ")
            {
                return Some(candidate.to_owned());
            }
        }
    }
    None
}

/// Where ` instead` starts in `text` when it ends a clause (end of text, or punctuation after it).
fn clause_ending_instead(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(" instead") {
        let at = from + found;
        let after = &text[at + " instead".len()..];
        match after.chars().next() {
            None => return Some(at),
            Some(c) if ".,;:!)".contains(c) => return Some(at),
            _ => from = at + 1,
        }
    }
    None
}

impl Lifecycle {
    /// What `op` says: its `x-state`, its `deprecated`, and for a deprecated operation the replacement its
    /// `x-state` or description names.
    pub fn of(op: &Value) -> Lifecycle {
        let state = op.get("x-state").and_then(Value::as_str).unwrap_or_default();
        let (stability, added_in, deprecated_state) = parse_state(state);
        let deprecated = op.get("deprecated").and_then(Value::as_bool).unwrap_or(false) || deprecated_state;
        let replacement = if deprecated {
            replacement(state).or_else(|| replacement(op.get("description").and_then(Value::as_str).unwrap_or("")))
        } else {
            None
        };
        Lifecycle {
            added_in,
            stability,
            deprecated,
            replacement,
        }
    }

    /// The paragraph that opens the operation's documentation, when there is anything to say.
    pub fn paragraph(&self) -> Option<String> {
        let mut sentences = Vec::new();
        if self.deprecated {
            sentences.push(match &self.replacement {
                Some(replacement) => format!("**Deprecated**: use {replacement} instead."),
                None => "**Deprecated**: Kibana deprecated this operation and may remove it.".to_owned(),
            });
        }
        match self.stability {
            Stability::TechnicalPreview => {
                sentences.push("**Technical preview**: Kibana may change or remove it without notice.".to_owned());
            }
            Stability::Beta => {
                sentences.push("**Beta**: Kibana may still change it before it is generally available.".to_owned());
            }
            Stability::GenerallyAvailable if self.added_in.is_none() => {
                sentences.push("Generally available.".to_owned());
            }
            Stability::GenerallyAvailable | Stability::Unspecified => {}
        }
        if let Some(version) = self.added_in {
            sentences.push(format!("Added in Kibana {version}."));
        }
        (!sentences.is_empty()).then(|| sentences.join(" "))
    }

    /// The note of the generated methods' `#[deprecated]`, for a deprecated operation.
    pub fn deprecation_note(&self) -> Option<String> {
        if !self.deprecated {
            return None;
        }
        Some(match &self.replacement {
            Some(replacement) => format!("Kibana deprecated this operation: use {replacement} instead"),
            None => "Kibana deprecated this operation".to_owned(),
        })
    }
}

/// Reads every operation's `x-state` and `deprecated` ([`Lifecycle`], recorded as [`LIFECYCLE_EXTENSION`]) and
/// opens its description with what they say (`**Technical preview**: ... Added in Kibana 9.2.0.`), so that the
/// generated methods' documentation starts with it.
pub fn describe_lifecycle(doc: &mut Value, ledger: &mut Ledger) {
    for op in operations(doc) {
        let Some(operation) = operation_mut(doc, &op.path, op.method) else {
            continue;
        };
        let lifecycle = Lifecycle::of(&Value::Object(operation.clone()));
        if let Some(paragraph) = lifecycle.paragraph() {
            let description = match operation.get("description").and_then(Value::as_str) {
                Some(text) if !text.trim().is_empty() => format!("{paragraph}\n\n{text}"),
                _ => paragraph,
            };
            operation.insert("description".into(), Value::String(description));
            ledger.applied(&op.route, "describe_lifecycle");
        }
        if let Ok(value) = serde_json::to_value(&lifecycle) {
            operation.insert(LIFECYCLE_EXTENSION.into(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transforms::test_support::spec;

    fn v(major: u32, minor: u32, patch: u32) -> Option<Version> {
        Some(Version { major, minor, patch })
    }

    #[test]
    fn versions_parse_as_kibana_writes_them() {
        assert_eq!(Version::parse("9.2.0"), v(9, 2, 0));
        assert_eq!(Version::parse("9.2"), v(9, 2, 0));
        assert_eq!(Version::parse("9.3.0-SNAPSHOT"), v(9, 3, 0));
        assert_eq!(Version::parse("9.1.0-beta1"), v(9, 1, 0));
        assert_eq!(Version::parse("8.19.10"), v(8, 19, 10));
        for bad in [
            "",
            "9",
            "9.",
            ".9",
            "9..0",
            "9.2.0.1",
            "v9.2.0",
            " 9.2.0",
            "9.2.0-",
            "+9.2",
            "9.+2",
            "9.x",
            "99999999999.0",
            "9.2.0 ",
            "٩.٢",
            "-",
            "9-2",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad:?}");
        }
        assert_eq!(v(9, 2, 0).unwrap().to_string(), "9.2.0");
        assert!(v(8, 19, 0) < v(9, 1, 0) && v(9, 1, 0) < v(9, 10, 0));
    }

    #[test]
    fn x_states_of_the_9_3_document_and_later_ones() {
        use Stability::*;
        let cases: [(&str, Stability, Option<Version>, bool); 17] = [
            ("Technical Preview; added in 9.2.0", TechnicalPreview, v(9, 2, 0), false),
            ("Technical Preview", TechnicalPreview, None, false),
            ("Technical preview", TechnicalPreview, None, false),
            (
                "Generally available; added in 9.1.0",
                GenerallyAvailable,
                v(9, 1, 0),
                false,
            ),
            ("Technical Preview; added in 9.1.0", TechnicalPreview, v(9, 1, 0), false),
            (
                "Generally available; added in 8.19.0",
                GenerallyAvailable,
                v(8, 19, 0),
                false,
            ),
            ("Technical Preview; added in 9.3.0", TechnicalPreview, v(9, 3, 0), false),
            ("Beta", Beta, None, false),
            ("Beta; added in 9.4.0", Beta, v(9, 4, 0), false),
            ("  BETA ;  Added In 9.4.0. ", Beta, v(9, 4, 0), false),
            ("added in 9.4", Unspecified, v(9, 4, 0), false),
            ("Deprecated; use X instead", Unspecified, None, true),
            ("GENERALLY AVAILABLE", GenerallyAvailable, None, false),
            (
                "Technical Preview, added in 9.3.0-SNAPSHOT",
                TechnicalPreview,
                v(9, 3, 0),
                false,
            ),
            ("Something new; added in soon", Unspecified, None, false),
            ("Experimental", Unspecified, None, false),
            ("", Unspecified, None, false),
        ];
        for (text, stability, added_in, deprecated) in cases {
            assert_eq!(parse_state(text), (stability, added_in, deprecated), "{text:?}");
        }
        for garbage in [
            ";;;",
            "added in",
            "added in ;",
            "added in 9.",
            "Technical",
            "é; added in ٩.٢",
            "\u{0}",
        ] {
            assert_eq!(parse_state(garbage), (Unspecified, None, false), "{garbage:?}");
        }
    }

    #[test]
    fn replacements_are_read_only_when_plainly_named() {
        assert_eq!(replacement("Deprecated; use X instead").as_deref(), Some("X"));
        assert_eq!(
            replacement("Deprecated in 7.13.0. Use the delete connector API instead.").as_deref(),
            Some("the delete connector API")
        );
        assert_eq!(
            replacement("Deprecated: use `POST /api/saved_objects/_import` instead.").as_deref(),
            Some("`POST /api/saved_objects/_import`")
        );
        assert_eq!(
            replacement("This API is deprecated, use `get_x`, instead").as_deref(),
            Some("`get_x`")
        );
        for none in [
            "Create a Kibana saved object and specify its identifier instead of using a randomly generated ID.",
            "Because of this, instead, do it.",
            "Do not use this; instead call the other one.",
            "Use instead.",
            "use  instead",
            "We reuse it instead.",
            "Use it. Then the other instead.",
            "",
            "instead",
            "use ",
        ] {
            assert_eq!(replacement(none), None, "{none:?}");
        }
        let long = format!("Use {} instead.", "x".repeat(101));
        assert_eq!(replacement(&long), None);
    }

    #[test]
    fn a_replacement_is_kept_only_for_deprecated_operations() {
        let live = Lifecycle::of(&json!({"description": "Use an A2A SDK or A2A Inspector instead."}));
        assert_eq!(live, Lifecycle::default());
        let old = Lifecycle::of(
            &json!({"deprecated": true, "description": "Deprecated in 7.13.0.\nUse the get rule API instead."}),
        );
        assert_eq!(old.replacement.as_deref(), Some("the get rule API"));
        let by_state = Lifecycle::of(&json!({"x-state": "Deprecated; use `GET /api/y` instead"}));
        assert!(by_state.deprecated);
        assert_eq!(by_state.replacement.as_deref(), Some("`GET /api/y`"));
        assert_eq!(
            by_state.deprecation_note().as_deref(),
            Some("Kibana deprecated this operation: use `GET /api/y` instead")
        );
        for odd in [
            json!({"x-state": 3, "deprecated": "yes"}),
            json!({"x-state": {"a": 1}}),
            json!(null),
            json!([]),
        ] {
            assert_eq!(Lifecycle::of(&odd), Lifecycle::default(), "{odd}");
        }
    }

    #[test]
    fn the_paragraph_says_stability_version_and_deprecation() {
        let preview = Lifecycle {
            added_in: v(9, 2, 0),
            stability: Stability::TechnicalPreview,
            ..Lifecycle::default()
        };
        assert_eq!(
            preview.paragraph().as_deref(),
            Some("**Technical preview**: Kibana may change or remove it without notice. Added in Kibana 9.2.0.")
        );
        let ga = Lifecycle {
            added_in: v(9, 1, 0),
            stability: Stability::GenerallyAvailable,
            ..Lifecycle::default()
        };
        assert_eq!(ga.paragraph().as_deref(), Some("Added in Kibana 9.1.0."));
        let deprecated = Lifecycle {
            deprecated: true,
            ..Lifecycle::default()
        };
        assert_eq!(
            deprecated.paragraph().as_deref(),
            Some("**Deprecated**: Kibana deprecated this operation and may remove it.")
        );
        assert_eq!(
            deprecated.deprecation_note().as_deref(),
            Some("Kibana deprecated this operation")
        );
        assert_eq!(Lifecycle::default().paragraph(), None);
        assert_eq!(Lifecycle::default().deprecation_note(), None);
    }

    #[test]
    fn descriptions_open_with_the_lifecycle_and_it_is_recorded() {
        let mut doc = spec(json!({
            "/api/a": {
                "get": {"operationId": "a", "x-state": "Technical Preview; added in 9.2.0", "description": "Gets a.",
                        "responses": {}},
                "post": {"operationId": "b", "deprecated": true, "responses": {}},
                "put": {"operationId": "c", "description": "Puts.", "responses": {}},
                "delete": {"operationId": "d", "x-state": ["not", "text"], "responses": {}}
            }
        }));
        crate::transforms::stamp_routes(&mut doc);
        let mut ledger = Ledger::default();
        describe_lifecycle(&mut doc, &mut ledger);
        let a = &doc["paths"]["/api/a"];
        assert_eq!(
            a["get"]["description"],
            "**Technical preview**: Kibana may change or remove it without notice. Added in Kibana 9.2.0.\n\nGets a."
        );
        assert_eq!(
            a["post"]["description"],
            "**Deprecated**: Kibana deprecated this operation and may remove it."
        );
        assert_eq!(a["put"]["description"], "Puts.");
        assert!(a["delete"].get("description").is_none());
        let recorded: Lifecycle = serde_json::from_value(a["get"][LIFECYCLE_EXTENSION].clone()).unwrap();
        assert_eq!(recorded.added_in, v(9, 2, 0));
        assert_eq!(recorded.stability, Stability::TechnicalPreview);
        assert_eq!(ledger.count("describe_lifecycle"), 2);
    }
}
