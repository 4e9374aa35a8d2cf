//! `tests/tests/generated/sweep_cases.rs`: one call of every generated operation, with its required parameters and a
//! small valid body (made from the document's schemas by `crate::instances`), for the conformance sweep: Prism
//! checks each request against the document and answers from its response schema, which the generated type must
//! decode.

use std::collections::BTreeMap;

use anyhow::Result;
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;
use syn::{FnArg, ImplItemFn, Pat, Type};

use super::routes::Route;
use crate::{
    instances::instance,
    transforms::{FieldKind, resolve},
};

/// One call per method, grouped in one function per area.
/// `spread`: `(method, parameter)` of the object query parameters sent as their fields (`[query] spread_objects`).
pub fn render(
    methods: &[(String, ImplItemFn)],
    routes: &[Route],
    doc: &Value,
    spread: &[(String, String)],
) -> Result<String> {
    let by_name: BTreeMap<&str, &Route> = routes.iter().map(|r| (r.name.as_str(), r)).collect();
    let mut by_area: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    let mut count = 0usize;
    for (area, method) in methods {
        let name = method.sig.ident.to_string();
        let Some(route) = by_name.get(name.as_str()) else {
            continue;
        };
        let case = case(method, route, doc, spread);
        // A deprecated operation is still swept: its call says so.
        let case = if route.deprecated {
            quote! {
                #[allow(deprecated)]
                {
                    #case
                }
            }
        } else {
            case
        };
        by_area.entry(area).or_default().push(case);
        count += 1;
    }
    let functions = by_area.iter().map(|(area, cases)| {
        let ident = format_ident!("sweep_{}", area);
        quote! {
            async fn #ident(api: &Api, sweep: &mut Sweep) {
                #(#cases)*
            }
        }
    });
    let calls = by_area.keys().map(|area| {
        let ident = format_ident!("sweep_{}", area);
        quote! { #ident(api, sweep).await; }
    });
    let tokens = quote! {
        //! One call of every generated operation, for the conformance sweep (`tests/tests/conformance.rs`).
        #![allow(clippy::all, unused_imports)]

        use kibana::{Api, generated::{multipart::Part, types}};

        use super::sweep::{Answer, Sweep, json};

        /// How many operations are called.
        pub const COUNT: usize = #count;

        /// Calls every operation once.
        pub async fn run_all(api: &Api, sweep: &mut Sweep) {
            #(#calls)*
        }

        #(#functions)*
    };
    Ok(format!(
        "{}\n{}",
        super::GENERATED_HEADER,
        super::format_tokens(tokens)?
    ))
}

/// An operation parameter as the document declares it.
struct Parameter {
    /// Its name on the wire.
    wire: String,
    /// `query`, `path`, `header`.
    location: String,
    schema: Value,
}

/// The parameters of an operation by the Rust argument name progenitor gives them.
fn parameters(doc: &Value, route: &Route) -> BTreeMap<String, Parameter> {
    let mut out = BTreeMap::new();
    let item = &doc["paths"][&route.path];
    let operation = &item[route.method.to_ascii_lowercase()];
    for list in [&item["parameters"], &operation["parameters"]] {
        for parameter in list.as_array().into_iter().flatten() {
            let parameter = resolve(doc, parameter);
            if let Some(name) = parameter["name"].as_str() {
                out.insert(
                    argument_name(name),
                    Parameter {
                        wire: name.to_owned(),
                        location: parameter["in"].as_str().unwrap_or_default().to_owned(),
                        schema: parameter["schema"].clone(),
                    },
                );
            }
        }
    }
    out
}

/// progenitor's argument name for a parameter (its `sanitize(.., Case::Snake)`).
fn argument_name(name: &str) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    let snake = cleaned.to_snake_case();
    let snake = match snake.chars().next() {
        None => "x".to_owned(),
        Some(c) if c.is_alphabetic() || c == '_' => snake,
        Some(_) => format!("_{snake}"),
    };
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        snake
    } else {
        format!("{snake}_")
    }
}

