//! Operations that page by page number: found on the document (a `page` and a page-size query parameter, an answer
//! object holding its items in an array), checked on the generated Rust (integer arguments, a generated answer
//! struct with that list), and given `kibana_gen::paging::Page` on their answer type, so that `outputs::api` can
//! give their call `.stream()`. An operation that looks paged but cannot be streamed is reported with the reason,
//! and the operations that page by cursor (`searchAfter`, `cursor`) are handed to `postprocess::cursors`.

use std::collections::BTreeMap;

use quote::ToTokens;
use serde_json::Value;
use syn::{GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

use super::cursors::{self, CURSOR_PARAMETERS, CursorCall};
use crate::transforms;
pub(super) use crate::transforms::resolve_deep;

/// Names of the page-number query parameter.
pub(super) const PAGE_PARAMETERS: [&str; 2] = ["page", "page_index"];
/// Names of the page-size query parameter, the first the operation has wins.
pub(super) const SIZE_PARAMETERS: [&str; 5] = ["perPage", "per_page", "pageSize", "page_size", "size"];
/// Names of the items' list in an answer with several arrays, the first the answer has wins.
const ITEM_LISTS: [&str; 8] = [
    "items",
    "data",
    "saved_objects",
    "results",
    "records",
    "hits",
    "agents",
    "list",
];
/// The page size a stream asks for when the caller sets none (lowered to the document's `maximum`).
pub const DEFAULT_PAGE_SIZE: u64 = 100;
/// Rust types of page numbers and sizes `kibana_gen::paging::PageNumber` knows.
const INTEGERS: [&str; 10] = ["i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64", "usize"];
const NON_ZERO: [&str; 10] = [
    "NonZeroI8",
    "NonZeroI16",
    "NonZeroI32",
    "NonZeroI64",
    "NonZeroIsize",
    "NonZeroU8",
    "NonZeroU16",
    "NonZeroU32",
    "NonZeroU64",
    "NonZeroUsize",
];

/// An operation whose call streams its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedCall {
    /// The route in the input document.
    pub route: String,
    /// The generated method.
    pub method: String,
    /// The query parameters, as the document names them.
    pub page_parameter: String,
    pub size_parameter: String,
    /// Their Rust arguments (the call's fields).
    pub page_field: String,
    pub size_field: String,
    /// The answer's property holding the items, and its `total`, as the document names them.
    pub items: String,
    pub total: Option<String>,
    /// The generated answer type (in `types`) and the items' type, as Rust text.
    pub answer_type: String,
    pub item_type: String,
    /// The first page (`1`; `0` where the document's default page is 0) and the last one the document allows.
    pub first_page: u64,
    pub last_page: Option<u64>,
    /// The page size when the caller sets none: 100, or the document's `maximum` when lower.
    pub default_size: u64,
}

/// What paging detection found.
#[derive(Debug, Default, Clone)]
pub struct Paging {
    pub calls: Vec<PagedCall>,
    /// Operations that look paged but get no stream: `(route, method, reason)`.
    pub skipped: Vec<(String, String, String)>,
    /// The operations whose calls follow their answers' cursors.
    pub cursor_calls: Vec<CursorCall>,
    /// Operations with a cursor parameter but no cursor stream: `(route, method, reason)`.
    pub cursor_skipped: Vec<(String, String, String)>,
}

/// An operation the document says pages by number (before the Rust is checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub route: String,
    pub method: String,
    pub page: String,
    pub size: String,
    pub items: String,
    pub total: Option<String>,
    pub first_page: u64,
    pub last_page: Option<u64>,
    pub default_size: u64,
}

/// What the document says of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// Not paged by number.
    NotPaged,
    Paged(Candidate),
    /// Looks paged (a page and a size parameter) but cannot be streamed.
    Skipped(String),
}

