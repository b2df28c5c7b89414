//! The engine API: one object that owns the settings, the profile catalog, the ledger, the
//! node's supervisor and the telemetry sampler. The desktop shell, `lightrig serve` and the
//! CLI are thin front doors onto this.

mod recorder;
mod report;
mod sampler;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

pub use report::{Report, RewardLine};
pub use sampler::LiveStatus;

use crate::config::{self, ConfigError, Settings};
use crate::ledger::{Ledger, LedgerError, OpenReport};
use crate::paths::{Paths, PathsError};
use crate::profile::{Catalog, FieldValue, Profile, ProfileError};
use crate::supervisor::{SupervisorConfig, SupervisorHandle};
use crate::telemetry::TelemetrySample;

/// Which node to run.
#[derive(Debug, Clone)]
pub enum NodeChoice {
    /// The one in the settings (the practice node by default).
    Configured,
    /// A profile id from the catalog.
    Profile(String),
    /// A profile file given by path.
    File(PathBuf),
    /// A command line, run as is.
    Custom { program: PathBuf, args: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// `--data-dir`; otherwise `LIGHTRIG_HOME`, then the platform folders.
    pub data_dir: Option<PathBuf>,
    pub node: NodeChoice,
    /// Settings for this run on top of the saved ones (`--set key=value`).
    pub overrides: BTreeMap<String, FieldValue>,
    /// Where bundled node programs are; default: next to this program.
    pub bundled_dir: Option<PathBuf>,
    /// `lightrig-lifeline`; default: next to this program.
    pub lifeline: Option<PathBuf>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            data_dir: None,
            node: NodeChoice::Configured,
            overrides: BTreeMap::new(),
            bundled_dir: None,
            lifeline: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Paths(#[from] PathsError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error("there is no node profile called `{0}`: run `lightrig nodes` to list them")]
    UnknownProfile(String),
    #[error("{0}")]
    Settings(String),
}

impl EngineError {
    /// Stable codes the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Paths(_) => "files.unusable",
            EngineError::Ledger(_) => "ledger.unusable",
            EngineError::Profile(_) => "profile.invalid",
            EngineError::UnknownProfile(_) => "profile.unknown",
            EngineError::Settings(_) => "node.settings_invalid",
        }
    }
}

/// Problems found while opening that did not stop the engine, for the front end to show.
#[derive(Debug, Clone, Default)]
pub struct OpenNotes {
    pub config: Option<(ConfigError, Option<PathBuf>)>,
    pub ledger_moved_aside: Option<PathBuf>,
    pub rejected_profiles: Vec<ProfileError>,
}

#[derive(Debug)]
pub struct Engine {
    paths: Paths,
    settings: Settings,
    catalog: Catalog,
    profile: Profile,
    ledger: Ledger,
    node: SupervisorHandle,
    live: watch::Receiver<Option<TelemetrySample>>,
    sampler: Option<sampler::SamplerHandle>,
    notes: OpenNotes,
}

/// Lists the catalog without starting anything (for `lightrig nodes`).
pub fn catalog(data_dir: Option<&std::path::Path>) -> Result<Catalog, EngineError> {
    let paths = Paths::resolve(data_dir)?;
    Ok(Catalog::load(Some(&paths.profiles_dir())))
}

