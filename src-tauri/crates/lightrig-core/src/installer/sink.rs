//! The blocking side of a download: one thread appends to the `.part` file, another hashes,
//! so SHA-256 (about as fast as a disk copy on current CPUs) never waits for the disk or the
//! other way round. The async side only receives from the network: it packs the network's
//! chunks into 1 MiB batches and hands each batch to both threads, shared, not copied. A
//! batch's buffer comes back to the async side when both threads are done with it, so a
//! download reuses a few buffers instead of touching fresh memory for every chunk, and the
//! network's own buffer is free again as soon as its bytes are packed.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use std::sync::Arc;

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

/// Size of one batch handed to the threads.
const BATCH: usize = 1 << 20;

/// Batches the threads may hold before the network side waits: a bound on memory use
/// (`QUEUE` MiB).
const QUEUE: usize = 16;

/// What the threads receive: a batch shared by both, or a restart.
#[derive(Clone)]
enum Msg {
    Data(Arc<Vec<u8>>),
    Restart,
}

/// Whoever drops a batch last gives its buffer back for the next one.
fn recycle(batch: Arc<Vec<u8>>, pool: &mpsc::UnboundedSender<Vec<u8>>) {
    if let Some(buf) = Arc::into_inner(batch) {
        let _ = pool.send(buf);
    }
}

/// Every this many bytes the writer asks the OS to start writing them to the disk, without
/// waiting (Linux). The disk then works while the network and the hash do, and the one fsync
/// at the end has little left to do. Elsewhere the final fsync does it all.
const WRITEBACK_EVERY: u64 = 8 << 20;

pub(crate) struct Sink {
    path: PathBuf,
    /// The batch being filled.
    batch: Vec<u8>,
    /// Buffers the threads are done with.
    pool: mpsc::UnboundedReceiver<Vec<u8>>,
    txs: Option<[mpsc::Sender<Msg>; 2]>,
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
        let (pool_tx, pool) = mpsc::unbounded_channel();
        let (wp, hash_pool) = (path.clone(), pool_tx.clone());
        let hasher = tokio::task::spawn_blocking(move || {
            hash_loop(seeded, resume_from, hash_rx, &hash_pool)
        });
        let writer =
            tokio::task::spawn_blocking(move || write_loop(&wp, resume_from, write_rx, &pool_tx));
        Ok(Sink {
            path,
            batch: Vec::with_capacity(BATCH),
            pool,
            txs: Some([hash_tx, write_tx]),
            hasher: Some(hasher),
            writer: Some(writer),
        })
    }

    pub async fn send(&mut self, op: Op) -> Result<(), InstallError> {
        match op {
            Op::Data(mut chunk) => {
                while !chunk.is_empty() {
                    let room = BATCH - self.batch.len();
                    let part = chunk.split_to(room.min(chunk.len()));
                    self.batch.extend_from_slice(&part);
                    if self.batch.len() == BATCH {
                        self.flush().await?;
                    }
                }
                Ok(())
            }
            Op::Restart => {
                self.batch.clear();
                self.deliver(Msg::Restart).await
            }
        }
    }

    /// Hands the batch being filled to both threads.
    async fn flush(&mut self) -> Result<(), InstallError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut next = self.pool.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
        next.clear();
        let full = std::mem::replace(&mut self.batch, next);
        self.deliver(Msg::Data(Arc::new(full))).await
    }

    async fn deliver(&mut self, msg: Msg) -> Result<(), InstallError> {
        let mut sent = false;
        if let Some([hash_tx, write_tx]) = &self.txs {
            sent = hash_tx.send(msg.clone()).await.is_ok() && write_tx.send(msg).await.is_ok();
        }
        if sent {
            return Ok(());
        }
        // A thread stopped early, which only happens on an I/O error: report that error.
        self.finish().await?;
        Err(self.failed("the writer stopped"))
    }

    /// Hands over what is left, then ends the threads: the file is written and fsynced.
    /// Returns its SHA-256 and length.
    pub async fn finish(&mut self) -> Result<(Sha256Digest, u64), InstallError> {
        if self.txs.is_some() {
            let last = std::mem::take(&mut self.batch);
            if !last.is_empty() {
                Box::pin(self.deliver(Msg::Data(Arc::new(last)))).await?;
            }
        }
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
    mut rx: mpsc::Receiver<Msg>,
    pool: &mpsc::UnboundedSender<Vec<u8>>,
) -> io::Result<(Sha256Digest, u64)> {
    let mut len = resume_from;
    while let Some(msg) = rx.blocking_recv() {
        match msg {
            Msg::Data(batch) => {
                hasher.update(batch.as_slice());
                len += batch.len() as u64;
                recycle(batch, pool);
            }
            Msg::Restart => {
                hasher = sha2::Sha256::new();
                len = 0;
            }
        }
    }
    Ok((Sha256Digest(hasher.finalize().into()), len))
}

fn write_loop(
    path: &Path,
    resume_from: u64,
    mut rx: mpsc::Receiver<Msg>,
    pool: &mpsc::UnboundedSender<Vec<u8>>,
) -> io::Result<u64> {
    let mut file = OpenOptions::new().write(true).create(true).truncate(false).open(path)?;
    file.set_len(resume_from)?;
    file.seek(SeekFrom::End(0))?;
    let mut len = resume_from;
    let mut written_back = resume_from;
    while let Some(msg) = rx.blocking_recv() {
        match msg {
            Msg::Data(batch) => {
                file.write_all(&batch)?;
                len += batch.len() as u64;
                recycle(batch, pool);
                if len - written_back >= WRITEBACK_EVERY {
                    start_writeback(&file, written_back, len);
                    written_back = len;
                }
            }
            Msg::Restart => {
                file.set_len(0)?;
                file.seek(SeekFrom::Start(0))?;
                len = 0;
                written_back = 0;
            }
        }
    }
    // The one fsync: nothing is checked, unpacked or installed before the bytes are on disk.
    file.sync_all()?;
    Ok(len)
}

/// Starts writing `from..to` of `file` to the disk and returns at once. Only a hint: if it
/// fails, the final fsync does the work.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, from: u64, to: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(from), i64::try_from(to - from)) else { return };
    // SAFETY: the descriptor belongs to `file`, which is open for the whole call; the call
    // only reads its arguments and touches no memory of ours.
    let _ = unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE)
    };
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _from: u64, _to: u64) {}
