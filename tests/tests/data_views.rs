//! Data views against the fake Kibana: every call of `client.data_views()`, local validation (nothing sent), and
//! space isolation.

use std::collections::BTreeMap;

use kibana::{
    Error, Kibana, Space,
    data_views::{
        DataView, DataViewUpdate, FieldAttrs, FieldFormat, FieldMetadata, RuntimeField, RuntimeFieldType,
        SwapReferences,
    },
    saved_objects::Reference,
};
use kibana_fake::FakeKibana;
use serde_json::json;

async fn start() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder().url(kibana.url()).build().unwrap();
    (kibana, client)
}

fn logs() -> DataView {
    DataView::new("logs-*")
        .id("logs")
        .name("Logs")
        .time_field("@timestamp")
        .source_filter("secret.*")
        .field_format("bytes", FieldFormat::new("bytes").param("pattern", "0,0.[0]b"))
        .field_attrs("host", FieldAttrs::default().custom_label("Host"))
        .runtime_field(
            "day",
            RuntimeField::new(RuntimeFieldType::Keyword)
                .script("emit(doc['@timestamp'].value.dayOfWeekEnum.toString())"),
        )
}

#[tokio::test]
async fn create_get_list_update_delete_round_trip() {
    let (kibana, client) = start().await;
    let views = client.data_views();
    let created = views.create(&logs(), false).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("logs"));
    assert_eq!(created.title, "logs-*");
    assert_eq!(created.time_field_name.as_deref(), Some("@timestamp"));
    assert_eq!(created.namespaces, ["default"]);
    assert!(created.version.is_some());
    let sent = kibana
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(sent["override"], json!(false));
    assert_eq!(sent["data_view"]["runtimeFieldMap"]["day"]["type"], "keyword");

    let got = views.get("logs").await.unwrap();
    assert_eq!(got.runtime_field_map, logs().runtime_field_map);
    assert_eq!(got.field_formats, logs().field_formats);
    assert_eq!(got.field_attrs, logs().field_attrs);
    assert_eq!(got.source_filters, logs().source_filters);
    assert!(got.fields.as_ref().is_some_and(|f| f.contains_key("day")));

    let listed = views.list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id.as_str(), listed[0].title.as_str()), ("logs", "logs-*"));
    assert_eq!(listed[0].name.as_deref(), Some("Logs"));

    let updated = views
        .update(
            "logs",
            &DataViewUpdate::new()
                .title("logs-*,metrics-*")
                .name("All")
                .refresh_fields(true),
        )
        .await
        .unwrap();
    assert_eq!(updated.title, "logs-*,metrics-*");
    assert_eq!(updated.name.as_deref(), Some("All"));
    assert_eq!(
        updated.time_field_name.as_deref(),
        Some("@timestamp"),
        "a partial update keeps the rest"
    );
    assert_ne!(updated.version, created.version);
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(
        sent,
        json!({"data_view": {"title": "logs-*,metrics-*", "name": "All"}, "refresh_fields": true})
    );

    views.delete("logs").await.unwrap();
    assert!(matches!(views.get("logs").await, Err(Error::NotFound(_))));
    assert!(matches!(views.delete("logs").await, Err(Error::NotFound(_))));
    assert!(kibana.data_view_ids("default").is_empty());
}

