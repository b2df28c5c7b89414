//! One engine per data folder. Two engines on the same folder would each take the other's node
//! for a leftover and stop it, and both would record the machine's energy into one ledger. The
//! desktop app's single-instance check covers a second launch of the app; this covers the rest
//! (the app and `lightrig serve` or `run` together, or a session without D-Bus).
//!
//! The lock is the OS's advisory file lock (`flock` on Unix, `LockFileEx` on Windows), held for
//! the engine's life: a crashed engine's lock goes with its process, so nothing stale is left.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Held while the engine runs; dropping it lets the next engine in.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another Lightrig{} is already using {}: use that one, or quit it and try again \
         (two at once would stop each other's node and count its energy twice)",
        holder.map(|p| format!(" (process {p})")).unwrap_or_default(),
        data_dir.display()
    )]
    Held { data_dir: PathBuf, holder: Option<u32> },
    #[error("cannot use the lock file {}: {source}; check the folder's permissions", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl InstanceLock {
    /// Takes the lock at `path` without waiting, and records this process's id in it so a
    /// second engine can say which process holds it. `data_dir` is named in the error.
    pub fn acquire(path: &Path, data_dir: &Path) -> Result<InstanceLock, LockError> {
        let io = |source| LockError::Io { path: path.to_owned(), source };
        // Not truncated on open: until the lock is ours, the holder's pid is in there.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Held {
                    data_dir: data_dir.to_owned(),
                    holder: holder_pid(&mut file),
                });
            }
            // A file system without locks (some network shares): the guard is lost, not the
            // app. Say so in the log and go on.
            Err(TryLockError::Error(e)) => {
                tracing::warn!(path = %path.display(), error = %e,
                    "this folder cannot be locked; a second Lightrig on it would not be refused");
            }
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        Ok(InstanceLock { _file: file })
    }
}

/// The pid the holder wrote (None where the OS forbids reading a locked file, as on Windows).
fn holder_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_file_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("engine.lock");
        let first = InstanceLock::acquire(&path, dir.path()).unwrap();
        let Err(err) = InstanceLock::acquire(&path, dir.path()) else {
            panic!("a second engine took the lock");
        };
        match &err {
            LockError::Held { holder, .. } => {
                #[cfg(unix)]
                assert_eq!(*holder, Some(std::process::id()));
            }
            other => panic!("{other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.contains("already using") && msg.contains("quit it"), "{msg}");
        drop(first);
        InstanceLock::acquire(&path, dir.path()).expect("free again once the first is gone");
    }

    #[test]
    fn a_pid_left_by_an_engine_that_died_does_not_block_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("engine.lock");
        std::fs::write(&path, "4294967").unwrap();
        InstanceLock::acquire(&path, dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), std::process::id().to_string());
    }
}
