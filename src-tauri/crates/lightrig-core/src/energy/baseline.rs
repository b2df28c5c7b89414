//! Marginal power: what the node adds on top of a machine that is on anyway.
//!
//! A PC that runs all day costs only the increment ΔP = P(working) − P(idle) (energy.md §0.4).
//! The idle baseline is measured by the app itself, with the same source, while the node is
//! paused (XMRig pauses over its HTTP API) — never typed in or guessed. A baseline needs enough
//! samples to average out noise and goes stale, because idle power drifts with what else the
//! user runs ("every few hours" is energy.md's [GUESS]).

use serde::{Deserialize, Serialize};

use crate::energy::error::ModelError;
use crate::energy::reading::{PowerKind, PowerReading};
use crate::model::{Provenance, UnixMillis};

/// An idle baseline measured by the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub watts: f64,
    /// Sensor kind it was measured with; only readings of the same kind are compared with it.
    pub kind: PowerKind,
    pub samples: u32,
    /// When the idle window ended.
    pub measured_at: UnixMillis,
    pub source: String,
}

/// Whether a usable baseline exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum BaselineStatus {
    /// Never measured, or the last window had too few samples.
    Missing {
        have: u32,
        need: u32,
    },
    Ready {
        baseline: Baseline,
        age_ms: i64,
    },
    /// Older than the allowed age: still shown, but a new idle window should be taken.
    Stale {
        baseline: Baseline,
        age_ms: i64,
    },
}

/// Collects idle windows and keeps the last good one.
#[derive(Debug, Clone)]
pub struct BaselineTracker {
    need: u32,
    max_age_ms: i64,
    window: Option<Window>,
    last_window_samples: u32,
    baseline: Option<Baseline>,
}

#[derive(Debug, Clone)]
struct Window {
    kind: PowerKind,
    sum_w: f64,
    samples: u32,
    source: String,
}

impl BaselineTracker {
    /// `need` samples per window (30 at 1 Hz: half a minute), stale after `max_age_ms`.
    pub fn new(need: u32, max_age_ms: i64) -> BaselineTracker {
        BaselineTracker {
            need: need.max(1),
            max_age_ms,
            window: None,
            last_window_samples: 0,
            baseline: None,
        }
    }

    /// Adds an idle reading (the node is paused). A change of sensor kind restarts the window:
    /// a package idle figure cannot be a wall baseline.
    pub fn record_idle(&mut self, reading: &PowerReading) {
        if !reading.watts.is_finite() {
            return;
        }
        match &mut self.window {
            Some(w) if w.kind == reading.kind => {
                w.sum_w += reading.watts;
                w.samples += 1;
            }
            _ => {
                self.window = Some(Window {
                    kind: reading.kind,
                    sum_w: reading.watts,
                    samples: 1,
                    source: reading.source.clone(),
                })
            }
        }
    }

    /// Ends the idle window (the node resumes). Returns whether it became the baseline.
    pub fn end_window(&mut self, at: UnixMillis) -> bool {
        let Some(w) = self.window.take() else {
            self.last_window_samples = 0;
            return false;
        };
        self.last_window_samples = w.samples;
        if w.samples < self.need {
            return false;
        }
        self.baseline = Some(Baseline {
            watts: w.sum_w / f64::from(w.samples),
            kind: w.kind,
            samples: w.samples,
            measured_at: at,
            source: w.source,
        });
        true
    }

    pub fn status(&self, now: UnixMillis) -> BaselineStatus {
        match &self.baseline {
            None => BaselineStatus::Missing { have: self.last_window_samples, need: self.need },
            Some(b) => {
                let age_ms = now.saturating_sub(b.measured_at);
                let baseline = b.clone();
                if age_ms > self.max_age_ms {
                    BaselineStatus::Stale { baseline, age_ms }
                } else {
                    BaselineStatus::Ready { baseline, age_ms }
                }
            }
        }
    }

    pub fn baseline(&self) -> Option<&Baseline> {
        self.baseline.as_ref()
    }

