//! Settings in `config.toml`: parsed into raw structs, validated into [`Settings`]. A bad file
//! is reported with its line and field, kept as `config.toml.bad-<time>`, and defaults are
//! used, so a typo never stops Lightrig from starting and never destroys what the user wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub mod prices;

use crate::profile::FieldValue;
use crate::tomlspan::{SourceLocation, line_of_offset, locate};

mod energy;
pub use energy::system_time_zone;
pub use energy::{EnergyError, EnergySettings, RawCalibration, RawEnergy, TariffKind};

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
    /// Electricity price per kWh, in `currency`, when the user has set one.
    pub price_per_kwh: Option<f64>,
    /// ISO 4217 code.
    pub currency: String,
    /// Tariff kind and time zone, PSU efficiency, CPU watts, plug-meter calibration.
    pub energy: EnergySettings,
    /// "system", "light" or "dark".
    pub theme: String,
    /// "en" or "zh-CN"; `None` follows the system language.
    pub language: Option<String>,
    pub close_to_tray: bool,
    pub start_minimised: bool,
    /// Start at login. Off unless the user turns it on.
    pub autostart: bool,
    /// The first-run steps are done.
    pub onboarded: bool,
    /// The user's answer to "is this your own device and electricity?".
    pub own_device: Option<bool>,
    /// Not their own, but they confirmed they have the owner's permission.
    pub permission_confirmed: bool,
    /// Coin prices the user set, and the opt-in price feed (`[prices]`, `[price_feed]`).
    pub prices: prices::PriceSettings,
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
            price_per_kwh: None,
            currency: "EUR".into(),
            energy: EnergySettings::default(),
            theme: "system".into(),
            language: None,
            close_to_tray: false,
            start_minimised: false,
            autostart: false,
            onboarded: false,
            own_device: None,
            permission_confirmed: false,
            prices: prices::PriceSettings::default(),
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
    #[serde(default)]
    energy: Option<RawEnergy>,
    #[serde(default)]
    app: Option<RawApp>,
    #[serde(default)]
    consent: Option<RawConsent>,
    #[serde(default)]
    prices: Option<BTreeMap<String, prices::RawCoinPrice>>,
    #[serde(default)]
    price_feed: Option<prices::RawPriceFeed>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawApp {
    theme: Option<String>,
    language: Option<String>,
    close_to_tray: Option<bool>,
    start_minimised: Option<bool>,
    autostart: Option<bool>,
    onboarded: Option<bool>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawConsent {
    own_device: Option<bool>,
    permission_confirmed: Option<bool>,
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
        location: SourceLocation {
            file: file.to_owned(),
            line: locate(text, field),
            field: Some(field.into()),
        },
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
            return Err(err(
                "schema",
                format!(
                    "config format {other} is newer than this Lightrig reads ({CONFIG_SCHEMA}): update Lightrig"
                ),
            ));
        }
    }
    if let Some(node) = raw.node {
        if let Some(p) = node.profile {
            if !crate::profile::template::is_field_name(&p.replace('-', "_")) || p.len() > 40 {
                return Err(err(
                    "node.profile",
                    format!("`{p}` is not a profile id (lower-case letters, digits and `-`)"),
                ));
            }
            s.node = p;
        }
        for (profile, fields) in node.settings {
            let mut out = BTreeMap::new();
            for (k, v) in fields {
                let value = FieldValue::from_toml(&v).ok_or_else(|| {
                    err(
                        &format!("node.settings.{profile}.{k}"),
                        "a node setting is a string, a whole number or true/false".into(),
                    )
                })?;
                out.insert(k, value);
            }
            s.node_settings.insert(profile, out);
        }
    }
    if let Some(ms) = raw.telemetry.and_then(|t| t.sample_interval_ms) {
        if !(250..=60_000).contains(&ms) {
            return Err(err(
                "telemetry.sample_interval_ms",
                format!("{ms} ms is out of range: use 250 to 60000"),
            ));
        }
        s.sample_interval = Duration::from_millis(ms);
    }
    if let Some(h) = raw.ledger.and_then(|l| l.raw_retention_hours) {
        if !(1..=168).contains(&h) {
            return Err(err(
                "ledger.raw_retention_hours",
                format!("{h} is out of range: keep raw samples 1 to 168 hours"),
            ));
        }
        s.raw_retention = Duration::from_secs(h * 3600);
    }
    if let Some(mb) = raw.logs.and_then(|l| l.node_log_max_mb) {
        if !(1..=1024).contains(&mb) {
            return Err(err(
                "logs.node_log_max_mb",
                format!("{mb} is out of range: use 1 to 1024 MB"),
            ));
        }
        s.node_log_max_bytes = mb * 1024 * 1024;
    }
    if let Some(j) = raw.place.and_then(|p| p.jurisdiction) {
        check_jurisdiction(&j).map_err(|m| err("place.jurisdiction", m))?;
        s.jurisdiction = Some(j);
    }
    if let Some(e) = raw.energy {
        if let Some(p) = e.price_per_kwh {
            check_price(p).map_err(|m| err("energy.price_per_kwh", m))?;
            s.price_per_kwh = Some(p);
        }
        if let Some(c) = &e.currency {
            check_currency(c).map_err(|m| err("energy.currency", m))?;
            s.currency.clone_from(c);
        }
        s.energy = e.validate().map_err(|e| err(&e.field, e.message))?;
    }
    if let Some(a) = raw.app {
        if let Some(t) = a.theme {
            check_theme(&t).map_err(|m| err("app.theme", m))?;
            s.theme = t;
        }
        if let Some(l) = a.language {
            check_language(&l).map_err(|m| err("app.language", m))?;
            s.language = Some(l);
        }
        s.close_to_tray = a.close_to_tray.unwrap_or(false);
        s.start_minimised = a.start_minimised.unwrap_or(false);
        s.autostart = a.autostart.unwrap_or(false);
        s.onboarded = a.onboarded.unwrap_or(false);
    }
    if let Some(c) = raw.consent {
        s.own_device = c.own_device;
        s.permission_confirmed = c.permission_confirmed.unwrap_or(false);
    }
    s.prices = prices::parse(raw.prices, raw.price_feed, &s.currency)
        .map_err(|(field, m)| err(&field, m))?;
    Ok(s)
}

