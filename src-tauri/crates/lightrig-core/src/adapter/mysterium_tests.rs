use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant as WallClock};

use serde_json::{Value, json};

use super::*;
use crate::adapter::fake::{FakeServer, Reply};

const HEALTH: &str = include_str!("fixtures/mysterium/healthcheck.json");
const AUTH: &str = include_str!("fixtures/mysterium/authenticate.json");
const IDENTITIES: &str = include_str!("fixtures/mysterium/identities.json");
const IDENTITY: &str = include_str!("fixtures/mysterium/identity.json");
const STATS: &str = include_str!("fixtures/mysterium/stats-aggregated.json");
const SETTLEMENTS: &str = include_str!("fixtures/mysterium/settle-history.json");

const ID: &str = "0x7c3e5a1f9b2d4c6e8a0f1b3d5c7e9a2b4d6f8a0c";
const IDENTITY_ROUTE: &str = "GET /identities/0x7c3e5a1f9b2d4c6e8a0f1b3d5c7e9a2b4d6f8a0c";
const TX1: &str = "0xa4c123b1612dd272d1371c17149d439536b3216fdaeeb975729fae923d5a4fd1";
const TX2: &str = "0x2aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc74254770f58904dba41ecc";
pub(super) const CANARY: &str = "canary-pw-7f3a91";
/// 2026-05-20T12:00:00Z
const NOW: UnixMillis = 1_779_278_400_000;

fn cfg(url: &str) -> AdapterConfig {
    AdapterConfig {
        node_id: "myst-1".into(),
        url: Some(url.into()),
        token: Some(Sensitive::new(CANARY.into())),
        options: BTreeMap::new(),
    }
}

async fn recorded() -> FakeServer {
    FakeServer::start(vec![
        ("POST /auth/authenticate", Reply::Json(AUTH.into())),
        ("GET /healthcheck", Reply::Json(HEALTH.into())),
        ("GET /identities", Reply::Json(IDENTITIES.into())),
        (IDENTITY_ROUTE, Reply::Json(IDENTITY.into())),
        ("GET /sessions/stats-aggregated", Reply::Json(STATS.into())),
        ("GET /transactor/settle/history", Reply::Json(SETTLEMENTS.into())),
    ])
    .await
}

fn adapter(fake: &FakeServer) -> MysteriumAdapter {
    let mut a = MysteriumAdapter::new(&cfg(&fake.base)).unwrap();
    a.fixed_now = Some(NOW);
    a
}

fn identity_with_lifetime(wei: Value) -> Reply {
    let mut doc: Value = serde_json::from_str(IDENTITY).unwrap();
    doc["earnings_total_tokens"]["wei"] = wei;
    Reply::Json(doc.to_string())
}

fn status(code: u16) -> Reply {
    Reply::Raw { status: code, content_type: "application/json", body: b"{}".to_vec() }
}

fn logins(fake: &FakeServer) -> usize {
    fake.seen().iter().filter(|s| s.method == "POST" && s.target == "/auth/authenticate").count()
}

fn by_key(rewards: &[Reward]) -> BTreeMap<String, (RewardState, i128, UnixMillis)> {
    rewards.iter().map(|r| (r.key.clone(), (r.state, r.atomic, r.at))).collect()
}

#[test]
fn wei_and_go_durations_are_parsed_exactly() {
    // 1 234.567890123456789012 MYST: beyond u64 and beyond f64's 53 bits, still exact.
    assert_eq!(parse_wei("1234567890123456789012"), Some(1_234_567_890_123_456_789_012));
    assert_eq!(myst().format_atomic(1_234_567_890_123_456_789_012), "1234.567890123456789012");
    for bad in ["", "-1", "1.5", "1e18", "NaN", " 12 34", &"9".repeat(40)] {
        assert_eq!(parse_wei(bad), None, "{bad:?}");
    }
    // 25 h + 53 min + 33.54 s = 93 213.54 s.
    assert_eq!(go_duration_secs("25h53m33.540493171s"), Some(93_213));
    assert_eq!(go_duration_secs("1m2.5s"), Some(62));
    assert_eq!(go_duration_secs("350ms"), Some(0));
    assert_eq!(go_duration_secs("0s"), Some(0));
    assert_eq!(go_duration_secs("0"), Some(0));
    for bad in ["", "-1s", "5x", "NaN", "1h-2m", "h"] {
        assert_eq!(go_duration_secs(bad), None, "{bad:?}");
    }
}

