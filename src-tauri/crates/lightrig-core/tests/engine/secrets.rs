//! A real node's token fields come from the keychain and stay the same across runs; the
//! practice node's are fresh each run. Uses the mock keystore (memory only): the real OS
//! keychain is exercised by tests/keyring.rs.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use lightrig_core::profile::Profile;
use lightrig_core::secret::SecretStore;

use crate::support::*;

const T: Duration = Duration::from_secs(20);

/// A node whose program writes the token it was given to `out`, then waits.
fn token_writer(out: &Path, simulated: bool) -> Profile {
    let text = format!(
        "schema = 1\nid = \"tokens\"\nname = \"Tokens\"\nactivity = \"compute\"\nsimulated = {simulated}\n\
         [binary]\nsource = \"path\"\npath = \"/bin/sh\"\n\
         [fields.api_token]\ntype = \"token\"\n\
         [launch]\nargs = [\"-c\", \"printf %s \\\"$NODE_TOKEN\\\" > {out}; exec sleep 30\"]\n\
         env = {{ NODE_TOKEN = \"{{api_token}}\" }}\n[health]\ncheck = \"alive\"\nstartup_grace_secs = 1\n\
         [stop]\ngrace_secs = 1\n",
        out = out.display()
    );
    Profile::parse(&text, Path::new("/profiles/tokens.toml")).unwrap()
}

async fn token_of_one_run(profile: Profile, store: &Arc<SecretStore>, out: &Path) -> String {
    let _ = std::fs::remove_file(out);
    let mut cfg = config(profile);
    cfg.secrets = Some(store.clone());
    let h = spawn(cfg);
    h.start().await.unwrap();
    wait_for(&h, T, "running", is("running")).await;
    eventually(T, "the token file", || std::fs::metadata(out).is_ok_and(|m| m.len() > 0)).await;
    h.stop().await.unwrap();
    std::fs::read_to_string(out).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_keystore_a_real_nodes_token_is_the_same_every_run_and_practice_gets_fresh_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("token");
    let store = Arc::new(SecretStore::in_memory());

    let first = token_of_one_run(token_writer(&out, false), &store, &out).await;
    let second = token_of_one_run(token_writer(&out, false), &store, &out).await;
    assert_eq!(first.len(), 32, "{first:?}");
    assert_eq!(first, second, "a real node keeps its token across runs");

    let a = token_of_one_run(token_writer(&out, true), &store, &out).await;
    let b = token_of_one_run(token_writer(&out, true), &store, &out).await;
    assert_ne!(a, b, "a simulated node gets a fresh token each run");
}
