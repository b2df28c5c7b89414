//! One adapter poll, per adapter: wall time and heap bytes allocated, against a local server
//! that replays each node's recorded answers (the fixtures the adapter tests use) or, for
//! P2Pool, a folder of its data-api files. For docs/benchmarks.md; not a test.
//!
//! `cargo run --release -p lightrig-core --example adapter_poll_bench`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a bench that fails, fails loudly

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use lightrig_core::adapter::{
    Adapter, AdapterConfig, CustomAdapter, MonerodAdapter, MysteriumAdapter, P2poolAdapter,
    StorjAdapter, XmrigAdapter,
};

struct Counting;

static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; counting has no effect on
// the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const POLLS: usize = 200;
const WARM_UP: usize = 5;

macro_rules! fixture {
    ($node:literal, $file:literal) => {
        include_str!(concat!("../src/adapter/fixtures/", $node, "/", $file))
    };
}

/// The recorded answer for a request, by path (and, for monerod's JSON-RPC, by method).
fn answer(path: &str, body: &str) -> Option<&'static str> {
    Some(match path {
        "/2/summary" => fixture!("xmrig", "summary.json"),
        "/2/backends" => fixture!("xmrig", "backends.json"),
        "/get_info" => fixture!("monerod", "get_info.json"),
        "/mining_status" => fixture!("monerod", "mining_status_idle.json"),
        "/json_rpc" if body.contains("get_block_headers_range") => {
            fixture!("monerod", "get_block_headers_range.json")
        }
        "/json_rpc" => fixture!("monerod", "get_last_block_header.json"),
        "/api/sno/" => fixture!("storj", "sno.json"),
        "/api/sno/estimated-payout" => fixture!("storj", "estimated-payout.json"),
        "/api/sno/satellites" => fixture!("storj", "satellites.json"),
        "/api/heldamount/periods" => fixture!("storj", "periods.json"),
        "/api/heldamount/payout-history/2026-02" => {
            fixture!("storj", "payout-history-2026-02.json")
        }
        "/api/heldamount/payout-history/2026-03" => {
            fixture!("storj", "payout-history-2026-03.json")
        }
        "/api/heldamount/payout-history/2026-04" => {
            fixture!("storj", "payout-history-2026-04.json")
        }
        "/auth/authenticate" => fixture!("mysterium", "authenticate.json"),
        "/healthcheck" => fixture!("mysterium", "healthcheck.json"),
        "/identities" => fixture!("mysterium", "identities.json"),
        p if p.starts_with("/identities/") => fixture!("mysterium", "identity.json"),
        "/sessions/stats-aggregated" => fixture!("mysterium", "stats-aggregated.json"),
        "/transactor/settle/history" => fixture!("mysterium", "settle-history.json"),
        "/metrics" => fixture!("custom", "metrics.prom"),
        _ => return None,
    })
}

async fn replay(uri: Uri, body: Bytes) -> Response {
    let body = String::from_utf8_lossy(&body);
    match answer(uri.path(), &body) {
        Some(text) => {
            let kind = if uri.path() == "/metrics" { "text/plain" } else { "application/json" };
            ([(axum::http::header::CONTENT_TYPE, kind)], text).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn config(url: Option<String>, options: &[(&str, &str)]) -> AdapterConfig {
    AdapterConfig {
        node_id: "bench".into(),
        url,
        token: None,
        options: options.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn measure(name: &str, mut adapter: Adapter) {
    let mut ok = 0;
    let mut first_error = None;
    for _ in 0..WARM_UP {
        let _ = adapter.poll().await;
    }
    let (mut times, mut bytes) = (Vec::with_capacity(POLLS), Vec::with_capacity(POLLS));
    for _ in 0..POLLS {
        let b0 = BYTES.load(Ordering::Relaxed);
        let t0 = Instant::now();
        let result = adapter.poll().await;
        times.push(t0.elapsed().as_secs_f64() * 1e6);
        bytes.push((BYTES.load(Ordering::Relaxed) - b0) as f64);
        match result {
            Ok(_) => ok += 1,
            Err(e) => first_error = first_error.or(Some(e.to_string())),
        }
    }
    times.sort_by(f64::total_cmp);
    bytes.sort_by(f64::total_cmp);
    println!(
        "adapter_poll {name}: p50 {:.0} µs, p99 {:.0} µs, allocated p50 {:.1} KiB; {ok}/{POLLS} polls ok{}",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&bytes, 0.5) / 1024.0,
        first_error.map(|e| format!(" (first error: {e})")).unwrap_or_default(),
    );
}

fn p2pool_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let files: BTreeMap<&str, &str> = [
        ("network/stats", fixture!("p2pool", "network-stats.json")),
        ("pool/stats", fixture!("p2pool", "pool-stats.json")),
        ("pool/blocks", fixture!("p2pool", "pool-blocks.json")),
        ("local/stratum", fixture!("p2pool", "local-stratum.json")),
        ("local/p2p", fixture!("p2pool", "local-p2p.json")),
    ]
    .into_iter()
    .collect();
    for (name, body) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, body).expect("file");
    }
    dir
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, Router::new().fallback(replay)).await;
    });
    let url = Some(base);

    let xmrig = XmrigAdapter::new(&config(url.clone(), &[])).expect("xmrig");
    measure("xmrig", Adapter::Xmrig(xmrig)).await;

    let dir = p2pool_dir();
    let data_dir = dir.path().to_str().expect("utf-8 path").to_owned();
    let p2pool = P2poolAdapter::new(&config(None, &[("data_dir", &data_dir)])).expect("p2pool");
    measure("p2pool", Adapter::P2pool(p2pool)).await;

    let monerod = MonerodAdapter::new(&config(url.clone(), &[])).expect("monerod");
    measure("monerod", Adapter::Monerod(monerod)).await;

    let storj = StorjAdapter::new(&config(url.clone(), &[])).expect("storj");
    measure("storj", Adapter::Storj(storj)).await;

    let myst = MysteriumAdapter::new(&config(url.clone(), &[])).expect("mysterium");
    measure("mysterium", Adapter::Mysterium(myst)).await;

    let selector = r#"miner_hashrate_hashes_per_second{window="10s"}"#;
    let custom = CustomAdapter::new(&config(
        url.clone(),
        &[("format", "prometheus"), ("work_rate", selector), ("work_unit", "H/s")],
    ))
    .expect("custom");
    measure("custom (prometheus)", Adapter::Custom(custom)).await;
}
