//! `kibana-gen/src/generated/api/`: [`Api`], every generated operation run through a caller's [`Executor`], so that
//! a higher layer (the `kibana` crate: space checks, its tower stack, its error type) wraps all of them at once.

use anyhow::{Result, bail};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{FnArg, GenericArgument, GenericParam, ImplItemFn, Pat, PathArguments, ReturnType, Type};

use crate::postprocess::{cursors::CursorCall, paging::PagedCall};

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

/// `api/<area>.rs`: the area's methods on `Api`, and the calls of those with optional parameters.
pub fn area(area: &str, wrappers: &[Wrapper]) -> TokenStream {
    let doc = format!("The `{area}` operations on [`Api`](super::Api).");
    let methods = wrappers.iter().map(|w| &w.method);
    let items = wrappers.iter().flat_map(|w| &w.items);
    quote! {
        #![doc = #doc]
        // The wrappers of deprecated operations call their deprecated `Client` methods.
        #![allow(clippy::all, unused_imports, rustdoc::all, deprecated)]
        use super::*;

        impl<E: Executor> Api<E> {
            #(#methods)*
        }

        #(#items)*
    }
}

/// One operation on `Api`: its method, and for an operation with optional parameters the call it returns.
pub struct Wrapper {
    pub method: ImplItemFn,
    /// The call struct with a setter per optional parameter, and its `IntoFuture`.
    pub items: Vec<syn::Item>,
    /// Why a paged operation's call got no `.stream()` after all.
    pub notes: Vec<String>,
}

/// An argument of a generated `Client` method.
struct Argument {
    name: syn::Ident,
    ty: Type,
    /// `T` of an `Option<T>` argument: an optional parameter, set by name.
    optional: Option<Type>,
}

/// The `Api` method for the generated `Client` method `function`: same docs, generics and required arguments; the
/// error type is the executor's. An operation with optional parameters returns a call (`GetXCall`) that names
/// them (`.per_page(10)`) and is awaited like the method itself (`IntoFuture`), so that a call names only what it
/// sets and a parameter a newer Kibana adds breaks nothing.
///
/// `paged`: the operation pages by page number (`postprocess::paging`); its call gets `.stream()`. `cursor`: it
/// pages by cursor (`postprocess::cursors`); its call gets a cursor stream.
pub fn wrapper(function: &ImplItemFn, paged: Option<&PagedCall>, cursor: Option<&CursorCall>) -> Result<Wrapper> {
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
        arguments.push(Argument {
            name: ident.ident.clone(),
            ty: (*typed.ty).clone(),
            optional: option_inner(&typed.ty),
        });
    }
    let mut generics = function.sig.generics.clone();
    for param in &mut generics.params {
        if let GenericParam::Type(ty) = param {
            ty.bounds.push(syn::parse_quote!(Send));
        }
    }
    let attrs: Vec<_> = function.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
    // A deprecated operation's method is deprecated on `Api` too (`postprocess::deprecated`).
    let deprecated: Vec<_> = function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("deprecated"))
        .collect();
    let names: Vec<&syn::Ident> = arguments.iter().map(|a| &a.name).collect();
    if arguments.iter().all(|a| a.optional.is_none()) {
        let inputs = &function.sig.inputs;
        let (params, where_clause) = (&generics.params, &generics.where_clause);
        return Ok(Wrapper {
            method: syn::parse_quote! {
                #(#attrs)*
                #(#deprecated)*
                pub async fn #name<#params>(#inputs) -> Result<#success, E::Error> #where_clause {
                    self.executor
                        .execute(move |client: Client| async move { client.#name(#(#names),*).await })
                        .await
                }
            },
            items: Vec::new(),
            notes: Vec::new(),
        });
    }
    let mut wrapper = call(function, &attrs, &deprecated, &generics, &arguments, &success)?;
    let mut streams = false;
    if let Some(paged) = paged {
        match stream(function, &arguments, paged) {
            Ok(item) => {
                wrapper.items.push(item);
                streams = true;
            }
            Err(error) => wrapper.notes.push(format!("no `.stream()`: {error:#}")),
        }
    }
    if let Some(cursor) = cursor {
        match cursor_stream(function, &arguments, cursor) {
            Ok(item) => {
                wrapper.items.push(item);
                streams = true;
            }
            Err(error) => wrapper
                .notes
                .push(format!("no `.{}()`: {error:#}", cursor.stream_name())),
        }
    }
    if streams {
        wrapper.items.push(clone_impl(function, &arguments));
    }
    Ok(wrapper)
}

