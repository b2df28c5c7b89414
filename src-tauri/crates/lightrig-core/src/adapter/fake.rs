//! A fake node API for adapter tests: a plain TCP listener on 127.0.0.1 that answers each
//! request from a table of canned replies (usually responses recorded from the real node).
//! Besides good answers it can misbehave the ways a real node or a hostile local process can:
//! a huge body, a body that never ends, a slow answer, a dropped connection.

#![allow(dead_code)] // a kit: each adapter test uses the parts it needs
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the fake answers one route.
#[derive(Debug, Clone)]
pub enum Reply {
    /// `200` with a JSON body.
    Json(String),
    /// Any status, content type and body.
    Raw { status: u16, content_type: &'static str, body: Vec<u8> },
    /// `200` announcing and then streaming `n` bytes of JSON-looking filler.
    Huge(usize),
    /// `200` with chunked encoding, then one byte per 100 ms forever.
    Endless,
    /// Waits, then answers with the inner reply.
    Slow(Duration, Box<Reply>),
    /// Closes the connection without answering.
    Close,
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path with the query string, as sent.
    pub target: String,
    /// Header lines, names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

type Routes = Arc<Mutex<Vec<(String, Reply)>>>;
/// When set, every request must carry `Authorization: Bearer <token>` or it gets a 401, as
/// XMRig's API does once it has an access token.
type Bearer = Arc<Mutex<Option<String>>>;

/// A running fake. Dropping it stops accepting connections.
pub struct FakeServer {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    routes: Routes,
    seen: Arc<Mutex<Vec<Seen>>>,
    bearer: Bearer,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeServer {
    /// Starts a fake answering `routes`: each key is `"METHOD /path"` (the query string is not
    /// part of the match). An unknown route gets a 404.
    pub async fn start(routes: Vec<(&str, Reply)>) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let routes: Routes =
            Arc::new(Mutex::new(routes.into_iter().map(|(k, r)| (k.to_owned(), r)).collect()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let bearer: Bearer = Arc::new(Mutex::new(None));
        let (r, s, b) = (routes.clone(), seen.clone(), bearer.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, r.clone(), s.clone(), b.clone()));
            }
        });
        FakeServer { base: format!("http://127.0.0.1:{port}"), routes, seen, bearer, task }
    }

    /// From now on, answers 401 to any request without `Authorization: Bearer <token>`.
    pub fn require_bearer(&self, token: &str) {
        *self.bearer.lock().expect("bearer") = Some(token.to_owned());
    }

    /// Replaces (or adds) the reply for one route, e.g. to make the next poll see a new answer.
    pub fn set(&self, route: &str, reply: Reply) {
        let mut routes = self.routes.lock().expect("routes");
        match routes.iter_mut().find(|(k, _)| k == route) {
            Some(entry) => entry.1 = reply,
            None => routes.push((route.to_owned(), reply)),
        }
    }

    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen").clone()
    }

    /// The port, for adapters configured by port.
    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().and_then(|p| p.parse().ok()).expect("port")
    }
}

async fn serve(mut stream: TcpStream, routes: Routes, seen: Arc<Mutex<Vec<Seen>>>, bearer: Bearer) {
    let Some(req) = read_request(&mut stream).await else { return };
    let path = req.target.split('?').next().unwrap_or("").to_owned();
    let key = format!("{} {}", req.method, path);
    let wanted = bearer.lock().expect("bearer").clone().map(|t| format!("Bearer {t}"));
    let authorized = wanted.is_none_or(|w| req.header("authorization") == Some(w.as_str()));
    seen.lock().expect("seen").push(req);
    if !authorized {
        let body = b"{\"error\":\"Unauthorized\"}".to_vec();
        answer(&mut stream, Reply::Raw { status: 401, content_type: "application/json", body })
            .await;
        return;
    }
    let reply =
        routes.lock().expect("routes").iter().find(|(k, _)| *k == key).map(|(_, r)| r.clone());
    let reply = reply.unwrap_or(Reply::Raw {
        status: 404,
        content_type: "text/plain",
        body: b"not found".to_vec(),
    });
    answer(&mut stream, reply).await;
}

async fn answer(stream: &mut TcpStream, mut reply: Reply) {
    while let Reply::Slow(delay, inner) = reply {
        tokio::time::sleep(delay).await;
        reply = *inner;
    }
    match reply {
        Reply::Json(body) => {
            write_whole(stream, 200, "application/json", body.as_bytes()).await;
        }
        Reply::Raw { status, content_type, body } => {
            write_whole(stream, status, content_type, &body).await;
        }
        Reply::Huge(n) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {n}\r\nconnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut left = n;
            while left > 0 {
                let k = left.min(chunk.len());
                if stream.write_all(&chunk[..k]).await.is_err() {
                    return;
                }
                left -= k;
            }
        }
        Reply::Endless => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            loop {
                if stream.write_all(b"1\r\n \r\n").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Reply::Close | Reply::Slow(..) => {}
    }
    let _ = stream.shutdown().await;
}

async fn write_whole(stream: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    if stream.write_all(head.as_bytes()).await.is_ok() {
        let _ = stream.write_all(body).await;
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut tmp).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&tmp[..n]);
    }
    Some(Seen { method, target, headers, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fake_answers_routes_and_records_requests() {
        let fake = FakeServer::start(vec![("GET /a", Reply::Json("{\"x\":1}".into()))]).await;
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let body = client.get(format!("{}/a?q=1", fake.base)).send().await.unwrap();
        assert_eq!(body.text().await.unwrap(), "{\"x\":1}");
        let missing = client.get(format!("{}/b", fake.base)).send().await.unwrap();
        assert_eq!(missing.status().as_u16(), 404);
        assert_eq!(fake.seen()[0].target, "/a?q=1");
    }
}