impl Engine {
    /// Opens the engine: folders, settings, catalog, ledger; then starts the supervisor (which
    /// first stops any leftover node) and the telemetry sampler. The node is not started.
    pub async fn open(opts: EngineOptions) -> Result<Engine, EngineError> {
        let paths = Paths::resolve(opts.data_dir.as_deref())?;
        paths.create()?;
        let loaded = config::load(&paths.config_file());
        let settings = loaded.settings;
        let catalog = Catalog::load(Some(&paths.profiles_dir()));
        let profile = match &opts.node {
            NodeChoice::Configured => catalog.get(&settings.node).cloned().ok_or_else(|| EngineError::UnknownProfile(settings.node.clone()))?,
            NodeChoice::Profile(id) => catalog.get(id).cloned().ok_or_else(|| EngineError::UnknownProfile(id.clone()))?,
            NodeChoice::File(path) => Profile::load(path)?,
            NodeChoice::Custom { program, args } => Profile::custom(program.clone(), args.clone(), None, Duration::from_secs(3)),
        };
        let mut node_settings = settings.node_settings.get(&profile.id).cloned().unwrap_or_default();
        node_settings.extend(opts.overrides.clone());
        // Check now, so a bad value is reported before anything starts.
        profile.settle(&node_settings).map_err(|e| EngineError::Settings(e.to_string()))?;

        let ledger_path = paths.ledger_file();
        let (ledger, report): (Ledger, OpenReport) =
            tokio::task::spawn_blocking(move || Ledger::open(&ledger_path))
                .await
                .map_err(|e| EngineError::Settings(format!("ledger task failed: {e}")))??;

        let mut cfg = SupervisorConfig::new(profile.clone());
        cfg.settings = node_settings;
        cfg.bundled_dir = opts.bundled_dir.clone();
        if opts.lifeline.is_some() {
            cfg.lifeline = opts.lifeline.clone();
        }
        cfg.pid_file = Some(paths.pid_file(&profile.id));
        cfg.log_file = Some(paths.node_log(&profile.id));
        cfg.log_max_bytes = settings.node_log_max_bytes;
        cfg.recorder = Arc::new(recorder::LedgerRecorder::new(ledger.clone()));
        let node = SupervisorHandle::spawn(cfg);

        let (live_tx, live) = watch::channel(None);
        let sampler = sampler::spawn(sampler::SamplerConfig {
            interval: settings.sample_interval,
            ledger: ledger.clone(),
            status: node.watch(),
            live: live_tx,
            status_file: paths.status_file(),
        });
        let notes = OpenNotes {
            config: loaded.problem,
            ledger_moved_aside: report.moved_aside,
            rejected_profiles: catalog.rejected.clone(),
        };
        Ok(Engine { paths, settings, catalog, profile, ledger, node, live, sampler: Some(sampler), notes })
    }

    pub fn node(&self) -> &SupervisorHandle {
        &self.node
    }
    pub fn profile(&self) -> &Profile {
        &self.profile
    }
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn paths(&self) -> &Paths {
        &self.paths
    }
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    pub fn notes(&self) -> &OpenNotes {
        &self.notes
    }

    /// The latest telemetry sample (None before the first one).
    pub fn telemetry(&self) -> Option<TelemetrySample> {
        self.live.borrow().clone()
    }

    pub fn watch_telemetry(&self) -> watch::Receiver<Option<TelemetrySample>> {
        self.live.clone()
    }

    /// Stops the node (politely, then the tree), the sampler, and flushes the ledger's last
    /// rollups. Nothing of the node is left when this returns.
    pub async fn shutdown(mut self) {
        let _ = self.node.shutdown().await;
        if let Some(s) = self.sampler.take() {
            let _ = tokio::task::spawn_blocking(move || s.stop()).await;
        }
        let ledger = self.ledger.clone();
        let _ = tokio::task::spawn_blocking(move || ledger.maintain(crate::model::now_millis())).await;
        let _ = std::fs::remove_file(self.paths.status_file());
    }
}

/// What `lightrig report` prints, for any data dir (no engine needs to run).
/// `node` defaults to the node in the settings.
pub fn report(
    data_dir: Option<&std::path::Path>,
    node: Option<&str>,
    from_ms: i64,
    to_ms: i64,
) -> Result<Report, EngineError> {
    let paths = Paths::resolve(data_dir)?;
    let node = match node {
        Some(n) => n.to_owned(),
        None => config::load_quiet(&paths.config_file()).node,
    };
    let (ledger, _) = Ledger::open(paths.ledger_file())?;
    Ok(report::build(&ledger, &node, from_ms, to_ms)?)
}

/// What `lightrig status` prints: the live status file of a running engine, if one runs.
pub fn live_status(data_dir: Option<&std::path::Path>) -> Result<Option<LiveStatus>, EngineError> {
    let paths = Paths::resolve(data_dir)?;
    Ok(sampler::read_live(&paths.status_file()))
}
