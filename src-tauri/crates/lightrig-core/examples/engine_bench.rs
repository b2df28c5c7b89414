//! Engine benchmarks for docs/benchmarks.md (Linux; reads /proc). Not a test: it prints
//! figures and never fails on a threshold. Run through `scripts/bench.sh`.
//!
//! - idle: the engine's own CPU (% of one core) and RSS over 60 s at 1 Hz sampling, with the
//!   practice node paused;
//! - tax: the practice node's hash rate alone vs under the engine, alternating A/B rounds in
//!   one run so drift cancels out;
//! - startstop: time from start to Running, and from stop to no process of the tree left.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a bench that fails, fails loudly

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("engine_bench reads /proc and runs on Linux only");
}

#[cfg(target_os = "linux")]
fn main() {
    linux::main();
}

#[cfg(target_os = "linux")]
mod linux {

    use std::collections::BTreeMap;
    use std::time::{Duration, Instant};

    use lightrig_core::engine::{Engine, EngineOptions, NodeChoice};
    use lightrig_core::profile::FieldValue;
    use lightrig_core::supervisor::launch::sibling_binary;

    fn opts(dir: &std::path::Path, threads: i64, intensity: i64) -> EngineOptions {
        let mut overrides = BTreeMap::new();
        overrides.insert("threads".into(), FieldValue::Int(threads));
        overrides.insert("intensity".into(), FieldValue::Int(intensity));
        overrides.insert("difficulty".into(), FieldValue::Int(1_000_000_000));
        EngineOptions {
            data_dir: Some(dir.to_owned()),
            node: NodeChoice::Profile("practice".into()),
            overrides,
            ..EngineOptions::default()
        }
    }

    async fn wait_running(e: &Engine) {
        let mut rx = e.node().watch();
        loop {
            if rx.borrow_and_update().state.name() == "running" {
                return;
            }
            tokio::time::timeout(Duration::from_secs(60), rx.changed()).await.unwrap().unwrap();
        }
    }

