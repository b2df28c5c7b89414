//! The storage node's answers, as far as Lightrig reads them, and the hints they give.
//!
//! Numbers are read leniently: a figure that is missing, null, not a number, not finite or
//! negative is `None` ("not available"), never 0, and does not fail the whole answer.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::model::UnixMillis;

/// A non-negative finite number, given as a JSON number or a numeric string.
fn num<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    let x = match v {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(x.filter(|x| x.is_finite() && *x >= 0.0))
}

/// A non-negative integer amount (micro-USD), exactly.
fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i128>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    let x = match v {
        Some(Value::Number(n)) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(x.filter(|x| *x >= 0))
}

/// Text as given; a number or object is kept as its JSON text (node versions have changed how
/// they write some fields), null or missing is `None`.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// `true`/`false`; anything else is `None`.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| v.as_bool()))
}

/// `GET /api/sno/`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Dashboard {
    #[serde(default)]
    pub disk_space: Option<DiskSpace>,
    #[serde(default)]
    pub satellites: Option<Vec<SatelliteInfo>>,
    #[serde(default, deserialize_with = "text")]
    pub version: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub allowed_version: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub up_to_date: Option<bool>,
    #[serde(default, deserialize_with = "text")]
    pub started_at: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub last_pinged: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub quic_status: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub configured_port: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct DiskSpace {
    /// Bytes of customer data held.
    #[serde(default, deserialize_with = "num")]
    pub used: Option<f64>,
    #[serde(default, deserialize_with = "num")]
    pub overused: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SatelliteInfo {
    #[serde(default, deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub disqualified: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub suspended: Option<String>,
}

/// Satellites contact a node often; the node's own dashboard calls it offline after 2 hours.
const QUIET_MS: UnixMillis = 2 * 3600 * 1000;

impl Dashboard {
    pub(crate) fn hints(&self, now: UnixMillis) -> Vec<String> {
        let mut hints = Vec::new();
        if self.up_to_date == Some(false) {
            hints.push(format!(
                "The storage node ({}) is older than the network allows ({}): update it, or \
                 satellites may stop sending it data.",
                self.version.as_deref().unwrap_or("version unknown"),
                self.allowed_version.as_deref().unwrap_or("a newer version"),
            ));
        }
        if self.quic_status.as_deref() == Some("Misconfigured") {
            hints.push(format!(
                "QUIC is misconfigured: forward UDP as well as TCP to port {} and allow both in \
                 the firewall.",
                self.configured_port.as_deref().unwrap_or("of the node"),
            ));
        }
        let started = self.started_at.as_deref().and_then(super::parse_time_ms);
        let pinged = self.last_pinged.as_deref().and_then(super::parse_time_ms);
        if started.is_some_and(|s| now - s > QUIET_MS) && pinged.is_none_or(|p| now - p > QUIET_MS)
        {
            hints.push(
                "No satellite has contacted the node for over 2 hours: check that its port is \
                 reachable from the internet."
                    .into(),
            );
        }
        if let Some(over) = self.disk_space.as_ref().and_then(|d| d.overused).filter(|o| *o > 0.0) {
            hints.push(format!(
                "The node holds {:.1} GB more than its allocation: raise the allocation or free \
                 disk space.",
                over / 1e9
            ));
        }
        for sat in self.satellites.iter().flatten() {
            let name = sat.url.as_deref().or(sat.id.as_deref()).unwrap_or("a satellite");
            if sat.disqualified.is_some() {
                hints.push(format!(
                    "The node is disqualified on {name}: that satellite sends it no more data \
                     and no more pay."
                ));
            } else if sat.suspended.is_some() {
                hints.push(format!(
                    "The node is suspended on {name}: the node's dashboard and log show why \
                     (often failed audits or downtime); fix that to get data and pay again."
                ));
            }
        }
        hints
    }
}

/// `GET /api/sno/estimated-payout`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EstimatedPayout {
    #[serde(default)]
    pub current_month: Option<Monthly>,
    #[serde(default)]
    pub previous_month: Option<Monthly>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Monthly {
    /// Cents, after the held part, rounded by the node to 2 decimals.
    #[serde(default, deserialize_with = "num")]
    pub payout: Option<f64>,
}

/// `GET /api/sno/satellites`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Satellites {
    /// Byte-hours this month, all satellites.
    #[serde(default, deserialize_with = "num")]
    pub storage_summary: Option<f64>,
    #[serde(default, deserialize_with = "num")]
    pub egress_summary: Option<f64>,
    #[serde(default)]
    pub audits: Option<Vec<Audit>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Audit {
    #[serde(default, deserialize_with = "num")]
    pub audit_score: Option<f64>,
    #[serde(default, deserialize_with = "num")]
    pub online_score: Option<f64>,
    #[serde(default)]
    pub satellite_name: Option<String>,
}

impl Satellites {
    pub(crate) fn hints(&self) -> Vec<String> {
        let mut hints = Vec::new();
        for a in self.audits.iter().flatten() {
            let name = a.satellite_name.as_deref().unwrap_or("a satellite");
            if let Some(s) = a.audit_score.filter(|s| *s < 0.98) {
                hints.push(format!(
                    "The audit score on {name} is {:.1} %; below 96 % the node is disqualified \
                     there. Check the disk and look for failed audits in the node's log.",
                    s * 100.0
                ));
            }
            if let Some(s) = a.online_score.filter(|s| *s < 0.9) {
                hints.push(format!(
                    "The online score on {name} is {:.1} %; keep the node running and reachable \
                     (it is suspended below 60 %).",
                    s * 100.0
                ));
            }
        }
        hints
    }
}

/// One satellite's row of `GET /api/heldamount/payout-history/{period}`; money in micro-USD.
#[derive(Debug, Deserialize)]
pub(crate) struct PayoutForPeriod {
    #[serde(default, rename = "satelliteID")]
    pub satellite_id: Option<String>,
    #[serde(default, deserialize_with = "amount")]
    pub held: Option<i128>,
    #[serde(default, deserialize_with = "amount")]
    pub disposed: Option<i128>,
    #[serde(default, deserialize_with = "amount")]
    pub paid: Option<i128>,
    #[serde(default, deserialize_with = "amount")]
    pub distributed: Option<i128>,
    #[serde(default)]
    pub receipt: Option<String>,
}
