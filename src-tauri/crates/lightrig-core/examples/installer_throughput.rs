//! How much the installer's safety costs: installs a 50 MiB release from a server on 127.0.0.1
//! (streamed download, SHA-256 while streaming, size cap, fsync, hash check, move into place)
//! and compares it with a plain copy of the same bytes between two files followed by an fsync,
//! the least any install has to do. Reports the best of several runs of each.
//!
//! A second line gives context: a bare download into a file with an fsync (no hash, no cap,
//! no resume) from the same server, and SHA-256 alone over the bytes in memory. On a small
//! machine the bare download, not the verification, is what separates an install from a copy.
//!
//! `cargo run --release -p lightrig-core --example installer_throughput`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a failure should stop it loudly

use std::time::{Duration, Instant};

use lightrig_core::installer::{
    InstallOptions, Installer, Manifest, ManifestOptions, Sha256Digest, verify_before_launch,
};

const SIZE: usize = 50 << 20;
const RUNS: usize = 5;

fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

#[tokio::main]
async fn main() {
    let scratch = tempfile::Builder::new().prefix("installer-throughput-").tempdir().unwrap();
    let payload = bytes::Bytes::from(noise(SIZE));
    let source = scratch.path().join("payload.bin");
    std::fs::write(&source, &payload).unwrap();

    let served = payload.clone();
    let app = axum::Router::new()
        .route("/payload.bin", axum::routing::get(move || async move { served.clone() }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let manifest = scratch.path().join("bench.toml");
    let text = format!(
        "schema = 1\n[[release]]\nnode = \"bench\"\nversion = \"1.0.0\"\nos = \"{}\"\narch = \"{}\"\nurl = \"http://{addr}/payload.bin\"\nsize = {SIZE}\nsha256 = \"{}\"\narchive = \"plain\"\nexecutable = \"bench-node\"\n",
        std::env::consts::OS,
        std::env::consts::ARCH,
        Sha256Digest::of(&payload),
    );
    std::fs::write(&manifest, text).unwrap();
    let options = ManifestOptions { allow_loopback_http: true };
    let release = Manifest::load(&manifest, options).unwrap().releases.remove(0);

    let mut install_best = Duration::MAX;
    let mut copy_best = Duration::MAX;
    let mut bare_best = Duration::MAX;
    let mut hash_best = Duration::MAX;
    let client = reqwest::Client::new();
    let url = format!("http://{addr}/payload.bin");
    for run in 0..RUNS {
        let nodes = scratch.path().join(format!("nodes-{run}"));
        let installer = Installer::new(&nodes).allow_loopback_http(true);
        let started = Instant::now();
        let installed =
            installer.install(&release, InstallOptions::default(), |_| {}).await.unwrap();
        install_best = install_best.min(started.elapsed());
        verify_before_launch(&installed).unwrap();
        std::fs::remove_dir_all(&nodes).unwrap();

        let target = scratch.path().join(format!("copy-{run}.bin"));
        let started = Instant::now();
        std::fs::copy(&source, &target).unwrap();
        std::fs::File::open(&target).unwrap().sync_all().unwrap();
        copy_best = copy_best.min(started.elapsed());
        std::fs::remove_file(&target).unwrap();

        let started = Instant::now();
        bare_download(&client, &url, &target).await;
        bare_best = bare_best.min(started.elapsed());
        std::fs::remove_file(&target).unwrap();

        let started = Instant::now();
        std::hint::black_box(Sha256Digest::of(&payload));
        hash_best = hash_best.min(started.elapsed());
    }

    let mib = SIZE as f64 / f64::from(1u32 << 20);
    let install_rate = mib / install_best.as_secs_f64();
    let copy_rate = mib / copy_best.as_secs_f64();
    println!(
        "installer_throughput bytes={SIZE} download_verify_mib_s={install_rate:.1} plain_copy_mib_s={copy_rate:.1} ratio={:.2}",
        install_rate / copy_rate
    );
    println!(
        "installer_throughput_context bare_download_fsync_mib_s={:.1} sha256_only_mib_s={:.1}",
        mib / bare_best.as_secs_f64(),
        mib / hash_best.as_secs_f64()
    );
}

/// What any downloader does at least: stream the body into a file and fsync it.
async fn bare_download(client: &reqwest::Client, url: &str, target: &std::path::Path) {
    use std::io::Write;
    let mut resp = client.get(url).send().await.unwrap();
    let mut file = std::fs::File::create(target).unwrap();
    while let Some(chunk) = resp.chunk().await.unwrap() {
        file.write_all(&chunk).unwrap();
    }
    file.sync_all().unwrap();
}
