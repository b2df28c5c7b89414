//! Cut-off transfers resume with Range (or restart when ranges are not supported), oversize
//! downloads are stopped, and a partial file is never taken for a complete one.

use lightrig_core::installer::{InstallError, InstallOptions, verify_before_launch};

use super::fixtures::{Entry, Fx, Spec, node_script, noise, run_version, tar_gz};
use super::server::Serve;

/// A good archive of about 600 KB.
fn big_archive() -> Vec<u8> {
    let script = node_script("1.0.0");
    let payload = noise(600_000);
    tar_gz(&[
        Entry::File("demo-1.0.0/demo-node", &script, 0o755),
        Entry::File("demo-1.0.0/data.bin", &payload, 0o644),
    ])
}

const FILE: &str = "demo-1.0.0.tar.gz";

#[tokio::test]
async fn a_cut_download_resumes_with_a_range_request() {
    let fx = Fx::new().await;
    let body = big_archive();
    fx.server.put(
        FILE,
        Serve {
            body: body.clone(),
            ranges: true,
            cut_times: 1,
            cut_at: 200_000,
            ..Serve::default()
        },
    );
    let release = fx.release(&Spec::new(FILE, "tar.gz", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");

    let seen = fx.server.seen(FILE);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!((seen[0].range.as_deref(), seen[0].status), (None, 200));
    let from: u64 = seen[1]
        .range
        .as_deref()
        .unwrap()
        .strip_prefix("bytes=")
        .unwrap()
        .trim_end_matches('-')
        .parse()
        .unwrap();
    assert!(from > 0 && from <= 200_000, "resumed from {from}");
    assert_eq!(seen[1].status, 206);
}

#[tokio::test]
async fn a_cut_download_restarts_cleanly_when_the_server_has_no_ranges() {
    let fx = Fx::new().await;
    let body = big_archive();
    fx.server.put(
        FILE,
        Serve {
            body: body.clone(),
            ranges: false,
            cut_times: 1,
            cut_at: 200_000,
            ..Serve::default()
        },
    );
    let release = fx.release(&Spec::new(FILE, "tar.gz", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    let seen = fx.server.seen(FILE);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[1].range.is_some(), "a resume was tried");
    assert_eq!(seen[1].status, 200, "the server sent the whole file again, and that was used");
}

#[tokio::test]
async fn a_download_cut_every_time_is_kept_and_resumed_by_the_next_install() {
    let fx = Fx::new().await;
    let body = big_archive();
    // Each attempt gets 100 KB further; the installer makes 4 attempts per call.
    fx.server.put(
        FILE,
        Serve {
            body: body.clone(),
            ranges: true,
            cut_times: 4,
            cut_at: 100_000,
            ..Serve::default()
        },
    );
    let release = fx.release(&Spec::new(FILE, "tar.gz", &body));
    let err =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("the download was cut off") && text.contains("Lightrig will resume it"),
        "{text}"
    );
    let InstallError::Interrupted { received, total, .. } = err else { panic!("{text}") };
    assert!(received >= 300_000 && received < total, "{received} of {total}");
    assert!(
        fx.installer().installed("demo").unwrap().is_empty(),
        "a partial file is not an install"
    );
    let parts: Vec<String> =
        fx.leftovers("demo").into_iter().filter(|n| n.ends_with(".part")).collect();
    assert_eq!(parts.len(), 1, "the partial file is kept to resume");

    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    let last = fx.server.seen(FILE).pop().unwrap();
    assert_eq!(last.range, Some(format!("bytes={received}-")), "the next install resumed");
    assert_eq!(fx.leftovers("demo"), ["1.0.0", "highest.json"]);
}

#[tokio::test]
async fn a_bad_resume_answer_restarts_from_zero() {
    let fx = Fx::new().await;
    let body = big_archive();
    fx.server.put(
        FILE,
        Serve {
            body: body.clone(),
            ranges: true,
            cut_times: 1,
            cut_at: 150_000,
            wrong_range: true,
            ..Serve::default()
        },
    );
    let release = fx.release(&Spec::new(FILE, "tar.gz", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    let seen = fx.server.seen(FILE);
    let statuses: Vec<(bool, u16)> = seen.iter().map(|s| (s.range.is_some(), s.status)).collect();
    assert_eq!(
        statuses,
        [(false, 200), (true, 206), (false, 200)],
        "206 with a wrong Content-Range was not used"
    );
}

#[tokio::test]
async fn a_download_larger_than_the_pinned_size_is_stopped_and_deleted() {
    for chunked in [false, true] {
        let fx = Fx::new().await;
        let body = big_archive();
        fx.server
            .put(FILE, Serve { body: body.clone(), ranges: true, chunked, ..Serve::default() });
        let spec = Spec { size: body.len() as u64 - 1000, ..Spec::new(FILE, "tar.gz", &body) };
        let err = fx
            .installer()
            .install(&fx.release(&spec), InstallOptions::default(), |_| {})
            .await
            .unwrap_err();
        assert!(matches!(err, InstallError::TooLarge { .. }), "chunked={chunked}: {err}");
        assert!(err.to_string().contains("stopped and deleted"), "{err}");
        assert!(fx.leftovers("demo").is_empty(), "chunked={chunked}: {:?}", fx.leftovers("demo"));
    }
}

#[tokio::test]
async fn a_partial_file_of_another_release_is_never_resumed() {
    let fx = Fx::new().await;
    let body = big_archive();
    fx.server.file(FILE, &body);
    let release = fx.release(&Spec::new(FILE, "tar.gz", &body));
    // A leftover .part of the same name whose sidecar names a different pinned hash, and one
    // with no sidecar at all: both are discarded, not resumed.
    let part = fx.nodes().join(format!(
        "demo/.download-1.0.0-{}-{}.part",
        std::env::consts::OS,
        std::env::consts::ARCH
    ));
    std::fs::create_dir_all(part.parent().unwrap()).unwrap();
    std::fs::write(&part, &body[..300_000]).unwrap();
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    assert_eq!(fx.server.seen(FILE)[0].range, None, "no resume from an unknown partial file");
}

#[tokio::test]
async fn a_complete_looking_partial_file_with_the_wrong_content_is_not_installed() {
    let fx = Fx::new().await;
    let body = big_archive();
    // Every attempt of the first call is cut: the partial file is kept.
    fx.server.put(
        FILE,
        Serve {
            body: body.clone(),
            ranges: true,
            cut_times: 4,
            cut_at: 100_000,
            ..Serve::default()
        },
    );
    let release = fx.release(&Spec::new(FILE, "tar.gz", &body));
    fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap_err();
    // Damage the kept prefix (as a crash before it reached the disk could): the resumed file
    // hashes wrong, so the installer starts once more from zero rather than install it.
    let name = fx.leftovers("demo").into_iter().find(|n| n.ends_with(".part")).unwrap();
    let part = fx.nodes().join("demo").join(name);
    let mut bytes = std::fs::read(&part).unwrap();
    bytes[10] ^= 0xff;
    std::fs::write(&part, &bytes).unwrap();
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    let seen = fx.server.seen(FILE);
    assert!(seen[seen.len() - 2].range.is_some(), "it resumed first");
    assert_eq!(seen.last().unwrap().range, None, "after a bad resumed hash it started from zero");
}

/// The download is handed to the writer in 1 MiB batches: cuts after several batches and in
/// the middle of one resume at exactly the bytes received, and a restart after several
/// batches starts the file again from zero.
#[tokio::test]
async fn cuts_across_batch_boundaries_resume_and_restart_exactly() {
    let script = node_script("1.0.0");
    let payload = noise(3_500_000);
    let body = tar_gz(&[
        Entry::File("demo-1.0.0/demo-node", &script, 0o755),
        Entry::File("demo-1.0.0/data.bin", &payload, 0o644),
    ]);
    for (ranges, cut_at) in [(true, 2_500_123), (true, 1 << 20), (false, 2_200_000)] {
        let fx = Fx::new().await;
        fx.server.put(
            FILE,
            Serve { body: body.clone(), ranges, cut_times: 1, cut_at, ..Serve::default() },
        );
        let release = fx.release(&Spec::new(FILE, "tar.gz", &body));
        let installed =
            fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
        assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
        let data = installed.executable.parent().unwrap().join("data.bin");
        assert_eq!(std::fs::read(data).unwrap(), payload, "ranges {ranges}, cut at {cut_at}");
        let seen = fx.server.seen(FILE);
        assert_eq!(seen.len(), 2, "{seen:?}");
        if ranges {
            let first = seen[1].range.as_deref().unwrap();
            assert_eq!(first, format!("bytes={cut_at}-"), "resumed at the very byte");
        }
    }
}
