//! Generated answer types that decode what Kibana really sends and lose none of it.
//!
//! The spec transforms make answer schemas tolerant (`transforms::answers`: required properties Kibana may leave
//! out are optional) and mark tagged unions (`transforms::unions`). What a schema cannot say is done here, on
//! typify's output, for the types an answer reaches:
//!
//! - a tagged union decodes by its tag (a `Deserialize` that reads the tag and decodes that variant, so an error
//!   names the field that is wrong), and on the answer side keeps a tag it does not know as `Unknown(json)`;
//! - an untagged union of objects picks the variant that knows most of the answer's fields (serde's untagged
//!   decoding takes the first that decodes, which for relaxed variants is nearly always the first), else keeps the
//!   JSON; other untagged unions keep what matches no variant as `Unknown(json)`;
//! - an `anyOf` of objects that no tag tells apart (typify: a struct of flattened `Option`s, which decodes a value
//!   into whichever variants happen to match and drops the rest) is kept as JSON;
//! - a struct keeps the fields the document does not describe in `extra` (a flattened map), so that reading an
//!   object and sending it back loses nothing a newer Kibana added;
//! - a string enum keeps a value the document does not list as `Unknown(String)`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use serde_json::Value;
use syn::{Attribute, Fields, Ident, Item, ItemEnum, ItemStruct, Type, parse_quote};

use crate::{
    generate::rust_type_name,
    transforms::{answers::ANSWER_EXTENSION, unions::TAG_EXTENSION},
};

/// The helpers the generated `Deserialize` impls call; emitted once into the `types` module.
const SUPPORT: &str = r#"
/// Decoding support for the generated unions (not API).
#[doc(hidden)]
pub mod tagged {
    use ::serde::de::Error as _;

    /// Decodes a union by its tag property: `pick` maps the tag to the variant's decoding, `None` for a tag it does
    /// not know.
    pub fn by_tag<'de, D, T>(
        deserializer: D,
        union: &'static str,
        property: &'static str,
        pick: impl FnOnce(&str, ::serde_json::Value) -> ::std::option::Option<::std::result::Result<T, ::serde_json::Error>>,
    ) -> ::std::result::Result<T, D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
        let tag = match value.get(property) {
            ::std::option::Option::Some(::serde_json::Value::String(tag)) => tag.clone(),
            ::std::option::Option::Some(other) => {
                return ::std::result::Result::Err(D::Error::custom(format!(
                    "{union}: `{property}` is {other}, not a string"
                )));
            }
            ::std::option::Option::None if value.is_object() => {
                return ::std::result::Result::Err(D::Error::missing_field(property));
            }
            ::std::option::Option::None => {
                return ::std::result::Result::Err(D::Error::custom(format!(
                    "{union}: expected an object with `{property}`"
                )));
            }
        };
        match pick(&tag, value) {
            ::std::option::Option::Some(::std::result::Result::Ok(decoded)) => ::std::result::Result::Ok(decoded),
            ::std::option::Option::Some(::std::result::Result::Err(error)) => ::std::result::Result::Err(
                D::Error::custom(format!("{union} with `{property}: {tag}`: {error}")),
            ),
            ::std::option::Option::None => ::std::result::Result::Err(D::Error::custom(format!(
                "{union}: unknown `{property}` `{tag}`"
            ))),
        }
    }

    /// Decodes one variant's payload.
    pub fn variant<T: ::serde::de::DeserializeOwned>(
        value: ::serde_json::Value,
    ) -> ::std::result::Result<T, ::serde_json::Error> {
        ::serde_json::from_value(value)
    }

    /// One variant of an untagged union of objects: the fields it knows and its decoding.
    pub type Candidate<T> = (
        &'static [&'static str],
        fn(::serde_json::Value) -> ::std::result::Result<T, ::serde_json::Error>,
    );

    /// Decodes an untagged union of objects into the variant that knows most of the value's fields (in declaration
    /// order on a tie), trying the others after it; `fallback` keeps the value when none decodes.
    pub fn best_match<'de, D, T>(
        deserializer: D,
        candidates: &[Candidate<T>],
        fallback: fn(::serde_json::Value) -> T,
    ) -> ::std::result::Result<T, D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
        let mut order: ::std::vec::Vec<(usize, usize)> = candidates
            .iter()
            .enumerate()
            .map(|(index, (fields, _))| {
                let known = value
                    .as_object()
                    .map_or(0, |map| map.keys().filter(|key| fields.contains(&key.as_str())).count());
                (index, known)
            })
            .collect();
        order.sort_by_key(|(index, known)| (::std::cmp::Reverse(*known), *index));
        for (index, _) in order {
            if let ::std::result::Result::Ok(decoded) = (candidates[index].1)(value.clone()) {
                return ::std::result::Result::Ok(decoded);
            }
        }
        ::std::result::Result::Ok(fallback(value))
    }
}
"#;

