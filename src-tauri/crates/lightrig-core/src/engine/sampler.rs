//! The 1 Hz sampler: one reused telemetry source on its own thread (sampling never blocks the
//! async runtime), each sample joined with the node's figures and the machine's power (see
//! [`meter`]) and written to the ledger, the latest one published for the UI, rollups run each
//! minute, and a live status file written for `lightrig status` in another process.

mod meter;
#[cfg(test)]
mod settings_tests;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use meter::EnergyMeter;
pub use meter::{EnergyLive, EnergySetup, PriceNow};

use crate::ledger::{Ledger, Sample};
use crate::model::{UnixMillis, now_millis};
use crate::supervisor::NodeStatus;
use crate::telemetry::{Telemetry, TelemetrySample};

pub struct SamplerConfig {
    pub interval: Duration,
    pub ledger: Ledger,
    pub status: watch::Receiver<NodeStatus>,
    pub live: watch::Sender<Option<TelemetrySample>>,
    pub status_file: PathBuf,
    /// The power ladder and tariff (see [`EnergySetup::for_machine`]).
    pub energy: EnergySetup,
}

#[derive(Debug)]
pub struct SamplerHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    energy: watch::Receiver<Option<EnergyLive>>,
}

impl super::Engine {
    /// The energy figures of the latest sample: power now, the ladder's rungs, the baseline and
    /// the tariff in force. `None` before the first sample and after shutdown. (Defined here,
    /// next to the sampler that produces them.)
    pub fn energy_live(&self) -> Option<EnergyLive> {
        let sampler = self.sampler.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        sampler.as_ref().and_then(|s| s.energy.borrow().clone())
    }
}

impl SamplerHandle {
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SamplerHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// What `lightrig status` reads from another process.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LiveStatus {
    /// The engine's own process id; the file is stale if that process is gone.
    pub engine_pid: u32,
    pub written_ms: UnixMillis,
    pub node: serde_json::Value,
    pub telemetry: Option<serde_json::Value>,
}

pub fn spawn(cfg: SamplerConfig) -> SamplerHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let (energy_tx, energy) = watch::channel(None);
    let thread = std::thread::Builder::new()
        .name("telemetry".into())
        .spawn(move || run(cfg, &energy_tx, &flag))
        .ok();
    SamplerHandle { stop, thread, energy }
}

/// Joins one telemetry reading with the node's own figures into a ledger row.
pub fn to_sample(t: &TelemetrySample, node: &NodeStatus) -> Sample {
    let running = matches!(node.state.name(), "running" | "paused");
    let m = node.metrics.as_ref().filter(|_| running);
    Sample {
        at_ms: t.at_ms,
        node_id: running.then(|| node.node_id.clone()),
        cpu_percent: t.cpu_percent,
        mem_used_bytes: Some(t.mem_used_bytes),
        node_cpu_percent: t.node.as_ref().and_then(|n| n.cpu_percent),
        node_rss_bytes: t.node.as_ref().map(|n| n.rss_bytes),
        work_rate: m.and_then(|m| m.work_rate.as_ref()).map(|r| r.value),
        work_unit: m.and_then(|m| m.work_rate.as_ref()).map(|r| r.unit.clone()),
        total_work: m.and_then(|m| m.total_work),
        cpu_temp_c: t.cpu_temp_c,
        power_w: None,
        power_source: None,
        on_battery: t.power.on_battery,
    }
}

fn run(cfg: SamplerConfig, energy: &watch::Sender<Option<EnergyLive>>, stop: &AtomicBool) {
    let mut telemetry = Telemetry::new();
    let mut meter = EnergyMeter::new(cfg.energy);
    let mut next = Instant::now();
    let mut last_maintain = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let node = cfg.status.borrow().clone();
        let sample = telemetry.sample(node.pid);
        // After telemetry: the model rung needs this sample's CPU load.
        let live = meter.step(Instant::now(), sample.at_ms, sample.cpu_percent, &node, &cfg.ledger);
        let mut row = to_sample(&sample, &node);
        if let Some((watts, source)) = meter.sample_power() {
            row.power_w = Some(watts);
            row.power_source = Some(source.to_owned());
        }
        if let Err(e) = cfg.ledger.record_sample(&row) {
            tracing::warn!(error = %e, "a telemetry sample could not be recorded");
        }
        write_live(&cfg.status_file, &node, &sample);
        cfg.live.send_replace(Some(sample));
        energy.send_replace(Some(live));
        if last_maintain.elapsed() >= Duration::from_secs(60) {
            last_maintain = Instant::now();
            if let Err(e) = cfg.ledger.maintain(now_millis()) {
                tracing::warn!(error = %e, "ledger rollup failed");
            }
        }
        next += cfg.interval;
        let now = Instant::now();
        if next <= now {
            next = now + cfg.interval; // fell behind (suspend, slow disk): skip, don't burst
        }
        // Sleep in short steps so a stop request is seen quickly.
        while !stop.load(Ordering::Relaxed) {
            let left = next.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
    }
    meter.finish(&cfg.ledger);
}

fn write_live(path: &std::path::Path, node: &NodeStatus, t: &TelemetrySample) {
    let live = LiveStatus {
        engine_pid: std::process::id(),
        written_ms: now_millis(),
        node: serde_json::to_value(node).unwrap_or_default(),
        telemetry: serde_json::to_value(t).ok(),
    };
    let Ok(bytes) = serde_json::to_vec(&live) else { return };
    // Rename over the old file so a reader never sees half of one; no fsync: it is a live view.
    let tmp = path.with_extension("json.tmp");
    if std::fs::write(&tmp, bytes).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
}

/// Reads the live status file; `None` if absent, unreadable, or its engine is gone.
pub fn read_live(path: &std::path::Path) -> Option<LiveStatus> {
    let bytes = std::fs::read(path).ok()?;
    let live: LiveStatus = serde_json::from_slice(&bytes).ok()?;
    crate::supervisor::process::process_identity(live.engine_pid)?;
    Some(live)
}
