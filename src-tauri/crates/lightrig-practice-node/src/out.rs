//! Line output. The supervisor reads stdout and stderr line by line from pipes, so every line is
//! written whole, prefixed "practice: " and flushed at once. Write errors are ignored on purpose:
//! a supervisor that closed its end of the pipe must not make the node panic mid-shutdown.

use std::fmt;
use std::io::Write;

/// Writes one "practice: ..." line to stdout and flushes it.
pub fn stdout_line(args: fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "practice: {args}");
    let _ = out.flush();
}

/// Writes one "practice: ..." line to stderr and flushes it.
pub fn stderr_line(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "practice: {args}");
    let _ = err.flush();
}

/// An event line on stdout: `say!("share #{n} accepted")`.
macro_rules! say {
    ($($arg:tt)*) => { $crate::out::stdout_line(format_args!($($arg)*)) };
}

/// An error line on stderr: `complain!("port {port} is already in use")`.
macro_rules! complain {
    ($($arg:tt)*) => { $crate::out::stderr_line(format_args!($($arg)*)) };
}

pub(crate) use {complain, say};