/// What was done, for the regen report (Rust type names).
#[derive(Debug, Default, Clone)]
pub struct AnswerTypes {
    /// Every type an answer reaches.
    pub answer_side: BTreeSet<String>,
    /// Unions decoded by their tag: name → tag property.
    pub tagged: BTreeMap<String, String>,
    /// Untagged answer unions of objects decoded by the best match.
    pub best_match: BTreeSet<String>,
    /// Other untagged answer unions given an `Unknown(json)` variant.
    pub catch_all: BTreeSet<String>,
    /// Answer types kept as JSON, with the reason.
    pub json_fallbacks: BTreeMap<String, String>,
    /// Answer structs that keep unknown fields in `extra`.
    pub open_structs: BTreeSet<String>,
    /// Answer string enums that keep unknown values.
    pub open_enums: BTreeSet<String>,
    /// Every enum given a variant for what the document does not describe, with the variant's name.
    added_variants: BTreeMap<String, Ident>,
    /// Every struct given a map of unknown fields, with the field's name.
    extra_fields: BTreeMap<String, Ident>,
    pub notes: Vec<String>,
}

/// First pass, before unknown fields are tolerated: unions.
pub fn decode_unions(file: &mut syn::File, doc: &Value, outcome: &mut AnswerTypes) {
    if types_module(file).is_none() {
        outcome
            .notes
            .push("answers: progenitor's output has no `types` module".into());
        return;
    }
    outcome.answer_side = answer_closure(file_methods(file), types_items(file));
    let answer_side = outcome.answer_side.clone();
    let Some(items) = types_items_mut(file) else { return };
    let tags = tagged_unions(doc);
    let mut new_items: Vec<Item> = Vec::new();
    let struct_fields = wire_fields(items);
    for item in items.iter_mut() {
        let Item::Enum(item) = item else { continue };
        let name = item.ident.to_string();
        if let Some(tag) = tags.get(&name) {
            match tag_union(item, tag, answer_side.contains(&name)) {
                Ok((deserialize, unknown)) => {
                    if let Some(unknown) = unknown {
                        outcome.added_variants.insert(name.clone(), unknown);
                    }
                    outcome.tagged.insert(name, tag.property.clone());
                    new_items.push(deserialize);
                }
                Err(reason) => outcome
                    .notes
                    .push(format!("union `{name}` is left to serde's untagged decoding: {reason}")),
            }
        } else if answer_side.contains(&name) && is_untagged(item) && derives(&item.attrs, "Deserialize") {
            if let Some((deserialize, unknown)) = best_match_union(item, &struct_fields) {
                outcome.added_variants.insert(name.clone(), unknown);
                outcome.best_match.insert(name);
                new_items.push(deserialize);
            } else {
                let unknown = add_json_variant(item);
                outcome.added_variants.insert(name.clone(), unknown);
                outcome.catch_all.insert(name);
            }
        }
    }
    // anyOf of objects no tag tells apart, on the answer side: JSON.
    for item in items.iter_mut() {
        if let Item::Struct(item) = item
            && answer_side.contains(&item.ident.to_string())
            && is_flattened_union(item)
        {
            let name = item.ident.to_string();
            *item = json_struct(item);
            outcome.json_fallbacks.insert(
                name,
                "an `anyOf` of objects that no tag tells apart (typify would decode it into whichever variants happen \
                 to match and drop the rest)"
                    .into(),
            );
        }
    }
    let fallbacks: BTreeSet<String> = outcome.json_fallbacks.keys().cloned().collect();
    items.retain(|item| match item {
        Item::Impl(block) => !self_type_name(&block.self_ty).is_some_and(|n| fallbacks.contains(&n)),
        _ => true,
    });
    items.extend(new_items);
    if !outcome.tagged.is_empty() || !outcome.best_match.is_empty() {
        items.push(syn::parse_str(SUPPORT).expect("the support module parses"));
    }
}

