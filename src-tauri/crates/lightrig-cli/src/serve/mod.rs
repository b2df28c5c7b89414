//! `lightrig serve`: the engine headless, the same UI in a browser, an HTTP API with
//! server-sent events, and `/metrics` for Prometheus. 127.0.0.1 by default; every API call
//! needs the token printed at start.

mod auth;
mod install;
mod routes;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use lightrig_core::api::AppService;
use lightrig_core::secret::Sensitive;
use tower_http::services::{ServeDir, ServeFile};

#[derive(Clone)]
pub struct Shared {
    pub app: Arc<AppService>,
    pub token: Arc<Sensitive<String>>,
    /// Host header values we answer to, e.g. `127.0.0.1:47820`, `localhost:47820`.
    pub hosts: Arc<Vec<String>>,
}

/// The hosts a browser may use to reach us on `addr`.
pub fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut hosts =
        vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")];
    if !addr.ip().is_loopback() && !addr.ip().is_unspecified() {
        hosts.push(match addr.ip() {
            IpAddr::V4(ip) => format!("{ip}:{port}"),
            IpAddr::V6(ip) => format!("[{ip}]:{port}"),
        });
    }
    hosts
}

pub fn router(shared: Shared, ui_dir: Option<PathBuf>) -> Router {
    let api = Router::new()
        .route("/api/snapshot", get(routes::snapshot))
        .route("/api/node/start", post(routes::start))
        .route("/api/node/stop", post(routes::stop))
        .route("/api/node/pause", post(routes::pause))
        .route("/api/node/resume", post(routes::resume))
        .route("/api/node/select", post(routes::select))
        .route("/api/profiles", get(routes::profiles))
        .route("/api/logs", get(routes::logs))
        .route("/api/series", get(routes::series))
        .route("/api/earnings", get(routes::earnings))
        .route("/api/settings", get(routes::get_settings).put(routes::put_settings))
        .route("/api/prices", get(routes::get_prices).put(routes::put_prices))
        .route("/api/compliance", get(routes::compliance))
        .route("/api/compliance/acknowledge", post(routes::acknowledge))
        .route("/api/tariff/prices", post(routes::import_tariff_prices))
        .route("/api/export", get(routes::export))
        .route("/api/installs", get(install::states))
        .route("/api/installs/install", post(install::install))
        .route("/api/installs/adopt", post(install::adopt))
        .route("/api/events", get(routes::events))
        .route("/metrics", get(routes::metrics))
        .route_layer(middleware::from_fn_with_state(shared.clone(), auth::token_guard));
    let app = match ui_dir {
        Some(dir) => api.fallback_service(ServeDir::new(&dir).fallback(ServeFile::new(dir.join("index.html")))),
        None => api.fallback(|| async {
            axum::response::Html("<!doctype html><meta charset=utf-8><title>Lightrig</title><p>Lightrig's UI is not built here. Run <code>npm ci && npm run ui:build</code>, then start <code>lightrig serve</code> again. The API works meanwhile.</p>")
        }),
    };
    app.layer(middleware::from_fn_with_state(shared.clone(), auth::origin_guard)).with_state(shared)
}

/// Where the built UI is: `--ui`, `LIGHTRIG_UI_DIR`, next to the program, or the repo's ui/dist.
pub fn find_ui(explicit: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(d) = explicit.or_else(|| std::env::var_os("LIGHTRIG_UI_DIR").map(PathBuf::from)) {
        return Some(d);
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [dir.join("ui"), dir.join("../../ui/dist"), dir.join("../../../ui/dist")]
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

pub fn default_bind() -> IpAddr {
    IpAddr::V4(Ipv4Addr::LOCALHOST)
}
