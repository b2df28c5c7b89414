//! Energy, prices and money as integers, so sums and splits are exact.
//!
//! Why integers and not `f64` or a decimal crate: energy cost is a running sum of about 86,400
//! tiny products a day (one per sample), and the ledger adds rolled-up minutes into hours and
//! years. With floats the total depends on the order of additions and drifts; with integers it
//! does not, and the property "the cost of an interval equals the sum of the costs of its parts"
//! holds exactly (tested). The units are chosen so every product is exact:
//! - power is rounded once, to whole milliwatts, when a reading enters the account;
//! - time is whole milliseconds ([`UnixMillis`]);
//! - energy is milliwatts × milliseconds = microjoules ([`Energy`]);
//! - a price is millionths of a currency unit per kWh ([`Price`]; tariffs rarely quote more than
//!   four or five decimals);
//! - a cost is microjoules × price ([`Cost`]), kept as an `i128`; one currency unit is
//!   3.6 × 10¹⁸ of them. Only when a cost is read out is it rounded, to billionths of a
//!   currency unit ([`Money`]).

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

use serde::{Deserialize, Serialize};

/// Microjoules in one kilowatt-hour.
pub const MICROJOULES_PER_KWH: i64 = 3_600_000_000_000;
/// [`Cost`] units in one billionth of a currency unit: 3.6 × 10¹² µJ/kWh × 10⁶ µ/unit ÷ 10⁹.
const COST_UNITS_PER_NANO: i128 = 3_600_000_000;

/// An amount of energy, in microjoules. Signed, because a marginal energy (power above an idle
/// baseline) can come out slightly negative from measurement noise.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Energy(pub i64);

impl Energy {
    /// Energy of a constant `milliwatts` held for `millis`: exact (mW × ms = µJ).
    pub fn from_power(milliwatts: i64, millis: i64) -> Energy {
        Energy(milliwatts.saturating_mul(millis))
    }

    pub fn microjoules(self) -> i64 {
        self.0
    }

    pub fn joules(self) -> f64 {
        self.0 as f64 / 1e6
    }

    pub fn watt_hours(self) -> f64 {
        self.0 as f64 / 3.6e9
    }

    pub fn kwh(self) -> f64 {
        self.0 as f64 / MICROJOULES_PER_KWH as f64
    }
}

impl Add for Energy {
    type Output = Energy;
    fn add(self, rhs: Energy) -> Energy {
        Energy(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Energy {
    fn add_assign(&mut self, rhs: Energy) {
        *self = *self + rhs;
    }
}

impl Sub for Energy {
    type Output = Energy;
    fn sub(self, rhs: Energy) -> Energy {
        Energy(self.0.saturating_sub(rhs.0))
    }
}

impl std::iter::Sum for Energy {
    fn sum<I: Iterator<Item = Energy>>(iter: I) -> Energy {
        iter.fold(Energy(0), Add::add)
    }
}

/// Watts (as sensors report them) to whole milliwatts; `None` for NaN or infinity, which a
/// broken sensor produces and which must never be summed as if it were a power.
pub fn milliwatts(watts: f64) -> Option<i64> {
    let mw = (watts * 1000.0).round();
    // 9.2e15 W is far beyond any machine; the bound only keeps the cast exact.
    (mw.is_finite() && mw.abs() < 9.0e15).then_some(mw as i64)
}

/// A price per kWh in millionths of a currency unit (0.3012 EUR/kWh = 301_200). Negative prices
/// exist in hourly market lists (surplus wind and sun) and are allowed there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Price {
    pub micros_per_kwh: i64,
}

impl Price {
    pub const fn from_micros(micros_per_kwh: i64) -> Price {
        Price { micros_per_kwh }
    }

    /// Parses a decimal like "0.3012" or "-0.05" exactly, without going through a float.
    /// At most six decimal places.
    pub fn parse_decimal(text: &str) -> Result<Price, String> {
        parse_micros(text).map(Price::from_micros)
    }

    /// Converts a number typed in a settings file (TOML/JSON numbers are floats) to a price,
    /// rounding to the nearest millionth: a price written with six or fewer decimals
    /// round-trips exactly through an `f64`.
    pub fn from_f64(value: f64) -> Result<Price, String> {
        let micros = (value * 1e6).round();
        if !micros.is_finite() || micros.abs() > 1e15 {
            return Err(format!("{value} is not a usable price per kWh"));
        }
        Ok(Price::from_micros(micros as i64))
    }

    pub fn as_f64(self) -> f64 {
        self.micros_per_kwh as f64 / 1e6
    }

    /// The cost of `energy` at this price.
    pub fn cost_of(self, energy: Energy) -> Cost {
        Cost(i128::from(energy.0) * i128::from(self.micros_per_kwh))
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.micros_per_kwh < 0 { "-" } else { "" };
        let abs = self.micros_per_kwh.unsigned_abs();
        write!(f, "{sign}{}.{:06}/kWh", abs / 1_000_000, abs % 1_000_000)
    }
}

/// Parses "12", "0.3012", "-1.5" into millionths. Rejects exponents, blanks and more than six
/// decimals, saying which.
pub fn parse_micros(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !all_digits(whole) || !all_digits(frac) {
        return Err(format!("'{text}' is not a decimal number (write it like 0.3012)"));
    }
    if frac.len() > 6 {
        return Err(format!("'{text}' has more than six decimal places"));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| format!("'{text}' is too large"))?
    };
    let frac_micros: i64 = format!("{frac:0<6}").parse().unwrap_or(0);
    let micros = whole
        .checked_mul(1_000_000)
        .and_then(|w| w.checked_add(frac_micros))
        .ok_or_else(|| format!("'{text}' is too large"))?;
    Ok(if neg { -micros } else { micros })
}

/// An exact cost: microjoules × (millionths of a currency unit per kWh). One currency unit is
/// 3.6 × 10¹⁸ of these. Adding costs never rounds; [`Cost::to_money`] rounds once.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Cost(pub i128);

impl Cost {
    /// Rounded (half away from zero) to billionths of a currency unit.
    pub fn to_money(self, currency: Currency) -> Money {
        Money { currency, nanos: div_round(self.0, COST_UNITS_PER_NANO) }
    }
}

impl Add for Cost {
    type Output = Cost;
    fn add(self, rhs: Cost) -> Cost {
        Cost(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Cost {
    fn add_assign(&mut self, rhs: Cost) {
        *self = *self + rhs;
    }
}

/// Integer division rounding half away from zero. `d` must be positive.
pub(crate) fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if r.abs() * 2 >= d { q + n.signum() } else { q }
}

/// An ISO 4217 currency code such as "EUR". Copy, so a per-sample cost costs no allocation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// Accepts three ASCII letters, any case ("eur" → "EUR").
    pub fn parse(code: &str) -> Result<Currency, String> {
        let bytes = code.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(format!("'{code}' is not a currency code: use three letters such as EUR")),
        }
    }

    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits after the decimal point of the currency's minor unit (ISO 4217): 0 for yen and
    /// won, 3 for a few dinars, 2 for everything else.
    pub fn minor_digits(&self) -> u32 {
        match self.code() {
            "JPY" | "KRW" | "CLP" | "ISK" | "VND" | "PYG" | "UGX" | "XOF" | "XAF" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
            _ => 2,
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Currency::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> String {
        value.code().to_owned()
    }
}

/// An amount of money in billionths of a currency unit. Signed: a net result can be a loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub currency: Currency,
    pub nanos: i128,
}

impl Money {
    pub fn zero(currency: Currency) -> Money {
        Money { currency, nanos: 0 }
    }