/// Second pass, after unknown fields are tolerated: answer structs keep unknown fields, answer string enums keep
/// unknown values.
pub fn keep_the_unknown(file: &mut syn::File, outcome: &mut AnswerTypes) {
    let answer_side = outcome.answer_side.clone();
    let Some(items) = types_items_mut(file) else { return };
    for item in items.iter_mut() {
        match item {
            Item::Struct(item) if answer_side.contains(&item.ident.to_string()) => {
                if let Some(field) = add_extra_field(item) {
                    outcome.open_structs.insert(item.ident.to_string());
                    outcome.extra_fields.insert(item.ident.to_string(), field);
                }
            }
            Item::Enum(item) if answer_side.contains(&item.ident.to_string()) && is_string_enum(item) => {
                let unknown = open_string_enum(item);
                outcome.open_enums.insert(item.ident.to_string());
                outcome.added_variants.insert(item.ident.to_string(), unknown);
            }
            _ => {}
        }
    }
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(owner) = self_type_name(&block.self_ty) else {
            continue;
        };
        let implements = |name: &str| {
            block
                .trait_
                .as_ref()
                .is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == name))
        };
        if let Some(unknown) = outcome.added_variants.get(&owner)
            && implements("Display")
        {
            open_display(block, unknown);
        } else if let Some(field) = outcome.extra_fields.get(&owner)
            && implements("Default")
        {
            default_extra(block, &owner, field);
        }
    }
}

/// `Self { .. }` (or `Name { .. }`) in a struct's `Default` gets the added map, empty.
fn default_extra(block: &mut syn::ItemImpl, owner: &str, field: &Ident) {
    struct Fill<'a>(&'a str, &'a Ident);
    impl syn::visit_mut::VisitMut for Fill<'_> {
        fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
            let named = node.path.is_ident("Self") || node.path.is_ident(self.0);
            if named && node.rest.is_none() {
                let field = self.1;
                node.fields
                    .push(parse_quote!(#field: ::std::default::Default::default()));
            }
        }
    }
    syn::visit_mut::VisitMut::visit_item_impl_mut(&mut Fill(owner, field), block);
}

/// One tagged union from the document.
struct Tag {
    property: String,
    /// Rust payload type → tag value.
    variants: BTreeMap<String, String>,
}

fn tagged_unions(doc: &Value) -> BTreeMap<String, Tag> {
    let mut out = BTreeMap::new();
    for (name, schema) in doc["components"]["schemas"].as_object().into_iter().flatten() {
        let Some(tag) = schema.get(TAG_EXTENSION) else { continue };
        let Some(property) = tag["property"].as_str() else {
            continue;
        };
        let variants = tag["variants"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(value, reference)| {
                let target = reference.as_str()?.strip_prefix("#/components/schemas/")?;
                Some((
                    rust_type_name(&target.replace("~1", "/").replace("~0", "~")),
                    value.clone(),
                ))
            })
            .collect();
        out.insert(
            rust_type_name(name),
            Tag {
                property: property.to_owned(),
                variants,
            },
        );
        let _ = ANSWER_EXTENSION;
    }
    out
}

