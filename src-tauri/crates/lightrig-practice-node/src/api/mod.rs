//! The local HTTP status/control API. Small JSON answers, never streamed. Everything except
//! `GET /health` needs `Authorization: Bearer <token>`; the token is compared in constant time.

mod handlers;
mod status;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::token::Token;
use crate::work::Miner;

/// Largest request body accepted; `{"threads":N}` needs a few bytes.
pub const MAX_BODY: usize = 4 * 1024;

/// State shared by every request.
#[derive(Debug)]
pub struct AppState {
    pub miner: Arc<Miner>,
    pub token: Token,
    pub started: Instant,
    pub max_threads: usize,
    /// Fault: from this instant on, requests are accepted but never answered.
    pub hang_at: Option<Instant>,
    /// Fault: `/status` answers with a body that is not JSON.
    pub malformed_json: bool,
}

/// Builds the router.
pub fn router(state: Arc<AppState>) -> Router {
    let protected = Router::new()
        .route("/status", get(handlers::status))
        .route("/pause", post(handlers::pause))
        .route("/resume", post(handlers::resume))
        .route("/threads", post(handlers::threads))
        .route_layer(middleware::from_fn_with_state(Arc::clone(&state), require_token));
    Router::new()
        .route("/health", get(handlers::health))
        .merge(protected)
        .fallback(handlers::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), hang_fault))
        .with_state(state)
}

/// A JSON error body: `{"error":"..."}`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message.into() }))).into_response()
}

async fn require_token(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    match presented {
        Some(token) if state.token.matches(token.as_bytes()) => next.run(request).await,
        _ => {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "missing or wrong bearer token: send 'Authorization: Bearer <token>' with the \
                 token given in LIGHTRIG_PRACTICE_TOKEN",
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

/// The hang-api fault: once due, every request is read and then left unanswered forever.
async fn hang_fault(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if state.hang_at.is_some_and(|at| Instant::now() >= at) {
        return std::future::pending().await;
    }
    next.run(request).await
}
