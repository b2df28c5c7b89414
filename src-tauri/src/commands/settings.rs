use lightrig_core::api::{ApiError, ComplianceView, PricesEdit, PricesView, SettingsView};
use tauri::State;
use tauri_plugin_autostart::ManagerExt;

use crate::DesktopState;

#[tauri::command]
pub async fn get_settings(state: State<'_, DesktopState>) -> Result<SettingsView, ApiError> {
    Ok(state.app.settings())
}

/// Saves the settings; autostart is registered with the OS only when the user turned it on,
/// and removed when they turn it off.
#[tauri::command]
pub async fn save_settings(
    app: tauri::AppHandle,
    state: State<'_, DesktopState>,
    settings: SettingsView,
) -> Result<SettingsView, ApiError> {
    let saved = state.app.save_settings(settings).await?;
    let launcher = app.autolaunch();
    let registered = launcher.is_enabled().unwrap_or(false);
    let result = match (saved.autostart, registered) {
        (true, false) => launcher.enable(),
        (false, true) => launcher.disable(),
        _ => Ok(()),
    };
    result.map_err(|e| {
        ApiError::field(
            "autostart.failed",
            "autostart",
            format!("the system did not accept the autostart change: {e}"),
        )
    })?;
    Ok(saved)
}

#[tauri::command]
pub async fn get_prices(state: State<'_, DesktopState>) -> Result<PricesView, ApiError> {
    Ok(state.app.prices())
}

/// Saves coin prices and the price feed's settings; the feed starts or stops at once.
#[tauri::command]
pub async fn save_prices(
    state: State<'_, DesktopState>,
    edit: PricesEdit,
) -> Result<PricesView, ApiError> {
    state.app.save_prices(edit).await
}

#[tauri::command]
pub async fn get_compliance(
    state: State<'_, DesktopState>,
) -> Result<Option<ComplianceView>, ApiError> {
    Ok(state.app.compliance())
}

/// Records that the user read this version of the current compliance note (needed before a
/// node starts where its activity is restricted or prohibited).
#[tauri::command]
pub async fn acknowledge_note(
    state: State<'_, DesktopState>,
    note_version: u32,
) -> Result<ComplianceView, ApiError> {
    state.app.acknowledge(note_version)
}
