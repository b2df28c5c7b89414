//! One place for how errors reach the terminal: one line, what is wrong and what to do.

use lightrig_core::engine::EngineError;

use crate::exit;

pub fn fail(json: bool, code: &str, message: &str) {
    if json {
        println!("{}", serde_json::json!({ "error": { "code": code, "message": message } }));
    } else {
        eprintln!("lightrig: {message}");
    }
}

/// Reports an engine error and returns the matching exit code.
pub fn engine_error(json: bool, e: &EngineError) -> u8 {
    fail(json, e.code(), &e.to_string());
    match e {
        EngineError::Paths(_) | EngineError::Ledger(_) => exit::FILES,
        EngineError::Instance(lightrig_core::engine::LockError::Held { .. }) => exit::BUSY,
        EngineError::Instance(lightrig_core::engine::LockError::Io { .. }) => exit::FILES,
        EngineError::Profile(_)
        | EngineError::UnknownProfile(_)
        | EngineError::Settings(_)
        | EngineError::Field { .. } => exit::USAGE,
    }
}

pub fn print_json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("lightrig: cannot write JSON: {e}"),
    }
}

/// Formats milliseconds as "3 h 04 min" / "12 min 05 s" / "9 s".
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

/// "1234.5 H/s" with a thousands-friendly precision.
pub fn rate(value: f64, unit: &str) -> String {
    let (v, prefix) = match value {
        v if v >= 1e9 => (v / 1e9, "G"),
        v if v >= 1e6 => (v / 1e6, "M"),
        v if v >= 1e3 => (v / 1e3, "k"),
        v => (v, ""),
    };
    format!("{v:.1} {prefix}{unit}")
}

/// What a long-running command needs: Lightrig's log file (keep the guard alive) and a
/// two-thread tokio runtime. On failure, the error is reported and the exit code returned.
pub fn runtime(
    data_dir: Option<&std::path::Path>,
    json: bool,
) -> Result<(Option<lightrig_core::logging::LogGuard>, tokio::runtime::Runtime), u8> {
    let paths = lightrig_core::paths::Paths::resolve(data_dir).map_err(|e| {
        fail(json, "files.unusable", &e.to_string());
        exit::FILES
    })?;
    let guard = lightrig_core::logging::init(&paths.log_dir(), "warn").ok();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            fail(json, "internal", &format!("cannot start: {e}"));
            exit::FAILED
        })?;
    Ok((guard, rt))
}