fn body_schema(doc: &Value, route: &Route) -> Value {
    let operation = &doc["paths"][&route.path][route.method.to_ascii_lowercase()];
    let body = resolve(doc, &operation["requestBody"]);
    body["content"]["application/json"]["schema"].clone()
}

fn multipart_schema(doc: &Value, route: &Route) -> Value {
    let operation = &doc["paths"][&route.path][route.method.to_ascii_lowercase()];
    let body = resolve(doc, &operation["requestBody"]);
    body["content"]["multipart/form-data"]["schema"].clone()
}

/// `T` of `&'a T`, with lifetimes removed.
fn referent(ty: &Type) -> Option<Type> {
    match ty {
        Type::Reference(reference) => Some(without_lifetimes(&reference.elem)),
        _ => None,
    }
}

fn without_lifetimes(ty: &Type) -> Type {
    let text = ty.to_token_stream().to_string().replace("'a ", "").replace("'a", "");
    syn::parse_str(&text).unwrap_or_else(|_| ty.clone())
}

fn is_str(ty: &Type) -> bool {
    matches!(referent(ty), Some(Type::Path(p)) if p.path.is_ident("str"))
}

fn is_generic_body(ty: &Type, method: &ImplItemFn) -> bool {
    let Type::Path(p) = ty else { return false };
    method.sig.generics.type_params().any(|t| p.path.is_ident(&t.ident))
}

fn is_multipart_form(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.iter().any(|s| s.ident == "multipart"))
}

fn json_text(value: &Value) -> String {
    value.to_string()
}

/// One argument of a sweep call: the `let`s it needs and the expression passed.
struct Built {
    lets: Vec<TokenStream>,
    expression: TokenStream,
}

