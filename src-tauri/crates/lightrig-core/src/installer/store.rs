//! The installed binaries on disk and their records.
//!
//! ```text
//! <nodes_dir>/<node>/<version>/                  one unpacked release (current and previous)
//! <nodes_dir>/<node>/<version>/.lightrig-install.json   what was installed, from where, its hash
//! <nodes_dir>/<node>/adopted.json                a binary the user chose (or found on PATH)
//! <nodes_dir>/<node>/highest.json                highest version ever installed (anti-rollback)
//! <nodes_dir>/<node>/.lock                       held while an install runs
//! <nodes_dir>/<node>/.download-*.part, .staging-*, .replaced-*   work in progress
//! ```
//! A release's record is written into its staging folder before the folder is renamed into
//! place, so a version folder and its record appear together or not at all.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use super::error::InstallError;
use super::types::{Sha256Digest, Version};

const RECORD_SCHEMA: u32 = 1;
pub(crate) const RECORD_FILE: &str = ".lightrig-install.json";
const ADOPTED_FILE: &str = "adopted.json";
const HIGHEST_FILE: &str = "highest.json";

/// What identifies an executable's content: its SHA-256 and size. The modification time is
/// kept to show the user, but only the content decides whether a file changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFingerprint {
    pub sha256: Sha256Digest,
    pub size: u64,
    /// RFC 3339, when the file system reports it.
    pub modified: Option<String>,
}

impl FileFingerprint {
    /// Hashes a file as it is now.
    pub fn of(path: &Path) -> io::Result<FileFingerprint> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(FileFingerprint {
            sha256: Sha256Digest(hasher.finalize().into()),
            size: meta.len(),
            modified: modified(&meta),
        })
    }

    /// A file whose content was just verified against `sha256`: only its metadata is read.
    pub(crate) fn of_verified(path: &Path, sha256: Sha256Digest) -> io::Result<FileFingerprint> {
        let meta = fs::metadata(path)?;
        Ok(FileFingerprint { sha256, size: meta.len(), modified: modified(&meta) })
    }

    fn same_content(&self, other: &FileFingerprint) -> bool {
        self.sha256 == other.sha256 && self.size == other.size
    }
}

fn modified(meta: &fs::Metadata) -> Option<String> {
    let t = time::OffsetDateTime::from(meta.modified().ok()?);
    t.format(&time::format_description::well_known::Rfc3339).ok()
}

/// Where an installed binary came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum InstalledSource {
    /// Downloaded and verified by Lightrig. `serial` counts installs of this node, so the
    /// newest install is the current one and the one before it is the rollback.
    Managed { version: String, serial: u64 },
    /// A binary already on the machine that the user chose.
    Adopted,
}

/// A binary ready to be checked and launched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Installed {
    pub node: String,
    pub source: InstalledSource,
    /// Absolute path of the executable.
    pub executable: PathBuf,
    /// Its content when it was installed or adopted.
    pub fingerprint: FileFingerprint,
}

#[derive(Debug, Serialize, Deserialize)]
struct Record {
    schema: u32,
    node: String,
    /// `None` for an adopted binary.
    version: Option<String>,
    serial: u64,
    /// Relative to the version folder for a managed install; absolute when adopted.
    executable: PathBuf,
    fingerprint: FileFingerprint,
    source_url: Option<String>,
    recorded_at: String,
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), InstallError> {
    let bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| InstallError::io("write", path, io::Error::other(e)))?;
    crate::paths::write_atomic(path, &bytes).map_err(|e| InstallError::io("write", path, e))
}

fn read_record(path: &Path) -> Result<Record, InstallError> {
    let bytes = fs::read(path).map_err(|e| InstallError::io("read", path, e))?;
    let rec: Record = serde_json::from_slice(&bytes)
        .map_err(|e| InstallError::Record { path: path.to_owned(), reason: e.to_string() })?;
    if rec.schema != RECORD_SCHEMA {
        let reason = format!("record format {} is not known to this Lightrig", rec.schema);
        return Err(InstallError::Record { path: path.to_owned(), reason });
    }
    Ok(rec)
}

/// One node's folder under the nodes dir.
pub(crate) struct NodeDir {
    pub node: String,
    pub root: PathBuf,
}

