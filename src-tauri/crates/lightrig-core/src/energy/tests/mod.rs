//! Tests of the energy module. Recorded sysfs trees and tariff/price fixtures live under
//! `tests/fixtures/energy/`; expectations are hand-computed in comments next to each case.

mod account;
mod economics;
mod model;
mod props;
mod sysfs;
mod tariff;
mod thermal;
mod units;
mod yields;

use std::path::PathBuf;

/// `tests/fixtures/energy/<rel>`.
pub(super) fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/energy").join(rel)
}

/// Milliseconds since 1970 for an RFC 3339 time with offset.
pub(super) fn ms(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().expect("test timestamp").as_millisecond()
}

pub(super) fn eur() -> crate::energy::Currency {
    crate::energy::Currency::parse("EUR").expect("EUR")
}
