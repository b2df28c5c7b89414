//! The electricity price list import: the webview reads the file the user picked and sends its
//! text, so it needs no file-system access.

use lightrig_core::api::{ApiError, PriceListView};
use tauri::State;

use crate::DesktopState;

/// Checks the CSV text and keeps it as the price list an `hourly` tariff uses; a bad list
/// names its line and changes nothing.
#[tauri::command]
pub async fn import_tariff_prices(
    state: State<'_, DesktopState>,
    csv: String,
) -> Result<PriceListView, ApiError> {
    state.app.import_tariff_prices(csv).await
}
