//! `kibana::blocking` against the fake: every typed API, space scoping, errors, iterators, `api().call`, the refusal
//! inside an async runtime (no panic, no deadlock), clones sharing one runtime, and what dropping does. Also the
//! parity check: every public method of the async typed APIs has a blocking twin.

use std::{
    collections::BTreeMap,
    future::{Future, IntoFuture},
    io::{Read, Write},
    path::{Path, PathBuf},
    pin::Pin,
    sync::mpsc,
    time::Duration,
};

use kibana::{
    ConfigError, Error, Space,
    blocking::Kibana,
    connectors::types::{ServerLog, ServerLogParams, Webhook, WebhookConfig, WebhookSecrets},
    data_views::{DataView, DataViewUpdate, RuntimeField, RuntimeFieldType},
    rules::{
        FindRules, NewRule, Schedule,
        types::{IndexThreshold, IndexThresholdParams, ThresholdComparator, TimeUnit},
    },
    saved_objects::{ExportLine, ExportOptions, FindOptions, ImportMode},
};
use kibana_fake::{FakeKibana, Fault};
use quote::ToTokens;
use serde_json::{Value, json};

/// A fake Kibana on a runtime of its own (the fake is async; the blocking client must not run on a runtime).
struct Fake {
    kibana: FakeKibana,
    _runtime: tokio::runtime::Runtime,
}

impl std::ops::Deref for Fake {
    type Target = FakeKibana;
    fn deref(&self) -> &FakeKibana {
        &self.kibana
    }
}

fn fake_with(builder: kibana_fake::FakeKibanaBuilder) -> Fake {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let kibana = runtime.block_on(builder.start());
    Fake {
        kibana,
        _runtime: runtime,
    }
}

fn setup() -> (Fake, Kibana) {
    let fake = fake_with(FakeKibana::builder());
    let client = Kibana::builder().url(fake.url()).build().unwrap();
    (fake, client)
}

/// Runs `work` on a thread of its own and fails the test if it has not finished within `limit`: a deadlock or a
/// hang fails instead of stalling the suite.
fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = done.send(work());
    });
    match result.recv_timeout(limit) {
        Ok(value) => {
            worker.join().unwrap();
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The work panicked: show its panic.
            std::panic::resume_unwind(worker.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("still running after {limit:?}: a deadlock or a hang"),
    }
}

fn refused(result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Err(Error::Config(ConfigError::BlockingInAsyncRuntime)) => {}
        other => panic!("expected BlockingInAsyncRuntime, got {other:?}"),
    }
}

fn threshold() -> IndexThresholdParams {
    IndexThresholdParams::new(
        ["logs-*"],
        "@timestamp",
        ThresholdComparator::GreaterThan,
        [10.0],
        5,
        TimeUnit::Minutes,
    )
}

// ---------------------------------------------------------------------------------------------------------------
// Every typed API, blocking.

#[test]
fn connectors_round_trip_blocking() {
    let (fake, client) = setup();
    let connectors = client.connectors();
    let created = connectors
        .create::<Webhook>(
            "hook",
            &WebhookConfig::new("https://example.com/hook"),
            &WebhookSecrets::none(),
        )
        .unwrap();
    assert_eq!(created.config.url, "https://example.com/hook");
    assert_eq!(connectors.get(&created.id).unwrap().connector_type_id, ".webhook");
    assert_eq!(
        connectors.get_typed::<Webhook>(&created.id).unwrap().config.url,
        "https://example.com/hook"
    );
    let by_id = connectors
        .create_with_id::<ServerLog>("log-1", "log", &Default::default(), &Default::default())
        .unwrap();
    assert_eq!(by_id.id, "log-1");
    let raw = connectors
        .create_raw(None, "raw log", ".server-log", &json!({}), &json!({}))
        .unwrap();
    let updated = connectors
        .update::<Webhook>(
            &created.id,
            "hook 2",
            &WebhookConfig::new("https://example.com/other"),
            &WebhookSecrets::none(),
        )
        .unwrap();
    assert_eq!(updated.name, "hook 2");
    connectors
        .update_raw(&raw.id, "raw log 2", &json!({}), &json!({}))
        .unwrap();
    let outcome = connectors
        .execute::<ServerLog>("log-1", &ServerLogParams::new("hello"))
        .unwrap();
    outcome.into_result().unwrap();
    connectors
        .execute_raw("log-1", &json!({"message": "raw hello"}))
        .unwrap()
        .into_result()
        .unwrap();
    assert!(!connectors.list_types(None).unwrap().is_empty());
    assert_eq!(connectors.list().unwrap().len(), 3);
    connectors.delete(&raw.id).unwrap();
    assert_eq!(fake.connector_ids("default").len(), 2);
    // The typed check is the async API's: a connector of another type is refused, nothing changed.
    let mismatch = connectors.get_typed::<Webhook>("log-1").unwrap_err();
    assert!(matches!(mismatch, Error::ConnectorTypeMismatch(_)), "{mismatch:?}");
}

