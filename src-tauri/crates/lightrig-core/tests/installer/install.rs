//! Good releases install and run; a bad hash, a downgrade or a failure never disturbs what is
//! already installed; the previous version is kept for rollback.

use std::sync::{Arc, Mutex};

use lightrig_core::installer::{
    InstallError, InstallOptions, InstalledSource, Progress, Sha256Digest, verify_before_launch,
};

use super::fixtures::{Entry, Fx, Spec, good_archive, node_script, noise, run_version, tar_gz};

async fn install_version(fx: &Fx, version: &str) -> lightrig_core::installer::Installed {
    let body = good_archive("tar.gz", version);
    let file = format!("demo-{version}.tar.gz");
    fx.server.file(&file, &body);
    let exe = format!("demo-{version}/demo-node");
    let spec = Spec { version, executable: &exe, ..Spec::new(&file, "tar.gz", &body) };
    fx.installer().install(&fx.release(&spec), InstallOptions::default(), |_| {}).await.unwrap()
}

#[tokio::test]
async fn tar_gz_release_installs_runs_and_reports_progress_to_the_total() {
    let fx = Fx::new().await;
    // Large enough to arrive in many chunks, so the last report is not also the first.
    let (script, payload) = (node_script("1.0.0"), noise(2 << 20));
    let body = tar_gz(&[
        Entry::File("demo-1.0.0/demo-node", &script, 0o755),
        Entry::File("demo-1.0.0/payload.bin", &payload, 0o644),
    ]);
    fx.server.file("demo-1.0.0.tar.gz", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let events: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = events.clone();
    let installed = fx
        .installer()
        .install(&release, InstallOptions::default(), move |p| sink.lock().unwrap().push(p))
        .await
        .unwrap();

    assert_eq!(installed.executable, fx.nodes().join("demo/1.0.0/demo-1.0.0/demo-node"));
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    assert!(
        matches!(installed.source, InstalledSource::Managed { ref version, serial: 1 } if version == "1.0.0")
    );
    assert_eq!(fx.leftovers("demo"), ["1.0.0", "highest.json"], "no .part or staging left");

    let events = events.lock().unwrap();
    assert!(!events.is_empty(), "progress was reported");
    assert!(events.windows(2).all(|w| w[0].bytes <= w[1].bytes), "progress never goes back");
    let last = events.last().unwrap();
    assert_eq!((last.bytes, last.total), (body.len() as u64, body.len() as u64));
    assert!(last.rate_bytes_per_s > 0.0);
}

#[tokio::test]
async fn zip_release_installs_and_runs() {
    let fx = Fx::new().await;
    let body = good_archive("zip", "1.0.0");
    fx.server.file("demo-1.0.0.zip", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.zip", "zip", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    let readme = installed.executable.parent().unwrap().join("README");
    assert_eq!(std::fs::read_to_string(readme).unwrap(), "a demo node\n");
}

/// Monero's Linux and macOS builds are .tar.bz2.
#[tokio::test]
async fn tar_bz2_release_installs_and_runs() {
    let fx = Fx::new().await;
    let body = good_archive("tar.bz2", "1.0.0");
    assert_eq!(&body[..3], b"BZh", "a real bzip2 stream");
    fx.server.file("demo-1.0.0.tar.bz2", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.bz2", "tar.bz2", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    let readme = installed.executable.parent().unwrap().join("README");
    assert_eq!(std::fs::read_to_string(readme).unwrap(), "a demo node\n");
}

#[tokio::test]
async fn plain_download_installs_as_an_executable() {
    let fx = Fx::new().await;
    let body = super::fixtures::node_script("2.0.0");
    fx.server.file("demo-node", &body);
    let spec = Spec { executable: "demo-node", ..Spec::new("demo-node", "plain", &body) };
    let installed = fx
        .installer()
        .install(&fx.release(&spec), InstallOptions::default(), |_| {})
        .await
        .unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 2.0.0");
}

#[tokio::test]
async fn wrong_hash_is_refused_and_the_previous_version_stays() {
    let fx = Fx::new().await;
    let before = install_version(&fx, "1.0.0").await;

    let body = good_archive("tar.gz", "1.1.0");
    fx.server.file("demo-1.1.0.tar.gz", &body);
    let spec = Spec {
        version: "1.1.0",
        executable: "demo-1.1.0/demo-node",
        sha256: Sha256Digest::of(b"the file the maintainers pinned"),
        ..Spec::new("demo-1.1.0.tar.gz", "tar.gz", &body)
    };
    let err = fx
        .installer()
        .install(&fx.release(&spec), InstallOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, InstallError::ChecksumMismatch { .. }), "{err}");
    assert!(err.to_string().contains("does not match the published one"), "{err}");
    assert!(err.to_string().contains("nothing was run"), "{err}");

    assert_eq!(fx.leftovers("demo"), ["1.0.0", "highest.json"], "nothing of 1.1.0 is left");
    let installed = fx.installer().installed("demo").unwrap();
    assert_eq!(installed, std::slice::from_ref(&before));
    assert_eq!(run_version(&verify_before_launch(&before).unwrap()), "demo-node 1.0.0");
}

#[tokio::test]
async fn a_lower_version_is_refused_before_any_download_unless_explicitly_allowed() {
    let fx = Fx::new().await;
    install_version(&fx, "1.1.0").await;

    let body = good_archive("tar.gz", "1.0.0");
    fx.server.file("demo-1.0.0.tar.gz", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let err =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap_err();
    assert!(
        matches!(err, InstallError::Downgrade { ref installed, .. } if installed == "1.1.0"),
        "{err}"
    );
    assert!(fx.server.seen("demo-1.0.0.tar.gz").is_empty(), "nothing was downloaded");

    let allow = InstallOptions { allow_downgrade: true };
    let old = fx.installer().install(&release, allow, |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&old).unwrap()), "demo-node 1.0.0");
    let current = &fx.installer().installed("demo").unwrap()[0];
    assert_eq!(current, &old, "the explicitly chosen older release is current");
}

#[tokio::test]
async fn the_high_water_mark_survives_removal_of_the_newer_folder() {
    let fx = Fx::new().await;
    install_version(&fx, "1.1.0").await;
    std::fs::remove_dir_all(fx.nodes().join("demo/1.1.0")).unwrap();
    let body = good_archive("tar.gz", "1.0.0");
    fx.server.file("demo-1.0.0.tar.gz", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let err =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap_err();
    assert!(matches!(err, InstallError::Downgrade { .. }), "{err}");
}

#[tokio::test]
async fn the_previous_version_is_kept_for_rollback_and_older_ones_removed() {
    let fx = Fx::new().await;
    install_version(&fx, "1.0.0").await;
    install_version(&fx, "1.1.0").await;
    install_version(&fx, "1.2.0").await;
    let versions: Vec<String> = fx
        .installer()
        .installed("demo")
        .unwrap()
        .into_iter()
        .map(|i| match i.source {
            InstalledSource::Managed { version, .. } => version,
            InstalledSource::Adopted => unreachable!(),
        })
        .collect();
    assert_eq!(versions, ["1.2.0", "1.1.0"]);
    assert!(!fx.nodes().join("demo/1.0.0").exists());

    // Reinstalling the current version repairs it in place.
    let again = install_version(&fx, "1.2.0").await;
    assert_eq!(run_version(&verify_before_launch(&again).unwrap()), "demo-node 1.2.0");
    assert_eq!(fx.installer().installed("demo").unwrap().len(), 2);
}