/// A value of `ty` (the argument's type, `Option`s removed) made from `value` (an instance of its schema).
fn build(ty: &Type, value: &Value, local: &proc_macro2::Ident) -> Built {
    if is_str(ty) {
        let text = value.as_str().map_or_else(|| "sweep".to_owned(), str::to_owned);
        return Built {
            lets: Vec::new(),
            expression: quote!(#text),
        };
    }
    let text = json_text(value);
    match referent(ty) {
        Some(inner) => Built {
            lets: vec![quote!(let #local: #inner = json(#text)?;)],
            expression: quote!(&#local),
        },
        None => {
            let inner = without_lifetimes(ty);
            Built {
                lets: vec![quote!(let #local: #inner = json(#text)?;)],
                expression: quote!(#local),
            }
        }
    }
}

fn case(method: &ImplItemFn, route: &Route, doc: &Value, spread: &[(String, String)]) -> TokenStream {
    let name = method.sig.ident.to_string();
    let method_ident = &method.sig.ident;
    let route_text = route.route();
    let parameters = parameters(doc, route);
    let mut lets = Vec::new();
    let mut arguments = Vec::new();
    // The query pass: every optional query parameter set, and the query each parameter should make.
    let mut setter_lets = Vec::new();
    let mut setters = Vec::new();
    let mut expected: Vec<(String, String)> = Vec::new();
    let mut unbuildable: Option<String> = None;
    for (index, input) in method.sig.inputs.iter().skip(1).enumerate() {
        let FnArg::Typed(typed) = input else { continue };
        let Pat::Ident(pattern) = &*typed.pat else { continue };
        let argument = pattern.ident.to_string();
        let ty = &*typed.ty;
        let local = format_ident!("a{}", index);
        if let Some(inner) = option_inner(ty) {
            // Optional: left out of the first call; set in the query pass when it is a query parameter.
            if let Some(parameter) = parameters.get(&argument).filter(|p| p.location == "query")
                && let Some(value) = optional_instance(doc, &parameter.schema)
            {
                let built = build(&inner, &value, &local);
                setter_lets.extend(built.lets);
                let setter = super::api::setter_name(&pattern.ident);
                let expression = built.expression;
                setters.push(quote!(.#setter(#expression)));
                expected.extend(expected_query(&name, parameter, &value, spread));
            }
            continue;
        }
        if is_generic_body(ty, method) {
            arguments.push(quote!(b"sweep".to_vec()));
            continue;
        }
        if is_multipart_form(ty) {
            arguments.push(form(ty, route, doc));
            continue;
        }
        let parameter = parameters.get(&argument);
        let schema = if argument == "body" {
            body_schema(doc, route)
        } else {
            parameter.map(|p| p.schema.clone()).unwrap_or_default()
        };
        let mut value = instance(doc, &schema);
        // A required list parameter sent empty is no parameter at all: send one item.
        if argument != "body"
            && value.as_ref().is_some_and(|v| v.as_array().is_some_and(Vec::is_empty))
            && let Some(item) =
                list_items(crate::transforms::resolve_deep(doc, &schema)).and_then(|items| instance(doc, items))
        {
            value = Some(Value::Array(vec![item]));
        }
        if value.is_none() {
            unbuildable.get_or_insert_with(|| format!("no valid instance of `{argument}`'s schema"));
        }
        let mut value = value.unwrap_or(Value::Null);
        if let Some(parameter) = parameter.filter(|p| p.location == "query") {
            value = whole_numbers_as_integers(value);
            expected.extend(expected_query(&name, parameter, &value, spread));
        }
        let built = build(ty, &value, &local);
        lets.extend(built.lets);
        arguments.push(built.expression);
    }
    if let Some(reason) = unbuildable {
        return quote! { sweep.unbuildable(#name, #route_text, #reason); };
    }
    // What the call decoded, as JSON for the round trip; byte streams are opaque.
    let decoded = if answers_bytes(method) {
        quote!(|_| Answer::Opaque)
    } else {
        quote!(|answer| Answer::json(&*answer))
    };
    let first = quote! {
        sweep
            .case(#name, #route_text, move || async move {
                #(#lets)*
                Ok(api.#method_ident(#(#arguments),*).await.map(#decoded))
            })
            .await;
    };
    if setters.is_empty() {
        return first;
    }
    let expected = expected.iter().map(|(wire, value)| quote!((#wire, #value)));
    quote! {
        #first
        sweep
            .query_case(#name, #route_text, &[#(#expected),*], move || async move {
                #(#lets)*
                #(#setter_lets)*
                Ok(api.#method_ident(#(#arguments),*)#(#setters)*.await.map(|_| ()))
            })
            .await;
    }
}

/// The query pairs a parameter should make, as `(wire name, JSON text)`: the parameter itself, or each field of a
/// spread object.
fn expected_query(
    method: &str,
    parameter: &Parameter,
    value: &Value,
    spread: &[(String, String)],
) -> Vec<(String, String)> {
    let spreads = spread.iter().any(|(m, p)| m == method && *p == parameter.wire);
    match value {
        Value::Object(fields) if spreads => fields.iter().map(|(k, v)| (k.clone(), json_text(v))).collect(),
        _ => vec![(parameter.wire.clone(), json_text(value))],
    }
}

/// A value of an optional parameter's schema: its example instance, or a list of one item for a list.
fn optional_instance(doc: &Value, schema: &Value) -> Option<Value> {
    let value = whole_numbers_as_integers(instance(doc, schema)?);
    if value.as_array().is_some_and(Vec::is_empty)
        && let Some(item) = list_items(crate::transforms::resolve_deep(doc, schema)).and_then(|i| instance(doc, i))
    {
        return Some(Value::Array(vec![item]));
    }
    (!value.is_null()).then_some(value)
}

/// `1.0` as `1`: the instance of a `number` schema is a float, but a query parameter typed integer (`page`,
/// `perPage`: `[query] integers`) only takes a whole number, and Kibana's router reads both alike (the SDK writes a
/// whole `f64` without its fraction too, so the expected query is the same either way).
fn whole_numbers_as_integers(value: Value) -> Value {
    match value {
        Value::Number(number) => match number.as_f64() {
            Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() < 9.0e15 => Value::from(float as i64),
            _ => Value::Number(number),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers_as_integers).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, whole_numbers_as_integers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the method answers a byte stream (`ResponseValue<ByteStream>`).
fn answers_bytes(method: &ImplItemFn) -> bool {
    match &method.sig.output {
        syn::ReturnType::Type(_, ty) => ty.to_token_stream().to_string().contains("ByteStream"),
        syn::ReturnType::Default => false,
    }
}

/// `Form::new(required parts...)` for a multipart operation.
fn form(ty: &Type, route: &Route, doc: &Value) -> TokenStream {
    let ty = without_lifetimes(ty);
    let ty = match &ty {
        // `crate::multipart::X` in the generated crate is `kibana::generated::multipart::X` here.
        Type::Path(p) => {
            let last = p.path.segments.last().map(|s| s.ident.clone());
            match last {
                Some(ident) => quote!(kibana::generated::multipart::#ident),
                None => ty.to_token_stream(),
            }
        }
        other => other.to_token_stream(),
    };
    let schema = multipart_schema(doc, route);
    let properties = crate::transforms::resolve_deep(doc, &schema)["properties"].clone();
    let arguments = route
        .multipart
        .iter()
        .flat_map(|f| &f.fields)
        .filter(|f| f.required)
        .map(|field| match field.kind {
            FieldKind::File => quote!(Part::file("sweep.ndjson", "{}\n")),
            FieldKind::Text => {
                let value = instance(doc, &properties[&field.name]);
                let text = value
                    .as_ref()
                    .and_then(Value::as_str)
                    .map_or_else(|| "sweep".to_owned(), str::to_owned);
                quote!(#text)
            }
            FieldKind::Json => {
                let text = json_text(&instance(doc, &properties[&field.name]).unwrap_or(Value::Null));
                quote!(&serde_json::from_str::<serde_json::Value>(#text).unwrap_or_default())
            }
        });
    quote!(#ty::new(#(#arguments),*))
}

/// The item schema of a list parameter: its own `items`, or those of its first list variant (`agentsIds` is
/// `anyOf: [array of string, string]`).
fn list_items(schema: &Value) -> Option<&Value> {
    if let Some(items) = schema.get("items") {
        return Some(items);
    }
    ["anyOf", "oneOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .find_map(list_items)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_case_fills_required_arguments_and_leaves_optional_ones_out() {
        let method: ImplItemFn = syn::parse_quote! {
            pub async fn post_x_id<'a>(
                &'a self,
                id: &'a str,
                size: i64,
                filter: Option<&'a str>,
                body: &'a types::PostXIdBody,
            ) -> Result<ResponseValue<()>, Error<types::KibanaError>> { todo!() }
        };
        let route = Route {
            name: "post_x_id".into(),
            operation_id: String::new(),
            method: "POST".into(),
            path: "/api/x/{id}".into(),
            original_route: "POST /api/x/{id}".into(),
            tag: String::new(),
            area: "x".into(),
            deprecated: false,
            lifecycle: Default::default(),
            raw_content_type: None,
            multipart: None,
            api_version: None,
        };
        let doc = json!({"paths": {"/api/x/{id}": {"post": {
            "parameters": [
                {"in": "path", "name": "id", "required": true, "schema": {"type": "string"}},
                {"in": "query", "name": "size", "required": true, "schema": {"type": "integer", "minimum": 3}},
                {"in": "query", "name": "filter", "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["name"],
                "properties": {"name": {"type": "string"}}}}}}}}}});
        let code = case(&method, &route, &doc, &[]).to_string();
        assert!(code.contains("let a1 : i64 = json (\"3\") ?"), "{code}");
        assert!(
            code.contains("let a3 : types :: PostXIdBody = json (\"{\\\"name\\\":\\\"sweep\\\"}\") ?"),
            "{code}"
        );
        assert!(
            code.contains("api . post_x_id (\"sweep\" , a1 , & a3) . await"),
            "{code}"
        );
        // The query pass sets every optional query parameter by name and says what the query should be.
        assert!(
            code.contains("query_case (\"post_x_id\" , \"POST /api/x/{id}\" , & [(\"size\" , \"3\") , (\"filter\" , \"\\\"sweep\\\"\")]"),
            "{code}"
        );
        assert!(code.contains(". filter (\"sweep\") . await"), "{code}");
    }
}
