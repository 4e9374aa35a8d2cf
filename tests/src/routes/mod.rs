//! Kibana's routes, as the fake implements them.

mod connectors;
mod copy;
mod data_views;
pub(crate) mod fleet_agents;
pub(crate) mod lists;
mod maintenance_windows;
mod rules;
pub(crate) mod saved_objects;
mod security;
mod spaces;
mod status;

use http::Method;

use crate::{
    http_util::{Reply, not_found},
    server::Ctx,
    state::Shared,
};

/// The path split in segments, for matching.
fn segments(path: &str) -> Vec<&str> {
    path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect()
}

pub(crate) fn route(shared: &Shared, ctx: &Ctx) -> Reply {
    let segs = segments(&ctx.path);
    let method = ctx.method.clone();
    match segs.as_slice() {
        ["api", "status"] if method == Method::GET => status::get(shared, ctx),
        ["api", "spaces", rest @ ..] => spaces::route(shared, ctx, rest),
        ["api", "actions", rest @ ..] => connectors::route(shared, ctx, rest),
        ["api", "saved_objects", rest @ ..] => saved_objects::route(shared, ctx, rest),
        ["api", "alerting", rest @ ..] => rules::route(shared, ctx, rest),
        ["api", "data_views", rest @ ..] => data_views::route(shared, ctx, rest),
        ["api", "maintenance_window", rest @ ..] => maintenance_windows::route(shared, ctx, rest),
        ["api", "security", rest @ ..] => security::route(shared, ctx, rest),
        ["api", "fleet", "agents", rest @ ..] => fleet_agents::route(shared, ctx, rest),
        ["api", "lists", rest @ ..] => lists::route(shared, ctx, rest),
        _ => not_found(),
    }
}
