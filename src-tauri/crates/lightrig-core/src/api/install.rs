//! Installing node programs, and choosing programs already on the computer, as the Nodes
//! screen and `lightrig installed` show them. The desktop app, browser mode and the CLI share
//! these views and rules; the work itself is the installer's (`crate::installer`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ApiError, AppEvent, AppService};
use crate::installer::{
    self, Arch, InstallError, InstallOptions, Installed, InstalledSource, Installer, Manifest, Os,
    Progress, Version,
};
use crate::profile::{BinarySource, Catalog, Profile};

/// One node program: what Lightrig can install for it, what is installed or chosen, and which
/// of them starts.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NodeInstallView {
    /// The installer's node id, as in `lightrig install <node>`.
    pub node: String,
    /// The display name of the first profile that runs it (or the node id).
    pub name: String,
    /// Profiles that run this program.
    pub profiles: Vec<String>,
    /// How those profiles find the program: installed, search-path or path.
    pub source: String,
    pub available: AvailableRelease,
    /// Installs by Lightrig, newest first: the first is current, the second kept for rollback.
    pub installed: Vec<BinaryView>,
    /// A program the user chose, or one found on PATH and recorded when it was first used.
    pub adopted: Option<BinaryView>,
    /// Which program starts: "adopted", "installed", or null when there is none yet.
    pub uses: Option<String>,
    /// For a search-path profile: the program PATH finds now, if any.
    pub on_path: Option<String>,
    /// An install of this node under way, with its latest progress.
    pub installing: Option<InstallProgress>,
}

/// What Lightrig can install for a node on this computer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum AvailableRelease {
    /// A release Lightrig's maintainers pinned (size and SHA-256) for this OS and CPU.
    Pinned {
        version: String,
        size: u64,
        /// The upstream's signed checksum list is checked too.
        signed: bool,
    },
    /// Listed, but not pinned yet: it cannot be installed.
    NotPinned,
    /// Lightrig has no release of this node for this OS and CPU.
    None,
}

/// An executable and its recorded content.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BinaryView {
    /// `null` for a program the user chose.
    pub version: Option<String>,
    pub path: String,
    pub sha256: String,
    pub size: u64,
    /// RFC 3339, when the file system reports it.
    pub modified: Option<String>,
}

/// Progress of one install, sent as `install://progress` events.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct InstallProgress {
    pub node: String,
    /// Bytes downloaded so far, and the release's exact size.
    pub bytes: u64,
    pub total: u64,
    pub rate_bytes_per_s: f64,
    /// The install ended (installed or failed); the call that started it has the result.
    pub finished: bool,
}

/// Install the pinned release of `node` (the newest, or `version`).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct InstallRequest {
    pub node: String,
    #[serde(default)]
    pub version: Option<String>,
    /// Install an older release than the highest ever installed. Only from an explicit choice.
    #[serde(default)]
    pub allow_downgrade: bool,
}

/// Use a program already on this computer for `node`; its hash is recorded now and checked
/// before every launch.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AdoptRequest {
    pub node: String,
    /// Absolute path of the program.
    pub path: String,
}

impl From<InstallError> for ApiError {
    fn from(e: InstallError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<&Installed> for BinaryView {
    fn from(i: &Installed) -> Self {
        BinaryView {
            version: match &i.source {
                InstalledSource::Managed { version, .. } => Some(version.clone()),
                InstalledSource::Adopted => None,
            },
            path: i.executable.display().to_string(),
            sha256: i.fingerprint.sha256.to_string(),
            size: i.fingerprint.size,
            modified: i.fingerprint.modified.clone(),
        }
    }
}

impl From<&Progress> for InstallProgress {
    fn from(p: &Progress) -> Self {
        InstallProgress {
            node: String::new(),
            bytes: p.bytes,
            total: p.total,
            rate_bytes_per_s: p.rate_bytes_per_s,
            finished: false,
        }
    }
}

/// The pinned release for this computer, if Lightrig has one.
pub fn available(manifest: &Manifest, node: &str) -> AvailableRelease {
    let (Some(os), Some(arch)) = (Os::current(), Arch::current()) else {
        return AvailableRelease::None;
    };
    match manifest.release(node, os, arch) {
        Ok(r) => AvailableRelease::Pinned {
            version: r.version().to_string(),
            size: r.size(),
            signed: r.signature().is_some(),
        },
        Err(InstallError::NotPinned { .. }) => AvailableRelease::NotPinned,
        Err(_) => AvailableRelease::None,
    }
}

fn source_name(b: &BinarySource) -> &'static str {
    match b {
        BinarySource::Bundled { .. } => "bundled",
        BinarySource::Installed { .. } => "installed",
        BinarySource::SearchPath { .. } => "search-path",
        BinarySource::Path { .. } => "path",
    }
}

fn on_search_path(name: &str) -> Option<PathBuf> {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(&file)).find(|p| p.is_file())
}

