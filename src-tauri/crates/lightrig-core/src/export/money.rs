//! Exact decimal arithmetic for exports: amounts, fiat values, kWh and costs, all from integers.
//! Nothing here goes through `f64`, so an exported figure re-parses to the value on record.

use std::fmt;
use std::str::FromStr;

/// Formats `value` as a decimal with `scale` digits after the point ("-0.05" for -5, 2).
pub(crate) fn decimal(value: i128, scale: u32) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    if scale == 0 {
        return format!("{sign}{abs}");
    }
    let digits = abs.to_string();
    let width = usize::try_from(scale).unwrap_or(usize::MAX);
    let padded = if digits.len() <= width {
        format!("{}{digits}", "0".repeat(width + 1 - digits.len()))
    } else {
        digits
    };
    let (whole, frac) = padded.split_at(padded.len() - width);
    format!("{sign}{whole}.{frac}")
}

/// `n / d` rounded half away from zero; `d` must be positive.
pub(crate) fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if r.unsigned_abs() * 2 >= d.unsigned_abs() { q + n.signum() } else { q }
}

/// Microjoules in a millionth of a kWh.
const UJ_PER_MICRO_KWH: i128 = 3_600_000;

/// Energy in kWh with six decimals (a thousandth of a Wh), rounded half away from zero.
pub(crate) fn kwh6(uj: i128) -> String {
    decimal(div_round(uj, UJ_PER_MICRO_KWH), 6)
}

/// Energy in kWh with three decimals, for the printed summary.
pub(crate) fn kwh3(uj: i128) -> String {
    decimal(div_round(uj, UJ_PER_MICRO_KWH * 1000), 3)
}

/// Billionths of a currency unit to cents (hundredths), rounded half away from zero.
pub(crate) fn nano_to_cents(nano: i128) -> i128 {
    div_round(nano, 10_000_000)
}

/// A price of one whole unit of an asset, as an exact decimal: `mantissa × 10^-scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitPrice {
    mantissa: u64,
    scale: u8,
}

/// The most decimal places a [`UnitPrice`] keeps.
const MAX_PRICE_SCALE: u8 = 18;

impl UnitPrice {
    /// `mantissa × 10^-scale`; `None` if `scale` is above 18.
    pub fn new(mantissa: u64, scale: u8) -> Option<UnitPrice> {
        (scale <= MAX_PRICE_SCALE).then_some(UnitPrice { mantissa, scale })
    }

    pub fn mantissa(self) -> u64 {
        self.mantissa
    }

    pub fn scale(self) -> u8 {
        self.scale
    }
}

impl FromStr for UnitPrice {
    type Err = String;

    /// Parses a non-negative decimal such as "153.42" exactly, without going through a float.
    fn from_str(text: &str) -> Result<UnitPrice, String> {
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) {
            return Err(format!("'{text}' is not a price (write it like 153.42, not negative)"));
        }
        let scale = u8::try_from(frac.len())
            .ok()
            .filter(|s| *s <= MAX_PRICE_SCALE)
            .ok_or_else(|| format!("'{text}' has more than {MAX_PRICE_SCALE} decimals"))?;
        let mantissa = format!("{whole}{frac}")
            .parse::<u64>()
            .map_err(|_| format!("'{text}' is too large for a price"))?;
        Ok(UnitPrice { mantissa, scale })
    }
}

impl fmt::Display for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&decimal(i128::from(self.mantissa), u32::from(self.scale)))
    }
}

/// The fiat value of `atomic` units of an asset with `decimals`, at `price` per whole unit, in
/// cents (hundredths of the currency), rounded half away from zero. Exact: the product is taken
/// in 256 bits. `None` only if the value does not fit 128 bits.
pub(crate) fn fiat_cents(atomic: i128, decimals: u8, price: UnitPrice) -> Option<i128> {
    let mut n = U256::product(atomic.unsigned_abs(), u128::from(price.mantissa));
    // The product carries `decimals + scale` decimal places; cents keep two.
    let drop = i32::from(decimals) + i32::from(price.scale) - 2;
    if drop <= 0 {
        for _ in drop..0 {
            n.mul_small(10);
        }
    } else {
        for _ in 1..drop {
            n.div_small(10);
        }
        let digit = n.div_small(10);
        if digit >= 5 {
            n.add_small(1);
        }
    }
    let cents = i128::try_from(n.to_u128()?).ok()?;
    Some(if atomic < 0 { -cents } else { cents })
}

