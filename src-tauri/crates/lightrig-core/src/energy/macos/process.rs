//! The node's own energy from the kernel's per-process accounting,
//! `proc_pid_rusage(pid, RUSAGE_INFO_V6).ri_energy_nj` (lifetime nanojoules, macOS 13+),
//! readable without sudo for the user's own processes — and the node is ours (energy.md §1.2,
//! as macmon 0.10 `procs.rs` reads it). Power = ΔnJ / Δt over the node's process tree.

use std::ffi::{c_int, c_void};
use std::time::Instant;

use crate::energy::apple::counter_delta;
use crate::energy::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};

const RUSAGE_INFO_V6: c_int = 6;

/// `struct rusage_info_v6` (XNU `sys/resource.h`): 16 bytes of UUID, then u64 fields;
/// `ri_energy_nj` is the 41st (offset 336), the struct is 464 bytes.
#[repr(C)]
struct RusageInfoV6 {
    uuid: [u8; 16],
    before_energy: [u64; 40],
    energy_nj: u64,
    rest: [u64; 15],
}

const _: () = assert!(std::mem::size_of::<RusageInfoV6>() == 464);
const _: () = assert!(std::mem::offset_of!(RusageInfoV6, energy_nj) == 336);

unsafe extern "C" {
    fn proc_pid_rusage(pid: c_int, flavor: c_int, buffer: *mut c_void) -> c_int;
}

fn energy_nj(pid: u32) -> Option<u64> {
    let pid = c_int::try_from(pid).ok()?;
    let mut info =
        RusageInfoV6 { uuid: [0; 16], before_energy: [0; 40], energy_nj: 0, rest: [0; 15] };
    // SAFETY: `info` is a properly sized and aligned rusage_info_v6 the kernel fills in.
    let rc = unsafe { proc_pid_rusage(pid, RUSAGE_INFO_V6, (&raw mut info).cast()) };
    (rc == 0).then_some(info.energy_nj)
}

/// Energy of the node's process tree as macOS accounts it.
#[derive(Debug, Default)]
pub struct ProcessEnergySource {
    pids: Vec<u32>,
    previous: Option<(Instant, Vec<(u32, u64)>)>,
}

impl ProcessEnergySource {
    pub fn new() -> ProcessEnergySource {
        ProcessEnergySource::default()
    }

    /// The node's tree (root first), from the telemetry sampler. A process that joins counts
    /// from its second read on.
    pub fn set_pids(&mut self, pids: &[u32]) {
        self.pids.clear();
        self.pids.extend_from_slice(pids);
    }
}

impl PowerSource for ProcessEnergySource {
    fn name(&self) -> &str {
        "process energy"
    }

    fn read(&mut self, ctx: &ReadContext) -> PowerStatus {
        if self.pids.is_empty() {
            return PowerStatus::not_available("process energy", "no node process is running");
        }
        let now: Vec<(u32, u64)> =
            self.pids.iter().filter_map(|&p| Some((p, energy_nj(p)?))).collect();
        if now.is_empty() {
            return PowerStatus::not_available(
                "process energy",
                "proc_pid_rusage gave no energy figure (it needs macOS 13 or newer)",
            );
        }
        let previous = self.previous.replace((ctx.now, now.clone()));
        let Some((then, before)) = previous else {
            return PowerStatus::WarmingUp { source: "process energy".into() };
        };
        let secs = ctx.now.saturating_duration_since(then).as_secs_f64();
        if secs < 0.1 {
            return PowerStatus::WarmingUp { source: "process energy".into() };
        }
        let nj: u64 = now
            .iter()
            // A pid the OS reused for another process restarts its count: left out this once.
            .filter_map(|(pid, e)| {
                let (_, b) = before.iter().find(|(p, _)| p == pid)?;
                counter_delta(*b, *e, None)
            })
            .sum();
        let source =
            format!("macOS process energy (ri_energy_nj, {} process(es) of the node)", now.len());
        PowerStatus::Reading(PowerReading::measured(
            nj as f64 / 1e9 / secs,
            PowerKind::Process,
            source,
        ))
    }
}