impl NodeDir {
    pub fn new(nodes_dir: &Path, node: &str) -> NodeDir {
        NodeDir { node: node.to_owned(), root: nodes_dir.join(node) }
    }

    pub fn create(&self) -> Result<(), InstallError> {
        fs::create_dir_all(&self.root)
            .map_err(|e| InstallError::io("create the folder", &self.root, e))
    }

    /// An exclusive lock for the length of one install (released when the file is dropped,
    /// also when the process dies). A second install of the same node is refused, not queued.
    pub fn lock(&self) -> Result<File, InstallError> {
        let path = self.root.join(".lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| InstallError::io("create", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => {
                Err(InstallError::Busy { node: self.node.clone() })
            }
            Err(fs::TryLockError::Error(e)) => Err(InstallError::io("lock", &path, e)),
        }
    }

    /// Removes staging and replaced folders left by an install that crashed.
    pub fn clean_leftovers(&self) {
        let Ok(entries) = fs::read_dir(&self.root) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".staging-") || name.starts_with(".replaced-") {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Managed installs, newest first. Folders without a readable record are not installs.
    pub fn installed(&self) -> Vec<Installed> {
        let mut out = Vec::new();
        let Ok(entries) = fs::read_dir(&self.root) else { return out };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let canonical = name.parse::<Version>().is_ok_and(|v| v.to_string() == name);
            if !canonical || !entry.path().is_dir() {
                continue;
            }
            match read_record(&entry.path().join(RECORD_FILE)) {
                Ok(rec) => out.push(Installed {
                    node: self.node.clone(),
                    source: InstalledSource::Managed { version: name, serial: rec.serial },
                    executable: entry.path().join(&rec.executable),
                    fingerprint: rec.fingerprint,
                }),
                Err(e) => {
                    tracing::warn!(error = %e, "ignoring a node folder without a valid record")
                }
            }
        }
        out.sort_by_key(|i| std::cmp::Reverse(serial(i)));
        out
    }

    /// The highest version ever installed: the larger of the recorded mark and what is on disk.
    pub fn highest(&self) -> Option<Version> {
        let mark = fs::read(self.root.join(HIGHEST_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<String>(&b).ok())
            .and_then(|s| s.parse::<Version>().ok());
        let on_disk = self.installed().into_iter().filter_map(|i| match i.source {
            InstalledSource::Managed { version, .. } => version.parse::<Version>().ok(),
            InstalledSource::Adopted => None,
        });
        on_disk.chain(mark).max()
    }

    /// Writes the record into the staging folder, renames it to `<version>`, raises the
    /// high-water mark and removes all but the new and the previous install.
    pub fn commit(
        &self,
        staging: &Path,
        version: &Version,
        executable: &Path,
        fingerprint: FileFingerprint,
        source_url: &str,
    ) -> Result<Installed, InstallError> {
        let previous = self.installed();
        let serial_no = previous.first().map_or(0, serial) + 1;
        let rec = Record {
            schema: RECORD_SCHEMA,
            node: self.node.clone(),
            version: Some(version.to_string()),
            serial: serial_no,
            executable: executable.to_owned(),
            fingerprint: fingerprint.clone(),
            source_url: Some(source_url.to_owned()),
            recorded_at: now(),
        };
        write_json(&staging.join(RECORD_FILE), &rec)?;
        let target = self.root.join(version.to_string());
        let replaced = self.root.join(format!(".replaced-{version}-{}", std::process::id()));
        let had_old = target.exists();
        if had_old {
            fs::rename(&target, &replaced)
                .map_err(|e| InstallError::io("move aside", &target, e))?;
        }
        if let Err(e) = fs::rename(staging, &target) {
            if had_old {
                let _ = fs::rename(&replaced, &target);
            }
            return Err(InstallError::io("move into place", &target, e));
        }
        if had_old {
            let _ = fs::remove_dir_all(&replaced);
        }
        let mark = self.highest().map_or(version.clone(), |h| h.max(version.clone()));
        write_json(&self.root.join(HIGHEST_FILE), &mark.to_string())?;
        let keep = previous.iter().find(|i| !same_version(i, version));
        for old in previous.iter().filter(|i| !same_version(i, version)) {
            if keep.is_some_and(|k| k == old) {
                continue;
            }
            if let InstalledSource::Managed { version, .. } = &old.source {
                let dir = self.root.join(version);
                if let Err(e) = fs::remove_dir_all(&dir) {
                    tracing::warn!(path = %dir.display(), error = %e, "could not remove an old release");
                }
            }
        }
        Ok(Installed {
            node: self.node.clone(),
            source: InstalledSource::Managed { version: version.to_string(), serial: serial_no },
            executable: target.join(executable),
            fingerprint,
        })
    }

    /// Records a binary the user chose. The path is resolved (symlinks followed) once, here,
    /// so a later change of the link cannot swap the program behind the record.
    pub fn adopt(&self, path: &Path) -> Result<Installed, InstallError> {
        if !path.is_absolute() {
            return Err(InstallError::NotExecutable { path: path.to_owned() });
        }
        let real = fs::canonicalize(path).map_err(|_| InstallError::Missing {
            node: self.node.clone(),
            path: path.to_owned(),
        })?;
        let meta = fs::metadata(&real).map_err(|e| InstallError::io("read", &real, e))?;
        if !meta.is_file() || !is_executable(&meta) {
            return Err(InstallError::NotExecutable { path: real });
        }
        let fingerprint =
            FileFingerprint::of(&real).map_err(|e| InstallError::io("read", &real, e))?;
        self.create()?;
        let rec = Record {
            schema: RECORD_SCHEMA,
            node: self.node.clone(),
            version: None,
            serial: 0,
            executable: real.clone(),
            fingerprint: fingerprint.clone(),
            source_url: None,
            recorded_at: now(),
        };
        write_json(&self.root.join(ADOPTED_FILE), &rec)?;
        Ok(Installed {
            node: self.node.clone(),
            source: InstalledSource::Adopted,
            executable: real,
            fingerprint,
        })
    }

    /// Forgets the adopted binary (the file itself is the user's and stays where it is).
    pub fn forget_adopted(&self) {
        let path = self.root.join(ADOPTED_FILE);
        if let Err(e) = fs::remove_file(&path)
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(path = %path.display(), error = %e, "could not forget the adopted binary");
        }
    }

    pub fn adopted(&self) -> Result<Option<Installed>, InstallError> {
        let path = self.root.join(ADOPTED_FILE);
        if !path.exists() {
            return Ok(None);
        }
        let rec = read_record(&path)?;
        Ok(Some(Installed {
            node: self.node.clone(),
            source: InstalledSource::Adopted,
            executable: rec.executable,
            fingerprint: rec.fingerprint,
        }))
    }
}