#[test]
fn rules_round_trip_and_find_all_is_a_lazy_iterator() {
    let (fake, client) = setup();
    let rules = client.rules();
    let created = rules
        .create::<IndexThreshold>(&NewRule::new("r0", "stackAlerts", Schedule::every("1m"), threshold()))
        .unwrap();
    assert_eq!(
        rules.get_typed::<IndexThreshold>(&created.id).unwrap().params,
        threshold()
    );
    for i in 1..25 {
        rules
            .create_with_id::<IndexThreshold>(
                &format!("rule-{i:02}"),
                &NewRule::new(format!("r{i}"), "stackAlerts", Schedule::every("1m"), threshold()),
            )
            .unwrap();
    }
    let raw = rules.get("rule-01").unwrap();
    assert_eq!(raw.name, "r1");
    rules
        .update(
            "rule-01",
            &NewRule::new("renamed", "stackAlerts", Schedule::every("5m"), threshold()),
        )
        .unwrap();
    assert_eq!(rules.get("rule-01").unwrap().name, "renamed");
    for call in [
        Rules::disable,
        Rules::enable,
        Rules::mute_all,
        Rules::unmute_all,
        Rules::update_api_key,
    ] {
        call(&rules, "rule-02").unwrap();
    }
    rules.mute_alert("rule-02", "alert-1").unwrap();
    rules.unmute_alert("rule-02", "alert-1").unwrap();
    assert_eq!(rules.find(&FindRules::all().per_page(10)).unwrap().total, 25);

    fake.clear_log();
    let mut all = rules.find_all(FindRules::all().per_page(10));
    assert_eq!(fake.request_count(), 0, "nothing is fetched before the first next()");
    let first = all.next().unwrap().unwrap();
    assert!(!first.id.is_empty());
    assert_eq!(fake.count("GET", "/api/alerting/rules/_find"), 1, "one page fetched");
    assert_eq!(all.by_ref().count(), 24);
    assert_eq!(fake.count("GET", "/api/alerting/rules/_find"), 3, "ceil(25 / 10) pages");
    assert!(all.next().is_none(), "fused");

    assert!(!rules.rule_types().unwrap().is_empty());
    rules.health().unwrap();
    rules.delete(&created.id).unwrap();
    assert!(matches!(rules.get(&created.id), Err(Error::NotFound(_))));
    // The create_raw twin: the body is sent as given.
    let raw = rules
        .create_raw(
            Some("raw-rule"),
            &json!({"name": "raw", "rule_type_id": ".index-threshold", "consumer": "stackAlerts",
                    "schedule": {"interval": "1m"}, "params": serde_json::to_value(threshold()).unwrap()}),
        )
        .unwrap();
    assert_eq!(raw.id, "raw-rule");
}

use kibana::blocking::Rules;

#[test]
fn saved_objects_crud_find_all_export_and_import() {
    let (fake, client) = setup();
    for space in ["source", "target"] {
        client.spaces().create(&Space::new(space, space)).unwrap();
    }
    let source = client.space("source").saved_objects();
    source
        .create("visualization", Some("v1"), &json!({"title": "Chart"}), &[], false)
        .unwrap();
    source
        .create("dashboard", Some("d1"), &json!({"title": "Board"}), &[], false)
        .unwrap();
    assert_eq!(
        source.get::<Value>("dashboard", "d1").unwrap().attributes["title"],
        "Board"
    );
    source
        .update("dashboard", "d1", &json!({"title": "Board 2"}), None)
        .unwrap();
    assert_eq!(
        source
            .resolve::<Value>("dashboard", "d1")
            .unwrap()
            .saved_object
            .attributes["title"],
        "Board 2"
    );
    let bulk = source
        .bulk_create(
            &[
                ("tag", Some("t1"), &json!({"name": "a"})),
                ("tag", Some("t2"), &json!({"name": "b"})),
            ],
            false,
        )
        .unwrap();
    assert_eq!(bulk.len(), 2);
    assert_eq!(
        source.bulk_get::<Value>(&[("tag", "t1"), ("tag", "t2")]).unwrap().len(),
        2
    );
    source.bulk_update(&[("tag", "t1", json!({"name": "a2"}))]).unwrap();
    assert_eq!(source.bulk_resolve::<Value>(&[("tag", "t1")]).unwrap().len(), 1);
    let deleted = source.bulk_delete(&[("tag", "t2")], false).unwrap();
    assert!(deleted[0].is_ok());
    assert_eq!(source.find::<Value>(&FindOptions::new(["tag"])).unwrap().total, 1);

    // An export read as it is iterated, parsed or raw.
    let lines: Vec<ExportLine> = source
        .export(&ExportOptions::types(["dashboard", "visualization"]))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(lines.len(), 3);
    assert!(matches!(lines.last(), Some(ExportLine::Details(_))));
    let raw: Vec<bytes::Bytes> = source
        .export_lines(&ExportOptions::types(["dashboard", "visualization"]))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut ndjson = raw.join(&b'\n');
    ndjson.push(b'\n');
    let target = client.saved_objects().in_space("target");
    let imported = target.import(ndjson.clone(), ImportMode::ReportConflicts).unwrap();
    assert!(imported.success, "{imported:?}");
    assert_eq!(fake.saved_object_count("target"), 2);
    let again = target.import(ndjson.clone(), ImportMode::ReportConflicts).unwrap();
    assert!(!again.success);
    let retried = target.resolve_import_errors(ndjson, &[], false).unwrap();
    assert!(retried.success_count <= 2);
    source.delete("dashboard", "d1", false).unwrap();
    assert!(matches!(
        source.get::<Value>("dashboard", "d1"),
        Err(Error::NotFound(_))
    ));

    // find_all pages lazily: taking three items fetches one page.
    fake.seed_saved_objects("default", "index-pattern", 250);
    fake.clear_log();
    let objects = client.saved_objects();
    let three: Vec<_> = objects
        .find_all::<Value>(FindOptions::new(["index-pattern"]).per_page(100))
        .take(3)
        .collect();
    assert_eq!(three.len(), 3);
    assert_eq!(fake.count("GET", "/api/saved_objects/_find"), 1);
    let all = objects
        .find_all::<Value>(FindOptions::new(["index-pattern"]).per_page(100))
        .count();
    assert_eq!(all, 250);
    assert_eq!(fake.count("GET", "/api/saved_objects/_find"), 4, "1 + ceil(250 / 100)");
}

