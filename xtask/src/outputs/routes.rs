//! The generated operations as the other outputs see them: name, Kibana's operationId, route, area, body kind.

use serde_json::Value;

use crate::config::Areas;

use crate::transforms::{
    self, CONTENT_TYPE_EXTENSION, MULTIPART_EXTENSION, MultipartForm, ORIGINAL_ID_EXTENSION, ROUTE_EXTENSION,
    lifecycle::{LIFECYCLE_EXTENSION, Lifecycle},
};

/// One generated operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The generated method's name (route-derived).
    pub name: String,
    /// Kibana's operationId.
    pub operation_id: String,
    /// `GET`, `POST`...
    pub method: String,
    /// The path template, without the space prefix.
    pub path: String,
    /// The route in the input document (`METHOD /path` as written there).
    pub original_route: String,
    /// The first tag, as the document spells it (empty when there is none).
    pub tag: String,
    /// The API area (and cargo feature) the operation is in.
    pub area: String,
    /// Whether Kibana deprecates the operation (`deprecated: true`, or an `x-state` saying so).
    pub deprecated: bool,
    /// The release that added it, its stability and its replacement (`transforms::lifecycle`).
    pub lifecycle: Lifecycle,
    /// The media type of a raw request body, when the generated method sends bytes.
    pub raw_content_type: Option<String>,
    /// The form of a multipart operation.
    pub multipart: Option<MultipartForm>,
    /// The `elastic-api-version` the route declares (none: the route's default).
    pub api_version: Option<String>,
}

impl Route {
    /// `METHOD /path`.
    pub fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Every operation of the generated document, in its order.
pub fn collect(doc: &Value, areas: &Areas) -> Vec<Route> {
    transforms::operations(doc)
        .into_iter()
        .map(|op| {
            let operation = &doc["paths"][&op.path][op.method];
            let lifecycle = serde_json::from_value(operation[LIFECYCLE_EXTENSION].clone())
                .unwrap_or_else(|_| Lifecycle::of(operation));
            Route {
                name: op.id.clone(),
                operation_id: operation[ORIGINAL_ID_EXTENSION].as_str().unwrap_or_default().to_owned(),
                method: op.method.to_uppercase(),
                path: op.path.clone(),
                original_route: operation[ROUTE_EXTENSION].as_str().unwrap_or(&op.route).to_owned(),
                tag: operation["tags"][0].as_str().unwrap_or_default().to_owned(),
                area: area_of(&op.path, areas),
                deprecated: lifecycle.deprecated,
                lifecycle,
                raw_content_type: operation[CONTENT_TYPE_EXTENSION].as_str().map(str::to_owned),
                multipart: serde_json::from_value(operation[MULTIPART_EXTENSION].clone()).ok(),
                api_version: operation[transforms::api_versions::API_VERSION_EXTENSION]
                    .as_str()
                    .map(str::to_owned),
            }
        })
        .collect()
}

/// The area of a path: its first segment after `/api/` (or after `/`), through `[areas.segments]`, else the
/// segment itself in snake_case.
pub fn area_of(path: &str, areas: &Areas) -> String {
    use heck::ToSnakeCase;
    let rest = path
        .strip_prefix("/api/")
        .unwrap_or_else(|| path.trim_start_matches('/'));
    let segment = rest.split('/').next().unwrap_or_default();
    if let Some(area) = areas.segments.get(segment) {
        return area.clone();
    }
    let name = segment.to_snake_case();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("area_{name}"),
    }
}

/// Whether two routes are the same once parameter names are ignored (`{id}` = `{connectorId}`); methods compare in
/// any case.
pub fn same_shape(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

fn normalize(route: &str) -> (String, String) {
    let (method, path) = route.trim().split_once(' ').unwrap_or(("", route));
    let mut out = String::with_capacity(path.len());
    let mut in_braces = false;
    for c in path.trim().chars() {
        match c {
            '{' => {
                in_braces = true;
                out.push_str("{}");
            }
            '}' => in_braces = false,
            _ if in_braces => {}
            _ => out.push(c),
        }
    }
    (method.to_ascii_uppercase(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_come_from_the_first_segment() {
        let areas = Areas {
            default: vec![],
            segments: [("actions".to_owned(), "connectors".to_owned())].into_iter().collect(),
        };
        assert_eq!(area_of("/api/actions/connector/{id}", &areas), "connectors");
        assert_eq!(area_of("/api/fleet/agents", &areas), "fleet");
        assert_eq!(area_of("/internal/observability/slos", &areas), "internal");
        assert_eq!(area_of("/api/upgrade-assistant/x", &areas), "upgrade_assistant");
        assert_eq!(area_of("/api/9x", &areas), "area_9x");
    }

    #[test]
    fn routes_compare_without_parameter_names() {
        assert!(same_shape(
            "POST /api/actions/connector/{id}",
            "post /api/actions/connector/{connectorId}"
        ));
        assert!(!same_shape(
            "GET /api/actions/connector/{id}",
            "POST /api/actions/connector/{id}"
        ));
        assert!(!same_shape("GET /api/a/{id}", "GET /api/a"));
    }
}
