//! From a profile to the program that starts, through the installer's records: an installed
//! node starts only while its program is the verified one, and a program found on PATH or
//! named by path is recorded on first use and refused once it changed. Every refusal says what
//! to do, and a refused program is never run (it would leave a mark if it were).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lightrig_core::installer::{InstallOptions, Installer};
use lightrig_core::profile::Profile;
use lightrig_core::supervisor::launch::{LaunchError, resolve_program};
use lightrig_core::supervisor::{NodeStatus, SupervisorConfig, SupervisorHandle};

use super::fixtures::{Entry, Fx, Spec, good_archive, tar_gz};

/// A node program that leaves `mark` when it runs, then stays up until it is stopped.
fn marking_node(mark: &Path) -> Vec<u8> {
    format!(
        "#!/bin/sh\n# a node for Lightrig's tests\ntouch '{}'\nexec sleep 600\n",
        mark.display()
    )
    .into_bytes()
}

fn profile(source: &str) -> Profile {
    let text = format!(
        "schema = 1\nid = \"demo\"\nname = \"Demo node\"\nactivity = \"compute\"\n\n[binary]\n{source}\n\n[launch]\nargs = []\n\n[health]\ncheck = \"alive\"\nstartup_grace_secs = 1\n\n[stop]\ngrace_secs = 1\n"
    );
    Profile::parse(&text, Path::new("/profiles/demo.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn supervisor(profile: Profile, nodes: &Path) -> SupervisorHandle {
    let mut cfg = SupervisorConfig::new(profile);
    cfg.lifeline = Some(PathBuf::from(env!("CARGO_BIN_EXE_lightrig-lifeline")));
    cfg.nodes_dir = Some(nodes.to_owned());
    SupervisorHandle::spawn(cfg)
}

async fn wait_for(h: &SupervisorHandle, state: &str) -> NodeStatus {
    let mut rx = h.watch();
    let found = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let s = rx.borrow_and_update().clone();
            if s.state.name() == state {
                return s;
            }
            rx.changed().await.unwrap();
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("timed out waiting for {state}; now {:?}", h.status().state))
}

/// Flips one byte of the comment line: the script would still run, and mark, if started.
fn flip_a_byte(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = bytes.windows(2).position(|w| w == b"\n#").unwrap() + 4;
    bytes[at] ^= 0x20;
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installed_node_starts_and_a_flipped_byte_refuses_it_without_running_it() {
    let fx = Fx::new().await;
    let mark = fx.dir.path().join("ran");
    let script = marking_node(&mark);
    let body =
        tar_gz(&[Entry::Dir("demo-1.0.0/"), Entry::File("demo-1.0.0/demo-node", &script, 0o755)]);
    fx.server.file("demo-1.0.0.tar.gz", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();

    // Installed and verified: it starts, and the program that ran is the installed one.
    let node = supervisor(profile("source = \"installed\""), &fx.nodes());
    node.start().await.unwrap();
    wait_for(&node, "running").await;
    assert!(mark.exists(), "the installed program ran");
    node.stop().await.unwrap();
    std::fs::remove_file(&mark).unwrap();

    // One byte changes after the install: refused before anything runs.
    flip_a_byte(&installed.executable);
    node.start().await.unwrap();
    let failed = wait_for(&node, "failed").await;
    let reason = failed.state.reason().unwrap().to_string();
    assert!(reason.contains("changed since Lightrig verified it"), "{reason}");
    assert!(reason.contains("`lightrig install demo`"), "says what to do: {reason}");
    assert_eq!(failed.restarts, 0, "a refused program is not retried");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!mark.exists(), "the changed program was run");
    node.shutdown().await.unwrap();
}

#[test]
fn a_node_that_is_not_installed_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = dir.path().join("nodes");
    let err =
        resolve_program(&profile("source = \"installed\"\nnode = \"xmrig\""), None, Some(&nodes))
            .unwrap_err();
    assert!(matches!(err, LaunchError::NotInstalled { .. }), "{err}");
    assert_eq!(err.code(), "node.not_installed");
    assert_eq!(
        err.to_string(),
        "Demo node is not installed yet: choose Install on the Nodes screen or run `lightrig install xmrig`"
    );
    // Without a nodes folder nothing can have been installed either.
    let err = resolve_program(&profile("source = \"installed\""), None, None).unwrap_err();
    assert!(err.to_string().contains("`lightrig install demo`"), "{err}");
}

#[tokio::test]
async fn the_chosen_program_runs_instead_of_the_install_until_the_next_install() {
    let fx = Fx::new().await;
    let body = good_archive("tar.gz", "1.0.0");
    fx.server.file("demo-1.0.0.tar.gz", &body);
    let release = fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let installed =
        fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();

    let chosen = fx.dir.path().join("my-demo");
    std::fs::write(&chosen, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&chosen, std::fs::Permissions::from_mode(0o755)).unwrap();
    fx.installer().adopt_existing("demo", &chosen).unwrap();
    let p = profile("source = \"installed\"");
    let program = resolve_program(&p, None, Some(&fx.nodes())).unwrap();
    assert_eq!(program, chosen.canonicalize().unwrap(), "the user's choice wins");

    // Installing again makes Lightrig's verified release the program once more.
    fx.installer().install(&release, InstallOptions::default(), |_| {}).await.unwrap();
    assert_eq!(fx.installer().adopted("demo").unwrap(), None);
    assert_eq!(resolve_program(&p, None, Some(&fx.nodes())).unwrap(), installed.executable);
    assert!(chosen.exists(), "the user's own file is left where it is");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_program_named_by_path_is_recorded_on_first_use_and_refused_once_changed() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = dir.path().join("nodes");
    let mark = dir.path().join("ran");
    let program = dir.path().join("demo-node");
    std::fs::write(&program, marking_node(&mark)).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let p = profile(&format!("source = \"path\"\npath = \"{}\"", program.display()));

    // First use: recorded, and started.
    let node = supervisor(p, &nodes);
    node.start().await.unwrap();
    wait_for(&node, "running").await;
    assert!(mark.exists());
    let record = Installer::new(&nodes).adopted("demo").unwrap().expect("recorded on first use");
    assert_eq!(record.executable, program.canonicalize().unwrap());
    node.stop().await.unwrap();
    std::fs::remove_file(&mark).unwrap();

    // Replaced (an update, or something worse): refused, with what to do, and never run.
    flip_a_byte(&program);
    node.start().await.unwrap();
    let failed = wait_for(&node, "failed").await;
    let reason = failed.state.reason().unwrap().to_string();
    let real = program.canonicalize().unwrap();
    assert!(
        reason.contains(&format!("demo at {} changed since you chose it", real.display())),
        "{reason}"
    );
    assert!(
        reason.contains(&format!("run `lightrig adopt demo {}`", real.display())),
        "says what to do: {reason}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!mark.exists(), "the changed program was run");

    // The user confirms it: it starts again.
    Installer::new(&nodes).adopt_existing("demo", &program).unwrap();
    node.start().await.unwrap();
    wait_for(&node, "running").await;
    node.shutdown().await.unwrap();
}

#[test]
fn a_program_found_on_path_is_recorded_on_first_use_and_checked_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = dir.path().join("nodes");
    let p = profile("source = \"search-path\"\nname = \"sh\"");
    let first = resolve_program(&p, None, Some(&nodes)).unwrap();
    let installer = Installer::new(&nodes);
    let record = installer.adopted("demo").unwrap().expect("recorded on first use");
    assert_eq!(record.executable, first);
    assert_eq!(resolve_program(&p, None, Some(&nodes)).unwrap(), first, "checked and unchanged");

    // The record says another content than the file has now, as after an update of the
    // system's package: refused with the command that confirms it.
    let path = nodes.join("demo/adopted.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    json["fingerprint"]["sha256"] = serde_json::Value::from("00".repeat(32));
    std::fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();
    let err = resolve_program(&p, None, Some(&nodes)).unwrap_err();
    assert_eq!(err.code(), "installer.binary_changed");
    let text = err.to_string();
    assert!(text.contains("(an update or a replacement)"), "{text}");
    assert!(
        text.contains(&format!(
            "confirm it on the Nodes screen or run `lightrig adopt demo {}`",
            first.display()
        )),
        "{text}"
    );

    // A program PATH does not have is named with what to do.
    let missing = profile("source = \"search-path\"\nname = \"no-such-node-program\"");
    let err = resolve_program(&missing, None, Some(&dir.path().join("other"))).unwrap_err();
    assert!(err.to_string().contains("lightrig adopt demo PATH"), "{err}");
}

#[test]
fn a_node_id_for_installed_programs_is_checked_in_the_profile() {
    let text = "schema = 1\nid = \"demo\"\nname = \"Demo\"\nactivity = \"compute\"\n[binary]\nsource = \"installed\"\nnode = \"../x\"\n[launch]\n[health]\ncheck = \"alive\"\n";
    let err = Profile::parse(text, Path::new("/p/demo.toml")).unwrap_err();
    assert_eq!(err.location.field.as_deref(), Some("binary.node"));
    assert_eq!(err.location.line, Some(7));
    let text = text.replace("source = \"installed\"", "source = \"search-path\"\nname = \"x\"");
    let err = Profile::parse(&text, Path::new("/p/demo.toml")).unwrap_err();
    assert_eq!(err.location.field.as_deref(), Some("binary.node"), "{err}");
}
