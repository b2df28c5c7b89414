//! Logging in to TequilAPI with the password the user saved: the older `/auth/login` route,
//! a wrong password, and the factory password refused. The node is a fake serving recorded
//! answers.

use std::collections::BTreeMap;

use serde_json::Value;

use super::*;
use crate::adapter::fake::{FakeServer, Reply};

const HEALTH: &str = include_str!("fixtures/mysterium/healthcheck.json");
const AUTH: &str = include_str!("fixtures/mysterium/authenticate.json");
const IDENTITIES: &str = include_str!("fixtures/mysterium/identities.json");
const IDENTITY: &str = include_str!("fixtures/mysterium/identity.json");
const STATS: &str = include_str!("fixtures/mysterium/stats-aggregated.json");
const SETTLEMENTS: &str = include_str!("fixtures/mysterium/settle-history.json");
const IDENTITY_ROUTE: &str = "GET /identities/0x7c3e5a1f9b2d4c6e8a0f1b3d5c7e9a2b4d6f8a0c";
const PASSWORD: &str = "canary-saved-pw-51d2";

fn cfg(url: &str, password: Option<&str>) -> AdapterConfig {
    AdapterConfig {
        node_id: "mysterium".into(),
        url: Some(url.into()),
        token: password.map(|p| Sensitive::new(p.to_owned())),
        options: BTreeMap::new(),
    }
}

/// A node whose login route is `login` (the other one answers 404).
async fn node(login: &str) -> FakeServer {
    FakeServer::start(vec![
        (login, Reply::Json(AUTH.into())),
        ("GET /healthcheck", Reply::Json(HEALTH.into())),
        ("GET /identities", Reply::Json(IDENTITIES.into())),
        (IDENTITY_ROUTE, Reply::Json(IDENTITY.into())),
        ("GET /sessions/stats-aggregated", Reply::Json(STATS.into())),
        ("GET /transactor/settle/history", Reply::Json(SETTLEMENTS.into())),
    ])
    .await
}

fn refused() -> Reply {
    Reply::Raw { status: 401, content_type: "application/json", body: b"{}".to_vec() }
}

#[tokio::test]
async fn fake_older_node_is_logged_in_through_auth_login_with_the_saved_password() {
    let fake = node("POST /auth/login").await;
    let mut a = MysteriumAdapter::new(&cfg(&fake.base, Some(PASSWORD))).unwrap();
    let poll = a.poll().await.unwrap();
    assert!(poll.metrics.total_work.is_some(), "read after logging in");
    let posts: Vec<_> = fake.seen().into_iter().filter(|s| s.method == "POST").collect();
    let targets: Vec<_> = posts.iter().map(|s| s.target.as_str()).collect();
    assert_eq!(targets, ["/auth/authenticate", "/auth/login"]);
    let body: Value = serde_json::from_slice(&posts[1].body).unwrap();
    assert_eq!(body, serde_json::json!({ "username": "myst", "password": PASSWORD }));
    let jwt = serde_json::from_str::<Value>(AUTH).unwrap()["token"].as_str().unwrap().to_owned();
    let read = fake.seen().into_iter().find(|s| s.target.starts_with("/identities/")).unwrap();
    assert_eq!(read.header("authorization"), Some(format!("Bearer {jwt}").as_str()));
    assert!(
        !poll.metrics.hints.iter().any(|h| h.contains("factory password")),
        "a saved password is not the factory one"
    );
}

#[tokio::test]
async fn fake_wrong_password_says_to_set_it_again_and_is_tried_once() {
    let fake = node("POST /auth/authenticate").await;
    fake.set("POST /auth/authenticate", refused());
    let mut a = MysteriumAdapter::new(&cfg(&fake.base, Some(PASSWORD))).unwrap();
    let err = a.poll().await.unwrap_err();
    assert!(err.to_string().ends_with("Mysterium refused the password: set it again in Nodes"));
    assert!(!err.to_string().contains(PASSWORD) && !format!("{a:?}").contains(PASSWORD));
    let logins = fake.seen().into_iter().filter(|s| s.method == "POST").count();
    assert_eq!(logins, 1, "a refused password is not retried in a loop");
}

#[tokio::test]
async fn fake_refused_factory_password_asks_for_the_node_password() {
    let fake = node("POST /auth/authenticate").await;
    fake.set("POST /auth/authenticate", refused());
    let mut a = MysteriumAdapter::new(&cfg(&fake.base, None)).unwrap();
    let err = a.poll().await.unwrap_err().to_string();
    assert!(err.contains("refused its factory password: enter the node's password in Nodes"));
}

#[tokio::test]
async fn fake_expired_session_logs_in_again_once_per_request() {
    let fake = node("POST /auth/authenticate").await;
    let mut a = MysteriumAdapter::new(&cfg(&fake.base, Some(PASSWORD))).unwrap();
    a.poll().await.unwrap();
    // The node forgets the session (e.g. it restarted): every read is 401 until a new login,
    // and here the reads keep failing, so Lightrig must stop after one new login per read.
    fake.set(IDENTITY_ROUTE, refused());
    let before = fake.seen().iter().filter(|s| s.method == "POST").count();
    let err = a.poll().await.unwrap_err().to_string();
    assert!(err.contains("refused Lightrig's login right after it logged in"), "{err}");
    let after = fake.seen().iter().filter(|s| s.method == "POST").count();
    assert_eq!(after - before, 1, "one new login, then the error");
}