/// `.stream()` on a paged operation's call (through `kibana_gen::paging::stream`).
fn stream(function: &ImplItemFn, arguments: &[Argument], paged: &PagedCall) -> Result<syn::Item> {
    use heck::ToUpperCamelCase;
    let name = &function.sig.ident;
    if function.sig.generics.type_params().next().is_some() {
        bail!("`{name}` pages but has a type parameter: no stream");
    }
    let call = quote::format_ident!("{}Call", name.to_string().to_upper_camel_case());
    let field = |wanted: &str| {
        arguments
            .iter()
            .find(|a| a.name == wanted && a.optional.is_some())
            .map(|a| a.name.clone())
            .ok_or_else(|| anyhow::anyhow!("`{name}` has no optional argument `{wanted}` to page by"))
    };
    let (page, size) = (field(&paged.page_field)?, field(&paged.size_field)?);
    let answer: syn::Path = syn::parse_str(&format!("types::{}", paged.answer_type))?;
    let (first, default_size) = (paged.first_page, paged.default_size);
    let last_page = paged.last_page.map(|last| quote!(.last_page(#last)));
    let doc = stream_doc(function, arguments, paged);
    Ok(syn::parse_quote! {
            impl<'a, E: Executor> #call<'a, E> {
                #(#[doc = #doc])*
                #[must_use = "a stream sends nothing until it is polled"]
                pub fn stream(self) -> crate::paging::PageStream<'a, #answer, E::Error>
                where
                    E::Error: Send + 'a,
                {
                    let pages = crate::paging::Pages::new(#first, #default_size)
                        #last_page
                        .start(self.#page)
                        .size(self.#size);
                    crate::paging::stream(pages, move |page, size| {
                        let mut call = self.clone();
                        call.#page = Some(page);
                        call.#size = Some(size);
                        async move { call.send().await.map(ResponseValue::into_inner) }
                    })
                }
            }
    })
}

/// The call's `Clone`, which a stream uses to send it again for each page.
fn clone_impl(function: &ImplItemFn, arguments: &[Argument]) -> syn::Item {
    use heck::ToUpperCamelCase;
    let call = quote::format_ident!("{}Call", function.sig.ident.to_string().to_upper_camel_case());
    let all_names: Vec<&syn::Ident> = arguments.iter().map(|a| &a.name).collect();
    syn::parse_quote! {
        impl<'a, E: Executor> ::std::clone::Clone for #call<'a, E> {
            fn clone(&self) -> Self {
                Self { api: self.api, #(#all_names: ::std::clone::Clone::clone(&self.#all_names)),* }
            }
        }
    }
}

/// The cursor stream of a cursor-paged operation's call (through `kibana_gen::paging::cursor_stream`): the first
/// request as the call is set (opening a point in time where the operation has one), then the call again with the
/// previous answer's cursor (and point in time, and next page where the cursor marks one).
fn cursor_stream(function: &ImplItemFn, arguments: &[Argument], cursor: &CursorCall) -> Result<syn::Item> {
    use heck::ToUpperCamelCase;
    let name = &function.sig.ident;
    if function.sig.generics.type_params().next().is_some() {
        bail!("`{name}` pages but has a type parameter: no stream");
    }
    let call = quote::format_ident!("{}Call", name.to_string().to_upper_camel_case());
    let field = |wanted: &str| {
        arguments
            .iter()
            .find(|a| a.name == wanted && a.optional.is_some())
            .map(|a| a.name.clone())
            .ok_or_else(|| anyhow::anyhow!("`{name}` has no optional argument `{wanted}` to page by"))
    };
    let method = quote::format_ident!("{}", cursor.stream_name());
    let answer: syn::Path = syn::parse_str(&format!("types::{}", cursor.answer_type))?;
    let cursor_field = field(&cursor.field)?;
    let (size_setup, size) = match &cursor.size {
        Some((_, size_field, default)) => {
            let size_field = field(size_field)?;
            (
                quote! {
                    if first.#size_field.is_none() {
                        first.#size_field = crate::paging::PageNumber::from_u64(#default);
                    }
                    let size = first.#size_field.and_then(crate::paging::PageNumber::to_u64);
                },
                quote!(size),
            )
        }
        None => (quote!(), quote!(::std::option::Option::None)),
    };
    let (page_setup, page_step) = match &cursor.page {
        Some((page_field, first_page)) => {
            let page_field = field(page_field)?;
            (
                quote! {
                    let mut page = first.#page_field.or_else(|| crate::paging::PageNumber::from_u64(#first_page));
                },
                quote! {
                    call.#page_field = page;
                    page = page
                        .and_then(crate::paging::PageNumber::to_u64)
                        .and_then(|page| page.checked_add(1))
                        .and_then(crate::paging::PageNumber::from_u64);
                },
            )
        }
        None => (quote!(), quote!()),
    };
    let value = if cursor.as_str {
        quote!(after.as_str())
    } else {
        quote!(after)
    };
    let (pit_setup, follow) = match &cursor.point_in_time {
        Some((open, id)) => {
            let (open, id) = (field(open)?, field(id)?);
            (
                quote! {
                    if first.#id.is_none() {
                        first.#open = Some(true);
                    }
                },
                quote! {
                    if let Some((after, pit)) = &cursor {
                        call.#cursor_field = Some(#value);
                        if let Some(pit) = pit {
                            call.#id = Some(pit.as_str());
                            call.#open = None;
                        }
                    }
                },
            )
        }
        None => (
            quote!(),
            quote! {
                if let Some(after) = &cursor {
                    call.#cursor_field = Some(#value);
                }
            },
        ),
    };
    let clone_first = if cursor.page.is_some() {
        quote!(let mut call = first.clone();)
    } else {
        quote!(let call = first.clone();)
    };
    let doc = cursor_stream_doc(function, arguments, cursor);
    Ok(syn::parse_quote! {
        impl<'a, E: Executor> #call<'a, E> {
            #(#[doc = #doc])*
            #[must_use = "a stream sends nothing until it is polled"]
            pub fn #method(self) -> crate::paging::PageStream<'a, #answer, E::Error>
            where
                E::Error: Send + 'a,
            {
                let mut first = self;
                #size_setup
                #pit_setup
                #page_setup
                crate::paging::cursor_stream(#size, move |cursor: Option<<#answer as crate::paging::CursorPage>::Cursor>| {
                    #clone_first
                    #page_step
                    async move {
                        // The cursor lives in this future; the call borrows it for the request.
                        let mut call = call;
                        #follow
                        call.send().await.map(ResponseValue::into_inner)
                    }
                })
            }
        }
    })
}

/// The documentation of a cursor stream: what it sends and yields, and an example.
fn cursor_stream_doc(function: &ImplItemFn, arguments: &[Argument], cursor: &CursorCall) -> Vec<String> {
    let name = &function.sig.ident;
    let answer = &cursor.answer_type;
    let item = if cursor.item_type.chars().all(|c| c.is_alphanumeric() || c == '_') {
        format!("[`{0}`](types::{0})", cursor.item_type)
    } else {
        format!("`{}`", cursor.item_type)
    };
    let mut lines = vec![
        format!(
            " Every item of every page, following the answers' cursors, as one stream ([`paging`](crate::paging)): \
             each of the answers' `{}` ([`{answer}`](types::{answer})), a {item}.",
            cursor.items
        ),
        String::new(),
    ];
    let mut first = "Sends the call as set".to_owned();
    if let Some((wire, size_field, default)) = &cursor.size {
        first.push_str(&format!(
            " (`{wire}` {default} unless `.{}(..)` set it)",
            setter_name(&quote::format_ident!("{}", size_field))
        ));
    }
    if cursor.point_in_time.is_some() {
        first.push_str(
            ", opening a point in time (`openPit`) unless `.pit_id(..)` names one: Kibana follows the cursor only \
             inside one",
        );
    }
    let mut then = format!(
        "then sends it again with the answer's `{}` as `{}`",
        cursor.answer_property, cursor.parameter
    );
    if cursor.point_in_time.is_some() {
        then.push_str(" and its `pit` as `pitId`");
    }
    if cursor.page.is_some() {
        then.push_str(" and the next page number (the cursor marks a page, and Kibana checks it against the page)");
    }
    let mut until = vec!["an answer has no cursor or no items".to_owned()];
    if cursor.size.is_some() {
        until.push("holds fewer items than the page size".to_owned());
    }
    if let Some(total) = &cursor.total {
        until.push(format!("the pages so far hold the answer's `{total}`"));
    }
    let until = match until.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}, or {last}", rest.join(", ")),
        None => String::new(),
    };
    lines.push(format!(" {first}; {then}; until {until}."));
    lines.push(
        " An answer that returns the cursor it was sent repeats the page before: it is not yielded and ends the \
         stream. An error is yielded and ends the stream."
            .to_owned(),
    );
    lines.extend(
        [
            "",
            " ```no_run",
            " # async fn demo<E: kibana_gen::api::Executor>(api: &kibana_gen::api::Api<E>) -> Result<(), E::Error>",
            " # where E::Error: Send {",
            " use futures::TryStreamExt;",
        ]
        .map(str::to_owned),
    );
    let mut values = Vec::new();
    for argument in arguments.iter().filter(|a| a.optional.is_none()) {
        let text = argument.name.to_string();
        if argument.ty.to_token_stream().to_string().replace(' ', "") == "&'astr" {
            values.push(format!("{text:?}"));
        } else {
            lines.push(format!(" # let {text} = todo!();"));
            values.push(text);
        }
    }
    lines.push(format!(
        " let all: Vec<_> = api.{name}({}).{}().try_collect().await?;",
        values.join(", "),
        cursor.stream_name()
    ));
    lines.push(" # drop(all); Ok(()) }".to_owned());
    lines.push(" ```".to_owned());
    lines
}

/// The documentation of `.stream()`: what it sends and yields, and an example.
fn stream_doc(function: &ImplItemFn, arguments: &[Argument], paged: &PagedCall) -> Vec<String> {
    let name = &function.sig.ident;
    let page = setter_name(&quote::format_ident!("{}", paged.page_field));
    let size = setter_name(&quote::format_ident!("{}", paged.size_field));
    let first = if paged.first_page == 0 {
        "page 0 (this operation counts pages from 0)".to_owned()
    } else {
        format!("page {}", paged.first_page)
    };
    let mut until = vec!["a page holds fewer items than that (or none)".to_owned()];
    if let Some(total) = &paged.total {
        until.push(format!("the pages so far hold the answer's `{total}`"));
    }
    if let Some(last) = paged.last_page {
        until.push(format!("page {last} (the last the document allows) was asked for"));
    }
    let until = match until.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}, or {last}", rest.join(", ")),
        None => String::new(),
    };
    let answer = &paged.answer_type;
    let item = if paged.item_type.chars().all(|c| c.is_alphanumeric() || c == '_') {
        format!("[`{0}`](types::{0})", paged.item_type)
    } else {
        format!("`{}`", paged.item_type)
    };
    let mut lines = vec![
        format!(
            " Every item of every page, as one stream ([`paging`](crate::paging)): each of the answers' `{}` \
             ([`{answer}`](types::{answer})), a {item}.",
            paged.items
        ),
        String::new(),
        format!(
            " Sends {first} (or the page `.{page}(..)` set) with `{}` {} (or what `.{size}(..)` set) and every \
             other parameter set on the call, then the next page, until {until}.",
            paged.size_parameter, paged.default_size
        ),
        " An error is yielded and ends the stream.".to_owned(),
        String::new(),
        " ```no_run".to_owned(),
        " # async fn demo<E: kibana_gen::api::Executor>(api: &kibana_gen::api::Api<E>) -> Result<(), E::Error>"
            .to_owned(),
        " # where E::Error: Send {".to_owned(),
        " use futures::TryStreamExt;".to_owned(),
    ];
    let mut values = Vec::new();
    for argument in arguments.iter().filter(|a| a.optional.is_none()) {
        let text = argument.name.to_string();
        if argument.ty.to_token_stream().to_string().replace(' ', "") == "&'astr" {
            values.push(format!("{text:?}"));
        } else {
            lines.push(format!(" # let {text} = todo!();"));
            values.push(text);
        }
    }
    lines.push(format!(
        " let all: Vec<_> = api.{name}({}).stream().try_collect().await?;",
        values.join(", ")
    ));
    lines.push(" # drop(all); Ok(()) }".to_owned());
    lines.push(" ```".to_owned());
    lines
}

