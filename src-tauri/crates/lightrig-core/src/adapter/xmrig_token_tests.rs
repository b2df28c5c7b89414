//! XMRig's API once it has an access token: every request needs the Bearer token (the fake
//! answers 401 otherwise, as XMRig does), and pause and resume go through with it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::*;
use crate::adapter::fake::{FakeServer, Reply};

const SUMMARY: &str = include_str!("fixtures/xmrig/summary.json");
const BACKENDS: &str = include_str!("fixtures/xmrig/backends.json");
const RPC_OK: &str = include_str!("fixtures/xmrig/json_rpc_ok.json");
const TOKEN: &str = "canary-install-token-0b9d41";

fn adapter(base: &str, token: &str) -> XmrigAdapter {
    XmrigAdapter::new(&AdapterConfig {
        node_id: "xmrig".into(),
        url: Some(base.to_owned()),
        token: Some(Sensitive::new(token.to_owned())),
        options: BTreeMap::new(),
    })
    .unwrap()
}

async fn xmrig_with_token() -> FakeServer {
    let fake = FakeServer::start(vec![
        ("GET /2/summary", Reply::Json(SUMMARY.into())),
        ("GET /2/backends", Reply::Json(BACKENDS.into())),
        ("POST /json_rpc", Reply::Json(RPC_OK.into())),
    ])
    .await;
    fake.require_bearer(TOKEN);
    fake
}

#[tokio::test]
async fn fake_token_required_right_token_reads_pauses_and_resumes() {
    let fake = xmrig_with_token().await;
    let mut a = adapter(&fake.base, TOKEN);
    let poll = a.poll().await.unwrap();
    assert_eq!(poll.metrics.paused, Some(false), "XMRig's own paused flag");
    assert!(a.can_pause());
    a.pause().await.unwrap();
    a.resume().await.unwrap();
    let rpc: Vec<String> = fake
        .seen()
        .into_iter()
        .filter(|s| s.target == "/json_rpc")
        .map(|s| serde_json::from_slice::<Value>(&s.body).unwrap()["method"].to_string())
        .collect();
    assert_eq!(rpc, ["\"pause\"", "\"resume\""]);
}

#[tokio::test]
async fn fake_token_required_wrong_token_is_refused_everywhere() {
    let fake = xmrig_with_token().await;
    let mut a = adapter(&fake.base, "canary-wrong-token-5e11aa");
    for err in [a.poll().await.err(), a.pause().await.err(), a.resume().await.err()] {
        match err {
            Some(AdapterError::Refused(m)) => {
                assert!(m.contains("access token"), "{m}");
                assert!(!m.contains("canary"), "no token in the message: {m}");
            }
            other => panic!("expected Refused, got {other:?}"),
        }
    }
    assert!(fake.seen().iter().all(|s| s.target != "/json_rpc" || s.method == "POST"));
}

#[tokio::test]
async fn fake_paused_flag_is_reported_as_xmrig_says() {
    let fake = xmrig_with_token().await;
    let mut summary: Value = serde_json::from_str(SUMMARY).unwrap();
    summary["paused"] = Value::Bool(true);
    fake.set("GET /2/summary", Reply::Json(summary.to_string()));
    let poll = adapter(&fake.base, TOKEN).poll().await.unwrap();
    assert_eq!(poll.metrics.paused, Some(true));
}