    /// Takes a baseline measured earlier (kept across a restart) if it is not stale yet at
    /// `now`, has enough samples and a usable figure. Returns whether it was taken.
    pub fn restore(&mut self, baseline: Baseline, now: UnixMillis) -> bool {
        let age_ms = now.saturating_sub(baseline.measured_at);
        let usable = baseline.watts.is_finite()
            && baseline.watts >= 0.0
            && baseline.samples >= self.need
            && (0..=self.max_age_ms).contains(&age_ms);
        if usable {
            self.baseline = Some(baseline);
        }
        usable
    }
}

/// Which power a net figure is computed from. Always shown next to the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostBasis {
    /// Everything the source sees, including what the machine draws anyway.
    Total,
    /// Only what the node adds above the idle baseline.
    Marginal,
}

/// Total and marginal power side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarginalPower {
    pub total_w: f64,
    pub baseline_w: Option<f64>,
    /// `total − baseline`; `None` with `why_not` when no comparable baseline exists.
    pub marginal_w: Option<f64>,
    pub why_not: Option<String>,
}

impl MarginalPower {
    pub fn of(reading: &PowerReading, baseline: Option<&Baseline>) -> MarginalPower {
        let total_w = reading.watts;
        let (baseline_w, marginal_w, why_not) = match baseline {
            None => (None, None, Some("no idle baseline measured yet".to_owned())),
            Some(b) if b.kind != reading.kind => (
                None,
                None,
                Some(format!(
                    "the baseline was measured as {} power, this reading is {}",
                    b.kind.as_str(),
                    reading.kind.as_str()
                )),
            ),
            Some(b) => (Some(b.watts), Some(total_w - b.watts), None),
        };
        MarginalPower { total_w, baseline_w, marginal_w, why_not }
    }
}

/// Power supply efficiency: AC watts at the wall per DC watt delivered. Default 0.9, within
/// the 0.85–0.92 typical of desktop supplies (energy.md §3.3, [GUESS] there).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PsuEfficiency(f64);

impl Default for PsuEfficiency {
    fn default() -> Self {
        PsuEfficiency(0.9)
    }
}

impl PsuEfficiency {
    pub fn new(value: f64) -> Result<PsuEfficiency, ModelError> {
        if value.is_finite() && (0.5..=1.0).contains(&value) {
            Ok(PsuEfficiency(value))
        } else {
            Err(ModelError::BadEfficiency { value })
        }
    }

    pub fn value(self) -> f64 {
        self.0
    }

    /// Whether a reading of `kind` sees only the DC side of the supply (CPU package, a model of
    /// it, a process, a GPU board), so wall figures are that ÷ η.
    pub fn applies_to(kind: PowerKind) -> bool {
        !matches!(kind, PowerKind::Wall | PowerKind::Battery)
    }

    /// The node's extra power at the wall from a difference `delta_w` between a working and an
    /// idle reading of `kind`: Δ ÷ η where the source sees only the DC side, Δ itself where it
    /// already sees the whole machine.
    pub fn marginal_at_wall(self, kind: PowerKind, delta_w: f64) -> f64 {
        if Self::applies_to(kind) { delta_w / self.0 } else { delta_w }
    }

    /// Wall power for a DC-side reading (CPU package, model, GPU board power): DC ÷ η. It
    /// leaves out the board, RAM, drives and fans, so as a *total* it is a floor; as a
    /// *marginal* (Δpackage ÷ η) it is close to what the node adds at the wall, since those
    /// parts draw about the same with the node paused (RandomX's extra DRAM power aside).
    /// Readings that already cover the machine (wall, battery) are returned unchanged.
    pub fn to_wall(self, reading: &PowerReading) -> PowerReading {
        match reading.kind {
            PowerKind::CpuPackage | PowerKind::Model | PowerKind::Process | PowerKind::Gpu => {
                PowerReading {
                    watts: reading.watts / self.0,
                    kind: PowerKind::Wall,
                    provenance: Provenance::Estimated,
                    source: format!(
                        "{} ÷ PSU efficiency {:.2} (board, RAM, drives and fans not included)",
                        reading.source, self.0
                    ),
                    range_w: reading.range_w.map(|(lo, hi)| (lo / self.0, hi / self.0)),
                }
            }
            PowerKind::Wall | PowerKind::Battery => reading.clone(),
        }
    }
}
