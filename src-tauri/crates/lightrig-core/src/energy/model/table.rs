//! The shipped table of CPU power limits and how a limit becomes a sustained package power
//! under a miner (energy.md §3.3, "recommended estimator for a miner").

use serde::{Deserialize, Serialize};

use crate::energy::error::DataError;

const TABLE_FILE: &str = "energy-data/cpu_power_limits.toml";
const TABLE_TEXT: &str = include_str!("../../../energy-data/cpu_power_limits.toml");

/// How a part's rated limit relates to what it draws when every thread is busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CpuClass {
    /// Zen-era AMD desktop: PPT = 1.35 × TDP (AMD via AnandTech); RandomX runs at about
    /// 0.9 × PPT (5950X 122–126 W of 142 W, 3950X 131 W; 3700X at its 88 W PPT). Band ±15 %.
    AmdDesktop,
    /// Intel desktop: PL1 = Processor Base Power; boards often lift PL1, so the band is
    /// −20 %/+50 % (energy.md §3.3).
    IntelDesktop,
    /// Laptops: the default configurable TDP; OEMs set their own limits. Band −20 %/+50 %.
    Laptop,
    /// Apple Silicon: the table holds the measured ceiling (M1 < 20 W), band −40 %/0.
    Apple,
    /// Nothing known: a 65 W desktop part, band −50 %/+100 %.
    Generic,
}

impl CpuClass {
    /// (sustained watts under full load, low band fraction, high band fraction, how).
    fn sustained(self, tdp_w: f64) -> (f64, f64, f64, String) {
        match self {
            Self::AmdDesktop => {
                let ppt = 1.35 * tdp_w;
                (0.9 * ppt, -0.15, 0.15, format!("0.9 × PPT {ppt:.0} W (1.35 × {tdp_w:.0} W TDP)"))
            }
            Self::IntelDesktop => (tdp_w, -0.2, 0.5, format!("PL1 {tdp_w:.0} W")),
            Self::Laptop => (tdp_w, -0.2, 0.5, format!("{tdp_w:.0} W default TDP")),
            Self::Apple => (tdp_w, -0.4, 0.0, format!("measured ceiling {tdp_w:.0} W")),
            Self::Generic => (tdp_w, -0.5, 1.0, format!("generic {tdp_w:.0} W TDP")),
        }
    }
}

/// The power the model assumes for this machine's CPU at 100 % load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpuPowerSpec {
    /// E.g. "AMD Ryzen 9 5950X", "unknown CPU", "your setting".
    pub label: String,
    /// Sustained package watts with every thread busy.
    pub sustained_w: f64,
    /// Relative band around an estimate, e.g. (-0.15, 0.15).
    pub band: (f64, f64),
    /// How `sustained_w` was derived, e.g. "0.9 × PPT 142 W (1.35 × 105 W TDP)".
    pub basis: String,
}

impl CpuPowerSpec {
    /// The user's own figure (from a review, a BIOS limit, a plug meter...). Band ±10 %, for
    /// the variation of power with temperature and silicon.
    pub fn user(sustained_w: f64) -> Result<CpuPowerSpec, crate::energy::error::ModelError> {
        let w = crate::energy::error::check_watts("sustained_w", sustained_w)?;
        Ok(CpuPowerSpec {
            label: "your setting".into(),
            sustained_w: w,
            band: (-0.1, 0.1),
            basis: format!("{w:.0} W set by you"),
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    meta: RawMeta,
    fallback: RawCpu,
    cpu: Vec<RawCpu>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    source: String,
    year: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCpu {
    #[serde(rename = "match", default)]
    pattern: String,
    #[serde(default)]
    exact: bool,
    label: String,
    class: CpuClass,
    tdp_w: f64,
}

/// The shipped CPU power-limit table.
#[derive(Debug, Clone)]
pub struct CpuPowerTable {
    pub source: String,
    pub year: u16,
    entries: Vec<RawCpu>,
    fallback: RawCpu,
}

impl CpuPowerTable {
    /// Parses the table built into the app.
    pub fn bundled() -> Result<CpuPowerTable, DataError> {
        let raw: RawTable = toml::from_str(TABLE_TEXT)
            .map_err(|e| DataError::Invalid { file: TABLE_FILE, reason: e.to_string() })?;
        for cpu in raw.cpu.iter().chain([&raw.fallback]) {
            if !(cpu.tdp_w.is_finite() && cpu.tdp_w > 0.0 && cpu.tdp_w < 1_000.0) {
                let reason =
                    format!("{}: tdp_w = {} is not a CPU power limit", cpu.label, cpu.tdp_w);
                return Err(DataError::Invalid { file: TABLE_FILE, reason });
            }
        }
        Ok(CpuPowerTable {
            source: raw.meta.source,
            year: raw.meta.year,
            entries: raw.cpu,
            fallback: raw.fallback,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The spec for a CPU brand string as the OS reports it; the generic fallback when no entry
    /// matches (its label says so).
    pub fn lookup(&self, brand: &str) -> CpuPowerSpec {
        let brand = brand.trim().to_ascii_lowercase();
        let best = self
            .entries
            .iter()
            .filter(
                |e| if e.exact { brand == e.pattern } else { contains_words(&brand, &e.pattern) },
            )
            .max_by_key(|e| e.pattern.len());
        let entry = best.unwrap_or(&self.fallback);
        let (sustained_w, low, high, basis) = entry.class.sustained(entry.tdp_w);
        CpuPowerSpec { label: entry.label.clone(), sustained_w, band: (low, high), basis }
    }
}

/// Whether `needle` occurs in `hay` with no letter or digit right before or after it, so
/// "5950x" does not match "5950x3d" and "i5-12400" does not match "i5-12400f".
fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
