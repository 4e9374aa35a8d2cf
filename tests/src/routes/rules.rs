use crate::{
    http_util::{Reply, not_found},
    server::Ctx,
    state::Shared,
};

/// Alerting rules are not served yet: every route answers 404 (Kibana's answer for a route it does not have).
pub(crate) fn route(_shared: &Shared, _ctx: &Ctx, _rest: &[&str]) -> Reply {
    not_found()
}
