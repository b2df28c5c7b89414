//! The real OS keychain, not the mock keystore: a secret is kept, read back and deleted
//! through it.
//!
//! On Linux the store is the kernel's keyutils facility: it needs no D-Bus, so it works on a
//! headless CI machine, and the test first joins a fresh anonymous session keyring of its own,
//! so it never touches the session keyring of whoever runs it. (Lightrig itself keeps secrets
//! in the Secret Service on Linux; keyutils forgets them at reboot.) On macOS and Windows the
//! store is the keychain Lightrig uses.
//!
//! When the store cannot be reached the test fails and says why; it never skips.
#![cfg(any(target_os = "linux", target_os = "macos", windows))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::time::{Duration, Instant};

use lightrig_core::secret::{SecretError, SecretStore, Sensitive};

#[cfg(target_os = "linux")]
fn real_store() -> SecretStore {
    // keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL) gives this process (nextest runs each test in
    // its own) a new anonymous session keyring.
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    // SAFETY: keyctl with this operation reads no memory when its name argument is null.
    let id = unsafe {
        libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, std::ptr::null::<u8>())
    };
    assert!(
        id > 0,
        "the kernel keyring (keyutils) is not usable here: keyctl failed with {}. This test \
         needs it as a real OS store; in a container, allow the keyctl and add_key system calls",
        std::io::Error::last_os_error()
    );
    SecretStore::with_backend(keyring::keyutils::default_credential_builder())
}

#[cfg(any(target_os = "macos", windows))]
fn real_store() -> SecretStore {
    SecretStore::os().unwrap_or_else(|e| panic!("this build has no OS keychain: {e}"))
}

/// Removes what the test kept even when an assertion fails half way.
struct Cleanup<'a> {
    store: &'a SecretStore,
    node: String,
    names: &'a [&'a str],
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        for name in self.names {
            let _ = self.store.delete(&self.node, name);
        }
    }
}

fn unusable(e: SecretError) -> String {
    format!("the OS store could not be used ({}): {e}", e.code())
}

/// Reads the secret with the `keyctl` tool, in a child process that shares this test's session
/// keyring: proof that the secret sits in the kernel, not in this process's memory.
#[cfg(target_os = "linux")]
fn read_with_keyctl(node: &str, name: &str) -> Option<String> {
    let description = format!("keyring-rs:{node}/{name}@{}", lightrig_core::secret::SERVICE);
    let keyctl = |args: &[&str]| {
        let out = std::process::Command::new("keyctl").args(args).output().unwrap_or_else(|e| {
            panic!("cannot run keyctl ({e}): install the keyutils package (scripts/setup.sh does)")
        });
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let id = keyctl(&["search", "@s", "user", &description])?;
    keyctl(&["pipe", &id])
}

/// keyutils invalidates a deleted key at once, but the kernel may still find it for a moment.
fn gone_soon(store: &SecretStore, node: &str, name: &str) -> bool {
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        match store.get(node, name) {
            Ok(None) => return true,
            Ok(Some(_)) if Instant::now() < until => std::thread::sleep(Duration::from_millis(20)),
            Ok(Some(_)) => return false,
            Err(e) => panic!("{}", unusable(e)),
        }
    }
}

#[test]
fn keyring_real_store_keeps_reads_back_and_deletes_a_secret() {
    let store = real_store();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let node = format!("keyring-test-{}-{nanos}", std::process::id());
    let _cleanup = Cleanup { store: &store, node: node.clone(), names: &["password", "api_token"] };

    assert!(store.get(&node, "password").unwrap_or_else(|e| panic!("{}", unusable(e))).is_none());

    let canary = Sensitive::new(format!("canary-{nanos}"));
    store.set(&node, "password", &canary).unwrap_or_else(|e| panic!("{}", unusable(e)));
    let read = store.get(&node, "password").unwrap_or_else(|e| panic!("{}", unusable(e)));
    assert_eq!(read.as_ref(), Some(&canary), "the secret read back is the one kept");
    #[cfg(target_os = "linux")]
    assert_eq!(
        read_with_keyctl(&node, "password").as_deref(),
        Some(canary.expose().as_str()),
        "keyctl does not find the secret in the kernel keyring"
    );

    let token = store.get_or_create_token(&node, "api_token").unwrap_or_else(|e| panic!("{e}"));
    let again = store.get_or_create_token(&node, "api_token").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(token, again, "the token is kept, not made anew");

    assert!(store.delete(&node, "password").unwrap_or_else(|e| panic!("{}", unusable(e))));
    assert!(store.delete(&node, "api_token").unwrap_or_else(|e| panic!("{}", unusable(e))));
    assert!(gone_soon(&store, &node, "password"), "the secret is still there after delete");
    assert!(gone_soon(&store, &node, "api_token"), "the token is still there after delete");
    #[cfg(target_os = "linux")]
    assert_eq!(read_with_keyctl(&node, "password"), None, "keyctl still finds the secret");
}

/// Without a Secret Service (a headless machine, CI) Lightrig's Linux store says so, and what
/// to do, instead of keeping the secret anywhere else.
#[cfg(target_os = "linux")]
#[test]
fn keyring_without_secret_service_the_user_is_told() {
    let store =
        SecretStore::os().unwrap_or_else(|e| panic!("the Linux build lacks its store: {e}"));
    let has_session_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    match store.check() {
        Err(e @ SecretError::NoKeychain { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("GNOME Keyring or KWallet"), "{msg}");
            assert!(msg.contains("will not write them to a file"), "{msg}");
        }
        Err(e @ SecretError::Locked { .. }) if has_session_bus => {
            eprintln!("a Secret Service is here but locked: {e}");
        }
        Ok(()) if has_session_bus => {
            eprintln!(
                "a Secret Service answered here; the no-keychain message is checked only where none runs"
            );
        }
        other => panic!("no session bus here, yet the keychain check gave {other:?}"),
    }
}
