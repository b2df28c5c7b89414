//! A node left running by an earlier Lightrig is recognised by pid + executable + start
//! time, never by name, and stopped; a same-named process that is not ours is left alone.

use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

use lightrig_core::supervisor::process::write_pid_file;

use crate::support::*;

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leftover_in_the_pid_file_is_stopped_and_a_namesake_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("custom.pid");
    let ours = Kill(Command::new("sleep").arg("600").process_group(0).spawn().unwrap());
    let namesake = Kill(Command::new("sleep").arg("600").process_group(0).spawn().unwrap());
    assert!(write_pid_file(&pid_file, ours.0.id()).unwrap().is_some());

    let mut cfg = config(script_profile("exec sleep 600", None, Duration::from_secs(1)));
    cfg.pid_file = Some(pid_file.clone());
    let h = spawn(cfg);
    let ours_pid = ours.0.id();
    eventually(Duration::from_secs(15), "leftover stopped", || !alive(ours_pid)).await;
    assert!(alive(namesake.0.id()), "a process with the same name but not ours was killed");
    // The note is logged once the kill is done, a moment after the process is gone.
    eventually(Duration::from_secs(5), "the leftover noted in the log", || {
        h.logs().tail(10).iter().any(|l| l.text.contains("left running by an earlier Lightrig"))
    })
    .await;
    assert!(!pid_file.exists());
    drop(ours);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recycled_pid_is_not_mistaken_for_a_leftover() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("custom.pid");
    let other = Kill(Command::new("sleep").arg("600").process_group(0).spawn().unwrap());
    // Same pid and program, but a different start time: the pid was reused by someone else.
    let mut rec = write_pid_file(&pid_file, other.0.id()).unwrap().unwrap();
    rec.start_time -= 1000;
    std::fs::write(&pid_file, serde_json::to_vec(&rec).unwrap()).unwrap();
    let mut cfg = config(script_profile("exec sleep 600", None, Duration::from_secs(1)));
    cfg.pid_file = Some(pid_file.clone());
    let _h = spawn(cfg);
    eventually(Duration::from_secs(10), "pid file handled", || !pid_file.exists()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(alive(other.0.id()), "a process that only shares the pid was killed");
}
