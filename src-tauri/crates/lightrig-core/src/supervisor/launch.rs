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
    /// Private files the node reads at start (`[launch.files]`); written by
    /// [`write_run_files`] just before the node starts and removed with their folder after.
    pub files: Vec<RunFile>,
    /// The folder holding `files`, only this user's; `None` when the profile has none.
    pub files_dir: Option<PathBuf>,
}

/// One private file of a run. Its content may carry a secret (XMRig's API token), hence
/// `Sensitive`.
#[derive(Debug, Clone)]
pub struct RunFile {
    pub path: PathBuf,
    pub content: Sensitive<String>,
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
/// kept on first use), so it stays the same from run to run, and each password field the
/// password the user saved there. Without a store, a fresh token and no password.
/// The store may block (see [`SecretStore`]): call this from a blocking thread when given one.
pub fn plan_with_secrets(
    profile: &Profile,
    settings: &BTreeMap<String, FieldValue>,
    bundled_dir: Option<&Path>,
    nodes_dir: Option<&Path>,
    store: Option<&SecretStore>,
) -> Result<LaunchPlan, LaunchError> {
    plan_in(profile, settings, bundled_dir, nodes_dir, store, None)
}

/// [`plan_with_secrets`], with the run's private files in `<run_dir>/<node id>.files` (the
/// supervisor's run folder, next to the pid file). Without `run_dir` they go to a new folder
/// with a random name in the system's temporary folder.
pub fn plan_in(
    profile: &Profile,
    settings: &BTreeMap<String, FieldValue>,
    bundled_dir: Option<&Path>,
    nodes_dir: Option<&Path>,
    store: Option<&SecretStore>,
    run_dir: Option<&Path>,
) -> Result<LaunchPlan, LaunchError> {
    let mut values = profile.settle(settings)?;
    let mut secrets = Vec::new();
    // Password fields the keychain had nothing for: whatever names them is left out.
    let mut unset = std::collections::BTreeSet::new();
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
            FieldKind::Password => {
                // The settings hold only the "saved" marker; the password is in the keychain.
                values.remove(&field.name);
                match store.map(|s| s.get(&profile.id, &field.name)).transpose()?.flatten() {
                    Some(p) => {
                        values.insert(field.name.clone(), FieldValue::Text(p.expose().clone()));
                        secrets.push(p);
                    }
                    None => {
                        unset.insert(field.name.as_str());
                    }
                }
            }
            _ => {}
        }
    }
    let names_unset = |t: &crate::profile::Template| t.fields().any(|f| unset.contains(f));
    let files_dir = (!profile.launch.files.is_empty()).then(|| files_dir(&profile.id, run_dir));
    let mut file_paths = Vec::new();
    if let Some(dir) = &files_dir {
        for (name, _) in &profile.launch.files {
            let path = dir.join(format!("{name}.json"));
            values.insert(name.clone(), FieldValue::Text(path.display().to_string()));
            file_paths.push(path);
        }
    }
    let render = |t: &crate::profile::Template| t.render(&values).map_err(LaunchError::Template);
    let program = resolve_program(profile, bundled_dir, nodes_dir)?;
    let args = profile.launch.args.iter().map(render).collect::<Result<Vec<_>, _>>()?;
    let env = profile
        .launch
        .env
        .iter()
        .filter(|(_, v)| !names_unset(v))
        .map(|(k, v)| Ok((k.clone(), Sensitive::new(render(v)?))))
        .collect::<Result<Vec<_>, LaunchError>>()?;
    let files = profile
        .launch
        .files
        .iter()
        .zip(file_paths)
        .map(|((_, t), path)| Ok(RunFile { path, content: Sensitive::new(render(t)?) }))
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
            token: s
                .token
                .as_ref()
                .filter(|t| !names_unset(t))
                .map(render)
                .transpose()?
                .map(Sensitive::new),
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
    Ok(LaunchPlan { program, args, env, health, status, polite_stop, secrets, files, files_dir })
}

/// Where a run's private files go (see [`plan_in`]).
fn files_dir(node_id: &str, run_dir: Option<&Path>) -> PathBuf {
    match run_dir {
        Some(dir) => dir.join(format!("{node_id}.files")),
        None => {
            let tag: String = new_token()
                .map(|t| t.expose().chars().filter(char::is_ascii_alphanumeric).take(12).collect())
                .unwrap_or_else(|_| format!("{}", std::process::id()));
            std::env::temp_dir().join(format!("lightrig-{node_id}-{tag}"))
        }
    }
}

/// Writes the run's private files: a folder only this user can open (a fixed one is emptied
/// first, so nothing of an earlier run is reused), each file created new and readable by this
/// user only. On Windows the folder sits in the user's own profile, whose permissions already
/// shut other users out.
pub fn write_run_files(plan: &LaunchPlan) -> std::io::Result<()> {
    use std::io::Write;
    let Some(dir) = &plan.files_dir else { return Ok(()) };
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent)?;
    }
    #[cfg(unix)]
    let builder = {
        let mut b = std::fs::DirBuilder::new();
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b
    };
    // Windows: the folder inherits the ACL of Lightrig's data folder in the user's profile
    // (%LOCALAPPDATA%), which grants that user, administrators and SYSTEM only.
    #[cfg(not(unix))]
    let builder = std::fs::DirBuilder::new();
    builder.create(dir)?;
    for file in &plan.files {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&file.path)?;
        f.write_all(file.content.expose().as_bytes())?;
        f.sync_all()?;
    }
    Ok(())
}

/// Removes the run's private files once the node has ended (or could not start).
pub fn remove_run_files(plan: &LaunchPlan) {
    if let Some(dir) = &plan.files_dir
        && let Err(e) = std::fs::remove_dir_all(dir)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(dir = %dir.display(), error = %e, "cannot remove the node's run files");
    }
}
