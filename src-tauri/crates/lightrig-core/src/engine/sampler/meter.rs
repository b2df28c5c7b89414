//! The sampler's energy path: once a sample, read the power ladder, learn the idle baseline
//! while the node is stopped or paused, feed the energy account, and store each minute it
//! closes in the ledger. The energy settings (tariff, PSU efficiency, the model's override and
//! calibration) are re-applied when the settings file or the imported price list changes, and
//! the learned baseline is kept in the data folder across restarts (see [`baseline_file`]).
//!
//! GPUs (NVML, amdgpu) are read beside the ladder each sample and added to the machine figure
//! only where it leaves them out ([`crate::energy::gpu::combine`]): the account, the baseline
//! and the ledger all get the same combined figure.
//!
//! Cost per sample: one ladder read (a model needs no I/O; RAPL reads one small sysfs file per
//! package), a few comparisons, and one account step (about 30 ns, docs/benchmarks.md). The
//! ledger is written once a minute. Nothing here can stop sampling: a sensor without a reading
//! is a gap in the account, and a failed write is logged.

mod baseline_file;
#[cfg(test)]
mod gpu_tests;
mod live;
mod setting;

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::config;
use crate::energy::gpu::{self, GpuSources};
use crate::energy::model::ModelSettings;
use crate::energy::{
    Baseline, BaselineTracker, EnergyAccount, EnergyRollup, PowerKind, PowerLadder, PowerReading,
    PsuEfficiency, ReadContext, Tariff,
};
use crate::ledger::{EnergyRow, Ledger};
use crate::model::{Provenance, UnixMillis};
use crate::supervisor::{NodeState, NodeStatus};

pub use live::{EnergyLive, PriceNow, stable_source};
pub use setting::{EnergySetup, MeterSettings};
#[cfg(test)]
pub use setting::{TariffSetting, cpu_spec};

/// Idle samples an idle baseline needs (half a minute at 1 Hz).
pub const BASELINE_SAMPLES: u32 = 30;
/// A baseline older than this is shown as stale (idle power drifts with what else runs).
pub const BASELINE_MAX_AGE_MS: i64 = 6 * 3_600_000;
/// The account's rollup interval: the ledger's minute rows.
const MINUTE_MS: i64 = 60_000;
/// How often the settings file and the price list are checked for changes.
const CONFIG_CHECK: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct ConfigWatch {
    path: PathBuf,
    /// The settings file's and the price list's modification times when last read.
    modified: (Option<SystemTime>, Option<SystemTime>),
    next_check: Instant,
}

