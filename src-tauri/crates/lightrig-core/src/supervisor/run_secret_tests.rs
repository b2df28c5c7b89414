//! Secrets on their way to a real node: XMRig's install token reaches its private config file
//! and the status poll, never its command line, a log line or a Debug dump; a Mysterium
//! password comes from the keychain; and Pause on a running XMRig goes through its API.

use std::collections::BTreeMap;
use std::path::PathBuf;
#[cfg(unix)]
use std::{sync::Arc, time::Duration};

#[cfg(unix)]
use crate::adapter::fake::{FakeServer, Reply};
use crate::profile::{BinarySource, Catalog, FieldValue, Profile};
use crate::secret::{SecretStore, Sensitive};
use crate::supervisor::launch::{LaunchPlan, plan_in, remove_run_files, write_run_files};
#[cfg(unix)]
use crate::supervisor::{NodeState, SupervisorConfig, SupervisorHandle};

/// The Monero General Fund's donation address, published on getmonero.org.
const DONATION: &str = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

fn builtin(id: &str, program: PathBuf) -> Profile {
    let mut p = Catalog::load(None).get(id).cloned().unwrap();
    p.binary = BinarySource::Path { path: program };
    p
}

fn xmrig_settings() -> BTreeMap<String, FieldValue> {
    let mut s = BTreeMap::new();
    s.insert("pool_url".to_owned(), FieldValue::Text("127.0.0.1:3333".into()));
    s.insert("payout_address".to_owned(), FieldValue::Text(DONATION.into()));
    s
}

fn token_of(store: &SecretStore) -> Sensitive<String> {
    store.get("xmrig", "api_token").unwrap().unwrap()
}

#[test]
fn mock_keystore_xmrig_token_reaches_the_config_file_and_status_never_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("xmrig");
    std::fs::write(&program, b"").unwrap();
    let profile = builtin("xmrig", program);
    let store = SecretStore::in_memory();
    let run_dir = dir.path().join("run");
    let plan: LaunchPlan =
        plan_in(&profile, &xmrig_settings(), None, None, Some(&store), Some(&run_dir)).unwrap();
    let token = token_of(&store);
    let token = token.expose().as_str();

    assert_eq!(plan.status.as_ref().unwrap().token.as_ref().unwrap().expose(), token);
    assert!(plan.secrets.iter().any(|s| s.expose() == token), "masked in every log line");
    assert!(plan.args.iter().all(|a| !a.contains(token)), "{:?}", plan.args);
    assert!(!format!("{plan:?}").contains(token), "the plan's Debug shows no token");
    assert!(plan.args.iter().all(|a| !a.starts_with("--http")), "the file carries `http`");

    let file = &plan.files[0];
    assert_eq!(plan.args[0], format!("--config={}", file.path.display()));
    assert!(file.path.starts_with(run_dir.join("xmrig.files")));
    let doc: serde_json::Value = serde_json::from_str(file.content.expose()).unwrap();
    let port = plan.status.as_ref().unwrap().url.as_deref().unwrap().rsplit(':').next().unwrap();
    assert_eq!(
        doc["http"],
        serde_json::json!({
            "enabled": true, "host": "127.0.0.1", "port": port.parse::<u16>().unwrap(),
            "access-token": token, "restricted": false,
        })
    );
    assert_eq!((doc["autosave"].as_bool(), doc["watch"].as_bool()), (Some(false), Some(false)));

    write_run_files(&plan).unwrap();
    assert_eq!(std::fs::read_to_string(&file.path).unwrap(), *file.content.expose());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file.path), 0o600, "only this user reads the token file");
        assert_eq!(mode(plan.files_dir.as_deref().unwrap()), 0o700);
    }
    // A second run reuses the install's token and starts from an emptied folder.
    let again = plan_in(&profile, &xmrig_settings(), None, None, Some(&store), Some(&run_dir));
    assert_eq!(again.unwrap().status.unwrap().token.unwrap().expose(), token);
    write_run_files(&plan).unwrap();
    remove_run_files(&plan);
    assert!(!plan.files_dir.as_deref().unwrap().exists(), "nothing left after the run");
}

