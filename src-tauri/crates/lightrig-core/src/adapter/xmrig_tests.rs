//! The XMRig adapter against a fake XMRig API serving recorded answers (and misbehaving), and
//! the command-line builder against good and hostile settings.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::*;
use crate::adapter::fake::{FakeServer, Reply};
use crate::address::MoneroNetwork;

const SUMMARY: &str = include_str!("fixtures/xmrig/summary.json");
const BACKENDS: &str = include_str!("fixtures/xmrig/backends.json");
const SUMMARY_SLOW: &str = include_str!("fixtures/xmrig/summary_slow.json");
const BACKENDS_SLOW: &str = include_str!("fixtures/xmrig/backends_slow.json");
const SUMMARY_STARTING: &str = include_str!("fixtures/xmrig/summary_starting.json");
const RPC_OK: &str = include_str!("fixtures/xmrig/json_rpc_ok.json");
const RPC_ERROR: &str = include_str!("fixtures/xmrig/json_rpc_error.json");

const TOKEN: &str = "lightrig-canary-token-7f3a";

/// The Monero General Fund's donation address, published on getmonero.org.
const DONATION: &str = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

fn config(url: &str, token: Option<&str>) -> AdapterConfig {
    AdapterConfig {
        node_id: "xmrig".into(),
        url: Some(url.to_owned()),
        token: token.map(|t| Sensitive::new(t.to_owned())),
        options: BTreeMap::new(),
    }
}

async fn fake(summary: Reply, backends: Reply) -> (FakeServer, XmrigAdapter) {
    let fake = FakeServer::start(vec![
        ("GET /2/summary", summary),
        ("GET /2/backends", backends),
        ("POST /json_rpc", Reply::Json(RPC_OK.into())),
    ])
    .await;
    let adapter = XmrigAdapter::new(&config(&fake.base, Some(TOKEN))).unwrap();
    (fake, adapter)
}

fn h(value: f64) -> Option<WorkRate> {
    Some(WorkRate { value, unit: "H/s".into() })
}

/// The recorded summary with `edit` applied to its JSON.
fn summary_with(edit: impl FnOnce(&mut Value)) -> Reply {
    let mut v: Value = serde_json::from_str(SUMMARY).unwrap();
    edit(&mut v);
    Reply::Json(v.to_string())
}

/// Polls, failing the test (rather than hanging it) if the adapter takes over 5 s.
async fn poll_within_5s(a: &mut XmrigAdapter) -> Result<Poll, AdapterError> {
    let started = Instant::now();
    let r = tokio::time::timeout(Duration::from_secs(5), a.poll()).await;
    assert!(r.is_ok(), "the poll did not end within 5 s ({:?})", started.elapsed());
    r.unwrap()
}

