//! Node profiles: a declarative description of how to obtain, launch, health-check, read and
//! stop one kind of node. Built-in profiles are embedded in the binary; users add their own as
//! TOML files in the config dir or pass one by path. A file is parsed into `raw` structs and then
//! validated into [`Profile`], so the supervisor never sees an unchecked value.

mod builtin;
mod raw;
pub mod template;
mod validate;
mod validate_runtime;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

pub use builtin::builtin_profiles;
pub use template::{FieldKind, FieldSpec, FieldValue, Template, check_password};

use crate::model::Activity;
use crate::tomlspan::SourceLocation;

/// Version of the profile format this Lightrig reads.
pub const PROFILE_SCHEMA: u32 = 1;

/// A validated node profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub activity: Activity,
    /// True for the practice node: everything it earns is simulated.
    pub simulated: bool,
    pub binary: BinarySource,
    pub fields: Vec<FieldSpec>,
    pub launch: Launch,
    pub health: HealthCheck,
    pub status: Option<StatusSource>,
    pub stop: StopMethod,
    /// Where the profile came from (a file, or `<built-in>/name.toml`).
    pub origin: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum BinarySource {
    /// Shipped with Lightrig, next to its own executable.
    Bundled { name: String },
    /// An absolute path chosen by the user.
    Path { path: PathBuf },
    /// Found on `PATH` (e.g. Debian's `monerod`).
    SearchPath { name: String },
    /// Installed by Lightrig's installer (or a program the user chose for `node` instead):
    /// `<data_dir>/nodes/<node>/`. `node` defaults to the profile's id.
    Installed { node: String },
}

impl Profile {
    /// The installer node whose records vouch for this profile's program: its hash is
    /// recorded when the program is installed or chosen, and checked before every launch.
    /// `None` for the bundled practice node, which ships inside Lightrig.
    pub fn binary_node(&self) -> Option<&str> {
        match &self.binary {
            BinarySource::Bundled { .. } => None,
            BinarySource::Installed { node } => Some(node),
            BinarySource::Path { .. } | BinarySource::SearchPath { .. } => Some(&self.id),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Launch {
    pub args: Vec<Template>,
    pub env: Vec<(String, Template)>,
    /// Private files written for each run (`[launch.files]`, name → content), for nodes that
    /// read a secret from a file rather than their environment (XMRig's API token). Each
    /// name is also a template value: the file's path, for the command line.
    pub files: Vec<(String, Template)>,
}

#[derive(Debug, Clone)]
pub enum HealthProbe {
    /// GET a loopback URL; any 2xx answer is healthy.
    Http { url: Template },
    /// A TCP connect to a loopback port succeeds.
    Tcp { port: Template },
    /// A line of the node's output matches; once seen, the node stays healthy while it lives.
    Log { pattern: regex::Regex },
    /// The process is still alive after the startup grace.
    Alive,
}

#[derive(Debug, Clone)]
pub struct HealthCheck {
    pub probe: HealthProbe,
    /// How long a starting node has to pass its first check.
    pub startup_grace: Duration,
    pub interval: Duration,
    /// Per-check timeout; always shorter than the interval.
    pub timeout: Duration,
    /// Consecutive failed checks of a running node before it is restarted.
    pub failures: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdapterKind {
    Practice,
    Xmrig,
    P2pool,
    Monerod,
    Storj,
    Mysterium,
    Custom,
    None,
}

impl AdapterKind {
    pub const ALL: [(&'static str, AdapterKind); 8] = [
        ("practice", AdapterKind::Practice),
        ("xmrig", AdapterKind::Xmrig),
        ("p2pool", AdapterKind::P2pool),
        ("monerod", AdapterKind::Monerod),
        ("storj", AdapterKind::Storj),
        ("mysterium", AdapterKind::Mysterium),
        ("custom", AdapterKind::Custom),
        ("none", AdapterKind::None),
    ];

    pub fn parse(name: &str) -> Option<AdapterKind> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

#[derive(Debug, Clone)]
pub struct StatusSource {
    pub adapter: AdapterKind,
    pub url: Option<Template>,
    pub token: Option<Template>,
    pub interval: Duration,
    /// Adapter-specific options, rendered like launch arguments.
    pub options: Vec<(String, Template)>,
}

#[derive(Debug, Clone)]
pub struct StopMethod {
    pub polite: PoliteStop,
    pub grace: Duration,
}

#[derive(Debug, Clone)]
pub enum PoliteStop {
    /// SIGTERM to the node's process group (CTRL_BREAK on Windows).
    Signal,
    /// POST to a loopback URL, e.g. monerod's `/stop_daemon`.
    HttpPost { url: Template },
}

/// A profile that failed to load, with where and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ProfileError {
    pub location: SourceLocation,
    pub message: String,
}

impl ProfileError {
    pub fn code(&self) -> &'static str {
        "profile.invalid"
    }
}

impl Profile {
    /// Parses and validates one profile file's text. `origin` names the file in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Profile, ProfileError> {
        validate::parse(text, origin)
    }

    /// Reads and validates a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError {
            location: SourceLocation { file: path.to_owned(), line: None, field: None },
            message: format!("cannot read the profile: {e}"),
        })?;
        Self::parse(&text, path)
    }

