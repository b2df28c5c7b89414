//! Manifests: the built-in one parses and is all placeholders; bad fields are named.

use lightrig_core::installer::{
    Arch, InstallError, InstallOptions, Installer, Manifest, ManifestError, ManifestOptions, Os,
    Sha256Digest,
};

use super::fixtures::{Fx, Spec, TestKey};

#[test]
fn the_builtin_manifest_parses_and_its_placeholders_cannot_be_installed() {
    let m = Manifest::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(m.releases.is_empty(), "no real release is pinned without real hashes and keys");
    assert!(m.placeholders.iter().any(|p| p.node == "xmrig"));
    let err = m.release("xmrig", Os::Linux, Arch::X86_64).unwrap_err();
    assert!(matches!(err, InstallError::NotPinned { .. }), "{err}");
    assert!(err.to_string().contains("choose a binary you already have"), "{err}");
    assert!(err.to_string().contains("xmrig for linux/x86_64 is not pinned yet"), "{err}");
    assert!(m.placeholders.iter().any(|p| p.node == "monerod" && p.os == Os::Linux));
    let err = m.release("storj", Os::Linux, Arch::X86_64).unwrap_err();
    assert!(matches!(err, InstallError::NoRelease { .. }), "{err}");
}

/// Writes `text` as a manifest file with the fixture's key next to it, and loads it.
fn load(fx: &Fx, text: &str, options: ManifestOptions) -> Result<Manifest, ManifestError> {
    let dir = fx.dir.path().join("manifest");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("upstream.asc"), &fx.key.public_armored).unwrap();
    let path = dir.join("m.toml");
    std::fs::write(&path, text).unwrap();
    Manifest::load(&path, options)
}

/// The error's field, line and message.
fn error_of(
    fx: &Fx,
    text: &str,
    options: ManifestOptions,
) -> (Option<String>, Option<usize>, String) {
    let err = load(fx, text, options).unwrap_err();
    assert!(err.location.file.ends_with("manifest/m.toml"));
    (err.location.field.clone(), err.location.line, err.message)
}

#[tokio::test]
async fn each_bad_field_is_named_with_its_line() {
    let fx = Fx::new().await;
    let body = b"x".to_vec();
    let sig = format!(
        "kind = \"openpgp-detached\"\nchecksums_url = \"{}\"\nsignature_url = \"{}\"\nkey = \"upstream.asc\"\nfingerprint = \"{}\"\n",
        fx.server.url("SUMS"),
        fx.server.url("SUMS.sig"),
        fx.key.fingerprint
    );
    let good = fx
        .manifest_text(&Spec { signature: Some(sig), ..Spec::new("demo.tar.gz", "tar.gz", &body) });
    let loopback = ManifestOptions { allow_loopback_http: true };
    load(&fx, &good, loopback).unwrap_or_else(|e| panic!("{e}"));

    let url = fx.server.url("demo.tar.gz");
    let cases: Vec<(String, String, &str)> = vec![
        (
            format!("url = \"{url}\""),
            "url = \"http://example.com/demo.tar.gz\"".into(),
            "release.0.url",
        ),
        (
            format!("url = \"{url}\""),
            "url = \"ftp://example.com/demo.tar.gz\"".into(),
            "release.0.url",
        ),
        ("version = \"1.0.0\"".into(), "version = \"latest\"".into(), "release.0.version"),
        ("os = ".into(), "os = \"beos\" #".into(), "release.0.os"),
        (
            format!("sha256 = \"{}\"", Sha256Digest::of(&body)),
            "sha256 = \"abc\"".into(),
            "release.0.sha256",
        ),
        ("size = 1".into(), "size = 0".into(), "release.0.size"),
        ("archive = \"tar.gz\"".into(), "archive = \"rar\"".into(), "release.0.archive"),
        (
            "executable = \"demo-1.0.0/demo-node\"".into(),
            "executable = \"../demo-node\"".into(),
            "release.0.executable",
        ),
        ("node = \"demo\"".into(), "node = \"../demo\"".into(), "release.0.node"),
        (
            "key = \"upstream.asc\"".into(),
            "key = \"../upstream.asc\"".into(),
            "release.0.signature.key",
        ),
        (
            "key = \"upstream.asc\"".into(),
            "key = \"missing.asc\"".into(),
            "release.0.signature.key",
        ),
        (
            format!("fingerprint = \"{}\"", fx.key.fingerprint),
            format!("fingerprint = \"{}\"", TestKey::generate("other").fingerprint),
            "release.0.signature.fingerprint",
        ),
        (
            "kind = \"openpgp-detached\"".into(),
            "kind = \"minisign\"".into(),
            "release.0.signature.kind",
        ),
        (
            "kind = \"openpgp-detached\"".into(),
            "kind = \"openpgp-cleartext\"".into(),
            "release.0.signature.signature_url",
        ),
    ];
    for (from, to, field) in cases {
        assert!(good.contains(&from), "{from}");
        let text = good.replacen(&from, &to, 1);
        let (f, line, message) = error_of(&fx, &text, loopback);
        assert_eq!(f.as_deref(), Some(field), "{to}: {message}");
        assert!(line.is_some(), "{to}: a line is given");
    }

    // Plain http even to 127.0.0.1 needs the explicit opt-in (tests and benchmarks only).
    let (f, _, message) = error_of(&fx, &good, ManifestOptions::default());
    assert_eq!(f.as_deref(), Some("release.0.url"), "{message}");
    assert!(message.contains("https"), "{message}");

    // An unknown field is a serde error with its line.
    let (_, line, message) =
        error_of(&fx, &good.replacen("size =", "sizee = 1\nsize =", 1), loopback);
    assert!(message.contains("sizee"), "{message}");
    assert!(line.is_some());
}

#[tokio::test]
async fn the_newest_pinned_release_for_this_machine_is_chosen() {
    let fx = Fx::new().await;
    let one = fx.manifest_text(&Spec { version: "1.9.0", ..Spec::new("a.tar.gz", "tar.gz", b"a") });
    let two =
        fx.manifest_text(&Spec { version: "1.10.0", ..Spec::new("b.tar.gz", "tar.gz", b"b") });
    let text = format!("{one}\n{}", two.replacen("schema = 1\n", "", 1));
    let m = load(&fx, &text, ManifestOptions { allow_loopback_http: true }).unwrap();
    let (os, arch) = (Os::current().unwrap(), Arch::current().unwrap());
    assert_eq!(m.release("demo", os, arch).unwrap().version().to_string(), "1.10.0");
    let older = "1.9".parse().unwrap();
    assert_eq!(m.find("demo", os, arch, Some(&older)).unwrap().version().to_string(), "1.9.0");
    let err = m.find("demo", os, arch, Some(&"2.0".parse().unwrap())).unwrap_err();
    assert_eq!(err.code(), "installer.no_such_version");
    assert!(err.to_string().ends_with("it can install: 1.10.0, 1.9.0"), "{err}");
}

#[tokio::test]
async fn an_installer_without_the_loopback_opt_in_refuses_http() {
    let fx = Fx::new().await;
    let body = super::fixtures::good_archive("tar.gz", "1.0.0");
    fx.server.file("demo-1.0.0.tar.gz", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let err = Installer::new(fx.nodes())
        .install(&release, InstallOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, InstallError::InsecureUrl(_)), "{err}");
    assert!(fx.server.seen("demo-1.0.0.tar.gz").is_empty());
}