/// Detects on the document, checks on the Rust and adds the `Page` impls to `file`'s `types` module.
pub fn apply(file: &mut syn::File, doc: &Value) -> Paging {
    let mut paging = Paging::default();
    let mut candidates = Vec::new();
    let mut cursor_candidates = Vec::new();
    for op in transforms::operations(doc) {
        let operation = &doc["paths"][&op.path][op.method];
        let parameters = query_parameters(doc, &doc["paths"][&op.path], operation);
        let detection = detect(doc, &parameters, operation);
        if let Some(name) = CURSOR_PARAMETERS
            .into_iter()
            .find(|name| parameters.contains_key(*name))
        {
            cursor_candidates.push(cursors::Candidate {
                route: op.route.clone(),
                method: op.id.clone(),
                parameter: name,
                parameters: parameters.clone(),
                operation,
                by_number: matches!(detection, Detection::Paged(_)),
            });
        }
        match detection {
            Detection::NotPaged => {}
            Detection::Skipped(reason) => paging.skipped.push((op.route.clone(), op.id.clone(), reason)),
            Detection::Paged(mut candidate) => {
                candidate.route = op.route.clone();
                candidate.method = op.id.clone();
                candidates.push(candidate);
            }
        }
    }
    let mut impls: BTreeMap<String, (String, Item)> = BTreeMap::new();
    for candidate in candidates {
        match check(file, &candidate) {
            Ok((call, item)) => match impls.get(&call.answer_type) {
                Some((items, _)) if *items != call.items => paging.skipped.push((
                    candidate.route.clone(),
                    candidate.method.clone(),
                    format!(
                        "its answer type `{}` pages another operation by `{items}`, not `{}`",
                        call.answer_type, call.items
                    ),
                )),
                Some(_) => paging.calls.push(call),
                None => {
                    impls.insert(call.answer_type.clone(), (call.items.clone(), item));
                    paging.calls.push(call);
                }
            },
            Err(reason) => paging.skipped.push((candidate.route, candidate.method, reason)),
        }
    }
    // A cursor stream needs no `.stream()` by number: only the calls that have one keep `by_number`.
    for candidate in &mut cursor_candidates {
        candidate.by_number = candidate.by_number && paging.calls.iter().any(|c| c.method == candidate.method);
    }
    let (calls, skipped) = cursors::check_all(file, doc, cursor_candidates, &mut impls);
    paging.cursor_calls = calls;
    paging.cursor_skipped = skipped;
    if let Some(types) = types_module(file) {
        types.extend(impls.into_values().map(|(_, item)| item));
    }
    paging
}

/// The operation's query parameters by name (the path's, overridden by the operation's), resolved.
fn query_parameters<'a>(doc: &'a Value, item: &'a Value, operation: &'a Value) -> BTreeMap<String, &'a Value> {
    let mut out = BTreeMap::new();
    for list in [&item["parameters"], &operation["parameters"]] {
        for parameter in list.as_array().into_iter().flatten() {
            let parameter = resolve_deep(doc, parameter);
            if parameter["in"] == "query"
                && let Some(name) = parameter["name"].as_str()
            {
                out.insert(name.to_owned(), parameter);
            }
        }
    }
    out
}

/// What the document says of an operation's paging, from its query parameters and its answer.
pub fn detect(doc: &Value, parameters: &BTreeMap<String, &Value>, operation: &Value) -> Detection {
    let Some((page_name, page)) = PAGE_PARAMETERS
        .iter()
        .find_map(|name| parameters.get(*name).map(|p| (*name, resolve_deep(doc, &p["schema"]))))
    else {
        return Detection::NotPaged;
    };
    let Some((size_name, size)) = SIZE_PARAMETERS
        .iter()
        .find_map(|name| parameters.get(*name).map(|p| (*name, resolve_deep(doc, &p["schema"]))))
    else {
        return Detection::NotPaged;
    };
    for (name, schema) in [(page_name, page), (size_name, size)] {
        let kind = schema_type(schema);
        if kind != Some("integer") {
            return Detection::Skipped(format!(
                "its `{name}` parameter is {}, not an integer",
                kind.map_or_else(|| "untyped".to_owned(), |k| format!("a {k}"))
            ));
        }
    }
    let (items, total) = match answer_items(doc, operation) {
        Ok(found) => found,
        Err(reason) => return Detection::Skipped(reason),
    };
    let first_page = first_page(page);
    let last_page = page["maximum"].as_u64();
    let default_size = default_size(size);
    Detection::Paged(Candidate {
        route: String::new(),
        method: String::new(),
        page: page_name.to_owned(),
        size: size_name.to_owned(),
        items,
        total,
        first_page,
        last_page,
        default_size,
    })
}

