//! Unpacks a verified archive into an empty staging folder, refusing anything that could write
//! outside it or fill the disk: absolute paths, `..`, drive letters, links of any kind (simplest
//! rule that is always safe: release archives of the nodes we install have none), device files,
//! duplicate names, and more entries or bytes than the caps allow. Sizes are counted as bytes
//! are actually written, never taken from the archive's headers, which can lie.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use super::error::InstallError;
use super::types::ArchiveKind;

/// Limits against archive bombs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    pub max_bytes: u64,
    pub max_entries: u64,
}

/// A relative path made only of normal parts, for names taken from an archive or a manifest.
/// Both `/` and `\` count as separators, so a Windows-style `..\x` is caught on every OS.
pub(crate) fn safe_relative(name: &str) -> Result<PathBuf, String> {
    if name.is_empty() || name.contains('\0') {
        return Err("an empty name".to_owned());
    }
    if name.starts_with(['/', '\\']) || name.contains(':') {
        return Err(format!("an absolute path `{name}`"));
    }
    let mut out = PathBuf::new();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(format!("a path that climbs out of its folder `{name}`")),
            normal => {
                let mut comps = Path::new(normal).components();
                match (comps.next(), comps.next()) {
                    (Some(Component::Normal(_)), None) => out.push(normal),
                    _ => return Err(format!("an unusual path `{name}`")),
                }
            }
        }
    }
    if out.as_os_str().is_empty() {
        return Err(format!("a name with no file in it `{name}`"));
    }
    Ok(out)
}

/// Unpacks `archive` into `dest` (an empty folder). For [`ArchiveKind::Plain`] the download is
/// moved to `dest/<executable>`.
pub(crate) fn unpack(
    kind: ArchiveKind,
    archive: &Path,
    dest: &Path,
    executable: &Path,
    caps: Caps,
) -> Result<(), InstallError> {
    let mut budget = Budget { caps, bytes: 0, entries: 0 };
    match kind {
        ArchiveKind::TarGz => {
            let file = File::open(archive).map_err(|e| InstallError::io("open", archive, e))?;
            let gz = flate2::read::GzDecoder::new(io::BufReader::new(file));
            unpack_tar(gz, dest, &mut budget)
        }
        ArchiveKind::TarBz2 => {
            let file = File::open(archive).map_err(|e| InstallError::io("open", archive, e))?;
            // Multi-stream, as `bzip2 -c a b > c` and parallel compressors write them.
            let bz = bzip2::read::MultiBzDecoder::new(io::BufReader::new(file));
            unpack_tar(bz, dest, &mut budget)
        }
        ArchiveKind::Zip => unpack_zip(archive, dest, &mut budget),
        ArchiveKind::Plain => {
            let len =
                fs::metadata(archive).map_err(|e| InstallError::io("read", archive, e))?.len();
            budget.add_entry()?;
            budget.add_bytes(len)?;
            let target = dest.join(executable);
            fs::rename(archive, &target).map_err(|e| InstallError::io("move", &target, e))
        }
    }?;
    let exe = dest.join(executable);
    match fs::symlink_metadata(&exe) {
        Ok(m) if m.is_file() => set_mode(&exe, 0o755),
        _ => Err(InstallError::ExecutableMissing { path: executable.to_owned() }),
    }
}

struct Budget {
    caps: Caps,
    bytes: u64,
    entries: u64,
}

impl Budget {
    fn add_entry(&mut self) -> Result<(), InstallError> {
        self.entries += 1;
        if self.entries > self.caps.max_entries {
            return Err(unsafe_archive(format!(
                "more than {} entries, which looks like an archive bomb",
                self.caps.max_entries
            )));
        }
        Ok(())
    }

    fn add_bytes(&mut self, n: u64) -> Result<(), InstallError> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > self.caps.max_bytes {
            return Err(unsafe_archive(format!(
                "more than {} MiB once unpacked, which looks like an archive bomb",
                self.caps.max_bytes >> 20
            )));
        }
        Ok(())
    }

    fn left(&self) -> u64 {
        self.caps.max_bytes.saturating_sub(self.bytes)
    }
}

fn unsafe_archive(reason: String) -> InstallError {
    InstallError::UnsafeArchive { reason }
}

