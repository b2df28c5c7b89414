//! Streaming download into a `.part` file in the install folder, hashed while it streams.
//!
//! - The `.part` file has a sidecar naming the URL, size and pinned SHA-256 it belongs to, so a
//!   partial file is resumed only for the very same pinned artifact, and is never taken for a
//!   complete one: completion is decided by the size and the hash, nothing else.
//! - A cut-off transfer is resumed with `Range: bytes=N-` when the server answers `206` with a
//!   `Content-Range` that starts at N and has the pinned total; any other answer restarts the
//!   file from zero.
//! - More bytes than the pinned size are refused as soon as they are announced or arrive.
//! - Writing and hashing run on two blocking threads fed by channels (see `sink.rs`), so the
//!   network, the disk and SHA-256 all work at once; the file is fsynced before it is checked.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_RANGE, RANGE};
use reqwest::{Client, StatusCode, Url};
use serde::{Deserialize, Serialize};

use super::error::InstallError;
use super::sink::{Op, Sink};
use super::types::Sha256Digest;

/// One progress report: bytes on disk so far, the pinned total, and the transfer rate of this
/// attempt in bytes per second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub bytes: u64,
    pub total: u64,
    pub rate_bytes_per_s: f64,
}

const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// What is being fetched and where it goes.
pub(crate) struct Target<'a> {
    pub url: &'a Url,
    pub size: u64,
    pub sha256: Sha256Digest,
    pub part: &'a Path,
}

/// Retry policy inside one install call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Retry {
    pub attempts: u32,
    pub delay: Duration,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Sidecar {
    url: String,
    size: u64,
    sha256: Sha256Digest,
}

pub(crate) fn sidecar_path(part: &Path) -> PathBuf {
    let mut name = part.file_name().unwrap_or_default().to_os_string();
    name.push(".json");
    part.with_file_name(name)
}

/// Removes a `.part` file and its sidecar; missing files are fine.
pub(crate) fn discard(part: &Path) {
    let _ = std::fs::remove_file(part);
    let _ = std::fs::remove_file(sidecar_path(part));
}

/// How many bytes of an earlier attempt can be resumed (0 when none, or when they belong to
/// another artifact or are longer than it).
fn resumable(t: &Target<'_>) -> u64 {
    let expected = Sidecar { url: t.url.to_string(), size: t.size, sha256: t.sha256 };
    let same = std::fs::read(sidecar_path(t.part))
        .ok()
        .and_then(|b| serde_json::from_slice::<Sidecar>(&b).ok())
        .is_some_and(|s| s == expected);
    match std::fs::metadata(t.part) {
        Ok(m) if same && m.len() <= t.size => m.len(),
        _ => {
            discard(t.part);
            0
        }
    }
}

/// Downloads go over https only, to a named host, with no credentials in the address. Plain
/// http is accepted only for 127.0.0.1/::1/localhost and only when the caller opted in.
pub(crate) fn check_url(url: &Url, allow_loopback_http: bool) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("`{url}` carries a user name or password: remove them"));
    }
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"));
    match url.scheme() {
        "https" if url.host_str().is_some() => Ok(()),
        "http" if loopback && allow_loopback_http => Ok(()),
        _ => Err(format!("`{url}` is not an https:// address: releases are fetched over https")),
    }
}

enum Pass {
    Done,
    /// Worth another attempt (cut off, server busy, bad resume answer).
    Retry(String),
}

