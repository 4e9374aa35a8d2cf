//! Operations that page by cursor: a query parameter (`searchAfter`, `cursor`) that takes back what the previous
//! answer returned (`nextSearchAfter`, `cursor`). Found on the document, checked on the generated Rust (the answer
//! returns the cursor in the very type the parameter takes, so it can be sent back unchanged), and given
//! `kibana_gen::paging::CursorPage` on their answer type, so that `outputs::api` can give their call a cursor
//! stream. One that cannot have one is reported with the reason.
//!
//! Two conventions of Kibana's cursors are followed where the operation has them:
//! - a point in time (`openPit`, `pitId`, an answer's `pit`): Fleet follows `searchAfter` only inside one, so the
//!   first request opens it and the next ones send its id;
//! - a cursor that marks a page (the lists' `cursor` beside `page`): Kibana checks it against the page asked for,
//!   so each request names the next page too.

use std::collections::BTreeMap;

use quote::ToTokens;
use serde_json::Value;
use syn::{FnArg, Item, Type};

use super::paging::{self, AnswerPage};

/// Query parameters that carry a cursor.
pub const CURSOR_PARAMETERS: [&str; 3] = ["searchAfter", "search_after", "cursor"];
/// The point-in-time parameters and the answer's property holding its id.
const OPEN_POINT_IN_TIME: &str = "openPit";
const POINT_IN_TIME_ID: &str = "pitId";
const POINT_IN_TIME_ANSWER: &str = "pit";

/// An operation whose call follows its answers' cursors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorCall {
    /// The route in the input document, and the generated method.
    pub route: String,
    pub method: String,
    /// The cursor's query parameter (as the document names it) and its Rust argument.
    pub parameter: String,
    pub field: String,
    /// The answer's property with the next cursor (as the document names it).
    pub answer_property: String,
    /// Whether the argument is `&str` (the cursor is a `String`); else `&T` of the cursor's type `T`.
    pub as_str: bool,
    /// The page size's query parameter, Rust argument and default (100, or the document's maximum when lower).
    pub size: Option<(String, String, u64)>,
    /// The page number's Rust argument and first page, when each request names the next page.
    pub page: Option<(String, u64)>,
    /// The Rust arguments of the point in time (open it, its id), when the operation has one.
    pub point_in_time: Option<(String, String)>,
    /// Whether the operation pages by number too (its call has `.stream()` already).
    pub by_number: bool,
    /// The answer type, its items' property and type, and the `total` it reads.
    pub answer_type: String,
    pub items: String,
    pub item_type: String,
    pub total: Option<String>,
}

impl CursorCall {
    /// The name of the call's cursor stream: `.stream()`, or `.stream_by_cursor()` beside a `.stream()` by number.
    pub fn stream_name(&self) -> &'static str {
        if self.by_number { "stream_by_cursor" } else { "stream" }
    }
}

/// An operation with a cursor parameter, as the document has it.
pub struct Candidate<'a> {
    pub route: String,
    pub method: String,
    pub parameter: &'static str,
    pub parameters: BTreeMap<String, &'a Value>,
    pub operation: &'a Value,
    pub by_number: bool,
}

/// Checks each candidate and adds the `CursorPage` impls (and the `Page` impls the numbered paging did not add)
/// to `impls`, by answer type. Returns the calls, and the candidates that get no stream with the reason.
pub fn check_all(
    file: &syn::File,
    doc: &Value,
    candidates: Vec<Candidate>,
    impls: &mut BTreeMap<String, (String, Item)>,
) -> (Vec<CursorCall>, Vec<(String, String, String)>) {
    let mut calls = Vec::new();
    let mut skipped = Vec::new();
    let mut cursor_impls: BTreeMap<String, String> = BTreeMap::new();
    for candidate in candidates {
        let checked = check(file, doc, &candidate).and_then(|(call, page, cursor_impl)| {
            if let Some(property) = cursor_impls.get(&call.answer_type) {
                if *property != call.answer_property {
                    return Err(format!(
                        "its answer type `{}` gives another operation its cursor by `{property}`",
                        call.answer_type
                    ));
                }
                return Ok(call);
            }
            match impls.get(&call.answer_type) {
                Some((items, _)) if *items != call.items => {
                    return Err(format!(
                        "its answer type `{}` pages another operation by `{items}`, not `{}`",
                        call.answer_type, call.items
                    ));
                }
                Some(_) => {}
                None => {
                    impls.insert(call.answer_type.clone(), (call.items.clone(), page.item));
                }
            }
            cursor_impls.insert(call.answer_type.clone(), call.answer_property.clone());
            // Beside the answer's `Page` impl, under a key no type name has.
            impls.insert(
                format!("{} cursor", call.answer_type),
                (call.items.clone(), cursor_impl),
            );
            Ok(call)
        });
        match checked {
            Ok(call) => calls.push(call),
            Err(reason) => skipped.push((
                candidate.route,
                candidate.method,
                format!("`{}`: {reason}", candidate.parameter),
            )),
        }
    }
    (calls, skipped)
}