/// The first page of a page parameter's schema: `0` where its default is 0, else `1`.
pub(super) fn first_page(page: &Value) -> u64 {
    match page["default"].as_u64() {
        Some(0) => 0,
        _ => 1,
    }
}

/// The page size a stream asks for when the caller sets none: 100, within the size parameter's bounds.
pub(super) fn default_size(size: &Value) -> u64 {
    let mut default_size = DEFAULT_PAGE_SIZE;
    if let Some(maximum) = size["maximum"].as_u64() {
        default_size = default_size.min(maximum);
    }
    if let Some(minimum) = size["minimum"].as_u64() {
        default_size = default_size.max(minimum);
    }
    default_size
}

/// The answer's property holding the items, and its `total` when it has one (as the document names them).
pub(super) fn answer_items(doc: &Value, operation: &Value) -> Result<(String, Option<String>), String> {
    let Some(answer) = success_schema(doc, operation) else {
        return Err("it has no JSON answer".to_owned());
    };
    let properties = object_properties(doc, answer)?;
    let arrays: Vec<&str> = properties
        .iter()
        .filter(|(_, schema)| schema_type(resolve_deep(doc, schema)) == Some("array"))
        .map(|(name, _)| name.as_str())
        .collect();
    let items = match arrays.as_slice() {
        [] => return Err("its answer has no array of items".to_owned()),
        [only] => (*only).to_owned(),
        several => match ITEM_LISTS.iter().find(|name| several.contains(name)) {
            Some(name) => (*name).to_owned(),
            None => {
                return Err(format!(
                    "its answer has several arrays and none has an item list's name: {}",
                    several.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                ));
            }
        },
    };
    let total = properties
        .iter()
        .find(|(name, schema)| {
            name.as_str() == "total" && matches!(schema_type(resolve_deep(doc, schema)), Some("integer" | "number"))
        })
        .map(|(name, _)| name.clone());
    Ok((items, total))
}

/// A schema's type (of `["integer", "null"]`, the one that is not `null`).
fn schema_type(schema: &Value) -> Option<&str> {
    match &schema["type"] {
        Value::String(kind) => Some(kind),
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).find(|k| *k != "null"),
        _ if schema.get("items").is_some() => Some("array"),
        _ if schema.get("properties").is_some() => Some("object"),
        _ => None,
    }
}

/// The JSON schema of the operation's success answer (`200`, else the first `2xx`).
pub(super) fn success_schema<'a>(doc: &'a Value, operation: &'a Value) -> Option<&'a Value> {
    let responses = operation["responses"].as_object()?;
    let response = responses
        .get("200")
        .or_else(|| responses.iter().find(|(code, _)| code.starts_with('2')).map(|(_, r)| r))?;
    let schema = &resolve_deep(doc, response)["content"]["application/json"]["schema"];
    (!schema.is_null()).then(|| resolve_deep(doc, schema))
}

/// The properties of an object schema (with those of its `allOf` parts), or why it has none.
pub(super) fn object_properties<'a>(doc: &'a Value, schema: &'a Value) -> Result<Vec<(String, &'a Value)>, String> {
    let mut out = Vec::new();
    let mut parts = vec![schema];
    while let Some(part) = parts.pop() {
        let part = resolve_deep(doc, part);
        for (name, property) in part["properties"].as_object().into_iter().flatten() {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.clone(), property));
            }
        }
        parts.extend(part["allOf"].as_array().into_iter().flatten());
    }
    if !out.is_empty() {
        return Ok(out);
    }
    Err(if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        "its answer is a union, not one object".to_owned()
    } else if schema_type(schema) == Some("array") {
        "its answer is an array, not an object holding one".to_owned()
    } else {
        "its answer is an object the document does not describe (no properties)".to_owned()
    })
}