    /// Parses a decimal amount such as "312.50" exactly (up to nine decimals).
    pub fn parse(currency: Currency, text: &str) -> Result<Money, String> {
        let micros = parse_micros_or_nanos(text)?;
        Ok(Money { currency, nanos: micros })
    }

    /// The sum, or `None` when the currencies differ (they are never silently mixed).
    pub fn checked_add(self, rhs: Money) -> Option<Money> {
        (self.currency == rhs.currency)
            .then(|| Money { currency: self.currency, nanos: self.nanos.saturating_add(rhs.nanos) })
    }

    /// The difference, or `None` when the currencies differ.
    pub fn checked_sub(self, rhs: Money) -> Option<Money> {
        (self.currency == rhs.currency)
            .then(|| Money { currency: self.currency, nanos: self.nanos.saturating_sub(rhs.nanos) })
    }

    /// Multiplies by a whole factor (days in a month...).
    pub fn times(self, factor: i128) -> Money {
        Money { currency: self.currency, nanos: self.nanos.saturating_mul(factor) }
    }

    /// Divides, rounding half away from zero. `divisor` must be positive.
    pub fn div_round(self, divisor: i128) -> Money {
        Money { currency: self.currency, nanos: div_round(self.nanos, divisor.max(1)) }
    }

    /// Rounded to the currency's minor unit (cents, yen...), half away from zero.
    pub fn to_minor_units(self) -> i128 {
        div_round(self.nanos, 10i128.pow(9 - self.currency.minor_digits()))
    }

    pub fn as_f64(self) -> f64 {
        self.nanos as f64 / 1e9
    }
}

impl fmt::Display for Money {
    /// "-1.25 EUR": rounded to the minor unit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let minor = self.to_minor_units();
        let digits = self.currency.minor_digits();
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        if digits == 0 {
            return write!(f, "{sign}{abs} {}", self.currency);
        }
        let scale = 10u128.pow(digits);
        let width = digits as usize;
        write!(f, "{sign}{}.{:0width$} {}", abs / scale, abs % scale, self.currency)
    }
}

/// Parses a decimal with up to nine decimals into billionths.
fn parse_micros_or_nanos(text: &str) -> Result<i128, String> {
    let t = text.trim();
    let (int_part, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 9 {
        return Err(format!("'{text}' has more than nine decimal places"));
    }
    let head = format!("{int_part}.{}", &frac[..frac.len().min(6)]);
    let micros = parse_micros(head.trim_end_matches('.'))?;
    let rest = &frac[frac.len().min(6)..];
    if !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{text}' is not a decimal number"));
    }
    let extra: i128 = format!("{rest:0<3}").parse().unwrap_or(0);
    let sign = if t.starts_with('-') { -1 } else { 1 };
    Ok(i128::from(micros) * 1000 + sign * extra)
}
