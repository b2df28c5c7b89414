//! Termination signals. Handlers are installed before the node announces it is listening, so a
//! supervisor that stops it right after start is never met by the default "die at once" action.
//! With the ignore-sigterm fault the signals are logged and ignored: only SIGKILL (or
//! TerminateProcess on Windows) ends the process, which is what the supervisor must fall back to.

use crate::out::say;

/// Installed signal listeners.
#[derive(Debug)]
pub struct StopSignals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(windows)]
    ctrl_c: tokio::signal::windows::CtrlC,
    #[cfg(windows)]
    ctrl_break: tokio::signal::windows::CtrlBreak,
}

impl StopSignals {
    /// Installs the listeners. Needs a running tokio runtime.
    pub fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignals {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(windows)]
        {
            use tokio::signal::windows::{ctrl_break, ctrl_c};
            Ok(StopSignals { ctrl_c: ctrl_c()?, ctrl_break: ctrl_break()? })
        }
        #[cfg(not(any(unix, windows)))]
        {
            Ok(StopSignals {})
        }
    }

    /// Resolves when the node is asked to stop. With `ignore`, it logs each request and never
    /// resolves.
    pub async fn requested(&mut self, ignore: bool) {
        loop {
            let name = self.next().await;
            if !ignore {
                return;
            }
            say!("ignoring {name} (fault ignore-sigterm): only a forced kill ends this process");
        }
    }

    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.term.recv() => "SIGTERM",
                _ = self.int.recv() => "SIGINT",
            }
        }
        #[cfg(windows)]
        {
            tokio::select! {
                _ = self.ctrl_c.recv() => "CTRL_C",
                _ = self.ctrl_break.recv() => "CTRL_BREAK",
            }
        }
        #[cfg(not(any(unix, windows)))]
        {
            std::future::pending().await
        }
    }
}
