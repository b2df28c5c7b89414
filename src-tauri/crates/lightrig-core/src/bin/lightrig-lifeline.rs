//! `lightrig-lifeline PGID GRACE_MS` — makes sure a node never outlives Lightrig.
//!
//! Lightrig starts one lifeline beside each node (Unix only) and keeps the write end of a pipe
//! to its standard input. If Lightrig ends in any way — quit, crash, `kill -9` — the kernel
//! closes that pipe, the lifeline reads end-of-file, and it ends the node's process group:
//! SIGTERM, up to GRACE_MS for the node to finish, then SIGKILL. It also exits by itself once
//! the group is gone. It never looks processes up by name. (Windows uses a Job object instead.)

#[cfg(unix)]
fn main() {
    std::process::exit(unix::run(std::env::args().skip(1).collect()));
}

#[cfg(not(unix))]
fn main() {
    eprintln!(
        "lightrig-lifeline is only used on Unix; Windows ends the node through its Job object"
    );
    std::process::exit(2);
}

#[cfg(unix)]
mod unix {
    use std::io::Read;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    fn group_exists(pgid: i32) -> bool {
        // SAFETY: signal 0 only checks whether the group exists.
        unsafe { libc::killpg(pgid, 0) == 0 }
    }

    fn signal(pgid: i32, sig: i32) {
        // SAFETY: killpg has no memory-safety preconditions; pgid > 1 is checked by the caller.
        unsafe {
            libc::killpg(pgid, sig);
        }
    }

    pub fn run(args: Vec<String>) -> i32 {
        let (Some(pgid), Some(grace)) = (
            args.first().and_then(|a| a.parse::<i32>().ok()).filter(|p| *p > 1),
            args.get(1).and_then(|a| a.parse::<u64>().ok()),
        ) else {
            eprintln!("usage: lightrig-lifeline PGID GRACE_MS (started by Lightrig, not by hand)");
            return 2;
        };
        let (tx, rx) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin();
            let mut buf = [0u8; 64];
            // Lightrig never writes; any return means the pipe closed (or broke).
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => continue,
                }
            }
            let _ = tx.send(());
        });
        loop {
            match rx.recv_timeout(Duration::from_millis(500)) {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if !group_exists(pgid) {
                        return 0;
                    }
                }
            }
        }
        // Lightrig is gone: end the node's tree politely, then for certain.
        signal(pgid, libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_millis(grace.min(300_000));
        while group_exists(pgid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        signal(pgid, libc::SIGKILL);
        0
    }
}
