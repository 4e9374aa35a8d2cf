//! Cursor streams (`kibana_gen::paging::cursor_stream`) against the fake Kibana, which pages as Kibana does:
//! Fleet's agents follow `searchAfter` only inside a point in time, past Elasticsearch's 10 000 result window that
//! ends paging by number; the value lists' `cursor` marks a page and is sent with the next page number.

use std::convert::Infallible;

use futures::{StreamExt, TryStreamExt};
use kibana::Kibana;
use kibana_fake::{FakeKibana, Fault};
use kibana_gen::paging::{self, CursorPage, Page};

const AGENTS: &str = "/api/fleet/agents";
const LISTS: &str = "/api/lists/_find";

async fn setup() -> (FakeKibana, Kibana) {
    let kibana = FakeKibana::start().await;
    let client = Kibana::builder().url(kibana.url()).build().unwrap();
    (kibana, client)
}

fn value<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn fleet_agents_are_followed_by_search_after_inside_the_point_in_time_the_first_request_opens() {
    let (kibana, client) = setup().await;
    kibana.seed_fleet_agents(250);
    let api = client.api();
    let agents: Vec<_> = api
        .get_fleet_agents()
        .show_inactive(true)
        .stream_by_cursor()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = agents.iter().map(|a| a.id.clone()).collect();
    let expected: Vec<String> = (0..250).map(|i| format!("agent-{i:05}")).collect();
    assert_eq!(ids, expected, "every agent once, in Fleet's order");

    let queries = kibana.queries("GET", AGENTS);
    assert_eq!(
        queries.len(),
        3,
        "100, 100, then a short page of 50 ends it: {queries:?}"
    );
    let first = &queries[0];
    assert_eq!(value(first, "openPit"), Some("true"));
    assert_eq!(value(first, "perPage"), Some("100"));
    assert_eq!(value(first, "searchAfter"), None);
    for (query, last_before) in queries[1..].iter().zip([99, 199]) {
        assert_eq!(
            value(query, "pitId"),
            Some("pit-1"),
            "the point in time the first answer opened"
        );
        assert_eq!(value(query, "openPit"), None, "not a second point in time");
        let after: serde_json::Value = serde_json::from_str(value(query, "searchAfter").unwrap()).unwrap();
        assert_eq!(
            after[1],
            format!("host-{last_before:05}"),
            "the last agent's sort values"
        );
        assert_eq!(
            value(query, "showInactive"),
            Some("true"),
            "the caller's parameters every time"
        );
    }
}

#[tokio::test]
async fn the_cursor_reaches_agents_past_the_result_window_where_page_numbers_stop() {
    let (kibana, client) = setup().await;
    kibana.seed_fleet_agents(10_500);
    let api = client.api();
    let by_cursor: Vec<_> = api
        .get_fleet_agents()
        .per_page(1000)
        .stream_by_cursor()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_cursor.len(), 10_500);
    assert_eq!(kibana.count("GET", AGENTS), 11);

    let mut by_number = api.get_fleet_agents().per_page(1000).stream();
    let mut taken = 0;
    let error = loop {
        match by_number.next().await.expect("an error before the end") {
            Ok(_) => taken += 1,
            Err(error) => break error,
        }
    };
    assert_eq!(taken, 10_000, "page numbers end at Elasticsearch's result window");
    assert!(error.to_string().contains("Result window is too large"), "{error}");
}

#[tokio::test]
async fn value_lists_send_each_answers_cursor_with_the_next_page() {
    let (kibana, client) = setup().await;
    kibana.seed_lists("default", 45);
    let api = client.api();
    let lists: Vec<_> = api
        .get_lists_find()
        .per_page(20)
        .stream_by_cursor()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = lists
        .iter()
        .map(|l| serde_json::to_value(&l.id).unwrap().as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, (0..45).map(|i| format!("list-{i:05}")).collect::<Vec<_>>());
    let queries = kibana.queries("GET", LISTS);
    let pages: Vec<_> = queries.iter().map(|q| value(q, "page").unwrap().to_owned()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert_eq!(value(&queries[0], "cursor"), None);
    assert!(queries[1..].iter().all(|q| value(q, "cursor").is_some()));
    assert_eq!(kibana.list_scrolls(), 0, "each cursor marked the page it was sent with");

    // By number, the same lists (Kibana scrolls to each page instead).
    kibana.clear_log();
    let by_number: Vec<_> = api.get_lists_find().per_page(20).stream().try_collect().await.unwrap();
    assert_eq!(by_number.len(), 45);
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_a_cursor_stream() {
    let (kibana, client) = setup().await;
    kibana.seed_fleet_agents(150);
    let api = client.api();
    let mut stream = api.get_fleet_agents().stream_by_cursor();
    assert!(stream.next().await.unwrap().is_ok());
    kibana.inject(Fault::status(400).on("GET", AGENTS).times(1));
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

/// A page of numbers naming the cursor a server chose.
struct Numbers {
    items: Vec<u32>,
    next: Option<u32>,
    total: Option<u64>,
}

impl Page for Numbers {
    type Item = u32;
    fn into_items(self) -> Vec<u32> {
        self.items
    }
    fn total(&self) -> Option<u64> {
        self.total
    }
}

impl CursorPage for Numbers {
    type Cursor = u32;
    fn next_cursor(&self) -> Option<u32> {
        self.next
    }
}

#[tokio::test]
async fn a_server_that_ignores_the_cursor_ends_the_stream_without_repeating_a_page() {
    let sent = std::sync::Mutex::new(Vec::new());
    // The cursor is ignored: every answer is the first page, naming the same cursor.
    let items: Vec<u32> = paging::cursor_stream(Some(3), |cursor: Option<u32>| {
        sent.lock().unwrap().push(cursor);
        async {
            Ok::<_, Infallible>(Numbers {
                items: vec![1, 2, 3],
                next: Some(3),
                total: None,
            })
        }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(*sent.lock().unwrap(), [None, Some(3)]);
}

#[tokio::test]
async fn a_cursor_stream_ends_on_the_total_a_missing_cursor_or_an_empty_page() {
    // `total` reached: no third request although the answer names a cursor.
    let calls = std::sync::atomic::AtomicU32::new(0);
    let items: Vec<u32> = paging::cursor_stream(None, |cursor: Option<u32>| {
        calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let start = cursor.map_or(0, |c| c + 1);
        async move {
            Ok::<_, Infallible>(Numbers {
                items: vec![start, start + 1],
                next: Some(start + 1),
                total: Some(4),
            })
        }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(items, [0, 1, 2, 3]);
    assert_eq!(calls.into_inner(), 2);

    // No cursor in the answer: one page.
    let one: Vec<u32> = paging::cursor_stream(None, |_: Option<u32>| async {
        Ok::<_, Infallible>(Numbers {
            items: vec![7],
            next: None,
            total: None,
        })
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(one, [7]);

    // An empty page ends it although it names a cursor.
    let none: Vec<u32> = paging::cursor_stream(None, |_: Option<u32>| async {
        Ok::<_, Infallible>(Numbers {
            items: Vec::new(),
            next: Some(1),
            total: None,
        })
    })
    .try_collect()
    .await
    .unwrap();
    assert!(none.is_empty());
}
