//! The feed against a local fixture server (adapter::fake): nothing here leaves 127.0.0.1.

use std::time::Duration;

use super::*;
use crate::adapter::fake::{FakeServer, Reply};

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

fn assets() -> Vec<(String, String)> {
    feed_ids().into_iter().collect()
}

fn client() -> FeedClient {
    FeedClient::with_timeout(true, Duration::from_secs(2)).unwrap()
}

async fn fetch_reply(reply: Reply) -> (Result<FeedPrices, FeedError>, FakeServer) {
    let server = FakeServer::start(vec![("GET /simple/price", reply)]).await;
    let url = format!("{}/simple/price", server.base);
    (client().fetch(&url, &assets(), eur()).await, server)
}

#[test]
fn the_shipped_ids_cover_the_coins_lightrig_nodes_earn() {
    let ids = feed_ids();
    assert_eq!(ids.get("XMR").map(String::as_str), Some("monero"));
    assert_eq!(ids.get("STORJ").map(String::as_str), Some("storj"));
    assert_eq!(ids.get("MYST").map(String::as_str), Some("mysterium"));
}

#[tokio::test]
async fn good_json_from_fixture_server_gives_exact_prices_and_asks_for_the_currency() {
    let body = r#"{"monero":{"eur":151.2},"storj":{"eur":0.3125},"mysterium":{"eur":0.18}}"#;
    let (got, server) = fetch_reply(Reply::Json(body.into())).await;
    let got = got.unwrap();
    assert_eq!(got.prices["XMR"].nanos, 151_200_000_000);
    assert_eq!(got.prices["STORJ"].nanos, 312_500_000);
    assert_eq!(got.prices["MYST"].nanos, 180_000_000);
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let target = &seen[0].target;
    assert!(target.contains("vs_currencies=eur"), "{target}");
    assert!(target.contains("ids=mysterium%2Cstorj%2Cmonero"), "{target}");
}

#[tokio::test]
async fn a_missing_coin_or_a_bad_figure_is_named_and_the_rest_still_count() {
    let body = r#"{"monero":{"eur":-3},"storj":{"eur":"0.31"},"other":{"eur":1}}"#;
    let got = fetch_reply(Reply::Json(body.into())).await.0.unwrap();
    assert!(got.prices.is_empty(), "{:?}", got.prices);
    let text = got.problems.join("\n");
    assert!(text.contains("XMR: -3 is not a price"), "{text}");
    assert!(text.contains("STORJ: \"0.31\" is not a price"), "{text}");
    assert!(text.contains("MYST: the answer has no `mysterium`"), "{text}");

    let body = r#"{"monero":{"eur":150.5},"storj":{"eur":0}}"#;
    let got = fetch_reply(Reply::Json(body.into())).await.0.unwrap();
    assert_eq!(got.prices.keys().collect::<Vec<_>>(), ["XMR"]);
    assert_eq!(got.problems.len(), 2, "{:?}", got.problems);
}

#[tokio::test]
async fn malformed_nan_huge_and_out_of_range_answers_give_no_price() {
    for body in ["not json", "[1,2]", r#"{"monero":{"eur":NaN}}"#, r#"{"monero":{"eur":1e999}}"#] {
        let got = fetch_reply(Reply::Json(body.into())).await.0;
        assert!(matches!(got, Err(FeedError::Malformed(_))), "{body}: {got:?}");
    }
    let got = fetch_reply(Reply::Json(r#"{"monero":{"eur":2e9}}"#.into())).await.0.unwrap();
    assert!(got.prices.is_empty(), "{got:?}");
    assert!(got.problems.iter().any(|p| p.starts_with("XMR") && p.contains("billion")), "{got:?}");
    let got = fetch_reply(Reply::Huge(MAX_BODY_BYTES + 1)).await.0;
    assert_eq!(got, Err(FeedError::TooLarge));
    let got = fetch_reply(Reply::Raw {
        status: 429,
        content_type: "application/json",
        body: b"{}".to_vec(),
    })
    .await
    .0;
    assert_eq!(got, Err(FeedError::Status(429)));
}

#[tokio::test]
async fn an_unknown_currency_is_a_clear_error() {
    let body = r#"{"monero":{"usd":160.0},"storj":{"usd":0.3}}"#;
    let err = fetch_reply(Reply::Json(body.into())).await.0.unwrap_err();
    assert!(matches!(err, FeedError::UnknownCurrency { .. }), "{err:?}");
    assert!(err.to_string().contains("no price in EUR"), "{err}");
    assert!(err.to_string().contains("USD"), "{err}");
}

#[tokio::test]
async fn a_slow_or_endless_feed_times_out() {
    let slow = Reply::Slow(Duration::from_secs(10), Box::new(Reply::Json("{}".into())));
    let started = std::time::Instant::now();
    let got = fetch_reply(slow).await.0;
    assert!(matches!(got, Err(FeedError::Timeout { .. })), "{got:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let got = fetch_reply(Reply::Endless).await.0;
    assert!(matches!(got, Err(FeedError::Timeout { .. })), "{got:?}");
}

#[tokio::test]
async fn plain_http_is_refused_unless_a_test_allows_loopback() {
    let server = FakeServer::start(vec![("GET /p", Reply::Json("{}".into()))]).await;
    let url = format!("{}/p", server.base);
    let strict = FeedClient::new(false).unwrap();
    let err = strict.fetch(&url, &assets(), eur()).await.unwrap_err();
    assert!(matches!(err, FeedError::NotHttps(_)), "{err:?}");
    assert!(server.seen().is_empty(), "nothing was sent");
    // Even with the test switch, http elsewhere than this computer is refused.
    let err = client().fetch("http://192.0.2.1/p", &assets(), eur()).await.unwrap_err();
    assert!(matches!(err, FeedError::NotHttps(_)), "{err:?}");
    assert!(client().fetch(&url, &assets(), eur()).await.is_ok());
}
