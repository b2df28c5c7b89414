//! What can go wrong while installing or launching a node's binary, worded for the person at
//! the computer: what happened, whether anything was installed or run, and what to do next.
//! [`InstallError::code`] gives stable codes the UI branches on.

use std::path::PathBuf;

use super::store::FileFingerprint;
use crate::tomlspan::SourceLocation;

/// A release manifest that failed to load, with where and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ManifestError {
    pub location: SourceLocation,
    pub message: String,
}

const NOT_RUN: &str = "it was not installed and nothing was run";

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("the release manifest is invalid: {0}")]
    Manifest(#[from] ManifestError),
    #[error(
        "Lightrig has no release of {node} for {os}/{arch}; choose a binary you already have instead"
    )]
    NoRelease { node: String, os: &'static str, arch: &'static str },
    #[error(
        "{node} for {os}/{arch} is not pinned yet: Lightrig's maintainers have not checked a release of it, so it cannot be installed; choose a binary you already have instead (`lightrig adopt {node} PATH`)"
    )]
    NotPinned { node: String, os: &'static str, arch: &'static str },
    #[error("Lightrig has no {node} {version} for {os}/{arch}; it can install: {available}")]
    NoSuchVersion {
        node: String,
        version: String,
        os: &'static str,
        arch: &'static str,
        available: String,
    },
    #[error(
        "Lightrig does not install nodes on this operating system or CPU; choose a binary you already have instead"
    )]
    UnsupportedPlatform,
    #[error("`{node}` is not a node id: use lower-case letters, digits and `-`")]
    BadNodeId { node: String },
    #[error("{0}; Lightrig only downloads node releases over https")]
    InsecureUrl(String),
    #[error("another install of {node} is under way; wait for it to finish")]
    Busy { node: String },
    #[error(
        "{node} {installed} is already installed and {requested} is older; installing an older release is refused unless you explicitly allow a downgrade"
    )]
    Downgrade { node: String, requested: String, installed: String },

    #[error(
        "the signed checksum list {url} could not be verified ({reason}): {NOT_RUN}; the release may have been tampered with"
    )]
    BadSignature { url: String, reason: String },
    #[error(
        "the signed checksum list {url} does not list `{entry}`: {NOT_RUN}; the release may have been replaced upstream"
    )]
    NotListed { url: String, entry: String },
    #[error(
        "the signed checksum list gives {published} for `{entry}` but Lightrig pinned {pinned}: {NOT_RUN}; update Lightrig, and report this if it persists"
    )]
    PublishedChecksumDiffers { entry: String, published: String, pinned: String },
    #[error(
        "the file's checksum does not match the published one: {NOT_RUN}. Expected {expected}, got {actual}; try again later"
    )]
    ChecksumMismatch { expected: String, actual: String },
    #[error(
        "the server sent more than the expected {limit} bytes for {url}: the download was stopped and deleted, and nothing was run"
    )]
    TooLarge { url: String, limit: u64 },
    #[error(
        "the server sent {received} bytes for {url} but the release is {expected} bytes: {NOT_RUN}"
    )]
    WrongSize { url: String, received: u64, expected: u64 },
    #[error(
        "the download was cut off after {received} of {total} bytes ({reason}); Lightrig will resume it when you try again"
    )]
    Interrupted { received: u64, total: u64, reason: String },
    #[error("{url} answered HTTP {status}; check the connection and try again later")]
    Http { url: String, status: u16 },
    #[error("could not reach {url}: {reason}; check the internet connection and try again")]
    Network { url: String, reason: String },

    #[error("the archive is unsafe ({reason}): {NOT_RUN}")]
    UnsafeArchive { reason: String },
    #[error("the archive cannot be read ({reason}): {NOT_RUN}")]
    BadArchive { reason: String },
    #[error(
        "the archive has no executable at `{path}`: {NOT_RUN}; the release layout may have changed, so update Lightrig"
    )]
    ExecutableMissing { path: PathBuf },

    #[error("{}", changed(node, path, *adopted))]
    Changed {
        node: String,
        path: PathBuf,
        old: Box<FileFingerprint>,
        new: Box<FileFingerprint>,
        adopted: bool,
    },
    #[error(
        "{path} is missing, so {node} was not started: install it again on the Nodes screen (`lightrig install {node}`) or choose its program again (`lightrig adopt {node} PATH`)"
    )]
    Missing { node: String, path: PathBuf },
    #[error("{path} is not an executable file; choose the node's program itself")]
    NotExecutable { path: PathBuf },
    #[error("the install record {path} is damaged ({reason}); reinstall the node")]
    Record { path: PathBuf, reason: String },
    #[error(
        "could not {action} {path}: {source}; check the disk space and the folder's permissions"
    )]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
}

fn changed(node: &str, path: &std::path::Path, adopted: bool) -> String {
    let path = path.display();
    if adopted {
        format!(
            "{node} at {path} changed since you chose it (an update or a replacement), so it was not started: check where the new file came from, then confirm it on the Nodes screen or run `lightrig adopt {node} {path}`"
        )
    } else {
        format!(
            "the installed {node} program at {path} changed since Lightrig verified it, so it was not started: reinstall it with Install on the Nodes screen or `lightrig install {node}`"
        )
    }
}

impl InstallError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        InstallError::Io { action, path: path.into(), source }
    }

    /// A stable code for the UI and the API.
    pub fn code(&self) -> &'static str {
        match self {
            InstallError::Manifest(_) => "installer.manifest_invalid",
            InstallError::NoRelease { .. } => "installer.no_release",
            InstallError::NotPinned { .. } => "installer.not_pinned",
            InstallError::NoSuchVersion { .. } => "installer.no_such_version",
            InstallError::UnsupportedPlatform => "installer.unsupported_platform",
            InstallError::BadNodeId { .. } => "installer.bad_node_id",
            InstallError::InsecureUrl(_) => "installer.insecure_url",
            InstallError::Busy { .. } => "installer.busy",
            InstallError::Downgrade { .. } => "installer.downgrade_refused",
            InstallError::BadSignature { .. } => "installer.bad_signature",
            InstallError::NotListed { .. } => "installer.not_listed",
            InstallError::PublishedChecksumDiffers { .. } => "installer.published_checksum_differs",
            InstallError::ChecksumMismatch { .. } => "installer.checksum_mismatch",
            InstallError::TooLarge { .. } => "installer.too_large",
            InstallError::WrongSize { .. } => "installer.wrong_size",
            InstallError::Interrupted { .. } => "installer.interrupted",
            InstallError::Http { .. } => "installer.http",
            InstallError::Network { .. } => "installer.network",
            InstallError::UnsafeArchive { .. } => "installer.unsafe_archive",
            InstallError::BadArchive { .. } => "installer.bad_archive",
            InstallError::ExecutableMissing { .. } => "installer.executable_missing",
            InstallError::Changed { .. } => "installer.binary_changed",
            InstallError::Missing { .. } => "installer.binary_missing",
            InstallError::NotExecutable { .. } => "installer.not_executable",
            InstallError::Record { .. } => "installer.record_damaged",
            InstallError::Io { .. } => "installer.io",
        }
    }
}
