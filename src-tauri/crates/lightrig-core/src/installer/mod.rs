//! Installs a node's binary, and checks it again before every launch.
//!
//! Nothing is trusted because of where it came from. A release is pinned in a manifest shipped
//! with Lightrig (URL, exact size, SHA-256, archive layout). When the upstream signs a checksum
//! list, that list must carry a valid OpenPGP signature by a key pinned in Lightrig and must
//! agree with the pinned SHA-256. The download streams into a `.part` file next to the install,
//! hashed on the way, capped at the pinned size, resumed with HTTP ranges after a cut-off, and
//! fsynced; only a file of the pinned size and hash is unpacked. Unpacking refuses links,
//! absolute paths, `..` and archive bombs, and the result is renamed into
//! `<nodes_dir>/<node>/<version>/` in one step. The previous version stays for rollback, and a
//! lower version than the highest ever installed is refused unless the caller explicitly allows
//! a downgrade (a relabelled old release is a classic rollback attack). Before each launch
//! [`verify_before_launch`] re-hashes the executable; binaries the user already had are
//! recorded with [`Installer::adopt_existing`] and re-checked the same way.
//!
//! Nothing here downloads unless a caller asks for a node to be installed. The manifest format
//! and how maintainers pin real releases are described in `README.md` in this folder.

mod checksums;
mod download;
mod error;
mod extract;
mod manifest;
mod signature;
mod sink;
mod store;
mod trust;
mod types;

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Client;

pub use download::Progress;
pub use error::{InstallError, ManifestError};
pub use manifest::{MANIFEST_SCHEMA, Manifest, ManifestOptions, Placeholder, Release};
pub use signature::{PinnedKey, SignatureKind, SignatureSpec};
pub use store::{FileFingerprint, Installed, InstalledSource, verify_before_launch};
pub use trust::Named;
pub use types::{Arch, ArchiveKind, Os, Sha256Digest, Version};

use crate::paths::Paths;
use store::NodeDir;

/// Where installed nodes live: `<data_dir>/nodes`.
pub fn nodes_dir(paths: &Paths) -> PathBuf {
    paths.data_dir.join("nodes")
}

/// Caps and retry policy. The defaults suit real releases (node binaries are tens of MiB).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Total bytes an archive may unpack to.
    pub max_unpacked_bytes: u64,
    /// Entries (files and folders) an archive may hold.
    pub max_entries: u64,
    /// Size cap for a checksum list or a signature file.
    pub max_list_bytes: u64,
    /// Download attempts within one install call before reporting a cut-off.
    pub attempts: u32,
    pub retry_delay: Duration,
    /// A transfer that sends nothing for this long counts as cut off.
    pub stall_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_unpacked_bytes: 1 << 30,
            max_entries: 10_000,
            max_list_bytes: 1 << 20,
            attempts: 4,
            retry_delay: Duration::from_secs(2),
            stall_timeout: Duration::from_secs(30),
        }
    }
}

/// Per-install choices the user makes.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstallOptions {
    /// Install even if a higher version was installed before. Only ever set from an explicit
    /// user action ("go back to version X"), never automatically.
    pub allow_downgrade: bool,
}

/// Installs, lists and adopts node binaries under one nodes dir.
#[derive(Debug, Clone)]
pub struct Installer {
    nodes_dir: PathBuf,
    limits: Limits,
    allow_loopback_http: bool,
}

impl Installer {
    pub fn new(nodes_dir: impl Into<PathBuf>) -> Installer {
        Installer {
            nodes_dir: nodes_dir.into(),
            limits: Limits::default(),
            allow_loopback_http: false,
        }
    }

    pub fn with_limits(mut self, limits: Limits) -> Installer {
        self.limits = limits;
        self
    }

    /// Accept plain http from 127.0.0.1 (tests and benchmarks serve files locally). Every other
    /// address, and every redirect, must still be https.
    pub fn allow_loopback_http(mut self, allow: bool) -> Installer {
        self.allow_loopback_http = allow;
        self
    }

    pub fn nodes_dir(&self) -> &Path {
        &self.nodes_dir
    }

    fn node_dir(&self, node: &str) -> Result<NodeDir, InstallError> {
        if !types::is_node_id(node) {
            return Err(InstallError::BadNodeId { node: node.to_owned() });
        }
        Ok(NodeDir::new(&self.nodes_dir, node))
    }