/// The method returning a call, and the call: a field per argument, a setter per optional one, `send` and
/// `IntoFuture`.
fn call(
    function: &ImplItemFn,
    attrs: &[&syn::Attribute],
    deprecated: &[&syn::Attribute],
    generics: &syn::Generics,
    arguments: &[Argument],
    success: &Type,
) -> Result<Wrapper> {
    use heck::ToUpperCamelCase;
    let name = &function.sig.ident;
    let call = quote::format_ident!("{}Call", name.to_string().to_upper_camel_case());
    let docs = parameter_docs(attrs);
    // The lifetime of the method's references ('a), and the method's own type parameters (a raw body's `B`).
    let type_params: Vec<&syn::TypeParam> = generics.type_params().collect();
    let type_idents: Vec<&syn::Ident> = type_params.iter().map(|t| &t.ident).collect();
    let required: Vec<&Argument> = arguments.iter().filter(|a| a.optional.is_none()).collect();
    let required_inputs = required.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let required_names: Vec<&syn::Ident> = required.iter().map(|a| &a.name).collect();
    let optional_names: Vec<&syn::Ident> = arguments
        .iter()
        .filter(|a| a.optional.is_some())
        .map(|a| &a.name)
        .collect();
    let fields = arguments.iter().map(|a| {
        let (n, t) = (&a.name, &a.ty);
        quote!(#n: #t)
    });
    let setters = arguments.iter().filter_map(|a| {
        let inner = a.optional.as_ref()?;
        let field = &a.name;
        let setter = setter_name(field);
        let doc = docs
            .iter()
            .find(|(p, _)| p == field.to_string().trim_start_matches("r#"))
            .map_or_else(|| format!("Sets `{field}`."), |(_, d)| d.clone());
        Some(quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: #inner) -> Self {
                self.#field = Some(value);
                self
            }
        })
    });
    let all_names: Vec<&syn::Ident> = arguments.iter().map(|a| &a.name).collect();
    let method_doc_note = format!(
        " Optional parameters are set by name on the returned [`{call}`] (`.{}(..)`), which is awaited like a call.",
        optional_names
            .first()
            .map(|n| setter_name(n).to_string())
            .unwrap_or_default()
    );
    let bounds = type_params.iter().map(|t| {
        let ident = &t.ident;
        let bounds = &t.bounds;
        quote!(#ident: #bounds + 'a)
    });
    let bounds: Vec<TokenStream> = bounds.collect();
    let struct_doc = format!("The call of [`Api::{name}`]: set optional parameters by name, then `.await` it.");
    let method: ImplItemFn = syn::parse_quote! {
        #(#attrs)*
        #[doc = ""]
        #[doc = #method_doc_note]
        #(#deprecated)*
        pub fn #name<'a, #(#bounds),*>(&'a self, #(#required_inputs),*) -> #call<'a, E, #(#type_idents),*> {
            #call { api: self, #(#required_names,)* #(#optional_names: None,)* }
        }
    };
    let items: Vec<syn::Item> = vec![
        syn::parse_quote! {
            #[doc = #struct_doc]
            #[must_use = "a call sends nothing until it is awaited"]
            pub struct #call<'a, E: Executor, #(#bounds),*> {
                api: &'a Api<E>,
                #(#fields,)*
            }
        },
        syn::parse_quote! {
            impl<'a, E: Executor, #(#bounds),*> #call<'a, E, #(#type_idents),*> {
                #(#setters)*

                /// Sends the call (what `.await` does).
                pub async fn send(self) -> Result<#success, E::Error> {
                    let Self { api, #(#all_names),* } = self;
                    api.executor
                        .execute(move |client: Client| async move { client.#name(#(#all_names),*).await })
                        .await
                }
            }
        },
        syn::parse_quote! {
            impl<'a, E: Executor + 'a, #(#bounds),*> ::std::future::IntoFuture for #call<'a, E, #(#type_idents),*> {
                type Output = Result<#success, E::Error>;
                type IntoFuture = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Self::Output> + Send + 'a>>;
                fn into_future(self) -> Self::IntoFuture {
                    Box::pin(self.send())
                }
            }
        },
    ];
    Ok(Wrapper {
        method,
        items,
        notes: Vec::new(),
    })
}