    /// A profile that runs a command line the user gives, as is (no shell). Health: the
    /// process staying alive for `grace`, unless the user names a TCP port or a log pattern.
    pub fn custom(
        program: PathBuf,
        args: Vec<String>,
        health: Option<HealthProbe>,
        grace: Duration,
    ) -> Profile {
        Profile {
            id: "custom".into(),
            name: format!("Custom: {}", program.display()),
            description: Some("A command line you gave, run as is.".into()),
            activity: Activity::Compute,
            simulated: false,
            binary: BinarySource::Path { path: program },
            fields: Vec::new(),
            launch: Launch {
                args: args.iter().map(|a| Template::literal(a)).collect(),
                env: vec![],
                files: vec![],
            },
            health: HealthCheck {
                probe: health.unwrap_or(HealthProbe::Alive),
                startup_grace: grace,
                interval: Duration::from_secs(5),
                timeout: Duration::from_secs(2),
                failures: 3,
            },
            status: None,
            stop: StopMethod { polite: PoliteStop::Signal, grace: Duration::from_secs(10) },
            origin: PathBuf::from("<command line>"),
        }
    }

    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Validates user settings against the fields and fills defaults. Token and unset port
    /// fields are left out: they are generated for each run. A password field holds only the
    /// marker `true` (saved in the keychain); its text here is refused, so a password can
    /// never reach the settings file.
    pub fn settle(
        &self,
        settings: &BTreeMap<String, FieldValue>,
    ) -> Result<BTreeMap<String, FieldValue>, SettingsError> {
        let mut out = BTreeMap::new();
        for key in settings.keys() {
            if self.field(key).is_none() {
                return Err(SettingsError {
                    field: key.clone(),
                    message: format!("`{}` has no setting called `{key}`", self.id),
                });
            }
        }
        for field in &self.fields {
            let value = settings.get(&field.name).or(field.default.as_ref());
            match (value, &field.kind) {
                (_, FieldKind::Token) => {}
                (None, FieldKind::Password) if field.required => {
                    return Err(SettingsError {
                        field: field.name.clone(),
                        message: format!(
                            "{} is required: enter it on the Nodes screen (it is kept in your \
                             keychain)",
                            field.label
                        ),
                    });
                }
                (Some(v), _) => {
                    let v = field.check(v).map_err(|message| SettingsError {
                        field: field.name.clone(),
                        message: format!("{}: {message}", field.label),
                    })?;
                    out.insert(field.name.clone(), v);
                }
                (None, FieldKind::Port) => {}
                (None, _) if field.required => {
                    return Err(SettingsError {
                        field: field.name.clone(),
                        message: format!("{} is required: set it before starting", field.label),
                    });
                }
                (None, _) => {}
            }
        }
        Ok(out)
    }
}

/// A node setting that does not fit its profile field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SettingsError {
    pub field: String,
    pub message: String,
}

/// The profiles a user can choose from: the built-ins, then the user's own files.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub profiles: Vec<Profile>,
    /// User profile files that did not load, each with its error. They are shown, not fatal.
    pub rejected: Vec<ProfileError>,
}

impl Catalog {
    /// Built-in profiles plus every `*.toml` in `user_dir` (if it exists). A user profile may
    /// not reuse a built-in id.
    pub fn load(user_dir: Option<&Path>) -> Catalog {
        let mut cat = Catalog { profiles: builtin_profiles(), rejected: Vec::new() };
        let Some(dir) = user_dir else { return cat };
        let Ok(entries) = std::fs::read_dir(dir) else { return cat };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            match Profile::load(&path) {
                Ok(p) if cat.get(&p.id).is_some() => cat.rejected.push(ProfileError {
                    location: SourceLocation {
                        file: path.clone(),
                        line: crate::tomlspan::locate(
                            &std::fs::read_to_string(&path).unwrap_or_default(),
                            "id",
                        ),
                        field: Some("id".into()),
                    },
                    message: format!("id `{}` is already used by another profile: rename it", p.id),
                }),
                Ok(p) => cat.profiles.push(p),
                Err(e) => cat.rejected.push(e),
            }
        }
        cat
    }

    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
#[path = "secret_field_tests.rs"]
mod secret_field_tests;