#[test]
fn an_iterator_ends_after_an_error_like_the_stream() {
    let (fake, client) = setup();
    fake.seed_saved_objects("default", "config", 10_001);
    let mut iter = client
        .saved_objects()
        .find_all::<Value>(FindOptions::new(["config"]).per_page(100));
    let error = iter.next().unwrap().unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(iter.next().is_none());
}

#[test]
fn spaces_api_and_space_scoping() {
    let (fake, client) = setup();
    let spaces = client.spaces();
    let ops = spaces
        .create(&Space::new("ops", "Operations").with_color("#3F51B5"))
        .unwrap();
    assert_eq!(ops.id, "ops");
    spaces.create(&Space::new("dev", "Dev")).unwrap();
    assert_eq!(spaces.get("ops").unwrap().name, "Operations");
    assert!(spaces.list().unwrap().len() >= 3);
    spaces
        .update(&Space::new("ops", "Ops").with_description("on call"))
        .unwrap();
    assert_eq!(spaces.get("ops").unwrap().name, "Ops");
    assert!(matches!(
        spaces.create(&Space::new("ops", "again")),
        Err(Error::Conflict(_))
    ));

    // A scoped view: every API works in the space, its existence checked once.
    let scoped = client.space("ops");
    assert_eq!(scoped.space_id(), Some("ops"));
    scoped
        .connectors()
        .create_with_id::<ServerLog>("in-ops", "log", &Default::default(), &Default::default())
        .unwrap();
    assert_eq!(fake.connector_ids("ops"), ["in-ops"]);
    assert!(fake.connector_ids("default").is_empty());
    assert_eq!(fake.count("POST", "/s/ops/api/actions/connector/in-ops"), 1);
    // in_space on a handle, and back to the default space.
    let in_dev = client.connectors().in_space("dev");
    assert!(in_dev.list().unwrap().is_empty());
    assert_eq!(scoped.connectors().in_default_space().list().unwrap().len(), 0);
    assert_eq!(scoped.default_space().space_id(), None);
    assert_eq!(client.rules().in_space("ops").find(&FindRules::all()).unwrap().total, 0);
    assert_eq!(client.data_views().in_space("ops").list().unwrap().len(), 0);

    // An unknown space: refused before the write; an invalid id: nothing sent at all.
    fake.clear_log();
    let error = client
        .space("nope")
        .connectors()
        .create::<ServerLog>("x", &Default::default(), &Default::default())
        .unwrap_err();
    assert!(
        matches!(&error, Error::SpaceNotFound { space_id } if space_id == "nope"),
        "{error:?}"
    );
    assert_eq!(fake.write_count(), 0);
    fake.clear_log();
    let error = client.space("Not Valid").connectors().list().unwrap_err();
    assert!(matches!(error, Error::InvalidSpaceId { .. }), "{error:?}");
    assert!(client.try_space("Not Valid").is_err());
    assert_eq!(fake.request_count(), 0);
    // validate_space(false) skips the check.
    fake.clear_log();
    client
        .space("unchecked")
        .validate_space(false)
        .connectors()
        .list()
        .unwrap();
    assert_eq!(fake.count("GET", "/api/spaces/space/unchecked"), 0);

    // Copy and share, from the scoped view.
    let source = client.space("ops");
    source
        .saved_objects()
        .create("dashboard", Some("d1"), &json!({"title": "Board"}), &[], false)
        .unwrap();
    let objects = [kibana::spaces::ObjectRef::new("dashboard", "d1")];
    let copied = source
        .spaces()
        .copy_saved_objects(&kibana::spaces::CopyToSpaces::new(["dev"], objects.clone()))
        .unwrap();
    assert!(copied["dev"].success, "{copied:?}");
    source
        .spaces()
        .resolve_copy_errors(&objects, &BTreeMap::new(), true)
        .unwrap();
    source.spaces().update_objects_spaces(&objects, &["dev"], &[]).unwrap();
    assert!(!source.spaces().shareable_references(&objects).unwrap().is_empty());
    source.spaces().disable_legacy_url_aliases(&[]).unwrap();
    spaces.delete("dev").unwrap();
    assert!(matches!(spaces.get("dev"), Err(Error::NotFound(_))));
}

