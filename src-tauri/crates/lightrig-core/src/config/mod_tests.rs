//! Settings files: what is saved reads back the same, and a bad file is kept aside, never
//! overwritten.

use super::*;

#[test]
fn saved_settings_read_back_identically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mut s = Settings {
        jurisdiction: Some("CN".into()),
        price_per_kwh: Some(0.62),
        currency: "CNY".into(),
        language: Some("zh-CN".into()),
        theme: "dark".into(),
        onboarded: true,
        own_device: Some(false),
        permission_confirmed: true,
        ..Settings::default()
    };
    s.node_settings
        .entry("practice".into())
        .or_default()
        .insert("threads".into(), FieldValue::Int(2));
    save(&path, &s).unwrap();
    let back = load(&path);
    assert!(back.problem.is_none(), "{:?}", back.problem);
    assert_eq!(back.settings, s);
}

#[test]
fn missing_file_gives_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let l = load(&dir.path().join("config.toml"));
    assert_eq!(l.settings, Settings::default());
    assert!(l.problem.is_none());
}

#[test]
fn good_file_is_validated_into_settings() {
    let text = "schema = 1\n[node]\nprofile = \"practice\"\n[node.settings.practice]\nthreads = 2\n[telemetry]\nsample_interval_ms = 500\n[place]\njurisdiction = \"DE\"\n";
    let s = parse(text, Path::new("c.toml")).unwrap();
    assert_eq!(s.sample_interval, Duration::from_millis(500));
    assert_eq!(s.node_settings["practice"]["threads"], FieldValue::Int(2));
    assert_eq!(s.jurisdiction.as_deref(), Some("DE"));
}

#[test]
fn bad_file_is_named_kept_aside_and_defaults_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let text = "schema = 1\n\n[telemetry]\nsample_interval_ms = 5\n";
    std::fs::write(&path, text).unwrap();
    let l = load(&path);
    assert_eq!(l.settings, Settings::default());
    let (error, kept) = l.problem.unwrap();
    assert_eq!(error.location.line, Some(4));
    assert_eq!(error.location.field.as_deref(), Some("telemetry.sample_interval_ms"));
    assert!(error.to_string().contains("config.toml:4"), "{error}");
    let kept = kept.unwrap();
    assert!(kept.file_name().unwrap().to_str().unwrap().starts_with("config.toml.bad-"));
    assert_eq!(std::fs::read_to_string(kept).unwrap(), text, "the bad file is kept as it was");
    assert!(!path.exists(), "the bad file is moved, so the next save does not overwrite it");
}

#[test]
fn unknown_keys_and_wrong_types_are_rejected_with_lines() {
    let e = parse("schema = 1\n[telemetry]\nsample_rate = 3\n", Path::new("c.toml")).unwrap_err();
    assert_eq!(e.location.line, Some(3));
    assert!(e.message.contains("unknown field"), "{e}");
    let e = parse("[place]\njurisdiction = \"germany\"\n", Path::new("c.toml")).unwrap_err();
    assert_eq!(e.location.line, Some(2));
    let e = parse("[node.settings.practice]\nthreads = 1.5\n", Path::new("c.toml")).unwrap_err();
    assert_eq!(e.location.line, Some(2));
}
