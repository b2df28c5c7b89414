//! Prices through the app's API: edits validated and recorded in the ledger, and the feed
//! started, fetched from a local fixture server, and stopped, all without a restart.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::adapter::fake::{FakeServer, Reply};
use crate::engine::EngineOptions;

fn edit(coins: &[(&str, &str)], feed_enabled: bool, feed_url: &str) -> PricesEdit {
    PricesEdit {
        coins: coins
            .iter()
            .map(|(a, p)| CoinPriceEdit { asset: (*a).into(), price: (*p).into() })
            .collect(),
        feed_enabled,
        feed_url: feed_url.into(),
        refresh_minutes: 15,
    }
}

#[test]
fn edits_are_validated_field_by_field() {
    let old = PriceSettings::default();
    let url = "https://prices.example/simple/price";
    let bad = |e: PricesEdit| apply_edit(&old, "EUR", &e, 1).unwrap_err();
    assert_eq!(bad(edit(&[("XMR", "-1")], false, url)).field.as_deref(), Some("prices.XMR"));
    assert_eq!(bad(edit(&[("X M R", "1")], false, url)).field.as_deref(), Some("prices.X M R"));
    let twice = bad(edit(&[("XMR", "1"), ("xmr", "2")], false, url));
    assert!(twice.message.contains("twice"), "{twice:?}");
    assert_eq!(bad(edit(&[], true, "http://prices.example/")).field.as_deref(), Some("feed_url"));
    let mut slow = edit(&[], true, url);
    slow.refresh_minutes = 2;
    assert_eq!(bad(slow).field.as_deref(), Some("refresh_minutes"));
    let ok = apply_edit(&old, "EUR", &edit(&[("xmr", " 151.20 ")], true, url), 7).unwrap();
    assert_eq!(ok.coins["XMR"].per_unit.nanos, 151_200_000_000);
    assert_eq!(ok.coins["XMR"].set_at, Some(7));
    // An unchanged price keeps the time it was set.
    let again = apply_edit(&ok, "EUR", &edit(&[("XMR", "151.2")], true, url), 99).unwrap();
    assert_eq!(again.coins["XMR"].set_at, Some(7));
}

async fn app() -> (tempfile::TempDir, Arc<AppService>) {
    let dir = tempfile::tempdir().unwrap();
    let opts =
        EngineOptions { data_dir: Some(dir.path().to_path_buf()), ..EngineOptions::default() };
    (dir, AppService::open(opts).await.unwrap())
}

fn eur_price(app: &AppService, asset: &str) -> Option<crate::ledger::PriceObservation> {
    app.engine().ledger().price_at(asset, "EUR", now_millis() + 1).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_set_price_is_recorded_and_a_removed_one_ends() {
    let (_dir, app) = app().await;
    let url = crate::config::prices::DEFAULT_FEED_URL;
    let view = app.save_prices(edit(&[("XMR", "151.2")], false, url)).await.unwrap();
    assert_eq!(view.coins.len(), 1);
    assert_eq!((view.coins[0].price.as_str(), view.coins[0].currency.as_str()), ("151.2", "EUR"));
    assert!(view.coins[0].set_at_ms.is_some());
    assert!(!view.feed.enabled && !view.feed.running, "the feed is off by default");
    let seen = eur_price(&app, "XMR").expect("recorded");
    assert_eq!((seen.price_nano, seen.source.as_str()), (Some(151_200_000_000), "your setting"));
    // Saving the same price again records nothing new; removing it ends it.
    app.save_prices(edit(&[("XMR", "151.2")], false, url)).await.unwrap();
    app.save_prices(edit(&[], false, url)).await.unwrap();
    assert_eq!(eur_price(&app, "XMR"), None);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_runs_only_while_on_and_records_what_the_fixture_server_says() {
    let body = r#"{"monero":{"eur":150.25},"storj":{"eur":0.31}}"#;
    let server = FakeServer::start(vec![("GET /simple/price", Reply::Json(body.into()))]).await;
    let url = format!("{}/simple/price", server.base);
    let (_dir, app) = app().await;

    // Plain http without the test switch: saved (it is this computer), but never fetched.
    app.save_prices(edit(&[], true, &url)).await.unwrap();
    let view = wait_for(&app, |v| v.feed.last_error.is_some()).await;
    assert!(view.feed.last_error.unwrap().contains("https only"));
    assert!(server.seen().is_empty(), "nothing was sent over plain http");

    app.allow_loopback_price_feed(true);
    let view = wait_for(&app, |v| v.feed.last_success_ms.is_some()).await;
    assert!(view.feed.running);
    assert_eq!(view.feed.last_error, None);
    assert_eq!(view.feed.priced, ["STORJ", "XMR"]);
    assert_eq!(view.feed.problems, ["MYST: the answer has no `mysterium`"]);
    assert_eq!(view.feed.host, "127.0.0.1");
    let xmr = eur_price(&app, "XMR").expect("feed price");
    assert_eq!(xmr.price_nano, Some(150_250_000_000));
    assert_eq!(xmr.source, "price feed (127.0.0.1)");
    assert_eq!(server.seen().len(), 1);

    // Turned off: the task stops at once and asks nothing more.
    app.save_prices(edit(&[], false, &url)).await.unwrap();
    assert!(!app.prices().feed.running);
    let asked = server.seen().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.seen().len(), asked);
    app.shutdown().await;
}

async fn wait_for(app: &AppService, done: impl Fn(&PricesView) -> bool) -> PricesView {
    for _ in 0..100 {
        let view = app.prices();
        if done(&view) {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the feed did not get there: {:?}", app.prices().feed);
}