fn malformed(r: Result<Poll, AdapterError>) -> String {
    match r {
        Err(AdapterError::Malformed(m)) => m,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

// ---- polling ----

#[tokio::test]
async fn recorded_summary_from_fake_maps_to_metrics() {
    let (fake, mut a) = fake(Reply::Json(SUMMARY.into()), Reply::Json(BACKENDS.into())).await;
    let poll = a.poll().await.unwrap();
    let m = &poll.metrics;
    assert_eq!(m.work_rate, h(4512.37));
    assert_eq!(m.work_rate_60s, h(4498.1));
    assert_eq!(m.work_rate_15m, h(4476.52));
    assert_eq!(m.shares_accepted, Some(57));
    assert_eq!(m.total_work, Some(15_979_437));
    assert_eq!(m.threads, Some(6));
    assert_eq!(m.paused, Some(false));
    assert_eq!(m.uptime_secs, Some(3725));
    assert!(!m.simulated);
    assert!(m.hints.is_empty(), "{:?}", m.hints);
    assert!(poll.rewards.is_empty(), "XMRig knows no payouts");
    let seen = fake.seen();
    assert_eq!(seen.len(), 2);
    for req in &seen {
        assert_eq!(req.method, "GET");
        assert_eq!(req.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    }
    assert!(a.can_pause(), "token and an unrestricted API");
}

#[tokio::test]
async fn recorded_slow_rig_from_fake_says_what_to_fix() {
    let (_fake, mut a) =
        fake(Reply::Json(SUMMARY_SLOW.into()), Reply::Json(BACKENDS_SLOW.into())).await;
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, h(3427.9));
    assert_eq!(m.shares_accepted, Some(21));
    if Os::current() == Os::Mac {
        assert!(m.hints.is_empty());
    } else {
        assert_eq!(m.hints.len(), 2, "{:?}", m.hints);
        assert!(m.hints[0].starts_with("Huge pages are not allocated (6 of 1174)"));
        assert!(m.hints[1].starts_with("The MSR tweak was not applied"));
    }
    assert!(!a.can_pause(), "XMRig said its API is restricted");
}

#[tokio::test]
async fn recorded_slow_rig_hints_can_be_turned_off() {
    let fake = FakeServer::start(vec![
        ("GET /2/summary", Reply::Json(SUMMARY_SLOW.into())),
        ("GET /2/backends", Reply::Json(BACKENDS_SLOW.into())),
    ])
    .await;
    let mut cfg = config(&fake.base, None);
    cfg.options.insert("hints".into(), "false".into());
    let mut a = XmrigAdapter::new(&cfg).unwrap();
    assert!(a.poll().await.unwrap().metrics.hints.is_empty());
}

#[test]
fn hints_speak_of_each_system_in_its_own_terms() {
    let s = Summary::read(&serde_json::from_str(SUMMARY_SLOW).unwrap()).unwrap();
    let b = CpuBackend::read(&serde_json::from_str(BACKENDS_SLOW).unwrap());
    let linux = hints(&s, b.as_ref(), Os::Linux);
    assert!(linux[0].contains("sudo sysctl -w vm.nr_hugepages=1280"), "{linux:?}");
    assert!(linux[1].contains("root"), "{linux:?}");
    let windows = hints(&s, b.as_ref(), Os::Windows);
    assert!(windows[0].contains("Lock pages in memory"), "{windows:?}");
    assert!(windows[1].contains("administrator"), "{windows:?}");
    assert!(hints(&s, b.as_ref(), Os::Mac).is_empty(), "macOS offers neither");
    // A rig that needs more pages than the usual 1280 is told its own number.
    let mut big = s.clone();
    big.hugepages = Some((0, 2336));
    assert!(hints(&big, b.as_ref(), Os::Linux)[0].contains("vm.nr_hugepages=2336"));
}

#[test]
fn no_msr_hint_before_mining_starts_or_off_randomx() {
    let b = CpuBackend::read(&serde_json::from_str(BACKENDS_SLOW).unwrap());
    let mut s = Summary::read(&serde_json::from_str(SUMMARY_SLOW).unwrap()).unwrap();
    s.hugepages = Some((1174, 1174));
    assert_eq!(hints(&s, b.as_ref(), Os::Linux).len(), 1);
    s.rates[0] = None;
    assert!(hints(&s, b.as_ref(), Os::Linux).is_empty(), "not mining yet");
    let mut s = Summary::read(&serde_json::from_str(SUMMARY_SLOW).unwrap()).unwrap();
    s.hugepages = Some((1174, 1174));
    s.algo = Some("cn/r".into());
    assert!(hints(&s, b.as_ref(), Os::Linux).is_empty(), "MSR is a RandomX tweak");
}

#[tokio::test]
async fn recorded_start_from_fake_reports_not_available_not_zero() {
    let (_fake, mut a) =
        fake(Reply::Json(SUMMARY_STARTING.into()), Reply::Json(BACKENDS.into())).await;
    let m = a.poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.work_rate_60s, m.work_rate_15m), (None, None, None));
    assert_eq!(m.shares_accepted, Some(0), "a real zero stays zero");
    assert!(m.hints.is_empty(), "nothing allocated yet is not a failure: {:?}", m.hints);
}