#[test]
fn data_views_round_trip_blocking() {
    let (fake, client) = setup();
    let views = client.data_views();
    let created = views
        .create(&DataView::new("logs-*").id("logs").name("Logs"), false)
        .unwrap();
    assert_eq!(created.title, "logs-*");
    assert_eq!(views.get("logs").unwrap().name.as_deref(), Some("Logs"));
    assert_eq!(views.list().unwrap().len(), 1);
    views.update("logs", &DataViewUpdate::new().name("Logs 2")).unwrap();
    let long = RuntimeField::new(RuntimeFieldType::Long).script("emit(1)");
    views.create_runtime_field("logs", "one", &long).unwrap();
    assert_eq!(views.runtime_field("logs", "one").unwrap(), long);
    views.update_runtime_field("logs", "one", &long).unwrap();
    views.upsert_runtime_field("logs", "two", &long).unwrap();
    views.delete_runtime_field("logs", "two").unwrap();
    views
        .update_field_metadata("logs", &BTreeMap::new())
        .unwrap_or_else(|e| assert!(matches!(e, Error::BadRequest(_) | Error::InvalidRequest(_)), "{e:?}"));
    views.set_default(Some("logs"), true).unwrap();
    assert_eq!(views.default_id().unwrap().as_deref(), Some("logs"));
    views.create(&DataView::new("metrics-*").id("metrics"), false).unwrap();
    let swap = kibana::data_views::SwapReferences::new("logs", "metrics");
    views.preview_swap_references(&swap).unwrap();
    views.swap_references(&swap).unwrap();
    views.delete("metrics").unwrap();
    assert_eq!(fake.data_view_ids("default"), ["logs"]);
}