fn bad_archive(e: impl std::fmt::Display) -> InstallError {
    InstallError::BadArchive { reason: e.to_string() }
}

/// A tar stream, whatever compresses it: the same rules for every tar archive.
fn unpack_tar(stream: impl Read, dest: &Path, budget: &mut Budget) -> Result<(), InstallError> {
    use tar::EntryType;
    let mut tar = tar::Archive::new(stream);
    for entry in tar.entries().map_err(bad_archive)? {
        let mut entry = entry.map_err(bad_archive)?;
        budget.add_entry()?;
        let kind = entry.header().entry_type();
        if kind == EntryType::XGlobalHeader {
            continue; // `git archive` metadata, not a file
        }
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8(raw)
            .map_err(|_| unsafe_archive("an entry whose name is not UTF-8".to_owned()))?;
        let rel = safe_relative(&name).map_err(unsafe_archive)?;
        match kind {
            EntryType::Regular | EntryType::Continuous => {
                let exec = entry.header().mode().is_ok_and(|m| m & 0o111 != 0);
                write_file(dest, &rel, &mut entry, exec, budget)?;
            }
            EntryType::Directory => make_dir(&dest.join(&rel))?,
            EntryType::Symlink | EntryType::Link => {
                return Err(unsafe_archive(format!("a link `{name}`; links are refused")));
            }
            _ => return Err(unsafe_archive(format!("a special file `{name}`"))),
        }
    }
    Ok(())
}

fn unpack_zip(archive: &Path, dest: &Path, budget: &mut Budget) -> Result<(), InstallError> {
    let file = File::open(archive).map_err(|e| InstallError::io("open", archive, e))?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file)).map_err(bad_archive)?;
    if zip.len() as u64 > budget.caps.max_entries {
        return Err(unsafe_archive(format!(
            "{} entries, more than the {} allowed; it looks like an archive bomb",
            zip.len(),
            budget.caps.max_entries
        )));
    }
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(bad_archive)?;
        budget.add_entry()?;
        let name = entry.name().map_err(bad_archive)?.into_owned();
        let rel = safe_relative(&name).map_err(unsafe_archive)?;
        if entry.is_symlink() {
            return Err(unsafe_archive(format!("a link `{name}`; links are refused")));
        }
        if entry.encrypted() {
            return Err(bad_archive(format!("`{name}` is encrypted")));
        }
        if entry.is_dir() {
            make_dir(&dest.join(&rel))?;
        } else {
            let exec = entry.unix_mode().is_some_and(|m| m & 0o111 != 0);
            write_file(dest, &rel, &mut entry, exec, budget)?;
        }
    }
    Ok(())
}

fn make_dir(path: &Path) -> Result<(), InstallError> {
    fs::create_dir_all(path).map_err(|e| InstallError::io("create the folder", path, e))
}

/// Writes one file, new (a second entry with the same name is refused, so nothing can replace
/// a file already written), counting the bytes against the budget as they arrive.
fn write_file(
    dest: &Path,
    rel: &Path,
    reader: &mut dyn Read,
    exec: bool,
    budget: &mut Budget,
) -> Result<(), InstallError> {
    let path = dest.join(rel);
    if let Some(parent) = path.parent() {
        make_dir(parent)?;
    }
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(if exec { 0o755 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = exec;
    let mut out = match opts.open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(unsafe_archive(format!("`{}` listed twice", rel.display())));
        }
        Err(e) => return Err(InstallError::io("create", &path, e)),
    };
    let limit = budget.left().saturating_add(1);
    let written = io::copy(&mut reader.take(limit), &mut out).map_err(bad_archive)?;
    budget.add_bytes(written)
}

fn set_mode(path: &Path, mode: u32) -> Result<(), InstallError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .map_err(|e| InstallError::io("make executable", path, e))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_relative_keeps_normal_parts_only() {
        assert_eq!(safe_relative("./node-1.0/bin/node").unwrap(), Path::new("node-1.0/bin/node"));
        assert_eq!(safe_relative("a//b/").unwrap(), Path::new("a/b"));
        for bad in
            ["", "/etc/passwd", "\\x", "../x", "a/../../x", "a\\..\\x", "C:/x", "c:x", ".", "a\0b"]
        {
            assert!(safe_relative(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
