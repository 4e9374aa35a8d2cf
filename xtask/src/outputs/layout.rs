//! Splits progenitor's one file into files per API area (`kibana-gen/src/generated/`), each area behind a cargo
//! feature, so that a build compiles only the areas it uses and a reader (or rust-analyzer) opens only the part they
//! need:
//!
//! - `mod.rs`: the client struct, its constructors and re-exports;
//! - `types/mod.rs`: types more than one area uses (always compiled), `defaults`, `error`;
//! - `types/<area>.rs`: types only that area's operations reach;
//! - `client/<area>.rs`: the area's methods on `Client`.
//!
//! A type belongs to an area when only that area's operations reach it (through the references between generated
//! items); anything a shared item references is shared too, so every feature set compiles.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use anyhow::{Result, anyhow};
use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{ImplItem, Item, ItemImpl, ItemMod, Type};

use super::routes::Route;

/// One area: the feature it is behind and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub name: String,
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
}

/// The generated files (paths relative to `kibana-gen/src/generated/`) and the areas.
pub struct Layout {
    pub files: BTreeMap<String, String>,
    pub areas: Vec<Area>,
    pub shared_types: usize,
    /// Methods `Api` could not wrap, with the reason.
    pub notes: Vec<String>,
    /// Every method of `Client`, with its area.
    pub methods: Vec<(String, syn::ImplItemFn)>,
    /// The `Api` methods that return a call with named optional parameters (the rest are `async fn`s).
    pub calls: Vec<String>,
    /// Every generated type's area (`shared` for the types several areas use).
    pub type_areas: BTreeMap<String, String>,
}

/// Functions typify writes into `types::defaults` for every document (generic default values).
const DEFAULT_HELPERS: [&str; 4] = ["default_bool", "default_i64", "default_u64", "default_nzu64"];

