//! Answers recorded from real Kibana servers (`../shared/kibana-responses/`, 7.x–9.x, with their provenance in its
//! README) decode through `client.api()` and through the typed layer of their area, and lose nothing on the way:
//! each decoded value, serialised again, says everything Kibana sent (`answers::roundtrip`).
//!
//! The answers are replayed to the SDK's own stack by a tower layer (no request leaves the process). A recording
//! this test does not know fails it, so that a new one gets its line here.

use std::path::PathBuf;

use kibana::{Kibana, generated::types, saved_objects::ImportMode};
use serde::Serialize;
use serde_json::Value;

mod answers;

use answers::{
    replay::{Recorded, Tap},
    roundtrip,
};

fn recordings() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/kibana-responses");
    if dir.join("README.md").exists() {
        Some(dir)
    } else {
        eprintln!("\n*** SKIPPED: no recorded Kibana answers at {} ***\n", dir.display());
        None
    }
}

fn client(tap: &Tap) -> Kibana {
    Kibana::builder()
        .url("http://127.0.0.1:9")
        .no_proxy()
        .max_retries(0)
        .validate_spaces(false)
        .layer(tap.clone())
        .build()
        .unwrap()
}

/// What went wrong with one file, through one path.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    /// The call must have decoded, and what it decoded must say all of `sent`.
    fn check<T: Serialize, E: std::fmt::Display>(&mut self, what: &str, sent: &Value, result: Result<T, E>) {
        match result {
            Err(error) => self.0.push(format!("{what}: {error}")),
            Ok(decoded) => {
                let written = serde_json::to_value(&decoded).unwrap();
                for loss in roundtrip::lost(sent, &written) {
                    self.0.push(format!("{what}: lost on the way: {loss}"));
                }
            }
        }
    }
}

#[tokio::test]
async fn every_recorded_answer_decodes_through_the_api_and_the_typed_layer_and_loses_nothing() {
    let Some(dir) = recordings() else { return };
    let tap = Tap::default();
    let client = client(&tap);
    let api = client.api();
    let mut problems = Problems::default();
    let mut unknown = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no recordings in {}", dir.display());
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read(path).unwrap();
        let sent: Value = serde_json::from_slice(&body).unwrap();
        tap.replay(Some(Recorded::json(body)));
        let what = |layer: &str| format!("{name} through {layer}");
        // `status-9.0.1.json` → `status`: what was asked, whatever the Kibana version.
        let request = name
            .trim_end_matches(".json")
            .rsplit_once('-')
            .map_or("", |(request, _)| request);
        match request {
            "status" => {
                let answer = api.get_status().await.map(|v| v.into_inner());
                if let Ok(types::GetStatusResponse::Unknown(_)) = &answer {
                    problems
                        .0
                        .push(format!("{}: decoded as JSON, not as a status", what("client.api()")));
                }
                problems.check(&what("client.api()"), &sent, answer);
                problems.check(&what("client.status()"), &sent, client.status().get().await);
            }
            "saved-objects-import" => {
                let form = kibana::generated::multipart::PostSavedObjectsImportForm::new(
                    kibana::generated::multipart::Part::file("export.ndjson", "{}\n"),
                );
                let answer = api.post_saved_objects_import(form).await;
                problems.check(&what("client.api()"), &sent, answer.map(|v| v.into_inner()));
                let typed = client.saved_objects().import("{}\n", ImportMode::ReportConflicts).await;
                problems.check(&what("saved_objects().import()"), &sent, typed);
            }
            "fleet-agent-policy" => {
                let answer = api
                    .get_fleet_agent_policies_agent_policy_id("fleet-server-policy")
                    .await;
                problems.check(&what("client.api()"), &sent, answer.map(|v| v.into_inner()));
            }
            "detection-rule-query" => {
                let answer = api.get_detection_engine_rules().await.map(|v| v.into_inner());
                match &answer {
                    Ok(types::SecurityDetectionsApiRuleResponse::QueryRule(_)) => {}
                    Ok(other) => problems.0.push(format!(
                        "{}: a query rule decoded as another variant: {}",
                        what("client.api()"),
                        serde_json::to_string(other)
                            .unwrap_or_default()
                            .chars()
                            .take(200)
                            .collect::<String>()
                    )),
                    Err(_) => {}
                }
                problems.check(&what("client.api()"), &sent, answer);
            }
            "spaces" => {
                let answer = api.get_spaces_space().await;
                problems.check(&what("client.api()"), &sent, answer.map(|v| v.into_inner()));
                // `_reserved` is read-only: the typed `Space` keeps it as `reserved` and never sends it.
                let typed = client.spaces().list().await.map(|spaces| {
                    spaces
                        .iter()
                        .map(|space| {
                            let mut json = serde_json::to_value(space).unwrap();
                            if space.reserved {
                                json["_reserved"] = Value::Bool(true);
                            }
                            json
                        })
                        .collect::<Vec<_>>()
                });
                problems.check(&what("spaces().list()"), &sent, typed);
            }
            "data-views" => {
                let answer = api.get_data_views().await;
                problems.check(&what("client.api()"), &sent, answer.map(|v| v.into_inner()));
                // The typed list is the `data_view` list itself.
                problems.check(
                    &what("data_views().list()"),
                    &sent["data_view"],
                    client.data_views().list().await,
                );
            }
            _ => unknown.push(name),
        }
    }
    tap.replay(None);
    assert!(
        unknown.is_empty(),
        "recordings this test does not know (give each its call here): {unknown:?}"
    );
    assert!(problems.0.is_empty(), "{}", problems.0.join("\n"));
}

/// The recordings' facts beside the answers: `GET /api/data_views/default` answers `{"data_view_id": ""}` with no
/// default, and `DELETE /api/saved_objects/{type}/{id}` answers `{}` (kibana-py, Kibana 9.4.3).
#[tokio::test]
async fn facts_about_live_kibana_decode_too() {
    let tap = Tap::default();
    let client = client(&tap);
    tap.replay(Some(Recorded::json(r#"{"data_view_id": ""}"#)));
    assert_eq!(
        client.data_views().default_id().await.unwrap(),
        None,
        "an empty id is no default"
    );
    let answer = client.api().get_data_views_default().await.unwrap().into_inner();
    assert_eq!(
        serde_json::to_value(answer).unwrap(),
        serde_json::json!({"data_view_id": ""})
    );
    tap.replay(Some(Recorded::json("{}")));
    // Deprecated by Kibana (no replacement for deleting a saved object of any type): the answer still counts.
    #[allow(deprecated)]
    client
        .api()
        .delete_saved_objects_type_id("dashboard", "d1")
        .await
        .unwrap();
}