#[test]
fn status_compatibility_and_waiting() {
    let fake = fake_with(FakeKibana::builder().version("9.4.0"));
    let client = Kibana::builder()
        .url(fake.url())
        .on_version_mismatch(kibana::VersionMismatch::Refuse)
        .build()
        .unwrap();
    assert!(client.status().get().unwrap().is_available());
    assert!(matches!(
        client.status().compatibility(),
        Err(Error::IncompatibleVersion { .. })
    ));
    fake.set_status_level("unavailable");
    let error = client
        .status()
        .wait_until_available(Duration::from_millis(600))
        .unwrap_err();
    assert!(matches!(error, Error::NotAvailable { .. }), "{error:?}");
    fake.set_status_level("available");
    within(Duration::from_secs(10), move || {
        client.status().wait_until_available(Duration::from_secs(5)).unwrap();
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The same stack and the same errors.

#[test]
fn errors_and_the_stack_are_the_async_clients() {
    let fake = fake_with(FakeKibana::builder().api_key("a2V5"));
    // Unauthorized: the same typed error, with the request in it.
    let anonymous = Kibana::builder().url(fake.url()).build().unwrap();
    let error = anonymous.connectors().list().unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert_eq!(error.api_error().unwrap().path, "/api/actions/connectors");

    let client = Kibana::builder()
        .url(fake.url())
        .api_key("a2V5")
        .max_retries(2)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    // Retries: a 503 twice, then the answer.
    fake.inject(
        Fault::status(503)
            .retry_after("0")
            .on("GET", "/api/actions/connectors")
            .times(2),
    );
    fake.clear_log();
    assert!(client.connectors().list().unwrap().is_empty());
    assert_eq!(fake.count("GET", "/api/actions/connectors"), 3);
    // Headers of the stack: credentials, kbn-xsrf on writes, the user agent, a view's extra header.
    fake.clear_log();
    client
        .with_header(
            http::HeaderName::from_static("x-request-tag"),
            http::HeaderValue::from_static("blocking"),
        )
        .spaces()
        .create(&Space::new("tagged", "Tagged"))
        .unwrap();
    let request = fake.requests().pop().unwrap();
    assert_eq!(request.headers["authorization"], "ApiKey a2V5");
    assert!(request.headers.contains_key("kbn-xsrf"));
    assert_eq!(request.headers["x-request-tag"], "blocking");
    assert!(
        request.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("kibana-rs/")
    );
    // Other credentials on a view.
    let error = client
        .with_credentials(kibana::Credentials::api_key("d3Jvbmc="))
        .spaces()
        .list()
        .unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    // A timeout on a view (every attempt: the retries too).
    fake.inject(
        Fault::delay(Duration::from_secs(2))
            .on("GET", "/api/spaces/space")
            .times(3),
    );
    let error = client
        .with_timeout(Duration::from_millis(100))
        .spaces()
        .list()
        .unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    // A bad configuration: the async builder's ConfigError.
    assert!(matches!(
        Kibana::builder().url("localhost:5601").build(),
        Err(ConfigError::InvalidUrl { .. })
    ));
    assert_eq!(Kibana::builder().build().unwrap_err(), ConfigError::NoHost);
    // A connection refused: a transport error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let error = Kibana::builder()
        .url(dead)
        .max_retries(0)
        .build()
        .unwrap()
        .status()
        .get()
        .unwrap_err();
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
}

#[test]
fn every_builder_option_is_forwarded() {
    // Settings the async builder checks are checked the same way (each is refused or accepted as there).
    let build = |b: kibana::blocking::KibanaBuilder| b.build().map(|_| ());
    let base = || Kibana::builder().url("http://127.0.0.1:9");
    assert!(build(base().api_key("k").basic_auth("u", "p")).is_err());
    assert!(build(base().pin_certificate_sha256("zz")).is_err());
    assert!(build(base().max_requests_per_second(0.0)).is_err());
    assert!(build(base().header("bad name", "v")).is_err());
    assert!(build(base().request_timeout(Duration::ZERO)).is_err());
    assert!(build(Kibana::builder().url("http://x").cloud_id("a:b")).is_err());
    build(
        Kibana::builder()
            .hosts(["http://127.0.0.1:9", "http://127.0.0.1:10"])
            .credentials(kibana::Credentials::bearer("t"))
            .connect_timeout(Duration::from_secs(1))
            .danger_accept_invalid_certs(false)
            .proxy("http://127.0.0.1:3128")
            .proxy_basic_auth("u", "p")
            .no_proxy_for("127.0.0.1")
            .retry_on_status([http::StatusCode::BAD_GATEWAY])
            .retry_on_timeout(false)
            .max_retry_after(Duration::from_secs(1))
            .host_backoff(Default::default())
            .pool_max_idle_per_host(1)
            .layer(tower::layer::util::Identity::new())
            .validate_spaces(false)
            .space_cache_ttl(Duration::from_secs(1))
            .on_version_mismatch(kibana::VersionMismatch::Warn)
            .version_check(kibana::VersionCheck::Warn)
            .server_version("9.0.1")
            .call_timeout(Duration::from_secs(5))
            .max_response_body(1 << 20)
            .retry_429_on_any_method(false),
    )
    .unwrap();
    assert!(build(base().server_version("nine")).is_err());
    assert!(build(base().call_timeout(Duration::ZERO)).is_err());
    build(base().no_proxy().api_key_id("id", "key")).unwrap();
    build(base().bearer_token("t").max_retries(0)).unwrap();
    let debug = format!(
        "{:?}",
        Kibana::builder()
            .url("http://127.0.0.1:9")
            .basic_auth("u", "hunter2")
            .build()
            .unwrap()
    );
    assert!(
        !debug.contains("hunter2") && debug.contains("blocking::Kibana"),
        "{debug}"
    );
    // An async builder converts.
    let converted = kibana::blocking::KibanaBuilder::from(kibana::Kibana::builder().url("http://127.0.0.1:9"))
        .build()
        .unwrap();
    assert_eq!(converted.hosts()[0].as_str(), "http://127.0.0.1:9/");
}

// ---------------------------------------------------------------------------------------------------------------
// api(): every generated operation.

/// The shape generated calls take with named optional parameters: a builder that borrows the API and turns into
/// a future (`api.get_x(required).optional(v)`).
struct NamedCall<'a> {
    api: &'a kibana::Api,
    id: String,
}

impl<'a> IntoFuture for NamedCall<'a> {
    type Output = Result<kibana::generated::ResponseValue<kibana::generated::types::ConnectorResponse>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.api.get_actions_connector_id(&self.id).await })
    }
}

