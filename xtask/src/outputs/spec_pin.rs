//! `kibana-gen/src/spec.rs`: the pin, available at runtime.

use heck::ToSnakeCase;
use quote::quote;

use crate::config::Pin;

/// `operations`: `(method, path, operationId)` of every generated operation.
pub fn render(pin: &Pin, operations: &[(String, &'static str, String)]) -> anyhow::Result<String> {
    let operation_entries = operations.iter().map(|(path, method, id)| {
        let name = id.to_snake_case();
        let method = method.to_uppercase();
        quote! { Operation { name: #name, operation_id: #id, method: #method, path: #path }, }
    });
    let kibana_ref = &pin.kibana_ref;
    let parse = |v: &str| -> anyhow::Result<(u32, u32)> {
        let (major, minor) = v
            .split_once('.')
            .ok_or_else(|| anyhow::anyhow!("pin: {v:?} is not major.minor"))?;
        Ok((major.parse()?, minor.parse()?))
    };
    let ((min_major, min_minor), (max_major, max_minor)) = (parse(&pin.kibana_min)?, parse(&pin.kibana_max)?);
    let api_version = &pin.api_version;
    let documents = pin.documents.iter().map(|d| {
        let (name, file, source_path, commit, url, sha256) =
            (&d.name, &d.file, &d.source_path, &d.commit, &d.url, &d.sha256);
        quote! {
            SpecDocument {
                name: #name, file: #file, source_path: #source_path, commit: #commit, url: #url, sha256: #sha256
            },
        }
    });
    let tokens = quote! {
        //! Which Kibana OpenAPI documents this crate was generated from.

        /// One pinned OpenAPI document.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct SpecDocument {
            /// Short name, e.g. `connectors`.
            pub name: &'static str,
            /// File name in a spec directory (`cargo xtask regen --spec-dir`).
            pub file: &'static str,
            /// Path of the document in the `elastic/kibana` repository.
            pub source_path: &'static str,
            /// The `elastic/kibana` commit the document was taken from.
            pub commit: &'static str,
            /// Where `cargo xtask regen` downloads it.
            pub url: &'static str,
            /// sha256 of the document's bytes.
            pub sha256: &'static str,
        }

        /// The pin as a whole.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct SpecPin {
            /// The Kibana release line the documents represent.
            pub kibana_ref: &'static str,
            /// Oldest `(major, minor)` the documents describe.
            pub kibana_min: (u32, u32),
            /// Newest `(major, minor)` the documents describe.
            pub kibana_max: (u32, u32),
            /// The `elastic-api-version` the client sends.
            pub api_version: &'static str,
            /// The documents, in merge order.
            pub documents: &'static [SpecDocument],
        }

        /// The documents `kibana-gen` was generated from.
        ///
        /// ```
        /// assert!(kibana_gen::SPEC.documents.iter().any(|d| d.name == "connectors"));
        /// assert_eq!(kibana_gen::SPEC.api_version, "2023-10-31");
        /// ```
        pub const SPEC: SpecPin = SpecPin {
            kibana_ref: #kibana_ref,
            kibana_min: (#min_major, #min_minor),
            kibana_max: (#max_major, #max_minor),
            api_version: #api_version,
            documents: &[#(#documents)*],
        };

        /// A generated operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Operation {
            /// The generated method's name (progenitor's snake_case of the operationId).
            pub name: &'static str,
            /// The spec's operationId.
            pub operation_id: &'static str,
            /// The HTTP method.
            pub method: &'static str,
            /// The route as the spec writes it, without the `/s/{spaceId}` prefix.
            pub path: &'static str,
        }

        /// Every generated operation, in document order.
        pub const OPERATIONS: &[Operation] = &[#(#operation_entries)*];

        /// The operation a generated method sends, by the method's name.
        ///
        /// ```
        /// let op = kibana_gen::spec::operation("get_connector").unwrap();
        /// assert_eq!((op.method, op.path), ("GET", "/api/actions/connector/{connectorId}"));
        /// ```
        pub fn operation(name: &str) -> Option<&'static Operation> {
            OPERATIONS.iter().find(|op| op.name == name)
        }
    };
    Ok(format!(
        "{}\n{}",
        super::GENERATED_HEADER,
        super::format_tokens(tokens)?
    ))
}
