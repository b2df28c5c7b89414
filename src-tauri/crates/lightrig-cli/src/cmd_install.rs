//! `lightrig install`, `lightrig adopt` and `lightrig installed`: node programs that Lightrig
//! downloads and verifies, or that the user already has. Either way the program's hash is
//! recorded, and checked again before every launch.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use lightrig_core::api::{AvailableRelease, NodeInstallView, node_install_views};
use lightrig_core::installer::{
    self, InstallError, InstallOptions, Installed, Installer, Manifest, ManifestOptions, Progress,
    Version,
};
use lightrig_core::paths::Paths;

use crate::exit;
use crate::output;

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// The node to install, e.g. `xmrig` (`lightrig installed` lists them).
    node: String,
    /// Install this pinned version instead of the newest.
    #[arg(long, value_name = "VERSION")]
    version: Option<Version>,
    /// Allow a version older than the highest one installed before (refused otherwise, as an
    /// old release offered again is a known attack).
    #[arg(long)]
    allow_downgrade: bool,
    #[command(flatten)]
    test: TestManifest,
}

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// The node this program is for, e.g. `monerod`.
    node: String,
    /// The program, e.g. /usr/bin/monerod.
    path: PathBuf,
}

#[derive(Debug, Args)]
pub struct InstalledArgs {
    #[command(flatten)]
    test: TestManifest,
}

/// For tests only: a release manifest served from 127.0.0.1 instead of the one built into
/// Lightrig. Hidden from `--help`.
#[derive(Debug, Args)]
struct TestManifest {
    /// Read the release manifest from FILE (keys next to it) instead of the built-in one.
    #[arg(long, value_name = "FILE", hide = true)]
    manifest: Option<PathBuf>,
    /// Accept plain http from 127.0.0.1, in the manifest and for the download.
    #[arg(long, hide = true)]
    allow_loopback_http: bool,
}

impl TestManifest {
    fn load(&self) -> Result<Manifest, InstallError> {
        let options = ManifestOptions { allow_loopback_http: self.allow_loopback_http };
        Ok(match &self.manifest {
            Some(path) => Manifest::load(path, options)?,
            None => Manifest::builtin()?,
        })
    }
}

/// The exit code for an install error: what the user asked cannot be done (2), Lightrig's
/// files cannot be used (3), or the install failed (1).
fn code_of(e: &InstallError) -> u8 {
    match e {
        InstallError::Manifest(_)
        | InstallError::NoRelease { .. }
        | InstallError::NotPinned { .. }
        | InstallError::NoSuchVersion { .. }
        | InstallError::UnsupportedPlatform
        | InstallError::BadNodeId { .. }
        | InstallError::Downgrade { .. }
        | InstallError::NotExecutable { .. }
        | InstallError::Missing { .. } => exit::USAGE,
        InstallError::Io { .. } | InstallError::Record { .. } => exit::FILES,
        _ => exit::FAILED,
    }
}

fn failed(json: bool, e: &InstallError) -> u8 {
    output::fail(json, e.code(), &e.to_string());
    code_of(e)
}

fn installer(data_dir: Option<&Path>, json: bool) -> Result<(Paths, Installer), u8> {
    let paths = Paths::resolve(data_dir).map_err(|e| {
        output::fail(json, "files.unusable", &e.to_string());
        exit::FILES
    })?;
    let installer = Installer::new(installer::nodes_dir(&paths));
    Ok((paths, installer))
}

/// "812 B", "64.0 KiB", "48.3 MiB".
fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", b / 1024.0),
        _ => format!("{:.1} MiB", b / 1_048_576.0),
    }
}

fn short(sha256: &str) -> &str {
    sha256.get(..16).unwrap_or(sha256)
}

pub fn install(data_dir: Option<PathBuf>, json: bool, args: InstallArgs) -> u8 {
    let (_paths, installer) = match installer(data_dir.as_deref(), json) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let installer = installer.allow_loopback_http(args.test.allow_loopback_http);
    let manifest = match args.test.load() {
        Ok(m) => m,
        Err(e) => return failed(json, &e),
    };
    let (_guard, rt) = match output::runtime(data_dir.as_deref(), json) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let options = InstallOptions { allow_downgrade: args.allow_downgrade };
    let mut line = ProgressLine::new(&args.node, json);
    let result = rt.block_on(lightrig_core::api::install_node(
        &installer,
        &manifest,
        &args.node,
        args.version.as_ref(),
        options,
        |p| line.show(&p),
    ));
    line.end();
    match result {
        Ok(done) => {
            report_installed(json, &done);
            exit::OK
        }
        Err(e) => failed(json, &e),
    }
}

