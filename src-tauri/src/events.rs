//! Engine events → webview events, under the names in `lightrig_core::api::AppEvent`.
//! The UI also asks for a snapshot when it is ready, so a missed event is never a lost state.

use std::sync::Arc;

use lightrig_core::api::{AppEvent, AppService};
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

pub fn forward(app: AppHandle, service: Arc<AppService>) {
    let mut rx = service.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match rx.recv().await {
                Ok(e) => e,
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            };
            let sent = match &event {
                AppEvent::Status(s) => {
                    crate::tray::update(&app, s);
                    app.emit(event.name(), s)
                }
                AppEvent::Sample(s) => app.emit(event.name(), s),
                AppEvent::Log(l) => app.emit(event.name(), l),
                AppEvent::Install(p) => app.emit(event.name(), p),
            };
            if let Err(e) = sent {
                tracing::debug!(error = %e, "event not delivered");
            }
        }
    });
}