/// Gives a tagged union its `Deserialize` (returned), replacing the derived untagged one.
fn tag_union(item: &mut ItemEnum, tag: &Tag, answer_side: bool) -> Result<(Item, Option<Ident>), String> {
    if !is_untagged(item) || !derives(&item.attrs, "Deserialize") {
        return Err("typify did not make it an untagged enum".into());
    }
    let mut arms = Vec::new();
    for variant in &item.variants {
        let payload = single_payload(&variant.fields).ok_or("a variant is not a newtype")?;
        let value = tag
            .variants
            .get(&payload)
            .ok_or_else(|| format!("variant payload `{payload}` has no tag value"))?;
        let ident = &variant.ident;
        arms.push(quote! { #value => ::std::option::Option::Some(tagged::variant(value).map(Self::#ident)), });
    }
    if arms.len() != tag.variants.len() {
        return Err("the variants differ from the document's".into());
    }
    remove_derive(&mut item.attrs, "Deserialize");
    let unknown = answer_side.then(|| add_json_variant(item));
    let fallback = match &unknown {
        Some(unknown) => quote! { _ => ::std::option::Option::Some(::std::result::Result::Ok(Self::#unknown(value))), },
        None => quote! { _ => ::std::option::Option::None, },
    };
    let name = &item.ident;
    let union = name.to_string();
    let property = &tag.property;
    let deserialize = parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                tagged::by_tag(deserializer, #union, #property, |tag, value| match tag {
                    #(#arms)*
                    #fallback
                })
            }
        }
    };
    Ok((deserialize, unknown))
}

/// A best-match `Deserialize` for an untagged union whose variants are all structs with named fields.
fn best_match_union(item: &mut ItemEnum, fields: &BTreeMap<String, Vec<String>>) -> Option<(Item, Ident)> {
    let mut candidates = Vec::new();
    for variant in &item.variants {
        let payload = single_payload(&variant.fields)?;
        let known = fields.get(&payload)?;
        let ident = &variant.ident;
        candidates.push(quote! {
            (
                &[#(#known),*],
                (|value| tagged::variant(value).map(Self::#ident))
                    as fn(::serde_json::Value) -> ::std::result::Result<Self, ::serde_json::Error>,
            ),
        });
    }
    if candidates.len() < 2 {
        return None;
    }
    remove_derive(&mut item.attrs, "Deserialize");
    let unknown = add_json_variant(item);
    let name = &item.ident;
    let deserialize = parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                tagged::best_match(deserializer, &[#(#candidates)*], Self::#unknown)
            }
        }
    };
    Some((deserialize, unknown))
}

/// Appends `Unknown(serde_json::Value)` (another name when a variant has it): an answer no other variant
/// describes, kept as sent. Returns the variant's name.
fn add_json_variant(item: &mut ItemEnum) -> Ident {
    let ident = free_variant_name(item);
    item.variants.push(parse_quote! {
        /// An answer none of the other variants describes (a newer Kibana's), kept as sent.
        #ident(::serde_json::Value)
    });
    ident
}

/// `Unknown`, or a name no variant of the enum has.
fn free_variant_name(item: &ItemEnum) -> Ident {
    let name = ["Unknown", "UnknownValue", "Unlisted", "NotInTheDocument"]
        .into_iter()
        .find(|name| !item.variants.iter().any(|v| v.ident == name))
        .unwrap_or("UnknownToThisSdk");
    Ident::new(name, Span::call_site())
}

/// Named structs' wire field names (their `rename`s), for the best-match decoding.
fn wire_fields(items: &[Item]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for item in items {
        let Item::Struct(item) = item else { continue };
        let Fields::Named(fields) = &item.fields else { continue };
        let names = fields
            .named
            .iter()
            .filter(|f| !serde_args(&f.attrs).iter().any(|a| a == "flatten"))
            .filter_map(|f| {
                serde_rename(&f.attrs).or_else(|| {
                    f.ident
                        .as_ref()
                        .map(|i| i.to_string().trim_start_matches("r#").to_owned())
                })
            })
            .collect();
        out.insert(item.ident.to_string(), names);
    }
    out
}

/// typify's rendering of an `anyOf` it cannot tell apart: every field a flattened `Option` named `subtype_N`.
fn is_flattened_union(item: &ItemStruct) -> bool {
    let Fields::Named(fields) = &item.fields else {
        return false;
    };
    !fields.named.is_empty()
        && fields.named.iter().all(|field| {
            field
                .ident
                .as_ref()
                .is_some_and(|i| i.to_string().starts_with("subtype_"))
                && serde_args(&field.attrs).iter().any(|a| a == "flatten")
        })
}

/// The same type, as the JSON it was sent as.
fn json_struct(item: &ItemStruct) -> ItemStruct {
    let docs: Vec<&Attribute> = item.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
    let name = &item.ident;
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    parse_quote! {
        #(#docs)*
        #separator
        /// Kept as JSON: Kibana's document gives overlapping shapes with nothing that tells them apart, and
        /// decoding into one of them could drop what the others describe.
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
        #[serde(transparent)]
        pub struct #name(pub ::serde_json::Value);
    }
}

/// Adds `extra`, a flattened map of the fields the document does not describe; false when the struct cannot
/// have one (it refuses unknown fields, flattens already, or derives what a JSON map does not implement).
fn add_extra_field(item: &mut ItemStruct) -> Option<Ident> {
    if serde_args(&item.attrs)
        .iter()
        .any(|a| a == "deny_unknown_fields" || a == "transparent")
        || ["Copy", "Hash", "Ord", "PartialOrd"]
            .iter()
            .any(|d| derives(&item.attrs, d))
    {
        return None;
    }
    let Fields::Named(fields) = &mut item.fields else {
        return None;
    };
    if fields
        .named
        .iter()
        .any(|f| serde_args(&f.attrs).iter().any(|a| a == "flatten"))
    {
        return None;
    }
    let taken: BTreeSet<String> = fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
        .collect();
    let name = ["extra", "unknown_fields", "extra_fields"]
        .into_iter()
        .find(|n| !taken.contains(*n))
        .unwrap_or("extra_fields_");
    let ident = Ident::new(name, Span::call_site());
    fields.named.push(parse_quote! {
        /// Fields Kibana sent that its document does not describe (a newer Kibana's), kept so that sending this
        /// value back loses nothing.
        #[serde(flatten)]
        pub #ident: ::serde_json::Map<::std::string::String, ::serde_json::Value>
    });
    Some(ident)
}

/// An enum of unit variants only (typify's string enum).
fn is_string_enum(item: &ItemEnum) -> bool {
    !item.variants.is_empty()
        && item.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
        && derives(&item.attrs, "Deserialize")
        && !serde_args(&item.attrs)
            .iter()
            .any(|a| a == "untagged" || a.starts_with("tag"))
}

/// Adds `Unknown(String)` (decoded from any string no other variant names) and drops `Copy`. Returns the new
/// variant's name.
fn open_string_enum(item: &mut ItemEnum) -> Ident {
    remove_derive(&mut item.attrs, "Copy");
    let ident = free_variant_name(item);
    item.variants.push(parse_quote! {
        /// A value Kibana's document does not list (a newer Kibana's), kept as sent.
        #[serde(untagged)]
        #ident(::std::string::String)
    });
    ident
}

/// `Display` of an opened enum: `match self`, with the unknown value written as it came.
fn open_display(block: &mut syn::ItemImpl, unknown: &Ident) {
    struct Open<'a>(&'a Ident);
    impl syn::visit_mut::VisitMut for Open<'_> {
        fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
            if let syn::Expr::Unary(unary) = &*node.expr
                && matches!(unary.op, syn::UnOp::Deref(_))
            {
                *node.expr = parse_quote!(self);
            }
            let unknown = self.0;
            node.arms
                .push(parse_quote! { Self::#unknown(value) => ::std::fmt::Display::fmt(value, f), });
        }
    }
    syn::visit_mut::VisitMut::visit_item_impl_mut(&mut Open(unknown), block);
}

fn types_module(file: &syn::File) -> Option<&syn::ItemMod> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" && module.content.is_some() => Some(module),
        _ => None,
    })
}

