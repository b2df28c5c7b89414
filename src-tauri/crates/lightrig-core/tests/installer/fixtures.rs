//! Test material made on the spot: OpenPGP test keys, signed checksum lists, good and evil
//! archives, manifests pointing at the local server, and a sandbox folder per test.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use lightrig_core::installer::{
    Installer, Limits, Manifest, ManifestOptions, Release, Sha256Digest,
};
use pgp::composed::{
    ArmorOptions, CleartextSignedMessage, DetachedSignature, KeyType, SecretKeyParamsBuilder,
    SignedPublicKey, SignedSecretKey,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::types::{KeyDetails, Password};

use super::server::Server;

/// The program inside the good archives: prints its version, and nothing else.
pub fn node_script(version: &str) -> Vec<u8> {
    format!("#!/bin/sh\necho \"demo-node {version}\"\n").into_bytes()
}

/// A program that leaves a mark if anything ever runs it. Evil archives carry it, and tests
/// check the mark never appears.
pub fn canary_script(mark: &Path) -> Vec<u8> {
    format!("#!/bin/sh\ntouch '{}'\n", mark.display()).into_bytes()
}

pub struct TestKey {
    pub secret: SignedSecretKey,
    pub public_armored: String,
    pub fingerprint: String,
}

impl TestKey {
    pub fn generate(name: &str) -> TestKey {
        let mut params = SecretKeyParamsBuilder::default();
        params
            .key_type(KeyType::Ed25519Legacy)
            .can_certify(true)
            .can_sign(true)
            .primary_user_id(format!("{name} <{name}@test.invalid>"));
        let secret = params.build().unwrap().generate(pgp_rand::thread_rng()).unwrap();
        let public = SignedPublicKey::from(secret.clone());
        let public_armored = public.to_armored_string(ArmorOptions::default()).unwrap();
        let fingerprint = format!("{:X}", public.fingerprint());
        TestKey { secret, public_armored, fingerprint }
    }

    pub fn detached(&self, data: &[u8]) -> Vec<u8> {
        let sig = DetachedSignature::sign_binary_data(
            pgp_rand::thread_rng(),
            &self.secret.primary_key,
            &Password::empty(),
            HashAlgorithm::Sha256,
            data,
        )
        .unwrap();
        sig.to_armored_string(ArmorOptions::default()).unwrap().into_bytes()
    }

    pub fn cleartext(&self, text: &str) -> Vec<u8> {
        let msg = CleartextSignedMessage::sign(
            pgp_rand::thread_rng(),
            text,
            &self.secret.primary_key,
            &Password::empty(),
        )
        .unwrap();
        msg.to_armored_string(ArmorOptions::default()).unwrap().into_bytes()
    }
}

/// One archive entry, including the kinds an attacker would use.
pub enum Entry<'a> {
    File(&'a str, &'a [u8], u32),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
    Hardlink(&'a str, &'a str),
}

/// Builds a tar.gz from raw headers, so names like `../x` and `/etc/x` can be written as is.
pub fn tar_gz(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar(entries)).unwrap();
    gz.finish().unwrap()
}

/// The same tar, compressed with bzip2 (Monero's release format).
pub fn tar_bz2(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    bz.write_all(&tar(entries)).unwrap();
    bz.finish().unwrap()
}

/// An archive of `kind` (tar.gz, tar.bz2 or zip) holding `entries`.
pub fn archive(kind: &str, entries: &[Entry<'_>]) -> Vec<u8> {
    match kind {
        "zip" => zip(entries),
        "tar.bz2" => tar_bz2(entries),
        "tar.gz" => tar_gz(entries),
        other => panic!("no test archives of kind {other}"),
    }
}

fn tar(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        let (name, data, kind, mode, link): (&str, &[u8], tar::EntryType, u32, Option<&str>) =
            match e {
                Entry::File(n, d, m) => (n, d, tar::EntryType::Regular, *m, None),
                Entry::Dir(n) => (n, &[], tar::EntryType::Directory, 0o755, None),
                Entry::Symlink(n, t) => (n, &[], tar::EntryType::Symlink, 0o777, Some(t)),
                Entry::Hardlink(n, t) => (n, &[], tar::EntryType::Link, 0o644, Some(t)),
            };
        {
            let gnu = h.as_gnu_mut().unwrap();
            gnu.name[..name.len()].copy_from_slice(name.as_bytes());
            if let Some(t) = link {
                gnu.linkname[..t.len()].copy_from_slice(t.as_bytes());
            }
        }
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_size(data.len() as u64);
        h.set_cksum();
        b.append(&h, data).unwrap();
    }
    b.into_inner().unwrap()
}

