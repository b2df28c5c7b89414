//! Node secrets at rest: the OS keychain, through `keyring`. macOS keeps them in the login
//! keychain, Windows in Credential Manager, Linux in the Secret Service (GNOME Keyring,
//! KWallet). Each secret is one entry: service `lightrig`, user `<node id>/<field name>`.
//!
//! When no keychain can be reached the caller gets [`SecretError::NoKeychain`], whose message
//! tells the user what to do. Nothing here ever writes a secret to a file.
//!
//! Calls may block: the Secret Service is a D-Bus round trip and macOS may ask the user to
//! allow access. Call from a blocking thread, not from an async task.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use keyring::credential::{CredentialApi, CredentialBuilderApi, CredentialPersistence};
use keyring::{Credential, CredentialBuilder, Entry};

use super::Sensitive;

/// The keychain service every Lightrig entry is filed under.
pub const SERVICE: &str = "lightrig";

/// Length of a generated token, in URL-safe characters (6 random bits each: 192 bits).
pub const TOKEN_LEN: usize = 32;

const TOKEN_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[cfg(target_os = "linux")]
const NO_KEYCHAIN: &str = "no Secret Service is running (install and unlock GNOME Keyring or \
     KWallet), so Lightrig cannot keep the node's token or password; it will not write them to a \
     file";
#[cfg(target_os = "macos")]
const NO_KEYCHAIN: &str = "the macOS keychain cannot be reached (open Keychain Access and check \
     that your login keychain exists and is unlocked), so Lightrig cannot keep the node's token \
     or password; it will not write them to a file";
#[cfg(windows)]
const NO_KEYCHAIN: &str = "Windows Credential Manager cannot be reached (sign in with your own \
     user account rather than a temporary profile), so Lightrig cannot keep the node's token or \
     password; it will not write them to a file";
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
const NO_KEYCHAIN: &str = "this build of Lightrig has no keychain for this system, so it cannot \
     keep the node's token or password; it will not write them to a file";

#[cfg(target_os = "linux")]
const LOCKED: &str = "the keychain is locked or refused access: unlock your keyring (GNOME \
     Keyring or KWallet, e.g. by logging in again) and try again";
#[cfg(target_os = "macos")]
const LOCKED: &str = "the keychain is locked or refused access: unlock your login keychain and \
     choose Allow when macOS asks about Lightrig, then try again";
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
const LOCKED: &str = "the keychain refused access: sign in again as the user who set Lightrig \
     up, then try again";

/// Why a secret could not be read, kept or removed.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// There is no keychain to use: none in this build, none running, or none reachable.
    #[error("{NO_KEYCHAIN} ({detail})")]
    NoKeychain { detail: String },
    /// A keychain exists but is locked, or the user or OS refused access.
    #[error("{LOCKED} ({detail})")]
    Locked { detail: String },
    /// The keychain refused this entry (too long, invalid name, several matches).
    #[error("the keychain refused the secret `{entry}`: {detail}")]
    Rejected { entry: String, detail: String },
    /// The entry exists but does not hold text.
    #[error(
        "the keychain entry `{entry}` (service `lightrig`) does not hold text: delete it in your \
         keychain app and set it again in Lightrig"
    )]
    Unreadable { entry: String },
    #[error("cannot generate a token: {0}")]
    Random(String),
}

impl SecretError {
    /// A stable code the UI branches on.
    pub fn code(&self) -> &'static str {
        match self {
            SecretError::NoKeychain { .. } => "secrets.no_keychain",
            SecretError::Locked { .. } => "secrets.locked",
            SecretError::Rejected { .. } => "secrets.rejected",
            SecretError::Unreadable { .. } => "secrets.unreadable",
            SecretError::Random(_) => "secrets.failed",
        }
    }

    fn from_keyring(entry: &str, err: keyring::Error) -> SecretError {
        match err {
            keyring::Error::PlatformFailure(e) => SecretError::NoKeychain { detail: e.to_string() },
            keyring::Error::NoStorageAccess(e) => SecretError::Locked { detail: e.to_string() },
            keyring::Error::BadEncoding(_) => SecretError::Unreadable { entry: entry.to_owned() },
            other => SecretError::Rejected { entry: entry.to_owned(), detail: other.to_string() },
        }
    }
}

/// A random token of [`TOKEN_LEN`] URL-safe characters.
pub fn random_token() -> Result<Sensitive<String>, SecretError> {
    let mut bytes = [0u8; TOKEN_LEN];
    getrandom::fill(&mut bytes).map_err(|e| SecretError::Random(e.to_string()))?;
    Ok(Sensitive::new(
        bytes.iter().map(|b| char::from(TOKEN_ALPHABET[usize::from(b & 63)])).collect(),
    ))
}

