//! A file server on 127.0.0.1 with switches for the faults the installer must survive: no
//! range support, a connection cut after N bytes, a body larger than announced, no length.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response, StatusCode, header};

/// How one file is served.
#[derive(Debug, Clone, Default)]
pub struct Serve {
    pub body: Vec<u8>,
    /// Answer `Range: bytes=N-` with 206 (otherwise always 200 with the whole file).
    pub ranges: bool,
    /// The first `cut_times` responses stop after `cut_at` bytes of their body.
    pub cut_times: usize,
    pub cut_at: usize,
    /// Send no Content-Length (chunked), so only the streamed bytes reveal the size.
    pub chunked: bool,
    /// Answer a range request with 206 but the whole file and `Content-Range: bytes 0-…`.
    pub wrong_range: bool,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub range: Option<String>,
    pub status: u16,
}

#[derive(Default)]
struct Inner {
    files: HashMap<String, Serve>,
    seen: Vec<Seen>,
}

#[derive(Clone)]
pub struct Server {
    inner: Arc<Mutex<Inner>>,
    pub addr: SocketAddr,
}

impl Server {
    pub async fn start() -> Server {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = axum::Router::new()
            .route("/{*path}", axum::routing::get(handle))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Server { inner, addr }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    pub fn put(&self, path: &str, serve: Serve) {
        self.inner.lock().unwrap().files.insert(path.to_owned(), serve);
    }

    pub fn file(&self, path: &str, body: &[u8]) {
        self.put(path, Serve { body: body.to_vec(), ranges: true, ..Serve::default() });
    }

    pub fn seen(&self, path: &str) -> Vec<Seen> {
        self.inner.lock().unwrap().seen.iter().filter(|s| s.path == path).cloned().collect()
    }
}

async fn handle(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut guard = inner.lock().unwrap();
    let Some(serve) = guard.files.get_mut(&path) else {
        guard.seen.push(Seen { path, range, status: 404 });
        return Response::builder().status(404).body(Body::empty()).unwrap();
    };
    let cut = (serve.cut_times > 0).then(|| {
        serve.cut_times -= 1;
        serve.cut_at
    });
    let serve = serve.clone();
    let len = serve.body.len();
    let start = match (&range, serve.ranges) {
        (Some(r), true) => r
            .strip_prefix("bytes=")
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n < len),
        _ => None,
    };
    let status = if start.is_some() { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK };
    guard.seen.push(Seen { path, range, status: status.as_u16() });
    drop(guard);

    let from = if serve.wrong_range { 0 } else { start.unwrap_or(0) };
    let mut resp = Response::builder().status(status);
    if start.is_some() {
        resp = resp.header(header::CONTENT_RANGE, format!("bytes {from}-{}/{len}", len - 1));
    }
    if serve.ranges {
        resp = resp.header(header::ACCEPT_RANGES, "bytes");
    }
    let body = serve.body[from..].to_vec();
    if !serve.chunked {
        resp = resp.header(header::CONTENT_LENGTH, body.len());
    }
    // The body is fed from a task, with a pause before a cut, so the bytes before the cut
    // really reach the client (an error in a ready stream would drop them unsent).
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let end = cut.map_or(body.len(), |c| c.min(body.len()));
    tokio::spawn(async move {
        for piece in body[..end].chunks(16 * 1024) {
            if tx.send(Ok(piece.to_vec())).await.is_err() {
                return;
            }
        }
        if cut.is_some() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let _ = tx.send(Err(std::io::Error::other("connection cut by the test"))).await;
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    resp.body(Body::from_stream(stream)).unwrap()
}