/// 0 to 10 per kWh in any currency covers every retail tariff; more is a typo.
pub fn check_price(p: f64) -> Result<(), String> {
    if p.is_finite() && (0.0..=10.0).contains(&p) {
        Ok(())
    } else {
        Err(format!("{p} is not a believable price per kWh: use 0 to 10 (e.g. 0.30)"))
    }
}

pub fn check_currency(c: &str) -> Result<(), String> {
    if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "`{c}` is not a currency code: use three capital letters such as EUR, CNY or USD"
        ))
    }
}

pub fn check_theme(t: &str) -> Result<(), String> {
    match t {
        "system" | "light" | "dark" => Ok(()),
        _ => Err(format!("`{t}` is not a theme: use system, light or dark")),
    }
}

pub fn check_language(l: &str) -> Result<(), String> {
    match l {
        "en" | "zh-CN" => Ok(()),
        _ => Err(format!("`{l}` is not a language Lightrig has: use en or zh-CN")),
    }
}

pub fn check_jurisdiction(j: &str) -> Result<(), String> {
    if j.len() == 2 && j.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "`{j}` is not a country code: use two capital letters such as DE, CN or US (or EU)"
        ))
    }
}

/// Writes the settings to `path` atomically (a crash leaves the old file or the new one).
pub fn save(path: &Path, s: &Settings) -> std::io::Result<()> {
    let node_settings = s
        .node_settings
        .iter()
        .map(|(profile, fields)| {
            let fields = fields
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        FieldValue::Bool(b) => toml::Value::Boolean(*b),
                        FieldValue::Int(i) => toml::Value::Integer(*i),
                        FieldValue::Text(t) => toml::Value::String(t.clone()),
                    };
                    (k.clone(), v)
                })
                .collect();
            (profile.clone(), fields)
        })
        .collect();
    let raw = RawConfig {
        schema: Some(CONFIG_SCHEMA),
        node: Some(RawNode { profile: Some(s.node.clone()), settings: node_settings }),
        telemetry: Some(RawTelemetry {
            sample_interval_ms: Some(u64::try_from(s.sample_interval.as_millis()).unwrap_or(1000)),
        }),
        ledger: Some(RawLedger { raw_retention_hours: Some(s.raw_retention.as_secs() / 3600) }),
        logs: Some(RawLogs { node_log_max_mb: Some(s.node_log_max_bytes / (1024 * 1024)) }),
        place: Some(RawPlace { jurisdiction: s.jurisdiction.clone() }),
        energy: Some(RawEnergy::from_settings(&s.energy, s.price_per_kwh, &s.currency)),
        app: Some(RawApp {
            theme: Some(s.theme.clone()),
            language: s.language.clone(),
            close_to_tray: Some(s.close_to_tray),
            start_minimised: Some(s.start_minimised),
            autostart: Some(s.autostart),
            onboarded: Some(s.onboarded),
        }),
        consent: Some(RawConsent {
            own_device: s.own_device,
            permission_confirmed: Some(s.permission_confirmed),
        }),
        prices: prices::raw(&s.prices).0,
        price_feed: prices::raw(&s.prices).1,
    };
    let text = toml::to_string_pretty(&raw).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::paths::write_atomic(
        path,
        format!("# Lightrig settings. Edited by the app; you may edit it too.\n{text}").as_bytes(),
    )
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
#[path = "mod_tests.rs"]
mod tests;
