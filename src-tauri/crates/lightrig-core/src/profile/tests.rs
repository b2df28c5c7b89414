use std::collections::BTreeMap;
use std::path::Path;

use super::*;

const GOOD: &str = r#"schema = 1
id = "demo"
name = "Demo"
activity = "compute"

[binary]
source = "search-path"
name = "demo-node"

[fields.worker]
type = "text"
required = true

[fields.port]
type = "port"
default = 18081

[launch]
args = ["--worker", "{worker}", "--port={port}"]

[health]
check = "tcp"
port = "{port}"
"#;

fn parse(text: &str) -> Result<Profile, ProfileError> {
    Profile::parse(text, Path::new("/profiles/demo.toml"))
}

#[test]
fn good_profile_loads_with_defaults() {
    let p = parse(GOOD).unwrap();
    assert_eq!(p.id, "demo");
    assert!(matches!(p.binary, BinarySource::SearchPath { ref name } if name == "demo-node"));
    assert_eq!(p.health.startup_grace, Duration::from_secs(30));
    assert!(matches!(p.stop.polite, PoliteStop::Signal));
}

/// Each bad file names the file, the line and the field.
#[test]
fn bad_profiles_name_file_line_and_field() {
    let cases: &[(&str, &str, usize, Option<&str>, &str)] = &[
        // (what to replace, replacement, line, field, words in the message)
        ("name = \"Demo\"", "name = \"Demo\"\ncolour = \"red\"", 4, None, "unknown field `colour`"),
        (
            "activity = \"compute\"",
            "activity = \"gambling\"",
            4,
            Some("activity"),
            "not an activity",
        ),
        ("type = \"port\"", "type = \"socket\"", 15, Some("fields.port.type"), "not a field type"),
        ("default = 18081", "default = 70000", 16, Some("fields.port.default"), "not a TCP port"),
        (
            "\"--port={port}\"",
            "\"--port={prot}\"",
            19,
            Some("launch.args.2"),
            "not a field of this profile",
        ),
        (
            "port = \"{port}\"\n",
            "port = \"{port}\"\ntimeout_secs = 9\n",
            24,
            Some("health.timeout_secs"),
            "shorter than the interval",
        ),
        ("schema = 1", "schema = 7", 1, Some("schema"), "format 7"),
        ("name = \"demo-node\"", "name = \"../bin/sh\"", 8, Some("binary.name"), "path separators"),
        ("schema = 1", "schema = \"one\"", 1, None, "invalid type"),
    ];
    for (from, to, line, field, words) in cases {
        let text = GOOD.replacen(from, to, 1);
        assert_ne!(text, GOOD, "case {from} did not apply");
        let err = parse(&text).expect_err(to);
        assert_eq!(err.location.file, Path::new("/profiles/demo.toml"));
        assert_eq!(err.location.line, Some(*line), "{err}");
        assert_eq!(err.location.field.as_deref(), *field, "{err}");
        assert!(err.message.contains(words), "{err}");
    }
}

#[test]
fn secrets_never_go_on_the_command_line() {
    let text = GOOD
        .replace("[launch]", "[fields.key]\ntype = \"token\"\n\n[launch]")
        .replace("\"--port={port}\"", "\"--key={key}\"");
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("never on the command line"), "{err}");
}

#[test]
fn node_apis_must_be_on_loopback() {
    let text = GOOD.replace(
        "check = \"tcp\"\nport = \"{port}\"",
        "check = \"http\"\nurl = \"http://example.com:{port}/\"",
    );
    let err = parse(&text).unwrap_err();
    assert_eq!(err.location.field.as_deref(), Some("health.url"));
}

#[test]
fn settings_are_validated_against_fields() {
    let p = parse(GOOD).unwrap();
    let mut s = BTreeMap::new();
    assert_eq!(p.settle(&s).unwrap_err().field, "worker");
    s.insert("worker".to_string(), FieldValue::Text("--evil".into()));
    assert!(p.settle(&s).unwrap_err().message.contains("starts with `-`"));
    s.insert("worker".to_string(), FieldValue::Text("rig1".into()));
    let settled = p.settle(&s).unwrap();
    assert_eq!(settled.get("port"), Some(&FieldValue::Int(18081)));
    s.insert("colour".to_string(), FieldValue::Text("red".into()));
    assert_eq!(p.settle(&s).unwrap_err().field, "colour");
}

#[test]
fn user_profiles_load_and_bad_ones_are_listed_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("demo.toml"), GOOD).unwrap();
    std::fs::write(dir.path().join("broken.toml"), "schema = 1\nid = \"x\"\n").unwrap();
    std::fs::write(
        dir.path().join("dupe.toml"),
        GOOD.replace("id = \"demo\"", "id = \"practice\""),
    )
    .unwrap();
    let cat = Catalog::load(Some(dir.path()));
    assert!(cat.get("practice").is_some());
    assert!(cat.get("demo").is_some());
    assert_eq!(cat.rejected.len(), 2, "{:?}", cat.rejected);
    assert!(cat.rejected.iter().any(|e| e.message.contains("already used")));
}

const DONATION: &str = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

fn with_address_fields(network: &str) -> Profile {
    let text = GOOD.replace(
        "[launch]",
        &format!(
            "[fields.payout]\ntype = \"monero-address\"\nnetwork = \"{network}\"\n\n\
             [fields.wallet]\ntype = \"evm-address\"\n\n[launch]"
        ),
    );
    parse(&text).unwrap()
}

fn settle_one(p: &Profile, field: &str, value: &str) -> Result<FieldValue, String> {
    let mut s = BTreeMap::new();
    s.insert("worker".to_owned(), FieldValue::Text("w1".into()));
    s.insert(field.to_owned(), FieldValue::Text(value.into()));
    p.settle(&s).map(|mut m| m.remove(field).unwrap()).map_err(|e| e.to_string())
}

#[test]
fn payout_address_fields_validate_before_anything_reaches_a_command_line() {
    let p = with_address_fields("mainnet");
    assert_eq!(settle_one(&p, "payout", DONATION), Ok(FieldValue::Text(DONATION.into())));
    // One character changed: the checksum says so.
    let mutated = DONATION.replacen("AFF", "AFE", 1);
    let err = settle_one(&p, "payout", &mutated).unwrap_err();
    assert!(err.contains("payout") && err.contains("checksum"), "{err}");
    // Truncated.
    assert!(settle_one(&p, "payout", &DONATION[..90]).is_err());
    // A mainnet address for a stagenet node.
    let stagenet = with_address_fields("stagenet");
    let err = settle_one(&stagenet, "payout", DONATION).unwrap_err();
    assert!(err.contains("mainnet"), "{err}");

    let good_evm = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"; // EIP-55's own example
    assert_eq!(settle_one(&p, "wallet", good_evm), Ok(FieldValue::Text(good_evm.into())));
    let bad_case = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
    let err = settle_one(&p, "wallet", bad_case).unwrap_err();
    assert!(err.contains("checksum"), "{err}");
}

#[test]
fn an_unknown_monero_network_is_named() {
    let text = GOOD.replace(
        "[launch]",
        "[fields.payout]\ntype = \"monero-address\"\nnetwork = \"moon\"\n\n[launch]",
    );
    let err = parse(&text).unwrap_err();
    assert_eq!(err.location.field.as_deref(), Some("fields.payout.network"), "{err}");
}
