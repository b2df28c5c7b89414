//! `lightrig serve`: browser mode.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use lightrig_core::api::AppService;
use lightrig_core::engine::EngineOptions;

use crate::exit;
use crate::output;
use crate::serve::{self, Shared};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Anything but a loopback address also needs --allow-remote.
    #[arg(long, default_value_t = serve::default_bind())]
    bind: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 47820)]
    port: u16,
    /// Allow listening on a non-loopback address. The token is still required.
    #[arg(long)]
    allow_remote: bool,
    /// Folder of the built UI (default: next to this program, or the repo's ui/dist).
    #[arg(long, value_name = "DIR")]
    ui: Option<PathBuf>,
    /// Start the node as soon as the server is up.
    #[arg(long)]
    start: bool,
}

pub fn run(data_dir: Option<PathBuf>, json: bool, args: ServeArgs) -> u8 {
    if !args.bind.is_loopback() && !args.allow_remote {
        output::fail(
            json,
            "usage",
            &format!(
                "{} is reachable from other computers: add --allow-remote if you mean it (the token is still required)",
                args.bind
            ),
        );
        return exit::USAGE;
    }
    let (_guard, rt) = match output::runtime(data_dir.as_deref(), json) {
        Ok(x) => x,
        Err(code) => return code,
    };
    rt.block_on(serve_until_stopped(data_dir, json, args))
}

async fn serve_until_stopped(data_dir: Option<PathBuf>, json: bool, args: ServeArgs) -> u8 {
    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(args.bind, args.port)).await
    {
        Ok(l) => l,
        Err(e) => {
            output::fail(
                json,
                "serve.bind",
                &format!(
                    "cannot listen on {}:{}: {e}; choose another --port",
                    args.bind, args.port
                ),
            );
            return exit::FAILED;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            output::fail(json, "serve.bind", &e.to_string());
            return exit::FAILED;
        }
    };
    let app = match AppService::open(EngineOptions { data_dir, ..EngineOptions::default() }).await {
        Ok(a) => a,
        Err(e) => {
            output::fail(json, &e.code, &e.message);
            return if e.code.starts_with("files") || e.code.starts_with("ledger") {
                exit::FILES
            } else {
                exit::USAGE
            };
        }
    };
    let token = match lightrig_core::supervisor::launch::new_token() {
        Ok(t) => t,
        Err(e) => {
            output::fail(json, "internal", &e.to_string());
            return exit::FAILED;
        }
    };
    let ui = serve::find_ui(args.ui.clone());
    let host = if addr.ip().is_loopback() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    };
    let url = format!("http://{host}/#token={}", token.expose());
    let shared = Shared {
        app: app.clone(),
        token: Arc::new(token),
        hosts: Arc::new(serve::allowed_hosts(addr)),
    };
    if json {
        output::print_json(
            &serde_json::json!({ "event": "listening", "url": url, "ui": ui.is_some() }),
        );
    } else {
        println!(
            "Lightrig is serving on {addr}. Open this link (it carries the access token):\n{url}"
        );
        if ui.is_none() {
            eprintln!("lightrig: the UI is not built (npm run ui:build); the API works meanwhile");
        }
    }
    if args.start
        && let Err(e) = app.start().await
    {
        eprintln!("lightrig: could not start the node: {}", e.message);
    }
    let router = serve::router(shared, ui);
    let server = axum::serve(listener, router).with_graceful_shutdown(stop_signal());
    let code = match server.await {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("lightrig: the server stopped: {e}");
            exit::FAILED
        }
    };
    app.shutdown().await;
    if !json {
        eprintln!("lightrig: stopped; nothing is left running.");
    }
    code
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
