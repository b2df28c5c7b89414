//! Lightrig's desktop shell. Thin on purpose: the engine (lightrig-core) does the work; this
//! crate opens a window on the web UI, maps its commands to the engine's `AppService`, forwards
//! engine events, keeps a tray icon, and makes sure quitting stops the node.

mod commands;
mod events;
mod tray;
mod tray_text;
#[cfg(target_os = "linux")]
pub mod webkit_env;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use lightrig_core::api::AppService;
use lightrig_core::engine::EngineOptions;
use tauri::{Manager, RunEvent, WindowEvent};

/// What every command reaches through `State`.
#[derive(Debug)]
pub struct DesktopState {
    pub app: Arc<AppService>,
    quitting: AtomicBool,
    /// Where the main window was when it last closed to the tray, so it opens there again.
    placement: Mutex<Option<Placement>>,
    /// Keeps Lightrig's own log file flushing for the life of the app.
    _log: Option<lightrig_core::logging::LogGuard>,
}

pub const MAIN: &str = "main";

/// A window's place on screen in logical pixels: its outer position and inner size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub maximized: bool,
}

impl Placement {
    fn of(w: &tauri::WebviewWindow) -> tauri::Result<Self> {
        let scale = w.scale_factor()?;
        let pos = w.outer_position()?.to_logical::<f64>(scale);
        let size = w.inner_size()?.to_logical::<f64>(scale);
        Ok(Self {
            x: pos.x,
            y: pos.y,
            width: size.width,
            height: size.height,
            maximized: w.is_maximized()?,
        })
    }

    /// The window's configuration with this place instead of the default one. A size below the
    /// configured minimum (a window shrunk by the system) falls back to the minimum.
    pub fn apply(self, config: &mut tauri::utils::config::WindowConfig) {
        config.x = Some(self.x);
        config.y = Some(self.y);
        config.center = false;
        config.width = self.width.max(config.min_width.unwrap_or(0.0));
        config.height = self.height.max(config.min_height.unwrap_or(0.0));
        config.maximized = self.maximized;
    }
}

/// Shows and focuses the main window (from the tray or a second launch), opening it again if it
/// was closed to the tray.
pub fn show_main(app: &tauri::AppHandle) {
    if app.try_state::<DesktopState>().is_none() {
        // The engine did not open; its dialog is up and the app is on its way out.
        return;
    }
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
    let mut config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    if let Some(place) = app.try_state::<DesktopState>().and_then(|s| *lock(&s.placement)) {
        place.apply(&mut config);
    }
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether the user chose to keep Lightrig in the tray when its window closes.
fn closes_to_tray(app: &tauri::AppHandle) -> bool {
    app.try_state::<DesktopState>().is_some_and(|s| s.app.settings().close_to_tray)
}

/// The engine could not open (most often: `lightrig serve` or `run` already uses the data
/// folder). Started from a menu there is no terminal to read, so the reason is shown in a
/// dialog, and Lightrig exits when the user closes it.
fn could_not_start(app: &tauri::AppHandle, message: &str) {
    use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
    tracing::error!(%message, "the engine could not open");
    eprintln!("lightrig: {message}");
    let handle = app.clone();
    let mut text = message.to_owned();
    if let Some(first) = text.get(..1) {
        text.replace_range(..1, &first.to_uppercase());
    }
    if !text.ends_with('.') {
        text.push('.');
    }
    app.dialog()
        .message(text)
        .title("Lightrig could not start")
        .kind(MessageDialogKind::Error)
        .show(move |_| handle.exit(1));
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
                match tauri::async_runtime::block_on(AppService::open(EngineOptions::default())) {
                    Ok(service) => service,
                    Err(e) => {
                        // No engine: no tray, no window, no state; the dialog ends the app.
                        could_not_start(app.handle(), &e.message);
                        return Ok(());
                    }
                };
            app.manage(DesktopState {
                app: service.clone(),
                quitting: AtomicBool::new(false),
                placement: Mutex::new(None),
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
        // Closing to the tray: remember where the window was, to open it there again.
        RunEvent::WindowEvent { label, event: WindowEvent::CloseRequested { .. }, .. }
            if label == MAIN =>
        {
            if let Some(w) = app.get_webview_window(MAIN)
                && let Ok(place) = Placement::of(&w)
                && let Some(state) = app.try_state::<DesktopState>()
            {
                *lock(&state.placement) = Some(place);
            }
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
                && app
                    .try_state::<DesktopState>()
                    .is_some_and(|s| !s.quitting.load(Ordering::SeqCst)) =>
        {
            api.prevent_exit();
        }
        RunEvent::ExitRequested { api, .. } => {
            // Without an engine (it could not open) there is nothing to stop.
            let Some(state) = app.try_state::<DesktopState>() else { return };
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

#[cfg(test)]
mod tests {
    use super::Placement;
    use tauri::utils::config::WindowConfig;

    fn configured() -> WindowConfig {
        WindowConfig {
            width: 1200.0,
            height: 800.0,
            min_width: Some(720.0),
            min_height: Some(520.0),
            center: true,
            ..WindowConfig::default()
        }
    }

    #[test]
    fn a_remembered_place_replaces_the_default_one() {
        let mut config = configured();
        let place = Placement { x: 40.0, y: 30.0, width: 900.0, height: 640.0, maximized: false };
        place.apply(&mut config);
        assert_eq!((config.x, config.y), (Some(40.0), Some(30.0)));
        assert_eq!((config.width, config.height), (900.0, 640.0));
        assert!(!config.center, "a remembered place is not re-centred");
        assert!(!config.maximized);
    }

    #[test]
    fn a_window_shrunk_below_the_minimum_opens_at_the_minimum() {
        let mut config = configured();
        Placement { x: -1900.0, y: 0.0, width: 300.0, height: 100.0, maximized: true }
            .apply(&mut config);
        assert_eq!((config.width, config.height), (720.0, 520.0));
        assert_eq!(config.x, Some(-1900.0), "a place on a monitor left of the primary is kept");
        assert!(config.maximized);
    }
}
