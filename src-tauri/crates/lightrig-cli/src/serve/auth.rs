//! Browser mode is reachable only by whoever holds the token Lightrig printed, and only
//! through the names it serves on: the Host header must be ours (no DNS rebinding) and an
//! Origin, when the browser sends one, must be ours too (no cross-site calls).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lightrig_core::api::ApiError;

use super::Shared;

/// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(ApiError::new(code, message))).into_response()
}

/// Host and Origin checks for every request, API or not.
pub async fn origin_guard(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !s.hosts.iter().any(|h| h == host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "http.host",
            "this address is not one Lightrig serves on: open the link Lightrig printed",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| s.hosts.iter().any(|h| h == o));
        if !ok {
            return refuse(
                StatusCode::FORBIDDEN,
                "http.origin",
                "requests from other sites are refused",
            );
        }
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    );
    res
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// The token check for the API and /metrics.
pub async fn token_guard(State(s): State<Shared>, req: Request, next: Next) -> Response {
    match bearer(req.headers()) {
        Some(t) if same(t.as_bytes(), s.token.expose().as_bytes()) => next.run(req).await,
        _ => refuse(
            StatusCode::UNAUTHORIZED,
            "http.token",
            "missing or wrong token: open the link Lightrig printed (it carries the token)",
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn constant_time_compare_is_exact() {
        assert!(super::same(b"abc", b"abc"));
        assert!(!super::same(b"abc", b"abd"));
        assert!(!super::same(b"abc", b"abcd"));
    }
}