/// Checks a candidate on the generated Rust: the call, the answer struct and its fields. Returns the call and the
/// answer's `Page` impl.
fn check(file: &syn::File, candidate: &Candidate) -> Result<(PagedCall, Item), String> {
    let function =
        client_method(file, &candidate.method).ok_or_else(|| format!("no generated method `{}`", candidate.method))?;
    if function.sig.generics.type_params().next().is_some() {
        return Err("its method has a type parameter (a raw body)".to_owned());
    }
    let body = function.block.to_token_stream().to_string();
    let mut fields = Vec::new();
    for wire in [&candidate.page, &candidate.size] {
        let field = query_argument(&body, wire).ok_or_else(|| format!("no argument sends `{wire}`"))?;
        let ty = function
            .sig
            .inputs
            .iter()
            .find_map(|input| match input {
                syn::FnArg::Typed(typed) if typed.pat.to_token_stream().to_string() == field => Some(&*typed.ty),
                _ => None,
            })
            .ok_or_else(|| format!("no argument `{field}`"))?;
        let inner = generic_inner(ty, "Option").ok_or_else(|| format!("`{field}` is not optional"))?;
        if !is_page_number(inner) {
            return Err(format!("`{field}` is `{}`, not an integer", compact(inner)));
        }
        fields.push(field);
    }
    let answer = answer_page(
        file,
        function,
        &candidate.route,
        &candidate.items,
        candidate.total.as_deref(),
    )?;
    let [page_field, size_field] = <[String; 2]>::try_from(fields).map_err(|_| "two arguments".to_owned())?;
    Ok((
        PagedCall {
            route: candidate.route.clone(),
            method: candidate.method.clone(),
            page_parameter: candidate.page.clone(),
            size_parameter: candidate.size.clone(),
            page_field,
            size_field,
            items: candidate.items.clone(),
            total: answer.total,
            answer_type: answer.answer_type,
            item_type: answer.item_type,
            first_page: candidate.first_page,
            last_page: candidate.last_page,
            default_size: candidate.default_size,
        },
        answer.item,
    ))
}

/// An operation's answer as a page: its generated struct, the items' type, the `total` it reads, and its `Page`
/// impl.
pub(super) struct AnswerPage {
    pub answer_type: String,
    pub item_type: String,
    pub total: Option<String>,
    pub item: Item,
}