fn is_token(s: &str) -> bool {
    s.len() == TOKEN_LEN && s.bytes().all(|b| TOKEN_ALPHABET.contains(&b))
}

/// Where node secrets are kept: the OS keychain ([`SecretStore::os`]), or the in-memory mock
/// keystore for tests ([`SecretStore::in_memory`]).
pub struct SecretStore {
    backend: Box<CredentialBuilder>,
}

impl fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keeps = match self.backend.persistence() {
            CredentialPersistence::UntilDelete => "until deleted",
            CredentialPersistence::UntilReboot => "until reboot",
            CredentialPersistence::ProcessOnly => "in memory",
            _ => "in one entry",
        };
        f.debug_struct("SecretStore").field("keeps", &keeps).finish_non_exhaustive()
    }
}

impl SecretStore {
    /// The OS keychain. Refuses a build whose only store would be keyring's in-memory mock
    /// (a platform without a keychain feature), so secrets never vanish at exit unnoticed.
    /// It does not touch the keychain yet: [`SecretStore::check`] does.
    pub fn os() -> Result<SecretStore, SecretError> {
        Self::persistent(keyring::default::default_credential_builder())
    }

    /// `backend` if it keeps secrets until they are deleted; `NoKeychain` otherwise.
    fn persistent(backend: Box<CredentialBuilder>) -> Result<SecretStore, SecretError> {
        match backend.persistence() {
            CredentialPersistence::UntilDelete => Ok(SecretStore { backend }),
            CredentialPersistence::UntilReboot => Err(SecretError::NoKeychain {
                detail: "this build's only store forgets secrets at the next reboot".into(),
            }),
            _ => Err(SecretError::NoKeychain {
                detail: "this build's only store keeps secrets in memory".into(),
            }),
        }
    }

    /// Any keyring backend, as is. Tests use Linux's kernel keyutils store through this.
    pub fn with_backend(backend: Box<CredentialBuilder>) -> SecretStore {
        SecretStore { backend }
    }

    /// The mock keystore: memory only, gone when the store is dropped. For tests; it never
    /// touches the OS keychain or a file.
    pub fn in_memory() -> SecretStore {
        SecretStore { backend: Box::new(MemoryBackend::default()) }
    }

    /// Reaches the keychain once, so a missing or unusable one is reported at startup rather
    /// than when a node starts.
    pub fn check(&self) -> Result<(), SecretError> {
        self.get("lightrig", "availability-check").map(|_| ())
    }

    /// The secret `name` of node `node_id`, if one is kept.
    pub fn get(&self, node_id: &str, name: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        let (entry, user) = self.entry(node_id, name)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(Sensitive::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError::from_keyring(&user, e)),
        }
    }

    /// Keeps `value` as the secret `name` of node `node_id`, replacing any earlier one.
    pub fn set(
        &self,
        node_id: &str,
        name: &str,
        value: &Sensitive<String>,
    ) -> Result<(), SecretError> {
        let (entry, user) = self.entry(node_id, name)?;
        if value.expose().is_empty() {
            return Err(SecretError::Rejected {
                entry: user,
                detail: "an empty secret is not kept: delete it instead".into(),
            });
        }
        entry.set_password(value.expose()).map_err(|e| SecretError::from_keyring(&user, e))
    }

    /// Removes the secret. `Ok(false)` when there was none.
    pub fn delete(&self, node_id: &str, name: &str) -> Result<bool, SecretError> {
        let (entry, user) = self.entry(node_id, name)?;
        match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(SecretError::from_keyring(&user, e)),
        }
    }

    /// The token `name` of node `node_id`: the one kept from an earlier run, or a new random
    /// one that is kept from now on. A kept value that is not a well-formed token is replaced.
    pub fn get_or_create_token(
        &self,
        node_id: &str,
        name: &str,
    ) -> Result<Sensitive<String>, SecretError> {
        match self.get(node_id, name)? {
            Some(token) if is_token(token.expose()) => return Ok(token),
            Some(_) => {
                tracing::warn!(
                    node = node_id,
                    field = name,
                    "kept token is malformed; replacing it"
                )
            }
            None => {}
        }
        let token = random_token()?;
        self.set(node_id, name, &token)?;
        Ok(token)
    }

    fn entry(&self, node_id: &str, name: &str) -> Result<(Entry, String), SecretError> {
        let user = format!("{node_id}/{name}");
        if node_id.is_empty() || name.is_empty() || node_id.contains('/') {
            return Err(SecretError::Rejected {
                entry: user,
                detail: "the node id and the name must be non-empty, and the id has no `/`".into(),
            });
        }
        let credential = self
            .backend
            .build(None, SERVICE, &user)
            .map_err(|e| SecretError::from_keyring(&user, e))?;
        Ok((Entry::new_with_credential(credential), user))
    }
}

