//! The quickstart with the blocking client (`kibana::blocking`), for code without an async runtime: creates a
//! space, a typed webhook connector in it, runs the connector, lists the space's connectors and makes a default data
//! view.
//!
//! Talks to `KIBANA_URL` (with `KIBANA_API_KEY`, if set) or, when `KIBANA_URL` is not set, to a fake Kibana
//! started in this process, so that it runs anywhere:
//!
//! ```text
//! cargo run --example quickstart_blocking --features kibana/blocking
//! KIBANA_URL=https://my-kibana:5601 KIBANA_API_KEY=... cargo run --example quickstart_blocking --features kibana/blocking
//! ```

use kibana::{
    Error, Space,
    blocking::Kibana,
    connectors::types::{Webhook, WebhookConfig, WebhookMethod, WebhookParams, WebhookSecrets},
    data_views::DataView,
};

/// The embedded fake Kibana. The fake is async: it runs on a runtime of its own, whose worker thread serves it while
/// `main` makes blocking calls. The fake is dropped before its runtime.
struct EmbeddedFake {
    fake: kibana_fake::FakeKibana,
    _runtime: tokio::runtime::Runtime,
}

impl EmbeddedFake {
    fn start() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let fake = runtime.block_on(kibana_fake::FakeKibana::start());
        Ok(Self {
            fake,
            _runtime: runtime,
        })
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The fake must outlive the client's calls; `_fake` keeps it running until the end of `main`.
    let (url, api_key, _fake) = match std::env::var("KIBANA_URL") {
        Ok(url) => (url, std::env::var("KIBANA_API_KEY").ok(), None),
        Err(_) => {
            let fake = EmbeddedFake::start()?;
            println!(
                "KIBANA_URL is not set: using an embedded fake Kibana at {}",
                fake.fake.url()
            );
            (fake.fake.url(), None, Some(fake))
        }
    };
    let mut builder = Kibana::builder().url(&url);
    if let Some(key) = api_key {
        builder = builder.api_key(key);
    }
    let client = builder.build()?;

    let status = client.status().get()?;
    println!(
        "Kibana {} is {:?}",
        status.version.map(|v| v.number).unwrap_or_else(|| "?".into()),
        status.status.overall.level
    );

    let space = Space::new("kibana-rs-quickstart", "kibana-rs quickstart")
        .with_color("#3F51B5")
        .with_initials("KR");
    match client.spaces().create(&space) {
        Ok(created) => println!("created space {}", created.id),
        Err(Error::Conflict(_)) => println!("space {} exists already", space.id),
        Err(error) => return Err(error.into()),
    }
    let scoped = client.space(&space.id);

    let config = WebhookConfig::new("https://example.com/kibana-rs-hook")
        .with_method(WebhookMethod::Post)
        .with_header("content-type", "application/json");
    let connector = match scoped.connectors().create_with_id::<Webhook>(
        "kibana-rs-webhook",
        "kibana-rs webhook",
        &config,
        &WebhookSecrets::none(),
    ) {
        Ok(connector) => connector,
        // Creating by id is idempotent: the connector is already there from an earlier run.
        Err(Error::Conflict(_)) => scoped.connectors().get_typed::<Webhook>("kibana-rs-webhook")?,
        Err(error) => return Err(error.into()),
    };
    println!(
        "webhook connector {} -> {} ({:?})",
        connector.id, connector.config.url, connector.config.method
    );

    let outcome = scoped
        .connectors()
        .execute::<Webhook>(&connector.id, &WebhookParams::new(r#"{"hello":"kibana"}"#))?;
    match outcome.into_result() {
        Ok(_) => println!("executed: ok"),
        // The connector's own failure is an answer, not a transport error: report it and go on.
        Err(error) => println!("executed: the connector reported a failure: {error}"),
    }

    for c in scoped.connectors().list()? {
        println!(
            "- {} [{}] {} (used by {} rules)",
            c.id,
            c.connector_type_id,
            c.name,
            c.referenced_by_count.unwrap_or(0)
        );
    }

    // A data view for the space's logs, made its default; `override` makes a rerun replace it.
    let logs = DataView::new("logs-*")
        .id("kibana-rs-logs")
        .name("kibana-rs logs")
        .time_field("@timestamp");
    let view = scoped.data_views().create(&logs, true)?;
    scoped.data_views().set_default(view.id.as_deref(), true)?;
    println!(
        "data view {} ({}), default: {:?}",
        view.title,
        view.id.as_deref().unwrap_or("?"),
        scoped.data_views().default_id()?
    );
    Ok(())
}
