//! The HTTP API contract the engine's practice adapter relies on.

use std::time::Duration;

use serde_json::Value;

use crate::support::{EASY, Node};

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn health_is_open_and_everything_else_needs_the_token() {
    let node = Node::start(&[]);
    let client = reqwest::Client::new();

    let health = client.get(node.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.json::<Value>().await.unwrap(),
        serde_json::json!({"ok":true,"simulated":true})
    );

    for request in [
        client.get(node.url("/status")),
        client.get(node.url("/status")).bearer_auth("wrong-token-0123456789"),
        client.get(node.url("/status")).basic_auth("user", Some(&node.token)),
        client.post(node.url("/pause")),
        client.post(node.url("/threads")).json(&serde_json::json!({"threads": 2})),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("bearer token"), "{body}");
    }
    let status = node.status().await;
    assert_eq!(status["paused"], false, "an unauthorised pause must not pause");
    assert_eq!(status["threads"], 1);
    node.assert_token_never_printed();
}

#[tokio::test]
async fn status_has_the_contract_shape_and_grows() {
    let node = Node::start(&["--difficulty", EASY, "--reward-per-share", "1234", "--threads", "2"]);
    let status = node
        .status_until("two shares and a 10 s rate", |s| {
            s["shares"]["accepted"].as_u64().unwrap() >= 2 && s["hashrate"]["10s"].is_f64()
        })
        .await;

    assert_eq!(
        keys(&status),
        [
            "difficulty",
            "hashrate",
            "intensity",
            "paused",
            "rewards",
            "run_id",
            "shares",
            "simulated",
            "threads",
            "total_hashes",
            "uptime_secs",
            "version"
        ]
    );
    assert_eq!(status["version"], "0.1.0");
    assert_eq!(status["simulated"], true);
    let run_id = status["run_id"].as_str().unwrap();
    assert_eq!(run_id.len(), 16);
    assert!(run_id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert!(status["uptime_secs"].is_u64());
    assert_eq!(status["paused"], false);
    assert_eq!(status["threads"], 2);
    assert_eq!(status["intensity"], 50);
    assert_eq!(status["difficulty"], 20_000);
    assert_eq!(keys(&status["hashrate"]), ["10s", "15m", "60s"]);
    assert!(status["hashrate"]["10s"].as_f64().unwrap() > 0.0);

    let accepted = status["shares"]["accepted"].as_u64().unwrap();
    assert_eq!(keys(&status["shares"]), ["accepted", "last_at_ms"]);
    let rewards = &status["rewards"];
    assert_eq!(keys(rewards), ["asset", "atomic_total", "decimals", "items", "per_share"]);
    assert_eq!(rewards["asset"], "SIM");
    assert_eq!(rewards["decimals"], 8);
    assert_eq!(rewards["per_share"], 1234);
    assert_eq!(rewards["atomic_total"].as_u64().unwrap(), accepted * 1234);
    let items = rewards["items"].as_array().unwrap();
    assert_eq!(items.len() as u64, accepted.min(1024));
    for (i, item) in items.iter().enumerate() {
        assert_eq!(keys(item), ["at_ms", "atomic", "id"]);
        assert_eq!(item["id"], format!("{run_id}-{}", i + 1));
        assert_eq!(item["atomic"], 1234);
    }
    assert_eq!(status["shares"]["last_at_ms"], items.last().unwrap()["at_ms"]);

    let total = status["total_hashes"].as_u64().unwrap();
    let later = node
        .status_until("more hashes and shares", |s| {
            s["total_hashes"].as_u64().unwrap() > total
                && s["shares"]["accepted"].as_u64().unwrap() > accepted
        })
        .await;
    assert_eq!(later["run_id"], run_id);
    node.wait_stdout(&format!("practice: share #{} accepted (difficulty 20000)", accepted + 1));
    node.assert_token_never_printed();
}

#[tokio::test]
async fn pause_stops_hashing_and_resume_restarts_it() {
    let node = Node::start(&["--intensity", "100"]);
    node.status_until("some hashes", |s| s["total_hashes"].as_u64().unwrap() > 0).await;

    let response = node.post("/pause").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["paused"], true);
    node.wait_stdout("practice: paused");
    // Workers finish the batch in hand, then park.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let frozen = node.status().await["total_hashes"].as_u64().unwrap();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let still = node.status().await;
    assert_eq!(still["total_hashes"].as_u64().unwrap(), frozen, "hashing went on while paused");
    assert_eq!(still["paused"], true);

    let response = node.post("/resume").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["paused"], false);
    node.wait_stdout("practice: resumed");
    node.status_until("hashing again", |s| s["total_hashes"].as_u64().unwrap() > frozen).await;
}