    /// Downloads, verifies and installs `release`, reporting download progress to `progress`.
    /// On any error nothing new is installed and earlier versions are untouched.
    pub async fn install(
        &self,
        release: &Release,
        options: InstallOptions,
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<Installed, InstallError> {
        let mut urls = vec![release.url()];
        if let Some(sig) = release.signature() {
            urls.push(&sig.checksums_url);
            urls.extend(sig.signature_url.as_ref());
        }
        for url in urls {
            download::check_url(url, self.allow_loopback_http)
                .map_err(InstallError::InsecureUrl)?;
        }
        let dir = self.node_dir(release.node())?;
        dir.create()?;
        let _lock = dir.lock()?;
        dir.clean_leftovers();
        let version = release.version();
        let refused = dir.highest().filter(|h| version < h && !options.allow_downgrade);
        if let Some(highest) = refused {
            return Err(InstallError::Downgrade {
                node: release.node().to_owned(),
                requested: version.to_string(),
                installed: highest.to_string(),
            });
        }
        let client = self.client()?;
        if let Some(sig) = release.signature() {
            self.check_published(&client, release, sig).await?;
        }

        let part = dir.root.join(format!(
            ".download-{version}-{}-{}.part",
            release.os().name(),
            release.arch().name()
        ));
        let target = download::Target {
            url: release.url(),
            size: release.size(),
            sha256: release.sha256(),
            part: &part,
        };
        let retry =
            download::Retry { attempts: self.limits.attempts, delay: self.limits.retry_delay };
        download::fetch_to_file(&client, &target, retry, &mut progress).await?;

        let staging = Staging::create(&dir.root, version)?;
        let caps = extract::Caps {
            max_bytes: self.limits.max_unpacked_bytes,
            max_entries: self.limits.max_entries,
        };
        let (kind, exe, dest, archive, pinned) = (
            release.archive(),
            release.executable().to_owned(),
            staging.path.clone(),
            part.clone(),
            release.sha256(),
        );
        let unpacked = tokio::task::spawn_blocking(move || {
            extract::unpack(kind, &archive, &dest, &exe, caps)?;
            let path = dest.join(&exe);
            let fingerprint = if kind == ArchiveKind::Plain {
                // The executable is the verified download itself, moved: its hash is known.
                FileFingerprint::of_verified(&path, pinned)
            } else {
                FileFingerprint::of(&path)
            };
            fingerprint.map_err(|e| InstallError::io("read", path, e))
        })
        .await;
        download::discard(&part);
        let fingerprint = match unpacked {
            Ok(result) => result?,
            Err(e) => return Err(InstallError::BadArchive { reason: e.to_string() }),
        };
        let installed = dir.commit(
            &staging.path,
            version,
            release.executable(),
            fingerprint,
            release.url().as_str(),
        )?;
        staging.keep();
        // Installing makes this release the node's program: a binary chosen earlier is let go.
        dir.forget_adopted();
        tracing::info!(node = release.node(), %version, path = %installed.executable.display(), "installed a verified release");
        Ok(installed)
    }

    /// Verifies the upstream's signed checksum list with the pinned key and requires it to
    /// list the pinned SHA-256 for this download.
    async fn check_published(
        &self,
        client: &Client,
        release: &Release,
        sig: &SignatureSpec,
    ) -> Result<(), InstallError> {
        let cap = self.limits.max_list_bytes;
        let list = download::fetch_small(client, &sig.checksums_url, cap).await?;
        let bad = |reason: String| InstallError::BadSignature {
            url: sig.checksums_url.to_string(),
            reason,
        };
        let text = match (sig.kind, &sig.signature_url) {
            (SignatureKind::OpenPgpDetached, Some(sig_url)) => {
                let signature = download::fetch_small(client, sig_url, cap).await?;
                signature::verify_detached(&sig.key, &list, &signature).map_err(bad)?;
                String::from_utf8_lossy(&list).into_owned()
            }
            (SignatureKind::OpenPgpDetached, None) => {
                return Err(bad("no signature file is configured".to_owned()));
            }
            (SignatureKind::OpenPgpCleartext, _) => {
                let message =
                    String::from_utf8(list).map_err(|_| bad("it is not text".to_owned()))?;
                signature::verify_cleartext(&sig.key, &message).map_err(bad)?
            }
        };
        let published = checksums::find(&text, &sig.entry).map_err(bad)?.ok_or_else(|| {
            InstallError::NotListed { url: sig.checksums_url.to_string(), entry: sig.entry.clone() }
        })?;
        if published != release.sha256() {
            return Err(InstallError::PublishedChecksumDiffers {
                entry: sig.entry.clone(),
                published: published.to_string(),
                pinned: release.sha256().to_string(),
            });
        }
        Ok(())
    }

    /// The HTTP client: https only (plus loopback http when allowed), redirects included,
    /// an honest user agent, and a stall timeout so a dead connection counts as a cut-off.
    fn client(&self) -> Result<Client, InstallError> {
        let allow = self.allow_loopback_http;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 10 {
                attempt.error("too many redirects")
            } else if download::check_url(attempt.url(), allow).is_ok() {
                attempt.follow()
            } else {
                attempt.error("a redirect left https")
            }
        });
        Client::builder()
            .redirect(policy)
            .connect_timeout(Duration::from_secs(15))
            .read_timeout(self.limits.stall_timeout)
            .user_agent(concat!("Lightrig/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| InstallError::Network { url: "-".to_owned(), reason: e.to_string() })
    }

    /// Managed installs of `node`, newest first: the first is current, the second the rollback.
    pub fn installed(&self, node: &str) -> Result<Vec<Installed>, InstallError> {
        Ok(self.node_dir(node)?.installed())
    }

    /// Records a binary already on the machine (chosen by the user, or found on PATH such as
    /// Debian's `monerod`): its resolved path, SHA-256, size and modification time.
    /// [`verify_before_launch`] then reports any later change so the UI can ask again.
    pub fn adopt_existing(&self, node: &str, path: &Path) -> Result<Installed, InstallError> {
        self.node_dir(node)?.adopt(path)
    }

    /// The binary adopted for `node`, if any.
    pub fn adopted(&self, node: &str) -> Result<Option<Installed>, InstallError> {
        self.node_dir(node)?.adopted()
    }
}

/// A staging folder that is removed unless the install completes.
struct Staging {
    path: PathBuf,
    keep: bool,
}

impl Staging {
    fn create(root: &Path, version: &Version) -> Result<Staging, InstallError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = root.join(format!(".staging-{version}-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path).map_err(|e| InstallError::io("create the folder", &path, e))?;
        Ok(Staging { path, keep: false })
    }

    fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
