//! Evil archives are refused with nothing left behind and nothing run. Each one is pinned with
//! its true hash: the attack comes from upstream (or a careless pin), so only unpacking can
//! stop it.

use std::path::Path;

use lightrig_core::installer::{InstallError, InstallOptions, Limits};

use super::fixtures::{Entry, Fx, Spec, archive, canary_script, tar_bz2, tar_gz, zip};

/// Installs `body` as demo 1.0.0 and returns the error, after checking that nothing was left
/// in the node's folder and no program ran.
async fn refused(fx: &Fx, kind: &str, body: &[u8], limits: Option<Limits>) -> InstallError {
    let file = format!("demo-1.0.0.{kind}");
    fx.server.file(&file, body);
    let mut installer = fx.installer();
    if let Some(l) = limits {
        installer = installer.with_limits(l);
    }
    let err = installer
        .install(&fx.release(&Spec::new(&file, kind, body)), InstallOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(fx.leftovers("demo").is_empty(), "left behind: {:?}", fx.leftovers("demo"));
    assert!(!fx.dir.path().join("ran").exists(), "a program from the archive was run");
    assert!(fx.installer().installed("demo").unwrap().is_empty());
    err
}

fn unsafe_reason(err: &InstallError) -> &str {
    match err {
        InstallError::UnsafeArchive { reason } => reason,
        other => panic!("expected an unsafe archive, got: {other}"),
    }
}

#[tokio::test]
async fn path_traversal_is_refused_in_every_archive_kind() {
    for kind in ["tar.gz", "tar.bz2", "zip"] {
        let fx = Fx::new().await;
        let canary = canary_script(&fx.dir.path().join("ran"));
        let entries = [
            Entry::File("demo-1.0.0/demo-node", &canary, 0o755),
            Entry::File("../../escaped", &canary, 0o755),
        ];
        let body = archive(kind, &entries);
        let err = refused(&fx, kind, &body, None).await;
        assert!(unsafe_reason(&err).contains("climbs out"), "{kind}: {err}");
        assert!(err.to_string().contains("it was not installed and nothing was run"));
        assert!(!fx.dir.path().join("escaped").exists() && !fx.nodes().join("escaped").exists());
    }
}

#[tokio::test]
async fn absolute_paths_are_refused() {
    let fx = Fx::new().await;
    let target = fx.dir.path().join("absolute-target");
    let name = target.to_str().unwrap().to_owned();
    let body = tar_gz(&[Entry::File(&name, b"x", 0o644)]);
    let err = refused(&fx, "tar.gz", &body, None).await;
    assert!(unsafe_reason(&err).contains("absolute path"), "{err}");
    assert!(!target.exists());
}

#[tokio::test]
async fn links_are_refused_even_before_a_file_is_written_through_them() {
    let fx = Fx::new().await;
    let outside = fx.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let link_target = outside.to_str().unwrap().to_owned();
    let body = tar_gz(&[
        Entry::Symlink("demo-1.0.0", &link_target),
        Entry::File("demo-1.0.0/demo-node", b"#!/bin/sh\n", 0o755),
    ]);
    let err = refused(&fx, "tar.gz", &body, None).await;
    assert!(unsafe_reason(&err).contains("link"), "{err}");
    assert!(std::fs::read_dir(&outside).unwrap().next().is_none(), "nothing written outside");

    let fx = Fx::new().await;
    let body = tar_gz(&[
        Entry::File("demo-1.0.0/demo-node", b"#!/bin/sh\n", 0o755),
        Entry::Hardlink("demo-1.0.0/passwd", "/etc/passwd"),
    ]);
    assert!(unsafe_reason(&refused(&fx, "tar.gz", &body, None).await).contains("link"));

    let fx = Fx::new().await;
    let body = tar_bz2(&[
        Entry::File("demo-1.0.0/demo-node", b"#!/bin/sh\n", 0o755),
        Entry::Symlink("demo-1.0.0/sh", "/bin/sh"),
    ]);
    assert!(unsafe_reason(&refused(&fx, "tar.bz2", &body, None).await).contains("link"));

    let fx = Fx::new().await;
    let body = zip(&[Entry::Symlink("demo-1.0.0/demo-node", "/bin/sh")]);
    assert!(unsafe_reason(&refused(&fx, "zip", &body, None).await).contains("link"));
}

#[tokio::test]
async fn archive_bombs_are_stopped_by_size_and_by_entry_count() {
    let small = Limits { max_unpacked_bytes: 1 << 20, max_entries: 20, ..Limits::default() };
    let zeros = vec![0u8; 4 << 20]; // compresses to a few KiB, unpacks to 4 MiB
    for kind in ["tar.gz", "tar.bz2", "zip"] {
        let fx = Fx::new().await;
        let entries = [Entry::File("demo-1.0.0/demo-node", &zeros, 0o755)];
        let body = archive(kind, &entries);
        assert!(body.len() < 64 * 1024, "the test archive is small: {}", body.len());
        let err = refused(&fx, kind, &body, Some(small)).await;
        assert!(unsafe_reason(&err).contains("archive bomb"), "{kind}: {err}");

        let fx = Fx::new().await;
        let names: Vec<String> = (0..50).map(|i| format!("demo-1.0.0/f{i}")).collect();
        let entries: Vec<Entry<'_>> = names.iter().map(|n| Entry::File(n, b"x", 0o644)).collect();
        let body = archive(kind, &entries);
        let err = refused(&fx, kind, &body, Some(small)).await;
        assert!(unsafe_reason(&err).contains("entries"), "{kind}: {err}");
    }
}

#[tokio::test]
async fn a_duplicate_entry_cannot_replace_a_file_already_written() {
    let fx = Fx::new().await;
    let canary = canary_script(&fx.dir.path().join("ran"));
    let body = tar_gz(&[
        Entry::File("demo-1.0.0/demo-node", b"#!/bin/sh\necho good\n", 0o755),
        Entry::File("demo-1.0.0/demo-node", &canary, 0o755),
    ]);
    assert!(unsafe_reason(&refused(&fx, "tar.gz", &body, None).await).contains("twice"));
}

#[tokio::test]
async fn an_archive_without_the_executable_or_that_is_not_an_archive_is_refused() {
    let fx = Fx::new().await;
    let body = tar_gz(&[Entry::File("demo-1.0.0/other", b"x", 0o755)]);
    let err = refused(&fx, "tar.gz", &body, None).await;
    assert!(
        matches!(err, InstallError::ExecutableMissing { ref path } if path == Path::new("demo-1.0.0/demo-node")),
        "{err}"
    );

    for kind in ["zip", "tar.bz2"] {
        let fx = Fx::new().await;
        let err = refused(&fx, kind, b"this is not an archive at all", None).await;
        assert!(matches!(err, InstallError::BadArchive { .. }), "{kind}: {err}");
    }
}
