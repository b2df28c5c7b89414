//! Node passwords on their way from the Nodes screen to the keychain. A typed password is
//! checked, kept in the OS keychain, and replaced in the node's settings by the marker `true`
//! ("saved in your keychain"), so the settings file never holds it. Without a keychain the
//! password is refused with the reason: nothing falls back to a file.

use std::collections::BTreeMap;

use super::dto::ApiError;
use crate::profile::{FieldKind, FieldValue, Profile, check_password};
use crate::secret::{SecretStore, Sensitive};

/// Takes the typed passwords out of `values`, each replaced by the "saved" marker. Empty or
/// absent: the earlier marker stays if there was one (the password is unchanged). The marker
/// itself is accepted only where one was saved before, so the view never claims a password
/// the keychain was not given.
pub(super) fn take_passwords(
    profile: &Profile,
    previous: Option<&BTreeMap<String, FieldValue>>,
    values: &mut BTreeMap<String, FieldValue>,
) -> Result<Vec<(String, Sensitive<String>)>, ApiError> {
    let mut typed = Vec::new();
    for field in profile.fields.iter().filter(|f| matches!(f.kind, FieldKind::Password)) {
        let was_saved = previous.and_then(|p| p.get(&field.name)) == Some(&FieldValue::Bool(true));
        match values.remove(&field.name) {
            Some(FieldValue::Text(p)) if !p.is_empty() => {
                check_password(&p).map_err(|m| {
                    ApiError::field(
                        "node.settings_invalid",
                        &field.name,
                        format!("{}: {m}", field.label),
                    )
                })?;
                typed.push((field.name.clone(), Sensitive::new(p)));
                values.insert(field.name.clone(), FieldValue::Bool(true));
            }
            Some(FieldValue::Text(_) | FieldValue::Bool(true)) | None if was_saved => {
                values.insert(field.name.clone(), FieldValue::Bool(true));
            }
            Some(FieldValue::Text(_) | FieldValue::Bool(true)) | None => {}
            Some(_) => {
                return Err(ApiError::field(
                    "node.settings_invalid",
                    &field.name,
                    format!("{}: type the password, or leave it empty to keep it", field.label),
                ));
            }
        }
    }
    Ok(typed)
}

/// Keeps each typed password in `store`. May block (the keychain): call from a blocking
/// thread. The error names the field, so the Nodes screen shows it next to the input.
pub(super) fn save_passwords(
    store: &SecretStore,
    node_id: &str,
    typed: &[(String, Sensitive<String>)],
) -> Result<(), ApiError> {
    for (field, password) in typed {
        store.set(node_id, field, password).map_err(|e| {
            ApiError::field(
                e.code(),
                field,
                format!("The password was not saved: {e}. Lightrig keeps node passwords only in your keychain."),
            )
        })?;
    }
    Ok(())
}

/// The OS keychain, opened on a blocking thread, then [`save_passwords`].
pub(super) async fn save_to_keychain(
    node_id: &str,
    typed: Vec<(String, Sensitive<String>)>,
) -> Result<(), ApiError> {
    if typed.is_empty() {
        return Ok(());
    }
    let node_id = node_id.to_owned();
    tokio::task::spawn_blocking(move || {
        let field = typed.first().map(|(f, _)| f.clone()).unwrap_or_default();
        let store = SecretStore::os().map_err(|e| {
            ApiError::field(
                e.code(),
                &field,
                format!("The password was not saved: {e}. Lightrig keeps node passwords only in your keychain."),
            )
        })?;
        save_passwords(&store, &node_id, &typed)
    })
    .await
    .map_err(|e| ApiError::new("internal", e.to_string()))?
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