#[test]
fn api_call_runs_any_generated_operation_in_the_views_space() {
    let (fake, client) = setup();
    client.spaces().create(&Space::new("ops", "Ops")).unwrap();
    let ops = client.space("ops");
    ops.connectors()
        .create_with_id::<ServerLog>("c1", "log", &Default::default(), &Default::default())
        .unwrap();
    fake.clear_log();
    // A generated method without parameters.
    let connectors = ops.api().call(|api| api.get_actions_connectors()).unwrap().into_inner();
    assert_eq!(connectors.len(), 1);
    assert_eq!(fake.count("GET", "/s/ops/api/actions/connectors"), 1);
    // With a required (path) parameter, and the generated client's error mapped to kibana::Error.
    let api = ops.api();
    let one = api.call(|api| api.get_actions_connector_id("c1")).unwrap();
    assert_eq!(one.status(), 200);
    assert_eq!(one.into_inner().id, "c1");
    let missing = api.call(|api| api.get_actions_connector_id("nope")).unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing:?}");
    // A builder implementing IntoFuture, as the named-parameter calls will.
    let named = api.call(|api| NamedCall { api, id: "c1".into() }).unwrap();
    assert_eq!(named.into_inner().name.as_deref(), Some("log"));
    // The view's space is checked, as for the typed APIs.
    let error = client.space("nope").api().call(|api| api.get_data_views()).unwrap_err();
    assert!(matches!(error, Error::SpaceNotFound { .. }), "{error:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Inside an async runtime: a clear error, at once, nothing sent.

#[test]
fn inside_a_runtime_every_kind_of_call_is_refused_without_panic_or_deadlock() {
    let (fake, client) = setup();
    fake.seed_saved_objects("default", "config", 3);
    // Made outside, read inside: the iterator is refused too.
    let mut iter = client.saved_objects().find_all::<Value>(FindOptions::new(["config"]));
    fake.clear_log();
    let fake_for_check = fake.url();
    let after = within(Duration::from_secs(20), move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            refused(client.status().get());
            refused(client.connectors().list());
            refused(client.space("ops").rules().find(&FindRules::all()));
            refused(client.spaces().list());
            refused(client.data_views().list());
            refused(
                client
                    .saved_objects()
                    .export(&ExportOptions::types(["config"]))
                    .map(|_| ()),
            );
            refused(client.status().wait_until_available(Duration::from_secs(60)));
            let mut called = false;
            refused(client.api().call(|api| {
                called = true;
                api.get_data_views()
            }));
            assert!(!called, "the operation is not even built");
            match iter.next() {
                Some(Err(Error::Config(ConfigError::BlockingInAsyncRuntime))) => {}
                other => panic!("{other:?}"),
            }
            assert!(iter.next().is_none(), "the iterator ends after the refusal");
            // The error explains itself.
            let message = client.status().get().unwrap_err().to_string();
            assert!(message.contains("inside an async runtime"), "{message}");
            assert!(message.contains("kibana::Kibana"), "{message}");
            client
        })
    });
    // Inside a task of a multi-thread runtime, and in spawn_blocking (tokio cannot tell it from a worker).
    let after = within(Duration::from_secs(20), move || {
        let threaded = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let inner = after.clone();
        let in_task = threaded.spawn(async move { inner.status().get().map(|_| ()) });
        refused(threaded.block_on(in_task).unwrap());
        let inner = after.clone();
        let in_blocking = threaded.spawn_blocking(move || inner.spaces().list().map(|_| ()));
        refused(threaded.block_on(in_blocking).unwrap());
        after
    });
    assert_eq!(fake.request_count(), 0, "nothing was sent to {fake_for_check}");
    // Back on a plain thread, the same client works.
    assert!(after.status().get().unwrap().is_available());
}

#[test]
fn a_client_built_inside_a_runtime_works_from_a_thread_and_drops_anywhere() {
    let (fake, _) = setup();
    let url = fake.url();
    within(Duration::from_secs(20), move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let client = Kibana::builder().url(url).build().unwrap();
            let worker = client.clone();
            let listed = std::thread::spawn(move || worker.spaces().list().map(|s| s.len()))
                .join()
                .unwrap();
            assert!(listed.unwrap() >= 1);
            // The last handle dropped inside the runtime: no panic (tokio would panic on a blocking shutdown).
            drop(client);
        });
    });
}

// ---------------------------------------------------------------------------------------------------------------
// One runtime per built client, shared by clones; what dropping does.

#[test]
fn clones_views_and_iterators_share_the_runtime_and_outlive_the_original() {
    let (fake, client) = setup();
    fake.seed_saved_objects("default", "config", 5);
    let clone = client.clone();
    let view = client.space("default").with_timeout(Duration::from_secs(5));
    let handle = client.connectors();
    let iter = client
        .saved_objects()
        .find_all::<Value>(FindOptions::new(["config"]).per_page(2));
    drop(client);
    assert!(clone.status().get().unwrap().is_available());
    assert!(view.connectors().list().unwrap().is_empty());
    assert!(handle.list().unwrap().is_empty());
    drop((clone, view, handle));
    // The iterator alone keeps the runtime alive.
    assert_eq!(iter.count(), 5);
}

#[test]
fn one_client_serves_several_threads_at_once() {
    let fake = fake_with(FakeKibana::builder().latency(Duration::from_millis(200)));
    let client = Kibana::builder().url(fake.url()).build().unwrap();
    let calls = within(Duration::from_secs(20), move || {
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let client = client.clone();
                std::thread::spawn(move || client.status().get().map(|s| s.is_available()))
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap().unwrap())
            .filter(|ok| *ok)
            .count()
    });
    assert_eq!(calls, 8);
    assert_eq!(fake.count("GET", "/api/status"), 8);
}

#[cfg(target_os = "linux")]
fn runtime_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "kibana-blocking")
        .count()
}

/// Counting threads needs a process of its own: this test runs itself again, alone.
#[cfg(target_os = "linux")]
#[test]
fn each_built_client_owns_one_runtime_thread_shared_by_clones_and_stopped_by_the_last_drop() {
    const ALONE: &str = "KIBANA_BLOCKING_TEST_ALONE";
    if std::env::var_os(ALONE).is_none() {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "each_built_client_owns_one_runtime_thread_shared_by_clones_and_stopped_by_the_last_drop",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(ALONE, "1")
            .status()
            .unwrap();
        assert!(status.success());
        return;
    }
    let wait_for = |expected: usize| {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while runtime_threads() != expected && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(runtime_threads(), expected);
    };
    assert_eq!(runtime_threads(), 0);
    let first = Kibana::builder().url("http://127.0.0.1:9").build().unwrap();
    wait_for(1);
    let views: Vec<_> = (0..10)
        .map(|i| first.space(format!("s{i}")).with_timeout(Duration::from_secs(1)))
        .collect();
    let handles = (first.clone().connectors(), first.rules(), first.api());
    wait_for(1);
    let second = Kibana::builder().url("http://127.0.0.1:9").build().unwrap();
    wait_for(2);
    drop(first);
    drop(views);
    wait_for(2);
    drop(handles);
    wait_for(1);
    drop(second);
    wait_for(0);
}