#[tokio::test]
async fn fake_recorded_poll_gives_uptime_bytes_and_settlements() {
    let fake = recorded().await;
    let poll = adapter(&fake).poll().await.unwrap();
    let m = &poll.metrics;
    assert_eq!(m.uptime_secs, Some(93_213));
    // 48 756 321 457 sent + 3 216 549 873 received.
    assert_eq!(m.total_work, Some(51_972_871_330));
    assert_eq!(m.work_rate, None, "a rate needs two polls");
    assert_eq!(m.at_ms, NOW);
    assert_eq!(
        m.hints,
        vec![
            "1 settlement(s) failed or could not be confirmed (the node's web UI has the \
             details); Lightrig does not count them as paid."
                .to_string()
        ]
    );
    let want: BTreeMap<_, _> = [
        // 9.876543210987654321 MYST, settled 2026-05-02T09:14:27Z.
        (
            format!("settlement:{TX1}"),
            (RewardState::Paid, 9_876_543_210_987_654_321, 1_777_713_267_000),
        ),
        // 25 MYST as a bare JSON integer above u64::MAX, exactly.
        (
            format!("settlement:{TX2}"),
            (RewardState::Paid, 25_000_000_000_000_000_000, 1_775_932_805_000),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_key(&poll.rewards), want);
    assert!(
        poll.rewards.iter().all(|r| r.asset == myst() && !r.simulated && r.node_id == "myst-1")
    );
}

#[tokio::test]
async fn fake_login_happens_once_and_every_call_carries_the_token() {
    let fake = recorded().await;
    let mut a = adapter(&fake);
    a.poll().await.unwrap();
    a.poll().await.unwrap();
    assert_eq!(logins(&fake), 1);
    let seen = fake.seen();
    let login = seen.iter().find(|s| s.method == "POST").unwrap();
    let body: Value = serde_json::from_slice(&login.body).unwrap();
    assert_eq!(body, json!({"username": "myst", "password": CANARY}));
    let token: Value = serde_json::from_str(AUTH).unwrap();
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    for s in seen.iter().filter(|s| s.method == "GET" && s.target != "/healthcheck") {
        assert_eq!(s.header("authorization"), Some(bearer.as_str()), "{}", s.target);
    }
    // The password goes to the login call only: never in a URL or another request.
    for s in &seen {
        let outside_body = format!("{} {:?}", s.target, s.headers);
        assert!(!outside_body.contains(CANARY));
        assert!(
            s.target == "/auth/authenticate" || !String::from_utf8_lossy(&s.body).contains(CANARY)
        );
    }
    // The identity the node listed is used, lowercased, and looked up only once.
    assert_eq!(seen.iter().filter(|s| s.target == "/identities").count(), 1);
    assert!(seen.iter().any(|s| s.target == format!("/identities/{ID}")));
}

#[tokio::test]
async fn fake_expired_token_logs_in_again_once_then_gives_up() {
    let fake = recorded().await;
    let mut a = adapter(&fake);
    a.poll().await.unwrap();
    assert_eq!(logins(&fake), 1);
    fake.set("POST /auth/authenticate", Reply::Json(r#"{"token":"jwt-renewed"}"#.into()));
    fake.set(IDENTITY_ROUTE, status(401));
    let err = a.poll().await.unwrap_err();
    assert!(matches!(err, AdapterError::Refused(_)), "{err}");
    assert_eq!(logins(&fake), 2, "exactly one new login, no loop");
    let last = fake.seen().into_iter().rev().find(|s| s.target == format!("/identities/{ID}"));
    assert_eq!(last.unwrap().header("authorization"), Some("Bearer jwt-renewed"));
    // The node is fine again: the next poll logs in afresh and works.
    fake.set(IDENTITY_ROUTE, Reply::Json(IDENTITY.into()));
    a.poll().await.unwrap();
    assert_eq!(logins(&fake), 3);
}

/// A node that accepts only the second token it issues: the first one is stale by the time it
/// is used (the node restarted, or the token expired between login and use).
async fn node_with_stale_first_token() -> (String, Arc<AtomicUsize>) {
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::routing::{get, post};

    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let guarded = |body: &'static str| {
        move |headers: HeaderMap| async move {
            let ok = headers.get(header::AUTHORIZATION).is_some_and(|v| v == "Bearer jwt-2");
            let code = if ok { StatusCode::OK } else { StatusCode::UNAUTHORIZED };
            (code, [(header::CONTENT_TYPE, "application/json")], if ok { body } else { "{}" })
        }
    };
    let app = axum::Router::new()
        .route(
            "/auth/authenticate",
            post(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                async move { axum::Json(json!({ "token": format!("jwt-{n}") })) }
            }),
        )
        .route(
            "/healthcheck",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], HEALTH) }),
        )
        .route(&format!("/identities/{ID}"), get(guarded(IDENTITY)))
        .route("/sessions/stats-aggregated", get(guarded(STATS)))
        .route("/transactor/settle/history", get(guarded(SETTLEMENTS)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, issued)
}

