//! The blocking side of a download: one thread appends chunks to the `.part` file, another
//! hashes them. Both get the same reference-counted chunk, so nothing is copied, and SHA-256
//! (about as fast as a disk copy on current CPUs) never waits for the disk or the other way
//! round. The async side only receives from the network and hands chunks over.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use sha2::Digest as _;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::error::InstallError;
use super::types::Sha256Digest;

/// What the async side asks of the blocking side.
#[derive(Clone)]
pub(crate) enum Op {
    Data(Bytes),
    /// Throw away everything so far and start the file again from zero.
    Restart,
}

/// Chunks the threads may hold before the network side waits: a bound on memory use.
const QUEUE: usize = 64;

/// Flush to disk every this many bytes while downloading, so the final fsync has little left
/// to do and the disk works while the network and the hash do.
const SYNC_EVERY: u64 = 8 << 20;

pub(crate) struct Sink {
    path: PathBuf,
    txs: Option<[mpsc::Sender<Op>; 2]>,
    hasher: Option<JoinHandle<io::Result<(Sha256Digest, u64)>>>,
    writer: Option<JoinHandle<io::Result<u64>>>,
}

impl Sink {
    /// Starts both threads on `path`, keeping its first `resume_from` bytes. Those are hashed
    /// first, before anything can truncate the file.
    pub async fn start(path: PathBuf, resume_from: u64) -> Result<Sink, InstallError> {
        let p = path.clone();
        let seeded = tokio::task::spawn_blocking(move || hash_prefix(&p, resume_from)).await;
        let seeded = match seeded {
            Ok(Ok(hasher)) => hasher,
            Ok(Err(e)) => return Err(InstallError::io("read", &path, e)),
            Err(e) => return Err(InstallError::io("read", &path, io::Error::other(e.to_string()))),
        };
        let (hash_tx, hash_rx) = mpsc::channel(QUEUE);
        let (write_tx, write_rx) = mpsc::channel(QUEUE);
        let wp = path.clone();
        let hasher = tokio::task::spawn_blocking(move || hash_loop(seeded, resume_from, hash_rx));
        let writer = tokio::task::spawn_blocking(move || write_loop(&wp, resume_from, write_rx));
        Ok(Sink {
            path,
            txs: Some([hash_tx, write_tx]),
            hasher: Some(hasher),
            writer: Some(writer),
        })
    }

    pub async fn send(&mut self, op: Op) -> Result<(), InstallError> {
        let mut sent = false;
        if let Some([hash_tx, write_tx]) = &self.txs {
            sent = hash_tx.send(op.clone()).await.is_ok() && write_tx.send(op).await.is_ok();
        }
        if sent {
            return Ok(());
        }
        // A thread stopped early, which only happens on an I/O error: report that error.
        self.finish().await?;
        Err(self.failed("the writer stopped"))
    }

    /// Ends the threads: the file is flushed and fsynced. Returns its SHA-256 and length.
    pub async fn finish(&mut self) -> Result<(Sha256Digest, u64), InstallError> {
        self.txs = None;
        let (Some(hasher), Some(writer)) = (self.hasher.take(), self.writer.take()) else {
            return Err(self.failed("the writer stopped"));
        };
        let written = self.join(writer).await?;
        let (digest, hashed) = self.join(hasher).await?;
        if written != hashed {
            return Err(self.failed("the writer and the hasher disagree on the length"));
        }
        Ok((digest, written))
    }

    async fn join<T>(&self, task: JoinHandle<io::Result<T>>) -> Result<T, InstallError> {
        match task.await {
            Ok(Ok(done)) => Ok(done),
            Ok(Err(e)) => Err(InstallError::io("write", &self.path, e)),
            Err(e) => Err(self.failed(&e.to_string())),
        }
    }

    fn failed(&self, why: &str) -> InstallError {
        InstallError::io("write", &self.path, io::Error::other(why.to_owned()))
    }
}

fn hash_prefix(path: &Path, len: u64) -> io::Result<sha2::Sha256> {
    let mut hasher = sha2::Sha256::new();
    if len == 0 {
        return Ok(hasher);
    }
    let mut prefix = File::open(path)?.take(len);
    let mut buf = vec![0u8; 1 << 20];
    let mut seen = 0u64;
    loop {
        let n = prefix.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        seen += n as u64;
    }
    if seen != len {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the partial file shrank"));
    }
    Ok(hasher)
}

fn hash_loop(
    mut hasher: sha2::Sha256,
    resume_from: u64,
    mut rx: mpsc::Receiver<Op>,
) -> io::Result<(Sha256Digest, u64)> {
    let mut len = resume_from;
    while let Some(op) = rx.blocking_recv() {
        match op {
            Op::Data(chunk) => {
                hasher.update(&chunk);
                len += chunk.len() as u64;
            }
            Op::Restart => {
                hasher = sha2::Sha256::new();
                len = 0;
            }
        }
    }
    Ok((Sha256Digest(hasher.finalize().into()), len))
}

fn write_loop(path: &Path, resume_from: u64, mut rx: mpsc::Receiver<Op>) -> io::Result<u64> {
    let mut file = OpenOptions::new().write(true).create(true).truncate(false).open(path)?;
    file.set_len(resume_from)?;
    file.seek(SeekFrom::End(0))?;
    let mut len = resume_from;
    let mut unsynced = 0u64;
    while let Some(op) = rx.blocking_recv() {
        match op {
            Op::Data(chunk) => {
                file.write_all(&chunk)?;
                len += chunk.len() as u64;
                unsynced += chunk.len() as u64;
                if unsynced >= SYNC_EVERY {
                    file.sync_data()?;
                    unsynced = 0;
                }
            }
            Op::Restart => {
                file.set_len(0)?;
                file.seek(SeekFrom::Start(0))?;
                len = 0;
            }
        }
    }
    file.sync_all()?;
    Ok(len)
}
