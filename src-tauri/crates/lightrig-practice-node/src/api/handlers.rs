//! Request handlers: each translates one request into a call on the miner.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::status::Status;
use super::{AppState, MAX_BODY, error};
use crate::out::{complain, say};

pub async fn health() -> Response {
    Json(serde_json::json!({ "ok": true, "simulated": true })).into_response()
}

pub async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such endpoint (try /health, /status, /pause, /resume, /threads)",
    )
}

#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    /// Only reward items numbered above this are returned, to keep polls small.
    since: Option<u64>,
}

pub async fn status(
    State(state): State<Arc<AppState>>,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Response {
    let since = match query {
        Ok(Query(query)) => query.since.unwrap_or(0),
        Err(_) => {
            return error(StatusCode::BAD_REQUEST, "since must be a non-negative integer");
        }
    };
    if state.malformed_json {
        // Fault: a truncated document, so clients must cope with unparsable answers.
        let body = format!(
            "{{\"version\":\"{}\",\"simulated\":true,\"run_id\":",
            env!("CARGO_PKG_VERSION")
        );
        return ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    Json(Status::capture(&state, since)).into_response()
}

pub async fn pause(State(state): State<Arc<AppState>>) -> Response {
    if state.miner.set_paused(true) {
        say!("paused");
    }
    Json(Status::capture(&state, 0)).into_response()
}

pub async fn resume(State(state): State<Arc<AppState>>) -> Response {
    if state.miner.set_paused(false) {
        say!("resumed");
    }
    Json(Status::capture(&state, 0)).into_response()
}

pub async fn threads(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body is larger than {MAX_BODY} bytes"),
            );
        }
        Err(rejection) => return error(rejection.status(), rejection.body_text()),
    };
    let range = format!("threads must be between 1 and {}", state.max_threads);
    let requested = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(value) => value.get("threads").and_then(serde_json::Value::as_u64),
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("body must be JSON like {{\"threads\": 2}} ({e}); {range}"),
            );
        }
    };
    let threads = match requested.and_then(|n| usize::try_from(n).ok()) {
        Some(n) if (1..=state.max_threads).contains(&n) => n,
        _ => return error(StatusCode::BAD_REQUEST, range),
    };
    let miner = Arc::clone(&state.miner);
    match miner.set_threads(threads) {
        Ok(before) if before != threads => say!("threads {before} -> {threads}"),
        Ok(_) => {}
        Err(e) => {
            complain!("could not start a worker thread: {e}");
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("could not start a worker thread: {e}"),
            );
        }
    }
    Json(Status::capture(&state, 0)).into_response()
}
