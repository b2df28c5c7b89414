//! A guard around a spawned practice node: it collects output lines, speaks the API with the
//! run's token, and kills the node's whole process group (grandchild included) when dropped,
//! so a failing test never leaves a hashing process behind.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_lightrig-practice-node");
pub const TOKEN_ENV: &str = "LIGHTRIG_PRACTICE_TOKEN";
pub const FAULTS_ENV: &str = "LIGHTRIG_PRACTICE_FAULTS";
/// Generous: the machine is slow and shared, and debug builds are slower still.
pub const PATIENCE: Duration = Duration::from_secs(60);
/// A difficulty that gives a few shares a second even on a slow machine, without a flood.
pub const EASY: &str = "20000";

/// A token unique to this test process and call.
pub fn new_token() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!("tok_{}_{}_canary-Zq9", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

type Lines = Arc<Mutex<Vec<String>>>;

fn collect(stream: impl Read + Send + 'static) -> Lines {
    let lines: Lines = Arc::default();
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            match line {
                Ok(line) => sink.lock().unwrap().push(line),
                Err(_) => break,
            }
        }
    });
    lines
}

#[derive(Debug)]
pub struct Node {
    child: Child,
    reaped: bool,
    pub port: u16,
    pub token: String,
    stdout: Lines,
    stderr: Lines,
    http: reqwest::Client,
}

impl Node {
    /// Starts a node on a free port with a fresh token and `args`, and waits until it listens.
    pub fn start(args: &[&str]) -> Node {
        let node = Node::launch(args, &[]);
        node.wait_stdout("practice: listening on");
        node
    }

    /// Starts the binary with `--api-port <free>` prepended to `args`, a fresh token unless
    /// `env` sets one, and extra environment; does not wait for anything.
    pub fn launch(args: &[&str], env: &[(&str, Option<&str>)]) -> Node {
        let port = free_port();
        let token = new_token();
        let mut command = Command::new(BIN);
        command
            .arg("--api-port")
            .arg(port.to_string())
            .args(args)
            .env_remove(FAULTS_ENV)
            .env(TOKEN_ENV, &token)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        Node::spawn(command, port, token)
    }

    /// Starts the binary with exactly `args` (no port added) and the given environment.
    pub fn launch_raw(args: &[&str], env: &[(&str, Option<&str>)]) -> Node {
        let mut command = Command::new(BIN);
        command.args(args).env_remove(FAULTS_ENV).env_remove(TOKEN_ENV);
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (key, value) in env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        Node::spawn(command, 0, String::new())
    }

    fn spawn(mut command: Command, port: u16, token: String) -> Node {
        // Its own process group, as the supervisor starts nodes, so Drop can kill the tree.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
        Node { child, reaped: false, port, token, stdout, stderr, http }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits for a stdout line containing `needle` and returns it.
    pub fn wait_stdout(&self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.stdout().into_iter().find(|l| l.contains(needle)) {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no stdout line with {needle:?}; stdout {:?} stderr {:?}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the process to exit, failing the test after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.reaped = true;
                // Let the reader threads drain the pipes.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(Instant::now() < deadline, "node still running after {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends a signal to the node process only (not its group).
    #[cfg(unix)]
    pub fn signal(&self, signal: i32) {
        let pid = i32::try_from(self.pid()).unwrap();
        // SAFETY: kill(2) takes plain integers and touches no memory of ours.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill({pid}, {signal}) failed");
    }

    /// The grandchild's pid, once the node has printed it.
    pub fn grandchild_pid(&self) -> Option<i32> {
        self.stdout().iter().find_map(|line| {
            line.strip_prefix("practice: grandchild pid ").and_then(|pid| pid.trim().parse().ok())
        })
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(path)).bearer_auth(&self.token)
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(self.url(path)).bearer_auth(&self.token)
    }

    /// `GET /status` with the token, as JSON.
    pub async fn status(&self) -> Value {
        let response = self.get("/status").send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Polls `/status` until `ready` holds, and returns that status.
    pub async fn status_until(&self, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let status = self.status().await;
            if ready(&status) {
                return status;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; last {status}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Asserts the token never reached the node's output.
    pub fn assert_token_never_printed(&self) {
        for line in self.stdout().iter().chain(self.stderr().iter()) {
            assert!(!line.contains(&self.token), "token leaked in output: {line}");
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // SAFETY (both kills): kill(2) takes plain integers and touches no memory of ours.
        #[cfg(unix)]
        {
            if let Some(grandchild) = self.grandchild_pid() {
                unsafe { libc::kill(grandchild, libc::SIGKILL) };
            }
            if !self.reaped {
                // The node leads its own group: this reaches anything it started too.
                let group = i32::try_from(self.child.id()).unwrap_or(0);
                if group > 0 {
                    unsafe { libc::kill(-group, libc::SIGKILL) };
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