fn modified(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The sampler's energy state, kept for as long as the sampler runs.
#[derive(Debug)]
pub struct EnergyMeter {
    ladder: PowerLadder,
    /// Read beside the ladder; their power joins the machine figure where it is left out.
    gpus: GpuSources,
    tracker: BaselineTracker,
    settings: MeterSettings,
    model: Option<ModelSettings>,
    tariff: Option<Tariff>,
    tariff_note: Option<String>,
    tariff_problem: Option<String>,
    max_gap_ms: i64,
    account: Option<EnergyAccount>,
    /// The node the open account's time belongs to; '' for machine-only time.
    account_node: String,
    /// The last sample's time, so a new account continues where the old one stopped.
    last_at: Option<UnixMillis>,
    /// The reading fed to the account: the live one with a source that stays the same from
    /// sample to sample (a model's "43 % load" is cut), so it allocates only when it changes.
    reading: PowerReading,
    /// Whether the last sample had a reading.
    has_reading: bool,
    /// Whether the last sample was taken with the node stopped or paused.
    idle: bool,
    idle_samples: u32,
    config: Option<ConfigWatch>,
    prices_file: Option<PathBuf>,
    baseline_file: Option<PathBuf>,
    /// A baseline kept from an earlier run, taken once the first reading shows it was
    /// measured with the same source.
    kept_baseline: Option<Baseline>,
}

impl EnergyMeter {
    pub fn new(setup: EnergySetup) -> EnergyMeter {
        let interval_ms = i64::try_from(setup.interval.as_millis()).unwrap_or(MINUTE_MS);
        let prices_modified = setup.prices_file.as_deref().and_then(modified);
        let mut meter = EnergyMeter {
            ladder: setup.ladder,
            gpus: GpuSources::new(setup.gpus),
            tracker: BaselineTracker::new(BASELINE_SAMPLES, BASELINE_MAX_AGE_MS),
            settings: setup.settings,
            model: setup.model,
            tariff: None,
            tariff_note: None,
            tariff_problem: None,
            max_gap_ms: interval_ms.saturating_mul(5).clamp(10_000, MINUTE_MS),
            account: None,
            account_node: String::new(),
            last_at: None,
            reading: PowerReading {
                watts: f64::NAN,
                kind: PowerKind::Model,
                provenance: Provenance::Estimated,
                source: String::new(),
                range_w: None,
            },
            has_reading: false,
            idle: false,
            idle_samples: 0,
            config: setup.config_file.map(|path| ConfigWatch {
                modified: (modified(&path), prices_modified),
                path,
                next_check: Instant::now() + CONFIG_CHECK,
            }),
            prices_file: setup.prices_file,
            kept_baseline: setup.baseline_file.as_deref().and_then(baseline_file::load),
            baseline_file: setup.baseline_file,
        };
        meter.apply_settings();
        meter.account = meter.new_account();
        meter
    }

    /// Builds the tariff and sets the model's inputs from `self.settings`.
    fn apply_settings(&mut self) {
        match self.settings.tariff.build() {
            Ok((tariff, note)) => {
                self.tariff = Some(tariff);
                self.tariff_note = Some(note);
                self.tariff_problem = None;
            }
            Err(problem) => {
                self.tariff = None;
                self.tariff_note = None;
                self.tariff_problem = Some(problem);
            }
        }
        if let Some(model) = &self.model {
            let m = &self.settings.model;
            model.set(m.cpu_watts.clone(), m.calibration);
        }
    }

    fn new_account(&self) -> Option<EnergyAccount> {
        match EnergyAccount::new(self.tariff.clone(), MINUTE_MS, self.max_gap_ms) {
            Ok(mut account) => {
                account.set_baseline(self.tracker.baseline());
                account.set_psu(Some(self.settings.psu));
                Some(account)
            }
            Err(e) => {
                tracing::error!(error = %e, "the energy account could not be set up");
                None
            }
        }
    }

    /// The power to record on this sample's ledger row: watts and a source that stays the same
    /// from sample to sample.
    pub fn sample_power(&self) -> Option<(f32, &str)> {
        self.has_reading.then_some((self.reading.watts as f32, self.reading.source.as_str()))
    }

    /// One sample. `now` is the monotonic time of the read, `at_ms` the sample's wall time,
    /// `cpu_percent` the machine's load (the model needs it).
    pub fn step(
        &mut self,
        now: Instant,
        at_ms: UnixMillis,
        cpu_percent: Option<f32>,
        node: &NodeStatus,
        ledger: &Ledger,
    ) -> EnergyLive {
        self.check_config(now, ledger);
        let ctx = ReadContext { now, cpu_percent };
        let read = self.ladder.read(&ctx);
        let permission = read.permission_needed().cloned();
        let (machine, gpu) = gpu::combine(read.live, self.gpus.read(&ctx));
        if let Some(live) = &machine {
            self.restore_baseline(live, at_ms);
        }
        self.learn_baseline(&node.state, machine.as_ref(), at_ms);
        self.has_reading = match &machine {
            Some(live) => {
                self.set_reading(live);
                true
            }
            None => false,
        };
        let working = matches!(node.state, NodeState::Running { .. } | NodeState::Paused { .. });
        let key = if working { node.node_id.as_str() } else { "" };
        if key != self.account_node {
            self.close_open(ledger);
            key.clone_into(&mut self.account_node);
            self.restart_account();
        }
        let work = match node.state {
            NodeState::Running { .. } => node.metrics.as_ref().and_then(|m| m.work_rate.as_ref()),
            _ => None,
        };
        if !self.has_reading {
            self.reading.watts = f64::NAN; // the account counts this as a gap
        }
        let closed = self.account.as_mut().and_then(|a| a.record(at_ms, &self.reading, work));
        if let Some(rollup) = closed {
            self.store(ledger, &rollup);
        }
        self.last_at = Some(at_ms);
        // At the wall: a package-only difference is divided by the PSU efficiency.
        let marginal_w = match (self.tracker.baseline(), &machine) {
            (Some(b), Some(r)) if b.kind == r.kind => {
                Some(self.settings.psu.marginal_at_wall(r.kind, r.watts - b.watts))
            }
            _ => None,
        };
        let marginal_psu = machine
            .as_ref()
            .filter(|r| marginal_w.is_some() && PsuEfficiency::applies_to(r.kind))
            .map(|_| self.settings.psu.value());
        EnergyLive {
            at_ms,
            permission,
            reading: machine,
            rungs: read.rungs,
            gpu,
            baseline: self.tracker.status(at_ms),
            baseline_need: BASELINE_SAMPLES,
            marginal_w,
            marginal_psu,
            idle_samples: self.idle_samples,
            tariff: self.tariff_note.clone(),
            tariff_problem: self.tariff_problem.clone(),
            price_now: PriceNow::at(self.tariff.as_ref(), at_ms),
        }
    }

    /// Takes the baseline kept from an earlier run if this reading comes from the same source
    /// (same kind, same source name) and it is not stale; otherwise drops it.
    fn restore_baseline(&mut self, live: &PowerReading, at_ms: UnixMillis) {
        let Some(kept) = self.kept_baseline.take() else { return };
        if self.tracker.baseline().is_some() {
            return;
        }
        let same = kept.kind == live.kind && kept.source == stable_source(&live.source);
        let (kind, source) = (kept.kind, kept.source.clone());
        if same && self.tracker.restore(kept, at_ms) {
            if let Some(account) = self.account.as_mut() {
                account.set_baseline(self.tracker.baseline());
            }
            tracing::info!(%source, "the idle baseline from the last run is in use again");
        } else {
            tracing::info!(
                kept_kind = kind.as_str(), kept_source = %source, now_source = %live.source,
                "the kept idle baseline is not used: it is stale or from another power source"
            );
        }
    }

    /// Idle readings go into the baseline window while the node is stopped or paused; the
    /// window ends when it works again, and if long enough becomes the baseline, used for
    /// marginal energy from then on (and kept in the data folder).
    fn learn_baseline(
        &mut self,
        state: &NodeState,
        live: Option<&PowerReading>,
        at_ms: UnixMillis,
    ) {
        let idle = matches!(state, NodeState::Stopped { .. } | NodeState::Paused { .. });
        if idle {
            if let Some(r) = live {
                self.tracker.record_idle(r);
                self.idle_samples += 1;
            }
        } else if self.idle {
            self.idle_samples = 0;
            if self.tracker.end_window(at_ms) {
                // A fresh measurement wins over one kept from an earlier run.
                self.kept_baseline = None;
                if let Some(account) = self.account.as_mut() {
                    account.set_baseline(self.tracker.baseline());
                }
                if let (Some(path), Some(b)) = (&self.baseline_file, self.tracker.baseline()) {
                    baseline_file::save(path, b);
                }
            }
        }
        self.idle = idle;
    }

    fn set_reading(&mut self, live: &PowerReading) {
        self.reading.watts = live.watts;
        self.reading.kind = live.kind;
        self.reading.provenance = live.provenance;
        self.reading.range_w = live.range_w;
        if !live::stable_eq(&self.reading.source, &live.source) {
            self.reading.source = stable_source(&live.source).into_owned();
        }
    }

    /// Stores the open minute's part so far, under the node and tariff it was recorded with.
    fn close_open(&mut self, ledger: &Ledger) {
        if let Some(rollup) = self.account.as_mut().and_then(EnergyAccount::flush) {
            self.store(ledger, &rollup);
        }
    }

    /// Starts a new account that continues from the last sample, so no time is lost between
    /// the old one and it.
    fn restart_account(&mut self) {
        self.account = self.new_account();
        if let (Some(account), Some(at)) = (self.account.as_mut(), self.last_at) {
            // The first sample of an account only marks where it starts.
            let _ = account.record(at, &self.reading, None);
        }
    }

    fn store(&self, ledger: &Ledger, rollup: &EnergyRollup) {
        let row = EnergyRow::from_rollup(&self.account_node, rollup, self.tariff_note.as_deref());
        if let Err(e) = ledger.record_energy(&[row]) {
            tracing::warn!(error = %e, "an energy rollup could not be recorded");
        }
    }

    /// Re-reads the settings file when it or the imported price list changed; new energy
    /// settings close the open minute's part under the old ones and continue under the new.
    fn check_config(&mut self, now: Instant, ledger: &Ledger) {
        let Some(watch) = self.config.as_mut() else { return };
        if now < watch.next_check {
            return;
        }
        watch.next_check = now + CONFIG_CHECK;
        let m = (modified(&watch.path), self.prices_file.as_deref().and_then(modified));
        if m == watch.modified {
            return;
        }
        watch.modified = m;
        let settings = config::load_quiet(&watch.path);
        let new = MeterSettings::from_settings(&settings, self.prices_file.as_deref());
        self.set_settings(new, ledger);
    }

    /// Puts a new tariff in force from the next sample on.
    #[cfg(test)]
    pub fn set_tariff(&mut self, tariff: TariffSetting, ledger: &Ledger) {
        let new = MeterSettings { tariff, ..self.settings.clone() };
        self.set_settings(new, ledger);
    }

    /// Puts new energy settings in force from the next sample on.
    pub fn set_settings(&mut self, settings: MeterSettings, ledger: &Ledger) {
        if settings == self.settings {
            return;
        }
        self.close_open(ledger);
        self.settings = settings;
        self.apply_settings();
        self.restart_account();
    }

    /// Stores the open minute's part (at shutdown).
    pub fn finish(&mut self, ledger: &Ledger) {
        self.close_open(ledger);
    }
}