/// A setter's name: the parameter's, unless the call has a method of that name.
pub(crate) fn setter_name(field: &syn::Ident) -> syn::Ident {
    match field.to_string().as_str() {
        "send" | "into_future" | "stream" => quote::format_ident!("{}_", field),
        _ => field.clone(),
    }
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner.clone()),
        _ => None,
    }
}

/// `(parameter, description)` from progenitor's "Arguments:" list in the method's docs.
fn parameter_docs(attrs: &[&syn::Attribute]) -> Vec<(String, String)> {
    let text: String = attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("- `")
            && let Some((name, description)) = rest.split_once("`:")
        {
            out.push((name.to_owned(), description.trim().to_owned()));
        }
    }
    out
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
        let code = wrapper(&function, None, None)
            .unwrap()
            .method
            .to_token_stream()
            .to_string();
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
    fn a_deprecated_method_is_deprecated_on_api_and_its_call() {
        let plain: ImplItemFn = syn::parse_quote! {
            ///Old
            #[deprecated(note = "Kibana deprecated this operation")]
            pub async fn get_old<'a>(&'a self) -> Result<ResponseValue<()>, Error<types::KibanaError>> { todo!() }
        };
        let code = wrapper(&plain, None, None)
            .unwrap()
            .method
            .to_token_stream()
            .to_string();
        assert!(
            code.contains("# [deprecated (note = \"Kibana deprecated this operation\")] pub async fn get_old"),
            "{code}"
        );
        let with_options: ImplItemFn = syn::parse_quote! {
            #[deprecated(note = "Kibana deprecated this operation")]
            pub async fn find_old<'a>(&'a self, page: Option<i64>) -> Result<ResponseValue<()>, Error<types::KibanaError>> {
                todo!()
            }
        };
        let wrapper = wrapper(&with_options, None, None).unwrap();
        let code = wrapper.method.to_token_stream().to_string();
        assert!(
            code.contains("# [deprecated (note = \"Kibana deprecated this operation\")] pub fn find_old"),
            "{code}"
        );
        let items: String = wrapper.items.iter().map(|i| i.to_token_stream().to_string()).collect();
        assert!(!items.contains("deprecated"), "{items}");
    }

    #[test]
    fn another_error_type_is_refused() {
        let function: ImplItemFn = syn::parse_quote! {
            pub async fn x<'a>(&'a self) -> Result<ResponseValue<()>, Error<()>> { todo!() }
        };
        assert!(wrapper(&function, None, None).is_err());
    }

    #[test]
    fn optional_parameters_are_set_by_name_on_an_awaitable_call() {
        let function: ImplItemFn = syn::parse_quote! {
                    /**Get agent policies

        Arguments:
        - `page`: Page number
        - `per_page`: Number of results per page
        */
                    pub async fn get_fleet_agent_policies<'a>(
                        &'a self,
                        kuery: Option<&'a str>,
                        page: Option<i64>,
                        per_page: Option<i64>,
                        policy_id: &'a str,
                    ) -> Result<ResponseValue<types::Policies>, Error<types::KibanaError>> {
                        todo!()
                    }
                };
        let wrapper = wrapper(&function, None, None).unwrap();
        let method = wrapper.method.to_token_stream().to_string();
        assert!(
            method.contains("pub fn get_fleet_agent_policies < 'a , > (& 'a self , policy_id : & 'a str) -> GetFleetAgentPoliciesCall < 'a , E , >"),
            "{method}"
        );
        let items: String = wrapper.items.iter().map(|i| i.to_token_stream().to_string()).collect();
        assert!(
            items.contains("pub fn per_page (mut self , value : i64) -> Self"),
            "{items}"
        );
        assert!(
            items.contains("pub fn kuery (mut self , value : & 'a str) -> Self"),
            "{items}"
        );
        assert!(items.contains("# [doc = \"Number of results per page\"]"), "{items}");
        assert!(
            items.contains("client . get_fleet_agent_policies (kuery , page , per_page , policy_id) . await"),
            "{items}"
        );
        assert!(items.contains("IntoFuture for GetFleetAgentPoliciesCall"), "{items}");
    }

    #[test]
    fn a_paged_call_streams_its_pages_and_is_clone() {
        let function: ImplItemFn = syn::parse_quote! {
            pub async fn get_things_find<'a>(
                &'a self,
                list_id: &'a str,
                page: Option<::std::num::NonZeroU64>,
                per_page: Option<i64>,
                search: Option<&'a str>,
            ) -> Result<ResponseValue<types::FindThings>, Error<types::KibanaError>> {
                todo!()
            }
        };
        let paged = PagedCall {
            route: "GET /api/things/_find".into(),
            method: "get_things_find".into(),
            page_parameter: "page".into(),
            size_parameter: "perPage".into(),
            page_field: "page".into(),
            size_field: "per_page".into(),
            items: "data".into(),
            total: Some("total".into()),
            answer_type: "FindThings".into(),
            item_type: "Thing".into(),
            first_page: 1,
            last_page: Some(100),
            default_size: 50,
        };
        let generated = wrapper(&function, Some(&paged), None).unwrap();
        let items: String = generated
            .items
            .iter()
            .map(|i| i.to_token_stream().to_string())
            .collect();
        assert!(
            items.contains(
                "pub fn stream (self) -> crate :: paging :: PageStream < 'a , types :: FindThings , E :: Error >"
            ),
            "{items}"
        );
        assert!(
            items.contains(
                "crate :: paging :: Pages :: new (1u64 , 50u64) . last_page (100u64) . start (self . page) . size (self . per_page)"
            ),
            "{items}"
        );
        assert!(items.contains("call . per_page = Some (size)"), "{items}");
        assert!(
            items.contains("Clone for GetThingsFindCall < 'a , E >")
                && items.contains("list_id : :: std :: clone :: Clone :: clone (& self . list_id)"),
            "{items}"
        );
        assert!(
            items.contains("api.get_things_find(\\\"list_id\\\").stream().try_collect()"),
            "{items}"
        );
        let no_page = PagedCall {
            page_field: "page_index".into(),
            ..paged
        };
        let without = wrapper(&function, Some(&no_page), None).unwrap();
        let items: String = without.items.iter().map(|i| i.to_token_stream().to_string()).collect();
        assert!(!items.contains("fn stream"), "{items}");
        assert!(
            without.notes[0].contains("no optional argument `page_index`"),
            "{:?}",
            without.notes
        );
    }
}