pub fn zip(entries: &[Entry<'_>]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for e in entries {
        match e {
            Entry::File(n, d, m) => {
                let o = SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .unix_permissions(*m);
                w.start_file(*n, o).unwrap();
                w.write_all(d).unwrap();
            }
            Entry::Dir(n) => w.add_directory(*n, SimpleFileOptions::default()).unwrap(),
            Entry::Symlink(n, t) => w.add_symlink(*n, *t, SimpleFileOptions::default()).unwrap(),
            Entry::Hardlink(..) => panic!("zip has no hard links"),
        }
    }
    w.finish().unwrap().into_inner()
}

/// A sandbox: a scratch folder, a server, a pinned test key and an installer.
pub struct Fx {
    pub dir: tempfile::TempDir,
    pub server: Server,
    pub key: TestKey,
}

/// What a test release looks like in its manifest.
pub struct Spec<'a> {
    pub node: &'a str,
    pub version: &'a str,
    /// The file served, under this name.
    pub file: &'a str,
    pub kind: &'a str,
    pub executable: &'a str,
    /// Pinned hash and size of the file (default: the real ones).
    pub sha256: Sha256Digest,
    pub size: u64,
    /// Extra TOML for `[release.signature]`, if any.
    pub signature: Option<String>,
}

impl<'a> Spec<'a> {
    pub fn new(file: &'a str, kind: &'a str, body: &[u8]) -> Spec<'a> {
        Spec {
            node: "demo",
            version: "1.0.0",
            file,
            kind,
            executable: "demo-1.0.0/demo-node",
            sha256: Sha256Digest::of(body),
            size: body.len() as u64,
            signature: None,
        }
    }
}

impl Fx {
    pub async fn new() -> Fx {
        let base = std::env::temp_dir().join("lightrig-installer-tests");
        std::fs::create_dir_all(&base).unwrap();
        let dir = tempfile::Builder::new().prefix("fx-").tempdir_in(base).unwrap();
        Fx { dir, server: Server::start().await, key: TestKey::generate("upstream") }
    }

    pub fn nodes(&self) -> PathBuf {
        self.dir.path().join("nodes")
    }

    pub fn installer(&self) -> Installer {
        Installer::new(self.nodes()).allow_loopback_http(true).with_limits(Limits {
            retry_delay: std::time::Duration::from_millis(10),
            stall_timeout: std::time::Duration::from_secs(5),
            ..Limits::default()
        })
    }

    /// The manifest TOML of `spec`, pointing at this server.
    pub fn manifest_text(&self, spec: &Spec<'_>) -> String {
        let mut text = format!(
            "schema = 1\n\n[[release]]\nnode = \"{}\"\nversion = \"{}\"\nos = \"{}\"\narch = \"{}\"\nurl = \"{}\"\nsize = {}\nsha256 = \"{}\"\narchive = \"{}\"\nexecutable = \"{}\"\n",
            spec.node,
            spec.version,
            std::env::consts::OS,
            std::env::consts::ARCH,
            self.server.url(spec.file),
            spec.size,
            spec.sha256,
            spec.kind,
            spec.executable,
        );
        if let Some(sig) = &spec.signature {
            text.push_str("\n[release.signature]\n");
            text.push_str(sig);
        }
        text
    }

    /// Writes the manifest and the pinned public key, then loads it the way the app would.
    pub fn release(&self, spec: &Spec<'_>) -> Release {
        let mdir = self.dir.path().join("manifest");
        std::fs::create_dir_all(&mdir).unwrap();
        std::fs::write(mdir.join("upstream.asc"), &self.key.public_armored).unwrap();
        let path = mdir.join(format!("{}-{}.toml", spec.node, spec.version));
        std::fs::write(&path, self.manifest_text(spec)).unwrap();
        let options = ManifestOptions { allow_loopback_http: true };
        let m = Manifest::load(&path, options).unwrap_or_else(|e| panic!("{e}"));
        m.releases.into_iter().next().unwrap()
    }

    /// Everything left in the node's folder, except the lock file: used to show that a refused
    /// install left nothing behind.
    pub fn leftovers(&self, node: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.nodes().join(node))
            .map(|rd| rd.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.retain(|n| n != ".lock");
        names.sort();
        names
    }
}

/// The good archive of `version` in the given format.
pub fn good_archive(kind: &str, version: &str) -> Vec<u8> {
    let dir = format!("demo-{version}/");
    let exe = format!("demo-{version}/demo-node");
    let readme = format!("demo-{version}/README");
    let script = node_script(version);
    let entries = [
        Entry::Dir(&dir),
        Entry::File(&exe, &script, 0o755),
        Entry::File(&readme, b"a demo node\n", 0o644),
    ];
    archive(kind, &entries)
}

/// Bytes gzip cannot shrink, so an archive is as large as its payload.
pub fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Runs an installed program with `--version` and returns what it printed.
pub fn run_version(exe: &Path) -> String {
    let out = std::process::Command::new(exe).arg("--version").output().unwrap();
    assert!(out.status.success(), "the installed program failed: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}