/// The answer of `function` as a page of its `items` (and `total`), checked on the generated Rust.
pub(super) fn answer_page(
    file: &syn::File,
    function: &syn::ImplItemFn,
    route: &str,
    items_wire: &str,
    total_wire: Option<&str>,
) -> Result<AnswerPage, String> {
    let answer_name = answer_type(function)?;
    let structure =
        answer_struct(file, &answer_name).ok_or_else(|| format!("its answer `{answer_name}` is not a struct"))?;
    let items = field(structure, items_wire)
        .ok_or_else(|| format!("its answer `{answer_name}` has no field for `{items_wire}`"))?;
    let items_ident = items.ident.clone().ok_or("a tuple struct")?;
    let (item_type, optional) = match generic_inner(&items.ty, "Vec") {
        Some(item) => (item.clone(), false),
        None => match generic_inner(&items.ty, "Option").and_then(|inner| generic_inner(inner, "Vec")) {
            Some(item) => (item.clone(), true),
            None => {
                return Err(format!(
                    "its answer's `{items_wire}` is `{}`, not a list",
                    compact(&items.ty)
                ));
            }
        },
    };
    // A `total` the answer types as a number (possibly optional); another one is left unread.
    let total = total_wire.and_then(|wire| {
        let total = field(structure, wire)?;
        let ty = generic_inner(&total.ty, "Option").unwrap_or(&total.ty);
        let number = is_page_number(ty) || matches!(compact(ty).as_str(), "f64" | "f32");
        Some((wire.to_owned(), total.ident.clone().filter(|_| number)?))
    });
    let answer_ident = quote::format_ident!("{}", answer_name);
    let into_items = if optional {
        quote::quote!(self.#items_ident.unwrap_or_default())
    } else {
        quote::quote!(self.#items_ident)
    };
    let total_fn = total.as_ref().map(|(_, ident)| {
        quote::quote! {
            fn total(&self) -> ::std::option::Option<u64> {
                crate::paging::Count::count(&self.#ident)
            }
        }
    });
    let doc = format!(
        "One page of `{}`: its `{}`{}.",
        route,
        items_wire,
        total
            .as_ref()
            .map(|(wire, _)| format!(", of `{wire}` in all"))
            .unwrap_or_default()
    );
    let item: Item = syn::parse_quote! {
        #[doc = #doc]
        impl crate::paging::Page for #answer_ident {
            type Item = #item_type;
            fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                #into_items
            }
            #total_fn
        }
    };
    Ok(AnswerPage {
        answer_type: answer_name,
        item_type: compact(&item_type),
        total: total.map(|(wire, _)| wire),
        item,
    })
}

/// The generated answer struct's name (`types::Name`) of a `Client` method.
pub(super) fn answer_type(function: &syn::ImplItemFn) -> Result<String, String> {
    let ReturnType::Type(_, output) = &function.sig.output else {
        return Err("its method returns nothing".to_owned());
    };
    let answer = generic_inner(output, "Result")
        .and_then(|ok| generic_inner(ok, "ResponseValue"))
        .ok_or_else(|| "its method does not return `Result<ResponseValue<_>, _>`".to_owned())?;
    match answer {
        Type::Path(path) if path.path.segments.len() == 2 && path.path.segments[0].ident == "types" => {
            Ok(path.path.segments[1].ident.to_string())
        }
        other => Err(format!("its answer is `{}`, not a generated struct", compact(other))),
    }
}

/// The Rust argument sent as the query parameter `wire` (`QueryParam::new("perPage", &per_page)`).
pub(super) fn query_argument(body: &str, wire: &str) -> Option<String> {
    let marker = format!("QueryParam :: new (\"{wire}\" , & ");
    let start = body.find(&marker)? + marker.len();
    let name: String = body[start..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
        .collect();
    (!name.is_empty()).then_some(name)
}

pub(super) fn client_method<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::ImplItemFn> {
    file.items.iter().find_map(|item| match item {
        Item::Impl(block)
            if block.trait_.is_none() && matches!(&*block.self_ty, Type::Path(p) if p.path.is_ident("Client")) =>
        {
            block.items.iter().find_map(|item| match item {
                ImplItem::Fn(function) if function.sig.ident == name => Some(function),
                _ => None,
            })
        }
        _ => None,
    })
}

fn types_module(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

pub(super) fn answer_struct<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::ItemStruct> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_ref()?.1.iter().find_map(|item| match item {
            Item::Struct(structure) if structure.ident == name => Some(structure),
            _ => None,
        }),
        _ => None,
    })
}

/// The field serialized as `wire` (its name, or its `#[serde(rename = "...")]`).
pub(super) fn field<'a>(structure: &'a syn::ItemStruct, wire: &str) -> Option<&'a syn::Field> {
    structure.fields.iter().find(|field| {
        let mut renamed = None;
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    renamed = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                } else if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
        }
        match renamed {
            Some(name) => name == wire,
            None => field
                .ident
                .as_ref()
                .is_some_and(|i| i.to_string().trim_start_matches("r#") == wire),
        }
    })
}

/// `T` of `Wrapper<T>` (the last path segment named `wrapper`).
pub(super) fn generic_inner<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    })
}

/// Whether `ty` is an integer type `kibana_gen::paging::PageNumber` knows (`i64`, `::std::num::NonZeroU64`...).
pub(super) fn is_page_number(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    match &last.arguments {
        PathArguments::None => INTEGERS.contains(&name.as_str()) || NON_ZERO.contains(&name.as_str()),
        PathArguments::AngleBracketed(_) if name == "NonZero" => {
            generic_inner(ty, "NonZero").is_some_and(|inner| INTEGERS.contains(&compact(inner).as_str()))
        }
        _ => false,
    }
}

