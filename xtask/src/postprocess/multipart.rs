//! Gives each multipart operation's generated method a typed form argument (`crate::multipart::…Form`).

use anyhow::{Result, bail};
use heck::ToPascalCase;
use quote::format_ident;
use syn::{Expr, FnArg, GenericParam, ImplItem, ImplItemFn, Item, Pat, Type, visit_mut::VisitMut};

/// The form type of a multipart operation's method.
pub fn form_type_name(method: &str) -> String {
    format!("{}Form", method.to_pascal_case())
}

/// Rewrites the generated method `method` (progenitor made it take raw bytes: `body: B` with
/// `B: Into<reqwest::Body>`, sent as `application/octet-stream`) to take its typed form, encode it and send the
/// form's `multipart/form-data` content type. Fails, changing nothing, when the method does not have that shape.
pub fn type_multipart_method(file: &mut syn::File, method: &str) -> Result<()> {
    let Some(function) = find_method(file, method) else {
        bail!("no generated method `{method}`");
    };
    let mut rewritten = function.clone();
    let form = format_ident!("{}", form_type_name(method));

    // `B: Into<reqwest::Body>` goes, and `body: B` becomes `body: crate::multipart::Form`.
    let before = rewritten.sig.generics.params.len();
    rewritten.sig.generics.params = rewritten
        .sig
        .generics
        .params
        .into_iter()
        .filter(|p| !matches!(p, GenericParam::Type(t) if t.ident == "B"))
        .collect();
    if rewritten.sig.generics.params.len() + 1 != before {
        bail!("`{method}` has no `B: Into<reqwest::Body>` parameter");
    }
    let mut body_argument = false;
    for input in &mut rewritten.sig.inputs {
        if let FnArg::Typed(typed) = input
            && matches!(&*typed.pat, Pat::Ident(p) if p.ident == "body")
        {
            *typed.ty = syn::parse_quote!(crate::multipart::#form);
            body_argument = true;
        }
    }
    if !body_argument {
        bail!("`{method}` has no `body` argument");
    }

    // The form is encoded first; its content type replaces `application/octet-stream`.
    let mut replacer = ContentTypeReplacer { replaced: 0 };
    replacer.visit_block_mut(&mut rewritten.block);
    if replacer.replaced != 1 {
        bail!(
            "`{method}` sets `application/octet-stream` {} times, not once",
            replacer.replaced
        );
    }
    rewritten.block.stmts.insert(
        0,
        syn::parse_quote!(let (multipart_content_type, body) = body.into_multipart();),
    );
    *function = rewritten;
    Ok(())
}

fn find_method<'a>(file: &'a mut syn::File, method: &str) -> Option<&'a mut ImplItemFn> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Impl(block) if is_client(&block.self_ty) && block.trait_.is_none() => {
            block.items.iter_mut().find_map(|item| match item {
                ImplItem::Fn(function) if function.sig.ident == method => Some(function),
                _ => None,
            })
        }
        _ => None,
    })
}

fn is_client(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident("Client"))
}

struct ContentTypeReplacer {
    replaced: usize,
}

impl VisitMut for ContentTypeReplacer {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Path(function) = &*call.func
            && function.path.segments.last().is_some_and(|s| s.ident == "from_static")
            && call.args.len() == 1
            && matches!(call.args.first(), Some(Expr::Lit(lit)) if matches!(&lit.lit, syn::Lit::Str(s) if s.value() == "application/octet-stream"))
        {
            *expr = syn::parse_quote!(multipart_content_type);
            self.replaced += 1;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn generated() -> syn::File {
        syn::parse_quote! {
            impl Client {
                pub async fn post_saved_objects_import<'a, B: Into<reqwest::Body>>(
                    &'a self,
                    overwrite: Option<bool>,
                    body: B,
                ) -> Result<ResponseValue<types::PostSavedObjectsImportResponse>, Error<types::KibanaError>> {
                    let url = format!("{}/api/saved_objects/_import", self.baseurl,);
                    let mut request = self
                        .client
                        .post(url)
                        .header(
                            ::reqwest::header::CONTENT_TYPE,
                            ::reqwest::header::HeaderValue::from_static("application/octet-stream"),
                        )
                        .body(body)
                        .build()?;
                    todo!()
                }
            }
        }
    }

    #[test]
    fn the_method_takes_its_form_and_sends_its_content_type() {
        let mut file = generated();
        type_multipart_method(&mut file, "post_saved_objects_import").unwrap();
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains("body : crate :: multipart :: PostSavedObjectsImportForm"),
            "{code}"
        );
        assert!(!code.contains("B : Into"), "{code}");
        assert!(
            code.contains("let (multipart_content_type , body) = body . into_multipart ()"),
            "{code}"
        );
        assert!(!code.contains("application/octet-stream"), "{code}");
    }

    #[test]
    fn a_method_of_another_shape_is_refused_unchanged() {
        let mut file = generated();
        assert!(type_multipart_method(&mut file, "nope").is_err());
        let mut file: syn::File = syn::parse_quote! {
            impl Client { pub async fn upload(&self, body: &types::Body) -> Result<(), Error> { todo!() } }
        };
        let before = file.clone();
        assert!(type_multipart_method(&mut file, "upload").is_err());
        assert_eq!(file, before);
    }
}
