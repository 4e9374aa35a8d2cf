//! `kibana-gen/src/spec.rs`: the pin, available at runtime.

use quote::{format_ident, quote};

use super::routes::Route;
use crate::config::Pin;

/// The pin, and the route table: every generated operation as a constant of `spec::routes`, and all of them in
/// [`OPERATIONS`](kibana_gen::spec::OPERATIONS), sorted by name.
pub fn render(pin: &Pin, routes: &[Route]) -> anyhow::Result<String> {
    let mut sorted: Vec<&Route> = routes.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let constants = sorted.iter().map(|route| {
        let constant = format_ident!("{}", route.name.to_uppercase());
        let (name, operation_id, method, path, area) =
            (&route.name, &route.operation_id, &route.method, &route.path, &route.tag);
        let body = match (&route.multipart, &route.raw_content_type) {
            (Some(_), _) => quote!(RequestBody::Multipart),
            (None, Some(content_type)) => quote!(RequestBody::Raw { content_type: #content_type }),
            (None, None) => quote!(RequestBody::Json),
        };
        let deprecated = route.deprecated;
        let api_version = match &route.api_version {
            Some(version) => quote!(Some(#version)),
            None => quote!(None),
        };
        let lifecycle = &route.lifecycle;
        let added_in = match lifecycle.added_in {
            Some(version) => {
                let [major, minor, patch] =
                    [version.major, version.minor, version.patch].map(proc_macro2::Literal::u32_unsuffixed);
                quote!(Some(KibanaVersion::new(#major, #minor, #patch)))
            }
            None => quote!(None),
        };
        let stability = format_ident!("{}", lifecycle.stability.variant());
        let replacement = match &lifecycle.replacement {
            Some(replacement) => quote!(Some(#replacement)),
            None => quote!(None),
        };
        let doc = format!("`{method} {path}` (Kibana's operationId `{operation_id}`).");
        quote! {
            #[doc = #doc]
            pub const #constant: Operation = Operation {
                name: #name, operation_id: #operation_id, method: #method, path: #path, tag: #area,
                request_body: #body, deprecated: #deprecated, api_version: #api_version,
                added_in: #added_in, stability: Stability::#stability, replacement: #replacement,
            };
        }
    });
    let routes_imports = if sorted.iter().any(|r| r.lifecycle.added_in.is_some()) {
        quote!(
            use super::{KibanaVersion, Operation, RequestBody, Stability};
        )
    } else {
        quote!(
            use super::{Operation, RequestBody, Stability};
        )
    };
    let operation_entries = sorted.iter().map(|route| {
        let constant = format_ident!("{}", route.name.to_uppercase());
        quote! { routes::#constant, }
    });
    let example_route = sorted
        .iter()
        .find(|r| r.name == "get_status")
        .or(sorted.first())
        .map(|r| (r.name.clone(), r.method.clone(), r.path.clone()));
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
        let (name, file, repository, source_path, commit, url, sha256) = (
            &d.name,
            &d.file,
            &d.repository,
            &d.source_path,
            &d.commit,
            &d.url,
            &d.sha256,
        );
        quote! {
            SpecDocument {
                name: #name, file: #file, repository: #repository, source_path: #source_path, commit: #commit,
                url: #url, sha256: #sha256
            },
        }
    });
    let lookup_doc = match &example_route {
        Some((name, method, path)) => format!(
            "The operation a generated method sends, by the method's name.\n\n```\nlet op = \
             kibana_gen::spec::operation({name:?}).unwrap();\nassert_eq!((op.method, op.path), ({method:?}, \
             {path:?}));\n```"
        ),
        None => "The operation a generated method sends, by the method's name.".to_owned(),
    };
    // A version and a stability the documents really use, for the doctests.
    let example_op = sorted
        .iter()
        .find(|r| r.lifecycle.added_in.is_some())
        .or_else(|| sorted.iter().find(|r| r.name == "get_status"))
        .or(sorted.first());
    let operation_doc = match example_op {
        Some(route) => {
            let name = &route.name;
            let added_in = match route.lifecycle.added_in {
                Some(v) => format!("Some(KibanaVersion::new({}, {}, {}))", v.major, v.minor, v.patch),
                None => "None".to_owned(),
            };
            let stability = route.lifecycle.stability.variant();
            format!(
                "A generated operation.\n\n```\nuse kibana_gen::spec::{{KibanaVersion, Stability}};\n\nlet op = \
                 kibana_gen::spec::operation({name:?}).unwrap();\nassert_eq!(op.added_in, {added_in});\n\
                 assert_eq!(op.stability, Stability::{stability});\n```"
            )
        }
        None => "A generated operation.".to_owned(),
    };
    let first_document = pin.documents.first().map_or("", |d| d.name.as_str());
    let spec_doc = format!(
        "The documents `kibana-gen` was generated from.\n\n```\nassert!(kibana_gen::SPEC.documents.iter().any(|d| \
         d.name == {first_document:?}));\nassert_eq!(kibana_gen::SPEC.api_version, {api_version:?});\n```"
    );
    let tokens = quote! {
        //! Which Kibana OpenAPI documents this crate was generated from.

        /// One pinned OpenAPI document.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct SpecDocument {
            /// Short name, e.g. `kibana`.
            pub name: &'static str,
            /// File name in a spec directory (`cargo xtask regen --spec-dir`).
            pub file: &'static str,
            /// The GitHub repository the document comes from (`elastic/kibana`).
            pub repository: &'static str,
            /// Path of the document in that repository.
            pub source_path: &'static str,
            /// The commit the document was taken from.
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
            /// The `elastic-api-version` the client prefers where a route offers several (each route sends its
            /// own: [`Operation::api_version`]).
            pub api_version: &'static str,
            /// The documents, in merge order.
            pub documents: &'static [SpecDocument],
        }

        #[doc = #spec_doc]
        pub const SPEC: SpecPin = SpecPin {
            kibana_ref: #kibana_ref,
            kibana_min: (#min_major, #min_minor),
            kibana_max: (#max_major, #max_minor),
            api_version: #api_version,
            documents: &[#(#documents)*],
        };

        #[doc = #operation_doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Operation {
            /// The generated method's name (derived from the route, so that it survives operationId renames).
            pub name: &'static str,
            /// Kibana's operationId in the pinned document.
            pub operation_id: &'static str,
            /// The HTTP method, in capitals.
            pub method: &'static str,
            /// The route's path template, without the `/s/{spaceId}` prefix.
            pub path: &'static str,
            /// The document's first tag for the operation (its API area), or `""`.
            pub tag: &'static str,
            /// What the request body is.
            pub request_body: RequestBody,
            /// Whether Kibana marks the operation deprecated.
            pub deprecated: bool,
            /// The `elastic-api-version` the route declares, sent with every call of it; `None`: the document
            /// declares none, and the header is not sent (Kibana then uses the route's default version).
            pub api_version: Option<&'static str>,
            /// The Kibana release that added the operation, when the document says (`x-state: "...; added in 9.2.0"`).
            pub added_in: Option<KibanaVersion>,
            /// How stable Kibana says the operation is.
            pub stability: Stability,
            /// What to use instead, when the operation is deprecated and the document names a replacement.
            pub replacement: Option<&'static str>,
        }

        /// A Kibana release, as the documents' `x-state` (`"Technical Preview; added in 9.2.0"`) and Kibana's
        /// status API write it. Ordered by release.
        ///
        /// ```
        /// use kibana_gen::spec::KibanaVersion;
        ///
        /// let version = KibanaVersion::parse("9.3.0-SNAPSHOT").unwrap();
        /// assert_eq!(version, KibanaVersion::new(9, 3, 0));
        /// assert!(KibanaVersion::new(8, 19, 0) < version);
        /// assert_eq!(version.to_string(), "9.3.0");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct KibanaVersion {
            /// `9` of `9.2.0`.
            pub major: u32,
            /// `2` of `9.2.0`.
            pub minor: u32,
            /// `0` of `9.2.0`.
            pub patch: u32,
        }

        impl KibanaVersion {
            /// `major.minor.patch`.
            ///
            /// ```
            /// const V9_2: kibana_gen::spec::KibanaVersion = kibana_gen::spec::KibanaVersion::new(9, 2, 0);
            /// assert_eq!(V9_2.minor, 2);
            /// ```
            pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
                Self { major, minor, patch }
            }

            /// Reads `"9.2.0"`, `"9.2"` (patch 0), `"9.3.0-SNAPSHOT"` and `"9.1.0-beta1"` (a pre-release or build
            /// suffix after `-` or `+` is ignored); `None` for anything else (`"9"`, `"v9.2.0"`, `" 9.2.0"`,
            /// `"9.2.0.1"`, a number beyond `u32`). Never panics.
            ///
            /// ```
            /// use kibana_gen::spec::KibanaVersion;
            ///
            /// assert_eq!(KibanaVersion::parse("9.2"), Some(KibanaVersion::new(9, 2, 0)));
            /// assert_eq!(KibanaVersion::parse("9.1.0-beta1"), Some(KibanaVersion::new(9, 1, 0)));
            /// assert_eq!(KibanaVersion::parse("nine"), None);
            /// ```
            pub fn parse(text: &str) -> Option<Self> {
                let core = match text.find(['-', '+']) {
                    Some(at) if at + 1 < text.len() => &text[..at],
                    Some(_) => return None,
                    None => text,
                };
                let number = |part: &str| -> Option<u32> {
                    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    part.parse().ok()
                };
                let mut parts = core.split('.');
                let major = number(parts.next()?)?;
                let minor = number(parts.next()?)?;
                let patch = match parts.next() {
                    Some(part) => number(part)?,
                    None => 0,
                };
                if parts.next().is_some() {
                    return None;
                }
                Some(Self::new(major, minor, patch))
            }
        }

        impl ::std::fmt::Display for KibanaVersion {
            /// `9.2.0`.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
            }
        }

        /// How stable Kibana says an operation is (the document's `x-state`; `Unspecified` when it says nothing
        /// this crate knows).
        ///
        /// ```
        /// use kibana_gen::spec::Stability;
        ///
        /// assert_eq!(Stability::TechnicalPreview.as_str(), "technical preview");
        /// let previews = kibana_gen::spec::OPERATIONS
        ///     .iter()
        ///     .filter(|op| op.stability == Stability::TechnicalPreview)
        ///     .count();
        /// assert!(previews <= kibana_gen::spec::OPERATIONS.len());
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Stability {
            /// Generally available: covered by Kibana's compatibility promises.
            GenerallyAvailable,
            /// Beta: may still change before it is generally available.
            Beta,
            /// Technical preview: Kibana may change or remove it without notice.
            TechnicalPreview,
            /// The document does not say (or says something this crate does not know).
            Unspecified,
        }

        impl Stability {
            /// `"generally available"`, `"beta"`, `"technical preview"` or `"unspecified"`.
            ///
            /// ```
            /// assert_eq!(kibana_gen::spec::Stability::GenerallyAvailable.as_str(), "generally available");
            /// ```
            pub fn as_str(&self) -> &'static str {
                match self {
                    Stability::GenerallyAvailable => "generally available",
                    Stability::Beta => "beta",
                    Stability::TechnicalPreview => "technical preview",
                    Stability::Unspecified => "unspecified",
                }
            }
        }

        /// The request body an operation sends.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum RequestBody {
            /// JSON, or none.
            Json,
            /// Raw bytes of this media type (the generated method says `application/octet-stream`; the `kibana`
            /// transport sends this one).
            Raw {
                /// The media type Kibana expects.
                content_type: &'static str,
            },
            /// A `multipart/form-data` form (`crate::multipart`).
            Multipart,
        }

        /// Every generated operation as a constant named after its method (`GET_STATUS`).
        pub mod routes {
            #routes_imports
            #(#constants)*
        }

        /// Every generated operation, sorted by name.
        pub const OPERATIONS: &[Operation] = &[#(#operation_entries)*];

        #[doc = #lookup_doc]
        pub fn operation(name: &str) -> Option<&'static Operation> {
            OPERATIONS
                .binary_search_by(|op| op.name.cmp(name))
                .ok()
                .map(|index| &OPERATIONS[index])
        }

        /// The operation of a route (`"GET"`, `"/api/status"`), parameter names included.
        pub fn route(method: &str, path: &str) -> Option<&'static Operation> {
            OPERATIONS
                .iter()
                .find(|op| op.path == path && op.method.eq_ignore_ascii_case(method))
        }
    };
    Ok(format!(
        "{}\n{}",
        super::GENERATED_HEADER,
        super::format_tokens(tokens)?
    ))
}
