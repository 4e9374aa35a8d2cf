//! Spaces: scoping, isolation, local id checks, existence validation with the shared TTL cache and single-flight.

use std::time::Duration;

use kibana::{Error, Kibana, Space, connectors::types::ServerLog};
use kibana_fake::FakeKibana;

const SPACE_CHECK: &str = "/api/spaces/space/marketing";

fn client(kibana: &FakeKibana) -> Kibana {
    Kibana::builder().url(kibana.url()).build().unwrap()
}

async fn with_spaces(ids: &[&str]) -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    // Spaces made by someone else: the client under test starts with a cold cache.
    let admin = client(&kibana);
    for id in ids {
        admin
            .spaces()
            .create(&Space::new(*id, id.to_uppercase()))
            .await
            .unwrap();
    }
    kibana.clear_log();
    {
        let client = client(&kibana);
        (kibana, client)
    }
}

#[tokio::test]
async fn connectors_are_isolated_per_space() {
    let (kibana, client) = with_spaces(&["marketing", "sales"]).await;
    let created = client
        .space("marketing")
        .connectors()
        .create::<ServerLog>("mk", &Default::default(), &Default::default())
        .await
        .unwrap();
    let in_marketing = client.space("marketing").connectors().list().await.unwrap();
    assert_eq!(
        in_marketing.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str()]
    );
    assert!(client.space("sales").connectors().list().await.unwrap().is_empty());
    assert!(client.connectors().list().await.unwrap().is_empty(), "default space");
    assert!(matches!(
        client.space("sales").connectors().get(&created.id).await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(kibana.connector_ids("marketing"), std::slice::from_ref(&created.id));
    assert_eq!(
        kibana.count("POST", &format!("/s/marketing/api/actions/connector/{}", created.id)),
        1
    );
}

#[tokio::test]
async fn an_unknown_space_is_refused_before_any_write() {
    let (kibana, client) = with_spaces(&[]).await;
    let error = client
        .space("nope")
        .connectors()
        .create::<ServerLog>("x", &Default::default(), &Default::default())
        .await
        .unwrap_err();
    let Error::SpaceNotFound { space_id } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(space_id, "nope");
    assert_eq!(error.space(), Some("nope"));
    assert!(error.to_string().starts_with("[space: nope]"), "{error}");
    assert_eq!(kibana.write_count(), 0, "the fake saw no write");
    assert!(kibana.connector_ids("nope").is_empty());
    assert_eq!(kibana.count("GET", "/api/spaces/space/nope"), 1);
}

#[tokio::test]
async fn invalid_space_ids_send_nothing() {
    let (kibana, client) = with_spaces(&[]).await;
    let long = "a".repeat(501);
    for id in [
        "",
        "Marketing",
        "a/b",
        "..",
        "../admin",
        "a b",
        "ünïcode",
        "a.b",
        "x%2Fy",
        long.as_str(),
    ] {
        let error = client.space(id).connectors().list().await.unwrap_err();
        let Error::InvalidSpaceId { space_id, reason } = &error else {
            panic!("{id:?}: {error:?}")
        };
        assert_eq!(space_id, id);
        assert!(!reason.is_empty());
        assert!(client.try_space(id).is_err());
    }
    assert_eq!(kibana.request_count(), 0);
}

#[tokio::test]
async fn a_thousand_scoped_calls_validate_once() {
    let (kibana, client) = with_spaces(&["marketing"]).await;
    for i in 0..1000 {
        // A fresh scoped view per call, as a server would make per request.
        let view = if i % 2 == 0 {
            client.space("marketing")
        } else {
            client.clone().space("marketing")
        };
        view.connectors().list().await.unwrap();
    }
    assert_eq!(kibana.count("GET", SPACE_CHECK), 1);
    assert_eq!(kibana.count("GET", "/s/marketing/api/actions/connectors"), 1000);
}

#[tokio::test]
async fn verdicts_expire_after_the_ttl() {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder()
        .url(kibana.url())
        .space_cache_ttl(Duration::from_millis(200))
        .build()
        .unwrap();
    client
        .spaces()
        .create(&Space::new("marketing", "Marketing"))
        .await
        .unwrap();
    kibana.clear_log();
    let scoped = client.space("marketing");
    scoped.connectors().list().await.unwrap();
    scoped.connectors().list().await.unwrap();
    assert_eq!(
        kibana.count("GET", SPACE_CHECK),
        0,
        "create recorded the space as existing"
    );
    tokio::time::sleep(Duration::from_millis(250)).await;
    scoped.connectors().list().await.unwrap();
    scoped.connectors().list().await.unwrap();
    assert_eq!(kibana.count("GET", SPACE_CHECK), 1, "one more check after expiry");
}

#[tokio::test]
async fn deleting_a_space_through_the_sdk_invalidates_it() {
    let (kibana, client) = with_spaces(&["marketing"]).await;
    client.space("marketing").connectors().list().await.unwrap();
    assert_eq!(kibana.count("GET", SPACE_CHECK), 1);
    client.spaces().delete("marketing").await.unwrap();
    let error = client.space("marketing").connectors().list().await.unwrap_err();
    assert!(matches!(error, Error::SpaceNotFound { .. }), "{error:?}");
    assert_eq!(kibana.count("GET", SPACE_CHECK), 2, "re-validated after the delete");
    client.spaces().create(&Space::new("marketing", "Back")).await.unwrap();
    client.space("marketing").connectors().list().await.unwrap();
}

#[tokio::test]
async fn a_hundred_concurrent_cold_calls_make_one_check() {
    let (kibana, client) = with_spaces(&["marketing"]).await;
    let calls = (0..100).map(|_| {
        let view = client.space("marketing");
        tokio::spawn(async move { view.connectors().list().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(kibana.count("GET", SPACE_CHECK), 1);
}

#[tokio::test]
async fn overrides_scope_and_explicit_default() {
    let (kibana, client) = with_spaces(&["marketing", "sales"]).await;
    let marketing = client.space("marketing");
    marketing.connectors().list().await.unwrap();
    marketing.connectors().in_space("sales").list().await.unwrap();
    marketing.connectors().in_default_space().list().await.unwrap();
    marketing.default_space().connectors().list().await.unwrap();
    client.space("default").connectors().list().await.unwrap();
    let paths: Vec<String> = kibana
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/connectors"))
        .map(|r| r.path)
        .collect();
    assert_eq!(
        paths,
        [
            "/s/marketing/api/actions/connectors",
            "/s/sales/api/actions/connectors",
            "/api/actions/connectors",
            "/api/actions/connectors",
            "/api/actions/connectors",
        ]
    );
}

#[tokio::test]
async fn validation_can_be_switched_off() {
    let (kibana, client) = with_spaces(&[]).await;
    client
        .space("phantom")
        .validate_space(false)
        .connectors()
        .list()
        .await
        .unwrap();
    assert_eq!(kibana.count("GET", "/api/spaces/space/phantom"), 0);
    let lax = Kibana::builder()
        .url(kibana.url())
        .validate_spaces(false)
        .build()
        .unwrap();
    lax.space("phantom").connectors().list().await.unwrap();
    assert_eq!(kibana.count("GET", "/api/spaces/space/phantom"), 0);
}

#[tokio::test]
async fn spaces_crud_with_local_validation() {
    let (kibana, client) = with_spaces(&[]).await;
    let space = Space::new("ops", "Operations")
        .with_color("#AA6556")
        .with_initials("OP")
        .with_description("on call");
    let created = client.spaces().create(&space).await.unwrap();
    assert_eq!(created.name, "Operations");
    assert!(matches!(client.spaces().create(&space).await, Err(Error::Conflict(_))));
    let fetched = client.spaces().get("ops").await.unwrap();
    assert_eq!(fetched.color.as_deref(), Some("#AA6556"));
    let updated = client.spaces().update(&fetched.with_description("rota")).await.unwrap();
    assert_eq!(updated.description.as_deref(), Some("rota"));
    let all = client.spaces().list().await.unwrap();
    assert!(all.iter().any(|s| s.id == "default" && s.reserved));
    assert!(matches!(
        client.spaces().delete("default").await,
        Err(Error::BadRequest(_))
    ));
    client.spaces().delete("ops").await.unwrap();
    assert!(matches!(client.spaces().get("ops").await, Err(Error::NotFound(_))));

    let before = kibana.request_count();
    for bad in [
        Space::new("x", "X").with_color("red"),
        Space::new("x", "X").with_initials("ABC"),
        Space::new("x", "X").with_image_url("https://example.com/a.png"),
        Space::new("x", ""),
        Space::new("X", "X"),
    ] {
        assert!(client.spaces().create(&bad).await.is_err(), "{bad:?}");
    }
    assert_eq!(kibana.request_count(), before, "bad spaces are refused locally");
}

#[tokio::test]
async fn status_and_availability() {
    let kibana = FakeKibana::builder().api_key("a2V5").version("9.4.0").start().await;
    let anonymous = Kibana::builder().url(kibana.url()).build().unwrap();
    let redacted = anonymous.status().get().await.unwrap();
    assert!(redacted.is_available());
    assert!(redacted.version.is_none());
    let client = Kibana::builder()
        .url(kibana.url())
        .api_key("a2V5")
        .on_version_mismatch(kibana::VersionMismatch::Refuse)
        .build()
        .unwrap();
    let status = client.status().get().await.unwrap();
    assert_eq!(status.version.unwrap().number, "9.4.0");
    assert!(matches!(
        client.status().compatibility().await,
        Err(Error::IncompatibleVersion { .. })
    ));
    let report = Kibana::builder()
        .url(kibana.url())
        .api_key("a2V5")
        .build()
        .unwrap()
        .status()
        .compatibility()
        .await
        .unwrap();
    assert_eq!(report.compatibility, kibana::Compatibility::Newer);

    kibana.set_status_level("unavailable");
    let status = client.status().get().await.unwrap();
    assert!(!status.is_available(), "a 503 with a status body is a status");
    let error = client
        .status()
        .wait_until_available(Duration::from_millis(600))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotAvailable { .. }), "{error:?}");
    kibana.set_status_level("available");
    client
        .status()
        .wait_until_available(Duration::from_secs(2))
        .await
        .unwrap();
}

#[tokio::test]
async fn copy_share_and_aliases() {
    use std::collections::BTreeMap;

    use kibana::{
        saved_objects::Reference,
        spaces::{CopyRetry, CopyToSpaces, LegacyUrlAlias, ObjectRef},
    };
    use serde_json::json;

    let (kibana, client) = with_spaces(&["source", "target", "other"]).await;
    let source = client.space("source");
    source
        .saved_objects()
        .create("visualization", Some("v1"), &json!({"title": "Chart"}), &[], false)
        .await
        .unwrap();
    source
        .saved_objects()
        .create(
            "dashboard",
            Some("d1"),
            &json!({"title": "Board"}),
            &[Reference::new("p", "visualization", "v1")],
            false,
        )
        .await
        .unwrap();

    let copy = CopyToSpaces::new(["target"], [ObjectRef::new("dashboard", "d1")]);
    let result = source.spaces().copy_saved_objects(&copy).await.unwrap();
    assert_eq!(result["target"].success_count, 2, "the dashboard and its visualization");
    assert_eq!(kibana.saved_object_count("target"), 2);
    assert_eq!(
        kibana.count("POST", "/s/source/api/spaces/_copy_saved_objects"),
        1,
        "copied from the view's space"
    );

    let again = source.spaces().copy_saved_objects(&copy).await.unwrap();
    assert_eq!(again["target"].errors.len(), 2);
    assert_eq!(again["target"].errors[0].kind(), "conflict");
    let retries = BTreeMap::from([(
        "target".to_owned(),
        vec![CopyRetry {
            object_type: "dashboard".into(),
            id: "d1".into(),
            overwrite: true,
            destination_id: None,
            ignore_missing_references: false,
        }],
    )]);
    let resolved = source
        .spaces()
        .resolve_copy_errors(&[ObjectRef::new("dashboard", "d1")], &retries, true)
        .await
        .unwrap();
    assert_eq!(resolved["target"].success_count, 1);

    let before = kibana.request_count();
    let both = CopyToSpaces::new(["target"], [ObjectRef::new("dashboard", "d1")])
        .overwrite(true)
        .create_new_copies(true);
    assert!(matches!(
        source.spaces().copy_saved_objects(&both).await,
        Err(Error::InvalidRequest(_))
    ));
    let bad_target = CopyToSpaces::new(["Not Valid"], [ObjectRef::new("dashboard", "d1")]);
    assert!(matches!(
        source.spaces().copy_saved_objects(&bad_target).await,
        Err(Error::InvalidSpaceId { .. })
    ));
    assert_eq!(kibana.request_count(), before, "refused locally");

    let shared = source
        .spaces()
        .update_objects_spaces(&[ObjectRef::new("visualization", "v1")], &["other"], &["target"])
        .await
        .unwrap();
    let mut spaces = shared[0].spaces.clone();
    spaces.sort();
    assert_eq!(spaces, ["other", "source"]);
    let references = source
        .spaces()
        .shareable_references(&[ObjectRef::new("dashboard", "d1")])
        .await
        .unwrap();
    assert_eq!(references.len(), 2);

    kibana.add_alias("source", "dashboard", "old", "d1");
    assert!(
        source
            .saved_objects()
            .resolve::<serde_json::Value>("dashboard", "old")
            .await
            .is_ok()
    );
    client
        .spaces()
        .disable_legacy_url_aliases(&[LegacyUrlAlias {
            target_space: "source".into(),
            target_type: "dashboard".into(),
            source_id: "old".into(),
        }])
        .await
        .unwrap();
    assert!(matches!(
        source
            .saved_objects()
            .resolve::<serde_json::Value>("dashboard", "old")
            .await,
        Err(Error::NotFound(_))
    ));
}