/// The state of one node's program. `profiles` are the profiles that run it (may be empty for
/// a node only found on disk).
pub fn node_install_view(
    installer: &Installer,
    manifest: &Manifest,
    node: &str,
    profiles: &[&Profile],
) -> Result<NodeInstallView, InstallError> {
    let installed = installer.installed(node)?;
    let adopted = installer.adopted(node)?;
    let uses = match (&adopted, installed.first()) {
        (Some(_), _) => Some("adopted".to_owned()),
        (None, Some(_)) => Some("installed".to_owned()),
        (None, None) => None,
    };
    let on_path = profiles.iter().find_map(|p| match &p.binary {
        BinarySource::SearchPath { name } => on_search_path(name),
        _ => None,
    });
    Ok(NodeInstallView {
        node: node.to_owned(),
        name: profiles.first().map_or_else(|| node.to_owned(), |p| p.name.clone()),
        profiles: profiles.iter().map(|p| p.id.clone()).collect(),
        source: profiles.first().map_or("installed", |p| source_name(&p.binary)).to_owned(),
        available: available(manifest, node),
        installed: installed.iter().map(BinaryView::from).collect(),
        adopted: adopted.as_ref().map(BinaryView::from),
        uses,
        on_path: on_path.map(|p| p.display().to_string()),
        installing: None,
    })
}

/// Every node a profile of `catalog` runs from a program Lightrig checks (the bundled practice
/// node is not one), plus nodes found on disk when `with_disk` is set. Sorted by node id.
pub fn node_install_views(
    installer: &Installer,
    manifest: &Manifest,
    catalog: &Catalog,
    with_disk: bool,
) -> Vec<NodeInstallView> {
    let mut nodes: BTreeMap<String, Vec<&Profile>> = BTreeMap::new();
    for p in &catalog.profiles {
        if let Some(node) = p.binary_node() {
            nodes.entry(node.to_owned()).or_default().push(p);
        }
    }
    if with_disk {
        for node in installer.nodes() {
            nodes.entry(node).or_default();
        }
    }
    nodes
        .iter()
        .filter_map(|(node, profiles)| {
            match node_install_view(installer, manifest, node, profiles) {
                Ok(v) => Some(v),
                Err(e) => {
                    tracing::warn!(node, error = %e, "cannot read a node's install records");
                    None
                }
            }
        })
        .collect()
}

/// Installs the pinned release of `node` for this computer (`version`, or the newest).
pub async fn install_node(
    installer: &Installer,
    manifest: &Manifest,
    node: &str,
    version: Option<&Version>,
    options: InstallOptions,
    progress: impl FnMut(Progress) + Send,
) -> Result<Installed, InstallError> {
    let (Some(os), Some(arch)) = (Os::current(), Arch::current()) else {
        return Err(InstallError::UnsupportedPlatform);
    };
    let release = manifest.find(node, os, arch, version)?;
    installer.install(release, options, progress).await
}

/// The release manifest in use, and the installs running in this app (for the Nodes screen
/// after a reload).
#[derive(Debug)]
pub(super) struct Installs {
    releases: RwLock<Releases>,
    running: Mutex<BTreeMap<String, InstallProgress>>,
}

#[derive(Debug, Clone)]
struct Releases {
    manifest: Arc<Manifest>,
    allow_loopback_http: bool,
}

impl Installs {
    /// The release manifest shipped with Lightrig. A damaged one is logged and installs
    /// nothing (every node then reads "no release").
    pub(super) fn builtin() -> Installs {
        let manifest = Manifest::builtin().unwrap_or_else(|e| {
            tracing::error!(error = %e, "the built-in release manifest did not load");
            Manifest { releases: Vec::new(), placeholders: Vec::new(), origin: PathBuf::new() }
        });
        Installs {
            releases: RwLock::new(Releases {
                manifest: Arc::new(manifest),
                allow_loopback_http: false,
            }),
            running: Mutex::new(BTreeMap::new()),
        }
    }