type Shelf = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// The mock keystore's backend: one map shared by every entry it builds.
#[derive(Default)]
struct MemoryBackend {
    shelf: Shelf,
}

impl fmt::Debug for MemoryBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MemoryBackend(mock keystore)")
    }
}

impl CredentialBuilderApi for MemoryBackend {
    fn build(
        &self,
        _target: Option<&str>,
        service: &str,
        user: &str,
    ) -> keyring::Result<Box<Credential>> {
        Ok(Box::new(MemoryCredential {
            key: format!("{service}\u{0}{user}"),
            shelf: Arc::clone(&self.shelf),
        }))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn persistence(&self) -> CredentialPersistence {
        CredentialPersistence::ProcessOnly
    }
}

struct MemoryCredential {
    key: String,
    shelf: Shelf,
}

impl fmt::Debug for MemoryCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryCredential").field("key", &self.key).finish_non_exhaustive()
    }
}

impl CredentialApi for MemoryCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        let mut shelf = self.shelf.lock().unwrap_or_else(PoisonError::into_inner);
        shelf.insert(self.key.clone(), secret.to_vec());
        Ok(())
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        let shelf = self.shelf.lock().unwrap_or_else(PoisonError::into_inner);
        shelf.get(&self.key).cloned().ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        let mut shelf = self.shelf.lock().unwrap_or_else(PoisonError::into_inner);
        shelf.remove(&self.key).map(|_| ()).ok_or(keyring::Error::NoEntry)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backend whose every entry fails as `make_error` says: keyring's own mock credential
    /// with an error preset (fault injection).
    #[derive(Debug)]
    struct Failing(fn() -> keyring::Error);

    impl CredentialBuilderApi for Failing {
        fn build(&self, t: Option<&str>, s: &str, u: &str) -> keyring::Result<Box<Credential>> {
            let credential = keyring::mock::default_credential_builder().build(t, s, u)?;
            let mock = credential.as_any().downcast_ref::<keyring::mock::MockCredential>();
            mock.unwrap().set_error((self.0)());
            Ok(credential)
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    fn failing(make_error: fn() -> keyring::Error) -> SecretStore {
        SecretStore::with_backend(Box::new(Failing(make_error)))
    }

    #[test]
    fn mock_keystore_get_or_create_token_returns_the_same_token_twice() {
        let store = SecretStore::in_memory();
        let first = store.get_or_create_token("xmrig", "api_token").unwrap();
        let second = store.get_or_create_token("xmrig", "api_token").unwrap();
        assert_eq!(first, second);
        assert!(is_token(first.expose()), "a token is 32 URL-safe characters");
        let other = store.get_or_create_token("xmrig", "other_token").unwrap();
        assert_ne!(first, other, "each field has its own token");
        let other_node = store.get_or_create_token("mysterium", "api_token").unwrap();
        assert_ne!(first, other_node, "each node has its own token");
    }

    #[test]
    fn mock_keystore_set_get_delete() {
        let store = SecretStore::in_memory();
        assert!(store.get("mysterium", "password").unwrap().is_none());
        store.set("mysterium", "password", &Sensitive::new("canary-51d2".into())).unwrap();
        let got = store.get("mysterium", "password").unwrap().unwrap();
        assert_eq!(got.expose(), "canary-51d2");
        assert!(store.delete("mysterium", "password").unwrap());
        assert!(store.get("mysterium", "password").unwrap().is_none());
        assert!(!store.delete("mysterium", "password").unwrap(), "nothing left to delete");
    }

    #[test]
    fn mock_keystore_token_is_new_after_delete_and_malformed_one_is_replaced() {
        let store = SecretStore::in_memory();
        let first = store.get_or_create_token("xmrig", "api_token").unwrap();
        store.delete("xmrig", "api_token").unwrap();
        let second = store.get_or_create_token("xmrig", "api_token").unwrap();
        assert_ne!(first, second);
        store.set("xmrig", "api_token", &Sensitive::new("not a token".into())).unwrap();
        let third = store.get_or_create_token("xmrig", "api_token").unwrap();
        assert!(is_token(third.expose()));
        assert_eq!(store.get("xmrig", "api_token").unwrap().unwrap(), third);
    }

    #[test]
    fn mock_keystore_refuses_empty_secrets_and_ambiguous_names() {
        let store = SecretStore::in_memory();
        let empty = store.set("xmrig", "password", &Sensitive::new(String::new()));
        assert!(matches!(empty, Err(SecretError::Rejected { .. })), "{empty:?}");
        let slash = store.get("a/b", "c");
        assert!(matches!(slash, Err(SecretError::Rejected { .. })), "{slash:?}");
    }

    #[test]
    fn mock_keystore_debug_shows_no_secret() {
        let store = SecretStore::in_memory();
        store.set("mysterium", "password", &Sensitive::new("canary-9c0e".into())).unwrap();
        let token = store.get_or_create_token("xmrig", "api_token").unwrap();
        let got = store.get("mysterium", "password").unwrap();
        for shown in [format!("{store:?}"), format!("{got:?}"), format!("{token:?}")] {
            assert!(!shown.contains("canary"), "{shown}");
            assert!(!shown.contains(token.expose().as_str()), "{shown}");
        }
    }

    #[test]
    fn no_keychain_error_says_what_to_do_and_never_mentions_a_fallback_file() {
        let store = failing(|| keyring::Error::PlatformFailure("no D-Bus session".into()));
        let err = store.get_or_create_token("xmrig", "api_token").unwrap_err();
        assert_eq!(err.code(), "secrets.no_keychain");
        let msg = err.to_string();
        assert!(msg.contains("will not write them to a file"), "{msg}");
        assert!(msg.contains("no D-Bus session"), "{msg}");
        #[cfg(target_os = "linux")]
        assert!(msg.contains("GNOME Keyring or KWallet"), "{msg}");
    }

    #[test]
    fn locked_keychain_is_its_own_error() {
        let store = failing(|| keyring::Error::NoStorageAccess("collection is locked".into()));
        let err = store.set("xmrig", "api_token", &Sensitive::new("x".into())).unwrap_err();
        assert_eq!(err.code(), "secrets.locked");
        assert!(err.to_string().contains("unlock"), "{err}");
        let err = failing(|| keyring::Error::BadEncoding(vec![0xff])).get("a", "b").unwrap_err();
        assert_eq!(err.code(), "secrets.unreadable");
    }

    #[test]
    fn this_build_has_a_keychain_that_survives_a_reboot() {
        // Fails when a target's keyring feature is missing from Cargo.toml: keyring then falls
        // back to its in-memory mock, which `os()` refuses.
        let store = SecretStore::os().unwrap();
        assert!(format!("{store:?}").contains("until deleted"), "{store:?}");
    }

    #[test]
    fn a_store_that_forgets_is_not_the_os_keychain() {
        let err = SecretStore::persistent(keyring::mock::default_credential_builder());
        assert!(matches!(err, Err(SecretError::NoKeychain { .. })), "{err:?}");
        #[cfg(target_os = "linux")]
        {
            let err = SecretStore::persistent(keyring::keyutils::default_credential_builder());
            let err = err.unwrap_err();
            assert!(err.to_string().contains("reboot"), "{err}");
        }
    }

    /// The launch side: a profile's token field keeps its value from run to run when a store
    /// is given, and the token is among the secrets masked from logs.
    #[test]
    fn mock_keystore_token_field_is_the_same_every_run() {
        use crate::supervisor::launch::{plan, plan_with_secrets};
        let catalog = crate::profile::Catalog::load(None);
        let profile = catalog.get("practice").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let exe = format!("lightrig-practice-node{}", std::env::consts::EXE_SUFFIX);
        std::fs::write(dir.path().join(exe), b"").unwrap();
        let settings = std::collections::BTreeMap::new();
        let store = SecretStore::in_memory();
        let token_of = |plan: &crate::supervisor::launch::LaunchPlan| {
            let (_, v) = plan.env.iter().find(|(k, _)| k == "LIGHTRIG_PRACTICE_TOKEN").unwrap();
            assert!(plan.secrets.contains(v), "the token is masked from logs");
            v.clone()
        };
        let run = || plan_with_secrets(profile, &settings, Some(dir.path()), None, Some(&store));
        let first = token_of(&run().unwrap());
        let second = token_of(&run().unwrap());
        assert_eq!(first, second);
        assert_eq!(store.get("practice", "api_token").unwrap(), Some(first.clone()));
        let without_store = token_of(&plan(profile, &settings, Some(dir.path()), None).unwrap());
        assert_ne!(first, without_store, "without a store each run has a fresh token");
    }

    #[test]
    fn random_tokens_are_url_safe_and_distinct() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert!(is_token(a.expose()) && is_token(b.expose()));
        assert_ne!(a, b);
    }
}
