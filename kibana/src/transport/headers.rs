//! The headers every request carries: credentials, `kbn-xsrf` on writes, `User-Agent`, the route's own
//! `elastic-api-version`, the user's own headers, and per-call overrides.

use http::{
    HeaderMap, HeaderName, HeaderValue, Method,
    header::{AUTHORIZATION, USER_AGENT},
};

use super::{HttpRequest, RequestContext, RequestOverrides};

pub(crate) const KBN_XSRF: HeaderName = HeaderName::from_static("kbn-xsrf");
pub(crate) const ELASTIC_API_VERSION: HeaderName = HeaderName::from_static("elastic-api-version");

/// The user agent: `kibana-rs/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("kibana-rs/", env!("CARGO_PKG_VERSION"));

#[derive(Clone, Debug)]
pub(crate) struct DefaultHeaders {
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) custom: HeaderMap,
}

/// Kibana requires `kbn-xsrf` on every method except GET and OPTIONS (HEAD is served as GET).
pub(crate) fn needs_xsrf(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl DefaultHeaders {
    pub(crate) fn apply(&self, request: &mut HttpRequest) {
        let version = request_version(request.extensions().get::<RequestContext>());
        let xsrf = needs_xsrf(request.method());
        if request.extensions().get::<RequestOverrides>().is_none() {
            self.set(request.headers_mut(), None, xsrf, version);
            return;
        }
        // A view's overrides are read while the headers change: the map is taken out to borrow both (an empty map
        // allocates nothing).
        let mut headers = std::mem::take(request.headers_mut());
        self.set(
            &mut headers,
            request.extensions().get::<RequestOverrides>(),
            xsrf,
            version,
        );
        *request.headers_mut() = headers;
    }

    fn set(
        &self,
        headers: &mut HeaderMap,
        overrides: Option<&RequestOverrides>,
        xsrf: bool,
        version: Option<HeaderValue>,
    ) {
        let authorization = match overrides.and_then(|o| o.authorization.as_ref()) {
            Some(per_call) => per_call.as_ref(),
            None => self.authorization.as_ref(),
        };
        if let Some(value) = authorization {
            headers.insert(AUTHORIZATION, value.clone());
        }
        // `entry`: one lookup per header, not two.
        if xsrf {
            headers
                .entry(KBN_XSRF)
                .or_insert_with(|| HeaderValue::from_static("kibana-rs"));
        }
        headers
            .entry(USER_AGENT)
            .or_insert_with(|| HeaderValue::from_static(DEFAULT_USER_AGENT));
        // Each route is versioned on its own (the dashboards API is `1`, most others `2023-10-31`); a route whose
        // document declares no version goes without the header, and Kibana uses the route's default.
        if let Some(version) = version {
            headers.entry(ELASTIC_API_VERSION).or_insert(version);
        }
        for (name, value) in &self.custom {
            headers.insert(name, value.clone());
        }
        if let Some(overrides) = overrides {
            for (name, value) in &overrides.headers {
                headers.insert(name, value.clone());
            }
        }
    }
}

/// The `elastic-api-version` of the request's operation, from the generated route table.
fn request_version(context: Option<&RequestContext>) -> Option<HeaderValue> {
    context?.spec()?.api_version.map(HeaderValue::from_static)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> DefaultHeaders {
        DefaultHeaders {
            authorization: Some(HeaderValue::from_static("ApiKey abc")),
            custom: HeaderMap::new(),
        }
    }

    fn request(method: Method) -> HttpRequest {
        let mut request = http::Request::new(reqwest::Body::from(""));
        *request.method_mut() = method;
        request
    }

    #[test]
    fn xsrf_only_on_writes() {
        for (method, expected) in [
            (Method::GET, false),
            (Method::OPTIONS, false),
            (Method::HEAD, false),
            (Method::POST, true),
            (Method::PUT, true),
            (Method::DELETE, true),
        ] {
            let mut out = request(method.clone());
            defaults().apply(&mut out);
            assert_eq!(out.headers().contains_key(KBN_XSRF), expected, "{method}");
        }
    }

    #[test]
    fn standard_headers_and_override() {
        let mut req = request(Method::GET);
        req.extensions_mut().insert(RequestOverrides {
            authorization: Some(Some(HeaderValue::from_static("Bearer t"))),
            headers: HeaderMap::new(),
            ..Default::default()
        });
        defaults().apply(&mut req);
        assert_eq!(req.headers()[AUTHORIZATION], "Bearer t");
        assert_eq!(req.headers()[USER_AGENT], DEFAULT_USER_AGENT);
        assert!(
            !req.headers().contains_key(ELASTIC_API_VERSION),
            "no operation, no declared version"
        );
    }

    #[test]
    fn each_operation_sends_the_version_its_route_declares() {
        let declared = kibana_gen::spec::OPERATIONS
            .iter()
            .find(|op| op.api_version.is_some())
            .expect("the pinned document declares a version somewhere");
        let undeclared = kibana_gen::spec::OPERATIONS
            .iter()
            .find(|op| op.api_version.is_none())
            .expect("and declares none somewhere");
        for (operation, expected) in [(declared, declared.api_version), (undeclared, None)] {
            // Named, or with its route table entry at hand: the same header.
            for context in [
                RequestContext::new(operation.name, operation.path, None),
                RequestContext::of(operation, None),
            ] {
                let mut req = request(Method::GET);
                req.extensions_mut().insert(context);
                defaults().apply(&mut req);
                assert_eq!(
                    req.headers().get(ELASTIC_API_VERSION).and_then(|v| v.to_str().ok()),
                    expected,
                    "{}",
                    operation.name
                );
            }
        }
        // A layer that renames the operation gets the renamed operation's version.
        let mut renamed = RequestContext::of(declared, None);
        renamed.operation = undeclared.name;
        let mut req = request(Method::GET);
        req.extensions_mut().insert(renamed);
        defaults().apply(&mut req);
        assert!(!req.headers().contains_key(ELASTIC_API_VERSION));
    }
}
