//! TequilAPI's answers, as far as Lightrig reads them, and exact parsers for its amounts and
//! durations.

use serde::Deserialize;

use crate::model::UnixMillis;

#[derive(Debug, Deserialize)]
pub(crate) struct Health {
    #[serde(default)]
    pub uptime: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Identities {
    #[serde(default)]
    pub identities: Option<Vec<IdentityRef>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct IdentityRef {
    #[serde(default)]
    pub id: Option<String>,
}

/// `GET /identities/{id}`; only the fields Lightrig uses (the deprecated big-integer ones are
/// skipped without being read as numbers).
#[derive(Debug, Deserialize)]
pub(crate) struct Identity {
    #[serde(default)]
    pub registration_status: Option<String>,
    #[serde(default)]
    pub earnings_total_tokens: Option<Tokens>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Tokens {
    #[serde(default)]
    pub wei: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatsAnswer {
    #[serde(default)]
    pub stats: Option<Stats>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Stats {
    #[serde(default)]
    pub sum_bytes_received: Option<u64>,
    #[serde(default)]
    pub sum_bytes_sent: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SettlementList {
    #[serde(default)]
    pub items: Option<Vec<Settlement>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Settlement {
    #[serde(default)]
    pub tx_hash: Option<String>,
    /// A JSON integer of wei (Go `*big.Int`), read straight into i128: exact beyond 2^64.
    #[serde(default)]
    pub amount: Option<i128>,
    #[serde(default)]
    pub settled_at: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// A decimal string of wei, exactly. Anything else (sign, point, text, overflow) is `None`.
pub(crate) fn parse_wei(s: &str) -> Option<i128> {
    let s = s.trim();
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Go's `time.Duration` text ("25h53m33.540493171s", "1m2.5s", "350ms") in whole seconds.
pub(crate) fn go_duration_secs(s: &str) -> Option<u64> {
    let mut rest = s.trim();
    if rest == "0" {
        return Some(0);
    }
    let mut total = 0.0;
    let mut parts = 0;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_end);
        let unit_end = tail.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_end);
        let scale = match unit {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" | "μs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        total += num.parse::<f64>().ok()? * scale;
        parts += 1;
        rest = tail;
    }
    (parts > 0 && total.is_finite()).then_some(total as u64)
}

pub(crate) fn is_address(s: &str, hex_len: usize) -> bool {
    s.len() == hex_len + 2
        && s.starts_with("0x")
        && s.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
}

pub(crate) fn parse_time_ms(s: &str) -> Option<UnixMillis> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    Some((t.unix_timestamp_nanos() / 1_000_000) as UnixMillis)
}

#[derive(Debug, Deserialize)]
pub(crate) struct AuthAnswer {
    #[serde(default)]
    pub token: Option<String>,
}