#[tokio::test]
async fn fake_negative_and_nonnumeric_values_are_not_available() {
    let summary = summary_with(|v| {
        v["hashrate"]["total"] = serde_json::json!([-1.5, "NaN", 1.0e308]);
        v["results"]["shares_good"] = serde_json::json!(-3);
        v["results"]["hashes_total"] = serde_json::json!(12.5);
        v["uptime"] = serde_json::json!("soon");
        v["paused"] = serde_json::json!(0);
    });
    let (_fake, mut a) = fake(summary, Reply::Json(BACKENDS.into())).await;
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, None, "negative");
    assert_eq!(m.work_rate_60s, None, "a string is no rate");
    assert_eq!(m.work_rate_15m, h(1.0e308), "huge but finite");
    assert_eq!((m.shares_accepted, m.total_work), (None, None));
    assert_eq!((m.uptime_secs, m.paused), (None, None));
}

#[tokio::test]
async fn fake_bare_nan_is_malformed_not_zero() {
    let body = SUMMARY.replace("[4512.37, 4498.1, 4476.52]", "[NaN, 4498.1, 4476.52]");
    assert_ne!(body, SUMMARY);
    let (_fake, mut a) = fake(Reply::Json(body), Reply::Json(BACKENDS.into())).await;
    assert!(malformed(a.poll().await).contains("not JSON"));
}

#[tokio::test]
async fn fake_malformed_json_is_malformed() {
    let (_fake, mut a) = fake(Reply::Json("{\"hashrate\":".into()), Reply::Json("[]".into())).await;
    assert!(malformed(a.poll().await).contains("/2/summary"));
}

#[tokio::test]
async fn fake_summary_without_hashrate_is_malformed() {
    let summary = summary_with(|v| {
        v.as_object_mut().unwrap().remove("hashrate");
    });
    let (_fake, mut a) = fake(summary, Reply::Json(BACKENDS.into())).await;
    assert!(malformed(a.poll().await).contains("hashrate.total"));
}

#[tokio::test]
async fn fake_summary_without_results_leaves_shares_not_available() {
    let summary = summary_with(|v| {
        v.as_object_mut().unwrap().remove("results");
    });
    let (_fake, mut a) = fake(summary, Reply::Json(BACKENDS.into())).await;
    let m = a.poll().await.unwrap().metrics;
    assert_eq!((m.shares_accepted, m.total_work), (None, None));
    assert_eq!(m.work_rate, h(4512.37));
}

#[tokio::test]
async fn fake_backends_failing_still_reports_the_summary() {
    let (_fake, mut a) = fake(
        Reply::Json(SUMMARY.into()),
        Reply::Raw { status: 404, content_type: "text/plain", body: b"not found".to_vec() },
    )
    .await;
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.threads, None);
    assert_eq!(m.work_rate, h(4512.37));
}

