//! The sampler's energy path: once a sample, read the power ladder, learn the idle baseline
//! while the node is stopped or paused, feed the energy account, and store each minute it
//! closes in the ledger.
//!
//! Cost per sample: one ladder read (a model needs no I/O; RAPL reads one small sysfs file per
//! package), a few comparisons, and one account step (about 30 ns, docs/benchmarks.md). The
//! ledger is written once a minute. Nothing here can stop sampling: a sensor without a reading
//! is a gap in the account, and a failed write is logged.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::config::{self, Settings};
use crate::energy::model::{CpuPowerSpec, CpuPowerTable, ModelSource};
use crate::energy::{
    BaselineStatus, BaselineTracker, Currency, EnergyAccount, EnergyRollup, PermissionNeeded,
    PowerKind, PowerLadder, PowerReading, PowerStatus, Price, ReadContext, Tariff,
};
use crate::ledger::{EnergyRow, Ledger};
use crate::model::{Provenance, UnixMillis};
use crate::supervisor::{NodeState, NodeStatus};

/// Idle samples an idle baseline needs (half a minute at 1 Hz).
pub const BASELINE_SAMPLES: u32 = 30;
/// A baseline older than this is shown as stale (idle power drifts with what else runs).
pub const BASELINE_MAX_AGE_MS: i64 = 6 * 3_600_000;
/// The account's rollup interval: the ledger's minute rows.
const MINUTE_MS: i64 = 60_000;
/// How often the settings file is checked for a new tariff.
const CONFIG_CHECK: Duration = Duration::from_secs(10);

/// What the energy path needs to start.
#[derive(Debug)]
pub struct EnergySetup {
    pub ladder: PowerLadder,
    pub tariff: TariffSetting,
    /// The settings file, re-read when it changes so a new price applies without a restart.
    pub config_file: Option<PathBuf>,
    /// The sampling interval; pauses up to five intervals (10 s at least) are integrated.
    pub interval: Duration,
}

impl EnergySetup {
    /// This machine's ladder (per OS, ending in the CPU model) and the tariff in `settings`.
    pub fn for_machine(settings: &Settings, config_file: PathBuf) -> EnergySetup {
        let spec = cpu_spec(&cpu_brand());
        EnergySetup {
            ladder: crate::energy::default_ladder(ModelSource::new(spec, None)),
            tariff: TariffSetting::from_settings(settings),
            config_file: Some(config_file),
            interval: settings.sample_interval,
        }
    }
}

/// The CPU's brand string as the OS reports it ("" when it cannot be read).
fn cpu_brand() -> String {
    use sysinfo::{CpuRefreshKind, RefreshKind, System};
    System::new_with_specifics(RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing()))
        .ok()
        .and_then(|s| s.cpus().first().map(|c| c.brand().trim().to_owned()))
        .unwrap_or_default()
}

/// The model's spec for `brand` from the shipped table; a generic 65 W part if the table is
/// unreadable (only a broken build does that, and a test parses the table).
pub fn cpu_spec(brand: &str) -> CpuPowerSpec {
    match CpuPowerTable::bundled() {
        Ok(table) => table.lookup(brand),
        Err(e) => {
            tracing::error!(error = %e, "the CPU power table did not load; using a generic model");
            CpuPowerSpec {
                label: "unknown CPU".into(),
                sustained_w: 65.0,
                band: (-0.5, 1.0),
                basis: "generic 65 W TDP".into(),
            }
        }
    }
}

/// The electricity price as the settings give it.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffSetting {
    pub price_per_kwh: Option<f64>,
    pub currency: String,
}

impl TariffSetting {
    pub fn from_settings(s: &Settings) -> TariffSetting {
        TariffSetting { price_per_kwh: s.price_per_kwh, currency: s.currency.clone() }
    }

    /// The tariff and how it is described in the ledger, or why there is none.
    fn build(&self) -> Result<(Tariff, String), String> {
        let Some(p) = self.price_per_kwh else {
            return Err("no electricity price is set: set yours in Settings".into());
        };
        let currency = Currency::parse(&self.currency)?;
        let price = Price::from_f64(p)?;
        Ok((Tariff::flat(currency, price), format!("flat {p} {currency}/kWh (your setting)")))
    }
}

/// The energy figures of the latest sample, for the UI and `/metrics`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnergyLive {
    pub at_ms: UnixMillis,
    /// The live reading, `None` when no rung of the ladder had one.
    pub reading: Option<PowerReading>,
    /// Every rung read, in order: why better sources were passed over.
    pub rungs: Vec<(String, PowerStatus)>,
    /// A sensor that needs a one-time permission (RAPL on Linux).
    pub permission: Option<PermissionNeeded>,
    pub baseline: BaselineStatus,
    /// Idle samples a baseline needs.
    pub baseline_need: u32,
    /// Power above the idle baseline now, when a baseline of the same kind exists.
    pub marginal_w: Option<f64>,
    /// Idle samples collected in the window now open (the node is stopped or paused).
    pub idle_samples: u32,
    /// The tariff in force, as stored with each minute.
    pub tariff: Option<String>,
    /// Why no tariff is in force.
    pub tariff_problem: Option<String>,
}

