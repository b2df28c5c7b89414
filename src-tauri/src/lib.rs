//! Lightrig's desktop shell. Thin on purpose: the engine (lightrig-core) does the work; this
//! crate opens a window on the web UI, maps its commands to the engine's `AppService`, forwards
//! engine events, keeps a tray icon, and makes sure quitting stops the node.

mod commands;
mod events;
mod tray;
mod tray_text;
#[cfg(target_os = "linux")]
pub mod webkit_env;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use lightrig_core::api::AppService;
use lightrig_core::engine::EngineOptions;
use tauri::{Manager, RunEvent, WindowEvent};

/// What every command reaches through `State`.
#[derive(Debug)]
pub struct DesktopState {
    pub app: Arc<AppService>,
    quitting: AtomicBool,
    /// Keeps Lightrig's own log file flushing for the life of the app.
    _log: Option<lightrig_core::logging::LogGuard>,
}

pub const MAIN: &str = "main";

/// Shows and focuses the main window (from the tray or a second launch), opening it again if it
/// was closed to the tray.
pub fn show_main(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window(MAIN) {
        bring_forward(&w);
        return;
    }
    // Not from the calling thread: this runs in tray and single-instance callbacks on the main
    // thread, and building a web view there can deadlock (WebView2 on Windows).
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = open_main(&app) {
            tracing::error!(error = %e, "the window could not be opened");
        }
    });
}

/// Builds the main window from its configuration and shows it. The window is not kept while
/// Lightrig sits in the tray: closing it to the tray ends its web view and WebKit's web process
/// (most of the app's memory), and this builds it again; the page asks the engine for the
/// current state when it loads, so nothing is missed in between.
fn open_main(app: &tauri::AppHandle) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(MAIN) {
        // Opened meanwhile (two clicks on Open): show that one.
        bring_forward(&w);
        return Ok(());
    }
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let w = tauri::WebviewWindowBuilder::from_config(app, &config)?.build()?;
    #[cfg(target_os = "linux")]
    lean_webview(&w);
    bring_forward(&w);
    Ok(())
}

fn bring_forward(w: &tauri::WebviewWindow) {
    let _ = w.unminimize();
    let _ = w.show();
    let _ = w.set_focus();
}

/// Whether the user chose to keep Lightrig in the tray when its window closes.
fn closes_to_tray(app: &tauri::AppHandle) -> bool {
    app.state::<DesktopState>().app.settings().close_to_tray
}

/// Builds and runs the app; returns the process exit code.
pub fn run() -> i32 {
    let builder = tauri::Builder::default()
        // First: a second launch only focuses the running one.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_main(app)))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--autostarted"]),
        ))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app::get_snapshot,
            commands::app::open_external,
            commands::app::quit_app,
            commands::node::start_node,
            commands::node::stop_node,
            commands::node::pause_node,
            commands::node::resume_node,
            commands::node::list_profiles,
            commands::node::select_node,
            commands::node::get_logs,
            commands::install::list_installs,
            commands::install::install_node,
            commands::install::adopt_program,
            commands::telemetry::get_series,
            commands::ledger::get_earnings,
            commands::ledger::export_records,
            commands::app::behaviour_report,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::get_prices,
            commands::settings::save_prices,
            commands::settings::get_compliance,
            commands::settings::acknowledge_note,
            commands::tariff::import_tariff_prices,
        ])
        .setup(|app| {
            // Lightrig's own log (a daily-rotated file in the data folder) before anything else.
            let log = lightrig_core::paths::Paths::resolve(None)
                .ok()
                .and_then(|p| lightrig_core::logging::init(&p.log_dir(), "warn").ok());
            let service =
                tauri::async_runtime::block_on(AppService::open(EngineOptions::default()))
                    .map_err(|e| format!("Lightrig could not start: {}", e.message))?;
            app.manage(DesktopState {
                app: service.clone(),
                quitting: AtomicBool::new(false),
                _log: log,
            });
            tray::build(app.handle())?;
            // The tray names the node from the start, not only after its first change of state.
            tray::update(app.handle(), &service.engine().status());
            events::forward(app.handle().clone(), service.clone());
            let settings = service.settings();
            let autostarted = std::env::args().any(|a| a == "--autostarted");
            // Started minimised (or by the system, for a user who keeps Lightrig in the tray):
            // no window and no web view until the user opens it.
            if !(settings.start_minimised || autostarted && settings.close_to_tray) {
                open_main(app.handle())?;
            }
            Ok(())
        });
    let app = match builder.build(tauri::generate_context!()) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("lightrig: the desktop app could not start: {e}");
            return 1;
        }
    };
    app.run(|app, event| match event {
        // Closing to the tray (the user chose it) lets the window go: the node keeps running,
        // the tray icon stays, and the web view's memory is given back. Otherwise closing quits.
        RunEvent::WindowEvent { label, event: WindowEvent::CloseRequested { api, .. }, .. }
            if label == MAIN && !closes_to_tray(app) =>
        {
            api.prevent_close();
            app.exit(0);
        }
        // The main window went away. In the tray that is expected; otherwise (its web view was
        // torn down by the system or a test driver) a windowless Lightrig must not linger.
        RunEvent::WindowEvent { label, event: WindowEvent::Destroyed, .. }
            if label == MAIN && !closes_to_tray(app) =>
        {
            app.exit(0);
        }
        // The last window closed (not a Quit, which carries an exit code): stay in the tray.
        RunEvent::ExitRequested { code: None, api, .. }
            if closes_to_tray(app)
                && !app.state::<DesktopState>().quitting.load(Ordering::SeqCst) =>
        {
            api.prevent_exit();
        }
        RunEvent::ExitRequested { api, .. } => {
            let state = app.state::<DesktopState>();
            // Stop the node politely (then its tree) before the process goes; exit again
            // once that is done.
            if !state.quitting.swap(true, Ordering::SeqCst) {
                api.prevent_exit();
                let service = state.app.clone();
                let handle = app.clone();
                tauri::async_runtime::spawn(async move {
                    service.shutdown().await;
                    handle.exit(0);
                });
            }
        }
        _ => {}
    });
    0
}

/// One page, loaded once from the app itself: WebKit's browser-sized caches only hold memory.
#[cfg(target_os = "linux")]
fn lean_webview(window: &tauri::WebviewWindow) {
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
        if let Some(context) = webview.inner().context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
}
