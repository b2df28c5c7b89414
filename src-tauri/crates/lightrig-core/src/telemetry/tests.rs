//! Tests against the live machine: real processes, real CPU counters.

use std::thread::sleep;
use std::time::Duration;

use super::*;

/// After sysinfo's minimum interval, so a second reading yields a load.
const SETTLE: Duration = Duration::from_millis(250);

#[test]
fn machine_cpu_load_is_unknown_until_a_second_reading() {
    let mut telemetry = Telemetry::new();
    let first = telemetry.sample(None);
    assert_eq!(first.cpu_percent, None, "no fake 0 on the first sample");
    assert!(first.logical_cores >= 1);
    assert!(first.mem_total_bytes > 0 && first.mem_used_bytes <= first.mem_total_bytes);

    sleep(SETTLE);
    let load = telemetry.sample(None).cpu_percent.expect("a load after two readings");
    assert!((0.0..=100.0).contains(&load), "{load}");
}

#[test]
fn sampler_can_move_to_a_worker_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Telemetry>();
}

#[test]
fn sample_survives_a_serde_round_trip() {
    let mut telemetry = Telemetry::new();
    let sample = telemetry.sample(Some(std::process::id()));
    assert!(sample.node.as_ref().is_some_and(|n| n.root_pid == std::process::id()));
    let json = serde_json::to_string(&sample).expect("serialize");
    let back: TelemetrySample = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, sample);
}

#[cfg(unix)]
mod process_tree {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::process::CommandExt;
    use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

    use super::*;

    /// A shell in its own process group, killed with everything it started when the test ends,
    /// even when an assertion fails first.
    struct Tree {
        shell: Child,
        stdin: Option<ChildStdin>,
        stdout: BufReader<ChildStdout>,
    }

    impl Tree {
        /// Runs `script` under `sh`; the script prints its children's pids (`echo $!`).
        fn spawn(script: &str) -> Tree {
            let mut shell = Command::new("sh")
                .args(["-c", script])
                .process_group(0)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("spawn sh");
            let stdin = shell.stdin.take();
            let stdout = BufReader::new(shell.stdout.take().expect("piped stdout"));
            Tree { shell, stdin, stdout }
        }

        fn root(&self) -> u32 {
            self.shell.id()
        }

        /// Reads the next pid the script printed.
        fn next_child(&mut self) -> u32 {
            let mut line = String::new();
            self.stdout.read_line(&mut line).expect("read child pid");
            line.trim().parse().expect("a pid line")
        }

        /// Kills the whole process group (the shell, its children, their children) and reaps
        /// the shell.
        fn kill_all(&mut self) {
            let group = self.shell.id() as libc::pid_t;
            // SAFETY: kill(2) on the process group this test created; no memory involved.
            unsafe { libc::kill(-group, libc::SIGKILL) };
            let _ = self.shell.wait();
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            self.kill_all();
        }
    }

    #[test]
    fn node_tree_includes_root_and_grandchild() {
        let mut tree = Tree::spawn("sleep 30 & echo $!; sleep 30");
        let grandchild = tree.next_child();
        let root = tree.root();
        let mut telemetry = Telemetry::new();

        let node = telemetry.sample(Some(root)).node.expect("the node runs");
        assert_eq!(node.root_pid, root);
        assert_eq!(node.pids.first(), Some(&root), "root first: {:?}", node.pids);
        assert!(node.pids.contains(&grandchild), "{grandchild} missing from {:?}", node.pids);
        assert!(node.rss_bytes > 0);
        assert_eq!(node.cpu_percent, None, "a first reading has no CPU load yet");

        sleep(SETTLE);
        let node = telemetry.sample(Some(root)).node.expect("still running");
        assert!(node.pids.contains(&grandchild));
        let cpu = node.cpu_percent.expect("two readings give a load");
        assert!(cpu >= 0.0, "{cpu}");

        tree.kill_all();
        // Within sysinfo's minimum interval the previous readings stand; a second later (the
        // normal cadence) the exit shows.
        sleep(SETTLE);
        assert_eq!(telemetry.sample(Some(root)).node, None, "a dead root gives no node");
        assert_eq!(telemetry.sample(None).node, None);
    }