fn report_installed(json: bool, done: &Installed) {
    let version = match &done.source {
        installer::InstalledSource::Managed { version, .. } => version.clone(),
        installer::InstalledSource::Adopted => String::new(),
    };
    let sha = done.fingerprint.sha256.to_string();
    if json {
        output::print_json(&serde_json::json!({
            "event": "installed",
            "node": done.node,
            "version": version,
            "path": done.executable,
            "sha256": sha,
            "size": done.fingerprint.size,
        }));
    } else {
        println!(
            "installed {} {version} at {} (sha256 {}…); it is checked before every launch",
            done.node,
            done.executable.display(),
            short(&sha)
        );
    }
}

/// Download progress on stderr: bytes, total and rate, rewritten in place on a terminal and
/// printed about once a second otherwise. With `--json`, one event per report on stdout.
struct ProgressLine<'a> {
    node: &'a str,
    json: bool,
    tty: bool,
    last: Option<Instant>,
    shown: bool,
}

impl<'a> ProgressLine<'a> {
    fn new(node: &'a str, json: bool) -> Self {
        ProgressLine { node, json, tty: std::io::stderr().is_terminal(), last: None, shown: false }
    }

    fn show(&mut self, p: &Progress) {
        if self.json {
            output::print_json(&serde_json::json!({
                "event": "progress",
                "node": self.node,
                "bytes": p.bytes,
                "total": p.total,
                "rate_bytes_per_s": p.rate_bytes_per_s,
            }));
            return;
        }
        let due = self.last.is_none_or(|l| l.elapsed() >= Duration::from_secs(1));
        if !self.tty && !due && p.bytes < p.total {
            return;
        }
        self.last = Some(Instant::now());
        let percent = (p.bytes * 100).checked_div(p.total).unwrap_or(0);
        let text = format!(
            "{}: {} of {} ({percent}%) · {}/s",
            self.node,
            size(p.bytes),
            size(p.total),
            size(p.rate_bytes_per_s as u64)
        );
        if self.tty {
            eprint!("\r\x1b[2K{text}");
            let _ = std::io::stderr().flush();
            self.shown = true;
        } else {
            eprintln!("{text}");
        }
    }

    fn end(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

pub fn adopt(data_dir: Option<&Path>, json: bool, args: &AdoptArgs) -> u8 {
    let (_paths, installer) = match installer(data_dir, json) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let path = std::path::absolute(&args.path).unwrap_or_else(|_| args.path.clone());
    match installer.adopt_existing(&args.node, &path) {
        Ok(done) => {
            let sha = done.fingerprint.sha256.to_string();
            if json {
                output::print_json(&serde_json::json!({
                    "event": "adopted",
                    "node": done.node,
                    "path": done.executable,
                    "sha256": sha,
                    "size": done.fingerprint.size,
                }));
            } else {
                println!(
                    "{} will run {} (sha256 {}…, {}); it is checked before every launch, and a change asks you again",
                    done.node,
                    done.executable.display(),
                    short(&sha),
                    size(done.fingerprint.size)
                );
            }
            exit::OK
        }
        Err(e) => failed(json, &e),
    }
}

pub fn installed(data_dir: Option<&Path>, json: bool, args: &InstalledArgs) -> u8 {
    let (_paths, installer) = match installer(data_dir, json) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let manifest = match args.test.load() {
        Ok(m) => m,
        Err(e) => return failed(json, &e),
    };
    let catalog = match lightrig_core::engine::catalog(data_dir) {
        Ok(c) => c,
        Err(e) => return output::engine_error(json, &e),
    };
    let views = node_install_views(&installer, &manifest, &catalog, true);
    if json {
        output::print_json(&serde_json::json!({ "nodes": views }));
    } else if views.is_empty() {
        println!(
            "no node programs yet: `lightrig install <node>` or `lightrig adopt <node> <path>`"
        );
    } else {
        for v in &views {
            print_node(v);
        }
    }
    exit::OK
}

fn print_node(v: &NodeInstallView) {
    let available = match &v.available {
        AvailableRelease::Pinned { version, size: bytes, .. } => {
            format!("Lightrig can install {version} ({})", size(*bytes))
        }
        AvailableRelease::NotPinned => "not pinned yet".to_owned(),
        AvailableRelease::None => "no release for this computer".to_owned(),
    };
    let uses = match v.uses.as_deref() {
        Some("adopted") => "runs the program you chose",
        Some(_) => "runs the installed program",
        None => "nothing installed or chosen",
    };
    println!("{:<12} {uses} · {available}", v.node);
    if let Some(a) = &v.adopted {
        println!("  chosen     {}  sha256 {}…", a.path, short(&a.sha256));
    }
    for (i, b) in v.installed.iter().enumerate() {
        let role = if i == 0 { "current" } else { "rollback" };
        let version = b.version.as_deref().unwrap_or("-");
        println!("  {version:<10} {}  sha256 {}…  ({role})", b.path, short(&b.sha256));
    }
    if let (None, Some(found)) = (&v.adopted, &v.on_path) {
        println!("  on PATH    {found}  (recorded when first started)");
    }
}
