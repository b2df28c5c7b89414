//! Start-up validation: bad arguments and tokens exit 2 with one clear line; a taken port, 3.

use std::time::Duration;

use crate::support::{FAULTS_ENV, Node, PATIENCE, TOKEN_ENV, new_token};

/// Runs to exit and returns (code, the non-empty stderr lines).
fn exit_of(mut node: Node) -> (Option<i32>, Vec<String>) {
    let status = node.wait_exit(PATIENCE);
    let lines = node.stderr().into_iter().filter(|l| !l.trim().is_empty()).collect();
    (status.code(), lines)
}

#[test]
fn bad_arguments_exit_2_with_one_line_naming_the_range() {
    let token = new_token();
    let env = [(TOKEN_ENV, Some(token.as_str()))];
    let cases: &[(&[&str], &str)] = &[
        (&["--api-port", "0"], "--api-port must be an integer between 1 and 65535"),
        (&["--api-port", "70000"], "between 1 and 65535"),
        (&[], "--api-port is required"),
        (&["--api-port", "4000", "--threads", "0"], "--threads must be an integer between 1 and"),
        (&["--api-port", "4000", "--threads", "lots"], "--threads must be an integer between 1"),
        (
            &["--api-port", "4000", "--intensity", "101"],
            "--intensity must be an integer between 1 and 100",
        ),
        (
            &["--api-port", "4000", "--difficulty", "0"],
            "--difficulty must be an integer between 1 and",
        ),
        (&["--api-port", "4000", "--reward-per-share", "-5"], "--reward-per-share"),
        (&["--api-port", "4000", "--bind", "nowhere"], "--bind must be an IP address"),
        (&["--api-port", "4000", "--fault-exit-at-start", "0"], "between 1 and 255"),
        (&["--api-port", "4000", "--no-such-flag"], "--no-such-flag"),
    ];
    for (args, expected) in cases {
        let (code, lines) = exit_of(Node::launch_raw(args, &env));
        assert_eq!(code, Some(2), "{args:?} -> {lines:?}");
        assert_eq!(lines.len(), 1, "{args:?} should give one line, got {lines:?}");
        assert!(lines[0].contains(expected), "{args:?}: {:?} lacks {expected:?}", lines[0]);
    }
}

#[test]
fn missing_or_malformed_token_exits_2_without_echoing_it() {
    let port = "4000";
    let (code, lines) = exit_of(Node::launch_raw(&["--api-port", port], &[]));
    assert_eq!(code, Some(2));
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("LIGHTRIG_PRACTICE_TOKEN is not set"), "{lines:?}");

    for bad in ["short-tok", "has spaces in it 123", "semi;colon;tokens;here", &"a".repeat(129)] {
        let (code, lines) =
            exit_of(Node::launch_raw(&["--api-port", port], &[(TOKEN_ENV, Some(bad))]));
        assert_eq!(code, Some(2), "{bad:?}");
        assert_eq!(lines.len(), 1);
        assert!(lines[0].contains("malformed"), "{lines:?}");
        assert!(!lines[0].contains(bad), "the token was echoed: {lines:?}");
    }
}

#[test]
fn unknown_fault_exits_2() {
    let token = new_token();
    let env = [(TOKEN_ENV, Some(token.as_str())), (FAULTS_ENV, Some("crash-after=3,explode"))];
    let (code, lines) = exit_of(Node::launch_raw(&["--api-port", "4000"], &env));
    assert_eq!(code, Some(2));
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("unknown fault 'explode'"), "{lines:?}");
}

#[test]
fn taken_port_exits_3() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let token = new_token();
    let mut node = Node::launch_raw(&["--api-port", &port], &[(TOKEN_ENV, Some(&token))]);
    let status = node.wait_exit(PATIENCE);
    assert_eq!(status.code(), Some(3), "stderr {:?}", node.stderr());
    assert!(node.stderr().iter().any(|l| l.contains("already in use")), "{:?}", node.stderr());
    drop(taken);
}

#[test]
fn help_exits_0() {
    let mut node = Node::launch_raw(&["--help"], &[]);
    assert_eq!(node.wait_exit(PATIENCE).code(), Some(0));
    std::thread::sleep(Duration::from_millis(50));
    assert!(node.stdout().iter().any(|l| l.contains("--api-port")));
}
