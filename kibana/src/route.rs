//! Calls of a generated route with a typed layer's own wire types.
//!
//! Where a typed layer sends its own models (a typed connector config, a rule whose params are typed by its rule
//! type) instead of the generated ones, it still takes the route from the generated route table
//! (`kibana_gen::spec::routes`): the method and path template come from Kibana's document, the layer only fills in
//! the parameters. A route Kibana removes fails the regen (`[required]` in `openapi/transforms.toml`), and its
//! constant disappears, so the layer stops compiling instead of calling a path that drifted from the spec.

use http::Method;
use kibana_gen::spec::Operation;
use serde::{Serialize, de::DeserializeOwned};

use crate::{
    Error, Kibana,
    client::{RawRequest, RawResponse},
};

/// One call of a route: `client.route(&routes::GET_ACTIONS_CONNECTOR_ID, &[id])`.
#[must_use = "a route call does nothing until it is sent"]
pub(crate) struct RouteCall<'k> {
    client: &'k Kibana,
    operation: &'static Operation,
    path: Result<String, Error>,
    query: String,
    space_scoped: bool,
}

impl Kibana {
    /// A call of `operation` with its path parameters, in the order the path template names them.
    pub(crate) fn route(&self, operation: &'static Operation, parameters: &[&str]) -> RouteCall<'_> {
        RouteCall {
            client: self,
            operation,
            path: fill_template(operation, parameters),
            query: String::new(),
            space_scoped: true,
        }
    }
}

impl RouteCall<'_> {
    /// Adds a query parameter (encoded).
    pub(crate) fn query(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.query.push(if self.query.is_empty() { '?' } else { '&' });
        self.query.push_str(&encode(name));
        self.query.push('=');
        self.query.push_str(&encode(&value.to_string()));
        self
    }

    /// Adds a query parameter when it has a value.
    pub(crate) fn query_opt(self, name: &str, value: Option<impl std::fmt::Display>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends an already encoded query string (`a=1&b=2`).
    pub(crate) fn encoded_query(mut self, query: &str) -> Self {
        if !query.is_empty() {
            self.query.push(if self.query.is_empty() { '?' } else { '&' });
            self.query.push_str(query);
        }
        self
    }

    /// Sends the route outside the view's space (the spaces API itself manages spaces globally).
    pub(crate) fn unscoped(mut self) -> Self {
        self.space_scoped = false;
        self
    }

    fn method(&self) -> Result<Method, Error> {
        Method::from_bytes(self.operation.method.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("route {} has no HTTP method", self.operation.name)))
    }

    /// Sends JSON (or nothing) and reads JSON, after checking the view's space when the route is space-scoped.
    pub(crate) async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(self, body: Option<&B>) -> Result<T, Error> {
        let method = self.method()?;
        self.client.admit(self.operation).await?;
        // The query goes after the filled path in place (`fill_template` leaves room for a short one).
        let mut path = self.path?;
        path.push_str(&self.query);
        if self.space_scoped {
            self.client.ensure_space().await?;
        }
        let (_, answer) = self
            .client
            .send_json_unchecked(self.operation, method, &path, body, self.space_scoped)
            .await?;
        Ok(answer)
    }

    /// Like [`send`](Self::send), without the space check (for the space check itself).
    pub(crate) async fn send_unchecked<B: Serialize + ?Sized, T: DeserializeOwned>(
        self,
        body: Option<&B>,
    ) -> Result<T, Error> {
        let method = self.method()?;
        self.client.admit(self.operation).await?;
        let mut path = self.path?;
        path.push_str(&self.query);
        let (_, answer) = self
            .client
            .send_json_unchecked(self.operation, method, &path, body, self.space_scoped)
            .await?;
        Ok(answer)
    }

    /// Sends a body of its own media type and hands back the answer as it is (error statuses included when
    /// `any_status`), after checking the space.
    pub(crate) async fn send_body(
        self,
        content_type: Option<&str>,
        body: Option<reqwest::Body>,
        any_status: bool,
    ) -> Result<RawResponse, Error> {
        let method = self.method()?;
        self.client.admit(self.operation).await?;
        let mut path = self.path?;
        path.push_str(&self.query);
        if self.space_scoped {
            self.client.ensure_space().await?;
        }
        self.client
            .send_raw(RawRequest {
                operation: self.operation,
                method,
                path_and_query: &path,
                content_type,
                body,
                space_scoped: self.space_scoped,
                any_status,
            })
            .await
    }
}

/// The path of `operation` with each `{parameter}` replaced, in order, by an encoded value.
fn fill_template(operation: &Operation, parameters: &[&str]) -> Result<String, Error> {
    let mut out = String::with_capacity(operation.path.len() + 32);
    let mut rest = operation.path;
    let mut values = parameters.iter();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        let Some(value) = values.next() else {
            return Err(Error::InvalidRequest(format!(
                "{} needs a value for `{}`",
                operation.path,
                &rest[start..start + end + 1]
            )));
        };
        if value.is_empty() {
            return Err(Error::InvalidRequest(format!(
                "{}: `{}` must not be empty",
                operation.path,
                &rest[start..start + end + 1]
            )));
        }
        out.push_str(&encode(value));
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    if values.next().is_some() {
        return Err(Error::InvalidRequest(format!(
            "{} takes {} path parameters",
            operation.path,
            parameters.len() - 1
        )));
    }
    Ok(out)
}

/// Percent-encodes one path segment or query component (a space is `%20`, a `/` is `%2F`).
pub(crate) fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use kibana_gen::spec::routes;

    use super::*;

    #[tokio::test]
    async fn typed_routes_are_checked_against_the_servers_version_before_anything_is_sent() {
        use kibana_gen::spec::{KibanaVersion, RequestBody, Stability};
        static NEWER: Operation = Operation {
            name: "get_future",
            operation_id: "get-future",
            method: "GET",
            path: "/api/future",
            tag: "",
            request_body: RequestBody::Json,
            deprecated: false,
            api_version: None,
            added_in: Some(KibanaVersion::new(99, 0, 0)),
            stability: Stability::Unspecified,
            replacement: None,
        };
        // Port 9 (discard) on loopback: the call must fail before any connection is tried.
        let client = Kibana::builder()
            .url("http://127.0.0.1:9")
            .server_version("9.0.1")
            .build()
            .unwrap();
        let refused = client
            .route(&NEWER, &[])
            .send::<(), serde_json::Value>(None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                refused,
                Error::Unsupported {
                    operation: "get_future",
                    ..
                }
            ),
            "{refused:?}"
        );
    }

    #[test]
    fn parameters_fill_the_template_in_order_and_are_encoded() {
        assert_eq!(
            fill_template(&routes::POST_ALERTING_RULE_RULE_ID_ALERT_ALERT_ID_MUTE, &["r 1", "a/b"]).unwrap(),
            "/api/alerting/rule/r%201/alert/a%2Fb/_mute"
        );
        assert_eq!(
            fill_template(&routes::GET_ACTIONS_CONNECTORS, &[]).unwrap(),
            "/api/actions/connectors"
        );
    }

    #[test]
    fn a_wrong_number_of_parameters_or_an_empty_one_is_refused() {
        assert!(fill_template(&routes::GET_ACTIONS_CONNECTOR_ID, &[]).is_err());
        assert!(fill_template(&routes::GET_ACTIONS_CONNECTOR_ID, &["a", "b"]).is_err());
        assert!(fill_template(&routes::GET_ACTIONS_CONNECTOR_ID, &[""]).is_err());
    }
}