#[tokio::test]
async fn kibana_chooses_the_id_when_none_is_given_and_override_replaces_a_title() {
    let (kibana, client) = start().await;
    let views = client.data_views();
    let first = views.create(&DataView::new("metrics-*"), false).await.unwrap();
    let id = first.id.clone().unwrap();
    assert!(!id.is_empty());
    assert_eq!(
        first.name.as_deref(),
        Some("metrics-*"),
        "Kibana names it after its title"
    );
    let duplicate = views.create(&DataView::new("metrics-*"), false).await.unwrap_err();
    assert!(
        matches!(&duplicate, Error::BadRequest(e) if e.body.message.contains("Duplicate data view")),
        "{duplicate}"
    );
    let replaced = views
        .create(&DataView::new("metrics-*").id("metrics"), true)
        .await
        .unwrap();
    assert_eq!(replaced.id.as_deref(), Some("metrics"));
    assert_eq!(kibana.data_view_ids("default"), ["metrics"]);
    let taken = views
        .create(&DataView::new("other-*").id("metrics"), false)
        .await
        .unwrap_err();
    assert!(matches!(taken, Error::Conflict(_)), "{taken}");
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (kibana, client) = start().await;
    let views = client.data_views();
    let refused = [
        views.create(&DataView::new(""), false).await.unwrap_err(),
        views.create(&DataView::new("a-*").id(""), false).await.unwrap_err(),
        views.update("x", &DataViewUpdate::new().title(" ")).await.unwrap_err(),
        views.get("").await.unwrap_err(),
        views
            .create_runtime_field("x", "", &RuntimeField::new(RuntimeFieldType::Long))
            .await
            .unwrap_err(),
        views
            .create_runtime_field("x", "c", &RuntimeField::new(RuntimeFieldType::Composite))
            .await
            .unwrap_err(),
        views
            .update_field_metadata(
                "x",
                &BTreeMap::from([("f".to_owned(), FieldMetadata::new().custom_description("d".repeat(301)))]),
            )
            .await
            .unwrap_err(),
        views.update_field_metadata("x", &BTreeMap::new()).await.unwrap_err(),
        views.set_default(Some(""), true).await.unwrap_err(),
        views.swap_references(&SwapReferences::new("a", "")).await.unwrap_err(),
    ];
    for error in &refused {
        assert!(matches!(error, Error::InvalidRequest(_)), "{error}");
    }
    assert_eq!(kibana.request_count(), 0, "{:?}", kibana.requests());
}

