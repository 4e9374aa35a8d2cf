//! `kibana-gen/src/multipart.rs`: a typed form per `multipart/form-data` operation, and the encoder they share.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::routes::Route;
use crate::{
    postprocess::multipart::form_type_name,
    transforms::{FieldKind, MultipartField},
};

pub fn render(routes: &[Route]) -> anyhow::Result<String> {
    let forms: Vec<TokenStream> = routes
        .iter()
        .filter_map(|route| route.multipart.as_ref().map(|form| render_form(route, &form.fields)))
        .collect();
    // The forms' shared part list; a document without multipart operations has no forms to use it.
    let parts = if forms.is_empty() {
        quote!()
    } else {
        quote! {
            /// A form's named parts, in order.
            #[derive(Clone, Debug, Default, PartialEq, Eq)]
            struct Parts(Vec<(String, Part)>);

            impl Parts {
                fn set(&mut self, name: &str, part: Part) {
                    self.0.retain(|(n, _)| n != name);
                    self.0.push((name.to_owned(), part));
                }
            }
        }
    };
    let tokens = quote! {
        //! Typed `multipart/form-data` forms: one per operation that uploads a form, named after its method
        //! (`post_saved_objects_import` takes a [`PostSavedObjectsImportForm`]-style form).
        //!
        //! progenitor cannot generate multipart bodies; `cargo xtask regen` reads each form's fields from the
        //! document and makes the method take its form. Bodies are encoded in memory, so that a request can be
        //! retried.

        use bytes::{BufMut, Bytes, BytesMut};

        /// One part of a form: bytes, with a file name and a media type when it is a file.
        ///
        /// ```
        /// use kibana_gen::multipart::Part;
        /// let file = Part::file("export.ndjson", "{\"type\":\"index-pattern\"}\n").mime("application/ndjson");
        /// assert_eq!(file.file_name(), Some("export.ndjson"));
        /// let text = Part::text("true");
        /// assert_eq!(text.bytes(), b"true");
        /// ```
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Part {
            bytes: Bytes,
            file_name: Option<String>,
            content_type: Option<String>,
        }

        impl Part {
            /// A file part: Kibana reads uploads from file parts, and some routes check the name's extension
            /// (saved-objects import wants `.ndjson`).
            pub fn file(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
                Self { bytes: bytes.into(), file_name: Some(file_name.into()), content_type: None }
            }

            /// A text part.
            pub fn text(value: impl Into<String>) -> Self {
                Self { bytes: Bytes::from(value.into()), file_name: None, content_type: None }
            }

            /// A JSON part (`Content-Type: application/json`), e.g. the `retries` of resolve-import-errors.
            pub fn json(value: &::serde_json::Value) -> Self {
                Self {
                    bytes: Bytes::from(value.to_string()),
                    file_name: None,
                    content_type: Some("application/json".to_owned()),
                }
            }

            /// Sets the part's media type.
            pub fn mime(mut self, content_type: impl Into<String>) -> Self {
                self.content_type = Some(content_type.into());
                self
            }

            /// The part's bytes.
            pub fn bytes(&self) -> &[u8] {
                &self.bytes
            }

            /// The file name, for a file part.
            pub fn file_name(&self) -> Option<&str> {
                self.file_name.as_deref()
            }
        }

        #parts

        /// Quotes a name for a `Content-Disposition` parameter (RFC 7578: `"` and line breaks escaped).
        fn quoted(value: &str) -> String {
            value.replace('\\', "\\\\").replace('"', "\\\"").replace('\r', "%0D").replace('\n', "%0A")
        }

        /// Encodes parts as `multipart/form-data`, with a boundary that none of them contains.
        pub fn encode(parts: &[(String, Part)]) -> (::reqwest::header::HeaderValue, Bytes) {
            use ::std::hash::{BuildHasher, Hasher};
            let random = ::std::collections::hash_map::RandomState::new();
            let mut attempt = 0u64;
            let boundary = loop {
                let mut hasher = random.build_hasher();
                hasher.write_u64(attempt);
                let boundary = format!("kibana-rs-{:016x}{:016x}", hasher.finish(), random.hash_one(attempt ^ u64::MAX));
                let needle = boundary.as_bytes();
                let clash = parts.iter().any(|(name, part)| {
                    name.contains(&boundary) || part.bytes.windows(needle.len()).any(|w| w == needle)
                });
                if !clash {
                    break boundary;
                }
                attempt += 1;
            };
            let size: usize = parts.iter().map(|(n, p)| n.len() + p.bytes.len() + 160).sum();
            let mut body = BytesMut::with_capacity(size + boundary.len() + 8);
            for (name, part) in parts {
                body.put_slice(b"--");
                body.put_slice(boundary.as_bytes());
                body.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
                body.put_slice(quoted(name).as_bytes());
                body.put_slice(b"\"");
                if let Some(file_name) = &part.file_name {
                    body.put_slice(b"; filename=\"");
                    body.put_slice(quoted(file_name).as_bytes());
                    body.put_slice(b"\"");
                }
                body.put_slice(b"\r\n");
                let content_type = part
                    .content_type
                    .as_deref()
                    .or(part.file_name.as_ref().map(|_| "application/octet-stream"));
                if let Some(content_type) = content_type {
                    body.put_slice(b"Content-Type: ");
                    body.put_slice(content_type.replace(['\r', '\n'], " ").as_bytes());
                    body.put_slice(b"\r\n");
                }
                body.put_slice(b"\r\n");
                body.put_slice(&part.bytes);
                body.put_slice(b"\r\n");
            }
            body.put_slice(b"--");
            body.put_slice(boundary.as_bytes());
            body.put_slice(b"--\r\n");
            let content_type = ::reqwest::header::HeaderValue::try_from(format!("multipart/form-data; boundary={boundary}"))
                .unwrap_or(::reqwest::header::HeaderValue::from_static("multipart/form-data"));
            (content_type, body.freeze())
        }

        #(#forms)*
    };
    Ok(format!(
        "{}\n{}",
        super::GENERATED_HEADER,
        super::format_tokens(tokens)?
    ))
}

