//! Exports valued with the ledger's own price history ([`LedgerPrices`]): each reward at the
//! price in force when it was received. Golden files `*.ledger-prices.*`; the original golden
//! files (fixed price table) are unchanged.

use super::fixture::{self, ms};
use super::golden::check;
use crate::export::{ExportFormat, LedgerPrices, NoPrices, PriceBook, export};
use crate::ledger::{Ledger, PriceKind, PriceObservation};

fn observe(ledger: &Ledger, at: &str, asset: &str, nanos: Option<i64>, kind: PriceKind) {
    ledger
        .record_price(&PriceObservation {
            at_ms: ms(at),
            asset: asset.into(),
            currency: "EUR".into(),
            price_nano: nanos,
            kind,
            source: match kind {
                PriceKind::User => "your setting".into(),
                PriceKind::Feed => "price feed (api.coingecko.com)".into(),
            },
        })
        .unwrap();
}

/// The user set 150 EUR for XMR on the 27th; the feed said 153.42 on the morning of the 28th
/// (so the paid reward at 09:15 UTC gets the feed's price, the pending one the day before
/// gets the user's); STORJ's only price is a feed price from 8 days before its payout, which
/// has lapsed; ATOM has a price in USD only, not the export's currency.
fn priced_ledger() -> (tempfile::TempDir, Ledger) {
    let (dir, ledger) = fixture::ledger();
    observe(&ledger, "2026-03-27T08:00:00Z", "XMR", Some(150_000_000_000), PriceKind::User);
    observe(&ledger, "2026-03-28T09:00:00Z", "XMR", Some(153_420_000_000), PriceKind::Feed);
    observe(&ledger, "2026-03-22T21:00:00Z", "STORJ", Some(381_200_000), PriceKind::Feed);
    ledger
        .record_price(&PriceObservation {
            at_ms: ms("2026-03-01T00:00:00Z"),
            asset: "ATOM".into(),
            currency: "USD".into(),
            price_nano: Some(4_500_000_000),
            kind: PriceKind::User,
            source: "your setting".into(),
        })
        .unwrap();
    (dir, ledger)
}

#[test]
fn the_price_in_force_at_receipt_values_each_reward() {
    let (_dir, ledger) = priced_ledger();
    let book = LedgerPrices::new(&ledger, "EUR");
    let at = |t: &str| t.parse().unwrap();
    let paid = book.price_at("XMR", at("2026-03-28T09:15:30Z")).unwrap();
    assert_eq!(paid.price.to_string(), "153.42");
    assert_eq!(paid.source, "price feed (api.coingecko.com), fetched 2026-03-28T09:00:00Z");
    let pending = book.price_at("XMR", at("2026-03-27T23:30:00Z")).unwrap();
    assert_eq!(pending.price.to_string(), "150");
    assert_eq!(pending.source, "your setting, set 2026-03-27T08:00:00Z");
    assert!(book.price_at("XMR", at("2026-03-27T07:59:59Z")).is_none(), "before any price");
    assert!(book.price_at("STORJ", at("2026-03-30T21:59:59Z")).is_none(), "lapsed feed price");
    assert!(book.price_at("ATOM", at("2026-03-29T12:00:00Z")).is_none(), "USD, not EUR");
}

fn render(format: ExportFormat, prices: &dyn PriceBook, ledger: &Ledger) -> Vec<u8> {
    export(ledger, &fixture::request(format), prices).unwrap()
}

#[test]
fn full_csv_with_ledger_prices_matches_golden() {
    let (_dir, ledger) = priced_ledger();
    check(
        "full.ledger-prices.csv",
        &render(ExportFormat::Full, &LedgerPrices::new(&ledger, "EUR"), &ledger),
    );
}

#[test]
fn koinly_csv_with_ledger_prices_matches_golden() {
    let (_dir, ledger) = priced_ledger();
    check(
        "koinly.ledger-prices.csv",
        &render(ExportFormat::Koinly, &LedgerPrices::new(&ledger, "EUR"), &ledger),
    );
}

#[test]
fn a_ledger_without_prices_exports_like_no_prices_at_all() {
    let (_dir, ledger) = fixture::ledger();
    for format in ExportFormat::ALL {
        let from_ledger = render(format, &LedgerPrices::new(&ledger, "EUR"), &ledger);
        assert_eq!(from_ledger, render(format, &NoPrices, &ledger), "{format}");
    }
}