#[test]
fn mock_keystore_mysterium_password_comes_from_the_keychain_or_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("myst");
    std::fs::write(&program, b"").unwrap();
    let profile = builtin("mysterium", program);
    let mut settings = BTreeMap::new();
    settings.insert("data_dir".to_owned(), FieldValue::Text("/var/lib/mysterium".into()));
    settings.insert("api_password".to_owned(), FieldValue::Bool(true));
    let store = SecretStore::in_memory();

    let plan = plan_in(&profile, &settings, None, None, Some(&store), None).unwrap();
    assert!(plan.status.unwrap().token.is_none(), "nothing saved: the factory password is tried");

    store.set("mysterium", "api_password", &Sensitive::new("canary-pw-3d1f".into())).unwrap();
    let plan = plan_in(&profile, &settings, None, None, Some(&store), None).unwrap();
    assert_eq!(plan.status.as_ref().unwrap().token.as_ref().unwrap().expose(), "canary-pw-3d1f");
    assert!(plan.secrets.iter().any(|s| s.expose() == "canary-pw-3d1f"));
    assert!(!format!("{plan:?}").contains("canary") && plan.files.is_empty());
    assert!(plan.args.iter().all(|a| !a.contains("canary")));
}

/// A stand-in XMRig: a shell that stays up only while its config file exists (so the file is
/// there when the node starts), with a fake XMRig API on the API port that wants the token.
#[cfg(unix)]
#[tokio::test]
async fn mock_keystore_pause_and_resume_a_running_xmrig_from_fake_api() {
    let summary = include_str!("../adapter/fixtures/xmrig/summary.json");
    let fake = FakeServer::start(vec![
        ("GET /2/summary", Reply::Json(summary.into())),
        ("GET /2/backends", Reply::Json("[]".into())),
        (
            "POST /json_rpc",
            Reply::Json(r#"{"id":1,"jsonrpc":"2.0","result":{"status":"OK"}}"#.into()),
        ),
    ])
    .await;
    let store = Arc::new(SecretStore::in_memory());
    let token = store.get_or_create_token("xmrig", "api_token").unwrap();
    fake.require_bearer(token.expose());

    let dir = tempfile::tempdir().unwrap();
    let mut profile = builtin("xmrig", PathBuf::from("/bin/sh"));
    // `sh -c SCRIPT --config=FILE ...`: $0 is the first argument after the script.
    let script = crate::profile::Template::literal(
        "f=${0#--config=}; echo \"config at $f\"; while test -f \"$f\"; do sleep 0.2; done",
    );
    profile.launch.args.insert(0, script);
    profile.launch.args.insert(0, crate::profile::Template::literal("-c"));
    let mut cfg = SupervisorConfig::new(profile);
    cfg.settings = xmrig_settings();
    cfg.settings.insert("api_port".to_owned(), FieldValue::Int(i64::from(fake.port())));
    cfg.lifeline = None;
    cfg.pid_file = Some(dir.path().join("run").join("xmrig.pid"));
    std::fs::create_dir_all(dir.path().join("run")).unwrap();
    cfg.secrets = Some(store.clone());
    let node = SupervisorHandle::spawn(cfg);
    node.start().await.unwrap();
    let mut rx = node.watch();
    let running = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let s = rx.borrow_and_update().clone();
            if matches!(s.state, NodeState::Running { .. }) && s.metrics.is_some() {
                return s;
            }
            if matches!(s.state, NodeState::Failed { .. }) {
                panic!("failed: {:?}", s.state);
            }
            rx.changed().await.unwrap();
        }
    })
    .await
    .expect("running with figures within 20 s");
    assert_eq!(running.metrics.unwrap().paused, Some(false));

    node.pause().await.unwrap();
    match node.status().state {
        NodeState::Paused { reason, .. } => assert_eq!(reason, "paused by you"),
        other => panic!("expected Paused, got {other:?}"),
    }
    node.resume().await.unwrap();
    assert!(matches!(node.status().state, NodeState::Running { .. }));
    let rpc: Vec<_> = fake.seen().into_iter().filter(|s| s.target == "/json_rpc").collect();
    assert_eq!(rpc.len(), 2);
    let bearer = format!("Bearer {}", token.expose());
    assert!(rpc.iter().all(|s| s.header("authorization") == Some(bearer.as_str())));

    node.stop().await.unwrap();
    let lines: Vec<String> = node.logs().since(0).into_iter().map(|l| l.text).collect();
    assert!(lines.iter().any(|l| l.contains("config at")), "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains(token.expose().as_str())), "{lines:?}");
    assert!(!dir.path().join("run").join("xmrig.files").exists(), "the token file is removed");
}