fn types_items(file: &syn::File) -> &[Item] {
    types_module(file)
        .and_then(|m| m.content.as_ref())
        .map_or(&[], |(_, items)| items.as_slice())
}

fn types_items_mut(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The methods of `Client` (their signatures name the answer types).
fn file_methods(file: &syn::File) -> Vec<&syn::Signature> {
    let mut out = Vec::new();
    for item in &file.items {
        if let Item::Impl(block) = item
            && block.trait_.is_none()
            && self_type_name(&block.self_ty).is_some_and(|n| n == "Client")
        {
            for item in &block.items {
                if let syn::ImplItem::Fn(function) = item {
                    out.push(&function.sig);
                }
            }
        }
    }
    out
}

/// Every type the methods' answers (and errors) reach, through the definitions of the types.
fn answer_closure(methods: Vec<&syn::Signature>, items: &[Item]) -> BTreeSet<String> {
    let mut definitions: BTreeMap<String, TokenStream> = BTreeMap::new();
    for item in items {
        let (name, tokens) = match item {
            Item::Struct(s) => (s.ident.to_string(), s.to_token_stream()),
            Item::Enum(e) => (e.ident.to_string(), e.to_token_stream()),
            Item::Type(t) => (t.ident.to_string(), t.to_token_stream()),
            _ => continue,
        };
        definitions.insert(name, tokens);
    }
    let mut stack = Vec::new();
    for sig in methods {
        if let syn::ReturnType::Type(_, ty) = &sig.output {
            idents(ty.to_token_stream(), &mut stack);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !definitions.contains_key(&name) || !seen.insert(name.clone()) {
            continue;
        }
        idents(definitions[&name].clone(), &mut stack);
    }
    seen
}

fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => out.push(ident.to_string()),
            TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

fn self_type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn single_payload(fields: &Fields) -> Option<String> {
    match fields {
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => self_type_name(&fields.unnamed[0].ty),
        _ => None,
    }
}

fn is_untagged(item: &ItemEnum) -> bool {
    serde_args(&item.attrs).iter().any(|a| a == "untagged")
}

/// The comma-separated items of `#[serde(...)]` attributes, as text (`flatten`, `rename = "x"`).
fn serde_args(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        if let syn::Meta::List(list) = &attr.meta {
            let mut current = String::new();
            for token in list.tokens.clone() {
                match &token {
                    TokenTree::Punct(p) if p.as_char() == ',' => out.push(std::mem::take(&mut current)),
                    other => {
                        if !current.is_empty() {
                            current.push(' ');
                        }
                        current.push_str(&other.to_string());
                    }
                }
            }
            if !current.is_empty() {
                out.push(current);
            }
        }
    }
    out
}

fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    serde_args(attrs).into_iter().find_map(|arg| {
        let rest = arg.strip_prefix("rename = ")?;
        syn::parse_str::<syn::LitStr>(rest).ok().map(|lit| lit.value())
    })
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|attr| attr.to_token_stream().into_iter().any(|t| contains_ident(t, name)))
}

