//! The app's install API (what the desktop commands and `lightrig serve` call): the state of
//! each node's program, an install with progress on the app's event bus, and adopting a
//! program already on the computer.

use lightrig_core::api::{AdoptRequest, AppEvent, AppService, AvailableRelease, InstallRequest};
use lightrig_core::engine::EngineOptions;
use lightrig_core::installer::{Manifest, ManifestOptions};

use super::fixtures::{Fx, Spec, good_archive};

fn request(node: &str, version: Option<&str>) -> InstallRequest {
    serde_json::from_value(serde_json::json!({ "node": node, "version": version })).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_installs_with_progress_events_then_adopts_a_program() {
    let fx = Fx::new().await;
    let body = good_archive("tar.gz", "1.0.0");
    fx.server.file("demo-1.0.0.tar.gz", &body);
    fx.release(&Spec::new("demo-1.0.0.tar.gz", "tar.gz", &body));
    let manifest = Manifest::load(
        &fx.dir.path().join("manifest/demo-1.0.0.toml"),
        ManifestOptions { allow_loopback_http: true },
    )
    .unwrap();

    let home = fx.dir.path().join("home");
    let profiles = home.join("config/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(
        profiles.join("demo.toml"),
        "schema = 1\nid = \"demo\"\nname = \"Demo node\"\nactivity = \"compute\"\n[binary]\nsource = \"installed\"\n[launch]\n[health]\ncheck = \"alive\"\n",
    )
    .unwrap();
    let app = AppService::open(EngineOptions { data_dir: Some(home), ..EngineOptions::default() })
        .await
        .unwrap();
    app.use_release_manifest(manifest, true);

    let before = app.install_states();
    let demo = before.iter().find(|v| v.node == "demo").expect("the profile's node is listed");
    assert_eq!(demo.name, "Demo node");
    assert_eq!(demo.source, "installed");
    assert!(
        matches!(&demo.available, AvailableRelease::Pinned { version, .. } if version == "1.0.0")
    );
    assert!(demo.installed.is_empty() && demo.uses.is_none());
    assert!(
        before.iter().all(|v| v.node != "practice"),
        "the bundled node has no program to install"
    );

    let mut events = app.subscribe();
    let view = app.install(request("demo", None)).await.unwrap();
    assert_eq!(view.installed[0].version.as_deref(), Some("1.0.0"));
    assert_eq!(view.uses.as_deref(), Some("installed"));
    let mut progress = Vec::new();
    while let Ok(e) = events.try_recv() {
        if let AppEvent::Install(p) = e {
            progress.push(p);
        }
    }
    let last = progress.last().expect("progress events");
    assert!(last.finished && last.node == "demo");
    assert!(progress.iter().any(|p| p.bytes == body.len() as u64 && p.total == body.len() as u64));
    let json = serde_json::to_value(AppEvent::Install(last.clone())).unwrap();
    assert_eq!(json["event"], "install://progress");
    let states = app.install_states();
    assert!(states.iter().find(|v| v.node == "demo").unwrap().installing.is_none());

    let err = app.install(request("demo", Some("one"))).await.unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("installer.bad_version", Some("version"))
    );
    let err = app.install(request("demo", Some("2.0"))).await.unwrap_err();
    assert_eq!(err.code, "installer.no_such_version");

    let adopt = |path: &str| AdoptRequest { node: "demo".into(), path: path.into() };
    let err = app.adopt(adopt("bin/true")).await.unwrap_err();
    assert_eq!(err.field.as_deref(), Some("path"));
    let view = app.adopt(adopt("/bin/true")).await.unwrap();
    assert_eq!(view.uses.as_deref(), Some("adopted"));
    assert_eq!(view.installed.len(), 1, "the install stays for later");

    // The built-in manifest pins nothing yet: refused, and the progress ends all the same.
    app.use_release_manifest(Manifest::builtin().unwrap(), false);
    let err = app.install(request("xmrig", None)).await.unwrap_err();
    assert_eq!(err.code, "installer.not_pinned");
    assert!(err.message.contains("not pinned yet"), "{}", err.message);
    app.shutdown().await;
}
