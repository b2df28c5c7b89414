//! From a profile and the user's settings to one concrete launch: the program's path, its argv,
//! its environment, and the rendered health, status and stop endpoints. Ports are picked here
//! afresh for each run. Tokens come from the keychain when a store is given (one per install,
//! kept across runs), else they too are generated afresh for each run.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};

use crate::profile::{
    AdapterKind, BinarySource, FieldKind, FieldValue, HealthProbe, PoliteStop, Profile,
};
use crate::secret::{SecretError, SecretStore, Sensitive};

/// Everything needed to start one run of a node.
#[derive(Debug, Clone)]
pub struct LaunchPlan {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, Sensitive<String>)>,
    pub health: RenderedProbe,
    pub status: Option<RenderedStatus>,
    pub polite_stop: RenderedStop,
    /// Secret values of this run; they are masked in every log line.
    pub secrets: Vec<Sensitive<String>>,
}

#[derive(Debug, Clone)]
pub enum RenderedProbe {
    Http(String),
    Tcp(u16),
    Log(regex::Regex),
    Alive,
}

#[derive(Debug, Clone)]
pub struct RenderedStatus {
    pub adapter: AdapterKind,
    pub url: Option<String>,
    pub token: Option<Sensitive<String>>,
    pub options: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub enum RenderedStop {
    Signal,
    HttpPost(String),
}

#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("{0}")]
    Settings(#[from] crate::profile::SettingsError),
    #[error("{program} was not found: {hint}")]
    ProgramMissing { program: String, hint: String },
    #[error(
        "{name} is not installed yet: choose Install on the Nodes screen or run `lightrig install {node}`"
    )]
    NotInstalled { name: String, node: String },
    /// The program is there but is not the one that was verified or chosen (or cannot be read).
    #[error(transparent)]
    Binary(#[from] crate::installer::InstallError),
    #[error("no free port on 127.0.0.1 for the node's API: {0}")]
    NoPort(std::io::Error),
    #[error("cannot generate a token: {0}")]
    Random(String),
    #[error("profile template: {0}")]
    Template(String),
    /// The keychain could not give or keep a token (e.g. no keychain on this machine).
    #[error("{0}")]
    Secret(#[from] SecretError),
}

impl LaunchError {
    pub fn code(&self) -> &'static str {
        match self {
            LaunchError::Settings(_) => "node.settings_invalid",
            LaunchError::ProgramMissing { .. } => "node.program_missing",
            LaunchError::NotInstalled { .. } => "node.not_installed",
            LaunchError::Binary(e) => e.code(),
            LaunchError::NoPort(_) => "node.no_port",
            LaunchError::Random(_) | LaunchError::Template(_) => "node.launch_failed",
            LaunchError::Secret(e) => e.code(),
        }
    }
}

/// Where bundled programs live: next to the running executable. Under `cargo test` the test
/// binary sits in `target/<profile>/deps` (examples in `.../examples`), so its parent is
/// searched as well.
pub fn sibling_binary(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let mut candidates = vec![dir.join(&file)];
    if dir.file_name().is_some_and(|n| n == "deps" || n == "examples")
        && let Some(parent) = dir.parent()
    {
        candidates.push(parent.join(&file));
    }
    candidates.into_iter().find(|p| p.is_file())
}

fn search_path(name: &str) -> Option<PathBuf> {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(&file)).find(|p| p.is_file())
}

/// Finds the program a profile names and checks it is the very file that was verified or
/// chosen. `bundled_dir` overrides where bundled programs are looked for (tests, and packaged
/// layouts that keep sidecars elsewhere). `nodes_dir` holds the installer's installs and
/// records (`installer::nodes_dir`); without it nothing can be recorded, so only a bundled,
/// path or search-path program resolves, unchecked (embedded uses without a data folder).
///
/// - bundled: next to Lightrig's own program, as shipped;
/// - installed: the program chosen for the node, else its newest install, re-hashed now;
/// - path, search-path: recorded (path, SHA-256) on first use, re-hashed on every later launch;
///   a changed file is refused with a reason that asks the user to confirm it again.
pub fn resolve_program(
    profile: &Profile,
    bundled_dir: Option<&Path>,
    nodes_dir: Option<&Path>,
) -> Result<PathBuf, LaunchError> {
    use crate::installer::{Installer, Named};
    let (found, missing) = match &profile.binary {
        BinarySource::Bundled { name } => {
            let found = match bundled_dir {
                Some(dir) => {
                    let p = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
                    p.is_file().then_some(p)
                }
                None => sibling_binary(name),
            };
            return found.ok_or_else(|| LaunchError::ProgramMissing {
                program: name.clone(),
                hint: "it ships with Lightrig next to its own program; reinstall Lightrig (or build the workspace)".into(),
            });
        }
        BinarySource::Installed { node } => {
            let not_installed =
                || LaunchError::NotInstalled { name: profile.name.clone(), node: node.clone() };
            let dir = nodes_dir.ok_or_else(not_installed)?;
            return Installer::new(dir).launchable(node)?.ok_or_else(not_installed);
        }
        BinarySource::SearchPath { name } => (
            search_path(name),
            LaunchError::ProgramMissing {
                program: name.clone(),
                hint: format!(
                    "install it (e.g. with your package manager), or choose the program's file on the Nodes screen or with `lightrig adopt {} PATH`",
                    profile.id
                ),
            },
        ),
        BinarySource::Path { path } => (
            path.is_file().then(|| path.clone()),
            LaunchError::ProgramMissing {
                program: path.display().to_string(),
                hint: "the file does not exist any more: choose it again".into(),
            },
        ),
    };
    let Some(dir) = nodes_dir else { return found.ok_or(missing) };
    let named = match (&profile.binary, &found) {
        (BinarySource::Path { .. }, Some(path)) => Named::Path(path),
        (BinarySource::Path { .. }, None) => return Err(missing),
        _ => Named::SearchPath(found.as_deref()),
    };
    Installer::new(dir).launchable_existing(&profile.id, named)?.ok_or(missing)
}

