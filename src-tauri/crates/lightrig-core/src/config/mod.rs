//! Settings in `config.toml`: parsed into raw structs, validated into [`Settings`]. A bad file
//! is reported with its line and field, kept as `config.toml.bad-<time>`, and defaults are
//! used, so a typo never stops Lightrig from starting and never destroys what the user wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::profile::FieldValue;
use crate::tomlspan::{line_of_offset, locate, SourceLocation};

pub const CONFIG_SCHEMA: u32 = 1;

/// Validated settings. Every value is in range.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The profile `lightrig run` and the app's Start button use.
    pub node: String,
    /// Per-profile field values, keyed by profile id. Checked against the profile at start.
    pub node_settings: BTreeMap<String, BTreeMap<String, FieldValue>>,
    pub sample_interval: Duration,
    pub raw_retention: Duration,
    /// Size cap of one node log file before it rotates (one previous file is kept).
    pub node_log_max_bytes: u64,
    /// ISO 3166-1 alpha-2 code (or "EU"), when the user has chosen one.
    pub jurisdiction: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            node: "practice".into(),
            node_settings: BTreeMap::new(),
            sample_interval: Duration::from_secs(1),
            raw_retention: Duration::from_secs(2 * 3600),
            node_log_max_bytes: 5 * 1024 * 1024,
            jurisdiction: None,
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    schema: Option<u32>,
    #[serde(default)]
    node: Option<RawNode>,
    #[serde(default)]
    telemetry: Option<RawTelemetry>,
    #[serde(default)]
    ledger: Option<RawLedger>,
    #[serde(default)]
    logs: Option<RawLogs>,
    #[serde(default)]
    place: Option<RawPlace>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    profile: Option<String>,
    #[serde(default)]
    settings: BTreeMap<String, BTreeMap<String, toml::Value>>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawTelemetry {
    sample_interval_ms: Option<u64>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    raw_retention_hours: Option<u64>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLogs {
    node_log_max_mb: Option<u64>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    jurisdiction: Option<String>,
}

/// What is wrong with a config file, and where.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ConfigError {
    pub location: SourceLocation,
    pub message: String,
}

/// The result of loading: the settings in force, and what happened to a bad file.
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    /// Set when the file was bad: the error, and where the bad file was kept.
    pub problem: Option<(ConfigError, Option<PathBuf>)>,
}

/// Parses and validates config text. `file` names it in errors.
pub fn parse(text: &str, file: &Path) -> Result<Settings, ConfigError> {
    let err = |field: &str, message: String| ConfigError {
        location: SourceLocation { file: file.to_owned(), line: locate(text, field), field: Some(field.into()) },
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
        location: SourceLocation {
            file: file.to_owned(),
            line: e.span().map(|s| line_of_offset(text, s.start)),
            field: None,
        },
        message: e.message().trim().to_owned(),
    })?;
    let mut s = Settings::default();
    match raw.schema {
        Some(CONFIG_SCHEMA) | None => {}
        Some(other) => {
            return Err(err("schema", format!("config format {other} is newer than this Lightrig reads ({CONFIG_SCHEMA}): update Lightrig")));
        }
    }
    if let Some(node) = raw.node {
        if let Some(p) = node.profile {
            if !crate::profile::template::is_field_name(&p.replace('-', "_")) || p.len() > 40 {
                return Err(err("node.profile", format!("`{p}` is not a profile id (lower-case letters, digits and `-`)")));
            }
            s.node = p;
        }
        for (profile, fields) in node.settings {
            let mut out = BTreeMap::new();
            for (k, v) in fields {
                let value = FieldValue::from_toml(&v).ok_or_else(|| {
                    err(&format!("node.settings.{profile}.{k}"), "a node setting is a string, a whole number or true/false".into())
                })?;
                out.insert(k, value);
            }
            s.node_settings.insert(profile, out);
        }
    }
    if let Some(ms) = raw.telemetry.and_then(|t| t.sample_interval_ms) {
        if !(250..=60_000).contains(&ms) {
            return Err(err("telemetry.sample_interval_ms", format!("{ms} ms is out of range: use 250 to 60000")));
        }
        s.sample_interval = Duration::from_millis(ms);
    }
    if let Some(h) = raw.ledger.and_then(|l| l.raw_retention_hours) {
        if !(1..=168).contains(&h) {
            return Err(err("ledger.raw_retention_hours", format!("{h} is out of range: keep raw samples 1 to 168 hours")));
        }
        s.raw_retention = Duration::from_secs(h * 3600);
    }
    if let Some(mb) = raw.logs.and_then(|l| l.node_log_max_mb) {
        if !(1..=1024).contains(&mb) {
            return Err(err("logs.node_log_max_mb", format!("{mb} is out of range: use 1 to 1024 MB")));
        }
        s.node_log_max_bytes = mb * 1024 * 1024;
    }
    if let Some(j) = raw.place.and_then(|p| p.jurisdiction) {
        let ok = j.len() == 2 && j.chars().all(|c| c.is_ascii_uppercase());
        if !ok {
            return Err(err("place.jurisdiction", format!("`{j}` is not a country code: use two capital letters such as DE, CN or US (or EU)")));
        }
        s.jurisdiction = Some(j);
    }
    Ok(s)
}

/// Reads settings without touching the file, even a bad one (for read-only commands such as
/// `lightrig report`); defaults when it is missing or bad.
pub fn load_quiet(path: &Path) -> Settings {
    std::fs::read_to_string(path).ok().and_then(|t| parse(&t, path).ok()).unwrap_or_default()
}

/// Loads `path`. A missing file gives defaults. A bad file is moved aside (never overwritten)
/// and defaults are used; the caller shows `problem` to the user.
pub fn load(path: &Path) -> Loaded {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded { settings: Settings::default(), problem: None };
        }
        Err(e) => {
            let error = ConfigError {
                location: SourceLocation { file: path.to_owned(), line: None, field: None },
                message: format!("cannot read the settings ({e}); defaults are in use"),
            };
            return Loaded { settings: Settings::default(), problem: Some((error, None)) };
        }
    };
    let parsed = match String::from_utf8(text) {
        Ok(t) => parse(&t, path),
        Err(_) => Err(ConfigError {
            location: SourceLocation { file: path.to_owned(), line: None, field: None },
            message: "the file is not UTF-8 text".into(),
        }),
    };
    match parsed {
        Ok(settings) => Loaded { settings, problem: None },
        Err(error) => {
            let kept = crate::paths::keep_aside(path, "bad").ok();
            tracing::warn!(%error, kept = ?kept, "settings file is invalid; using defaults");
            Loaded { settings: Settings::default(), problem: Some((error, kept)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
