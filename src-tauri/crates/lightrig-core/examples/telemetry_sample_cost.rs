//! What one steady-state `Telemetry::sample` costs: time and heap allocations.
//!
//! Lightrig samples once a second next to a node that should have the machine to itself, so
//! this cost is paid for as long as the app runs. The run measures 300 samples with a small
//! node tree present (a shell with two `sleep` children on unix). Samples are taken just over
//! sysinfo's minimum CPU interval apart, with the refresh cadence scaled by the same factor, so
//! the mix of work (a full process scan every 3rd sample, sensors every 5th, power supply every
//! 10th) is the one of the real 1 Hz loop, in about a minute instead of five.
//!
//! Run: `cargo run --release -p lightrig-core --example telemetry_sample_cost`
//! Prints one machine-readable line on stdout; context goes to stderr.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use lightrig_core::telemetry::{Cadence, Telemetry};

/// Counts every allocation (and reallocation) made through the global allocator.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

fn count(bytes: usize) {
    ALLOCS.fetch_add(1, Ordering::Relaxed);
    BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting has no effect on
// the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SAMPLES: usize = 300;
const WARM_UP: usize = 10;
/// Just over sysinfo's minimum CPU interval (200 ms), so every sample refreshes the counters.
const INTERVAL: Duration = Duration::from_millis(210);

/// A small node tree that is killed, with its children, when dropped.
struct NodeTree {
    #[cfg(unix)]
    shell: std::process::Child,
}

impl NodeTree {
    #[cfg(unix)]
    fn spawn() -> std::io::Result<NodeTree> {
        use std::os::unix::process::CommandExt;
        let shell = std::process::Command::new("sh")
            .args(["-c", "sleep 600 & sleep 600 & wait"])
            .process_group(0)
            .spawn()?;
        Ok(NodeTree { shell })
    }

    #[cfg(not(unix))]
    fn spawn() -> std::io::Result<NodeTree> {
        Ok(NodeTree {})
    }

    fn root(&self) -> u32 {
        #[cfg(unix)]
        let root = self.shell.id();
        // Without a shell, this process stands in for the node.
        #[cfg(not(unix))]
        let root = std::process::id();
        root
    }
}

impl Drop for NodeTree {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let group = self.shell.id() as libc::pid_t;
            // SAFETY: kill(2) on the process group this example created.
            unsafe { libc::kill(-group, libc::SIGKILL) };
            let _ = self.shell.wait();
        }
    }
}

fn scaled(cadence: Cadence, per_second: Duration) -> Cadence {
    let factor = per_second.as_secs_f64();
    Cadence {
        tree_rescan: cadence.tree_rescan.mul_f64(factor),
        components: cadence.components.mul_f64(factor),
        power: cadence.power.mul_f64(factor),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tree = NodeTree::spawn()?;
    let root = Some(tree.root());
    sleep(Duration::from_millis(100)); // let the shell start its children
    let mut telemetry = Telemetry::new().with_cadence(scaled(Cadence::default(), INTERVAL));

    let mut last = None;
    for _ in 0..WARM_UP {
        last = Some(telemetry.sample(root));
        sleep(INTERVAL);
    }

    let mut times_us = Vec::with_capacity(SAMPLES);
    let mut allocs_each = Vec::with_capacity(SAMPLES);
    let (mut allocs, mut bytes) = (0_u64, 0_u64);
    for _ in 0..SAMPLES {
        sleep(INTERVAL);
        let (a0, b0) = (ALLOCS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
        let started = Instant::now();
        let sample = telemetry.sample(root);
        let elapsed = started.elapsed();
        let sample_allocs = ALLOCS.load(Ordering::Relaxed) - a0;
        allocs += sample_allocs;
        allocs_each.push(sample_allocs);
        bytes += BYTES.load(Ordering::Relaxed) - b0;
        times_us.push(elapsed.as_secs_f64() * 1e6);
        last = Some(sample);
    }

    times_us.sort_by(f64::total_cmp);
    allocs_each.sort_unstable();
    let n = times_us.len() as f64;
    let mean = times_us.iter().sum::<f64>() / n;
    let pct = |p: f64| times_us[((n * p).ceil() as usize).clamp(1, times_us.len()) - 1];
    if let Some(sample) = &last {
        let pids = sample.node.as_ref().map_or(0, |node| node.pids.len());
        eprintln!(
            "# interval={}ms node_pids={pids} sensors={} cpu_percent={:?} power_source={:?}",
            INTERVAL.as_millis(),
            sample.temperatures.len(),
            sample.cpu_percent,
            sample.power.source,
        );
    }
    println!(
        "telemetry_sample_cost samples={SAMPLES} mean_us={mean:.1} p50_us={:.1} p99_us={:.1} \
         allocs_per_sample={:.1} allocs_p50={} bytes_per_sample={:.0}",
        pct(0.50),
        pct(0.99),
        allocs as f64 / n,
        allocs_each[allocs_each.len() / 2],
        bytes as f64 / n,
    );
    drop(tree);
    Ok(())
}
