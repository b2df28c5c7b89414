use lightrig_core::api::{ApiError, Snapshot};
use tauri::{Manager, State};
use tauri_plugin_opener::OpenerExt;

use crate::DesktopState;

/// What Lightrig is doing on this computer that a user should always be able to see: the tray
/// icon, whether it is registered to start with the system, the node's real program, and whether
/// the window is on screen (hidden only when the user chose close-to-tray). The desktop
/// end-to-end tests check it against the no-stealth behaviour list.
#[derive(Debug, serde::Serialize)]
pub struct Behaviour {
    pub tray_icon: bool,
    pub autostart_registered: bool,
    pub node_pid: Option<u32>,
    pub window_visible: bool,
}

#[tauri::command]
pub async fn behaviour_report(
    app: tauri::AppHandle,
    state: State<'_, DesktopState>,
) -> Result<Behaviour, ApiError> {
    use tauri_plugin_autostart::ManagerExt;
    let autostart_registered = app.autolaunch().is_enabled().map_err(|e| {
        ApiError::new("autostart.unknown", format!("cannot read the autostart state: {e}"))
    })?;
    Ok(Behaviour {
        tray_icon: crate::tray::present(&app),
        autostart_registered,
        node_pid: state.app.engine().status().pid,
        window_visible: app
            .get_webview_window(crate::MAIN)
            .and_then(|w| w.is_visible().ok())
            .unwrap_or(false),
    })
}

#[tauri::command]
pub async fn get_snapshot(state: State<'_, DesktopState>) -> Result<Snapshot, ApiError> {
    Ok(state.app.snapshot())
}

/// Only plain https links go to the system browser: never file:, smb:, custom schemes or
/// anything with hidden characters (CVE-2025-31477 showed what a lax opener allows).
pub fn openable(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    url.len() <= 2048
        && !host.is_empty()
        && !host.contains('@')
        && !url.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
        })
}

/// Opens a source link in the system browser.
#[tauri::command]
pub async fn open_external(app: tauri::AppHandle, url: String) -> Result<(), ApiError> {
    if !openable(&url) {
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

#[cfg(test)]
mod tests {
    use super::openable;

    #[test]
    fn only_plain_https_links_are_opened() {
        assert!(openable("https://www.bundesfinanzministerium.de/Content/DE/a.pdf"));
        for bad in [
            "http://example.com/",
            "file:///etc/passwd",
            "smb://host/share",
            "javascript:alert(1)",
            "https://",
            "https://user@evil.example/",
            "https://example.com/\u{202e}txt",
            "https://exa mple.com/",
            " https://example.com/",
        ] {
            assert!(!openable(bad), "{bad} accepted");
        }
    }
}