/// Rust text without the spaces `to_token_stream` puts between tokens.
pub(super) fn compact(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document(operations: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": operations, "components": {"schemas": {
            "Page": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "total": {"type": "integer"},
                "page": {"type": "integer"}}},
            "Thing": {"type": "object", "properties": {"id": {"type": "string"}}},
        }, "parameters": {
            "page": {"in": "query", "name": "page", "schema": {"type": "integer", "default": 1, "maximum": 50}},
        }}})
    }

    fn answer(schema: Value) -> Value {
        json!({"200": {"description": "", "content": {"application/json": {"schema": schema}}}})
    }

    fn detect_get(doc: &Value, path: &str) -> Detection {
        let item = &doc["paths"][path];
        let operation = &item["get"];
        detect(doc, &query_parameters(doc, item, operation), operation)
    }

    #[test]
    fn a_paged_operation_is_found_with_its_list_total_and_limits() {
        let doc = document(json!({
            "/api/things/_find": {"get": {
                "parameters": [
                    {"$ref": "#/components/parameters/page"},
                    {"in": "query", "name": "perPage", "schema": {"type": "integer", "maximum": 20}},
                    {"in": "query", "name": "search", "schema": {"type": "string"}}],
                "responses": answer(json!({"$ref": "#/components/schemas/Page"}))}},
            "/api/zero_based": {"get": {
                "parameters": [
                    {"in": "query", "name": "page", "schema": {"type": "integer", "default": 0}},
                    {"in": "query", "name": "per_page", "schema": {"type": "integer", "minimum": 200}}],
                "responses": answer(json!({"allOf": [
                    {"type": "object", "properties": {"records": {"type": "array", "items": {}}}},
                    {"type": "object", "properties": {"total": {"type": "number"}}}]}))}},
        }));
        assert_eq!(
            detect_get(&doc, "/api/things/_find"),
            Detection::Paged(Candidate {
                route: String::new(),
                method: String::new(),
                page: "page".into(),
                size: "perPage".into(),
                items: "items".into(),
                total: Some("total".into()),
                first_page: 1,
                last_page: Some(50),
                default_size: 20,
            })
        );
        let Detection::Paged(zero) = detect_get(&doc, "/api/zero_based") else {
            panic!("paged")
        };
        assert_eq!(
            (
                zero.items.as_str(),
                zero.total.as_deref(),
                zero.first_page,
                zero.default_size
            ),
            ("records", Some("total"), 0, 200)
        );
    }

    #[test]
    fn operations_that_do_not_page_or_cannot_be_streamed() {
        let doc = document(json!({
            "/api/things": {"get": {
                "parameters": [{"in": "query", "name": "search", "schema": {"type": "string"}}],
                "responses": answer(json!({"$ref": "#/components/schemas/Page"}))}},
            "/api/only_page": {"get": {
                "parameters": [{"in": "query", "name": "page", "schema": {"type": "integer"}}],
                "responses": answer(json!({"$ref": "#/components/schemas/Page"}))}},
            "/api/no_array": {"get": {
                "parameters": [
                    {"in": "query", "name": "page", "schema": {"type": "integer"}},
                    {"in": "query", "name": "per_page", "schema": {"type": "integer"}}],
                "responses": answer(json!({"type": "object", "properties": {"total": {"type": "integer"}}}))}},
            "/api/free_form": {"get": {
                "parameters": [
                    {"in": "query", "name": "page", "schema": {"type": "integer"}},
                    {"in": "query", "name": "per_page", "schema": {"type": "integer"}}],
                "responses": answer(json!({"type": "object"}))}},
            "/api/a_rule": {"get": {
                "parameters": [
                    {"in": "query", "name": "page", "schema": {"type": "integer"}},
                    {"in": "query", "name": "per_page", "schema": {"type": "integer"}}],
                "responses": answer(json!({"type": "object", "properties": {
                    "actions": {"type": "array", "items": {}}, "tags": {"type": "array", "items": {}}}}))}},
            "/api/text_pages": {"get": {
                "parameters": [
                    {"in": "query", "name": "page", "schema": {"type": "string"}},
                    {"in": "query", "name": "perPage", "schema": {"type": "string"}}],
                "responses": answer(json!({"$ref": "#/components/schemas/Page"}))}},
        }));
        assert_eq!(detect_get(&doc, "/api/things"), Detection::NotPaged);
        assert_eq!(detect_get(&doc, "/api/only_page"), Detection::NotPaged);
        let reason = |path| match detect_get(&doc, path) {
            Detection::Skipped(reason) => reason,
            other => panic!("{path}: {other:?}"),
        };
        assert_eq!(reason("/api/no_array"), "its answer has no array of items");
        assert!(reason("/api/free_form").contains("does not describe"));
        assert!(
            reason("/api/a_rule").contains("`actions`, `tags`"),
            "{}",
            reason("/api/a_rule")
        );
        assert_eq!(
            reason("/api/text_pages"),
            "its `page` parameter is a string, not an integer"
        );
    }

    #[test]
    fn the_rust_is_checked_and_the_answer_pages() {
        let doc = document(json!({
            "/api/things/_find": {"get": {"operationId": "get_things_find",
                "parameters": [
                    {"$ref": "#/components/parameters/page"},
                    {"in": "query", "name": "perPage", "schema": {"type": "integer"}},
                    {"in": "query", "name": "searchAfter", "schema": {"type": "string"}}],
                "responses": answer(json!({"$ref": "#/components/schemas/Page"}))}},
            "/api/untyped": {"get": {"operationId": "get_untyped",
                "parameters": [
                    {"in": "query", "name": "page", "schema": {"type": "integer"}},
                    {"in": "query", "name": "perPage", "schema": {"type": "integer"}}],
                "responses": answer(json!({"$ref": "#/components/schemas/Page"}))}},
        }));
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Page {
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub items: ::std::vec::Vec<Thing>,
                    #[serde(rename = "total", skip_serializing_if = "::std::option::Option::is_none")]
                    pub total_count: ::std::option::Option<f64>,
                }
                pub struct Thing { pub id: String }
            }
            impl Client {
                pub async fn get_things_find<'a>(
                    &'a self,
                    page: Option<::std::num::NonZeroU64>,
                    per_page: Option<i64>,
                    search_after: Option<&'a str>,
                ) -> Result<ResponseValue<types::Page>, Error<types::KibanaError>> {
                    let request = client
                        .query(&crate::query::QueryParam::new("page", &page))
                        .query(&crate::query::QueryParam::new("perPage", &per_page))
                        .query(&crate::query::QueryParam::new("searchAfter", &search_after));
                    todo!()
                }
                pub async fn get_untyped<'a>(
                    &'a self,
                    page: Option<i64>,
                    per_page: Option<i64>,
                ) -> Result<ResponseValue<::serde_json::Map<String, ::serde_json::Value>>, Error<types::KibanaError>> {
                    let request = client
                        .query(&crate::query::QueryParam::new("page", &page))
                        .query(&crate::query::QueryParam::new("perPage", &per_page));
                    todo!()
                }
            }
        };
        let paging = apply(&mut file, &doc);
        assert_eq!(paging.calls.len(), 1, "{paging:?}");
        let call = &paging.calls[0];
        assert_eq!(
            (
                call.method.as_str(),
                call.page_field.as_str(),
                call.size_field.as_str(),
                call.item_type.as_str(),
                call.total.as_deref(),
                call.last_page
            ),
            ("get_things_find", "page", "per_page", "Thing", Some("total"), Some(50))
        );
        assert_eq!(paging.skipped.len(), 1);
        assert!(
            paging.skipped[0].2.contains("not a generated struct"),
            "{:?}",
            paging.skipped
        );
        assert!(paging.cursor_calls.is_empty());
        assert_eq!(
            paging.cursor_skipped,
            [(
                "GET /api/things/_find".to_owned(),
                "get_things_find".to_owned(),
                "`searchAfter`: its answer has neither `nextSearchAfter` nor `searchAfter` to send back".to_owned()
            )]
        );
        let code = file.to_token_stream().to_string();
        assert!(code.contains("impl crate :: paging :: Page for Page"), "{code}");
        assert!(code.contains("type Item = Thing"), "{code}");
        assert!(
            code.contains("crate :: paging :: Count :: count (& self . total_count)"),
            "{code}"
        );
    }
}