fn serial(i: &Installed) -> u64 {
    match i.source {
        InstalledSource::Managed { serial, .. } => serial,
        InstalledSource::Adopted => 0,
    }
}

fn same_version(i: &Installed, v: &Version) -> bool {
    matches!(&i.source, InstalledSource::Managed { version, .. } if version.parse::<Version>().is_ok_and(|x| x == *v))
}

#[cfg(unix)]
fn is_executable(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &fs::Metadata) -> bool {
    true
}

/// Re-hashes an installed or adopted executable just before it is started, and refuses it if
/// its content changed since it was verified (or since the user chose it). Returns the path
/// to launch. This closes the gap between "verified once" and "run many times later".
pub fn verify_before_launch(installed: &Installed) -> Result<PathBuf, InstallError> {
    let path = &installed.executable;
    let missing = || InstallError::Missing { node: installed.node.clone(), path: path.clone() };
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(InstallError::NotExecutable { path: path.clone() }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(missing()),
        Err(e) => return Err(InstallError::io("read", path, e)),
    }
    let now = FileFingerprint::of(path).map_err(|e| InstallError::io("read", path, e))?;
    if !now.same_content(&installed.fingerprint) {
        return Err(InstallError::Changed {
            node: installed.node.clone(),
            path: path.clone(),
            old: Box::new(installed.fingerprint.clone()),
            new: Box::new(now),
            adopted: installed.source == InstalledSource::Adopted,
        });
    }
    Ok(path.clone())
}
