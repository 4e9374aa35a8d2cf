//! Generated structs that refuse fields they do not know.

use std::collections::BTreeSet;

use proc_macro2::TokenTree;
use quote::ToTokens;
use syn::{Attribute, Fields, Item, visit::Visit};

/// Removes `deny_unknown_fields` from every generated struct that is not the payload of an untagged enum's
/// variant, so that an answer with a field the document does not list still decodes. Returns how many changed.
///
/// typify writes `#[serde(deny_unknown_fields)]` for `additionalProperties: false`. Kibana adds fields to its
/// answers (its connector list carries `referenced_by_count`, which the document's `connector_response` forbids),
/// and a newer Kibana adds more; a client must read them. Untagged enums keep it on their variants' payloads,
/// because serde tells the variants apart by the fields each one refuses. (Dropping `additionalProperties: false`
/// from the document instead makes typify's `allOf` merging explode: 24 GB for Kibana's document.)
pub fn tolerate_unknown_fields(file: &mut syn::File) -> usize {
    let mut payloads = Payloads::default();
    payloads.visit_file(file);
    let mut relaxed = 0;
    relax_items(&mut file.items, &payloads.names, &mut relaxed);
    relaxed
}

fn relax_items(items: &mut [Item], payloads: &BTreeSet<String>, relaxed: &mut usize) {
    for item in items {
        match item {
            Item::Struct(item) if !payloads.contains(&item.ident.to_string()) => {
                *relaxed += usize::from(remove_deny(&mut item.attrs));
            }
            Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    relax_items(items, payloads, relaxed);
                }
            }
            _ => {}
        }
    }
}

/// Drops `deny_unknown_fields` from `#[serde(...)]` attributes; an attribute left empty goes.
fn remove_deny(attrs: &mut Vec<Attribute>) -> bool {
    let mut changed = false;
    attrs.retain_mut(|attr| {
        if !attr.path().is_ident("serde") {
            return true;
        }
        let syn::Meta::List(list) = &mut attr.meta else {
            return true;
        };
        let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        if !tokens
            .iter()
            .any(|t| matches!(t, TokenTree::Ident(i) if i == "deny_unknown_fields"))
        {
            return true;
        }
        changed = true;
        // Keep the other comma-separated items.
        let mut kept: Vec<Vec<TokenTree>> = vec![Vec::new()];
        for token in tokens {
            match &token {
                TokenTree::Punct(p) if p.as_char() == ',' => kept.push(Vec::new()),
                _ => kept.last_mut().map(|k| k.push(token)).unwrap_or_default(),
            }
        }
        kept.retain(|item| {
            !item.is_empty() && !matches!(item.as_slice(), [TokenTree::Ident(i)] if i == "deny_unknown_fields")
        });
        if kept.is_empty() {
            return false;
        }
        let joined = kept
            .into_iter()
            .map(|item| item.into_iter().collect::<proc_macro2::TokenStream>())
            .collect::<Vec<_>>();
        list.tokens = quote::quote!(#(#joined),*);
        true
    });
    changed
}

/// Names of the types that are a variant's payload in an untagged enum.
#[derive(Default)]
struct Payloads {
    names: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Payloads {
    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        // An enum with a `Deserialize` of its own (a tagged or best-match union) does not decode its variants by
        // what they refuse.
        let derived = item
            .attrs
            .iter()
            .any(|a| a.path().is_ident("derive") && a.to_token_stream().to_string().contains("Deserialize"));
        let untagged = derived
            && item
                .attrs
                .iter()
                .any(|a| a.path().is_ident("serde") && a.to_token_stream().to_string().contains("untagged"));
        if untagged {
            for variant in &item.variants {
                if let Fields::Unnamed(fields) = &variant.fields {
                    for field in &fields.unnamed {
                        for token in field.ty.to_token_stream() {
                            collect_idents(token, &mut self.names);
                        }
                    }
                }
            }
        }
        syn::visit::visit_item_enum(self, item);
    }
}

fn collect_idents(token: TokenTree, out: &mut BTreeSet<String>) {
    match token {
        TokenTree::Ident(ident) => {
            out.insert(ident.to_string());
        }
        TokenTree::Group(group) => {
            for token in group.stream() {
                collect_idents(token, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_untagged_variant_payloads_keep_refusing_unknown_fields() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                pub struct Connector { pub id: String }
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase", deny_unknown_fields)]
                pub struct Other { pub id: String }
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                pub struct Variant { pub a: String }
                #[derive(Deserialize)]
                #[serde(untagged)]
                pub enum Either { A(Variant), B(String) }
            }
        };
        assert_eq!(tolerate_unknown_fields(&mut file), 2);
        let code = file.to_token_stream().to_string();
        assert!(!code.contains("deny_unknown_fields)] pub struct Connector"), "{code}");
        assert!(
            code.contains("# [serde (rename_all = \"camelCase\")] pub struct Other"),
            "{code}"
        );
        assert!(
            code.contains("# [serde (deny_unknown_fields)] pub struct Variant"),
            "{code}"
        );
    }
}
