//! One engine per data folder: a second engine on the same folder (the app and `lightrig
//! serve`, or two apps where the single-instance check cannot run) is refused before it can
//! take the first one's node for a leftover and stop it.

use std::path::PathBuf;
use std::time::Duration;

use lightrig_core::engine::{Engine, EngineOptions, NodeChoice};

use crate::support::*;

const T: Duration = Duration::from_secs(30);

fn opts(home: &std::path::Path) -> EngineOptions {
    EngineOptions {
        data_dir: Some(home.to_path_buf()),
        node: NodeChoice::Custom {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".into(), "exec sleep 60".into()],
        },
        lifeline: Some(lifeline()),
        ..EngineOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_engine_on_the_same_folder_is_refused_and_the_first_node_keeps_running() {
    let home = tempfile::tempdir().unwrap();
    let first = Engine::open(opts(home.path())).await.unwrap();
    first.node().start().await.unwrap();
    let running = wait_for(&first.node(), T, "running", is("running")).await;
    let pid = running.pid.unwrap();

    let Err(err) = Engine::open(opts(home.path())).await else {
        panic!("a second engine opened on a folder in use");
    };
    assert_eq!(err.code(), "engine.already_running");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("process {}", std::process::id())) && msg.contains("quit it"),
        "names the holder and what to do: {msg}"
    );
    // Give a wrongly started second supervisor time to reap its "leftover".
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(alive(pid), "the first engine's node was stopped by the second");
    assert_eq!(first.status().pid, Some(pid));

    first.shutdown().await;
    assert!(!alive(pid));
    drop(first);
    // The folder is free once the first engine is gone.
    let next = Engine::open(opts(home.path())).await.unwrap();
    next.shutdown().await;
}