/// A one-connection HTTP server: answers every request on it with a small JSON body, keeping the connection open,
/// and reports when the client closes it.
fn keep_alive_server() -> (String, mpsc::Receiver<&'static str>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (events, received) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut buffer = [0u8; 4096];
        loop {
            match socket.read(&mut buffer) {
                Ok(0) => {
                    let _ = events.send("closed");
                    return;
                }
                Ok(n) if buffer[..n].windows(4).any(|w| w == b"\r\n\r\n") => {
                    let body = r#"{"data_view":[]}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    socket.write_all(answer.as_bytes()).unwrap();
                    let _ = events.send("answered");
                }
                Ok(_) => {}
                Err(_) => {
                    let _ = events.send("still open");
                    return;
                }
            }
        }
    });
    (url, received)
}

#[test]
fn dropping_the_last_handle_closes_the_pooled_connections() {
    let (url, events) = keep_alive_server();
    let client = Kibana::builder().url(url).build().unwrap();
    client.api().call(|api| api.get_data_views()).unwrap();
    assert_eq!(events.recv_timeout(Duration::from_secs(5)), Ok("answered"));
    let clone = client.clone();
    drop(client);
    // A clone keeps the runtime, and so the pooled connection.
    assert!(events.recv_timeout(Duration::from_millis(300)).is_err());
    clone.api().call(|api| api.get_data_views()).unwrap();
    assert_eq!(
        events.recv_timeout(Duration::from_secs(5)),
        Ok("answered"),
        "the connection was reused"
    );
    within(Duration::from_secs(5), move || drop(clone));
    assert_eq!(events.recv_timeout(Duration::from_secs(5)), Ok("closed"));
}

#[test]
fn blocking_handles_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Kibana>();
    send_sync::<kibana::blocking::Connectors>();
    send_sync::<kibana::blocking::Rules>();
    send_sync::<kibana::blocking::SavedObjects>();
    send_sync::<kibana::blocking::Spaces>();
    send_sync::<kibana::blocking::DataViews>();
    send_sync::<kibana::blocking::StatusApi>();
    send_sync::<kibana::blocking::Api>();
    send_sync::<kibana::blocking::KibanaBuilder>();
    send::<kibana::blocking::Iter<Value>>();
}

// ---------------------------------------------------------------------------------------------------------------
// Parity: every public method of the async typed APIs has a blocking twin, with the same arguments.

/// The async types that have a blocking twin of the same name in `kibana::blocking`: each of their public methods,
/// async or not, must have a blocking `pub fn` of the same name and arguments there.
const TWINNED: &[&str] = &[
    "Kibana",
    "KibanaBuilder",
    "Connectors",
    "Rules",
    "SavedObjects",
    "Spaces",
    "DataViews",
    "StatusApi",
];

/// Methods of [`TWINNED`] types intentionally without a blocking twin, with the reason. Empty today: every method
/// has one (`Kibana::api` returns `blocking::Api`, whose `call` runs any generated operation).
const ABSENT: &[(&str, &str, &str)] = &[];

/// A public inherent method: its name, whether it is async, and its arguments (name: type) after the receiver.
#[derive(Debug, Clone, PartialEq)]
struct Method {
    is_async: bool,
    arguments: Vec<String>,
}

type Methods = BTreeMap<String, BTreeMap<String, Method>>;

fn rust_files(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path == skip {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, skip, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let text = a.to_token_stream().to_string().replace(' ', "");
        text.starts_with("#[cfg(") && text.contains("test")
    })
}

