use lightrig_core::api::{ApiError, Earnings};
use tauri::State;

use crate::DesktopState;

#[tauri::command]
pub async fn get_earnings(state: State<'_, DesktopState>) -> Result<Earnings, ApiError> {
    state.app.earnings().await
}
