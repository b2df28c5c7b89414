//! From a profile and the user's settings to one concrete launch: the program's path, its argv,
//! its environment, and the rendered health, status and stop endpoints. Ports are picked and
//! tokens generated here, afresh for each run.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};

use crate::profile::{
    AdapterKind, BinarySource, FieldKind, FieldValue, HealthProbe, PoliteStop, Profile,
};
use crate::secret::Sensitive;

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
    #[error("no free port on 127.0.0.1 for the node's API: {0}")]
    NoPort(std::io::Error),
    #[error("cannot generate a token: {0}")]
    Random(String),
    #[error("profile template: {0}")]
    Template(String),
}

impl LaunchError {
    pub fn code(&self) -> &'static str {
        match self {
            LaunchError::Settings(_) => "node.settings_invalid",
            LaunchError::ProgramMissing { .. } => "node.program_missing",
            LaunchError::NoPort(_) => "node.no_port",
            LaunchError::Random(_) | LaunchError::Template(_) => "node.launch_failed",
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

/// Finds the program a profile names. `bundled_dir` overrides where bundled programs are
/// looked for (tests, and packaged layouts that keep sidecars elsewhere).
pub fn resolve_program(
    profile: &Profile,
    bundled_dir: Option<&Path>,
) -> Result<PathBuf, LaunchError> {
    match &profile.binary {
        BinarySource::Bundled { name } => {
            let found = match bundled_dir {
                Some(dir) => {
                    let p = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
                    p.is_file().then_some(p)
                }
                None => sibling_binary(name),
            };
            found.ok_or_else(|| LaunchError::ProgramMissing {
                program: name.clone(),
                hint: "it ships with Lightrig next to its own program; reinstall Lightrig (or build the workspace)".into(),
            })
        }
        BinarySource::SearchPath { name } => {
            search_path(name).ok_or_else(|| LaunchError::ProgramMissing {
                program: name.clone(),
                hint: "install it (e.g. with your package manager) or choose the program's file"
                    .into(),
            })
        }
        BinarySource::Path { path } => {
            if path.is_file() {
                Ok(path.clone())
            } else {
                Err(LaunchError::ProgramMissing {
                    program: path.display().to_string(),
                    hint: "the file does not exist any more: choose it again".into(),
                })
            }
        }
    }
}

fn free_port() -> Result<u16, LaunchError> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(LaunchError::NoPort)?;
    Ok(l.local_addr().map_err(LaunchError::NoPort)?.port())
}

/// A random token of 32 URL-safe characters.
pub fn new_token() -> Result<Sensitive<String>, LaunchError> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| LaunchError::Random(e.to_string()))?;
    Ok(Sensitive::new(bytes.iter().map(|b| ALPHABET[usize::from(b & 63)] as char).collect()))
}

/// Builds the plan for one run.
pub fn plan(
    profile: &Profile,
    settings: &BTreeMap<String, FieldValue>,
    bundled_dir: Option<&Path>,
) -> Result<LaunchPlan, LaunchError> {
    let mut values = profile.settle(settings)?;
    let mut secrets = Vec::new();
    for field in &profile.fields {
        match field.kind {
            FieldKind::Port if !values.contains_key(&field.name) => {
                values.insert(field.name.clone(), FieldValue::Int(i64::from(free_port()?)));
            }
            FieldKind::Token => {
                let token = new_token()?;
                values.insert(field.name.clone(), FieldValue::Text(token.expose().clone()));
                secrets.push(token);
            }
            _ => {}
        }
    }
    let render = |t: &crate::profile::Template| t.render(&values).map_err(LaunchError::Template);
    let program = resolve_program(profile, bundled_dir)?;
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