#[tokio::test]
async fn stale_token_is_renewed_within_the_same_poll() {
    let (base, issued) = node_with_stale_first_token().await;
    let mut c = cfg(&base);
    c.options.insert("identity".into(), ID.into());
    let mut a = MysteriumAdapter::new(&c).unwrap();
    let poll = a.poll().await.unwrap();
    assert_eq!(poll.metrics.total_work, Some(51_972_871_330));
    assert_eq!(poll.rewards.len(), 2);
    assert_eq!(issued.load(Ordering::SeqCst), 2, "one login, one renewal");
}

#[tokio::test]
async fn fake_password_never_shows_in_debug_or_errors() {
    let fake = recorded().await;
    let a = adapter(&fake);
    assert!(!format!("{a:?}").contains(CANARY));
    assert!(format!("{a:?}").contains("redacted"));
    fake.set("POST /auth/authenticate", status(401));
    let mut a = adapter(&fake);
    let err = a.poll().await.unwrap_err();
    assert!(matches!(err, AdapterError::Refused(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "the node's API refused the request: Mysterium refused the password: set it again in Nodes"
    );
    assert!(!err.to_string().contains(CANARY) && !format!("{err:?}").contains(CANARY));
    assert!(!format!("{a:?}").contains(CANARY));
}

#[tokio::test]
async fn fake_factory_password_is_tried_and_flagged() {
    let fake = recorded().await;
    let mut c = cfg(&fake.base);
    c.token = None;
    let poll = MysteriumAdapter::new(&c).unwrap().poll().await.unwrap();
    let login = fake.seen().into_iter().find(|s| s.method == "POST").unwrap();
    let body: Value = serde_json::from_slice(&login.body).unwrap();
    assert_eq!(body["password"], "mystberry");
    assert!(poll.metrics.hints.iter().any(|h| h.contains("factory password")));
}

#[tokio::test]
async fn fake_lifetime_earnings_growth_is_pending_once() {
    let fake = recorded().await;
    let mut a = adapter(&fake);
    let pending = |p: &Poll| -> Vec<(String, i128)> {
        p.rewards
            .iter()
            .filter(|r| r.state == RewardState::Pending)
            .map(|r| (r.key.clone(), r.atomic))
            .collect()
    };
    assert!(pending(&a.poll().await.unwrap()).is_empty(), "the first poll sets the start");
    // +0.05 MYST.
    fake.set(IDENTITY_ROUTE, identity_with_lifetime(json!("48263456789012345678")));
    assert_eq!(
        pending(&a.poll().await.unwrap()),
        vec![(
            format!("earned:{ID}:48213456789012345678-48263456789012345678"),
            50_000_000_000_000_000
        )]
    );
    assert!(pending(&a.poll().await.unwrap()).is_empty(), "same figure, nothing new");
    fake.set(IDENTITY_ROUTE, identity_with_lifetime(json!("48000000000000000000")));
    assert!(pending(&a.poll().await.unwrap()).is_empty(), "a drop records nothing");
    fake.set(IDENTITY_ROUTE, identity_with_lifetime(json!("48263456789012345679")));
    assert_eq!(
        pending(&a.poll().await.unwrap()),
        vec![(format!("earned:{ID}:48263456789012345678-48263456789012345679"), 1)],
        "only what is above the highest figure seen"
    );
}

#[tokio::test]
async fn fake_work_rate_is_bytes_served_between_polls() {
    let fake = recorded().await;
    let mut a = adapter(&fake);
    a.poll().await.unwrap();
    let mut doc: Value = serde_json::from_str(STATS).unwrap();
    doc["stats"]["sum_bytes_sent"] = json!(48_756_321_457u64 + 12_500_000);
    fake.set("GET /sessions/stats-aggregated", Reply::Json(doc.to_string()));
    a.fixed_now = Some(NOW + 10_000);
    let m = a.poll().await.unwrap().metrics;
    // 12 500 000 bytes in 10 s.
    assert_eq!(m.work_rate, Some(WorkRate { value: 1_250_000.0, unit: "B/s".into() }));
    assert_eq!(m.total_work, Some(51_972_871_330 + 12_500_000));
    let stats = fake.seen().into_iter().find(|s| s.target.starts_with("/sessions/")).unwrap();
    assert_eq!(stats.target, "/sessions/stats-aggregated?direction=Provided");
}

#[tokio::test]
async fn fake_settlement_keys_are_stable_and_never_sent_twice() {
    let fake = recorded().await;
    let mut first = adapter(&fake);
    let one = first.poll().await.unwrap();
    first.settle_due = Instant::now();
    let again = first.poll().await.unwrap();
    assert!(again.rewards.is_empty(), "{:?}", again.rewards);
    let reads = fake.seen().iter().filter(|s| s.target.starts_with("/transactor/")).count();
    assert_eq!(reads, 2);
    // Another run of Lightrig: the same settlements give the same keys (the ledger dedupes).
    let two = adapter(&fake).poll().await.unwrap();
    let keys = |p: &Poll| p.rewards.iter().map(|r| r.key.clone()).collect::<BTreeSet<_>>();
    assert_eq!(keys(&one), keys(&two));
    assert_eq!(keys(&one).len(), 2);
    let q = fake.seen().into_iter().find(|s| s.target.starts_with("/transactor/")).unwrap();
    assert_eq!(
        q.target,
        format!("/transactor/settle/history?provider_id={ID}&page=1&page_size=200")
    );
}

#[tokio::test]
async fn fake_malformed_json_is_an_error() {
    let fake = recorded().await;
    fake.set(IDENTITY_ROUTE, Reply::Json(r#"{"id": "0x7c3e", "earnings_total_tokens": {"#.into()));
    let err = adapter(&fake).poll().await.unwrap_err();
    assert!(matches!(err, AdapterError::Malformed(_)), "{err}");
}

#[tokio::test]
async fn fake_missing_fields_are_not_available_and_the_poll_still_succeeds() {
    let fake = recorded().await;
    fake.set(IDENTITY_ROUTE, Reply::Json(json!({"id": ID}).to_string()));
    fake.set("GET /sessions/stats-aggregated", Reply::Json("{}".into()));
    fake.set("GET /healthcheck", Reply::Json(r#"{"version": "1.33.2"}"#.into()));
    let mut a = adapter(&fake);
    let poll = a.poll().await.unwrap();
    assert_eq!((poll.metrics.uptime_secs, poll.metrics.total_work), (None, None));
    assert_eq!(a.earned_high, None);
}

#[tokio::test]
async fn fake_nan_and_negative_values_are_not_available_never_zero() {
    let fake = recorded().await;
    fake.set(IDENTITY_ROUTE, identity_with_lifetime(json!("-5")));
    fake.set("GET /healthcheck", Reply::Json(r#"{"uptime": "NaN"}"#.into()));
    let mut stats: Value = serde_json::from_str(STATS).unwrap();
    stats["stats"]["sum_bytes_sent"] = json!(-48756321457i64);
    fake.set("GET /sessions/stats-aggregated", Reply::Json(stats.to_string()));
    // Edited as text: a `Value` round trip would turn 25 MYST into the float 2.5e19.
    let settlements = SETTLEMENTS.replace(r#""amount": 9876543210987654321"#, r#""amount": -5"#);
    assert_ne!(settlements, SETTLEMENTS);
    fake.set("GET /transactor/settle/history", Reply::Json(settlements));
    let mut a = adapter(&fake);
    let poll = a.poll().await.unwrap();
    assert_eq!(poll.metrics.uptime_secs, None);
    assert_eq!(poll.metrics.total_work, None);
    assert_eq!(a.earned_high, None);
    assert!(poll.metrics.hints.iter().any(|h| h.contains("Session statistics could not be read")));
    let keys: Vec<&str> = poll.rewards.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, [format!("settlement:{TX2}")], "{:?}", poll.metrics.hints);
    fake.set(IDENTITY_ROUTE, identity_with_lifetime(json!("NaN")));
    a.poll().await.unwrap();
    assert_eq!(a.earned_high, None);
}

#[tokio::test]
async fn fake_huge_answer_fails_fast_without_reading_it() {
    let fake = recorded().await;
    fake.set(IDENTITY_ROUTE, Reply::Huge(100 << 20));
    let t = WallClock::now();
    let err = adapter(&fake).poll().await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn fake_endless_answer_fails_within_the_timeout() {
    let fake = recorded().await;
    fake.set("GET /healthcheck", Reply::Endless);
    let t = WallClock::now();
    assert!(adapter(&fake).poll().await.is_err());
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[tokio::test]
async fn fake_slow_answer_fails_within_the_timeout() {
    let fake = recorded().await;
    let slow = Reply::Slow(Duration::from_secs(10), Box::new(Reply::Json(AUTH.into())));
    fake.set("POST /auth/authenticate", slow);
    let t = WallClock::now();
    let err = adapter(&fake).poll().await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(matches!(err, AdapterError::Unreachable(_)), "{err}");
}

#[tokio::test]
async fn fake_unregistered_identity_is_a_hint() {
    let fake = recorded().await;
    let mut doc: Value = serde_json::from_str(IDENTITY).unwrap();
    doc["registration_status"] = json!("Unregistered");
    fake.set(IDENTITY_ROUTE, Reply::Json(doc.to_string()));
    fake.set("GET /transactor/settle/history", Reply::Json(r#"{"items": []}"#.into()));
    let hints = adapter(&fake).poll().await.unwrap().metrics.hints;
    assert_eq!(hints.len(), 1, "{hints:?}");
    assert!(hints[0].contains("not registered (Unregistered)"), "{hints:?}");
}

#[test]
fn options_are_checked_by_name() {
    let mut c = cfg("http://127.0.0.1:4050");
    c.options.insert("pasword".into(), "x".into());
    let err = MysteriumAdapter::new(&c).unwrap_err();
    assert!(matches!(&err, AdapterError::Config(m) if m.contains("`pasword`")), "{err}");
    c.options.clear();
    c.options.insert("identity".into(), "0x1234".into());
    let err = MysteriumAdapter::new(&c).unwrap_err();
    assert!(matches!(&err, AdapterError::Config(m) if m.contains("`identity`")), "{err}");
    c.options.insert("identity".into(), ID.to_uppercase().replace("0X", "0x"));
    c.options.insert("username".into(), "operator".into());
    let a = MysteriumAdapter::new(&c).unwrap();
    assert_eq!((a.identity.as_deref(), a.username.as_str()), (Some(ID), "operator"));
    assert!(!a.can_pause());
}
