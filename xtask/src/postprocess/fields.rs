//! Struct fields that typify gives the same Rust name.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use syn::{Fields, Ident, ItemStruct, LitStr, visit_mut::VisitMut};

/// Renames struct fields whose Rust names clash (Kibana's list schemas have both `_version` and `version`, which
/// typify both calls `version`), keeping each field's wire name: the field whose wire name differs from its Rust
/// name gets a name spelled from the wire name (`underscore_version`). Returns a note per renamed field.
///
/// typify offers no way to name a property, and a struct with two fields of one name does not compile.
pub fn dedupe_struct_fields(file: &mut syn::File) -> Vec<String> {
    let mut visitor = Dedupe { notes: Vec::new() };
    visitor.visit_file_mut(file);
    visitor.notes
}

struct Dedupe {
    notes: Vec<String>,
}

impl VisitMut for Dedupe {
    fn visit_item_struct_mut(&mut self, item: &mut ItemStruct) {
        let Fields::Named(fields) = &mut item.fields else {
            return;
        };
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, field) in fields.named.iter().enumerate() {
            if let Some(ident) = &field.ident {
                by_name.entry(ident.to_string()).or_default().push(index);
            }
        }
        let mut taken: Vec<String> = by_name.keys().cloned().collect();
        for (name, indices) in by_name.into_iter().filter(|(_, i)| i.len() > 1) {
            // Keep the field whose wire name is its Rust name (or else the first); rename the others.
            let keep = indices
                .iter()
                .copied()
                .find(|&i| wire_name(&fields.named[i].attrs).is_none_or(|w| w == name))
                .unwrap_or(indices[0]);
            for index in indices.into_iter().filter(|&i| i != keep) {
                let field = &mut fields.named[index];
                let wire = wire_name(&field.attrs).unwrap_or_else(|| name.clone());
                let mut new_name = spelled(&wire);
                let mut n = 2;
                while taken.contains(&new_name) {
                    new_name = format!("{}_{n}", spelled(&wire));
                    n += 1;
                }
                taken.push(new_name.clone());
                self.notes.push(format!(
                    "`{}`: the field for `{wire}` is `{new_name}` (`{name}` is another field's name)",
                    item.ident
                ));
                field.ident = Some(Ident::new(&new_name, proc_macro2::Span::call_site()));
            }
        }
    }
}

/// `rename = "..."` of a field's `#[serde(...)]`.
fn wire_name(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// A Rust name for a wire name, with the characters snake_case would drop spelled out.
fn spelled(wire: &str) -> String {
    let mut out = String::new();
    for c in wire.chars() {
        match c {
            '_' if out.is_empty() => out.push_str("underscore "),
            '@' => out.push_str(" at "),
            '$' => out.push_str(" dollar "),
            '.' => out.push_str(" dot "),
            c if c.is_alphanumeric() || c == '_' => out.push(c),
            _ => out.push(' '),
        }
    }
    let snake = out.to_snake_case();
    match snake.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => snake,
        _ => format!("field_{snake}"),
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn clashing_fields_get_distinct_names_and_keep_their_wire_names() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct ListItem {
                #[serde(rename = "_version", default, skip_serializing_if = "Option::is_none")]
                pub version: Option<String>,
                pub version: i64,
                #[serde(rename = "@timestamp")]
                pub timestamp: String,
                #[serde(rename = "timestamp")]
                pub timestamp: String,
            }
        };
        let notes = dedupe_struct_fields(&mut file);
        let code = file.to_token_stream().to_string();
        assert!(code.contains("pub underscore_version"), "{code}");
        assert!(code.contains("pub version : i64"), "{code}");
        assert!(code.contains("pub at_timestamp"), "{code}");
        assert!(code.contains("rename = \"_version\""), "{code}");
        assert_eq!(notes.len(), 2);
    }
}
