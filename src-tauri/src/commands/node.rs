use std::collections::BTreeMap;

use lightrig_core::api::{ApiError, ProfileView, SettingValue};
use lightrig_core::supervisor::LogLine;
use tauri::State;

use crate::DesktopState;

#[tauri::command]
pub async fn start_node(state: State<'_, DesktopState>) -> Result<(), ApiError> {
    state.app.start().await
}

#[tauri::command]
pub async fn stop_node(state: State<'_, DesktopState>) -> Result<(), ApiError> {
    state.app.stop().await
}

#[tauri::command]
pub async fn pause_node(state: State<'_, DesktopState>) -> Result<(), ApiError> {
    state.app.pause().await
}

#[tauri::command]
pub async fn resume_node(state: State<'_, DesktopState>) -> Result<(), ApiError> {
    state.app.resume().await
}

#[tauri::command]
pub async fn list_profiles(state: State<'_, DesktopState>) -> Result<Vec<ProfileView>, ApiError> {
    Ok(state.app.profiles())
}

#[tauri::command]
pub async fn select_node(
    state: State<'_, DesktopState>,
    profile_id: String,
    values: BTreeMap<String, SettingValue>,
) -> Result<(), ApiError> {
    state.app.select_node(&profile_id, values).await
}

#[tauri::command]
pub async fn get_logs(
    state: State<'_, DesktopState>,
    after_seq: u64,
) -> Result<Vec<LogLine>, ApiError> {
    Ok(state.app.logs(after_seq))
}
