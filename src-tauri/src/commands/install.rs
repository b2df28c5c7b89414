//! Node programs: install a pinned release (progress as `install://progress` events), or use a
//! program already on this computer.

use lightrig_core::api::{AdoptRequest, ApiError, InstallRequest, NodeInstallView};
use tauri::State;

use crate::DesktopState;

#[tauri::command]
pub async fn list_installs(
    state: State<'_, DesktopState>,
) -> Result<Vec<NodeInstallView>, ApiError> {
    Ok(state.app.install_states())
}

#[tauri::command]
pub async fn install_node(
    state: State<'_, DesktopState>,
    request: InstallRequest,
) -> Result<NodeInstallView, ApiError> {
    state.app.install(request).await
}

#[tauri::command]
pub async fn adopt_program(
    state: State<'_, DesktopState>,
    request: AdoptRequest,
) -> Result<NodeInstallView, ApiError> {
    state.app.adopt(request).await
}