/// `paging`: the operations whose calls stream their pages (`postprocess::paging`, `postprocess::cursors`).
pub fn split(
    file: syn::File,
    routes: &[Route],
    header: &str,
    paging: &crate::postprocess::paging::Paging,
) -> Result<Layout> {
    let area_by_method: HashMap<&str, &str> = routes.iter().map(|r| (r.name.as_str(), r.area.as_str())).collect();

    // Top level: the `types` module, the method block(s) of `Client`, and the rest.
    let mut root_items = Vec::new();
    let mut types_module: Option<ItemMod> = None;
    let mut methods: Vec<syn::ImplItemFn> = Vec::new();
    for item in file.items {
        match item {
            Item::Mod(module) if module.ident == "types" && module.content.is_some() => types_module = Some(module),
            Item::Impl(block) if is_method_block(&block, &area_by_method) => {
                for item in block.items {
                    match item {
                        ImplItem::Fn(function) => methods.push(function),
                        other => {
                            return Err(anyhow!(
                                "unexpected item in the methods of `Client`: {}",
                                other.to_token_stream()
                            ));
                        }
                    }
                }
            }
            other => root_items.push(other),
        }
    }
    let types_module = types_module.ok_or_else(|| anyhow!("progenitor's output has no `types` module"))?;
    let (_, type_items) = types_module.content.unwrap_or_default();

    // Units: a generated type with its impls; defaults functions; everything else stays shared.
    let mut units: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut defaults: BTreeMap<String, Item> = BTreeMap::new();
    let mut helpers: Vec<Item> = Vec::new();
    let mut error_module: Option<Item> = None;
    let mut loose: Vec<Item> = Vec::new();
    let mut impls: Vec<ItemImpl> = Vec::new();
    for item in type_items {
        match item {
            Item::Struct(ref s) => units.entry(s.ident.to_string()).or_default().push(item),
            Item::Enum(ref e) => units.entry(e.ident.to_string()).or_default().push(item),
            Item::Type(ref t) => units.entry(t.ident.to_string()).or_default().push(item),
            Item::Impl(block) => impls.push(block),
            Item::Mod(m) if m.ident == "defaults" => {
                for item in m.content.map(|(_, items)| items).unwrap_or_default() {
                    match &item {
                        Item::Fn(f) if DEFAULT_HELPERS.contains(&f.sig.ident.to_string().as_str()) => {
                            helpers.push(item)
                        }
                        Item::Fn(f) => {
                            defaults.insert(f.sig.ident.to_string(), item);
                        }
                        _ => helpers.push(item),
                    }
                }
            }
            Item::Mod(m) if m.ident == "error" => error_module = Some(Item::Mod(m)),
            other => loose.push(other),
        }
    }
    let type_names: HashSet<String> = units.keys().cloned().collect();
    for block in impls {
        match impl_owner(&block, &type_names) {
            Some(owner) => units.entry(owner).or_default().push(Item::Impl(block)),
            None => loose.push(Item::Impl(block)),
        }
    }

    // References between nodes: `t:Name` (a type) and `d:name` (a defaults function).
    let mut edges: HashMap<String, BTreeSet<String>> = HashMap::new();
    let default_names: HashSet<String> = defaults.keys().cloned().collect();
    for (name, items) in &units {
        let mut refs = BTreeSet::new();
        for item in items {
            references(item.to_token_stream(), &type_names, &default_names, &mut refs);
        }
        refs.remove(&format!("t:{name}"));
        edges.insert(format!("t:{name}"), refs);
    }
    for (name, item) in &defaults {
        let mut refs = BTreeSet::new();
        references(item.to_token_stream(), &type_names, &default_names, &mut refs);
        edges.insert(format!("d:{name}"), refs);
    }

    // Which areas reach each node.
    let mut reached_by: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut methods_by_area: BTreeMap<String, Vec<syn::ImplItemFn>> = BTreeMap::new();
    for method in methods {
        let name = method.sig.ident.to_string();
        let area = area_by_method
            .get(name.as_str())
            .map_or_else(|| "other".to_owned(), |a| (*a).to_owned());
        let mut roots = BTreeSet::new();
        references(method.to_token_stream(), &type_names, &default_names, &mut roots);
        let mut stack: Vec<String> = roots.into_iter().collect();
        while let Some(node) = stack.pop() {
            if reached_by.entry(node.clone()).or_default().insert(area.clone())
                && let Some(next) = edges.get(&node)
            {
                stack.extend(next.iter().cloned());
            }
        }
        methods_by_area.entry(area).or_default().push(method);
    }
    // Types no operation reaches (typify generates every component, also those only an unsatisfiable schema
    // names, such as the variants inside Kibana's `never` streams body): compile time for nothing.
    let unreached: Vec<String> = units
        .keys()
        .filter(|name| !reached_by.contains_key(&format!("t:{name}")))
        .cloned()
        .collect();
    for name in &unreached {
        units.remove(name);
        edges.remove(&format!("t:{name}"));
    }
    defaults.retain(|name, _| reached_by.contains_key(&format!("d:{name}")));
    let unreached_types = unreached.len();

    // One area: that area's; several: shared, and so is everything a shared node references.
    let mut home: HashMap<String, Option<String>> = edges
        .keys()
        .map(|node| {
            let areas = reached_by.get(node);
            let area = areas.filter(|a| a.len() == 1).and_then(|a| a.iter().next().cloned());
            (node.clone(), area)
        })
        .collect();
    let mut stack: Vec<String> = home
        .iter()
        .filter(|(_, a)| a.is_none())
        .map(|(n, _)| n.clone())
        .collect();
    while let Some(node) = stack.pop() {
        for next in edges.get(&node).into_iter().flatten() {
            if let Some(slot) = home.get_mut(next)
                && slot.is_some()
            {
                *slot = None;
                stack.push(next.clone());
            }
        }
    }

    // Files.
    let mut area_types: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut area_defaults: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut shared_types: Vec<Item> = Vec::new();
    let mut shared_type_count = 0;
    let mut area_type_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut type_areas: BTreeMap<String, String> = BTreeMap::new();
    for (name, items) in units {
        let area = home.get(&format!("t:{name}")).cloned().flatten();
        type_areas.insert(name.clone(), area.clone().unwrap_or_else(|| "shared".to_owned()));
        match area {
            Some(area) => {
                *area_type_counts.entry(area.clone()).or_default() += 1;
                area_types.entry(area).or_default().extend(items);
            }
            None => {
                shared_type_count += 1;
                shared_types.extend(items);
            }
        }
    }
    let mut shared_defaults = helpers;
    for (name, item) in defaults {
        match home.get(&format!("d:{name}")).cloned().flatten() {
            Some(area) => area_defaults.entry(area).or_default().push(item),
            None => shared_defaults.push(item),
        }
    }
    shared_types.extend(loose);

    let areas: BTreeSet<String> = methods_by_area.keys().chain(area_types.keys()).cloned().collect();
    let mut files = BTreeMap::new();
    let mut summaries = Vec::new();
    // Only areas with types of their own have a `types/<area>.rs` (an area whose operations use shared types only,
    // or none, has none).
    let area_modules = areas.iter().filter(|a| area_types.contains_key(*a)).map(|area| {
        let ident = quote::format_ident!("{}", area);
        quote! {
            #[cfg(feature = #area)]
            mod #ident;
            #[cfg(feature = #area)]
            pub use #ident::*;
        }
    });
    let error_module = error_module.map(|m| m.into_token_stream()).unwrap_or_default();
    let types_mod = quote! {
        //! Types used as operation parameters and responses: here the ones several API areas share, in the
        //! area files the ones a single area uses (each behind its cargo feature).
        #![allow(clippy::all, unused_imports, dead_code, missing_docs, rustdoc::all)]

        /// Default values of fields (used by serde).
        pub mod defaults {
            #(#shared_defaults)*
        }
        #error_module
        #(#area_modules)*
        #(#shared_types)*
    };
    files.insert("types/mod.rs".to_owned(), format_file(header, types_mod)?);

    let client_modules = areas.iter().filter(|a| methods_by_area.contains_key(*a)).map(|area| {
        let ident = quote::format_ident!("{}", area);
        quote! {
            #[cfg(feature = #area)]
            mod #ident;
        }
    });
    files.insert(
        "client/mod.rs".to_owned(),
        format_file(
            header,
            quote! {
                //! The methods of [`Client`](super::Client), one file per API area (each behind its cargo feature).
                #(#client_modules)*
            },
        )?,
    );

    let mut notes = Vec::new();
    let mut calls = Vec::new();
    if unreached_types > 0 {
        notes.push(format!(
            "{unreached_types} generated types no operation reaches were left out (e.g. the schemas only an \
             unsatisfiable body names)"
        ));
    }
    let api_areas: Vec<String> = areas
        .iter()
        .filter(|a| methods_by_area.contains_key(*a))
        .cloned()
        .collect();
    files.insert(
        "api/mod.rs".to_owned(),
        format_file(header, super::api::root(&api_areas))?,
    );
    for area in &areas {
        let mut lines = 0;
        if let Some(functions) = methods_by_area.get(area) {
            let mut wrappers = Vec::new();
            for function in functions {
                let paged = paging.calls.iter().find(|p| function.sig.ident == p.method);
                let cursor = paging.cursor_calls.iter().find(|c| function.sig.ident == c.method);
                match super::api::wrapper(function, paged, cursor) {
                    Ok(mut wrapper) => {
                        notes.append(&mut wrapper.notes);
                        if !wrapper.items.is_empty() {
                            calls.push(function.sig.ident.to_string());
                        }
                        wrappers.push(wrapper)
                    }
                    Err(error) => notes.push(format!("not on `Api` (call it on `Client`): {error:#}")),
                }
            }
            let content = format_file(header, super::api::area(area, &wrappers))?;
            lines += content.lines().count();
            files.insert(format!("api/{area}.rs"), content);
        }
        if let Some(items) = area_types.get(area) {
            let own_defaults = area_defaults.get(area).map(|fns| {
                quote! {
                    /// Default values of this area's fields (used by serde).
                    pub(super) mod defaults {
                        pub(super) use super::super::defaults::*;
                        #(#fns)*
                    }
                }
            });
            let doc = format!("Types only the `{area}` operations use.");
            let content = format_file(
                header,
                quote! {
                    #![doc = #doc]
                    #![allow(clippy::all, unused_imports, missing_docs, rustdoc::all)]
                    use super::*;
                    #own_defaults
                    #(#items)*
                },
            )?;
            lines += content.lines().count();
            files.insert(format!("types/{area}.rs"), content);
        }
        let operation_count = methods_by_area.get(area).map_or(0, Vec::len);
        if let Some(functions) = methods_by_area.get(area) {
            let doc = format!("The `{area}` methods of [`Client`](crate::Client).");
            let content = format_file(
                header,
                quote! {
                    #![doc = #doc]
                    #![allow(clippy::all, unused_imports, missing_docs, rustdoc::all)]
                    use super::super::*;
                    impl Client {
                        #(#functions)*
                    }
                },
            )?;
            lines += content.lines().count();
            files.insert(format!("client/{area}.rs"), content);
        }
        summaries.push(Area {
            name: area.clone(),
            operations: operation_count,
            types: area_type_counts.get(area).copied().unwrap_or(0),
            lines,
        });
    }

    let root = quote! {
        //! The client progenitor generates from the pinned document, split by API area.
        #![allow(clippy::all, clippy::pedantic, unused_imports, missing_docs, rustdoc::all)]
        pub mod types;
        mod client;
        pub mod api;
        pub mod paging;
        #(#root_items)*
    };
    files.insert("mod.rs".to_owned(), format_file(header, root)?);
    Ok(Layout {
        files,
        areas: summaries,
        shared_types: shared_type_count,
        notes,
        methods: methods_by_area
            .into_iter()
            .flat_map(|(area, functions)| functions.into_iter().map(move |f| (area.clone(), f)))
            .collect(),
        type_areas,
        calls,
    })
}