/// One candidate: the document's answer and parameters, then the generated Rust.
fn check(file: &syn::File, doc: &Value, candidate: &Candidate) -> Result<(CursorCall, AnswerPage, Item), String> {
    let parameter = candidate.parameter;
    let (items, total) = paging::answer_items(doc, candidate.operation)?;
    let answer_schema = paging::success_schema(doc, candidate.operation).ok_or("it has no JSON answer")?;
    let properties: Vec<String> = paging::object_properties(doc, answer_schema)?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let next = format!("next{}{}", parameter[..1].to_uppercase(), &parameter[1..]);
    let answer_property = [next.as_str(), parameter]
        .into_iter()
        .find(|name| properties.iter().any(|p| p == name))
        .ok_or_else(|| format!("its answer has neither `{next}` nor `{parameter}` to send back"))?
        .to_owned();
    let function = paging::client_method(file, &candidate.method)
        .ok_or_else(|| format!("no generated method `{}`", candidate.method))?;
    if function.sig.generics.type_params().next().is_some() {
        return Err("its method has a type parameter (a raw body)".to_owned());
    }
    let body = function.block.to_token_stream().to_string();
    let argument = |wire: &str| -> Option<(String, &Type)> {
        let name = paging::query_argument(&body, wire)?;
        let ty = function.sig.inputs.iter().find_map(|input| match input {
            FnArg::Typed(typed) if typed.pat.to_token_stream().to_string() == name => Some(&*typed.ty),
            _ => None,
        })?;
        Some((name, paging::generic_inner(ty, "Option")?))
    };
    let (field, argument_type) =
        argument(parameter).ok_or_else(|| format!("no optional argument sends `{parameter}`"))?;
    let Type::Reference(reference) = argument_type else {
        return Err(format!(
            "its argument is `{}`, not a reference",
            paging::compact(argument_type)
        ));
    };
    let as_str = paging::compact(&reference.elem) == "str";
    let sent = if as_str {
        "String".to_owned()
    } else {
        plain(&reference.elem)
    };

    let page = paging::answer_page(file, function, &candidate.route, &items, total.as_deref())?;
    let structure = paging::answer_struct(file, &page.answer_type)
        .ok_or_else(|| format!("its answer `{}` is not a struct", page.answer_type))?;
    let returned = paging::field(structure, &answer_property)
        .ok_or_else(|| format!("its answer has no field for `{answer_property}`"))?;
    let returned_ident = returned.ident.clone().ok_or("a tuple struct")?;
    let (returned_type, optional) = match paging::generic_inner(&returned.ty, "Option") {
        Some(inner) => (inner, true),
        None => (&returned.ty, false),
    };
    if plain(returned_type) != sent {
        return Err(format!(
            "the answer's `{answer_property}` is `{}` and the parameter takes `{sent}`: what the answer returns \
             cannot always be sent back",
            plain(returned_type)
        ));
    }

    let integer = |wire: &str| {
        argument(wire)
            .filter(|(_, ty)| paging::is_page_number(ty))
            .map(|(name, _)| name)
    };
    let size = paging::SIZE_PARAMETERS.iter().find_map(|wire| {
        let schema = paging::resolve_deep(doc, &candidate.parameters.get(*wire)?["schema"]);
        Some(((*wire).to_owned(), integer(wire)?, paging::default_size(schema)))
    });
    let point_in_time = [OPEN_POINT_IN_TIME, POINT_IN_TIME_ID]
        .iter()
        .all(|wire| candidate.parameters.contains_key(*wire))
        .then(|| -> Option<(String, String, &syn::Field)> {
            let (open, open_type) = argument(OPEN_POINT_IN_TIME)?;
            let (id, id_type) = argument(POINT_IN_TIME_ID)?;
            let answer = paging::field(structure, POINT_IN_TIME_ANSWER)?;
            let answer_type = paging::generic_inner(&answer.ty, "Option").unwrap_or(&answer.ty);
            let typed = paging::compact(open_type) == "bool"
                && paging::compact(id_type) == "&'astr"
                && plain(answer_type) == "String";
            typed.then_some((open, id, answer))
        })
        .flatten();
    // A cursor that marks a page: each request names the next page (not inside a point in time, which Fleet
    // reads from its start).
    let page_number = match (&point_in_time, candidate.by_number) {
        (None, true) => paging::PAGE_PARAMETERS.iter().find_map(|wire| {
            let schema = paging::resolve_deep(doc, &candidate.parameters.get(*wire)?["schema"]);
            Some((integer(wire)?, paging::first_page(schema)))
        }),
        _ => None,
    };

    let answer_ident = quote::format_ident!("{}", page.answer_type);
    let returned_type = returned_type.clone();
    let read = clone_of(&returned_ident, optional);
    let (cursor_type, next_cursor) = match &point_in_time {
        Some((_, _, pit)) => {
            let pit_ident = pit.ident.clone().ok_or("a tuple struct")?;
            let pit_read = clone_of(&pit_ident, paging::generic_inner(&pit.ty, "Option").is_some());
            (
                quote::quote!((#returned_type, ::std::option::Option<::std::string::String>)),
                quote::quote!(#read.map(|cursor| (cursor, #pit_read))),
            )
        }
        None => (quote::quote!(#returned_type), read),
    };
    let doc_text = format!(
        "Where the page after this one of `{}` starts: its `{answer_property}`{}.",
        candidate.route,
        if point_in_time.is_some() {
            ", with its point in time (`pit`)"
        } else {
            ""
        }
    );
    let cursor_impl: Item = syn::parse_quote! {
        #[doc = #doc_text]
        impl crate::paging::CursorPage for #answer_ident {
            type Cursor = #cursor_type;
            fn next_cursor(&self) -> ::std::option::Option<Self::Cursor> {
                #next_cursor
            }
        }
    };
    let call = CursorCall {
        route: candidate.route.clone(),
        method: candidate.method.clone(),
        parameter: parameter.to_owned(),
        field,
        answer_property,
        as_str,
        size,
        page: page_number,
        point_in_time: point_in_time.map(|(open, id, _)| (open, id)),
        by_number: candidate.by_number,
        answer_type: page.answer_type.clone(),
        items,
        item_type: page.item_type.clone(),
        total: page.total.clone(),
    };
    Ok((call, page, cursor_impl))
}

/// `self.field` cloned, as an `Option`.
fn clone_of(field: &syn::Ident, optional: bool) -> proc_macro2::TokenStream {
    if optional {
        quote::quote!(::std::clone::Clone::clone(&self.#field))
    } else {
        quote::quote!(::std::option::Option::Some(::std::clone::Clone::clone(&self.#field)))
    }
}

/// A type as Rust text without paths the two sides may spell differently (`::std::string::String`, `types::X`).
fn plain(ty: &Type) -> String {
    paging::compact(ty)
        .replace("::std::string::", "")
        .replace("::std::vec::", "")
        .replace("types::", "")
        .replace("::serde_json::", "serde_json::")
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use serde_json::json;

    fn answer(properties: serde_json::Value) -> serde_json::Value {
        json!({"200": {"description": "", "content": {"application/json": {"schema":
            {"type": "object", "properties": properties}}}}})
    }

    #[test]
    fn cursors_are_followed_when_the_answer_returns_what_the_parameter_takes() {
        let doc = json!({"openapi": "3.0.3", "components": {}, "paths": {
            "/api/agents": {"get": {"operationId": "get_agents",
                "parameters": [
                    {"in": "query", "name": "page", "schema": {"type": "integer"}},
                    {"in": "query", "name": "perPage", "schema": {"type": "integer", "maximum": 50}},
                    {"in": "query", "name": "searchAfter", "schema": {"type": "string"}},
                    {"in": "query", "name": "openPit", "schema": {"type": "boolean"}},
                    {"in": "query", "name": "pitId", "schema": {"type": "string"}}],
                "responses": answer(json!({
                    "items": {"type": "array", "items": {"type": "string"}},
                    "nextSearchAfter": {"type": "string"}, "pit": {"type": "string"},
                    "total": {"type": "integer"}}))}},
            "/api/packages": {"get": {"operationId": "get_packages",
                "parameters": [
                    {"in": "query", "name": "searchAfter", "schema": {"type": "array", "items": {"type": "string"}}}],
                "responses": answer(json!({
                    "items": {"type": "array", "items": {"type": "string"}},
                    "searchAfter": {"type": "string"}}))}},
        }});
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Agents {
                    pub items: ::std::vec::Vec<::std::string::String>,
                    #[serde(rename = "nextSearchAfter")]
                    pub next_search_after: ::std::option::Option<::std::string::String>,
                    pub pit: ::std::option::Option<::std::string::String>,
                    pub total: ::std::option::Option<i64>,
                }
                pub struct Packages {
                    pub items: ::std::vec::Vec<::std::string::String>,
                    #[serde(rename = "searchAfter")]
                    pub search_after: ::std::option::Option<::std::string::String>,
                }
            }
            impl Client {
                pub async fn get_agents<'a>(
                    &'a self,
                    open_pit: Option<bool>,
                    page: Option<i64>,
                    per_page: Option<i64>,
                    pit_id: Option<&'a str>,
                    search_after: Option<&'a str>,
                ) -> Result<ResponseValue<types::Agents>, Error<types::KibanaError>> {
                    let request = client
                        .query(&crate::query::QueryParam::new("openPit", &open_pit))
                        .query(&crate::query::QueryParam::new("page", &page))
                        .query(&crate::query::QueryParam::new("perPage", &per_page))
                        .query(&crate::query::QueryParam::new("pitId", &pit_id))
                        .query(&crate::query::QueryParam::new("searchAfter", &search_after));
                    todo!()
                }
                pub async fn get_packages<'a>(
                    &'a self,
                    search_after: Option<&'a ::std::vec::Vec<::std::string::String>>,
                ) -> Result<ResponseValue<types::Packages>, Error<types::KibanaError>> {
                    let request = client.query(&crate::query::QueryParam::new("searchAfter", &search_after));
                    todo!()
                }
            }
        };
        let paging = super::super::paging::apply(&mut file, &doc);
        assert_eq!(paging.cursor_calls.len(), 1, "{paging:?}");
        let call = &paging.cursor_calls[0];
        assert_eq!(
            (
                call.method.as_str(),
                call.field.as_str(),
                call.answer_property.as_str(),
                call.as_str,
                call.stream_name()
            ),
            (
                "get_agents",
                "search_after",
                "nextSearchAfter",
                true,
                "stream_by_cursor"
            )
        );
        assert_eq!(call.size, Some(("perPage".to_owned(), "per_page".to_owned(), 50)));
        assert_eq!(call.point_in_time, Some(("open_pit".to_owned(), "pit_id".to_owned())));
        assert_eq!(call.page, None, "inside a point in time the page is not advanced");
        assert_eq!(paging.cursor_skipped.len(), 1);
        assert!(
            paging.cursor_skipped[0]
                .2
                .contains("is `String` and the parameter takes `Vec<String>`"),
            "{:?}",
            paging.cursor_skipped
        );
        let code = file.to_token_stream().to_string().replace(' ', "");
        assert!(code.contains("implcrate::paging::CursorPageforAgents"), "{code}");
        assert!(code.contains("typeCursor=(::std::string::String,::std::option::Option<::std::string::String>)"));
    }
}
