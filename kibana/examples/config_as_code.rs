//! Kibana as code: reads `kibana/examples/kibana-state.toml` (or the file given), prints the plan, applies it,
//! prints the report, and prints a second plan, which is empty.
//!
//! ```text
//! cargo run --example config_as_code                       # against a fake Kibana started in-process
//! cargo run --example config_as_code -- my-kibana.yaml
//! KIBANA_URL=https://my-kibana:5601 KIBANA_API_KEY=... DEPLOY_HOOK_USER=... DEPLOY_HOOK_PASSWORD=... \
//!   OPS_SLACK_WEBHOOK_URL=... cargo run --example config_as_code
//! ```
//!
//! Against the fake, secrets that are not in the environment get stand-in values; against a real Kibana, a
//! missing one is a plan problem. With `PRUNE=1` the plan also deletes what this tool owns and the file no longer
//! declares. The secrets ledger is kept beside the state file (`<file>.secrets-ledger.json`).

use std::process::ExitCode;

use kibana::{
    Kibana,
    config::{DeclaredState, PlanOptions, SecretsLedger},
};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/kibana-state.toml").to_owned());
    let state = DeclaredState::from_path(&path)?;
    println!("{path}: {} resources declared\n", state.len());

    let (client, _fake) = match std::env::var("KIBANA_URL") {
        Ok(url) => {
            let mut builder = Kibana::builder().url(url);
            if let Ok(key) = std::env::var("KIBANA_API_KEY") {
                builder = builder.api_key(key);
            }
            (builder.build()?, None)
        }
        Err(_) => {
            let fake = kibana_fake::FakeKibana::start().await;
            println!("KIBANA_URL is not set: using a fake Kibana at {}\n", fake.url());
            (Kibana::builder().url(fake.url()).build()?, Some(fake))
        }
    };
    let on_fake = _fake.is_some();

    let ledger_path = format!("{path}.secrets-ledger.json");
    // The example's own runs against the fake leave no ledger behind in the repository.
    let ledger = if on_fake {
        SecretsLedger::default()
    } else {
        SecretsLedger::load(&ledger_path)?
    };
    let options = PlanOptions::new()
        .prune(std::env::var_os("PRUNE").is_some())
        .secrets_ledger(ledger)
        .secret_lookup(move |name| {
            std::env::var(name)
                .ok()
                .or_else(|| on_fake.then(|| format!("stand-in value for {name}")))
        });

    let plan = client.plan_with(&state, &options).await?;
    println!("{plan}\n");
    if plan.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let report = client.apply(&plan).await;
    println!("{report}\n");
    if !on_fake {
        report.secrets_ledger().save(&ledger_path)?;
    }
    if !report.is_success() {
        return Ok(ExitCode::FAILURE);
    }

    let again = client
        .plan_with(&state, &options.secrets_ledger(report.secrets_ledger().clone()))
        .await?;
    println!("Planning again:\n{again}");
    Ok(if again.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
