//! One power reading, what a source answers when it has none, and the ladder of sources.

use std::fmt;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::model::Provenance;

/// What a reading covers. The kinds are never added to one another blindly: a CPU package
/// reading is part of the wall power, and a battery's discharge is the whole machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PowerKind {
    /// The whole machine at the wall socket (a plug meter, or a model calibrated with one).
    Wall,
    /// The CPU package only (cores, uncore, integrated GPU): RAPL, EMI, IOReport. Not the PSU,
    /// board, RAM, drives or fans — energy.md §1.1: a Threadripper read 167 W RAPL vs 278 W wall.
    CpuPackage,
    /// One or more discrete GPUs (NVML, amdgpu hwmon).
    Gpu,
    /// A laptop battery's discharge: the whole machine, but only while unplugged.
    Battery,
    /// The node's own process tree, as the OS accounts its energy (macOS `ri_energy_nj`).
    Process,
    /// A model's estimate of the CPU package from its power limit and the load.
    Model,
}

impl PowerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wall => "wall",
            Self::CpuPackage => "cpu-package",
            Self::Gpu => "gpu",
            Self::Battery => "battery",
            Self::Process => "process",
            Self::Model => "model",
        }
    }
}

/// A power figure with what it covers, how it was obtained and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerReading {
    pub watts: f64,
    pub kind: PowerKind,
    /// `Measured` for a sensor, `Estimated` for a model.
    pub provenance: Provenance,
    /// E.g. "RAPL package-0 (intel-rapl:0)", "model: 65 W TDP, 43 % load".
    pub source: String,
    /// For estimates: the band the true value very likely lies in, `(low, high)` watts.
    pub range_w: Option<(f64, f64)>,
}

impl PowerReading {
    pub fn measured(watts: f64, kind: PowerKind, source: impl Into<String>) -> PowerReading {
        PowerReading {
            watts,
            kind,
            provenance: Provenance::Measured,
            source: source.into(),
            range_w: None,
        }
    }
}

/// Why a source gives no reading right now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum PowerStatus {
    Reading(PowerReading),
    /// Counters need two reads some time apart; the next call will have a figure.
    WarmingUp {
        source: String,
    },
    /// Not on this machine, or not now (e.g. a battery while on mains). Shown as
    /// "not available" with the reason, never as 0 W.
    NotAvailable {
        source: String,
        reason: String,
    },
    /// The sensor exists but the user must allow access once; Lightrig never asks for root by
    /// itself.
    PermissionNeeded(PermissionNeeded),
}

impl PowerStatus {
    pub fn reading(&self) -> Option<&PowerReading> {
        match self {
            Self::Reading(r) => Some(r),
            _ => None,
        }
    }

    pub(crate) fn not_available(source: &str, reason: impl Into<String>) -> PowerStatus {
        PowerStatus::NotAvailable { source: source.to_owned(), reason: reason.into() }
    }
}

/// A sensor that needs a one-time permission, explained in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionNeeded {
    /// What could be measured, e.g. "CPU package power (RAPL energy counter ...)".
    pub what: String,
    /// What the user can do once, and what it trades off.
    pub how: String,
}

/// What a source may use besides its own counters.
#[derive(Debug, Clone, Copy)]
pub struct ReadContext {
    /// Monotonic time of this read: power is energy over elapsed time.
    pub now: Instant,
    /// Whole-machine CPU load 0..=100 from the telemetry sampler, for models.
    pub cpu_percent: Option<f32>,
}

/// Anything that can tell the machine's (or a part's) power draw.
pub trait PowerSource: Send + fmt::Debug {
    /// Short name for the UI's list of rungs, e.g. "RAPL", "battery", "NVML", "model".
    fn name(&self) -> &str;
    fn read(&mut self, ctx: &ReadContext) -> PowerStatus;
}

/// Sources in order of preference: the first that gives a reading is live; the others' statuses
/// are kept so the UI can say which rung is live and why the better ones are not (for instance
/// "RAPL needs a one-time permission").
#[derive(Debug, Default)]
pub struct PowerLadder {
    rungs: Vec<Box<dyn PowerSource>>,
}

/// The result of reading a ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LadderReading {
    /// The best reading, or `None` when no rung had one (the UI says "not available").
    pub live: Option<PowerReading>,
    /// Every rung read, in order, with its name: the rungs above the live one explain why they
    /// were passed over. Rungs below the live one are not read.
    pub rungs: Vec<(String, PowerStatus)>,
}

impl LadderReading {
    /// The first rung that asks for a permission, to offer the user the opt-in.
    pub fn permission_needed(&self) -> Option<&PermissionNeeded> {
        self.rungs.iter().find_map(|(_, status)| match status {
            PowerStatus::PermissionNeeded(p) => Some(p),
            _ => None,
        })
    }
}

impl PowerLadder {
    pub fn new(rungs: Vec<Box<dyn PowerSource>>) -> PowerLadder {
        PowerLadder { rungs }
    }

    pub fn push(&mut self, rung: Box<dyn PowerSource>) {
        self.rungs.push(rung);
    }

    pub fn read(&mut self, ctx: &ReadContext) -> LadderReading {
        let mut out = LadderReading { live: None, rungs: Vec::with_capacity(self.rungs.len()) };
        for rung in &mut self.rungs {
            let status = rung.read(ctx);
            let live = status.reading().cloned();
            out.rungs.push((rung.name().to_owned(), status));
            if live.is_some() {
                out.live = live;
                break;
            }
        }
        out
    }
}
