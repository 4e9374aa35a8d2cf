//! Marks the generated methods of deprecated operations `#[deprecated]` (progenitor does not).

use std::collections::BTreeMap;

use syn::{ImplItem, Item, Type};

use crate::outputs::routes::Route;

/// Gives each `Client` method of a deprecated operation `#[deprecated(note = "...")]` (naming the replacement when
/// the document does). `Api` copies the attribute onto its wrapper. Returns how many methods were marked.
pub fn mark_deprecated_methods(file: &mut syn::File, routes: &[Route]) -> usize {
    let notes: BTreeMap<&str, String> = routes
        .iter()
        .filter_map(|r| Some((r.name.as_str(), r.lifecycle.deprecation_note()?)))
        .collect();
    let mut marked = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !matches!(&*block.self_ty, Type::Path(p) if p.path.is_ident("Client")) {
            continue;
        }
        for item in &mut block.items {
            let ImplItem::Fn(function) = item else { continue };
            let Some(note) = notes.get(function.sig.ident.to_string().as_str()) else {
                continue;
            };
            if function.attrs.iter().any(|a| a.path().is_ident("deprecated")) {
                continue;
            }
            function.attrs.push(syn::parse_quote!(#[deprecated(note = #note)]));
            marked += 1;
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;
    use crate::transforms::lifecycle::Lifecycle;

    #[test]
    fn deprecated_operations_methods_are_marked_once() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                ///Old
                pub async fn get_old<'a>(&'a self) -> Result<ResponseValue<()>, Error<types::KibanaError>> { todo!() }
                pub async fn get_new<'a>(&'a self) -> Result<ResponseValue<()>, Error<types::KibanaError>> { todo!() }
            }
            impl ClientHooks<()> for Client {}
        };
        let route = |name: &str, deprecated: bool| Route {
            name: name.into(),
            operation_id: String::new(),
            method: "GET".into(),
            path: format!("/api/{name}"),
            original_route: format!("GET /api/{name}"),
            tag: String::new(),
            area: "x".into(),
            deprecated,
            lifecycle: Lifecycle {
                deprecated,
                replacement: deprecated.then(|| "`GET /api/new`".to_owned()),
                ..Lifecycle::default()
            },
            raw_content_type: None,
            multipart: None,
            api_version: None,
        };
        let routes = [route("get_old", true), route("get_new", false)];
        assert_eq!(mark_deprecated_methods(&mut file, &routes), 1);
        assert_eq!(mark_deprecated_methods(&mut file, &routes), 0);
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains(
                "# [deprecated (note = \"Kibana deprecated this operation: use `GET /api/new` instead\")] pub async fn get_old"
            ),
            "{code}"
        );
        assert_eq!(code.matches("# [deprecated").count(), 1, "{code}");
    }
}
