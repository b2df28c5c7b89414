//! The node's output: every line goes into a bounded in-memory ring (what the UI shows) and a
//! size-capped log file that rotates to one previous file (what a user attaches to a report).

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::model::UnixMillis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
    /// Lines Lightrig itself adds to the node's log (start, stop, crash).
    Lightrig,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct LogLine {
    pub seq: u64,
    pub at_ms: UnixMillis,
    pub stream: Stream,
    pub text: String,
}

/// A bounded ring of recent lines, shared between the supervisor and readers.
#[derive(Debug, Clone)]
pub struct LogRing {
    inner: Arc<Mutex<RingInner>>,
    /// Every new line, for live views. Slow readers skip lines (they can backfill with
    /// `since`); the ring itself never waits for them.
    tx: tokio::sync::broadcast::Sender<LogLine>,
}

#[derive(Debug)]
struct RingInner {
    lines: VecDeque<LogLine>,
    capacity: usize,
    next_seq: u64,
}

/// Longest line kept; a node that prints megabytes without a newline cannot fill memory.
pub const MAX_LINE: usize = 4096;

impl LogRing {
    pub fn new(capacity: usize) -> Self {
        LogRing {
            inner: Arc::new(Mutex::new(RingInner {
                lines: VecDeque::with_capacity(capacity.min(4096)),
                capacity: capacity.max(1),
                next_seq: 1,
            })),
            tx: tokio::sync::broadcast::channel(256).0,
        }
    }

    /// Receives each line pushed from now on.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<LogLine> {
        self.tx.subscribe()
    }

    pub fn push(&self, stream: Stream, text: &str) -> LogLine {
        let mut text = text.trim_end_matches(['\r', '\n']).to_owned();
        if text.len() > MAX_LINE {
            let mut cut = MAX_LINE;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
        }
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let line = LogLine { seq: g.next_seq, at_ms: crate::model::now_millis(), stream, text };
        g.next_seq += 1;
        if g.lines.len() == g.capacity {
            g.lines.pop_front();
        }
        g.lines.push_back(line.clone());
        drop(g);
        let _ = self.tx.send(line.clone());
        line
    }

    /// Lines with `seq > after`, oldest first.
    pub fn since(&self, after: u64) -> Vec<LogLine> {
        let g = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        g.lines.iter().filter(|l| l.seq > after).cloned().collect()
    }

    /// The last `n` lines, oldest first.
    pub fn tail(&self, n: usize) -> Vec<LogLine> {
        let g = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        g.lines.iter().skip(g.lines.len().saturating_sub(n)).cloned().collect()
    }
}

/// A log file capped at `max_bytes`; when full it becomes `<name>.1` (replacing the older one).
#[derive(Debug)]
pub struct RotatingFile {
    path: PathBuf,
    max_bytes: u64,
    file: Option<std::fs::File>,
    written: u64,
}

impl RotatingFile {
    pub fn new(path: &Path, max_bytes: u64) -> Self {
        RotatingFile {
            path: path.to_owned(),
            max_bytes: max_bytes.max(1024),
            file: None,
            written: 0,
        }
    }

    pub fn write_line(&mut self, line: &LogLine) -> std::io::Result<()> {
        if self.file.is_none() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let f = std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
            self.written = f.metadata()?.len();
            self.file = Some(f);
        }
        let stamp =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(line.at_ms) * 1_000_000)
                .ok()
                .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
                .unwrap_or_default();
        let stream = match line.stream {
            Stream::Stdout => "out",
            Stream::Stderr => "err",
            Stream::Lightrig => "lightrig",
        };
        let text = format!("{stamp} [{stream}] {}\n", line.text);
        if self.written + text.len() as u64 > self.max_bytes {
            self.file = None;
            let mut rotated = self.path.clone().into_os_string();
            rotated.push(".1");
            std::fs::rename(&self.path, PathBuf::from(rotated))?;
            return self.write_line(line);
        }
        if let Some(f) = self.file.as_mut() {
            f.write_all(text.as_bytes())?;
            self.written += text.len() as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_the_newest_lines_and_caps_line_length() {
        let ring = LogRing::new(3);
        for i in 0..5 {
            ring.push(Stream::Stdout, &format!("line {i}\n"));
        }
        let tail: Vec<_> = ring.tail(10).into_iter().map(|l| l.text).collect();
        assert_eq!(tail, vec!["line 2", "line 3", "line 4"]);
        assert_eq!(ring.since(4).len(), 1);
        let long = ring.push(Stream::Stderr, &"é".repeat(5000));
        assert!(long.text.len() <= MAX_LINE + '…'.len_utf8());
    }

    #[test]
    fn file_rotates_at_its_size_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("node.log");
        let mut f = RotatingFile::new(&path, 1024);
        let ring = LogRing::new(10);
        for i in 0..40 {
            f.write_line(&ring.push(Stream::Stdout, &format!("{i:03} {}", "x".repeat(40))))
                .unwrap();
        }
        let cur = std::fs::metadata(&path).unwrap().len();
        let old = std::fs::metadata(dir.path().join("node.log.1")).unwrap().len();
        assert!(cur <= 1024 && old <= 1024, "{cur} {old}");
        assert!(std::fs::read_to_string(&path).unwrap().contains("039 "));
    }
}
