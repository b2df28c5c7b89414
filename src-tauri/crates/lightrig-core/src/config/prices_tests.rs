use std::path::Path;

use super::*;
use crate::config::{self, Settings};

fn parse(text: &str) -> Result<Settings, config::ConfigError> {
    config::parse(text, Path::new("c.toml"))
}

#[test]
fn prices_and_feed_are_read_with_their_currency_and_time() {
    let s = parse(
        "[energy]\ncurrency = \"EUR\"\n[prices.XMR]\nprice = \"151.20\"\nset_at = \
         \"2026-05-01T10:00:00Z\"\n[prices.MYST]\nprice = 0.25\ncurrency = \"USD\"\n\
         [price_feed]\nenabled = true\nurl = \"https://prices.example/simple/price\"\n\
         refresh_minutes = 5\n",
    )
    .unwrap();
    let xmr = s.prices.coins["XMR"];
    assert_eq!(xmr.per_unit.nanos, 151_200_000_000);
    assert_eq!(xmr.per_unit.currency.code(), "EUR", "the settings currency by default");
    assert_eq!(xmr.set_at, Some(1_777_629_600_000));
    let myst = s.prices.coins["MYST"];
    assert_eq!((myst.per_unit.nanos, myst.per_unit.currency.code()), (250_000_000, "USD"));
    assert_eq!(myst.set_at, None);
    assert!(s.prices.feed.enabled);
    assert_eq!(s.prices.feed.refresh, Duration::from_secs(300));
}

#[test]
fn the_feed_is_off_by_default_and_every_15_minutes_when_turned_on() {
    let s = parse("schema = 1\n").unwrap();
    assert!(!s.prices.feed.enabled);
    assert_eq!(s.prices.feed.refresh, Duration::from_secs(15 * 60));
    assert!(s.prices.coins.is_empty());
    let s = parse("[price_feed]\nenabled = true\n").unwrap();
    assert!(s.prices.feed.enabled);
    assert_eq!(s.prices.feed.url, DEFAULT_FEED_URL);
}

#[test]
fn bad_price_settings_name_the_field_and_say_what_to_do() {
    let cases = [
        ("[prices.xmr]\nprice = \"1\"\n", "prices.xmr", "capital letters"),
        ("[prices.XMR]\nprice = \"-5\"\n", "prices.XMR.price", "is not a price"),
        ("[prices.XMR]\nprice = \"0\"\n", "prices.XMR.price", "above 0"),
        ("[prices.XMR]\nprice = \"abc\"\n", "prices.XMR.price", "151.20"),
        ("[prices.XMR]\nprice = \"2000000000\"\n", "prices.XMR.price", "decimal point"),
        ("[prices.XMR]\nprice = \"nan\"\n", "prices.XMR.price", "is not a price"),
        ("[prices.XMR]\ncurrency = \"EUR\"\n", "prices.XMR.price", "has no price"),
        ("[prices.XMR]\nprice = \"1\"\ncurrency = \"euro\"\n", "prices.XMR.currency", "three"),
        ("[prices.XMR]\nprice = \"1\"\nset_at = \"yesterday\"\n", "prices.XMR.set_at", "2026"),
        ("[price_feed]\nurl = \"http://prices.example/p\"\n", "price_feed.url", "https"),
        ("[price_feed]\nurl = \"ftp://prices.example/p\"\n", "price_feed.url", "https"),
        ("[price_feed]\nurl = \"https://u:p@prices.example/\"\n", "price_feed.url", "password"),
        ("[price_feed]\nurl = \"not a url\"\n", "price_feed.url", "web address"),
        ("[price_feed]\nrefresh_minutes = 4\n", "price_feed.refresh_minutes", "5 to 1440"),
    ];
    for (text, field, words) in cases {
        let e = parse(text).expect_err(text);
        assert_eq!(e.location.field.as_deref(), Some(field), "{text}: {e}");
        assert!(e.location.line.is_some(), "{text}: {e}");
        assert!(e.message.contains(words), "{text}: {e}");
    }
    let e = parse("[price_feed]\nrefresh = 4\n").unwrap_err();
    assert!(e.message.contains("unknown field"), "{e}");
}

#[test]
fn loopback_http_passes_the_file_check_and_nothing_else_does() {
    assert!(check_feed_url("http://127.0.0.1:8080/p").is_ok());
    assert!(check_feed_url("http://[::1]:8080/p").is_ok());
    assert!(check_feed_url("http://localhost/p").is_ok());
    assert!(check_feed_url("http://127.0.0.1.example/p").is_err());
    assert!(check_feed_url("http://10.0.0.1/p").is_err());
}

#[test]
fn saved_prices_read_back_identically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mut s = Settings::default();
    let eur = Currency::parse("EUR").unwrap();
    s.prices.coins.insert(
        "XMR".into(),
        CoinPrice { per_unit: Money { currency: eur, nanos: 151_234_567_891 }, set_at: Some(5) },
    );
    s.prices.coins.insert(
        "STORJ".into(),
        CoinPrice { per_unit: Money { currency: eur, nanos: 310_000_000 }, set_at: None },
    );
    s.prices.feed = PriceFeedSettings {
        enabled: true,
        url: "https://prices.example/simple/price".into(),
        refresh: Duration::from_secs(20 * 60),
    };
    config::save(&path, &s).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("price = \"151.234567891\""), "{text}");
    let back = config::load(&path);
    assert!(back.problem.is_none(), "{:?}", back.problem);
    assert_eq!(back.settings, s);
}

#[test]
fn decimals_are_exact_and_short() {
    assert_eq!(decimal(151_200_000_000), "151.2");
    assert_eq!(decimal(1), "0.000000001");
    assert_eq!(decimal(7_000_000_000), "7");
}