fn contains_ident(token: TokenTree, name: &str) -> bool {
    match token {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => group.stream().into_iter().any(|t| contains_ident(t, name)),
        _ => false,
    }
}

/// Removes one trait (by its last path segment) from `#[derive(...)]`.
fn remove_derive(attrs: &mut [Attribute], name: &str) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != name))
            .collect();
        *attr = parse_quote!(#[derive(#(#kept),*)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> syn::File {
        parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Rule { Query(QueryRule), Eql(EqlRule) }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct QueryRule { pub id: String, #[serde(rename = "type")] pub type_: QueryType }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct EqlRule { pub id: String }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, PartialEq)]
                pub enum QueryType { #[serde(rename = "query")] Query }
                impl ::std::fmt::Display for QueryType {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match *self { Self::Query => f.write_str("query") }
                    }
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Status { Full(Full), Redacted(Redacted) }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Full { pub name: Option<String>, pub status: Option<String> }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Redacted { pub status: Option<String> }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Overlap {
                    #[serde(flatten, skip_serializing_if = "Option::is_none")]
                    pub subtype_0: Option<Full>,
                    #[serde(flatten, skip_serializing_if = "Option::is_none")]
                    pub subtype_1: Option<Redacted>,
                }
                impl ::std::default::Default for Overlap {
                    fn default() -> Self { Self { subtype_0: None, subtype_1: None } }
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Answer { pub rules: Vec<Rule>, pub status: Status, pub overlap: Overlap, pub settings: Settings }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Settings { pub level: Option<i64> }
                impl ::std::default::Default for Settings {
                    fn default() -> Self { Settings { level: Default::default() } }
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct RequestOnly { pub a: String }
            }
            impl Client {
                pub async fn get(&self, body: &types::RequestOnly) -> Result<ResponseValue<types::Answer>, Error<()>> { todo!() }
            }
        }
    }

    fn doc() -> Value {
        serde_json::json!({"components": {"schemas": {"Rule": {(TAG_EXTENSION): {"property": "type", "variants": {
            "query": "#/components/schemas/QueryRule", "eql": "#/components/schemas/EqlRule"}}}}}})
    }

    #[test]
    fn answer_types_decode_by_tag_best_match_or_json_and_keep_the_unknown() {
        let mut file = file();
        let mut outcome = AnswerTypes::default();
        decode_unions(&mut file, &doc(), &mut outcome);
        keep_the_unknown(&mut file, &mut outcome);
        let pretty = prettyplease::unparse(&file);
        let code: String = pretty.split_whitespace().collect();
        let has = |needle: &str| code.contains(&needle.split_whitespace().collect::<String>());

        assert!(!outcome.answer_side.contains("RequestOnly"));
        assert!(outcome.answer_side.contains("QueryType"));
        assert_eq!(outcome.tagged["Rule"], "type");
        assert!(has("tagged::by_tag(deserializer, \"Rule\", \"type\""), "{pretty}");
        assert!(
            has("\"query\" =>") && has("tagged::variant(value).map(Self::Query)"),
            "{pretty}"
        );
        assert!(
            has("Self::Unknown(value)"),
            "an answer-side tagged union keeps unknown tags"
        );
        assert!(outcome.best_match.contains("Status"));
        assert!(has("tagged::best_match("), "{pretty}");
        assert!(has("&[\"name\", \"status\"]"), "{pretty}");
        assert!(outcome.json_fallbacks.contains_key("Overlap"));
        assert!(has("pub struct Overlap(pub ::serde_json::Value);"), "{pretty}");
        assert!(!has("impl ::std::default::Default for Overlap"));
        assert!(outcome.open_structs.contains("Answer") && outcome.open_structs.contains("QueryRule"));
        assert!(!outcome.open_structs.contains("RequestOnly"));
        assert!(has(
            "pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>"
        ));
        assert!(outcome.open_enums.contains("QueryType"));
        assert!(has("Unknown(::std::string::String)"), "{pretty}");
        assert!(has("match self {"), "{pretty}");
        assert!(
            has("Self::Unknown(value) => ::std::fmt::Display::fmt(value, f)"),
            "{pretty}"
        );
        assert!(!has("Copy"), "{pretty}");
        assert!(
            has("level: Default::default(), extra: ::std::default::Default::default()"),
            "{pretty}"
        );
        assert!(has("pub mod tagged"), "the support module is emitted once");
    }
}
