//! Each fault switch does what it says, from a flag or from LIGHTRIG_PRACTICE_FAULTS.

use std::time::Duration;

use crate::support::{FAULTS_ENV, Node, PATIENCE};

#[test]
fn exit_at_start_exits_with_the_code_from_flag_or_environment() {
    let mut node = Node::launch(&["--fault-exit-at-start", "7"], &[]);
    assert_eq!(node.wait_exit(PATIENCE).code(), Some(7));
    assert!(node.stderr().iter().any(|l| l.contains("exit-at-start")), "{:?}", node.stderr());
    assert!(!node.stdout().iter().any(|l| l.contains("listening")));

    let mut node = Node::launch(&[], &[(FAULTS_ENV, Some("exit-at-start=9"))]);
    assert_eq!(node.wait_exit(PATIENCE).code(), Some(9));
}

#[tokio::test]
async fn crash_after_exits_101() {
    let mut node = Node::launch(&[], &[(FAULTS_ENV, Some("crash-after=2"))]);
    node.wait_stdout("practice: listening on");
    node.status().await;
    assert_eq!(node.wait_exit(PATIENCE).code(), Some(101));
    assert!(node.stderr().iter().any(|l| l == "practice: simulated crash"), "{:?}", node.stderr());

    let mut node = Node::launch(&["--fault-crash-after", "0"], &[]);
    assert_eq!(node.wait_exit(PATIENCE).code(), Some(101));
}

#[cfg(unix)]
#[tokio::test]
async fn ignore_sigterm_survives_sigterm_and_sigint_until_sigkill() {
    let mut node = Node::start(&["--fault-ignore-sigterm"]);
    node.signal(libc::SIGTERM);
    node.wait_stdout("ignoring SIGTERM");
    node.signal(libc::SIGINT);
    node.wait_stdout("ignoring SIGINT");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(node.is_running(), "the node obeyed a signal it should ignore");
    assert_eq!(node.status().await["simulated"], true);
    assert!(!node.stdout().iter().any(|l| l.contains("stopping")));

    node.signal(libc::SIGKILL);
    let status = node.wait_exit(PATIENCE);
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(libc::SIGKILL));
}

#[cfg(unix)]
#[tokio::test]
async fn spawn_grandchild_leaves_a_child_in_the_same_process_group() {
    let mut node = Node::launch(&[], &[(FAULTS_ENV, Some("spawn-grandchild"))]);
    node.wait_stdout("practice: listening on");
    let line = node.wait_stdout("practice: grandchild pid ");
    let grandchild = node.grandchild_pid().unwrap_or_else(|| panic!("bad line {line:?}"));
    let node_pid = i32::try_from(node.pid()).unwrap();
    assert_ne!(grandchild, node_pid);
    assert_eq!(unsafe { libc::kill(grandchild, 0) }, 0, "grandchild is not running");
    assert_eq!(unsafe { libc::getpgid(grandchild) }, unsafe { libc::getpgid(node_pid) });
    assert_eq!(unsafe { libc::getsid(grandchild) }, unsafe { libc::getsid(node_pid) });

    // Killing only the node orphans the grandchild: the supervisor must kill the group.
    node.signal(libc::SIGKILL);
    node.wait_exit(PATIENCE);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(unsafe { libc::kill(grandchild, 0) }, 0, "grandchild died with its parent");
    assert_eq!(unsafe { libc::getpgid(grandchild) }, node_pid);
    // The guard's Drop kills it.
}

#[tokio::test]
async fn hang_api_accepts_but_never_answers() {
    let node = Node::launch(&[], &[(FAULTS_ENV, Some("hang-api"))]);
    node.wait_stdout("practice: listening on");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    let error = client.get(node.url("/health")).send().await.unwrap_err();
    assert!(error.is_timeout(), "expected a timeout, got {error}");
    let error = node.get("/status").timeout(Duration::from_secs(2)).send().await.unwrap_err();
    assert!(error.is_timeout(), "expected a timeout, got {error}");
}

#[tokio::test]
async fn hang_api_after_seconds_answers_first_then_hangs() {
    let node = Node::launch(&["--fault-hang-api=4"], &[]);
    node.wait_stdout("practice: listening on");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    let started = std::time::Instant::now();
    let response = client.get(node.url("/health")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(4), "machine too slow to test the delay");
    tokio::time::sleep(Duration::from_secs(5)).await;
    let error = client.get(node.url("/health")).send().await.unwrap_err();
    assert!(error.is_timeout(), "expected a timeout, got {error}");
}

#[tokio::test]
async fn malformed_json_makes_status_unparsable() {
    let node = Node::start(&["--fault-malformed-json"]);
    let response = node.get("/status").send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&body).is_err(), "parsed: {body}");
    let health: serde_json::Value =
        reqwest::get(node.url("/health")).await.unwrap().json().await.unwrap();
    assert_eq!(health["ok"], true);
}
