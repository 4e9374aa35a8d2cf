//! `.stream()` on the calls of operations that page by page number (`kibana_gen::paging`), against the fake
//! Kibana: every item of every page, the pages asked for one by one with the caller's other parameters, the end
//! found by a short page, the answer's `total` or the document's last page, and an error that ends the stream.

use std::{future::IntoFuture, num::NonZeroU64};

use futures::{StreamExt, TryStreamExt};
use kibana::{Kibana, generated::types::PostMaintenanceWindowBody};
use kibana_fake::{FakeKibana, Fault};
use kibana_gen::paging::{self, Page, Pages};
use serde_json::{Map, Value, json};

const FIND: &str = "/api/maintenance_window/_find";

async fn setup() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder().url(kibana.url()).build().unwrap();
    (kibana, client)
}

/// Creates `count` maintenance windows titled `title`.
async fn windows(client: &Kibana, title: &str, count: usize) {
    let body: PostMaintenanceWindowBody = serde_json::from_value(json!({
        "title": title,
        "schedule": {"custom": {"start": "2026-01-01T00:00:00.000Z", "duration": "1h"}},
    }))
    .unwrap();
    let api = client.api();
    for _ in 0..count {
        api.post_maintenance_window(&body).await.unwrap();
    }
}

fn size(n: u64) -> NonZeroU64 {
    NonZeroU64::new(n).unwrap()
}

fn value<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_stream_yields_every_item_of_every_page_asking_for_each_page_once() {
    let (kibana, client) = setup().await;
    windows(&client, "patch night", 250).await;
    kibana.clear_log();
    let all: Vec<_> = client
        .api()
        .get_maintenance_window_find()
        .per_page(size(100))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 250);
    let mut ids: Vec<&str> = all.iter().map(|w| w.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 250, "no item twice");
    assert_eq!(kibana.count("GET", FIND), 3, "pages of 100, 100 and 50");
    for (query, page) in kibana.queries("GET", FIND).iter().zip(["1", "2", "3"]) {
        assert_eq!(value(query, "page"), Some(page));
        assert_eq!(value(query, "per_page"), Some("100"));
    }
}

#[tokio::test]
async fn the_callers_parameters_and_first_page_are_sent_with_every_page_and_the_total_ends_it() {
    let (kibana, client) = setup().await;
    windows(&client, "a", 150).await;
    windows(&client, "b", 20).await;
    kibana.clear_log();
    // Pages 2 and 3 of 50 windows titled `a`: page 3 is full, but the answer's `total` (150) says it is the last.
    let found: Vec<_> = client
        .api()
        .get_maintenance_window_find()
        .title("a")
        .page(size(2))
        .per_page(size(50))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 100);
    assert!(found.iter().all(|w| w.title.as_deref() == Some("a")));
    let queries = kibana.queries("GET", FIND);
    assert_eq!(queries.len(), 2, "no request for an empty page 4: {queries:?}");
    for (query, page) in queries.iter().zip(["2", "3"]) {
        assert_eq!(value(query, "page"), Some(page));
        assert_eq!(value(query, "per_page"), Some("50"));
        assert_eq!(value(query, "title"), Some("a"));
    }
}

#[tokio::test]
async fn without_a_page_size_the_stream_asks_for_100_and_stops_at_the_documents_last_page() {
    let (kibana, client) = setup().await;
    windows(&client, "w", 3).await;
    kibana.clear_log();
    let few: Vec<_> = client
        .api()
        .get_maintenance_window_find()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(few.len(), 3);
    let first = &kibana.queries("GET", FIND)[0];
    assert_eq!(
        (value(first, "page"), value(first, "per_page")),
        (Some("1"), Some("100"))
    );

    // Page 100 of one window each is full, but the document allows no page 101 (the fake, like Kibana, refuses it).
    windows(&client, "w", 97).await;
    kibana.clear_log();
    let last: Vec<_> = client
        .api()
        .get_maintenance_window_find()
        .page(size(100))
        .per_page(size(1))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(kibana.count("GET", FIND), 1);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_stream() {
    let (kibana, client) = setup().await;
    windows(&client, "w", 150).await;
    let api = client.api();
    let mut stream = api.get_maintenance_window_find().per_page(size(100)).stream();
    // The stream is lazy: page 1 is asked for by the first poll, page 2 only once its 100 items are taken.
    assert!(stream.next().await.unwrap().is_ok());
    kibana.inject(Fault::status(400).on("GET", FIND).times(1));
    let mut taken = 1;
    let error = loop {
        match stream.next().await.expect("an error before the end") {
            Ok(_) => taken += 1,
            Err(error) => break error,
        }
    };
    assert_eq!(taken, 100);
    assert!(error.to_string().contains("400"), "{error}");
    assert!(stream.next().await.is_none(), "the stream ends after its error");
}

/// An answer the document does not describe (`_find`'s is a bare `object`, so its call has no `.stream()`), read
/// by a `Page` of the caller's own, through the same stream.
struct FoundObjects(Map<String, Value>);

impl Page for FoundObjects {
    type Item = Value;

    fn into_items(mut self) -> Vec<Value> {
        match self.0.remove("saved_objects") {
            Some(Value::Array(objects)) => objects,
            _ => Vec::new(),
        }
    }

    fn total(&self) -> Option<u64> {
        self.0.get("total").and_then(Value::as_u64)
    }
}

#[tokio::test]
async fn paging_stream_pages_an_answer_of_the_callers_own_type() {
    let (kibana, client) = setup().await;
    kibana.seed_saved_objects("default", "config", 250);
    let types: kibana::generated::types::GetSavedObjectsFindType = serde_json::from_value(json!(["config"])).unwrap();
    let api = client.api();
    // `_find` is deprecated by Kibana. The call's `IntoFuture` is a boxed `Send` future, which spares the compiler
    // proving `Send` for the executor's future inside this closure (rust-lang/rust#100013).
    #[allow(deprecated)]
    let objects: Vec<Value> = paging::stream(Pages::<i64, i64>::new(1, 100), |page, per_page| {
        let answer = api
            .get_saved_objects_find(&types)
            .page(page)
            .per_page(per_page)
            .into_future();
        async move { answer.await.map(|answer| FoundObjects(answer.into_inner())) }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(objects.len(), 250);
    assert!(objects.iter().all(|o| o["type"] == "config"));
    let queries = kibana.queries("GET", "/api/saved_objects/_find");
    assert_eq!(queries.len(), 3);
    for (query, page) in queries.iter().zip(["1", "2", "3"]) {
        assert_eq!(value(query, "page"), Some(page));
        assert_eq!(value(query, "per_page"), Some("100"));
        assert_eq!(value(query, "type"), Some("config"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_is_send_and_runs_in_a_spawned_task() {
    let (kibana, client) = setup().await;
    windows(&client, "w", 120).await;
    let task = tokio::spawn(async move {
        let api = client.api();
        let found: Vec<_> = api.get_maintenance_window_find().stream().try_collect().await?;
        Ok::<_, kibana::Error>(found.len())
    });
    assert_eq!(task.await.unwrap().unwrap(), 120);
    assert_eq!(kibana.count("GET", FIND), 2);
}
