//! Generated methods' query parameters, through `crate::query` instead of progenitor's encoder.

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::ToTokens;

use crate::config::SpreadQueryObject;

/// Replaces `progenitor_client::QueryParam::new(` with `crate::query::QueryParam::new(` in every method (and with
/// `::spread(` for the parameters `spread` names, by the route's method); returns how many parameters changed.
///
/// progenitor-client hands a map or a struct to the top-level urlencoded serializer, which spreads its fields into
/// the query under their own names: `get_saved_objects_find`'s `has_reference` was sent as `id=…&type=…`, its
/// `type` joining the real `type` list. Kibana reads such parameters as JSON text.
pub fn encode_as_kibana_reads(file: &mut syn::File, spread: &[(String, SpreadQueryObject)]) -> usize {
    let mut changed = 0;
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else { continue };
        for item in &mut block.items {
            let syn::ImplItem::Fn(function) = item else { continue };
            let name = function.sig.ident.to_string();
            let spread_here: Vec<&str> = spread
                .iter()
                .filter(|(method, _)| *method == name)
                .map(|(_, s)| s.parameter.as_str())
                .collect();
            let tokens = function.block.to_token_stream();
            let rewritten = rewrite(tokens, &spread_here, &mut changed);
            if let Ok(block) = syn::parse2(rewritten) {
                function.block = block;
            }
        }
    }
    changed
}

/// Walks the tokens: `progenitor_client :: QueryParam :: new ( "name" , … )`.
fn rewrite(tokens: TokenStream, spread: &[&str], changed: &mut usize) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut index = 0;
    while index < tokens.len() {
        let is_path = matches!(&tokens[index], TokenTree::Ident(i) if i == "progenitor_client")
            && matches!(tokens.get(index + 3), Some(TokenTree::Ident(i)) if i == "QueryParam")
            && matches!(tokens.get(index + 6), Some(TokenTree::Ident(i)) if i == "new");
        if is_path && let Some(TokenTree::Group(arguments)) = tokens.get(index + 7) {
            let parameter = arguments.stream().into_iter().next().and_then(|t| match t {
                TokenTree::Literal(literal) => syn::parse_str::<syn::LitStr>(&literal.to_string()).ok(),
                _ => None,
            });
            let constructor = if parameter.is_some_and(|p| spread.contains(&p.value().as_str())) {
                quote::quote!(spread)
            } else {
                quote::quote!(new)
            };
            out.extend(quote::quote!(crate::query::QueryParam::#constructor));
            out.push(TokenTree::Group(arguments.clone()));
            *changed += 1;
            index += 8;
            continue;
        }
        match &tokens[index] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), rewrite(group.stream(), spread, changed));
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other.clone()),
        }
        index += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_go_through_the_crate_encoder_and_listed_objects_spread() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn get_find(&self, page: Option<f64>) -> () {
                    let request = self.client.get(url)
                        .query(&progenitor_client::QueryParam::new("page", &page))
                        .query(&progenitor_client::QueryParam::new("has_reference", &has_reference));
                }
                pub async fn get_status(&self) -> () {
                    let request = self.client.get(url).query(&progenitor_client::QueryParam::new("query", &query));
                }
            }
        };
        let spread = [(
            "get_status".to_owned(),
            SpreadQueryObject {
                route: "GET /api/status".into(),
                parameter: "query".into(),
                reason: "r".into(),
            },
        )];
        assert_eq!(encode_as_kibana_reads(&mut file, &spread), 3);
        let code = file.to_token_stream().to_string();
        assert!(!code.contains("progenitor_client"), "{code}");
        assert!(
            code.contains("crate :: query :: QueryParam :: new (\"page\" , & page)"),
            "{code}"
        );
        assert!(
            code.contains("crate :: query :: QueryParam :: spread (\"query\" , & query)"),
            "{code}"
        );
    }
}
