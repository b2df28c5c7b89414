//! Wall power from a plug-meter calibration: the user reads a plug meter once with the node
//! stopped (idle) and once while it works (load); between the two, power is taken as linear in
//! CPU load. This is the "best" estimator of energy.md §3.3 ("let the user enter a smart-plug
//! reading once (idle and mining) and store a per-machine correction factor").

use serde::{Deserialize, Serialize};

use crate::energy::error::{ModelError, check_watts};
use crate::energy::reading::{PowerKind, PowerReading};
use crate::model::Provenance;

/// Idle and load watts from a plug meter, validated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WallCalibration {
    idle_w: f64,
    load_w: f64,
}

impl WallCalibration {
    /// `idle_w`: the machine on, node stopped; `load_w`: the node working flat out.
    pub fn new(idle_w: f64, load_w: f64) -> Result<WallCalibration, ModelError> {
        let idle_w = check_watts("idle_w", idle_w)?;
        let load_w = check_watts("load_w", load_w)?;
        if load_w <= idle_w {
            return Err(ModelError::LoadNotAboveIdle { idle_w, load_w });
        }
        Ok(WallCalibration { idle_w, load_w })
    }

    pub fn idle_w(&self) -> f64 {
        self.idle_w
    }

    pub fn load_w(&self) -> f64 {
        self.load_w
    }

    /// Wall power at `cpu_percent` (0..=100, clamped): idle + (load − idle) × load share.
    pub fn estimate(&self, cpu_percent: f32) -> PowerReading {
        let share = f64::from(cpu_percent.clamp(0.0, 100.0)) / 100.0;
        let watts = self.idle_w + (self.load_w - self.idle_w) * share;
        PowerReading {
            watts,
            kind: PowerKind::Wall,
            provenance: Provenance::Estimated,
            source: format!(
                "calibrated with a plug meter: idle {:.0} W, load {:.0} W; at {:.0} % CPU load",
                self.idle_w,
                self.load_w,
                share * 100.0
            ),
            range_w: None,
        }
    }

    /// The extra wall power of the node at full load: load − idle.
    pub fn marginal_at_full_load(&self) -> f64 {
        self.load_w - self.idle_w
    }
}