fn free_port() -> Result<u16, LaunchError> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(LaunchError::NoPort)?;
    Ok(l.local_addr().map_err(LaunchError::NoPort)?.port())
}

/// A random token of 32 URL-safe characters.
pub fn new_token() -> Result<Sensitive<String>, LaunchError> {
    crate::secret::random_token().map_err(|e| match e {
        SecretError::Random(m) => LaunchError::Random(m),
        other => LaunchError::Secret(other),
    })
}

/// Builds the plan for one run, with a fresh token for each token field.
pub fn plan(
    profile: &Profile,
    settings: &BTreeMap<String, FieldValue>,
    bundled_dir: Option<&Path>,
    nodes_dir: Option<&Path>,
) -> Result<LaunchPlan, LaunchError> {
    plan_with_secrets(profile, settings, bundled_dir, nodes_dir, None)
}

/// [`plan`], where each token field takes the token kept for this node in `store` (made and
/// kept on first use), so it stays the same from run to run. Without a store, a fresh token.
/// The store may block (see [`SecretStore`]): call this from a blocking thread when given one.
pub fn plan_with_secrets(
    profile: &Profile,
    settings: &BTreeMap<String, FieldValue>,
    bundled_dir: Option<&Path>,
    nodes_dir: Option<&Path>,
    store: Option<&SecretStore>,
) -> Result<LaunchPlan, LaunchError> {
    let mut values = profile.settle(settings)?;
    let mut secrets = Vec::new();
    for field in &profile.fields {
        match field.kind {
            FieldKind::Port if !values.contains_key(&field.name) => {
                values.insert(field.name.clone(), FieldValue::Int(i64::from(free_port()?)));
            }
            FieldKind::Token => {
                let token = match store {
                    Some(store) => store.get_or_create_token(&profile.id, &field.name)?,
                    None => new_token()?,
                };
                values.insert(field.name.clone(), FieldValue::Text(token.expose().clone()));
                secrets.push(token);
            }
            _ => {}
        }
    }
    let render = |t: &crate::profile::Template| t.render(&values).map_err(LaunchError::Template);
    let program = resolve_program(profile, bundled_dir, nodes_dir)?;
    let args = profile.launch.args.iter().map(render).collect::<Result<Vec<_>, _>>()?;
    let env = profile
        .launch
        .env
        .iter()
        .map(|(k, v)| Ok((k.clone(), Sensitive::new(render(v)?))))
        .collect::<Result<Vec<_>, LaunchError>>()?;
    let health = match &profile.health.probe {
        HealthProbe::Http { url } => RenderedProbe::Http(render(url)?),
        HealthProbe::Tcp { port } => {
            let p = render(port)?;
            RenderedProbe::Tcp(
                p.parse().map_err(|_| LaunchError::Template(format!("`{p}` is not a port")))?,
            )
        }
        HealthProbe::Log { pattern } => RenderedProbe::Log(pattern.clone()),
        HealthProbe::Alive => RenderedProbe::Alive,
    };
    let status = match &profile.status {
        Some(s) => Some(RenderedStatus {
            adapter: s.adapter,
            url: s.url.as_ref().map(render).transpose()?,
            token: s.token.as_ref().map(render).transpose()?.map(Sensitive::new),
            options: s
                .options
                .iter()
                .map(|(k, t)| Ok((k.clone(), render(t)?)))
                .collect::<Result<_, LaunchError>>()?,
        }),
        None => None,
    };
    let polite_stop = match &profile.stop.polite {
        PoliteStop::Signal => RenderedStop::Signal,
        PoliteStop::HttpPost { url } => RenderedStop::HttpPost(render(url)?),
    };
    Ok(LaunchPlan { program, args, env, health, status, polite_stop, secrets })
}
