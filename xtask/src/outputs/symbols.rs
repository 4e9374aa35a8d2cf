//! `kibana-gen/src/symbols.rs`: the symbol-valued enums with readable variant names.

use proc_macro2::TokenStream;
use quote::quote;

use crate::transforms::SymbolEnum;

/// The file, from enums that [`render_enum`] accepted.
pub fn render(enums: &[SymbolEnum]) -> anyhow::Result<String> {
    let items: Vec<TokenStream> = enums.iter().filter_map(|e| render_enum(e).ok()).collect();
    let tokens = quote! {
        //! Enums whose wire values are symbols (`>`, `>=`, ...), with readable variant names.
        //!
        //! typify cannot name such variants, so `cargo xtask regen` hoists them (see `openapi/README.md`) and
        //! generates them here; they serialize to exactly Kibana's strings.

        /// A string that is none of an enum's values.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct UnknownSymbol(pub ::std::string::String);

        impl ::std::fmt::Display for UnknownSymbol {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "unknown value {:?}", self.0)
            }
        }

        impl ::std::error::Error for UnknownSymbol {}

        #(#items)*
    };
    Ok(format!(
        "{}\n{}",
        super::GENERATED_HEADER,
        super::format_tokens(tokens)?
    ))
}

fn ident(name: &str) -> anyhow::Result<proc_macro2::Ident> {
    syn::parse_str::<proc_macro2::Ident>(name).map_err(|e| anyhow::anyhow!("`{name}` is not a Rust identifier: {e}"))
}

/// One enum's items; an error (no values, a name that is not an identifier) names the enum, so that the pipeline can
/// leave that one enum out before generating and report it.
pub fn render_enum(symbol_enum: &SymbolEnum) -> anyhow::Result<TokenStream> {
    let name = ident(&symbol_enum.rust_name)?;
    let Some((example_wire, example_variant)) = symbol_enum.variants.first() else {
        anyhow::bail!("enum `{}` has no values", symbol_enum.schema_name);
    };
    let idents = symbol_enum
        .variants
        .iter()
        .map(|(_, variant)| ident(variant))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let doc = symbol_enum.description.clone().unwrap_or_else(|| {
        let values: Vec<_> = symbol_enum
            .variants
            .iter()
            .map(|(wire, _)| format!("`{wire}`"))
            .collect();
        format!("One of {}.", values.join(", "))
    });
    let wires: Vec<&String> = symbol_enum.variants.iter().map(|(wire, _)| wire).collect();
    let variants = wires.iter().zip(&idents).map(|(wire, ident)| {
        let doc = format!("`{wire}`");
        quote! { #[doc = #doc] #[serde(rename = #wire)] #ident, }
    });
    let to_str = wires
        .iter()
        .zip(&idents)
        .map(|(wire, ident)| quote! { Self::#ident => #wire, });
    let from_str = wires
        .iter()
        .zip(&idents)
        .map(|(wire, ident)| quote! { #wire => Ok(Self::#ident), });
    let example_ident = example_variant;
    let example = format!(
        "```\nuse kibana_gen::symbols::{name};\nassert_eq!({name}::{example_ident}.to_string(), {example_wire:?});\n\
         assert_eq!({example_wire:?}.parse::<{name}>().unwrap(), {name}::{example_ident});\n```"
    );
    let items = quote! {
        #[doc = #doc]
        ///
        #[doc = #example]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value Kibana sends and expects.
            pub fn as_str(&self) -> &'static str {
                match self { #(#to_str)* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = crate::symbols::UnknownSymbol;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                match value {
                    #(#from_str)*
                    other => Err(crate::symbols::UnknownSymbol(other.to_owned())),
                }
            }
        }

        impl ::std::convert::TryFrom<&str> for #name {
            type Error = crate::symbols::UnknownSymbol;
            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> { value.parse() }
        }

        impl ::std::convert::TryFrom<&::std::string::String> for #name {
            type Error = crate::symbols::UnknownSymbol;
            fn try_from(value: &::std::string::String) -> ::std::result::Result<Self, Self::Error> { value.parse() }
        }

        impl ::std::convert::TryFrom<::std::string::String> for #name {
            type Error = crate::symbols::UnknownSymbol;
            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> { value.parse() }
        }
    };
    // The items must parse as Rust on their own, so that one bad enum cannot spoil the file.
    syn::parse2::<syn::File>(items.clone())
        .map_err(|e| anyhow::anyhow!("enum `{}` does not render as Rust: {e}", symbol_enum.schema_name))?;
    Ok(items)
}