fn format_file(header: &str, tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}

/// The `impl Client` block holding the operations' methods (not the constructors).
fn is_method_block(block: &ItemImpl, methods: &HashMap<&str, &str>) -> bool {
    block.trait_.is_none()
        && matches!(&*block.self_ty, Type::Path(p) if p.path.is_ident("Client"))
        && block
            .items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if methods.contains_key(f.sig.ident.to_string().as_str())))
}

/// The generated type an impl block belongs to: its self type, else the first generated type its trait names
/// (`impl From<Foo> for String` belongs to `Foo`).
fn impl_owner(block: &ItemImpl, types: &HashSet<String>) -> Option<String> {
    if let Type::Path(p) = &*block.self_ty
        && let Some(last) = p.path.segments.last()
        && types.contains(&last.ident.to_string())
    {
        return Some(last.ident.to_string());
    }
    let tokens = block
        .trait_
        .as_ref()
        .map(|(path, _)| path.to_token_stream())
        .unwrap_or_default();
    let mut first = None;
    walk(tokens, &mut |ident| {
        if first.is_none() && types.contains(ident) {
            first = Some(ident.to_owned());
        }
    });
    first
}

/// Adds `t:Name` for every generated type and `d:name` for every defaults function `tokens` mention.
fn references(tokens: TokenStream, types: &HashSet<String>, defaults: &HashSet<String>, out: &mut BTreeSet<String>) {
    walk_with_literals(tokens, &mut |word, in_literal| {
        if !in_literal && types.contains(word) {
            out.insert(format!("t:{word}"));
        }
        if let Some(name) = word.strip_prefix("defaults::") {
            let name = name.split(['<', ':', '"']).next().unwrap_or_default();
            if defaults.contains(name) {
                out.insert(format!("d:{name}"));
            }
        } else if !in_literal && defaults.contains(word) {
            out.insert(format!("d:{word}"));
        }
    });
}

