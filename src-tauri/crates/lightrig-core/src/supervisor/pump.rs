//! The pieces of a run that own something on their own task: the child process (waiter) and
//! its output streams (line pumps).

use std::process::ExitStatus;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(unix)]
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::sync::{mpsc, oneshot};
#[cfg(unix)]
use tokio::time::Instant;

use super::logs::{LogLine, LogRing, MAX_LINE, Stream};
#[cfg(unix)]
use super::process;
use super::process::NodeProcess;
use crate::secret::{Sensitive, mask};

/// Requests from the actor to the waiter.
#[derive(Debug)]
pub(super) enum Ctl {
    Terminate,
    Kill,
}

/// Owns the process: waits for it, and on request signals or kills its tree.
pub(super) async fn waiter(
    mut proc_: NodeProcess,
    mut ctl: mpsc::Receiver<Ctl>,
    exit: oneshot::Sender<std::io::Result<ExitStatus>>,
) {
    let mut ctl_open = true;
    let status = loop {
        tokio::select! {
            status = proc_.wait() => break status,
            c = ctl.recv(), if ctl_open => match c {
                Some(Ctl::Terminate) => proc_.terminate(),
                Some(Ctl::Kill) => proc_.kill_tree(),
                None => ctl_open = false,
            },
        }
    };
    // The node is gone; make sure nothing of its group is left before reporting.
    #[cfg(unix)]
    {
        let deadline = Instant::now() + Duration::from_secs(3);
        while process::group_alive(proc_.pid) && Instant::now() < deadline {
            process::signal_group(proc_.pid, libc::SIGKILL);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    proc_.release().await;
    let _ = exit.send(status);
}

/// Reads a node's output line by line, with a cap on line length, into the ring and the file.
pub(super) async fn pump_lines(
    reader: Box<dyn AsyncRead + Unpin + Send>,
    stream: Stream,
    ring: LogRing,
    file: Option<std::sync::mpsc::Sender<LogLine>>,
    secrets: Vec<Sensitive<String>>,
    pattern: Option<regex::Regex>,
    seen: Arc<AtomicBool>,
) {
    let mut reader = BufReader::new(reader);
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    loop {
        buf.clear();
        // Read one line, keeping at most MAX_LINE bytes of it.
        let mut overflow = false;
        loop {
            let chunk = match reader.fill_buf().await {
                Ok([]) => break,
                Ok(c) => c,
                Err(_) => return,
            };
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = MAX_LINE.saturating_sub(buf.len());
            buf.extend_from_slice(&chunk[..take.min(room)]);
            overflow |= take > room;
            reader.consume(take);
            if done {
                break;
            }
        }
        if buf.is_empty() && !overflow {
            return; // EOF
        }
        let text = String::from_utf8_lossy(&buf);
        let text = mask(text.trim_end_matches(['\r', '\n']), &secrets);
        if let Some(re) = &pattern
            && re.is_match(&text)
        {
            seen.store(true, Ordering::Relaxed);
        }
        let line = ring.push(stream, &text);
        if let Some(f) = &file {
            let _ = f.send(line);
        }
    }
}

pub(super) fn describe_exit(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with code {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                libc::SIGKILL => " (SIGKILL)",
                libc::SIGTERM => " (SIGTERM)",
                libc::SIGSEGV => " (SIGSEGV, a crash)",
                libc::SIGABRT => " (SIGABRT, an abort)",
                _ => "",
            };
            return format!("was ended by signal {sig}{name}");
        }
    }
    "ended".into()
}
