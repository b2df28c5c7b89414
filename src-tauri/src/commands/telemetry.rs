use lightrig_core::api::{ApiError, Series, SeriesRange};
use tauri::State;

use crate::DesktopState;

#[tauri::command]
pub async fn get_series(
    state: State<'_, DesktopState>,
    range: SeriesRange,
) -> Result<Series, ApiError> {
    state.app.series(range).await
}
