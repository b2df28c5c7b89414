//! The upstream's signed checksum list must verify with the pinned key and agree with the
//! pinned hash, before the archive is even downloaded.

use lightrig_core::installer::{InstallError, InstallOptions, Sha256Digest, verify_before_launch};

use super::fixtures::{Fx, Spec, TestKey, good_archive, run_version};

const FILE: &str = "demo-1.0.0.tar.gz";

fn detached_toml(fx: &Fx) -> String {
    format!(
        "kind = \"openpgp-detached\"\nchecksums_url = \"{}\"\nsignature_url = \"{}\"\nkey = \"upstream.asc\"\nfingerprint = \"{}\"\n",
        fx.server.url("SHA256SUMS"),
        fx.server.url("SHA256SUMS.sig"),
        fx.key.fingerprint
    )
}

fn cleartext_toml(fx: &Fx) -> String {
    format!(
        "kind = \"openpgp-cleartext\"\nchecksums_url = \"{}\"\nkey = \"upstream.asc\"\nfingerprint = \"{}\"\n",
        fx.server.url("sha256sums.txt.asc"),
        fx.key.fingerprint
    )
}

/// Serves the archive and a detached-signed list made by `signer`, and installs.
async fn install_detached(fx: &Fx, list: &str, signer: &TestKey) -> Result<(), InstallError> {
    let body = good_archive("tar.gz", "1.0.0");
    fx.server.file(FILE, &body);
    fx.server.file("SHA256SUMS", list.as_bytes());
    fx.server.file("SHA256SUMS.sig", &signer.detached(list.as_bytes()));
    let spec = Spec { signature: Some(detached_toml(fx)), ..Spec::new(FILE, "tar.gz", &body) };
    let installed =
        fx.installer().install(&fx.release(&spec), InstallOptions::default(), |_| {}).await?;
    assert_eq!(run_version(&verify_before_launch(&installed).unwrap()), "demo-node 1.0.0");
    Ok(())
}

fn sums(body: &[u8]) -> String {
    format!("{}  other-file.zip\n{} *{FILE}\n", Sha256Digest::of(b"other"), Sha256Digest::of(body))
}

/// After a refusal: nothing installed, nothing left, and the archive was never fetched.
fn nothing_happened(fx: &Fx) {
    assert!(fx.installer().installed("demo").unwrap().is_empty());
    assert!(fx.leftovers("demo").is_empty(), "{:?}", fx.leftovers("demo"));
    assert!(fx.server.seen(FILE).is_empty(), "the archive was not downloaded");
}

#[tokio::test]
async fn a_detached_signature_by_the_pinned_key_is_accepted() {
    let fx = Fx::new().await;
    let body = good_archive("tar.gz", "1.0.0");
    install_detached(&fx, &sums(&body), &fx.key).await.unwrap();
}

#[tokio::test]
async fn a_list_signed_by_another_key_is_refused() {
    let fx = Fx::new().await;
    let body = good_archive("tar.gz", "1.0.0");
    let mallory = TestKey::generate("mallory");
    let err = install_detached(&fx, &sums(&body), &mallory).await.unwrap_err();
    assert!(matches!(err, InstallError::BadSignature { .. }), "{err}");
    assert!(err.to_string().contains("nothing was run"), "{err}");
    nothing_happened(&fx);
}

#[tokio::test]
async fn a_list_changed_after_signing_is_refused() {
    let fx = Fx::new().await;
    let body = good_archive("tar.gz", "1.0.0");
    let list = sums(&body);
    fx.server.file(FILE, &body);
    fx.server.file("SHA256SUMS.sig", &fx.key.detached(list.as_bytes()));
    let tampered = list.replace("other-file.zip", "other-file.tar");
    fx.server.file("SHA256SUMS", tampered.as_bytes());
    let spec = Spec { signature: Some(detached_toml(&fx)), ..Spec::new(FILE, "tar.gz", &body) };
    let err = fx
        .installer()
        .install(&fx.release(&spec), InstallOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, InstallError::BadSignature { .. }), "{err}");
    nothing_happened(&fx);
}

#[tokio::test]
async fn a_signed_list_that_disagrees_with_the_pin_or_omits_the_file_is_refused() {
    let fx = Fx::new().await;
    let list = format!("{}  {FILE}\n", Sha256Digest::of(b"a different build"));
    let err = install_detached(&fx, &list, &fx.key).await.unwrap_err();
    assert!(matches!(err, InstallError::PublishedChecksumDiffers { .. }), "{err}");
    nothing_happened(&fx);

    let fx = Fx::new().await;
    let list = format!("{}  something-else.tar.gz\n", Sha256Digest::of(b"x"));
    let err = install_detached(&fx, &list, &fx.key).await.unwrap_err();
    assert!(matches!(err, InstallError::NotListed { .. }), "{err}");
    nothing_happened(&fx);
}

#[tokio::test]
async fn a_cleartext_signed_list_is_verified_and_only_its_signed_text_counts() {
    let fx = Fx::new().await;
    let body = good_archive("tar.gz", "1.0.0");
    fx.server.file(FILE, &body);
    // P2Pool-style blocks, upper-case hex.
    let text = format!(
        "Name: {FILE}\nSize: {} bytes\nSHA256: {}\n",
        body.len(),
        Sha256Digest::of(&body).to_string().to_uppercase()
    );
    let signed = String::from_utf8(fx.key.cleartext(&text)).unwrap();
    fx.server.file("sha256sums.txt.asc", signed.as_bytes());
    let spec = Spec { signature: Some(cleartext_toml(&fx)), ..Spec::new(FILE, "tar.gz", &body) };
    let release = fx.release(&spec);
    fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();

    // A line added inside the signed block breaks the signature.
    let fx = Fx::new().await;
    fx.server.file(FILE, &body);
    let signed = String::from_utf8(fx.key.cleartext(&text)).unwrap();
    let tampered = signed.replacen("Size:", "Name: evil.tar.gz\nSize:", 1);
    fx.server.file("sha256sums.txt.asc", tampered.as_bytes());
    let spec = Spec { signature: Some(cleartext_toml(&fx)), ..Spec::new(FILE, "tar.gz", &body) };
    let err = fx
        .installer()
        .install(&fx.release(&spec), InstallOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, InstallError::BadSignature { .. }), "{err}");
    nothing_happened(&fx);

    // A checksum appended after the signed block is ignored (the file is then not listed).
    let fx = Fx::new().await;
    fx.server.file(FILE, &body);
    let only_other = "Name: other.tar.gz\nSHA256: 00\n";
    let signed = String::from_utf8(fx.key.cleartext(only_other)).unwrap();
    let appended = format!("{signed}\n{}  {FILE}\n", Sha256Digest::of(&body));
    fx.server.file("sha256sums.txt.asc", appended.as_bytes());
    let spec = Spec { signature: Some(cleartext_toml(&fx)), ..Spec::new(FILE, "tar.gz", &body) };
    let err = fx
        .installer()
        .install(&fx.release(&spec), InstallOptions::default(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(err, InstallError::NotListed { .. } | InstallError::BadSignature { .. }),
        "{err}"
    );
    nothing_happened(&fx);
}
