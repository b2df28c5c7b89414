//! OpenPGP checks of an upstream's signed checksum list, with a key pinned in Lightrig.
//!
//! The key is never fetched at run time: a key server or a release page can be swapped by the
//! same attacker who swaps the binary. The manifest names the key file and its fingerprint, and
//! both must agree when the manifest loads. rPGP is used at ≥ 0.14.1 (CVE-2024-53856/53857).

use std::fmt;

use pgp::composed::{CleartextSignedMessage, Deserializable, DetachedSignature, SignedPublicKey};
use pgp::packet::{Signature, SignatureType};
use pgp::types::{KeyDetails, VerifyingKey};
use reqwest::Url;

/// How the upstream signs its checksum list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureKind {
    /// A plain list (e.g. `SHA256SUMS`) and a separate `.sig`/`.asc` signature file.
    OpenPgpDetached,
    /// One file holding the list inside a `BEGIN PGP SIGNED MESSAGE` block.
    OpenPgpCleartext,
}

/// The signature part of a release: where the signed checksum list is, and who must sign it.
#[derive(Debug, Clone)]
pub struct SignatureSpec {
    pub kind: SignatureKind,
    pub checksums_url: Url,
    /// Only for [`SignatureKind::OpenPgpDetached`].
    pub signature_url: Option<Url>,
    /// The download's name as the checksum list spells it.
    pub entry: String,
    pub key: PinnedKey,
}

/// An upstream's public key, shipped with Lightrig, checked against its pinned fingerprint.
#[derive(Clone)]
pub struct PinnedKey {
    file: String,
    fingerprint: String,
    key: SignedPublicKey,
}

impl fmt::Debug for PinnedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PinnedKey({}, {})", self.file, self.fingerprint)
    }
}

/// Why a pinned key was refused when the manifest loaded.
#[derive(Debug)]
pub(crate) enum KeyProblem {
    Key(String),
    Fingerprint(String),
}

impl PinnedKey {
    /// Parses an armored public key and requires its primary fingerprint to equal `expected`
    /// (hex; spaces and case do not matter), its self-signatures to verify, and no revocation.
    pub(crate) fn parse(file: &str, armored: &str, expected: &str) -> Result<Self, KeyProblem> {
        let (key, _) = SignedPublicKey::from_string(armored).map_err(|e| {
            KeyProblem::Key(format!("`{file}` is not an armored OpenPGP public key: {e}"))
        })?;
        key.verify_bindings().map_err(|e| {
            KeyProblem::Key(format!("`{file}` has self-signatures that do not verify: {e}"))
        })?;
        if !key.details.revocation_signatures.is_empty() {
            return Err(KeyProblem::Key(format!("`{file}` has been revoked by its owner")));
        }
        let actual = format!("{:X}", key.fingerprint());
        let wanted: String =
            expected.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if wanted.len() < 40 || !wanted.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(KeyProblem::Fingerprint(
                "give the key's full fingerprint (40 or 64 hex digits)".to_owned(),
            ));
        }
        if actual != wanted {
            return Err(KeyProblem::Fingerprint(format!(
                "`{file}` has fingerprint {actual}, not the pinned {wanted}"
            )));
        }
        Ok(PinnedKey { file: file.to_owned(), fingerprint: actual, key })
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// True when `sig` is a document signature (binary or text) made by this key or by one of
    /// its signing subkeys whose binding verifies.
    fn verifies(&self, sig: &Signature, data: &[u8]) -> bool {
        if !matches!(sig.typ(), Some(SignatureType::Binary | SignatureType::Text)) {
            return false;
        }
        if sig.verify(&self.key, data).is_ok() {
            return true;
        }
        self.key.public_subkeys.iter().any(|sub| {
            let signing = sub.signatures.iter().any(|b| b.key_flags().sign());
            signing && sub.verify_bindings(&self.key.primary_key).is_ok() && verify(sig, sub, data)
        })
    }
}

fn verify(sig: &Signature, key: &impl VerifyingKey, data: &[u8]) -> bool {
    sig.verify(key, data).is_ok()
}

/// Verifies a detached signature (armored or binary) over `data`.
pub(crate) fn verify_detached(key: &PinnedKey, data: &[u8], sig: &[u8]) -> Result<(), String> {
    let signatures: Vec<DetachedSignature> = DetachedSignature::from_reader_many(sig)
        .map_err(|e| format!("the signature file cannot be read: {e}"))?
        .0
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the signature file cannot be read: {e}"))?;
    if signatures.is_empty() {
        return Err("the signature file holds no signature".to_owned());
    }
    if signatures.iter().any(|s| key.verifies(&s.signature, data)) {
        Ok(())
    } else {
        Err(format!("no signature in it was made by the pinned key {}", key.fingerprint))
    }
}

/// Verifies a cleartext-signed message and returns only the text the signature covers (with
/// CRLF line ends): anything outside the signed block is ignored.
pub(crate) fn verify_cleartext(key: &PinnedKey, message: &str) -> Result<String, String> {
    let (msg, _) = CleartextSignedMessage::from_string(message)
        .map_err(|e| format!("it is not a cleartext-signed message: {e}"))?;
    let text = msg.signed_text();
    if msg.signatures().iter().any(|s| key.verifies(s, text.as_bytes())) {
        Ok(text)
    } else {
        Err(format!("it was not signed by the pinned key {}", key.fingerprint))
    }
}
