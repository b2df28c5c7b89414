use crate::*;

#[test]
fn nodes_lists_the_practice_node_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(lightrig(dir.path()).args(["nodes", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let practice = v["nodes"].as_array().unwrap().iter().find(|n| n["id"] == "practice").unwrap();
    assert_eq!(practice["simulated"], true);
    assert_eq!(practice["activity"], "pow-mining");
}

#[test]
fn a_bad_profile_file_is_named_with_its_line_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, "schema = 1\nid = \"mine\"\nname = \"Mine\"\nactivity = \"pow-mining\"\nbinary = { source = \"teleport\", name = \"x\" }\n[launch]\n[health]\ncheck = \"alive\"\n").unwrap();
    let out = lightrig(dir.path()).args(["run"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mine.toml:5") && err.contains("binary.source") && err.contains("teleport"),
        "{err}"
    );
    assert_eq!(err.lines().filter(|l| l.starts_with("lightrig:")).count(), 1, "one line: {err}");
}

#[test]
fn a_bad_profile_in_the_profiles_folder_is_listed_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("config/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("broken.toml"), "schema = 1\nid = \"broken\"\nsurprise = true\n")
        .unwrap();
    let out = run_ok(lightrig(dir.path()).args(["nodes", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rejected"][0]["line"], 3);
    assert!(v["rejected"][0]["message"].as_str().unwrap().contains("surprise"));
}

#[test]
fn unknown_profile_and_bad_settings_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = lightrig(dir.path()).args(["run", "nosuchnode"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lightrig nodes"));
    let out = lightrig(dir.path()).args(["run", "--set", "threads=0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("from 1 to 256"));
    let out = lightrig(dir.path()).args(["--json", "run", "--set", "colour=red"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "node.settings_invalid");
}

#[test]
fn status_without_a_running_engine_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let out = lightrig(dir.path()).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn report_on_a_fresh_folder_says_nothing_yet_and_energy_not_available() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(lightrig(dir.path()).arg("report"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("rewards    none yet"), "{text}");
    assert!(text.contains("energy     not available"), "{text}");
    let out = run_ok(lightrig(dir.path()).args(["report", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["energy_kwh"].is_null(), "missing energy must be null, not 0");
}
