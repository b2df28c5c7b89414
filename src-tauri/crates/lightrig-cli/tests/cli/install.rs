//! `lightrig install`, `adopt` and `installed` against a release served from 127.0.0.1 with
//! a test manifest (the hidden `--manifest` and `--allow-loopback-http` options), and a run
//! that refuses a program changed since it was chosen.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use lightrig_core::installer::Sha256Digest;

use crate::*;

/// A program that prints its version; a long comment makes it large enough for several
/// progress reports.
fn demo_program(version: &str) -> Vec<u8> {
    let mut body = format!("#!/bin/sh\necho \"demo-node {version}\"\nexit 0\n").into_bytes();
    while body.len() < 3 << 20 {
        body.extend_from_slice(b"# padding so the download takes a few reads ............\n");
    }
    body
}

/// Serves `files` from 127.0.0.1 on a thread of its own; returns the base URL.
fn serve(files: Vec<(&'static str, Vec<u8>)>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let mut app = axum::Router::new();
            for (name, body) in files {
                let body = axum::body::Bytes::from(body);
                app = app.route(
                    &format!("/{name}"),
                    axum::routing::get(move || {
                        let body = body.clone();
                        async move { body }
                    }),
                );
            }
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{addr}")
}

/// A manifest for demo `version`, pinned to `body`, downloaded from `base`.
fn manifest(dir: &Path, base: &str, version: &str, body: &[u8]) -> PathBuf {
    let text = format!(
        "schema = 1\n[[release]]\nnode = \"demo\"\nversion = \"{version}\"\nos = \"{}\"\narch = \"{}\"\nurl = \"{base}/demo-node-{version}\"\nsize = {}\nsha256 = \"{}\"\narchive = \"plain\"\nexecutable = \"demo-node\"\n",
        std::env::consts::OS,
        std::env::consts::ARCH,
        body.len(),
        Sha256Digest::of(body),
    );
    let path = dir.join(format!("releases-{version}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn install_downloads_verifies_shows_progress_and_lists_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let body = demo_program("1.0.0");
    let base = serve(vec![("demo-node-1.0.0", body.clone())]);
    let m = manifest(dir.path(), &base, "1.0.0", &body);

    let out = run_ok(
        lightrig(dir.path())
            .args(["install", "demo", "--allow-loopback-http", "--manifest"])
            .arg(&m),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("demo: 3.0 MiB of 3.0 MiB (100%)") && err.contains("/s"), "{err}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("installed demo 1.0.0 at ") && said.contains("checked before every launch")
    );

    let out = run_ok(
        lightrig(dir.path())
            .args(["--json", "installed", "--allow-loopback-http", "--manifest"])
            .arg(&m),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let demo = v["nodes"].as_array().unwrap().iter().find(|n| n["node"] == "demo").unwrap();
    assert_eq!(demo["installed"][0]["version"], "1.0.0");
    assert_eq!(demo["installed"][0]["sha256"], Sha256Digest::of(&body).to_string());
    assert_eq!(demo["uses"], "installed");
    assert_eq!(demo["available"]["state"], "pinned");
    let exe = PathBuf::from(demo["installed"][0]["path"].as_str().unwrap());
    let ran = std::process::Command::new(&exe).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&ran.stdout).trim(), "demo-node 1.0.0");

    // --json: one progress event per report, then the result. A newer release installs too.
    let body2 = demo_program("1.1.0");
    let base2 = serve(vec![("demo-node-1.1.0", body2.clone())]);
    let m2 = manifest(dir.path(), &base2, "1.1.0", &body2);
    let out = run_ok(
        lightrig(dir.path())
            .args(["--json", "install", "demo", "--allow-loopback-http", "--manifest"])
            .arg(&m2),
    );
    let events = json_lines(&out);
    let (last, progress) = events.split_last().unwrap();
    assert!(!progress.is_empty());
    assert!(progress.iter().all(|e| e["event"] == "progress" && e["total"] == body2.len()));
    assert_eq!(progress.last().unwrap()["bytes"], body2.len());
    assert_eq!(last["event"], "installed");
    assert_eq!(last["version"], "1.1.0");

    // Going back to 1.0.0 is a downgrade: refused unless asked for.
    let out = lightrig(dir.path())
        .args(["install", "demo", "--allow-loopback-http", "--manifest"])
        .arg(&m)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("allow a downgrade"));
    run_ok(
        lightrig(dir.path())
            .args(["install", "demo", "--allow-downgrade", "--allow-loopback-http", "--manifest"])
            .arg(&m),
    );
}

#[test]
fn a_release_that_is_not_pinned_yet_is_refused_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = lightrig(dir.path()).args(["install", "xmrig"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not pinned yet"), "{err}");
    assert!(err.contains("lightrig adopt xmrig PATH"), "{err}");
    assert!(!dir.path().join("data/nodes/xmrig").exists(), "nothing was started or written");

    let out = lightrig(dir.path()).args(["--json", "install", "xmrig"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "installer.not_pinned");

    let out = run_ok(lightrig(dir.path()).args(["installed"]));
    let text = String::from_utf8_lossy(&out.stdout);
    let xmrig = text.lines().find(|l| l.starts_with("xmrig ")).unwrap_or_else(|| panic!("{text}"));
    assert!(xmrig.contains("nothing installed or chosen · not pinned yet"), "{xmrig}");
    assert!(!text.contains("practice"), "the bundled node has no program to install: {text}");
}

#[test]
fn run_refuses_a_program_changed_since_it_was_adopted_and_never_runs_it() {
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("ran");
    let program = dir.path().join("demo-node");
    let script = format!("#!/bin/sh\n# demo node\ntouch '{}'\nexec sleep 60\n", mark.display());
    std::fs::write(&program, &script).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let profiles = dir.path().join("config/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(
        profiles.join("demo.toml"),
        format!(
            "schema = 1\nid = \"demo\"\nname = \"Demo\"\nactivity = \"compute\"\n[binary]\nsource = \"path\"\npath = \"{}\"\n[launch]\n[health]\ncheck = \"alive\"\nstartup_grace_secs = 1\n",
            program.display()
        ),
    )
    .unwrap();

    let out = run_ok(lightrig(dir.path()).args(["--json", "adopt", "demo"]).arg(&program));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["event"], "adopted");
    let real = program.canonicalize().unwrap();
    assert_eq!(v["path"], real.to_str().unwrap());

    // Replaced after it was chosen: `run` fails at once, says what to do, runs nothing.
    std::fs::write(&program, script.replace("# demo node", "# DEMO node")).unwrap();
    let out = lightrig(dir.path()).args(["run", "demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("changed since you chose it"), "{err}");
    assert!(err.contains(&format!("lightrig adopt demo {}", real.display())), "{err}");
    assert!(!mark.exists(), "the changed program was run");

    // Adopting a missing or relative program is a usage error.
    let out = lightrig(dir.path()).args(["adopt", "demo", "/no/such/program"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Browser mode: the same install calls over HTTP, behind the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_lists_node_programs_and_adopts_one_behind_the_token() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("config/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(
        profiles.join("demo.toml"),
        "schema = 1\nid = \"demo\"\nname = \"Demo\"\nactivity = \"compute\"\n[binary]\nsource = \"installed\"\n[launch]\n[health]\ncheck = \"alive\"\n",
    )
    .unwrap();
    let mut child = lightrig(dir.path())
        .args(["--json", "serve", "--port", "0"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    let (base, token) = v["url"].as_str().unwrap().split_once("/#token=").unwrap();
    let c = reqwest::Client::builder().no_proxy().build().unwrap();

    let url = format!("{base}/api/installs");
    assert_eq!(c.get(&url).send().await.unwrap().status(), 401);
    let list: serde_json::Value =
        c.get(&url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let demo = list.as_array().unwrap().iter().find(|v| v["node"] == "demo").unwrap();
    assert_eq!(demo["available"]["state"], "none");

    let r = c
        .post(format!("{base}/api/installs/install"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "node": "demo", "allow_downgrade": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let err: serde_json::Value = r.json().await.unwrap();
    assert_eq!(err["code"], "installer.no_release");

    let r = c
        .post(format!("{base}/api/installs/adopt"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "node": "demo", "path": "/bin/true" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let view: serde_json::Value = r.json().await.unwrap();
    assert_eq!(view["uses"], "adopted");
    let _ = child.kill();
    let _ = child.wait();
}
