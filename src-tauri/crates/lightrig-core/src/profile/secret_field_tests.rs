//! The secret-carrying parts of a profile: `password` fields (typed once, kept in the
//! keychain) and `[launch.files]` (private files for a node that reads its token from one).

use std::path::Path;

use super::*;

const BASE: &str = r#"schema = 1
id = "demo"
name = "Demo"
activity = "compute"

[binary]
source = "search-path"
name = "demo-node"

[fields.dir]
type = "path"

[fields.port]
type = "port"

[fields.key]
type = "token"

[fields.pw]
type = "password"
label = "Node password"

[launch]
args = ["--config={cfg}", "--port={port}"]
env = { DEMO_PASSWORD = "{pw}" }

[launch.files]
cfg = '{{"port":{port},"token":"{key}"}}'

[health]
check = "tcp"
port = "{port}"

[status]
adapter = "none"
token = "{pw}"
"#;

fn parse(text: &str) -> Result<Profile, ProfileError> {
    Profile::parse(text, Path::new("/profiles/demo.toml"))
}

fn error(from: &str, to: &str) -> ProfileError {
    let text = BASE.replacen(from, to, 1);
    assert_ne!(text, BASE, "{from} not found");
    parse(&text).unwrap_err()
}

#[test]
fn password_fields_and_run_files_load() {
    let p = parse(BASE).unwrap();
    assert!(matches!(p.field("pw").unwrap().kind, FieldKind::Password));
    assert_eq!(p.field("pw").unwrap().kind.name(), "password");
    assert_eq!(p.launch.files.len(), 1);
    assert_eq!(p.launch.files[0].0, "cfg");
}

#[test]
fn passwords_never_go_on_the_command_line_or_into_files_or_defaults() {
    let e = error("\"--port={port}\"", "\"--pw={pw}\"");
    assert!(e.message.contains("never on the command line"), "{e}");
    assert_eq!(e.location.field.as_deref(), Some("launch.args.1"));
    let e = error("\"token\":\"{key}\"", "\"token\":\"{pw}\"");
    assert!(e.message.contains("password field, which cannot go into a run file"), "{e}");
    let e = error("label = \"Node password\"", "default = \"mystberry\"");
    assert!(e.message.contains("no default"), "{e}");
}

#[test]
fn run_files_are_checked() {
    // A path may hold quotes or backslashes that would break the file's syntax.
    let e = error("\"token\":\"{key}\"", "\"token\":\"{dir}\"");
    assert!(e.message.contains("path field"), "{e}");
    let e = error("cfg = '", "port = '");
    assert!(e.message.contains("already a field"), "{e}");
    let e = error("{port},\"token\"", "{nope},\"token\"");
    assert!(e.message.contains("not a field of this profile"), "{e}");
    // A run file's name is usable in args and env only, not in the status section.
    let e = error("token = \"{pw}\"", "token = \"{cfg}\"");
    assert_eq!(e.location.field.as_deref(), Some("status.token"), "{e}");
}

#[test]
fn settings_hold_only_the_saved_marker_for_a_password() {
    let p = parse(BASE).unwrap();
    let mut s = BTreeMap::new();
    assert!(p.settle(&s).is_ok(), "an optional password may be unset");
    s.insert("pw".to_owned(), FieldValue::Bool(true));
    assert_eq!(p.settle(&s).unwrap().get("pw"), Some(&FieldValue::Bool(true)));
    s.insert("pw".to_owned(), FieldValue::Text("canary-pw".into()));
    let e = p.settle(&s).unwrap_err();
    assert!(e.message.contains("kept in your keychain") && !e.message.contains("canary"), "{e}");
    let required = parse(&BASE.replace("label = \"Node password\"", "required = true")).unwrap();
    let e = required.settle(&BTreeMap::new()).unwrap_err();
    assert!(e.message.contains("Nodes screen"), "{e}");
}

#[test]
fn typed_passwords_are_checked_without_being_repeated() {
    assert!(check_password("correct horse \"battery\" \\ staple").is_ok());
    for bad in ["", "canary\nline", "canary\u{200B}zw", &"x".repeat(257)] {
        let e = check_password(bad).unwrap_err();
        assert!(!e.contains("canary"), "{e}");
    }
}
