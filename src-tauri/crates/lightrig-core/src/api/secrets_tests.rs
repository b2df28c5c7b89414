//! Node passwords from the Nodes screen: into the (mock) keychain, never into the settings;
//! refused whole when no keychain can keep them.

use super::*;
use crate::profile::Catalog;

const CANARY: &str = "canary pw \"with\" quotes 9c0e";

fn mysterium() -> Profile {
    Catalog::load(None).get("mysterium").cloned().unwrap()
}

fn values(password: Option<FieldValue>) -> BTreeMap<String, FieldValue> {
    let mut v = BTreeMap::new();
    v.insert("data_dir".to_owned(), FieldValue::Text("/var/lib/mysterium".into()));
    if let Some(p) = password {
        v.insert("api_password".to_owned(), p);
    }
    v
}

#[test]
fn mock_keystore_typed_password_goes_to_the_keychain_and_settings_keep_only_the_marker() {
    let profile = mysterium();
    let mut v = values(Some(FieldValue::Text(CANARY.into())));
    let typed = take_passwords(&profile, None, &mut v).unwrap();
    assert_eq!(v.get("api_password"), Some(&FieldValue::Bool(true)));
    assert!(!format!("{v:?}").contains("canary"), "the settings never hold the password");
    profile.settle(&v).unwrap();
    let store = SecretStore::in_memory();
    save_passwords(&store, "mysterium", &typed).unwrap();
    assert_eq!(store.get("mysterium", "api_password").unwrap().unwrap().expose(), CANARY);
}

#[test]
fn empty_password_keeps_the_saved_one_and_a_forged_marker_is_dropped() {
    let profile = mysterium();
    let saved = values(Some(FieldValue::Bool(true)));
    for kept in [None, Some(FieldValue::Text(String::new())), Some(FieldValue::Bool(true))] {
        let mut v = values(kept.clone());
        assert!(take_passwords(&profile, Some(&saved), &mut v).unwrap().is_empty());
        assert_eq!(v.get("api_password"), Some(&FieldValue::Bool(true)), "{kept:?}");
        let mut v = values(kept.clone());
        take_passwords(&profile, None, &mut v).unwrap();
        assert_eq!(v.get("api_password"), None, "nothing was saved before: {kept:?}");
    }
}

#[test]
fn bad_password_is_refused_by_field_without_repeating_it() {
    let profile = mysterium();
    let mut v = values(Some(FieldValue::Text("canary\u{7}bell".into())));
    let err = take_passwords(&profile, None, &mut v).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("api_password"));
    assert!(!err.message.contains("canary"), "{}", err.message);
    let mut v = values(Some(FieldValue::Int(1234)));
    assert!(take_passwords(&profile, None, &mut v).is_err());
}

#[test]
fn settings_refuse_a_password_in_clear_text() {
    // The engine's own check: even a caller that skips `take_passwords` cannot get a password
    // into the settings file.
    let err = mysterium().settle(&values(Some(FieldValue::Text(CANARY.into())))).unwrap_err();
    assert_eq!(err.field, "api_password");
    assert!(err.message.contains("kept in your keychain"), "{}", err.message);
    assert!(!err.message.contains("canary"), "{}", err.message);
}

#[test]
fn no_keychain_refuses_the_password_and_says_so() {
    #[derive(Debug)]
    struct NoKeychain;
    impl keyring::credential::CredentialBuilderApi for NoKeychain {
        fn build(
            &self,
            _: Option<&str>,
            _: &str,
            _: &str,
        ) -> keyring::Result<Box<keyring::Credential>> {
            Err(keyring::Error::PlatformFailure("no D-Bus session".into()))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }
    let store = SecretStore::with_backend(Box::new(NoKeychain));
    let typed = vec![("api_password".to_owned(), Sensitive::new(CANARY.to_owned()))];
    let err = save_passwords(&store, "mysterium", &typed).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("api_password"));
    assert!(err.message.starts_with("The password was not saved"), "{}", err.message);
    assert!(err.message.contains("will not write them to a file"), "{}", err.message);
    assert!(!err.message.contains("canary"));
}
