//! `lightrig serve` (browser mode): the token, Host and Origin checks, the API driving the
//! real practice node, /metrics, and a clean stop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::*;

struct Server {
    child: Child,
    base: String,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path) -> Server {
    let mut child = lightrig(dir)
        .args(["--json", "serve", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    let url = v["url"].as_str().unwrap().to_owned();
    let (base, token) = url.split_once("/#token=").unwrap();
    Server { child, base: base.to_owned(), token: token.to_owned() }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_requires_the_token_our_host_and_our_origin() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path());
    let c = client();
    let url = format!("{}/api/snapshot", s.base);
    assert_eq!(c.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(c.get(&url).bearer_auth("wrong").send().await.unwrap().status(), 401);
    assert_eq!(c.get(&url).bearer_auth(&s.token).send().await.unwrap().status(), 200);
    assert_eq!(c.get(format!("{}/metrics", s.base)).send().await.unwrap().status(), 401);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    let r = c.get(&url).bearer_auth(&s.token).header("Host", "evil.example").send().await.unwrap();
    assert_eq!(r.status(), 421);
    // A cross-site request carries the other site's Origin.
    let r = c
        .post(format!("{}/api/node/start", s.base))
        .bearer_auth(&s.token)
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "http.origin");
    // Our own origin is fine.
    let r =
        c.get(&url).bearer_auth(&s.token).header("Origin", s.base.clone()).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_starts_and_stops_the_practice_node_and_metrics_follow() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = serve(dir.path());
    let c = client();
    let get = |path: &str| c.get(format!("{}{path}", s.base)).bearer_auth(&s.token).send();
    let r =
        c.post(format!("{}/api/node/start", s.base)).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let t0 = Instant::now();
    let pid = loop {
        let v: serde_json::Value = get("/api/snapshot").await.unwrap().json().await.unwrap();
        if v["node"]["state"]["kind"] == "running" && v["node"]["metrics"]["work_rate"].is_object()
        {
            assert_eq!(v["node"]["simulated"], true);
            break v["node"]["pid"].as_u64().unwrap() as u32;
        }
        assert!(t0.elapsed() < Duration::from_secs(30), "not running: {v}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    assert!(
        metrics.contains("lightrig_node_state{node=\"practice\",state=\"running\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("lightrig_node_work_rate{"), "{metrics}");
    // A bad settings value names its field.
    let mut settings: serde_json::Value = get("/api/settings").await.unwrap().json().await.unwrap();
    settings["price_per_kwh"] = serde_json::json!(250.0);
    let r = c
        .put(format!("{}/api/settings", s.base))
        .bearer_auth(&s.token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["field"], "price_per_kwh");
    let r = c.post(format!("{}/api/node/stop", s.base)).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists() || {
            let st = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            st.contains(") Z")
        }
    );
    // SIGTERM ends the server cleanly.
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    let status = s.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_list_is_imported_as_text_and_energy_settings_errors_name_their_field() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path());
    let c = client();
    let import = |csv: &str| {
        c.post(format!("{}/api/tariff/prices", s.base))
            .bearer_auth(&s.token)
            .json(&serde_json::json!({ "csv": csv }))
            .send()
    };
    let good = "timestamp,price\n2026-03-29T00:00:00+01:00,0.21\n2026-03-29T01:00:00+01:00,0.19\n";
    let r = import(&good.replace("0.19", "cheap")).await.unwrap();
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("tariff.csv_invalid"), Some("csv"))
    );
    assert!(e["message"].as_str().unwrap().contains("line 3"), "{e}");
    assert!(!dir.path().join("data/tariff-prices.csv").exists(), "a failed import keeps nothing");
    let r = import(good).await.unwrap();
    assert_eq!(r.status(), 200);
    let list: serde_json::Value = r.json().await.unwrap();
    assert_eq!(list["prices"], 2);
    let get = c.get(format!("{}/api/settings", s.base)).bearer_auth(&s.token).send();
    let mut settings: serde_json::Value = get.await.unwrap().json().await.unwrap();
    assert_eq!(settings["energy"]["price_list"], list);
    settings["energy"]["tariff"] = serde_json::json!("hourly");
    settings["energy"]["psu_efficiency"] = serde_json::json!(1.5);
    let put = |v: &serde_json::Value| {
        c.put(format!("{}/api/settings", s.base)).bearer_auth(&s.token).json(v).send()
    };
    let r = put(&settings).await.unwrap();
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["field"], "energy.psu_efficiency");
    settings["energy"]["psu_efficiency"] = serde_json::json!(0.85);
    let r = put(&settings).await.unwrap();
    assert_eq!(r.status(), 200);
    let config = std::fs::read_to_string(dir.path().join("config/config.toml")).unwrap();
    assert!(
        config.contains("tariff = \"hourly\"") && config.contains("psu_efficiency = 0.85"),
        "{config}"
    );
}

#[test]
fn a_non_loopback_address_needs_an_explicit_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        lightrig(dir.path()).args(["serve", "--bind", "0.0.0.0", "--port", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-remote"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_download_as_attachments_and_need_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve(dir.path());
    let c = client();
    let url = format!("{}/api/export?format=bittytax&from=2026-01-01&to=2026-12-31", s.base);
    assert_eq!(c.get(&url).send().await.unwrap().status(), 401);
    let r = c.get(&url).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(
        disposition,
        "attachment; filename=\"lightrig-bittytax-2026-01-01-to-2026-12-31.csv\""
    );
    assert!(r.text().await.unwrap().starts_with("Type,Buy Quantity"));
    let bad = format!("{}/api/export?format=full&from=2026-13-01&to=2026-12-31", s.base);
    let r = c.get(&bad).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(r.status(), 400);
}
