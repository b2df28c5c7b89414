//! Lightrig's own log: tracing to a daily-rotated file in the data folder (7 files kept), and
//! warnings to stderr. Node output has its own size-capped file (see `supervisor::logs`).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;

/// Keeps the log writer flushing; drop it last.
pub type LogGuard = WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Keep the guard alive for the life of the program, or buffered lines are lost at exit.
pub fn init(log_dir: &Path, stderr_level: &str) -> Result<WorkerGuard, String> {
    std::fs::create_dir_all(log_dir)
        .map_err(|e| format!("cannot create {}: {e}", log_dir.display()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("lightrig")
        .filename_suffix("log")
        .max_log_files(7)
        .build(log_dir)
        .map_err(|e| format!("cannot open the log in {}: {e}", log_dir.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let file_layer =
        tracing_subscriber::fmt::layer().with_ansi(false).with_writer(writer).with_filter(
            EnvFilter::try_from_env("LIGHTRIG_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        );
    let stderr_layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_filter(EnvFilter::new(stderr_level));
    tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer)
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(guard)
}
