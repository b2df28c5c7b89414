use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::prom::{Sample, Selector, sample};
use super::*;
use crate::adapter::fake::{FakeServer, Reply};

const METRICS: &str = include_str!("fixtures/custom/metrics.prom");
const STATUS: &str = include_str!("fixtures/custom/status.json");

fn options(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn cfg(url: &str, pairs: &[(&str, &str)]) -> AdapterConfig {
    AdapterConfig {
        node_id: "custom-1".into(),
        url: Some(url.into()),
        token: None,
        options: options(pairs),
    }
}

fn text(body: &str) -> Reply {
    Reply::Raw {
        status: 200,
        content_type: "text/plain; version=0.0.4",
        body: body.as_bytes().to_vec(),
    }
}

const PROM: &[(&str, &str)] = &[
    ("format", "prometheus"),
    ("work_rate", r#"miner_hashrate_hashes_per_second{window="10s"}"#),
    ("work_unit", "H/s"),
    ("shares_accepted", r#"miner_shares_total{result="accepted"}"#),
    ("uptime_secs", "miner_uptime_seconds"),
];

const JSON: &[(&str, &str)] = &[
    ("format", "json"),
    ("path", "/api/status"),
    ("work_rate", "/hashrate/total/0"),
    ("work_unit", "H/s"),
    ("shares_accepted", "/results/shares_good"),
    ("uptime_secs", "/uptime"),
];

async fn prom_node() -> (FakeServer, CustomAdapter) {
    let fake = FakeServer::start(vec![("GET /metrics", text(METRICS))]).await;
    let a = CustomAdapter::new(&cfg(&fake.base, PROM)).unwrap();
    (fake, a)
}

async fn json_node() -> (FakeServer, CustomAdapter) {
    let fake = FakeServer::start(vec![("GET /api/status", Reply::Json(STATUS.into()))]).await;
    let a = CustomAdapter::new(&cfg(&fake.base, JSON)).unwrap();
    (fake, a)
}

fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn prometheus_lines_with_labels_escapes_and_timestamps() {
    assert_eq!(
        sample(r#"miner_shares_total{result="accepted"} 1287 1779278400000"#),
        Some(Sample {
            name: "miner_shares_total".into(),
            labels: labels(&[("result", "accepted")]),
            value: 1287.0
        })
    );
    // Escaped quote and backslash, a comma inside the value, a trailing comma.
    let s = sample(r#"info{url="a:1",name="local \"mini\", p2pool\\node",} 1"#).unwrap();
    assert_eq!(s.labels, labels(&[("url", "a:1"), ("name", r#"local "mini", p2pool\node"#)]));
    assert_eq!(sample(r#"x{a="line\nbreak"} 2"#).unwrap().labels, labels(&[("a", "line\nbreak")]));
    // Spaces around the parts; no labels; an OpenMetrics exemplar after the value.
    assert_eq!(sample(r#"  up { job = "x" }   1  "#).unwrap().value, 1.0);
    assert_eq!(sample("requests_total 7 # {trace_id=\"abc\"} 1.0").unwrap().value, 7.0);
    assert_eq!(
        sample("process_start_time_seconds 1.7791851865e+09").unwrap().value,
        1_779_185_186.5
    );
    // Special values are read, and refused later by the adapter.
    assert!(sample("x NaN").unwrap().value.is_nan());
    assert_eq!(sample("x +Inf").unwrap().value, f64::INFINITY);
    assert_eq!(sample("x -Inf").unwrap().value, f64::NEG_INFINITY);
    // Comments, blank lines and broken lines are skipped.
    for skip in [
        "# HELP x help",
        "# TYPE x counter",
        "# EOF",
        "",
        "x",
        "x{a=\"1\" 2",
        "x{a=1} 2",
        "9x 1",
        "x{a=\"unterminated} 1",
        "x abc",
    ] {
        assert_eq!(sample(skip), None, "{skip:?}");
    }
}

#[test]
fn selectors_are_checked() {
    assert_eq!(
        Selector::parse(r#"miner_shares_total{result="accepted"}"#).unwrap(),
        Selector { name: "miner_shares_total".into(), labels: labels(&[("result", "accepted")]) }
    );
    assert_eq!(Selector::parse("up").unwrap().labels, vec![]);
    for bad in ["", "{a=\"1\"}", "9lives", "x{a=1}", "x{a=\"1\"} extra", "x y"] {
        assert!(Selector::parse(bad).is_err(), "{bad:?}");
    }
    let sel = Selector::parse(r#"miner_hashrate_hashes_per_second{window="60s"}"#).unwrap();
    assert_eq!(sel.find(METRICS), (Some(4498.2), 1));
    assert_eq!(Selector::parse("miner_shares_total").unwrap().find(METRICS), (Some(1287.0), 3));
    assert_eq!(
        Selector::parse("miner_shares").unwrap().find(METRICS),
        (None, 0),
        "no prefix match"
    );
}

#[tokio::test]
async fn fake_recorded_prometheus_gives_exact_figures() {
    let (fake, mut a) = prom_node().await;
    let poll = a.poll().await.unwrap();
    let m = &poll.metrics;
    assert_eq!(m.work_rate, Some(WorkRate { value: 4523.7, unit: "H/s".into() }));
    assert_eq!(m.shares_accepted, Some(1287));
    assert_eq!(m.uptime_secs, Some(93_213), "93 213.5 s, whole seconds");
    assert!(m.hints.is_empty(), "{:?}", m.hints);
    assert!(poll.rewards.is_empty(), "a custom node's earnings are not known");
    assert_eq!(fake.seen()[0].target, "/metrics", "the default path");
    assert_eq!(fake.seen()[0].header("authorization"), None);
}

#[tokio::test]
async fn fake_recorded_json_pointers_give_exact_figures() {
    let (fake, mut a) = json_node().await;
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, Some(WorkRate { value: 4523.7, unit: "H/s".into() }));
    assert_eq!((m.shares_accepted, m.uptime_secs), (Some(1287), Some(93_213)));
    assert!(m.hints.is_empty(), "{:?}", m.hints);
    assert_eq!(fake.seen()[0].target, "/api/status");
}

#[tokio::test]
async fn fake_nan_infinite_and_negative_figures_are_not_available() {
    let fake = FakeServer::start(vec![("GET /metrics", text(METRICS))]).await;
    let opts = [
        ("format", "prometheus"),
        ("work_rate", r#"miner_hashrate_hashes_per_second{window="15m"}"#), // NaN
        ("uptime_secs", "miner_temperature_celsius"),                       // +Inf
        ("shares_accepted", "miner_clock_skew_seconds"),                    // -0.25
    ];
    let m = CustomAdapter::new(&cfg(&fake.base, &opts)).unwrap().poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.uptime_secs, m.shares_accepted), (None, None, None));
    assert!(m.hints.is_empty(), "present but unusable is not a typo: {:?}", m.hints);

    let fake = FakeServer::start(vec![("GET /s", Reply::Json(STATUS.into()))]).await;
    let opts = [
        ("format", "json"),
        ("path", "/s"),
        ("work_rate", "/hashrate/total/2"),         // null
        ("uptime_secs", "/sensors/package_temp_c"), // "NaN"
        ("shares_accepted", "/sensors/fan_rpm"),    // -1
    ];
    let m = CustomAdapter::new(&cfg(&fake.base, &opts)).unwrap().poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.uptime_secs, m.shares_accepted), (None, None, None));
}

#[tokio::test]
async fn fake_missing_metric_is_none_with_a_hint_and_the_poll_succeeds() {
    let (fake, mut a) = prom_node().await;
    let trimmed: String =
        METRICS.lines().filter(|l| !l.contains("miner_uptime")).map(|l| format!("{l}\n")).collect();
    fake.set("GET /metrics", text(&trimmed));
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.uptime_secs, None);
    assert_eq!(m.shares_accepted, Some(1287));
    assert_eq!(m.hints, vec!["The node's answer has nothing where option `uptime_secs` points."]);

    let (fake, mut a) = json_node().await;
    fake.set("GET /api/status", Reply::Json(r#"{"uptime": 5}"#.into()));
    let m = a.poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.shares_accepted, m.uptime_secs), (None, None, Some(5)));
    assert_eq!(m.hints.len(), 2, "{:?}", m.hints);
}

#[tokio::test]
async fn fake_ambiguous_selector_uses_the_first_series_and_says_so() {
    let fake = FakeServer::start(vec![("GET /metrics", text(METRICS))]).await;
    let opts = [("format", "prometheus"), ("shares_accepted", "miner_shares_total")];
    let m = CustomAdapter::new(&cfg(&fake.base, &opts)).unwrap().poll().await.unwrap().metrics;
    assert_eq!(m.shares_accepted, Some(1287));
    assert!(m.hints[0].starts_with("3 series match option `shares_accepted`"), "{:?}", m.hints);
}

#[tokio::test]
async fn fake_token_is_sent_as_bearer() {
    let fake = FakeServer::start(vec![("GET /metrics", text(METRICS))]).await;
    let mut c = cfg(&fake.base, PROM);
    c.token = Some(Sensitive::new("tok-123".into()));
    let a = CustomAdapter::new(&c).unwrap();
    assert!(!format!("{a:?}").contains("tok-123"));
    let mut a = a;
    a.poll().await.unwrap();
    assert_eq!(fake.seen()[0].header("authorization"), Some("Bearer tok-123"));
}

#[tokio::test]
async fn fake_malformed_json_is_an_error() {
    let (fake, mut a) = json_node().await;
    fake.set(
        "GET /api/status",
        Reply::Json(r#"{"uptime": 93213, "hashrate": {"total": [45"#.into()),
    );
    let err = a.poll().await.unwrap_err();
    assert!(matches!(err, AdapterError::Malformed(_)), "{err}");
}

#[tokio::test]
async fn fake_wrong_path_is_refused_with_the_option_named() {
    let fake = FakeServer::start(vec![]).await;
    let err = CustomAdapter::new(&cfg(&fake.base, PROM)).unwrap().poll().await.unwrap_err();
    assert!(matches!(&err, AdapterError::Refused(m) if m.contains("`path`")), "{err}");
}

#[tokio::test]
async fn fake_huge_answer_fails_fast_without_reading_it() {
    let (fake, mut a) = prom_node().await;
    fake.set("GET /metrics", Reply::Huge(100 << 20));
    let t = Instant::now();
    let err = a.poll().await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn fake_endless_answer_fails_within_the_timeout() {
    let (fake, mut a) = prom_node().await;
    fake.set("GET /metrics", Reply::Endless);
    let t = Instant::now();
    assert!(a.poll().await.is_err());
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[tokio::test]
async fn fake_slow_answer_fails_within_the_timeout() {
    let (fake, mut a) = json_node().await;
    fake.set(
        "GET /api/status",
        Reply::Slow(Duration::from_secs(10), Box::new(Reply::Json(STATUS.into()))),
    );
    let t = Instant::now();
    let err = a.poll().await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(matches!(err, AdapterError::Unreachable(_)), "{err}");
}

#[test]
fn wrong_options_are_refused_by_name() {
    let url = "http://127.0.0.1:9100";
    let refused = |pairs: &[(&str, &str)], needle: &str| {
        let err = CustomAdapter::new(&cfg(url, pairs)).unwrap_err();
        assert!(matches!(&err, AdapterError::Config(m) if m.contains(needle)), "{needle}: {err}");
    };
    refused(&[("format", "prometheus"), ("hashrate", "x")], "`hashrate`");
    refused(&[("work_rate", "x")], "`format` is required");
    refused(&[("format", "xml")], "not `xml`");
    refused(&[("format", "json"), ("work_rate", "/a")], "`path` is required");
    refused(&[("format", "json"), ("path", "/s"), ("work_rate", "hashrate.total")], "`work_rate`");
    refused(&[("format", "prometheus"), ("uptime_secs", "up{job=x}")], "`uptime_secs`");
    refused(&[("format", "prometheus"), ("path", "metrics")], "`path`");
    refused(&[("format", "prometheus"), ("path", "@evil.example/metrics")], "`path`");
    refused(&[("format", "prometheus"), ("work_unit", " ")], "`work_unit`");
    let mut no_url = cfg(url, &[("format", "prometheus")]);
    no_url.url = None;
    assert!(
        matches!(CustomAdapter::new(&no_url), Err(AdapterError::Config(m)) if m.contains("url"))
    );
    let a = CustomAdapter::new(&cfg(url, &[("format", "prometheus")])).unwrap();
    assert_eq!(
        (a.path.as_str(), a.work_unit.as_str(), a.can_pause()),
        ("/metrics", "units/s", false)
    );
}