    fn releases(&self) -> Releases {
        self.releases.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn running(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, InstallProgress>> {
        self.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl AppService {
    /// Replaces the built-in release manifest: for tests and the throughput benchmark, which
    /// serve releases from 127.0.0.1 (`allow_loopback_http`). Never used by the app itself.
    pub fn use_release_manifest(&self, manifest: Manifest, allow_loopback_http: bool) {
        let mut releases =
            self.installs.releases.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        *releases = Releases { manifest: Arc::new(manifest), allow_loopback_http };
    }

    fn installer(&self) -> Installer {
        Installer::new(installer::nodes_dir(self.engine.paths()))
            .allow_loopback_http(self.installs.releases().allow_loopback_http)
    }

    /// The program state of every node a profile runs from a checked program.
    pub fn install_states(&self) -> Vec<NodeInstallView> {
        let running = self.installs.running().clone();
        let mut views = node_install_views(
            &self.installer(),
            &self.installs.releases().manifest,
            &self.engine.catalog(),
            false,
        );
        for v in &mut views {
            v.installing = running.get(&v.node).cloned();
        }
        views
    }

    fn install_state(&self, node: &str) -> Result<NodeInstallView, ApiError> {
        let catalog = self.engine.catalog();
        let profiles: Vec<&Profile> =
            catalog.profiles.iter().filter(|p| p.binary_node() == Some(node)).collect();
        let manifest = self.installs.releases().manifest;
        Ok(node_install_view(&self.installer(), &manifest, node, &profiles)?)
    }

    /// Downloads, verifies and installs the pinned release of a node. Progress goes out as
    /// `install://progress` events; the call returns when the install is done.
    pub async fn install(&self, req: InstallRequest) -> Result<NodeInstallView, ApiError> {
        let version = match req.version.as_deref().map(str::parse::<Version>).transpose() {
            Ok(v) => v,
            Err(message) => {
                return Err(ApiError::field("installer.bad_version", "version", message));
            }
        };
        let node = req.node.clone();
        let start = InstallProgress {
            node: node.clone(),
            bytes: 0,
            total: 0,
            rate_bytes_per_s: 0.0,
            finished: false,
        };
        self.installs.running().insert(node.clone(), start);
        let events = self.events.clone();
        let report = |p: Progress| {
            let update = InstallProgress { node: node.clone(), ..InstallProgress::from(&p) };
            self.installs.running().insert(node.clone(), update.clone());
            let _ = events.send(AppEvent::Install(update));
        };
        let options = InstallOptions { allow_downgrade: req.allow_downgrade };
        let manifest = self.installs.releases().manifest;
        let result =
            install_node(&self.installer(), &manifest, &node, version.as_ref(), options, report)
                .await;
        let last = self.installs.running().remove(&node);
        let done = InstallProgress {
            finished: true,
            ..last.unwrap_or(InstallProgress {
                node: node.clone(),
                bytes: 0,
                total: 0,
                rate_bytes_per_s: 0.0,
                finished: true,
            })
        };
        let _ = self.events.send(AppEvent::Install(done));
        result?;
        self.install_state(&node)
    }

    /// Records a program already on this computer as the node's program.
    pub async fn adopt(&self, req: AdoptRequest) -> Result<NodeInstallView, ApiError> {
        let path = PathBuf::from(&req.path);
        if !Path::new(&req.path).is_absolute() {
            return Err(ApiError::field(
                "installer.not_executable",
                "path",
                "give the full path of the program (it starts with / or a drive letter)",
            ));
        }
        let installer = self.installer();
        let node = req.node.clone();
        tokio::task::spawn_blocking(move || installer.adopt_existing(&node, &path))
            .await
            .map_err(|e| ApiError::new("internal", e.to_string()))??;
        self.install_state(&req.node)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Front ends run these calls on any runtime thread (axum handlers, tauri commands).
    #[test]
    fn the_install_calls_can_run_on_any_thread() {
        fn install(app: &AppService, req: InstallRequest) -> impl Future + Send + '_ {
            app.install(req)
        }
        fn adopt(app: &AppService, req: AdoptRequest) -> impl Future + Send + '_ {
            app.adopt(req)
        }
        let _ = (install, adopt);
    }
}
