//! `kibana-gen/src/generated/api/`: [`Api`], every generated operation run through a caller's [`Executor`], so that
//! a higher layer (the `kibana` crate: space checks, its tower stack, its error type) wraps all of them at once.

use anyhow::{Result, bail};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{FnArg, GenericArgument, GenericParam, ImplItemFn, Pat, PathArguments, ReturnType, Type};

/// `api/mod.rs`: the trait, the struct, and the area modules.
pub fn root(areas: &[String]) -> TokenStream {
    let modules = areas.iter().map(|area| {
        let ident = quote::format_ident!("{}", area);
        quote! {
            #[cfg(feature = #area)]
            mod #ident;
        }
    });
    quote! {
        //! [`Api`]: every generated operation, run through an [`Executor`].
        #![allow(clippy::all, unused_imports, rustdoc::all)]

        use super::*;

        /// Runs the calls of an [`Api`]: given the call (which takes the client to send with), returns its outcome in
        /// the executor's own error type. The `kibana` crate's executor checks the space, sends through its tower
        /// stack and maps failures to `kibana::Error`.
        pub trait Executor: Sync {
            /// What a failed call returns.
            type Error;

            /// Runs one generated call.
            fn execute<'a, T, Fut>(
                &'a self,
                call: impl FnOnce(Client) -> Fut + Send + 'a,
            ) -> impl ::std::future::Future<Output = Result<ResponseValue<T>, Self::Error>> + Send + 'a
            where
                T: Send + 'a,
                Fut: ::std::future::Future<Output = Result<ResponseValue<T>, Error<types::KibanaError>>> + Send + 'a;
        }

        /// Every generated operation, with the same arguments as on [`Client`], run through an [`Executor`].
        ///
        /// The methods are grouped by API area, each behind its cargo feature (`full` enables all).
        #[derive(Clone, Debug)]
        pub struct Api<E> {
            executor: E,
        }

        impl<E> Api<E> {
            /// The operations, run through `executor`.
            pub fn new(executor: E) -> Self {
                Self { executor }
            }

            /// The executor.
            pub fn executor(&self) -> &E {
                &self.executor
            }
        }

        #(#modules)*
    }
}

/// `api/<area>.rs`: the area's methods on `Api`.
pub fn area(area: &str, wrappers: &[ImplItemFn]) -> TokenStream {
    let doc = format!("The `{area}` operations on [`Api`](super::Api).");
    quote! {
        #![doc = #doc]
        #![allow(clippy::all, unused_imports, rustdoc::all)]
        use super::*;

        impl<E: Executor> Api<E> {
            #(#wrappers)*
        }
    }
}

/// The `Api` method forwarding to the generated `Client` method `function`: same docs, generics and arguments;
/// the error type is the executor's.
pub fn wrapper(function: &ImplItemFn) -> Result<ImplItemFn> {
    let name = &function.sig.ident;
    let ReturnType::Type(_, output) = &function.sig.output else {
        bail!("`{name}` returns nothing");
    };
    let success = success_type(output).ok_or_else(|| {
        anyhow::anyhow!(
            "`{name}` does not return `Result<ResponseValue<_>, Error<types::KibanaError>>`: {}",
            output.to_token_stream()
        )
    })?;
    let mut arguments = Vec::new();
    for input in function.sig.inputs.iter().skip(1) {
        let FnArg::Typed(typed) = input else {
            bail!("`{name}` has an unexpected receiver");
        };
        let Pat::Ident(ident) = &*typed.pat else {
            bail!("`{name}` has an argument that is not a plain name");
        };
        arguments.push(ident.ident.clone());
    }
    let mut generics = function.sig.generics.clone();
    for param in &mut generics.params {
        if let GenericParam::Type(ty) = param {
            ty.bounds.push(syn::parse_quote!(Send));
        }
    }
    let inputs = &function.sig.inputs;
    let attrs: Vec<_> = function.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
    let (params, where_clause) = (&generics.params, &generics.where_clause);
    Ok(syn::parse_quote! {
        #(#attrs)*
        pub async fn #name<#params>(#inputs) -> Result<#success, E::Error> #where_clause {
            self.executor
                .execute(move |client: Client| async move { client.#name(#(#arguments),*).await })
                .await
        }
    })
}

/// `ResponseValue<T>` of `Result<ResponseValue<T>, Error<types::KibanaError>>`.
fn success_type(output: &Type) -> Option<Type> {
    let Type::Path(path) = output else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let (success, error) = (types.next()?, types.next()?);
    let error = error.to_token_stream().to_string().replace(' ', "");
    (error == "Error<types::KibanaError>").then(|| success.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapper_forwards_every_argument_and_returns_the_executor_error() {
        let function: ImplItemFn = syn::parse_quote! {
            ///Get a connector
            pub async fn get_actions_connector_id<'a, B: Into<reqwest::Body>>(
                &'a self,
                id: &'a str,
                body: B,
            ) -> Result<ResponseValue<types::Connector>, Error<types::KibanaError>> {
                todo!()
            }
        };
        let code = wrapper(&function).unwrap().to_token_stream().to_string();
        assert!(code.contains("Get a connector"), "{code}");
        assert!(code.contains("B : Into < reqwest :: Body > + Send"), "{code}");
        assert!(
            code.contains("Result < ResponseValue < types :: Connector > , E :: Error >"),
            "{code}"
        );
        assert!(
            code.contains("client . get_actions_connector_id (id , body) . await"),
            "{code}"
        );
    }

    #[test]
    fn another_error_type_is_refused() {
        let function: ImplItemFn = syn::parse_quote! {
            pub async fn x<'a>(&'a self) -> Result<ResponseValue<()>, Error<()>> { todo!() }
        };
        assert!(wrapper(&function).is_err());
    }
}
