//! Which program to launch for a node, checked just before the launch. A managed install or a
//! program the user chose is re-hashed every time; a program a profile names by path or finds
//! on `PATH` is recorded the first time it is used, and re-hashed from then on, so a later
//! replacement (an update, or something worse) is never started without the user confirming it.

use std::path::{Path, PathBuf};

use super::Installer;
use super::error::InstallError;
use super::store::{Installed, verify_before_launch};

/// How a profile names a program Lightrig did not install.
#[derive(Debug, Clone, Copy)]
pub enum Named<'a> {
    /// An absolute path written in the profile: the user's own choice, so a different path
    /// from the recorded one is recorded afresh.
    Path(&'a Path),
    /// What a `PATH` search found (if anything). Once a program is recorded for the node, the
    /// record wins: whatever `PATH` finds later is not trusted without the user confirming it.
    SearchPath(Option<&'a Path>),
}

impl Installer {
    /// The node's program to launch: the binary the user chose for it, otherwise the newest
    /// managed install; re-hashed now. `None` when nothing is installed or chosen.
    pub fn launchable(&self, node: &str) -> Result<Option<PathBuf>, InstallError> {
        self.current(node)?.map(|i| verify_before_launch(&i)).transpose()
    }

    /// Node ids that have a folder here (installed, adopted, or an install under way).
    pub fn nodes(&self) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.nodes_dir())
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.path().is_dir())
                    .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                    .filter(|n| super::types::is_node_id(n))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// The binary the node runs: the one chosen by the user, else the newest managed install.
    pub fn current(&self, node: &str) -> Result<Option<Installed>, InstallError> {
        match self.adopted(node)? {
            Some(chosen) => Ok(Some(chosen)),
            None => Ok(self.installed(node)?.into_iter().next()),
        }
    }

    /// A program the profile names by path or finds on `PATH`: recorded on first use (the
    /// first launch stands for the user's choice), re-hashed on every later launch. `None` when
    /// nothing is recorded and nothing was found.
    pub fn launchable_existing(
        &self,
        node: &str,
        named: Named<'_>,
    ) -> Result<Option<PathBuf>, InstallError> {
        let recorded = self.adopted(node)?;
        let candidate = match named {
            Named::Path(p) => Some(p),
            Named::SearchPath(found) => found,
        };
        match (recorded, candidate) {
            (Some(rec), Some(path))
                if matches!(named, Named::Path(_)) && !same_file(&rec.executable, path) =>
            {
                self.record_first_use(node, path).map(Some)
            }
            (Some(rec), _) => verify_before_launch(&rec).map(Some),
            (None, Some(path)) => self.record_first_use(node, path).map(Some),
            (None, None) => Ok(None),
        }
    }

    fn record_first_use(&self, node: &str, path: &Path) -> Result<PathBuf, InstallError> {
        let rec = self.adopt_existing(node, path)?;
        tracing::info!(
            node,
            path = %rec.executable.display(),
            sha256 = %rec.fingerprint.sha256,
            "recorded the program on its first use; it is checked before every launch from now on"
        );
        Ok(rec.executable)
    }
}

fn same_file(recorded: &Path, named: &Path) -> bool {
    std::fs::canonicalize(named).is_ok_and(|real| real == recorded)
}