#[tokio::test]
async fn runtime_fields_create_get_update_upsert_delete() {
    let (_kibana, client) = start().await;
    let views = client.data_views();
    views.create(&DataView::new("logs-*").id("logs"), false).await.unwrap();
    let long = RuntimeField::new(RuntimeFieldType::Long).script("emit(1)");
    let view = views.create_runtime_field("logs", "one", &long).await.unwrap();
    assert_eq!(view.runtime_field_map["one"], long);
    let again = views.create_runtime_field("logs", "one", &long).await.unwrap_err();
    assert!(matches!(again, Error::BadRequest(_)), "{again}");
    assert_eq!(views.runtime_field("logs", "one").await.unwrap(), long);

    let double = RuntimeField::new(RuntimeFieldType::Double).script("emit(1.5)");
    views.update_runtime_field("logs", "one", &double).await.unwrap();
    assert_eq!(views.runtime_field("logs", "one").await.unwrap(), double);

    let composite = RuntimeField::new(RuntimeFieldType::Composite)
        .script("emit(Map.of('a', 1, 'b', 'x'))")
        .subfield("a", RuntimeFieldType::Long)
        .subfield("b", RuntimeFieldType::Keyword);
    views.upsert_runtime_field("logs", "both", &composite).await.unwrap();
    views.upsert_runtime_field("logs", "both", &composite).await.unwrap();
    assert_eq!(views.runtime_field("logs", "both").await.unwrap(), composite);

    views.delete_runtime_field("logs", "one").await.unwrap();
    assert!(matches!(
        views.runtime_field("logs", "one").await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        views.delete_runtime_field("logs", "one").await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        views.create_runtime_field("nope", "x", &long).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn field_metadata_sets_and_clears() {
    let (kibana, client) = start().await;
    let views = client.data_views();
    views.create(&DataView::new("logs-*").id("logs"), false).await.unwrap();
    let set = BTreeMap::from([
        (
            "host".to_owned(),
            FieldMetadata::new()
                .custom_label("Host")
                .custom_description("The host")
                .count(3),
        ),
        ("user".to_owned(), FieldMetadata::new().custom_label("User")),
    ]);
    views.update_field_metadata("logs", &set).await.unwrap();
    let attrs = views.get("logs").await.unwrap().field_attrs;
    assert_eq!(
        attrs["host"],
        FieldAttrs::default()
            .custom_label("Host")
            .custom_description("The host")
            .count(3)
    );
    assert_eq!(attrs["user"].custom_label.as_deref(), Some("User"));

    let clear = BTreeMap::from([(
        "host".to_owned(),
        FieldMetadata::new().clear_custom_label().clear_count(),
    )]);
    views.update_field_metadata("logs", &clear).await.unwrap();
    let sent = kibana.requests().last().unwrap().json().unwrap();
    assert_eq!(sent, json!({"fields": {"host": {"customLabel": null, "count": null}}}));
    let attrs = views.get("logs").await.unwrap().field_attrs;
    assert_eq!(attrs["host"], FieldAttrs::default().custom_description("The host"));
}

#[tokio::test]
async fn the_default_data_view_is_per_space_and_kept_without_force() {
    let (_kibana, client) = start().await;
    client.spaces().create(&Space::new("ops", "Ops")).await.unwrap();
    let views = client.data_views();
    assert_eq!(views.default_id().await.unwrap(), None);
    views.set_default(Some("logs"), false).await.unwrap();
    assert_eq!(views.default_id().await.unwrap().as_deref(), Some("logs"));
    views.set_default(Some("metrics"), false).await.unwrap();
    assert_eq!(
        views.default_id().await.unwrap().as_deref(),
        Some("logs"),
        "kept without force"
    );
    views.set_default(Some("metrics"), true).await.unwrap();
    assert_eq!(views.default_id().await.unwrap().as_deref(), Some("metrics"));
    assert_eq!(views.in_space("ops").default_id().await.unwrap(), None, "per space");
    views.set_default(None, true).await.unwrap();
    assert_eq!(views.default_id().await.unwrap(), None);
}

#[tokio::test]
async fn swap_references_previews_then_applies_and_deletes_the_old_view() {
    let (_kibana, client) = start().await;
    let views = client.data_views();
    views.create(&DataView::new("old-*").id("old"), false).await.unwrap();
    views.create(&DataView::new("new-*").id("new"), false).await.unwrap();
    let objects = client.saved_objects();
    let reference = Reference::new("kibanaSavedObjectMeta.searchSourceJSON.index", "index-pattern", "old");
    for id in ["s1", "s2"] {
        objects
            .create(
                "search",
                Some(id),
                &json!({"title": id}),
                std::slice::from_ref(&reference),
                false,
            )
            .await
            .unwrap();
    }
    let swap = SwapReferences::new("old", "new").delete_source(true);
    let mut preview = views.preview_swap_references(&swap).await.unwrap();
    preview.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(preview.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), ["s1", "s2"]);
    assert_eq!(
        objects
            .get::<serde_json::Value>("search", "s1")
            .await
            .unwrap()
            .references[0]
            .id,
        "old",
        "a preview changes nothing"
    );

    let only_s1 = views
        .swap_references(
            &SwapReferences::new("old", "new")
                .for_objects("search", ["s1"])
                .delete_source(true),
        )
        .await
        .unwrap();
    assert_eq!(only_s1.result.len(), 1);
    let status = only_s1.delete_status.unwrap();
    assert_eq!(
        (status.remaining_refs, status.delete_performed),
        (1, false),
        "s2 still references it"
    );

    let rest = views.swap_references(&swap).await.unwrap();
    assert_eq!(rest.result.len(), 1);
    assert!(rest.delete_status.unwrap().delete_performed);
    assert!(matches!(views.get("old").await, Err(Error::NotFound(_))));
    assert_eq!(
        objects
            .get::<serde_json::Value>("search", "s2")
            .await
            .unwrap()
            .references[0]
            .id,
        "new"
    );
}

#[tokio::test]
async fn data_views_are_isolated_per_space() {
    let (kibana, client) = start().await;
    client.spaces().create(&Space::new("ops", "Ops")).await.unwrap();
    let ops = client.space("ops").data_views();
    ops.create(&DataView::new("logs-*").id("logs"), false).await.unwrap();
    assert_eq!(ops.get("logs").await.unwrap().namespaces, ["ops"]);
    assert!(matches!(client.data_views().get("logs").await, Err(Error::NotFound(_))));
    assert!(client.data_views().list().await.unwrap().is_empty());
    // The same title in another space is no duplicate.
    client
        .data_views()
        .create(&DataView::new("logs-*").id("logs"), false)
        .await
        .unwrap();
    assert_eq!(kibana.data_view_ids("ops"), ["logs"]);
    assert_eq!(kibana.data_view_ids("default"), ["logs"]);
    assert!(
        kibana
            .requests()
            .iter()
            .any(|r| r.path == "/s/ops/api/data_views/data_view/logs")
    );
}

#[tokio::test]
async fn an_unknown_space_is_refused_before_any_data_view_call() {
    let (kibana, client) = start().await;
    let error = client
        .space("nowhere")
        .data_views()
        .create(&logs(), false)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SpaceNotFound { .. }), "{error}");
    assert_eq!(kibana.write_count(), 0);
}
