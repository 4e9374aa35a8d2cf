//! `client.api()`: every generated operation through the SDK's stack, against the fake Kibana. The sweep in
//! `conformance.rs` calls every operation once through Prism; this suite shows what the stack adds: the space as
//! base path and its existence check, credentials and `kbn-xsrf`, and `kibana::Error`.

use kibana::{Error, Kibana, Space, connectors::types::ServerLog, generated::types::PostSpacesSpaceBody};
use kibana_fake::FakeKibana;

async fn setup() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::builder().api_key("a2V5").start().await;
    let client = Kibana::builder().url(kibana.url()).api_key("a2V5").build().unwrap();
    client.spaces().create(&Space::new("ops", "Ops")).await.unwrap();
    (kibana, client)
}

#[tokio::test]
async fn generated_operations_run_in_the_views_space_with_the_stacks_credentials() {
    let (kibana, client) = setup().await;
    let ops = client.space("ops");
    let created = ops
        .connectors()
        .create::<ServerLog>("audit", &Default::default(), &Default::default())
        .await
        .unwrap();
    let listed = ops.api().get_actions_connectors().await.unwrap().into_inner();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);
    assert!(
        client.api().get_actions_connectors().await.unwrap().is_empty(),
        "the default space"
    );
    let request = kibana
        .requests()
        .into_iter()
        .find(|r| r.path == "/s/ops/api/actions/connectors")
        .expect("sent under the space's prefix");
    assert_eq!(request.headers["authorization"], "ApiKey a2V5");
}

#[tokio::test]
async fn writes_carry_kbn_xsrf_and_typed_bodies() {
    let (kibana, client) = setup().await;
    let body = PostSpacesSpaceBody {
        id: "sales".into(),
        name: "Sales".parse().unwrap(),
        color: None,
        description: None,
        disabled_features: Vec::new(),
        image_url: None,
        initials: None,
        reserved: None,
        solution: None,
    };
    client.api().post_spaces_space(&body).await.unwrap();
    assert_eq!(client.spaces().get("sales").await.unwrap().name, "Sales");
    let post = kibana
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/api/spaces/space" && r.json().unwrap()["id"] == "sales")
        .unwrap();
    assert!(post.headers.contains_key("kbn-xsrf"));
}

#[tokio::test]
async fn an_unknown_space_is_refused_before_anything_is_sent() {
    let (kibana, client) = setup().await;
    let before = kibana.requests().len();
    let error = client.space("nope").api().get_actions_connectors().await.unwrap_err();
    assert!(
        matches!(&error, Error::SpaceNotFound { space_id } if space_id == "nope"),
        "{error:?}"
    );
    let sent: Vec<String> = kibana.requests()[before..].iter().map(|r| r.path.clone()).collect();
    assert_eq!(sent, ["/api/spaces/space/nope"], "only the existence check");
    let error = client
        .space("Not-Valid")
        .api()
        .get_actions_connectors()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidSpaceId { .. }), "{error:?}");
}

#[tokio::test]
async fn a_route_the_fake_does_not_model_is_kibanas_404() {
    let (_kibana, client) = setup().await;
    let error = client.space("ops").api().get_features().await.unwrap_err();
    let Error::NotFound(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.path, "/s/ops/api/features");
    assert_eq!(api.space.as_deref(), Some("ops"));
    assert_eq!(api.body.message, "Not Found");
    assert!(error.to_string().contains("[space: ops]"), "{error}");
}

/// Optional parameters are named on the call, and the query is what Kibana's router reads: an object parameter as
/// JSON text under its own name (progenitor's encoder spread `has_reference` into `type=…&id=…`, its `type` joining
/// the real `type` list), numbers without a spurious `.0`, lists as repeated keys.
#[tokio::test]
async fn optional_parameters_are_named_and_sent_as_kibanas_router_reads_them() {
    let (kibana, client) = setup().await;
    let reference = serde_json::json!({"type": "index-pattern", "id": "logs-*"});
    let types: kibana::generated::types::GetSavedObjectsFindType =
        serde_json::from_value(serde_json::json!(["dashboard", "visualization"])).unwrap();
    // `_find` is deprecated by Kibana; it has the widest mix of query parameter styles.
    #[allow(deprecated)]
    let _ = client
        .api()
        .get_saved_objects_find(&types)
        .has_reference(reference.as_object().unwrap())
        .page(2)
        .per_page(10)
        .await;
    let _ = client
        .api()
        .get_fleet_agents_action_status()
        .latest(1_700_000_000_000.0)
        .await;
    let queries: Vec<Vec<(String, String)>> = kibana
        .requests()
        .iter()
        .filter(|r| r.path == "/api/saved_objects/_find" || r.path == "/api/fleet/agents/action_status")
        .map(|r| {
            url::form_urlencoded::parse(r.query.as_deref().unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .collect();
    let find = &queries[0];
    let values = |key: &str| {
        find.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(values("type"), ["dashboard", "visualization"], "{find:?}");
    let sent: serde_json::Value = serde_json::from_str(values("has_reference")[0]).unwrap();
    assert_eq!(sent, reference, "{find:?}");
    assert!(values("id").is_empty(), "nothing spread: {find:?}");
    assert_eq!((values("page"), values("per_page")), (vec!["2"], vec!["10"]));
    assert_eq!(queries[1], [("latest".to_owned(), "1700000000000".to_owned())]);
}