fn collect(items: &[syn::Item], file: &Path, out: &mut Methods) {
    for item in items {
        match item {
            syn::Item::Mod(module) if !is_cfg_test(&module.attrs) => {
                if let Some((_, items)) = &module.content {
                    collect(items, file, out);
                }
            }
            syn::Item::Impl(block) if block.trait_.is_none() && !is_cfg_test(&block.attrs) => {
                let syn::Type::Path(path) = &*block.self_ty else {
                    continue;
                };
                let type_name = path.path.segments.last().unwrap().ident.to_string();
                for member in &block.items {
                    let syn::ImplItem::Fn(function) = member else {
                        continue;
                    };
                    if !matches!(function.vis, syn::Visibility::Public(_)) || is_cfg_test(&function.attrs) {
                        continue;
                    }
                    let arguments = function
                        .sig
                        .inputs
                        .iter()
                        .filter_map(|input| match input {
                            syn::FnArg::Typed(argument) => Some(format!(
                                "{}: {}",
                                argument.pat.to_token_stream(),
                                argument.ty.to_token_stream()
                            )),
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    let previous = out.entry(type_name.clone()).or_default().insert(
                        function.sig.ident.to_string(),
                        Method {
                            is_async: function.sig.asyncness.is_some(),
                            arguments,
                        },
                    );
                    assert!(
                        previous.is_none(),
                        "{}: {type_name}::{} twice",
                        file.display(),
                        function.sig.ident
                    );
                }
            }
            _ => {}
        }
    }
}

fn methods(files: &[PathBuf]) -> Methods {
    let mut out = Methods::new();
    for file in files {
        let source = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&source).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        collect(&parsed.items, file, &mut out);
    }
    out
}

/// What breaks parity between the async methods and the blocking ones.
fn parity_problems(asynchronous: &Methods, blocking: &Methods) -> Vec<String> {
    let mut problems = Vec::new();
    for (type_name, type_methods) in asynchronous {
        let twinned = TWINNED.contains(&type_name.as_str());
        for (name, method) in type_methods {
            if !twinned {
                if method.is_async {
                    problems.push(format!(
                        "{type_name}::{name} is a public async method of a type without a blocking twin: add \
                         kibana::blocking::{type_name} (kibana/src/blocking/) and list it in TWINNED"
                    ));
                }
                continue;
            }
            let absent = ABSENT.iter().any(|(t, m, _)| t == type_name && m == name);
            match blocking.get(type_name).and_then(|b| b.get(name)) {
                None if absent => {}
                None => problems.push(format!(
                    "{type_name}::{name} has no blocking twin: add `pub fn {name}` to kibana::blocking::{type_name}, \
                     or list it in ABSENT with the reason"
                )),
                Some(_) if absent => problems.push(format!(
                    "{type_name}::{name} is listed in ABSENT but has a blocking twin: remove it from ABSENT"
                )),
                Some(twin) if twin.is_async => {
                    problems.push(format!("kibana::blocking::{type_name}::{name} must not be async"))
                }
                Some(twin) if twin.arguments != method.arguments => problems.push(format!(
                    "kibana::blocking::{type_name}::{name} takes ({}), the async one ({})",
                    twin.arguments.join(", "),
                    method.arguments.join(", ")
                )),
                Some(_) => {}
            }
        }
    }
    for (type_name, method, _) in ABSENT {
        if !asynchronous.get(*type_name).is_some_and(|m| m.contains_key(*method)) {
            problems.push(format!(
                "ABSENT lists {type_name}::{method}, which the async API does not have"
            ));
        }
    }
    problems
}

#[test]
fn every_public_async_method_of_a_typed_api_has_a_blocking_twin() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kibana/src");
    let blocking_dir = src.join("blocking");
    let mut async_files = Vec::new();
    rust_files(&src, &blocking_dir, &mut async_files);
    let mut blocking_files = Vec::new();
    rust_files(&blocking_dir, Path::new(""), &mut blocking_files);
    assert!(
        async_files.len() > 20 && blocking_files.len() >= 8,
        "the sources were found"
    );
    let asynchronous = methods(&async_files);
    let blocking = methods(&blocking_files);

    let mut problems = parity_problems(&asynchronous, &blocking);
    for type_name in TWINNED {
        if !blocking.contains_key(*type_name) {
            problems.push(format!("kibana::blocking::{type_name} is missing"));
        }
    }
    // The check looked at the real thing: the typed APIs have dozens of async methods.
    let async_count = asynchronous
        .values()
        .flat_map(|m| m.values())
        .filter(|m| m.is_async)
        .count();
    assert!(async_count > 60, "only {async_count} public async methods found");
    assert!(problems.is_empty(), "blocking parity:\n- {}", problems.join("\n- "));
}

#[test]
fn the_parity_check_catches_missing_twins_and_other_arguments() {
    let parse = |source: &str| {
        let mut out = Methods::new();
        collect(&syn::parse_file(source).unwrap().items, Path::new("x.rs"), &mut out);
        out
    };
    let asynchronous = parse(
        "impl Connectors { pub async fn list(&self) {} pub async fn brand_new(&self, id: &str) {}
                           pub async fn get(&self, id: &str) {} pub(crate) async fn internal(&self) {} }
         impl Fresh { pub async fn go(&self) {} pub fn sync_only(&self) {} }
         impl Connectors { pub fn in_space(&self, space_id: impl Into<String>) -> Self { todo!() } }
         impl Clone for Rules { fn clone(&self) -> Self { todo!() } }
         #[cfg(test)] mod tests { impl Fresh { pub async fn ignored(&self) {} } }",
    );
    let blocking = parse("impl Connectors { pub fn list(&self) {} pub fn get(&self, id: String) {} }");
    let problems = parity_problems(&asynchronous, &blocking);
    let expected = [
        "Connectors::brand_new has no blocking twin",
        "kibana::blocking::Connectors::get takes (id: String), the async one (id: & str)",
        "Connectors::in_space has no blocking twin",
        "Fresh::go is a public async method of a type without a blocking twin",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for want in expected {
        assert!(problems.iter().any(|p| p.starts_with(want)), "{want}: {problems:#?}");
    }
}
