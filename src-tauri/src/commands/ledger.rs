use lightrig_core::api::{ApiError, Earnings, ExportQuery};
use tauri::State;
use tauri_plugin_dialog::DialogExt;

use crate::DesktopState;

#[tauri::command]
pub async fn get_earnings(state: State<'_, DesktopState>) -> Result<Earnings, ApiError> {
    state.app.earnings().await
}

/// Builds an export, asks where to save it with the system's save dialog, and writes it in
/// one step (a temporary file renamed into place). Returns the path, or `None` when the user
/// cancelled; nothing is written without their choice.
#[tauri::command]
pub async fn export_records(
    app: tauri::AppHandle,
    state: State<'_, DesktopState>,
    query: ExportQuery,
) -> Result<Option<String>, ApiError> {
    let file = state.app.export_records(query).await?;
    let extension = if file.media_type.starts_with("text/html") { "html" } else { "csv" };
    let chosen = app
        .dialog()
        .file()
        .set_file_name(&file.file_name)
        .add_filter(extension.to_uppercase(), &[extension])
        .blocking_save_file();
    let Some(chosen) = chosen else { return Ok(None) };
    let path = chosen.into_path().map_err(|e| {
        ApiError::new("export.write_failed", format!("that place cannot be written to: {e}"))
    })?;
    lightrig_core::paths::write_atomic(&path, file.content.as_bytes()).map_err(|e| {
        ApiError::new(
            "export.write_failed",
            format!("could not save {}: {e}. Choose another folder.", path.display()),
        )
    })?;
    Ok(Some(path.display().to_string()))
}
