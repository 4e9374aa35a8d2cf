//! Saved objects against the fake: CRUD, bulk partial failures, resolve outcomes, paging stream, export/import.

use futures::{StreamExt, TryStreamExt};
use kibana::{
    Error, Kibana, Space,
    saved_objects::{
        BulkItem, ExportLine, ExportOptions, FindOptions, ImportMode, ImportRetry, Reference, ResolveOutcome,
    },
};
use kibana_fake::FakeKibana;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Dashboard {
    title: String,
    #[serde(default)]
    description: String,
}

async fn setup() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder().url(kibana.url()).build().unwrap();
    (kibana, client)
}

fn dashboard(title: &str) -> Dashboard {
    Dashboard {
        title: title.into(),
        description: String::new(),
    }
}

#[tokio::test]
async fn typed_crud() {
    let (kibana, client) = setup().await;
    let so = client.saved_objects();
    let created = so
        .create("dashboard", Some("d1"), &dashboard("Sales"), &[], false)
        .await
        .unwrap();
    assert_eq!(created.attributes.title, "Sales");
    let error = so
        .create("dashboard", Some("d1"), &dashboard("Again"), &[], false)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
    so.create("dashboard", Some("d1"), &dashboard("Replaced"), &[], true)
        .await
        .unwrap();
    let random = so
        .create("dashboard", None, &dashboard("Random id"), &[], false)
        .await
        .unwrap();
    assert!(!random.id.is_empty());

    let fetched = so.get::<Dashboard>("dashboard", "d1").await.unwrap();
    assert_eq!(fetched.attributes, dashboard("Replaced"));
    so.update(
        "dashboard",
        "d1",
        &json!({"description": "q3"}),
        Some(&[Reference::new("panel_0", "visualization", "v1")]),
    )
    .await
    .unwrap();
    let fetched = so.get::<Dashboard>("dashboard", "d1").await.unwrap();
    assert_eq!(fetched.attributes.description, "q3");
    assert_eq!(fetched.references[0].id, "v1");
    let raw = so.get::<Value>("dashboard", "d1").await.unwrap();
    assert_eq!(raw.attributes["title"], "Replaced");

    so.delete("dashboard", "d1", false).await.unwrap();
    assert!(matches!(
        so.get::<Value>("dashboard", "d1").await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        so.delete("dashboard", "d1", true).await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(kibana.saved_object_count("default"), 1);
}

#[tokio::test]
async fn bulk_items_fail_one_by_one() {
    let (_kibana, client) = setup().await;
    let so = client.saved_objects();
    so.create("dashboard", Some("taken"), &dashboard("x"), &[], false)
        .await
        .unwrap();
    let (a, b) = (dashboard("a"), dashboard("b"));
    let created = so
        .bulk_create(
            &[("dashboard", Some("new"), &a), ("dashboard", Some("taken"), &b)],
            false,
        )
        .await
        .unwrap();
    assert!(matches!(&created[0], BulkItem::Ok(o) if o.id == "new"));
    let BulkItem::Failed(failure) = &created[1] else {
        panic!("{created:?}")
    };
    assert_eq!((failure.id.as_str(), failure.error.status_code), ("taken", 409));

    let got = so
        .bulk_get::<Dashboard>(&[("dashboard", "missing"), ("dashboard", "new")])
        .await
        .unwrap();
    assert!(
        matches!(&got[0], BulkItem::Failed(f) if f.error.status_code == 404),
        "request order is kept"
    );
    assert_eq!(got[1].clone().ok().unwrap().attributes.title, "a");

    let updated = so
        .bulk_update(&[
            ("dashboard", "new", json!({"title": "A"})),
            ("dashboard", "gone", json!({})),
        ])
        .await
        .unwrap();
    assert!(matches!(updated[0], BulkItem::Ok(_)) && matches!(updated[1], BulkItem::Failed(_)));

    let resolved = so
        .bulk_resolve::<Dashboard>(&[("dashboard", "new"), ("dashboard", "gone")])
        .await
        .unwrap();
    assert_eq!(resolved[0].as_ref().unwrap().outcome, ResolveOutcome::ExactMatch);
    assert!(resolved[1].is_err());

    let deleted = so
        .bulk_delete(&[("dashboard", "new"), ("dashboard", "gone")], false)
        .await
        .unwrap();
    assert!(deleted[0].is_ok());
    assert_eq!(deleted[1].as_ref().unwrap_err().error.status_code, 404);
}

#[tokio::test]
async fn resolve_outcomes() {
    let (kibana, client) = setup().await;
    let so = client.saved_objects();
    so.create("dashboard", Some("new-id"), &dashboard("moved"), &[], false)
        .await
        .unwrap();
    so.create("dashboard", Some("both"), &dashboard("both"), &[], false)
        .await
        .unwrap();
    kibana.add_alias("default", "dashboard", "old-id", "new-id");
    kibana.add_alias("default", "dashboard", "both", "new-id");
    assert_eq!(
        so.resolve::<Dashboard>("dashboard", "new-id").await.unwrap().outcome,
        ResolveOutcome::ExactMatch
    );
    let alias = so.resolve::<Dashboard>("dashboard", "old-id").await.unwrap();
    assert_eq!(
        alias.outcome,
        ResolveOutcome::AliasMatch {
            alias_target_id: "new-id".into()
        }
    );
    assert_eq!(alias.saved_object.attributes.title, "moved");
    let conflict = so.resolve::<Dashboard>("dashboard", "both").await.unwrap();
    assert_eq!(
        conflict.outcome,
        ResolveOutcome::Conflict {
            alias_target_id: "new-id".into()
        }
    );
    assert!(matches!(
        so.resolve::<Value>("dashboard", "nope").await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn find_with_filters_and_pages() {
    let (_kibana, client) = setup().await;
    let so = client.saved_objects();
    so.create(
        "visualization",
        Some("v1"),
        &json!({"title": "Revenue chart"}),
        &[],
        false,
    )
    .await
    .unwrap();
    so.create(
        "dashboard",
        Some("d1"),
        &dashboard("Revenue"),
        &[Reference::new("p", "visualization", "v1")],
        false,
    )
    .await
    .unwrap();
    so.create("dashboard", Some("d2"), &dashboard("Costs"), &[], false)
        .await
        .unwrap();
    let page = so
        .find::<Value>(&FindOptions::new(["dashboard"]).search("rev*"))
        .await
        .unwrap();
    assert_eq!((page.total, page.saved_objects[0].id.as_str()), (1, "d1"));
    let both = so
        .find::<Value>(&FindOptions::new(["dashboard", "visualization"]).per_page(2).page(2))
        .await
        .unwrap();
    assert_eq!((both.total, both.saved_objects.len(), both.page), (3, 1, 2));
    let referencing = so
        .find::<Value>(&FindOptions::new(["dashboard"]).has_reference("visualization", "v1"))
        .await
        .unwrap();
    assert_eq!(
        referencing
            .saved_objects
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>(),
        ["d1"]
    );
    let sorted = so
        .find::<Dashboard>(&FindOptions::new(["dashboard"]).sort_field("title").fields(["title"]))
        .await
        .unwrap();
    assert_eq!(sorted.saved_objects[0].attributes.title, "Costs");
    for bad in [
        FindOptions::new(Vec::<String>::new()),
        FindOptions::new(["dashboard"]).per_page(1000).page(11),
    ] {
        assert!(matches!(so.find::<Value>(&bad).await, Err(Error::InvalidRequest(_))));
    }
}

#[tokio::test]
async fn find_all_pages_lazily_and_stops_at_the_end() {
    let (kibana, client) = setup().await;
    kibana.seed_saved_objects("default", "index-pattern", 5000);
    kibana.clear_log();
    let all: Vec<_> = client
        .saved_objects()
        .find_all::<Value>(FindOptions::new(["index-pattern"]).per_page(100))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5000);
    assert_eq!(
        kibana.count("GET", "/api/saved_objects/_find"),
        50,
        "ceil(5000 / 100) requests"
    );

    kibana.clear_log();
    let first_three: Vec<_> = client
        .saved_objects()
        .find_all::<Value>(FindOptions::new(["index-pattern"]).per_page(100))
        .take(3)
        .collect()
        .await;
    assert_eq!(first_three.len(), 3);
    assert_eq!(
        kibana.count("GET", "/api/saved_objects/_find"),
        1,
        "only the pages consumed are fetched"
    );

    kibana.clear_log();
    let exact: Vec<_> = client
        .saved_objects()
        .find_all::<Value>(FindOptions::new(["index-pattern"]).per_page(1000))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(exact.len(), 5000);
    assert_eq!(
        kibana.count("GET", "/api/saved_objects/_find"),
        5,
        "an exact multiple needs no extra empty page"
    );

    let empty: Vec<_> = client
        .saved_objects()
        .find_all::<Value>(FindOptions::new(["lens"]))
        .try_collect()
        .await
        .unwrap();
    assert!(empty.is_empty());
}

#[tokio::test]
async fn find_all_refuses_to_cross_the_result_window() {
    let (kibana, client) = setup().await;
    kibana.seed_saved_objects("default", "config", 10_001);
    kibana.clear_log();
    let mut stream = Box::pin(
        client
            .saved_objects()
            .find_all::<Value>(FindOptions::new(["config"]).per_page(1000)),
    );
    let first = stream.next().await.unwrap();
    assert!(
        matches!(first, Err(Error::InvalidRequest(ref m)) if m.contains("10000")),
        "{first:?}"
    );
    assert!(stream.next().await.is_none());
    assert_eq!(kibana.count("GET", "/api/saved_objects/_find"), 1);
}

#[tokio::test]
async fn export_then_import_copies_a_dashboard_with_its_references_between_spaces() {
    let (kibana, client) = setup().await;
    for space in ["source", "target"] {
        client.spaces().create(&Space::new(space, space)).await.unwrap();
    }
    let source = client.space("source").saved_objects();
    source
        .create("visualization", Some("v1"), &json!({"title": "Chart"}), &[], false)
        .await
        .unwrap();
    source
        .create(
            "dashboard",
            Some("d1"),
            &dashboard("Board"),
            &[Reference::new("panel_0", "visualization", "v1")],
            false,
        )
        .await
        .unwrap();

    let lines: Vec<ExportLine> = source
        .export(&ExportOptions::objects([("dashboard", "d1")]).include_references_deep(true))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(lines.len(), 3);
    let ExportLine::Details(details) = lines.last().unwrap() else {
        panic!("the trailer is parsed as details")
    };
    assert_eq!(details.exported_count, 2);
    assert!(lines[..2].iter().all(|l| matches!(l, ExportLine::Object(_))));

    let raw: Vec<bytes::Bytes> = source
        .export_lines(&ExportOptions::types(["dashboard", "visualization"]))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let mut ndjson = raw.join(&b'\n');
    ndjson.push(b'\n');
    let target = client.space("target").saved_objects();
    let result = target
        .import(ndjson.clone(), ImportMode::ReportConflicts)
        .await
        .unwrap();
    assert!(result.success);
    assert_eq!(result.success_count, 2);
    let copied = target.get::<Dashboard>("dashboard", "d1").await.unwrap();
    assert_eq!(copied.references[0].id, "v1");
    assert_eq!(kibana.saved_object_count("target"), 2);

    let again = target
        .import(ndjson.clone(), ImportMode::ReportConflicts)
        .await
        .unwrap();
    assert!(!again.success);
    assert_eq!(again.errors.len(), 2);
    assert_eq!(
        again.errors[0].kind(),
        "conflict",
        "conflicts are per object, not an HTTP 409"
    );
    let retried = target
        .resolve_import_errors(
            ndjson.clone(),
            &[ImportRetry {
                object_type: "dashboard".into(),
                id: "d1".into(),
                overwrite: true,
                destination_id: None,
            }],
            false,
        )
        .await
        .unwrap();
    assert_eq!(retried.success_count, 1);
    let copies = target.import(ndjson, ImportMode::CreateNewCopies).await.unwrap();
    assert!(copies.success_results.iter().all(|r| r.destination_id.is_some()));
    assert_eq!(kibana.saved_object_count("target"), 4);
}