#[tokio::test]
async fn fake_huge_body_fails_fast_without_reading_it() {
    let (_fake, mut a) = fake(Reply::Huge(100 << 20), Reply::Json(BACKENDS.into())).await;
    let started = Instant::now();
    assert!(malformed(poll_within_5s(&mut a).await).contains("larger than"));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn fake_endless_body_gives_up_within_the_timeout() {
    let (_fake, mut a) = fake(Reply::Endless, Reply::Json(BACKENDS.into())).await;
    let started = Instant::now();
    assert!(matches!(poll_within_5s(&mut a).await, Err(AdapterError::Unreachable(_))));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn fake_slow_answer_gives_up_within_the_timeout() {
    let slow = Reply::Slow(Duration::from_secs(10), Box::new(Reply::Json(SUMMARY.into())));
    let (_fake, mut a) = fake(slow.clone(), slow).await;
    let started = Instant::now();
    assert!(matches!(poll_within_5s(&mut a).await, Err(AdapterError::Unreachable(_))));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn fake_dropped_connection_is_unreachable() {
    let (_fake, mut a) = fake(Reply::Close, Reply::Close).await;
    assert!(matches!(a.poll().await, Err(AdapterError::Unreachable(_))));
}

#[tokio::test]
async fn fake_wrong_token_is_refused() {
    let unauthorized =
        Reply::Raw { status: 401, content_type: "application/json", body: b"{}".to_vec() };
    let (_fake, mut a) = fake(unauthorized.clone(), unauthorized).await;
    match a.poll().await {
        Err(AdapterError::Refused(m)) => {
            assert!(m.contains("token"), "{m}");
            assert!(!m.contains(TOKEN), "the message never shows the token");
        }
        other => panic!("expected Refused, got {other:?}"),
    }
}

// ---- pause and resume ----

#[tokio::test]
async fn fake_pause_and_resume_send_json_rpc_with_the_token() {
    let (fake, mut a) = fake(Reply::Json(SUMMARY.into()), Reply::Json(BACKENDS.into())).await;
    a.pause().await.unwrap();
    a.resume().await.unwrap();
    let calls: Vec<_> = fake.seen().into_iter().filter(|r| r.target == "/json_rpc").collect();
    assert_eq!(calls.len(), 2);
    for (call, method) in calls.iter().zip(["pause", "resume"]) {
        assert_eq!(call.method, "POST");
        assert_eq!(call.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
        assert_eq!(call.header("content-type"), Some("application/json"));
        let body: Value = serde_json::from_slice(&call.body).unwrap();
        assert_eq!(body, serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": method }));
    }
}

#[tokio::test]
async fn fake_rpc_error_answer_is_refused() {
    let (fake, mut a) = fake(Reply::Json(SUMMARY.into()), Reply::Json(BACKENDS.into())).await;
    fake.set("POST /json_rpc", Reply::Json(RPC_ERROR.into()));
    match a.pause().await {
        Err(AdapterError::Refused(m)) => assert!(m.contains("Method not found"), "{m}"),
        other => panic!("expected Refused, got {other:?}"),
    }
}

#[tokio::test]
async fn fake_restricted_api_refuses_pause() {
    let (fake, mut a) = fake(Reply::Json(SUMMARY.into()), Reply::Json(BACKENDS.into())).await;
    fake.set(
        "POST /json_rpc",
        Reply::Raw { status: 403, content_type: "application/json", body: b"{}".to_vec() },
    );
    assert!(matches!(a.resume().await, Err(AdapterError::Refused(_))));
}

#[tokio::test]
async fn fake_without_token_pause_is_unsupported_and_nothing_is_sent() {
    let fake = FakeServer::start(vec![("POST /json_rpc", Reply::Json(RPC_OK.into()))]).await;
    let mut a = XmrigAdapter::new(&config(&fake.base, None)).unwrap();
    assert!(!a.can_pause());
    assert!(matches!(a.pause().await, Err(AdapterError::Unsupported)));
    assert!(fake.seen().is_empty());
}

// ---- adapter configuration ----

fn config_error(cfg: &AdapterConfig) -> String {
    match XmrigAdapter::new(cfg) {
        Err(AdapterError::Config(m)) => m,
        other => panic!("expected Config, got {other:?}"),
    }
}

#[test]
fn adapter_options_are_checked() {
    let mut cfg = config("http://127.0.0.1:18088", Some(TOKEN));
    cfg.options.insert("hugepages".into(), "false".into());
    assert!(config_error(&cfg).contains("\"hugepages\""));
    let mut cfg = config("http://127.0.0.1:18088", Some(TOKEN));
    cfg.options.insert("hints".into(), "no".into());
    assert!(config_error(&cfg).contains("\"hints\""));
    let mut cfg = config("http://127.0.0.1:18088", Some(TOKEN));
    cfg.url = None;
    assert!(config_error(&cfg).contains("[status] url"));
    assert!(config_error(&config("127.0.0.1:18088", None)).contains("http://"));
    assert!(config_error(&config("http://127.0.0.1:18088", Some("two words"))).contains("token"));
    assert!(config_error(&config("http://127.0.0.1:18088", Some(""))).contains("token"));
}

#[test]
fn adapter_debug_never_shows_the_token() {
    let a = XmrigAdapter::new(&config("http://127.0.0.1:18088/", Some(TOKEN))).unwrap();
    assert!(!format!("{a:?}").contains(TOKEN));
    assert_eq!(a.base, "http://127.0.0.1:18088");
}

// ---- command line ----

fn settings() -> XmrigSettings {
    XmrigSettings {
        pool_url: "127.0.0.1:3333".into(),
        payout_address: DONATION.into(),
        network: MoneroNetwork::Mainnet,
        threads: None,
        donate_level: 1,
        api_port: 18088,
        api_auth: XmrigApiAuth::ReadOnly,
    }
}

fn args_error(s: &XmrigSettings) -> String {
    match xmrig_args(s) {
        Err(AdapterError::Config(m)) => m,
        other => panic!("expected Config, got {other:?}"),
    }
}

/// A valid stagenet address, built from made-up keys.
fn stagenet_address() -> String {
    use sha3::{Digest, Keccak256};
    let mut bytes = vec![24u8]; // stagenet standard address prefix
    bytes.extend((0..64u8).map(|i| i.wrapping_mul(7).wrapping_add(3)));
    let sum = Keccak256::digest(&bytes);
    bytes.extend_from_slice(&sum[..4]);
    crate::address::base58::encode(&bytes)
}

#[test]
fn args_for_good_settings_are_exactly_these() {
    let args = xmrig_args(&settings()).unwrap();
    assert_eq!(
        args,
        [
            "--url=127.0.0.1:3333".to_owned(),
            format!("--user={DONATION}"),
            "--coin=monero".into(),
            "--donate-level=1".into(),
            "--http-host=127.0.0.1".into(),
            "--http-port=18088".into(),
            "--no-color".into(),
        ]
    );
    let mut s = settings();
    s.threads = Some(4);
    s.pool_url = "STRATUM+SSL://pool.example.org:443".into();
    let args = xmrig_args(&s).unwrap();
    assert!(args.contains(&"--threads=4".to_owned()));
    assert!(args.contains(&"--url=stratum+ssl://pool.example.org:443".to_owned()));
}

#[test]
fn args_with_a_token_keep_it_off_the_command_line() {
    let mut s = settings();
    let file = std::env::temp_dir().join("lightrig-xmrig-http.json");
    s.api_auth = XmrigApiAuth::TokenFile(file.clone());
    let args = xmrig_args(&s).unwrap();
    assert_eq!(args[0], format!("--config={}", file.display()));
    assert!(args.iter().all(|a| !a.starts_with("--http")), "the file carries the http section");
    assert!(args.iter().all(|a| !a.contains(TOKEN)));

    let content = xmrig_http_config(&s, &Sensitive::new(TOKEN.into())).unwrap();
    let v: Value = serde_json::from_str(content.expose()).unwrap();
    assert_eq!(v["http"]["access-token"], TOKEN);
    assert_eq!(v["http"]["host"], "127.0.0.1");
    assert_eq!(v["http"]["port"], 18088);
    assert_eq!(v["http"]["restricted"], false);
    assert_eq!((v["autosave"].clone(), v["watch"].clone()), (false.into(), false.into()));
    assert!(!format!("{content:?}").contains(TOKEN));
    assert!(matches!(
        xmrig_http_config(&s, &Sensitive::new("short".into())),
        Err(AdapterError::Config(m)) if m.starts_with("api_token")
    ));
    s.api_auth = XmrigApiAuth::TokenFile(PathBuf::from("relative/http.json"));
    assert!(args_error(&s).starts_with("api_token_file"));
}

#[test]
fn args_refuse_bad_pool_urls() {
    for bad in [
        "",
        "pool.example.org",
        "pool.example.org:",
        "pool.example.org:0",
        "pool.example.org:65536",
        "pool.example.org:+3333",
        "pool.example.org:33 33",
        "pool.example.org:3333/path",
        "http://pool.example.org:80",
        "stratum+tcp://",
        "stratum+tcp://:3333",
        "-o evil.example:1",
        "--url=evil.example:1",
        "bad host:3333",
        "a..b:3333",
        "-pool.example.org:3333",
        "host_name:3333",
        "999.1.1.1:3333",
        "[::1:3333",
        "[zz::1]:3333",
        "pool.example.org:3333\n",
        "pool.example.org:3333 --donate-level=0",
        "user@pool.example.org:3333",
    ] {
        let mut s = settings();
        s.pool_url = bad.into();
        let m = args_error(&s);
        assert!(m.starts_with("pool_url"), "{bad:?}: {m}");
        assert!(m.contains("host:port"), "says what to do: {m}");
    }
    let mut s = settings();
    s.pool_url = "[::1]:3333".into();
    assert!(xmrig_args(&s).unwrap().contains(&"--url=[::1]:3333".to_owned()));
}

#[test]
fn args_refuse_a_mutated_address() {
    let mut chars: Vec<char> = DONATION.chars().collect();
    chars[40] = if chars[40] == 'A' { 'B' } else { 'A' };
    let mut s = settings();
    s.payout_address = chars.into_iter().collect();
    let m = args_error(&s);
    assert!(m.starts_with("payout_address"), "{m}");
    assert!(m.contains("checksum"), "{m}");
    s.payout_address = format!("{DONATION} ");
    assert!(args_error(&s).starts_with("payout_address"));
}

#[test]
fn args_need_mainnet_unless_the_pool_network_is_named() {
    let stagenet = stagenet_address();
    let mut s = settings();
    s.payout_address = stagenet.clone();
    let m = args_error(&s);
    assert!(m.contains("stagenet") && m.contains("mainnet"), "{m}");
    s.network = MoneroNetwork::Stagenet;
    assert!(xmrig_args(&s).unwrap().contains(&format!("--user={stagenet}")));
    s.payout_address = DONATION.into();
    assert!(args_error(&s).starts_with("payout_address"));
}

#[test]
fn args_check_threads_donation_and_port() {
    let mut s = settings();
    s.donate_level = 0;
    assert!(xmrig_args(&s).unwrap().contains(&"--donate-level=1".to_owned()), "release minimum");
    assert_eq!(effective_donate_level(0).unwrap(), XMRIG_MIN_DONATE_LEVEL);
    s.donate_level = XMRIG_MAX_DONATE_LEVEL;
    assert!(xmrig_args(&s).unwrap().contains(&"--donate-level=99".to_owned()));
    s.donate_level = XMRIG_MAX_DONATE_LEVEL + 1;
    assert!(args_error(&s).starts_with("donate_level"));
    let mut s = settings();
    for n in [0, XMRIG_MAX_THREADS + 1] {
        s.threads = Some(n);
        assert!(args_error(&s).starts_with("threads"));
    }
    let mut s = settings();
    s.api_port = 0;
    assert!(args_error(&s).starts_with("api_port"));
}

proptest! {
    /// Whatever is typed as the pool, XMRig gets either nothing (an error) or one `--url=`
    /// argument of plain host:port characters.
    #[test]
    fn args_never_carry_an_unchecked_pool(pool in ".{0,40}|[a-z0-9.:+/\\[\\]-]{0,40}") {
        let mut s = settings();
        s.pool_url = pool;
        if let Ok(args) = xmrig_args(&s) {
            let url = regex::Regex::new(
                r"^--url=(stratum\+(tcp|ssl)://)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$",
            ).unwrap();
            prop_assert!(url.is_match(&args[0]), "{:?}", args[0]);
            prop_assert_eq!(args.len(), 7);
        }
    }
}