    fn self_cpu_secs() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
        let f: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
        // SAFETY: sysconf has no preconditions.
        ticks / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
    }

    fn self_rss_kb() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap()
    }

    async fn idle(secs: u64) {
        let dir = tempfile::tempdir().unwrap();
        let e = Engine::open(opts(dir.path(), 1, 50)).await.unwrap();
        e.node().start().await.unwrap();
        wait_running(&e).await;
        e.node().pause().await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        let (c0, t0) = (self_cpu_secs(), Instant::now());
        let mut rss = Vec::new();
        for _ in 0..secs {
            tokio::time::sleep(Duration::from_secs(1)).await;
            rss.push(self_rss_kb());
        }
        let cpu = (self_cpu_secs() - c0) / t0.elapsed().as_secs_f64() * 100.0;
        let max = *rss.iter().max().unwrap() as f64 / 1024.0;
        let mean = rss.iter().sum::<u64>() as f64 / rss.len() as f64 / 1024.0;
        println!(
            "idle seconds={secs} engine_cpu_percent_of_one_core={cpu:.3} rss_mean_mib={mean:.1} rss_max_mib={max:.1}"
        );
        e.shutdown().await;
    }

    /// Hash rate of a practice node started directly, read from its own API.
    async fn alone(secs: u64) -> f64 {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let token = "benchtoken-0123456789abcdef";
        let mut child =
            tokio::process::Command::new(sibling_binary("lightrig-practice-node").unwrap())
                .args([
                    "--api-port",
                    &port.to_string(),
                    "--threads",
                    "1",
                    "--intensity",
                    "100",
                    "--difficulty",
                    "1000000000",
                ])
                .env("LIGHTRIG_PRACTICE_TOKEN", token)
                .stdout(std::process::Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .unwrap();
        let client = reqwest::Client::new();
        let read = || async {
            loop {
                if let Ok(r) = client
                    .get(format!("http://127.0.0.1:{port}/status"))
                    .bearer_auth(token)
                    .send()
                    .await
                    && let Ok(v) = r.json::<serde_json::Value>().await
                {
                    return (Instant::now(), v["total_hashes"].as_u64().unwrap());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        read().await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let (t0, h0) = read().await;
        tokio::time::sleep(Duration::from_secs(secs)).await;
        let (t1, h1) = read().await;
        child.kill().await.unwrap();
        (h1 - h0) as f64 / (t1 - t0).as_secs_f64()
    }

    /// The same node under the engine (1 Hz telemetry, status polls, ledger writes).
    async fn supervised(secs: u64) -> f64 {
        let dir = tempfile::tempdir().unwrap();
        let e = Engine::open(opts(dir.path(), 1, 100)).await.unwrap();
        e.node().start().await.unwrap();
        wait_running(&e).await;
        let read = || async {
            let mut rx = e.node().watch();
            loop {
                let s = rx.borrow_and_update().clone();
                if let Some(m) = s.metrics.as_ref()
                    && let Some(t) = m.total_work
                {
                    return (m.at_ms, t);
                }
                rx.changed().await.unwrap();
            }
        };
        tokio::time::sleep(Duration::from_secs(3)).await;
        let (t0, h0) = read().await;
        tokio::time::sleep(Duration::from_secs(secs)).await;
        let (t1, h1) = read().await;
        e.shutdown().await;
        (h1 - h0) as f64 / ((t1 - t0) as f64 / 1000.0)
    }

    async fn tax(rounds: usize, secs: u64) {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for i in 0..rounds {
            a.push(alone(secs).await);
            b.push(supervised(secs).await);
            println!("tax round={} alone_hs={:.0} supervised_hs={:.0}", i + 1, a[i], b[i]);
        }
        let ma = a.iter().sum::<f64>() / a.len() as f64;
        let mb = b.iter().sum::<f64>() / b.len() as f64;
        println!(
            "tax rounds={rounds} seconds_each={secs} alone_mean_hs={ma:.0} supervised_mean_hs={mb:.0} difference_percent={:.2}",
            (ma - mb) / ma * 100.0
        );
    }

    async fn startstop(n: usize) {
        let mut to_running = Vec::new();
        let mut to_gone = Vec::new();
        for _ in 0..n {
            let dir = tempfile::tempdir().unwrap();
            let e = Engine::open(opts(dir.path(), 1, 50)).await.unwrap();
            let t0 = Instant::now();
            e.node().start().await.unwrap();
            wait_running(&e).await;
            to_running.push(t0.elapsed().as_secs_f64() * 1000.0);
            let pid = e.node().status().pid.unwrap();
            let t1 = Instant::now();
            e.node().stop().await.unwrap();
            assert!(
                std::fs::read_to_string(format!("/proc/{pid}/stat")).is_err(),
                "node left after stop"
            );
            to_gone.push(t1.elapsed().as_secs_f64() * 1000.0);
            e.shutdown().await;
        }
        let med = |v: &mut Vec<f64>| {
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            (v[v.len() / 2], v[v.len() - 1])
        };
        let (r_med, r_max) = med(&mut to_running);
        let (s_med, s_max) = med(&mut to_gone);
        println!(
            "startstop runs={n} start_to_running_ms_median={r_med:.0} max={r_max:.0} stop_to_gone_ms_median={s_med:.0} max={s_max:.0}"
        );
    }

    #[tokio::main(flavor = "multi_thread", worker_threads = 2)]
    pub async fn main() {
        let what: Vec<String> = std::env::args().skip(1).collect();
        let all = what.is_empty();
        let has = |w: &str| all || what.iter().any(|x| x == w);
        if has("startstop") {
            startstop(5).await;
        }
        if has("idle") {
            idle(60).await;
        }
        if has("tax") {
            tax(3, 20).await;
        }
    }
}
