//! Release manifests: which file to download for a node on an OS and CPU, how large it is, its
//! pinned SHA-256, how to unpack it, and (optionally) the upstream signed checksum list and the
//! pinned OpenPGP key that vouches for it. A TOML file is parsed into raw structs and validated
//! into [`Release`]s that cannot hold a bad value; every error names the file, line and field.
//! The format is described in `README.md` next to this file.

use std::path::{Path, PathBuf};

use reqwest::Url;
use serde::Deserialize;

use super::download::check_url;
use super::error::{InstallError, ManifestError};
use super::extract::safe_relative;
use super::signature::{PinnedKey, SignatureKind, SignatureSpec};
use super::types::{Arch, ArchiveKind, Os, Sha256Digest, Version, is_node_id};
use crate::tomlspan::{SourceLocation, builtin_path, line_of_offset, locate};

/// Version of the manifest format this Lightrig reads.
pub const MANIFEST_SCHEMA: u32 = 1;

/// The largest download a manifest may pin (4 GiB): a guard against a typo in `size`.
const MAX_RELEASE_SIZE: u64 = 4 << 30;

const BUILTIN_NAME: &str = "releases.toml";
const BUILTIN_TEXT: &str = include_str!("releases.toml");
/// Armored public keys shipped with Lightrig, as (file name, text). The built-in manifest
/// names them in `signature.key`. Empty until a maintainer pins real upstream keys (README.md).
const BUILTIN_KEYS: &[(&str, &str)] = &[];

/// How strict to be about addresses. Release builds use the default (https only); tests and
/// the throughput benchmark serve files from 127.0.0.1 and opt in to plain http there.
#[derive(Debug, Clone, Copy, Default)]
pub struct ManifestOptions {
    pub allow_loopback_http: bool,
}

/// One pinned, installable release for one node, OS and CPU.
#[derive(Debug, Clone)]
pub struct Release {
    node: String,
    version: Version,
    os: Os,
    arch: Arch,
    url: Url,
    size: u64,
    sha256: Sha256Digest,
    archive: ArchiveKind,
    executable: PathBuf,
    signature: Option<SignatureSpec>,
}

impl Release {
    pub fn node(&self) -> &str {
        &self.node
    }
    pub fn version(&self) -> &Version {
        &self.version
    }
    pub fn os(&self) -> Os {
        self.os
    }
    pub fn arch(&self) -> Arch {
        self.arch
    }
    pub fn url(&self) -> &Url {
        &self.url
    }
    /// The exact size of the download in bytes; more is refused.
    pub fn size(&self) -> u64 {
        self.size
    }
    pub fn sha256(&self) -> Sha256Digest {
        self.sha256
    }
    pub fn archive(&self) -> ArchiveKind {
        self.archive
    }
    /// The executable's path inside the archive (relative, no `..`).
    pub fn executable(&self) -> &Path {
        &self.executable
    }
    pub fn signature(&self) -> Option<&SignatureSpec> {
        self.signature.as_ref()
    }
}

/// A release a maintainer has not pinned yet (`placeholder = true`): it is listed so the app
/// can say "not available yet" instead of "unknown node", and it can never be installed.
#[derive(Debug, Clone)]
pub struct Placeholder {
    pub node: String,
    pub os: Os,
    pub arch: Arch,
}

/// A validated manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub releases: Vec<Release>,
    pub placeholders: Vec<Placeholder>,
    /// Where the manifest came from (a file, or `<built-in>/releases.toml`).
    pub origin: PathBuf,
}