    #[test]
    fn busy_node_shows_its_cpu_load_even_when_scanned_every_sample() {
        // A full scan moves sysinfo's CPU-time baselines; were it to run between a baseline and
        // its reading, a busy node would show close to 0.
        let tree = Tree::spawn("while :; do :; done");
        let root = tree.root();
        let every = Cadence { tree_rescan: Duration::ZERO, ..Cadence::default() };
        let mut telemetry = Telemetry::new().with_cadence(every);
        let mut cpu = None;
        for _ in 0..4 {
            cpu = telemetry.sample(Some(root)).node.expect("running").cpu_percent;
            sleep(Duration::from_millis(300));
        }
        let cpu = cpu.expect("a load after several readings");
        // A spinning shell takes a whole core when it can; leave room for a busy machine.
        assert!(cpu > 10.0, "busy loop measured at {cpu}% of a core");
    }

    #[test]
    fn new_children_appear_at_the_next_rescan_not_before() {
        // The shell waits for a line before starting its child, so the first scan cannot see it.
        let mut tree = Tree::spawn("read _; sleep 30 & echo $!; wait");
        let root = tree.root();
        let long = Cadence { tree_rescan: Duration::from_secs(3600), ..Cadence::default() };
        let mut telemetry = Telemetry::new().with_cadence(long);
        assert_eq!(telemetry.sample(Some(root)).node.expect("running").pids, [root]);

        let stdin = tree.stdin.as_mut().expect("piped stdin");
        stdin.write_all(b"go\n").expect("write to sh");
        stdin.flush().expect("flush");
        let child = tree.next_child();
        sleep(SETTLE);
        let node = telemetry.sample(Some(root)).node.expect("running");
        assert_eq!(node.pids, [root], "between rescans only the known pids are refreshed");

        // The scan runs after a sample's readings; the next sample counts what it found.
        telemetry.cadence.tree_rescan = Duration::ZERO;
        telemetry.sample(Some(root));
        sleep(SETTLE);
        let node = telemetry.sample(Some(root)).node.expect("running");
        assert!(node.pids.contains(&child), "{child} missing from {:?}", node.pids);
    }
}

#[cfg(target_os = "linux")]
mod sysfs_root {
    use super::*;
    use std::fs;
    use std::path::Path;

    fn fixture(case: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sysfs").join(case)
    }

    #[test]
    fn sampler_reads_power_from_recorded_sysfs() {
        let mut telemetry = Telemetry::with_sysfs_root(fixture("laptop_on_battery_42"));
        let power = telemetry.sample(None).power;
        assert_eq!((power.on_battery, power.battery_percent), (Some(true), Some(42.0)));

        let mut telemetry = Telemetry::with_sysfs_root(fixture("no_power_supply"));
        assert_eq!(telemetry.sample(None).power.on_battery, None);
    }

    #[test]
    fn power_is_cached_between_reads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bat = dir.path().join("class/power_supply/BAT0");
        fs::create_dir_all(&bat).expect("mkdir");
        fs::write(bat.join("type"), "Battery\n").expect("write");
        fs::write(bat.join("status"), "Discharging\n").expect("write");
        fs::write(bat.join("capacity"), "42\n").expect("write");
        let mut telemetry = Telemetry::with_sysfs_root(dir.path());
        assert_eq!(telemetry.sample(None).power.battery_percent, Some(42.0));

        fs::write(bat.join("capacity"), "41\n").expect("write");
        assert_eq!(telemetry.sample(None).power.battery_percent, Some(42.0), "cached");
        telemetry.cadence.power = Duration::ZERO;
        assert_eq!(telemetry.sample(None).power.battery_percent, Some(41.0), "re-read");
    }

    #[test]
    fn gpu_temperatures_join_the_sample_labelled_gpu_from_recorded_sysfs() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/energy/hwmon_amdgpu_unreadable");
        let sample = Telemetry::with_sysfs_root(root).sample(None);
        // Only this tree's amdgpu card: the host's own sensors (and NVML, where installed) may
        // add others.
        let amd: Vec<(&str, f32)> = sample
            .temperatures
            .iter()
            .filter(|t| t.label.starts_with("GPU amdgpu"))
            .map(|t| (t.label.as_str(), t.celsius))
            .collect();
        assert_eq!(amd, [("GPU amdgpu edge", 47.0), ("GPU amdgpu junction", 63.0)]);
        // mem has a label and no value: named as not available, not listed at 0 °C.
        assert!(sample.unread_sensors.iter().any(|l| l == "GPU amdgpu mem"));
        assert!(sample.temperatures.iter().all(|t| t.label != "GPU amdgpu mem"));
        // A GPU is never the CPU temperature.
        assert_ne!(sample.cpu_temp_c, Some(63.0));
    }
}
