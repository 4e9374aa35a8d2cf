//! Unions whose variants a discriminator property tells apart.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{Ledger, pointer_escape, resolve, schemas_mut};
use crate::generate::rust_type_name;

/// The extension a tagged union's component carries: `{"property": "type", "variants": {"query":
/// "#/components/schemas/QueryRule", ...}}`. Post-processing gives the generated enum a `Deserialize` that reads the
/// property and decodes the variant it names.
pub const TAG_EXTENSION: &str = "x-kibana-tag";

/// What [`tag_discriminated_unions`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TaggedUnions {
    /// Component name → (tag property, number of variants).
    pub tagged: BTreeMap<String, (String, usize)>,
    /// Unions that have a discriminator but were left to typify, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Turns every `anyOf` / `oneOf` whose variants all require one property with a distinct single value (a `const`
/// or a one-value `enum`: detection rules' `type`, cases' comment `type`, output `type`) into a `oneOf` of named
/// components, tagged with [`TAG_EXTENSION`].
///
/// typify renders an `anyOf` of objects as a struct of `#[serde(flatten)] Option<…>` fields: decoding an answer
/// tries every variant and keeps the ones that happen to match, so a query rule that fails its own variant (a field
/// the document requires and Kibana leaves out) decodes *without error* into a value with every field `None`, and
/// re-serialises as `{}`. A `oneOf` of references becomes an enum instead, and the tag decides the variant, so a
/// failure names the field that is wrong. Inline unions and inline variants are moved into components so that
/// post-processing can find the generated enum and its variants by name.
pub fn tag_discriminated_unions(doc: &mut Value, ledger: &mut Ledger) -> TaggedUnions {
    let mut sites = Vec::new();
    let paths = doc.get("paths").cloned().unwrap_or(Value::Null);
    find_sites(doc, &paths, "/paths", &mut sites);
    let components = doc["components"]["schemas"].clone();
    find_sites(doc, &components, "/components/schemas", &mut sites);
    // Deepest first: replacing a deeper site by a reference does not move a shallower one.
    sites.sort_by_key(|site| std::cmp::Reverse(site.pointer.matches('/').count()));

    let mut components: BTreeSet<String> = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| rust_type_name(name))
        .collect();
    let reserved = reserved_operation_names(doc);
    let mut taken: BTreeSet<String> = components.union(&reserved).cloned().collect();
    let mut outcome = TaggedUnions::default();
    for site in sites {
        let Some(node) = doc.pointer(&site.pointer).and_then(Value::as_object) else {
            continue;
        };
        if let Some(reason) = unsupported_site(node) {
            outcome.skipped.push((site.pointer.clone(), reason.to_owned()));
            continue;
        }
        let union_name = match (component_name(&site.pointer), root_name(doc, &site.pointer)) {
            (Some(name), _) => name,
            // The whole body or answer of an operation: the name progenitor would give it.
            (None, Some(name)) => {
                let name = unique(&name, &mut components);
                taken.insert(rust_type_name(&name));
                name
            }
            (None, None) => {
                let name = unique(&site_name(doc, &site.pointer), &mut taken);
                components.insert(rust_type_name(&name));
                name
            }
        };
        let mut node = node.clone();
        let keyword = if node.contains_key("anyOf") { "anyOf" } else { "oneOf" };
        let variants = node
            .shift_remove(keyword)
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let mut references = Vec::new();
        let mut mapping = Map::new();
        for (variant, value) in variants.into_iter().zip(&site.values) {
            let reference = match variant.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference.to_owned(),
                None => {
                    let name = unique(&format!("{union_name}_{value}"), &mut taken);
                    components.insert(rust_type_name(&name));
                    if let Some(schemas) = schemas_mut(doc) {
                        schemas.insert(name.clone(), variant);
                    }
                    format!("#/components/schemas/{}", pointer_escape(&name))
                }
            };
            mapping.insert(value.clone(), Value::String(reference.clone()));
            references.push(json!({ "$ref": reference }));
        }
        node.shift_remove("discriminator");
        node.insert("oneOf".into(), Value::Array(references));
        node.insert(
            TAG_EXTENSION.into(),
            json!({"property": site.property, "variants": mapping}),
        );
        outcome
            .tagged
            .insert(union_name.clone(), (site.property.clone(), site.values.len()));
        if site.pointer.starts_with("/components/schemas/") && component_name(&site.pointer).is_some() {
            if let Some(target) = doc.pointer_mut(&site.pointer) {
                *target = Value::Object(node);
            }
        } else {
            if let Some(schemas) = schemas_mut(doc) {
                schemas.insert(union_name.clone(), Value::Object(node));
            }
            if let Some(target) = doc.pointer_mut(&site.pointer) {
                *target = json!({ "$ref": format!("#/components/schemas/{}", pointer_escape(&union_name)) });
            }
        }
    }
    if !outcome.tagged.is_empty() {
        ledger.notes.push(format!(
            "{} unions decode by their tag property: {}",
            outcome.tagged.len(),
            outcome
                .tagged
                .iter()
                .map(|(name, (property, n))| format!("`{name}` ({n} by `{property}`)"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (pointer, reason) in &outcome.skipped {
        ledger.notes.push(format!(
            "union at `{pointer}` has a tag but is left to typify: {reason}"
        ));
    }
    outcome
}

/// A union with a discriminator, found before anything is changed.
struct Site {
    pointer: String,
    property: String,
    /// The tag value of each variant, in order.
    values: Vec<String>,
}

/// Why a union cannot become a tagged enum of its own: anything beside the variants would be lost.
fn unsupported_site(node: &Map<String, Value>) -> Option<&'static str> {
    let allowed = |key: &str| {
        matches!(
            key,
            "anyOf" | "oneOf" | "description" | "title" | "discriminator" | "type"
        ) || key.starts_with("x-")
    };
    if node.contains_key("anyOf") && node.contains_key("oneOf") {
        return Some("it has both `anyOf` and `oneOf`");
    }
    if node.get("nullable") == Some(&Value::Bool(true)) {
        return Some("it is nullable");
    }
    if node.keys().any(|key| !allowed(key)) {
        return Some("it has properties or constraints beside its variants");
    }
    None
}

fn find_sites(doc: &Value, node: &Value, pointer: &str, out: &mut Vec<Site>) {
    match node {
        Value::Object(map) => {
            for keyword in ["anyOf", "oneOf"] {
                if let Some(variants) = map.get(keyword).and_then(Value::as_array)
                    && let Some((property, values)) = discriminator(doc, variants, map.get("discriminator"))
                {
                    out.push(Site {
                        pointer: pointer.to_owned(),
                        property,
                        values,
                    });
                }
            }
            for (key, child) in map {
                if is_data_key(key) {
                    continue;
                }
                find_sites(doc, child, &format!("{pointer}/{}", pointer_escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_sites(doc, item, &format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Keys whose values are data, not schemas.
pub(crate) fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// The property every variant requires with a value of its own, and those values: the OpenAPI `discriminator`'s
/// property when it qualifies, else the first such property by name.
fn discriminator(doc: &Value, variants: &[Value], declared: Option<&Value>) -> Option<(String, Vec<String>)> {
    if variants.len() < 2 {
        return None;
    }
    let mut per_variant: Vec<BTreeMap<String, String>> = Vec::new();
    for variant in variants {
        let (properties, required) = object_view(doc, variant, 0)?;
        let fixed: BTreeMap<String, String> = properties
            .iter()
            .filter(|(name, _)| required.contains(*name))
            .filter_map(|(name, schema)| fixed_string(doc, schema).map(|value| (name.clone(), value)))
            .collect();
        per_variant.push(fixed);
    }
    let mut common: BTreeSet<String> = per_variant[0].keys().cloned().collect();
    for fixed in &per_variant[1..] {
        common.retain(|name| fixed.contains_key(name));
    }
    let distinct = |name: &String| {
        let values: BTreeSet<&String> = per_variant.iter().map(|fixed| &fixed[name]).collect();
        values.len() == per_variant.len()
    };
    let declared = declared.and_then(|d| d.get("propertyName")).and_then(Value::as_str);
    let property = declared
        .map(str::to_owned)
        .filter(|name| common.contains(name) && distinct(name))
        .or_else(|| common.iter().find(|name| distinct(name)).cloned())?;
    let values = per_variant.iter().map(|fixed| fixed[&property].clone()).collect();
    Some((property, values))
}

/// The properties and required names of an object schema, through references and `allOf`; `None` for anything
/// that is not plainly an object (a union, a scalar).
fn object_view(doc: &Value, schema: &Value, depth: usize) -> Option<(Map<String, Value>, BTreeSet<String>)> {
    if depth > 16 {
        return None;
    }
    let schema = resolve(doc, schema);
    if schema.get("$ref").is_some() {
        return object_view(doc, schema, depth + 1);
    }
    let map = schema.as_object()?;
    if map.contains_key("anyOf") || map.contains_key("oneOf") {
        return None;
    }
    if map.get("type").is_some_and(|t| t != "object") {
        return None;
    }
    let mut properties = Map::new();
    let mut required = BTreeSet::new();
    for member in map.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        let (p, r) = object_view(doc, member, depth + 1)?;
        properties.extend(p);
        required.extend(r);
    }
    if let Some(own) = map.get("properties").and_then(Value::as_object) {
        properties.extend(own.clone());
    }
    required.extend(
        map.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned),
    );
    if properties.is_empty() {
        return None;
    }
    Some((properties, required))
}

/// The one string value a schema allows (`const`, or an `enum` of one string).
pub(crate) fn fixed_string(doc: &Value, schema: &Value) -> Option<String> {
    let schema = super::resolve_deep(doc, schema);
    if let Some(Value::String(value)) = schema.get("const") {
        return Some(value.clone());
    }
    match schema.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
        Some([Value::String(value)]) => Some(value.clone()),
        _ => None,
    }
}

/// `Name` for `/components/schemas/Name` itself.
fn component_name(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| rest.replace("~1", "/").replace("~0", "~"))
}

/// `<operation>_Body` / `<operation>_Response` for an operation's whole request body or answer.
fn root_name(doc: &Value, pointer: &str) -> Option<String> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let suffix = match tokens.as_slice() {
        [paths, _, _, body, content, _, schema]
            if paths == "paths" && body == "requestBody" && content == "content" && schema == "schema" =>
        {
            "Body"
        }
        [paths, _, _, responses, code, content, _, schema]
            if paths == "paths"
                && responses == "responses"
                && code.starts_with('2')
                && content == "content"
                && schema == "schema" =>
        {
            "Response"
        }
        _ => return None,
    };
    let operation_id = doc["paths"][&tokens[1]][&tokens[2]]["operationId"].as_str()?;
    Some(format!("{operation_id}_{suffix}"))
}

/// A readable component name for an inline union, after the way typify names inline types: the owner (component,
/// or operation and `Body` / `Response`) and the property path.
fn site_name(doc: &Value, pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut rest: &[String] = &tokens;
    match tokens.first().map(String::as_str) {
        Some("components") if tokens.len() > 2 => {
            parts.push(tokens[2].clone());
            rest = &tokens[3..];
        }
        Some("paths") if tokens.len() > 2 => {
            let operation_id = doc
                .get("paths")
                .and_then(|p| p.get(&tokens[1]))
                .and_then(|item| item.get(&tokens[2]))
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
                .unwrap_or("operation");
            parts.push(operation_id.to_owned());
            rest = &tokens[3..];
            match rest.first().map(String::as_str) {
                Some("requestBody") => parts.push("Body".into()),
                Some("responses") => parts.push("Response".into()),
                Some("parameters") => parts.push("Param".into()),
                _ => {}
            }
        }
        _ => parts.push("Union".into()),
    }
    let mut iter = rest.iter().peekable();
    while let Some(token) = iter.next() {
        match token.as_str() {
            "properties" => {
                if let Some(name) = iter.next() {
                    parts.push(name.clone());
                }
            }
            "items" => parts.push("Item".into()),
            "additionalProperties" => parts.push("Value".into()),
            "allOf" | "anyOf" | "oneOf" => {
                if let Some(index) = iter.next() {
                    parts.push(format!("Variant{index}"));
                }
            }
            _ => {}
        }
    }
    parts.join("_")
}

/// `base`, or `base_2`, `base_3`… whose Rust name no other type has; the name is taken.
pub(crate) fn unique(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_owned();
    let mut n = 2;
    while taken.contains(&rust_type_name(&name)) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(rust_type_name(&name));
    name
}

/// The Rust names progenitor gives each operation's inline body and answer types (`<Operation>Body`,
/// `<Operation>Response`): a new component must not take them.
pub(crate) fn reserved_operation_names(doc: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for op in super::operations(doc) {
        if op.id.is_empty() {
            continue;
        }
        for suffix in ["Body", "Response", "Params"] {
            names.insert(rust_type_name(&format!("{}_{suffix}", op.id)));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::test_support::spec;

    fn rule(kind: &str) -> Value {
        json!({"allOf": [
            {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": [kind]}}}]})
    }

    #[test]
    fn an_any_of_told_apart_by_a_tag_becomes_a_tagged_one_of_of_references() {
        let mut doc = spec(
            json!({"/api/rules": {"get": {"operationId": "get_rules", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "data": {"type": "array", "items": {"anyOf": [
                    {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}}},
                    {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["b"]}}}]}}}}}}}}}}}),
        );
        doc["components"]["schemas"]["Rule"] = json!({"anyOf": [
            {"$ref": "#/components/schemas/Query"}, {"$ref": "#/components/schemas/Eql"}]});
        doc["components"]["schemas"]["Query"] = rule("query");
        doc["components"]["schemas"]["Eql"] = rule("eql");
        let mut ledger = Ledger::default();
        let outcome = tag_discriminated_unions(&mut doc, &mut ledger);

        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Rule"]["oneOf"][1], json!({"$ref": "#/components/schemas/Eql"}));
        assert!(schemas["Rule"].get("anyOf").is_none());
        assert_eq!(schemas["Rule"][TAG_EXTENSION]["property"], "type");
        assert_eq!(
            schemas["Rule"][TAG_EXTENSION]["variants"]["eql"],
            "#/components/schemas/Eql"
        );

        let inline = &doc["paths"]["/api/rules"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
            ["data"]["items"];
        assert_eq!(
            inline,
            &json!({"$ref": "#/components/schemas/get_rules_Response_data_Item"})
        );
        let hoisted = &schemas["get_rules_Response_data_Item"];
        assert_eq!(hoisted[TAG_EXTENSION]["property"], "kind");
        assert_eq!(
            hoisted["oneOf"][0],
            json!({"$ref": "#/components/schemas/get_rules_Response_data_Item_a"})
        );
        assert_eq!(
            schemas["get_rules_Response_data_Item_b"]["properties"]["kind"]["enum"],
            json!(["b"])
        );
        assert_eq!(outcome.tagged.len(), 2);
    }

    #[test]
    fn a_whole_body_that_is_a_tagged_union_takes_the_body_name() {
        let mut doc = spec(
            json!({"/api/rules": {"post": {"operationId": "post_rules", "requestBody": {"content": {
            "application/json": {"schema": {"oneOf": [
                {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}}},
                {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}}}]}}}},
            "responses": {"204": {"description": "none"}}}}}),
        );
        tag_discriminated_unions(&mut doc, &mut Ledger::default());
        assert_eq!(
            doc["paths"]["/api/rules"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/post_rules_Body"})
        );
        assert!(doc["components"]["schemas"]["post_rules_Body_a"].is_object());
    }

    #[test]
    fn unions_without_a_distinct_required_tag_are_left_alone() {
        let mut doc = spec(json!({}));
        // Same value twice; a tag one variant does not require; scalars.
        doc["components"]["schemas"]["Same"] = json!({"anyOf": [
            {"type": "object", "required": ["t"], "properties": {"t": {"enum": ["x"]}}},
            {"type": "object", "required": ["t"], "properties": {"t": {"enum": ["x"]}}}]});
        doc["components"]["schemas"]["Optional"] = json!({"oneOf": [
            {"type": "object", "required": ["t"], "properties": {"t": {"enum": ["x"]}}},
            {"type": "object", "properties": {"t": {"enum": ["y"]}}}]});
        doc["components"]["schemas"]["Scalars"] = json!({"anyOf": [{"type": "string"}, {"type": "number"}]});
        let before = doc.clone();
        let outcome = tag_discriminated_unions(&mut doc, &mut Ledger::default());
        assert_eq!(doc, before);
        assert!(outcome.tagged.is_empty());
    }

    #[test]
    fn a_union_with_properties_beside_it_is_reported_not_rewritten() {
        let mut doc = spec(json!({}));
        doc["components"]["schemas"]["Mixed"] = json!({"type": "object", "properties": {"id": {"type": "string"}},
            "oneOf": [
            {"type": "object", "required": ["t"], "properties": {"t": {"enum": ["x"]}}},
            {"type": "object", "required": ["t"], "properties": {"t": {"enum": ["y"]}}}]});
        let mut ledger = Ledger::default();
        let outcome = tag_discriminated_unions(&mut doc, &mut ledger);
        assert!(outcome.tagged.is_empty());
        assert_eq!(outcome.skipped.len(), 1, "{:?}", outcome.skipped);
        assert!(ledger.notes[0].contains("beside its variants"), "{:?}", ledger.notes);
    }
}