/// Where `signature.key` names are looked up.
enum Keys<'a> {
    Dir(&'a Path),
    Embedded(&'static [(&'static str, &'static str)]),
}

impl Manifest {
    /// The manifest shipped inside Lightrig.
    pub fn builtin() -> Result<Manifest, ManifestError> {
        let origin = builtin_path(BUILTIN_NAME);
        parse(BUILTIN_TEXT, &origin, &Keys::Embedded(BUILTIN_KEYS), ManifestOptions::default())
    }

    /// Reads a manifest file. Keys named in `signature.key` are read from the same folder.
    pub fn load(path: &Path, options: ManifestOptions) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|e| ManifestError {
            location: SourceLocation { file: path.to_owned(), line: None, field: None },
            message: format!("cannot read the release manifest: {e}"),
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        parse(&text, path, &Keys::Dir(dir), options)
    }

    /// The newest pinned release of `node` for this OS and CPU.
    pub fn release(&self, node: &str, os: Os, arch: Arch) -> Result<&Release, InstallError> {
        self.find(node, os, arch, None)
    }

    /// The pinned release of `node` for this OS and CPU: `version` if given, else the newest.
    pub fn find(
        &self,
        node: &str,
        os: Os,
        arch: Arch,
        version: Option<&Version>,
    ) -> Result<&Release, InstallError> {
        let mut matching: Vec<&Release> = self
            .releases
            .iter()
            .filter(|r| r.node == node && r.os == os && r.arch == arch)
            .collect();
        matching.sort_by(|a, b| b.version.cmp(&a.version));
        if let Some(wanted) = version
            && !matching.is_empty()
        {
            return matching.iter().find(|r| r.version == *wanted).copied().ok_or_else(|| {
                let available: Vec<String> =
                    matching.iter().map(|r| r.version.to_string()).collect();
                InstallError::NoSuchVersion {
                    node: node.to_owned(),
                    version: wanted.to_string(),
                    os: os.name(),
                    arch: arch.name(),
                    available: available.join(", "),
                }
            });
        }
        match matching.first().copied() {
            Some(r) => Ok(r),
            None => {
                let unpinned = self
                    .placeholders
                    .iter()
                    .any(|p| p.node == node && p.os == os && p.arch == arch);
                let (node, os, arch) = (node.to_owned(), os.name(), arch.name());
                Err(if unpinned {
                    InstallError::NotPinned { node, os, arch }
                } else {
                    InstallError::NoRelease { node, os, arch }
                })
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    schema: u32,
    #[serde(default)]
    release: Vec<RawRelease>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    node: String,
    version: String,
    os: String,
    arch: String,
    url: String,
    size: u64,
    sha256: String,
    archive: String,
    executable: String,
    #[serde(default)]
    placeholder: bool,
    signature: Option<RawSignature>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignature {
    kind: String,
    checksums_url: String,
    signature_url: Option<String>,
    checksums_entry: Option<String>,
    key: String,
    fingerprint: String,
}

struct Ctx<'a> {
    src: &'a str,
    origin: &'a Path,
    options: ManifestOptions,
}

impl Ctx<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> ManifestError {
        ManifestError {
            location: SourceLocation {
                file: self.origin.to_owned(),
                line: locate(self.src, field),
                field: Some(field.to_owned()),
            },
            message: message.into(),
        }
    }

    fn url(&self, field: &str, text: &str) -> Result<Url, ManifestError> {
        let url = Url::parse(text).map_err(|e| self.err(field, format!("not an address: {e}")))?;
        check_url(&url, self.options.allow_loopback_http).map_err(|m| self.err(field, m))?;
        Ok(url)
    }
}

fn parse(
    src: &str,
    origin: &Path,
    keys: &Keys<'_>,
    options: ManifestOptions,
) -> Result<Manifest, ManifestError> {
    let raw: RawManifest = toml::from_str(src).map_err(|e| ManifestError {
        location: SourceLocation {
            file: origin.to_owned(),
            line: e.span().map(|s| line_of_offset(src, s.start)),
            field: None,
        },
        message: e.message().trim().to_owned(),
    })?;
    let cx = Ctx { src, origin, options };
    if raw.schema != MANIFEST_SCHEMA {
        return Err(cx.err(
            "schema",
            format!(
                "manifest format {} is not known to this Lightrig (it reads format {MANIFEST_SCHEMA}); update Lightrig",
                raw.schema
            ),
        ));
    }
    let mut manifest =
        Manifest { releases: Vec::new(), placeholders: Vec::new(), origin: origin.to_owned() };
    for (i, r) in raw.release.iter().enumerate() {
        let at = |k: &str| format!("release.{i}.{k}");
        if !is_node_id(&r.node) {
            return Err(cx.err(
                &at("node"),
                "use 1-40 lower-case letters, digits and `-`, starting with a letter",
            ));
        }
        let os = Os::from_name(&r.os).ok_or_else(|| {
            cx.err(&at("os"), format!("`{}` is not an OS: use linux, windows or macos", r.os))
        })?;
        let arch = Arch::from_name(&r.arch).ok_or_else(|| {
            cx.err(&at("arch"), format!("`{}` is not a CPU: use x86_64 or aarch64", r.arch))
        })?;
        if r.placeholder {
            manifest.placeholders.push(Placeholder { node: r.node.clone(), os, arch });
            continue;
        }
        let release = release(r, os, arch, keys, &cx, &at)?;
        if manifest.releases.iter().any(|o| {
            o.node == release.node && o.version == release.version && o.os == os && o.arch == arch
        }) {
            return Err(cx.err(&at("version"), "this node, version, OS and CPU is listed twice"));
        }
        manifest.releases.push(release);
    }
    Ok(manifest)
}

fn release(
    r: &RawRelease,
    os: Os,
    arch: Arch,
    keys: &Keys<'_>,
    cx: &Ctx<'_>,
    at: &dyn Fn(&str) -> String,
) -> Result<Release, ManifestError> {
    let version: Version = r.version.parse().map_err(|m: String| cx.err(&at("version"), m))?;
    let url = cx.url(&at("url"), &r.url)?;
    if r.size == 0 || r.size > MAX_RELEASE_SIZE {
        return Err(
            cx.err(&at("size"), "give the download's exact size in bytes (1 byte to 4 GiB)")
        );
    }
    let sha256 = r.sha256.parse().map_err(|m: String| cx.err(&at("sha256"), m))?;
    let archive = ArchiveKind::from_name(&r.archive).ok_or_else(|| {
        cx.err(
            &at("archive"),
            format!("`{}` is not an archive kind: use tar.gz, tar.bz2, zip or plain", r.archive),
        )
    })?;
    let executable = safe_relative(&r.executable).map_err(|m| {
        cx.err(
            &at("executable"),
            format!("give the executable's relative path inside the archive: {m}"),
        )
    })?;
    if archive == ArchiveKind::Plain && executable.components().count() != 1 {
        return Err(cx.err(
            &at("executable"),
            "a plain download is the executable itself: give just its file name",
        ));
    }
    let signature = match &r.signature {
        Some(s) => Some(signature(s, &url, keys, cx, at)?),
        None => None,
    };
    Ok(Release {
        node: r.node.clone(),
        version,
        os,
        arch,
        url,
        size: r.size,
        sha256,
        archive,
        executable,
        signature,
    })
}

fn signature(
    s: &RawSignature,
    url: &Url,
    keys: &Keys<'_>,
    cx: &Ctx<'_>,
    at: &dyn Fn(&str) -> String,
) -> Result<SignatureSpec, ManifestError> {
    let kind = match s.kind.as_str() {
        "openpgp-detached" => SignatureKind::OpenPgpDetached,
        "openpgp-cleartext" => SignatureKind::OpenPgpCleartext,
        other => {
            return Err(cx.err(
                &at("signature.kind"),
                format!(
                    "`{other}` is not a signature kind: use openpgp-detached or openpgp-cleartext"
                ),
            ));
        }
    };
    let checksums_url = cx.url(&at("signature.checksums_url"), &s.checksums_url)?;
    let signature_url = match (kind, &s.signature_url) {
        (SignatureKind::OpenPgpDetached, Some(u)) => {
            Some(cx.url(&at("signature.signature_url"), u)?)
        }
        (SignatureKind::OpenPgpDetached, None) => {
            return Err(cx.err(
                &at("signature"),
                "a detached signature needs `signature_url` (the .sig or .asc file)",
            ));
        }
        (SignatureKind::OpenPgpCleartext, Some(_)) => {
            return Err(cx.err(
                &at("signature.signature_url"),
                "a cleartext-signed list carries its own signature: remove `signature_url`",
            ));
        }
        (SignatureKind::OpenPgpCleartext, None) => None,
    };
    let entry = match &s.checksums_entry {
        Some(e) if !e.trim().is_empty() => e.trim().to_owned(),
        Some(_) => {
            return Err(cx.err(
                &at("signature.checksums_entry"),
                "give the file name as the checksum list spells it",
            ));
        }
        None => url
            .path_segments()
            .and_then(|mut segs| segs.next_back())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                cx.err(
                    &at("url"),
                    "the address must end with the file name, or set `signature.checksums_entry`",
                )
            })?,
    };
    let armored = read_key(&s.key, keys).map_err(|m| cx.err(&at("signature.key"), m))?;
    let key = PinnedKey::parse(&s.key, &armored, &s.fingerprint).map_err(|e| match e {
        super::signature::KeyProblem::Key(m) => cx.err(&at("signature.key"), m),
        super::signature::KeyProblem::Fingerprint(m) => cx.err(&at("signature.fingerprint"), m),
    })?;
    Ok(SignatureSpec { kind, checksums_url, signature_url, entry, key })
}

/// Key files are plain names (`xmrig.asc`) in the manifest's folder or in the built-in set:
/// a manifest cannot point at an arbitrary file on the machine, nor at a key on the network.
fn read_key(name: &str, keys: &Keys<'_>) -> Result<String, String> {
    let plain = !name.starts_with('.')
        && name.ends_with(".asc")
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !plain {
        return Err(format!("`{name}` is not a key file name: use a plain name ending in .asc"));
    }
    match keys {
        Keys::Dir(dir) => std::fs::read_to_string(dir.join(name))
            .map_err(|e| format!("cannot read the pinned key `{name}` next to the manifest: {e}")),
        Keys::Embedded(set) => set
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| format!("no built-in key is named `{name}`")),
    }
}