impl EnergyLive {
    /// The live reading's source without the part that changes every sample (a model's load),
    /// for labels that must stay the same from one scrape to the next.
    pub fn steady_source(&self) -> Option<&str> {
        self.reading.as_ref().map(|r| stable_source(&r.source))
    }
}

#[derive(Debug)]
struct ConfigWatch {
    path: PathBuf,
    modified: Option<SystemTime>,
    next_check: Instant,
}

fn modified(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The sampler's energy state, kept for as long as the sampler runs.
#[derive(Debug)]
pub struct EnergyMeter {
    ladder: PowerLadder,
    tracker: BaselineTracker,
    tariff_setting: TariffSetting,
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
}

impl EnergyMeter {
    pub fn new(setup: EnergySetup) -> EnergyMeter {
        let interval_ms = i64::try_from(setup.interval.as_millis()).unwrap_or(MINUTE_MS);
        let mut meter = EnergyMeter {
            ladder: setup.ladder,
            tracker: BaselineTracker::new(BASELINE_SAMPLES, BASELINE_MAX_AGE_MS),
            tariff_setting: setup.tariff,
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
                modified: modified(&path),
                path,
                next_check: Instant::now() + CONFIG_CHECK,
            }),
        };
        meter.apply_tariff();
        meter.account = meter.new_account();
        meter
    }

    fn apply_tariff(&mut self) {
        match self.tariff_setting.build() {
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
    }

    fn new_account(&self) -> Option<EnergyAccount> {
        match EnergyAccount::new(self.tariff.clone(), MINUTE_MS, self.max_gap_ms) {
            Ok(mut account) => {
                account.set_baseline(self.tracker.baseline());
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
        let read = self.ladder.read(&ReadContext { now, cpu_percent });
        self.learn_baseline(&node.state, read.live.as_ref(), at_ms);
        self.has_reading = match &read.live {
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
        let marginal_w = match (self.tracker.baseline(), &read.live) {
            (Some(b), Some(r)) if b.kind == r.kind => Some(r.watts - b.watts),
            _ => None,
        };
        EnergyLive {
            at_ms,
            permission: read.permission_needed().cloned(),
            reading: read.live,
            rungs: read.rungs,
            baseline: self.tracker.status(at_ms),
            baseline_need: BASELINE_SAMPLES,
            marginal_w,
            idle_samples: self.idle_samples,
            tariff: self.tariff_note.clone(),
            tariff_problem: self.tariff_problem.clone(),
        }
    }

    /// Idle readings go into the baseline window while the node is stopped or paused; the
    /// window ends when it works again, and if long enough becomes the baseline, used for
    /// marginal energy from then on.
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
            if self.tracker.end_window(at_ms)
                && let Some(account) = self.account.as_mut()
            {
                account.set_baseline(self.tracker.baseline());
            }
        }
        self.idle = idle;
    }

    fn set_reading(&mut self, live: &PowerReading) {
        self.reading.watts = live.watts;
        self.reading.kind = live.kind;
        self.reading.provenance = live.provenance;
        self.reading.range_w = live.range_w;
        let stable = stable_source(&live.source);
        if self.reading.source != stable {
            stable.clone_into(&mut self.reading.source);
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

    /// Re-reads the settings file when it changed; a new price or currency closes the open
    /// minute's part at the old price and continues at the new one.
    fn check_config(&mut self, now: Instant, ledger: &Ledger) {
        let Some(watch) = self.config.as_mut() else { return };
        if now < watch.next_check {
            return;
        }
        watch.next_check = now + CONFIG_CHECK;
        let m = modified(&watch.path);
        if m == watch.modified {
            return;
        }
        watch.modified = m;
        let setting = TariffSetting::from_settings(&config::load_quiet(&watch.path));
        self.set_tariff(setting, ledger);
    }

    /// Puts a new tariff in force from the next sample on.
    pub fn set_tariff(&mut self, setting: TariffSetting, ledger: &Ledger) {
        if setting == self.tariff_setting {
            return;
        }
        self.close_open(ledger);
        self.tariff_setting = setting;
        self.apply_tariff();
        self.restart_account();
    }

    /// Stores the open minute's part (at shutdown).
    pub fn finish(&mut self, ledger: &Ledger) {
        self.close_open(ledger);
    }
}

/// A reading's source without the part that changes every sample: a model's source ends with
/// the load it was computed at ("model: …, 43 % load"; "calibrated …; at 43 % CPU load").
pub fn stable_source(source: &str) -> &str {
    if (source.ends_with("% load") || source.ends_with("% CPU load"))
        && let Some(i) = source.rfind([',', ';'])
    {
        return source[..i].trim_end();
    }
    source
}
