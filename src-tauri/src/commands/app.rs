use lightrig_core::api::{ApiError, Snapshot};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::DesktopState;

#[tauri::command]
pub async fn get_snapshot(state: State<'_, DesktopState>) -> Result<Snapshot, ApiError> {
    Ok(state.app.snapshot())
}

/// Opens a source link in the system browser. Only https: no file:, smb: or custom schemes.
#[tauri::command]
pub async fn open_external(app: tauri::AppHandle, url: String) -> Result<(), ApiError> {
    let ok = url.starts_with("https://")
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(ApiError::field("link.refused", "url", "only https links are opened"));
    }
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| ApiError::new("link.failed", format!("the browser could not be opened: {e}")))
}

/// Quit from the UI: stops the node politely, then exits.
#[tauri::command]
pub async fn quit_app(app: tauri::AppHandle) -> Result<(), ApiError> {
    app.exit(0);
    Ok(())
}
