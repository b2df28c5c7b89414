//! Stop requests: SIGTERM and SIGINT end the node promptly with code 0.

#![cfg(unix)]

use std::time::{Duration, Instant};

use crate::support::{EASY, Node};

fn stops_cleanly_on(signal: i32) {
    let mut node = Node::start(&["--threads", "2", "--intensity", "100", "--difficulty", EASY]);
    node.wait_stdout("practice: share #1 accepted");
    let asked = Instant::now();
    node.signal(signal);
    // About a second by design; the margin is for a slow, shared machine.
    let status = node.wait_exit(Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "stderr {:?}", node.stderr());
    assert!(node.stdout().iter().any(|l| l == "practice: stopping"), "{:?}", node.stdout());
    eprintln!("stopped {:?} after the signal", asked.elapsed());
    node.assert_token_never_printed();
}

#[test]
fn sigterm_exits_0_promptly() {
    stops_cleanly_on(libc::SIGTERM);
}

#[test]
fn sigint_exits_0_promptly() {
    stops_cleanly_on(libc::SIGINT);
}
