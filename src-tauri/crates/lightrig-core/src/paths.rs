//! Where Lightrig keeps its files. One `--data-dir` (or `LIGHTRIG_HOME`) puts everything under
//! one folder, so tests and several instances never share state; otherwise the platform's
//! config and data folders are used (via the `directories` crate).

use std::path::{Path, PathBuf};

/// The environment variable that moves all of Lightrig's files under one folder.
pub const HOME_ENV: &str = "LIGHTRIG_HOME";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    #[error("no home folder found to keep Lightrig's files in: pass --data-dir or set {HOME_ENV}")]
    NoHome,
    #[error("cannot create {path}: {source}; check its permissions or pass another --data-dir")]
    Create { path: PathBuf, source: std::io::Error },
}

impl Paths {
    /// `explicit` (from `--data-dir`) wins, then `LIGHTRIG_HOME`, then the platform folders.
    pub fn resolve(explicit: Option<&Path>) -> Result<Paths, PathsError> {
        if let Some(dir) = explicit {
            return Ok(Paths::under(dir));
        }
        if let Some(dir) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
            return Ok(Paths::under(Path::new(&dir)));
        }
        let dirs = directories::ProjectDirs::from("org", "Lightrig", "Lightrig")
            .ok_or(PathsError::NoHome)?;
        Ok(Paths { config_dir: dirs.config_dir().to_owned(), data_dir: dirs.data_dir().to_owned() })
    }

    /// Everything under one folder.
    pub fn under(home: &Path) -> Paths {
        Paths { config_dir: home.join("config"), data_dir: home.join("data") }
    }

    /// Creates the folders (not the files).
    pub fn create(&self) -> Result<(), PathsError> {
        for dir in [
            &self.config_dir,
            &self.data_dir,
            &self.log_dir(),
            &self.run_dir(),
            &self.profiles_dir(),
        ] {
            std::fs::create_dir_all(dir)
                .map_err(|source| PathsError::Create { path: dir.clone(), source })?;
        }
        Ok(())
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
    pub fn profiles_dir(&self) -> PathBuf {
        self.config_dir.join("profiles")
    }
    pub fn ledger_file(&self) -> PathBuf {
        self.data_dir.join("ledger.sqlite3")
    }
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }
    /// Pid files and the live status file of a running engine.
    pub fn run_dir(&self) -> PathBuf {
        self.data_dir.join("run")
    }
    pub fn pid_file(&self, node_id: &str) -> PathBuf {
        self.run_dir().join(format!("{node_id}.pid"))
    }
    /// Held by the engine using this data folder (see `engine::instance`).
    pub fn engine_lock_file(&self) -> PathBuf {
        self.run_dir().join("engine.lock")
    }
    pub fn status_file(&self) -> PathBuf {
        self.run_dir().join("status.json")
    }
    pub fn node_log(&self, node_id: &str) -> PathBuf {
        self.log_dir().join(format!("node-{node_id}.log"))
    }
    /// The electricity price list the user imported (an `hourly` tariff reads it).
    pub fn tariff_prices_file(&self) -> PathBuf {
        self.data_dir.join("tariff-prices.csv")
    }
    /// The idle power baseline the app last measured, kept across restarts.
    pub fn baseline_file(&self) -> PathBuf {
        self.data_dir.join("energy-baseline.json")
    }
}

/// Writes a file so that a crash leaves either the old or the new content, never half of one:
/// write to a temporary file in the same folder, flush it to disk, then rename over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// A UTC timestamp for file names, e.g. `20261124T183000Z`.
pub fn file_stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// Moves a damaged file aside to `<name>.bad-<stamp>` (never overwriting an earlier one) and
/// returns the new path.
pub fn keep_aside(path: &Path, tag: &str) -> std::io::Result<PathBuf> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let stamp = file_stamp();
    let mut target = path.with_file_name(format!("{name}.{tag}-{stamp}"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = path.with_file_name(format!("{name}.{tag}-{stamp}-{n}"));
    }
    std::fs::rename(path, &target)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_dir_wins_and_keeps_everything_under_it() {
        let p = Paths::resolve(Some(Path::new("/tmp/lr-x"))).unwrap();
        assert!(p.config_file().starts_with("/tmp/lr-x"));
        assert!(p.ledger_file().starts_with("/tmp/lr-x"));
        assert!(p.pid_file("practice").starts_with("/tmp/lr-x"));
    }

    #[test]
    fn keep_aside_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("config.toml");
        std::fs::write(&f, "one").unwrap();
        let a = keep_aside(&f, "bad").unwrap();
        std::fs::write(&f, "two").unwrap();
        let b = keep_aside(&f, "bad").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(a).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(b).unwrap(), "two");
    }
}