/// A 256-bit unsigned integer, little-endian 64-bit limbs: just enough for `fiat_cents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct U256([u64; 4]);

impl U256 {
    fn product(a: u128, b: u128) -> U256 {
        let a = [a as u64, (a >> 64) as u64];
        let b = [b as u64, (b >> 64) as u64];
        let mut r = [0u64; 4];
        for (i, &ai) in a.iter().enumerate() {
            let mut carry: u128 = 0;
            for (j, &bj) in b.iter().enumerate() {
                let t = u128::from(r[i + j]) + u128::from(ai) * u128::from(bj) + carry;
                r[i + j] = t as u64;
                carry = t >> 64;
            }
            r[i + 2] = carry as u64;
        }
        U256(r)
    }

    /// Multiplies in place; the callers' values stay far below 2^256.
    fn mul_small(&mut self, m: u64) {
        let mut carry: u128 = 0;
        for limb in &mut self.0 {
            let t = u128::from(*limb) * u128::from(m) + carry;
            *limb = t as u64;
            carry = t >> 64;
        }
    }

    fn add_small(&mut self, v: u64) {
        let mut carry = u128::from(v);
        for limb in &mut self.0 {
            let t = u128::from(*limb) + carry;
            *limb = t as u64;
            carry = t >> 64;
        }
    }

    /// Divides in place and returns the remainder.
    fn div_small(&mut self, d: u64) -> u64 {
        let mut rem: u128 = 0;
        for limb in self.0.iter_mut().rev() {
            let cur = (rem << 64) | u128::from(*limb);
            *limb = (cur / u128::from(d)) as u64;
            rem = cur % u128::from(d);
        }
        rem as u64
    }

    fn to_u128(self) -> Option<u128> {
        (self.0[2] == 0 && self.0[3] == 0)
            .then(|| u128::from(self.0[0]) | (u128::from(self.0[1]) << 64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(text: &str) -> UnitPrice {
        text.parse().unwrap()
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(0, 2), "0.00");
        assert_eq!(decimal(5, 3), "0.005");
        assert_eq!(decimal(-5, 2), "-0.05");
        assert_eq!(decimal(123_456, 2), "1234.56");
        assert_eq!(decimal(i128::MAX, 18), "170141183460469231731.687303715884105727");
        assert_eq!(decimal(7, 0), "7");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(15, 10), 2);
        assert_eq!(div_round(14, 10), 1);
        assert_eq!(div_round(-15, 10), -2);
        assert_eq!(div_round(-14, 10), -1);
        assert_eq!(kwh6(3_600_000_000_000), "1.000000");
        assert_eq!(kwh6(1_800_000), "0.000001");
        assert_eq!(kwh3(36_000_000_000), "0.010");
        assert_eq!(nano_to_cents(3_005_000_000), 301);
    }

    #[test]
    fn prices_parse_exactly_and_refuse_what_they_cannot_hold() {
        assert_eq!(price("153.42"), UnitPrice::new(15342, 2).unwrap());
        assert_eq!(price("7").to_string(), "7");
        assert_eq!(price("0.000000000000000001").to_string(), "0.000000000000000001");
        for bad in ["", "-1", "1e3", "1.2.3", ".5", "0.0000000000000000001", "99999999999999999999"]
        {
            assert!(bad.parse::<UnitPrice>().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn fiat_values_are_exact_for_huge_amounts() {
        // 1.234567890123 XMR at 153.42: 189.4074...
        assert_eq!(fiat_cents(1_234_567_890_123, 12, price("153.42")), Some(18941));
        // 98,765.432109876543210123 MYST (wei, beyond 64 bits) at 0.123456789.
        let wei = 98_765_432_109_876_543_210_123;
        assert_eq!(fiat_cents(wei, 18, price("0.123456789")), Some(1_219_326));
        // The largest amount at the largest price still fits 256 bits.
        assert_eq!(
            fiat_cents(i128::MAX, 38, price("18446744073709551615")),
            Some(3_138_550_867_693_340_381_748)
        );
        assert_eq!(fiat_cents(5, 0, price("0.005")), Some(3), "0.025 rounds up to 0.03");
        assert_eq!(fiat_cents(-5, 0, price("0.005")), Some(-3));
        assert_eq!(fiat_cents(3, 0, price("2")), Some(600));
        assert_eq!(fiat_cents(i128::MAX, 0, price("100")), None, "too large for cents");
    }
}