/// Downloads `t.url` to `t.part` and checks size and SHA-256. On success the file is complete,
/// fsynced and verified; on a cut-off it is kept for the next call to resume; on any other
/// failure it is deleted.
pub(crate) async fn fetch_to_file(
    client: &Client,
    t: &Target<'_>,
    retry: Retry,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<(), InstallError> {
    let mut offset = resumable(t);
    let sidecar = Sidecar { url: t.url.to_string(), size: t.size, sha256: t.sha256 };
    let json = serde_json::to_vec(&sidecar).unwrap_or_default();
    // Only a hint for resuming (a lost or torn sidecar just means starting over): no fsync.
    std::fs::write(sidecar_path(t.part), &json)
        .map_err(|e| InstallError::io("write", sidecar_path(t.part), e))?;
    let resumed = offset > 0;
    let mut writer = Sink::start(t.part.to_owned(), offset).await?;
    let mut answered = false;
    let mut last = String::new();
    for attempt in 1..=retry.attempts.max(1) {
        if attempt > 1 {
            tokio::time::sleep(retry.delay).await;
        }
        match one_pass(client, t, &mut writer, &mut offset, &mut answered, progress).await {
            Ok(Pass::Done) => {
                last.clear();
                break;
            }
            Ok(Pass::Retry(reason)) => last = reason,
            Err(e) => {
                let _ = writer.finish().await;
                if !matches!(e, InstallError::Http { .. }) {
                    discard(t.part);
                }
                return Err(e);
            }
        }
    }
    let (digest, len) = writer.finish().await?;
    if !last.is_empty() {
        if !answered {
            return Err(InstallError::Network { url: t.url.to_string(), reason: last });
        }
        return Err(InstallError::Interrupted { received: len, total: t.size, reason: last });
    }
    if digest != t.sha256 {
        discard(t.part);
        if resumed {
            // The kept prefix may have been damaged (e.g. by a crash before it reached the
            // disk): start once more from zero before blaming the server.
            return Box::pin(fetch_to_file(client, t, retry, progress)).await;
        }
        return Err(InstallError::ChecksumMismatch {
            expected: t.sha256.to_string(),
            actual: digest.to_string(),
        });
    }
    Ok(())
}

async fn one_pass(
    client: &Client,
    t: &Target<'_>,
    writer: &mut Sink,
    offset: &mut u64,
    answered: &mut bool,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Pass, InstallError> {
    if *offset == t.size {
        // Everything is already here; the hash decides whether it is right.
        progress(Progress { bytes: t.size, total: t.size, rate_bytes_per_s: 0.0 });
        return Ok(Pass::Done);
    }
    let mut req = client.get(t.url.clone());
    if *offset > 0 {
        req = req.header(RANGE, format!("bytes={offset}-"));
    }
    let mut resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return Ok(Pass::Retry(error_chain(&e))),
    };
    *answered = true;
    let status = resp.status();
    match status {
        StatusCode::PARTIAL_CONTENT if range_fits(&resp, *offset, t.size) => {}
        StatusCode::PARTIAL_CONTENT | StatusCode::RANGE_NOT_SATISFIABLE => {
            writer.send(Op::Restart).await?;
            *offset = 0;
            return Ok(Pass::Retry("the server's answer to a resume did not fit".to_owned()));
        }
        StatusCode::OK => {
            if *offset > 0 {
                writer.send(Op::Restart).await?; // no range support: start over cleanly
                *offset = 0;
            }
        }
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
            return Ok(Pass::Retry(format!("the server answered HTTP {}", s.as_u16())));
        }
        s => return Err(InstallError::Http { url: t.url.to_string(), status: s.as_u16() }),
    }
    if resp.content_length().is_some_and(|n| offset.saturating_add(n) > t.size) {
        return Err(InstallError::TooLarge { url: t.url.to_string(), limit: t.size });
    }
    let started = Instant::now();
    let (from, mut last_report) = (*offset, None::<Instant>);
    loop {
        match resp.chunk().await {
            Ok(Some(bytes)) => {
                let n = bytes.len() as u64;
                if offset.saturating_add(n) > t.size {
                    return Err(InstallError::TooLarge { url: t.url.to_string(), limit: t.size });
                }
                writer.send(Op::Data(bytes)).await?;
                *offset += n;
                if last_report.is_none_or(|l| l.elapsed() >= PROGRESS_EVERY) || *offset == t.size {
                    let secs = started.elapsed().as_secs_f64().max(1e-6);
                    let rate = (*offset - from) as f64 / secs;
                    progress(Progress { bytes: *offset, total: t.size, rate_bytes_per_s: rate });
                    last_report = Some(Instant::now());
                }
            }
            Ok(None) if *offset == t.size => return Ok(Pass::Done),
            Ok(None) => return Ok(Pass::Retry("the connection closed early".to_owned())),
            Err(e) => return Ok(Pass::Retry(error_chain(&e))),
        }
    }
}

/// A `206` is used only when its `Content-Range` is `bytes <offset>-<end>/<size>`.
fn range_fits(resp: &reqwest::Response, offset: u64, size: u64) -> bool {
    let Some(value) = resp.headers().get(CONTENT_RANGE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let parsed = value.strip_prefix("bytes ").and_then(|r| {
        let (range, total) = r.split_once('/')?;
        let (start, end) = range.split_once('-')?;
        Some((start.parse::<u64>().ok()?, end.parse::<u64>().ok()?, total.parse::<u64>().ok()?))
    });
    matches!(parsed, Some((s, e, total)) if s == offset && total == size && e >= s && e < size)
}

/// reqwest's top-level message ("error decoding response body") hides the cause.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Downloads a small file (a checksum list or a signature) into memory, refusing more than
/// `cap` bytes.
pub(crate) async fn fetch_small(
    client: &Client,
    url: &Url,
    cap: u64,
) -> Result<Vec<u8>, InstallError> {
    let net =
        |e: reqwest::Error| InstallError::Network { url: url.to_string(), reason: error_chain(&e) };
    let mut resp = client.get(url.clone()).send().await.map_err(net)?;
    if !resp.status().is_success() {
        return Err(InstallError::Http { url: url.to_string(), status: resp.status().as_u16() });
    }
    let too_large = || InstallError::TooLarge { url: url.to_string(), limit: cap };
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(too_large());
    }
    let mut out = Vec::new();
    while let Some(bytes) = resp.chunk().await.map_err(net)? {
        if (out.len() + bytes.len()) as u64 > cap {
            return Err(too_large());
        }
        out.extend_from_slice(&bytes);
    }
    Ok(out)
}