fn walk(tokens: TokenStream, visit: &mut impl FnMut(&str)) {
    walk_with_literals(tokens, &mut |word, in_literal| {
        if !in_literal {
            visit(word);
        }
    });
}

fn walk_with_literals(tokens: TokenStream, visit: &mut impl FnMut(&str, bool)) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => visit(&ident.to_string(), false),
            TokenTree::Group(group) => walk_with_literals(group.stream(), visit),
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
                    && inner.starts_with("defaults::")
                {
                    visit(inner, true);
                }
            }
            TokenTree::Punct(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(name: &str, area: &str) -> Route {
        Route {
            name: name.into(),
            operation_id: String::new(),
            method: "GET".into(),
            path: format!("/api/{name}"),
            original_route: format!("GET /api/{name}"),
            tag: String::new(),
            area: area.into(),
            deprecated: false,
            lifecycle: Default::default(),
            raw_content_type: None,
            multipart: None,
            api_version: None,
        }
    }

    #[test]
    fn types_go_to_the_one_area_that_reaches_them() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod defaults {
                    pub(super) fn default_bool<const V: bool>() -> bool { V }
                    pub(super) fn fleet_policy_size() -> super::Size { super::Size(1) }
                }
                pub mod error { pub struct ConversionError; }
                pub struct Shared { pub a: i64 }
                pub struct FleetPolicy {
                    pub shared: Shared,
                    #[serde(default = "defaults::fleet_policy_size")]
                    pub size: Size,
                }
                pub struct Size(pub i64);
                impl From<Size> for i64 { fn from(v: Size) -> Self { v.0 } }
                pub struct SpaceThing { pub shared: Shared }
            }
            pub struct Client;
            impl Client {
                pub async fn get_fleet(&self) -> types::FleetPolicy { todo!() }
                pub async fn get_space(&self) -> (types::SpaceThing, types::Shared) { todo!() }
            }
        };
        let routes = [route("get_fleet", "fleet"), route("get_space", "spaces")];
        let layout = split(file, &routes, "// header", &Default::default()).unwrap();
        let fleet = &layout.files["types/fleet.rs"];
        assert!(fleet.contains("pub struct FleetPolicy"), "{fleet}");
        assert!(fleet.contains("pub struct Size"), "{fleet}");
        assert!(fleet.contains("impl From<Size> for i64"), "{fleet}");
        assert!(fleet.contains("fn fleet_policy_size"), "{fleet}");
        let shared = &layout.files["types/mod.rs"];
        assert!(shared.contains("pub struct Shared"), "{shared}");
        assert!(shared.contains("#[cfg(feature = \"fleet\")]"), "{shared}");
        assert!(layout.files["types/spaces.rs"].contains("pub struct SpaceThing"));
        assert!(layout.files["client/fleet.rs"].contains("fn get_fleet"));
        assert!(layout.files["client/spaces.rs"].contains("fn get_space"));
        assert!(layout.files["api/mod.rs"].contains("pub trait Executor"));
        assert!(layout.files["mod.rs"].contains("pub struct Client"));
        assert_eq!(layout.shared_types, 1);
        assert_eq!(layout.areas.len(), 2);
    }

    #[test]
    fn an_area_without_types_of_its_own_and_unreached_types_compile_away() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Shared { pub a: i64 }
                pub struct Never { pub b: i64 }
            }
            pub struct Client;
            impl Client {
                pub async fn get_dashboards(&self) -> types::Shared { todo!() }
                pub async fn delete_saved_object(&self) -> types::Shared { todo!() }
            }
        };
        let routes = [
            route("get_dashboards", "dashboards"),
            route("delete_saved_object", "saved_objects"),
        ];
        let layout = split(file, &routes, "// header", &Default::default()).unwrap();
        let shared = &layout.files["types/mod.rs"];
        assert!(!layout.files.contains_key("types/saved_objects.rs"));
        assert!(
            !shared.contains("mod saved_objects;"),
            "no module without a file: {shared}"
        );
        assert!(
            !shared.contains("pub struct Never"),
            "a type no operation reaches is left out"
        );
        assert!(layout.files["client/mod.rs"].contains("mod saved_objects;"));
        assert!(
            layout
                .notes
                .iter()
                .any(|n| n.contains("1 generated types no operation reaches"))
        );
    }
}
