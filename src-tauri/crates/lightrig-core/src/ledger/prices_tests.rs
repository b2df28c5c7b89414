use super::*;
use crate::ledger::test_support::temp_ledger;

const DAY: i64 = 86_400_000;

fn obs(at_ms: i64, price: Option<i64>, kind: PriceKind) -> PriceObservation {
    PriceObservation {
        at_ms,
        asset: "XMR".into(),
        currency: "EUR".into(),
        price_nano: price,
        kind,
        source: match kind {
            PriceKind::User => "your setting".into(),
            PriceKind::Feed => "price feed (127.0.0.1)".into(),
        },
    }
}

fn price(ledger: &Ledger, at: i64) -> Option<i64> {
    ledger.price_at("XMR", "EUR", at).unwrap().and_then(|p| p.price_nano)
}

#[test]
fn the_price_in_force_is_the_latest_at_or_before_the_time() {
    let (_dir, ledger) = temp_ledger();
    assert_eq!(price(&ledger, 10 * DAY), None, "no price is not a price of 0");
    ledger.record_price(&obs(DAY, Some(100), PriceKind::User)).unwrap();
    ledger.record_price(&obs(3 * DAY, Some(300), PriceKind::User)).unwrap();
    assert_eq!(price(&ledger, DAY - 1), None, "nothing before the first price");
    assert_eq!(price(&ledger, DAY), Some(100), "in force from the moment it was set");
    assert_eq!(price(&ledger, 3 * DAY - 1), Some(100));
    assert_eq!(price(&ledger, 3 * DAY), Some(300));
    // The user's own price holds until changed, however old.
    assert_eq!(price(&ledger, 400 * DAY), Some(300));
    // Another currency or asset has no price.
    assert_eq!(ledger.price_at("XMR", "USD", 5 * DAY).unwrap(), None);
    assert_eq!(ledger.price_at("MYST", "EUR", 5 * DAY).unwrap(), None);
}

#[test]
fn a_feed_price_lapses_after_seven_days_and_a_removed_user_price_ends() {
    let (_dir, ledger) = temp_ledger();
    ledger.record_price(&obs(DAY, Some(150), PriceKind::Feed)).unwrap();
    assert_eq!(price(&ledger, DAY + FEED_PRICE_VALID_MS), Some(150));
    assert_eq!(price(&ledger, DAY + FEED_PRICE_VALID_MS + 1), None, "a week-old feed price");

    ledger.record_price(&obs(20 * DAY, Some(90), PriceKind::User)).unwrap();
    ledger.record_price(&obs(22 * DAY, Some(95), PriceKind::Feed)).unwrap();
    assert_eq!(price(&ledger, 21 * DAY), Some(90));
    assert_eq!(price(&ledger, 23 * DAY), Some(95), "the newer observation wins");
    ledger.record_price(&obs(24 * DAY, Some(80), PriceKind::User)).unwrap();
    assert_eq!(price(&ledger, 25 * DAY), Some(80));
    ledger.record_price(&obs(26 * DAY, None, PriceKind::User)).unwrap();
    assert_eq!(price(&ledger, 27 * DAY), Some(95), "the feed's price is still within 7 days");
    assert_eq!(price(&ledger, 40 * DAY), None, "the user removed theirs; the feed's lapsed");
    let seen = ledger.price_at("XMR", "EUR", 25 * DAY).unwrap().unwrap();
    assert_eq!((seen.kind, seen.source.as_str()), (PriceKind::User, "your setting"));
}

#[test]
fn prices_are_append_only_and_checked() {
    let (_dir, ledger) = temp_ledger();
    ledger.record_price(&obs(DAY, Some(100), PriceKind::User)).unwrap();
    let conn = ledger.writer();
    assert!(conn.execute("UPDATE prices SET price_nano = 1", []).is_err());
    assert!(conn.execute("DELETE FROM prices", []).is_err());
    drop(conn);
    assert!(ledger.record_price(&obs(DAY, Some(0), PriceKind::Feed)).is_err(), "0 is no price");
    assert!(ledger.record_price(&obs(DAY, None, PriceKind::Feed)).is_err());
}
