//! The tray icon: present for the app's whole life, so a running node is always visible.
//! Its menu shows the state and offers Start/Stop, Open and Quit.

use lightrig_core::supervisor::{NodeState, NodeStatus};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::DesktopState;
use crate::tray_text::{Lang, state_name, text};

const TRAY: &str = "lightrig";

struct TrayItems {
    status: MenuItem<Wry>,
    toggle: MenuItem<Wry>,
    open: MenuItem<Wry>,
    quit: MenuItem<Wry>,
}

/// The language the window uses, from the settings (or the system's).
fn lang(app: &AppHandle) -> Lang {
    let language = app.try_state::<DesktopState>().and_then(|s| s.app.settings().language);
    Lang::pick(language.as_deref())
}

/// Whether Lightrig's tray icon exists (it is built at start and stays for the whole session).
pub fn present(app: &AppHandle) -> bool {
    app.tray_by_id(TRAY).is_some()
}

pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let words = text(lang(app));
    let status = MenuItem::with_id(app, "status", words.idle, false, None::<&str>)?;
    let toggle = MenuItem::with_id(app, "toggle", words.start, true, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", words.open, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", words.quit, true, None::<&str>)?;
    let sep = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&status, &toggle, &sep, &open, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY).menu(&menu).tooltip("Lightrig").on_menu_event(
        |app, event| match event.id().as_ref() {
            "toggle" => {
                let service = app.state::<DesktopState>().app.clone();
                tauri::async_runtime::spawn(async move {
                    let running = !matches!(
                        service.engine().status().state,
                        NodeState::Stopped { .. } | NodeState::Failed { .. }
                    );
                    let result = if running { service.stop().await } else { service.start().await };
                    if let Err(e) = result {
                        tracing::warn!(error = %e.message, "tray start/stop failed");
                    }
                });
            }
            "open" => crate::show_main(app),
            "quit" => app.exit(0),
            _ => {}
        },
    );
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(TrayItems { status, toggle, open, quit });
    Ok(())
}

/// Keeps the menu's words in step with the node.
pub fn update(app: &AppHandle, s: &NodeStatus) {
    let Some(items) = app.try_state::<TrayItems>() else { return };
    // The language is read each time, so a change in Settings reaches the tray with the next
    // status (the state line changes with every state anyway).
    let lang = lang(app);
    let words = text(lang);
    let text = format!("{}: {}", s.profile_name, state_name(lang, &s.state));
    let _ = items.status.set_text(text.clone());
    let stoppable = !matches!(s.state, NodeState::Stopped { .. } | NodeState::Failed { .. });
    let _ = items.toggle.set_text(if stoppable { words.stop } else { words.start });
    let _ = items.open.set_text(words.open);
    let _ = items.quit.set_text(words.quit);
    if let Some(tray) = app.tray_by_id(TRAY) {
        let _ = tray.set_tooltip(Some(format!("Lightrig — {text}")));
    }
}