/// Worker threads of the node, counted from /proc (Linux only; elsewhere the API's word).
fn worker_threads(pid: u32) -> Option<usize> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let count = tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .filter(|comm| comm.starts_with("practice-worke"))
        .count();
    Some(count)
}

async fn wait_workers(node: &Node, expected: usize) {
    let deadline = std::time::Instant::now() + crate::support::PATIENCE;
    while let Some(count) = worker_threads(node.pid()) {
        if count == expected {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{count} worker threads, not {expected}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn threads_change_at_run_time_and_out_of_range_is_refused() {
    let node = Node::start(&[]);
    wait_workers(&node, 1).await;

    let response = node.post("/threads").json(&serde_json::json!({"threads": 3})).send().await;
    let response = response.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["threads"], 3);
    node.wait_stdout("practice: threads 1 -> 3");
    wait_workers(&node, 3).await;

    let max = std::thread::available_parallelism().unwrap().get() * 4;
    for body in [
        serde_json::json!({"threads": 0}),
        serde_json::json!({"threads": max + 1}),
        serde_json::json!({"threads": -1}),
        serde_json::json!({"threads": "2"}),
        serde_json::json!({}),
    ] {
        let response = node.post("/threads").json(&body).send().await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"], format!("threads must be between 1 and {max}"));
    }
    let response = node.post("/threads").body("not json").send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.json::<Value>().await.unwrap()["error"].is_string());
    let huge = format!("{{\"threads\":1,\"pad\":\"{}\"}}", "x".repeat(5 * 1024));
    let response = node.post("/threads").body(huge).send().await.unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(node.status().await["threads"], 3, "refused requests must change nothing");

    let response = node.post("/threads").json(&serde_json::json!({"threads": 1})).send().await;
    assert_eq!(response.unwrap().json::<Value>().await.unwrap()["threads"], 1);
    node.wait_stdout("practice: threads 3 -> 1");
    wait_workers(&node, 1).await;
}

#[tokio::test]
async fn since_returns_only_newer_items() {
    let node = Node::start(&["--difficulty", EASY]);
    node.status_until("three shares", |s| s["shares"]["accepted"].as_u64().unwrap() >= 3).await;

    let response = node.get("/status?since=2").send().await.unwrap();
    let status: Value = response.json().await.unwrap();
    let accepted = status["shares"]["accepted"].as_u64().unwrap();
    let run_id = status["run_id"].as_str().unwrap();
    let items = status["rewards"]["items"].as_array().unwrap();
    assert_eq!(items.len() as u64, accepted - 2);
    assert_eq!(items[0]["id"], format!("{run_id}-3"));
    assert_eq!(status["rewards"]["atomic_total"].as_u64().unwrap(), accepted * 1000);

    let path = format!("/status?since={}", accepted + 1_000_000);
    let status: Value = node.get(&path).send().await.unwrap().json().await.unwrap();
    assert!(status["rewards"]["items"].as_array().unwrap().is_empty());

    let response = node.get("/status?since=abc").send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.json::<Value>().await.unwrap()["error"].is_string());
}
