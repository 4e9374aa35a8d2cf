use serde_json::json;

use crate::{
    http_util::{Reply, json_reply},
    server::Ctx,
    state::Shared,
};

pub(crate) fn get(shared: &Shared, ctx: &Ctx) -> Reply {
    let level = shared.state.lock().expect("state lock").status_level.clone();
    let code = if level == "unavailable" || level == "critical" {
        503
    } else {
        200
    };
    if !ctx.authenticated {
        return json_reply(code, &json!({"status": {"overall": {"level": level}}}));
    }
    json_reply(
        code,
        &json!({
            "name": "kibana-fake",
            "uuid": "5b2de169-2785-441b-ae8c-186a1936b17d",
            "version": {"number": shared.config.version, "build_hash": "fake", "build_number": 1, "build_snapshot": false},
            "status": {
                "overall": {"level": level, "summary": format!("All services are {level}")},
                "core": {
                    "elasticsearch": {"level": "available", "summary": "Elasticsearch is available"},
                    "savedObjects": {"level": "available", "summary": "SavedObjects service has completed migrations"}
                },
                "plugins": {}
            },
            "metrics": {}
        }),
    )
}
