//! Launch-time checks: an installed or adopted executable that changed is refused and reported.

use std::os::unix::fs::PermissionsExt;

use lightrig_core::installer::{
    InstallError, InstallOptions, InstalledSource, verify_before_launch,
};

use super::fixtures::{Fx, Spec, canary_script, good_archive};

#[tokio::test]
async fn an_installed_executable_that_changed_is_not_launched() {
    let fx = Fx::new().await;
    let body = good_archive("tar.gz", "1.0.0");
    fx.server.file("demo-1.0.0.tar.gz", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    verify_before_launch(&installed).unwrap();

    std::fs::write(&installed.executable, canary_script(&fx.dir.path().join("ran"))).unwrap();
    let err = verify_before_launch(&installed).unwrap_err();
    let InstallError::Changed { ref old, ref new, adopted, .. } = err else { panic!("{err}") };
    assert!(!adopted);
    assert_ne!(old.sha256, new.sha256);
    assert!(err.to_string().contains("`lightrig install demo`"), "{err}");
    assert!(!fx.dir.path().join("ran").exists());

    // The record on disk still holds the verified hash, so a fresh listing refuses it too.
    let listed = &fx.installer().installed("demo").unwrap()[0];
    assert!(matches!(verify_before_launch(listed), Err(InstallError::Changed { .. })));

    std::fs::remove_file(&installed.executable).unwrap();
    assert!(matches!(verify_before_launch(&installed), Err(InstallError::Missing { .. })));
}

#[tokio::test]
async fn an_adopted_binary_is_recorded_and_a_change_is_reported_with_old_and_new() {
    let fx = Fx::new().await;
    let bin = fx.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let real = bin.join("monerod");
    std::fs::copy("/bin/true", &real).unwrap();
    // Adopted through a symlink, as PATH entries often are: the real file is recorded.
    let link = bin.join("monerod-link");
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let installer = fx.installer();
    let adopted = installer.adopt_existing("monerod", &link).unwrap();
    assert_eq!(adopted.source, InstalledSource::Adopted);
    assert_eq!(adopted.executable, real.canonicalize().unwrap());
    assert_eq!(adopted.fingerprint.size, std::fs::metadata("/bin/true").unwrap().len());
    assert!(adopted.fingerprint.modified.is_some());
    assert_eq!(installer.adopted("monerod").unwrap().as_ref(), Some(&adopted), "kept in a record");
    assert!(fx.nodes().join("monerod/adopted.json").is_file());
    assert_eq!(verify_before_launch(&adopted).unwrap(), adopted.executable);

    // An update (or anything else) replaces the file: the UI must ask the user again.
    std::fs::copy("/bin/false", &real).unwrap();
    let record = installer.adopted("monerod").unwrap().unwrap();
    let err = verify_before_launch(&record).unwrap_err();
    let InstallError::Changed { ref old, ref new, adopted: true, .. } = err else {
        panic!("{err}")
    };
    assert_eq!(old.sha256, adopted.fingerprint.sha256);
    assert_ne!(new.sha256, old.sha256);
    assert!(err.to_string().contains("changed since you chose it"), "{err}");
    assert!(err.to_string().contains("`lightrig adopt monerod "), "{err}");
    assert_eq!(err.code(), "installer.binary_changed");

    // The user confirms: adopting again records the new content.
    let again = installer.adopt_existing("monerod", &link).unwrap();
    verify_before_launch(&again).unwrap();
}

#[test]
fn only_an_absolute_path_to_an_executable_file_can_be_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let installer = lightrig_core::installer::Installer::new(dir.path().join("nodes"));
    let plain = dir.path().join("notes.txt");
    std::fs::write(&plain, "not a program").unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    for path in [plain.as_path(), dir.path(), std::path::Path::new("relative/monerod")] {
        let err = installer.adopt_existing("monerod", path).unwrap_err();
        assert!(matches!(err, InstallError::NotExecutable { .. }), "{path:?}: {err}");
    }
    let missing = installer.adopt_existing("monerod", &dir.path().join("nope")).unwrap_err();
    assert!(matches!(missing, InstallError::Missing { .. }), "{missing}");
    let bad_id = installer.adopt_existing("../etc", std::path::Path::new("/bin/true")).unwrap_err();
    assert!(matches!(bad_id, InstallError::BadNodeId { .. }), "{bad_id}");
}