fn argument_type(kind: FieldKind) -> TokenStream {
    match kind {
        FieldKind::File => quote!(Part),
        FieldKind::Text => quote!(impl Into<String>),
        FieldKind::Json => quote!(&::serde_json::Value),
    }
}

fn to_part(kind: FieldKind, value: &proc_macro2::Ident) -> TokenStream {
    match kind {
        FieldKind::File => quote!(#value),
        FieldKind::Text => quote!(Part::text(#value)),
        FieldKind::Json => quote!(Part::json(#value)),
    }
}

/// A Rust argument name for a part name.
fn argument_name(name: &str) -> proc_macro2::Ident {
    use heck::ToSnakeCase;
    let snake = name.to_snake_case();
    let snake = if snake.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        snake
    } else {
        format!("field_{snake}")
    };
    if syn::parse_str::<proc_macro2::Ident>(&snake).is_ok() && !matches!(snake.as_str(), "self" | "super" | "crate") {
        format_ident!("{}", snake)
    } else {
        format_ident!("{}_", snake)
    }
}

fn render_form(route: &Route, fields: &[MultipartField]) -> TokenStream {
    let name = format_ident!("{}", form_type_name(&route.name));
    let required: Vec<&MultipartField> = fields.iter().filter(|f| f.required).collect();
    let optional: Vec<&MultipartField> = fields.iter().filter(|f| !f.required).collect();
    let new_args = required.iter().map(|f| {
        let arg = argument_name(&f.name);
        let ty = argument_type(f.kind);
        quote!(#arg: #ty)
    });
    let new_sets = required.iter().map(|f| {
        let arg = argument_name(&f.name);
        let wire = &f.name;
        let part = to_part(f.kind, &arg);
        quote!(parts.set(#wire, #part);)
    });
    let new_body = if required.is_empty() {
        quote!(Self {
            parts: Parts::default()
        })
    } else {
        quote! {
            let mut parts = Parts::default();
            #(#new_sets)*
            Self { parts }
        }
    };
    let setters = optional.iter().map(|f| {
        let arg = argument_name(&f.name);
        let ty = argument_type(f.kind);
        let wire = &f.name;
        let part = to_part(f.kind, &arg);
        let doc = format!(
            "Sets the `{wire}` part{}.",
            f.description
                .as_deref()
                .map(|d| format!(": {}", one_line(d)))
                .unwrap_or_default()
        );
        quote! {
            #[doc = #doc]
            pub fn #arg(mut self, #arg: #ty) -> Self {
                self.parts.set(#wire, #part);
                self
            }
        }
    });
    let required_doc: Vec<String> = required
        .iter()
        .map(|f| {
            format!(
                "- `{}`{}",
                f.name,
                f.description
                    .as_deref()
                    .map(|d| format!(": {}", one_line(d)))
                    .unwrap_or_default()
            )
        })
        .collect();
    let type_doc = format!(
        "The form of `{} {}` (`Client::{}`).",
        route.method, route.path, route.name
    );
    let new_doc = if required_doc.is_empty() {
        "A form with no parts yet (the document marks none as required).".to_owned()
    } else {
        format!("A form with its required parts:\n{}", required_doc.join("\n"))
    };
    let default = required.is_empty().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #[doc = #type_doc]
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct #name {
            parts: Parts,
        }

        #default

        impl #name {
            #[doc = #new_doc]
            pub fn new(#(#new_args),*) -> Self {
                #new_body
            }

            #(#setters)*

            /// Adds (or replaces) any part, for fields the pinned document does not list.
            pub fn part(mut self, name: impl Into<String>, part: Part) -> Self {
                self.parts.set(&name.into(), part);
                self
            }

            /// The parts, in the order they are sent.
            pub fn parts(&self) -> &[(String, Part)] {
                &self.parts.0
            }

            /// The `Content-Type` (with its boundary) and the encoded body.
            pub fn into_multipart(self) -> (::reqwest::header::HeaderValue, Bytes) {
                encode(&self.parts.0)
            }
        }
    }
}

/// A description on one line: the document's line breaks (and the Markdown lists they start) would otherwise run
/// on from a generated list item or sentence.
fn one_line(description: &str) -> String {
    description.split_whitespace().collect::<Vec<_>>().join(" ")
}
