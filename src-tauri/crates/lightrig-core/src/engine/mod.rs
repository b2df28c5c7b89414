//! The engine API: one object that owns the settings, the profile catalog, the ledger, the
//! node's supervisor and the telemetry sampler. The desktop shell, `lightrig serve` and the
//! CLI are thin front doors onto this.

mod instance;
pub use instance::LockError;
mod recorder;
mod report;
mod report_prices;
mod sampler;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

pub use report::{Report, RewardLine};
pub use report_prices::{ValuedLine, describe_first_payout};
pub use sampler::{EnergyLive, LiveStatus, PriceNow};

use crate::config::{self, ConfigError, Settings};
use crate::ledger::{Ledger, LedgerError, OpenReport};
use crate::paths::{Paths, PathsError};
use crate::profile::{Catalog, FieldValue, Profile, ProfileError};
use crate::supervisor::{LogLine, NodeStatus, SupervisorConfig, SupervisorHandle};
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
    #[error("{message}")]
    Field { field: String, message: String },
    #[error(transparent)]
    Instance(#[from] instance::LockError),
}

impl EngineError {
    /// Stable codes the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Paths(_) => "files.unusable",
            EngineError::Ledger(_) => "ledger.unusable",
            EngineError::Profile(_) => "profile.invalid",
            EngineError::UnknownProfile(_) => "profile.unknown",
            EngineError::Settings(_) | EngineError::Field { .. } => "node.settings_invalid",
            EngineError::Instance(instance::LockError::Held { .. }) => "engine.already_running",
            EngineError::Instance(instance::LockError::Io { .. }) => "files.unusable",
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

/// The node being supervised now, and the task that mirrors its status and log.
#[derive(Debug)]
struct Current {
    profile: Profile,
    node: SupervisorHandle,
    forwarder: tokio::task::JoinHandle<()>,
}

#[derive(Debug)]
pub struct Engine {
    paths: Paths,
    settings: RwLock<Settings>,
    catalog: RwLock<Catalog>,
    ledger: Ledger,
    current: RwLock<Current>,
    /// The current node's status, whichever node that is (survives a node switch).
    status: watch::Sender<NodeStatus>,
    /// The current node's log lines as they arrive.
    log: broadcast::Sender<LogLine>,
    live: watch::Receiver<Option<TelemetrySample>>,
    sampler: Mutex<Option<sampler::SamplerHandle>>,
    notes: OpenNotes,
    bundled_dir: Option<PathBuf>,
    lifeline: Option<PathBuf>,
    /// This engine's claim on its data folder, for as long as it lives.
    _instance: instance::InstanceLock,
}

/// Lists the catalog without starting anything (for `lightrig nodes`).
pub fn catalog(data_dir: Option<&std::path::Path>) -> Result<Catalog, EngineError> {
    let paths = Paths::resolve(data_dir)?;
    Ok(Catalog::load(Some(&paths.profiles_dir())))
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Engine {
    /// Opens the engine: folders, the data folder's lock (one engine per folder), settings,
    /// catalog, ledger; then starts the supervisor (which first stops any leftover node) and
    /// the telemetry sampler. The node is not started.
    pub async fn open(opts: EngineOptions) -> Result<Engine, EngineError> {
        let paths = Paths::resolve(opts.data_dir.as_deref())?;
        paths.create()?;
        // Before anything reads or stops: a second engine here would take the first one's node
        // for a leftover.
        let claim = instance::InstanceLock::acquire(&paths.engine_lock_file(), &paths.data_dir)?;
        let loaded = config::load(&paths.config_file());
        let settings = loaded.settings;
        let catalog = Catalog::load(Some(&paths.profiles_dir()));
        let profile = match &opts.node {
            NodeChoice::Configured => catalog
                .get(&settings.node)
                .cloned()
                .ok_or_else(|| EngineError::UnknownProfile(settings.node.clone()))?,
            NodeChoice::Profile(id) => {
                catalog.get(id).cloned().ok_or_else(|| EngineError::UnknownProfile(id.clone()))?
            }
            NodeChoice::File(path) => Profile::load(path)?,
            NodeChoice::Custom { program, args } => {
                Profile::custom(program.clone(), args.clone(), None, Duration::from_secs(3))
            }
        };
        let mut node_settings =
            settings.node_settings.get(&profile.id).cloned().unwrap_or_default();
        node_settings.extend(opts.overrides.clone());
        // Check now, so a bad value is reported before anything starts.
        profile.settle(&node_settings).map_err(|e| EngineError::Settings(e.to_string()))?;

        let ledger_path = paths.ledger_file();
        let (ledger, report): (Ledger, OpenReport) =
            tokio::task::spawn_blocking(move || Ledger::open(&ledger_path))
                .await
                .map_err(|e| EngineError::Settings(format!("ledger task failed: {e}")))??;

        let node = spawn_supervisor(
            &paths,
            &settings,
            &ledger,
            profile.clone(),
            node_settings,
            opts.bundled_dir.clone(),
            opts.lifeline.clone(),
        );
        let (status, status_rx) = watch::channel(node.status());
        let (log, _) = broadcast::channel(512);
        let forwarder = forward(&node, status.clone(), log.clone());

        let (live_tx, live) = watch::channel(None);
        let sampler = sampler::spawn(sampler::SamplerConfig {
            interval: settings.sample_interval,
            ledger: ledger.clone(),
            status: status_rx,
            live: live_tx,
            status_file: paths.status_file(),
            energy: sampler::EnergySetup::for_machine(&settings, &paths),
        });
        let notes = OpenNotes {
            config: loaded.problem,
            ledger_moved_aside: report.moved_aside,
            rejected_profiles: catalog.rejected.clone(),
        };
        Ok(Engine {
            paths,
            settings: RwLock::new(settings),
            catalog: RwLock::new(catalog),
            ledger,
            current: RwLock::new(Current { profile, node, forwarder }),
            status,
            log,
            live,
            sampler: Mutex::new(Some(sampler)),
            notes,
            bundled_dir: opts.bundled_dir,
            lifeline: opts.lifeline,
            _instance: claim,
        })
    }

    /// The current node's supervisor.
    pub fn node(&self) -> SupervisorHandle {
        read(&self.current).node.clone()
    }
    pub fn profile(&self) -> Profile {
        read(&self.current).profile.clone()
    }
    /// The current node's status.
    pub fn status(&self) -> NodeStatus {
        self.status.borrow().clone()
    }
    /// Sees every status change of whichever node is current.
    pub fn watch_status(&self) -> watch::Receiver<NodeStatus> {
        self.status.subscribe()
    }
    /// Every log line of whichever node is current, from now on.
    pub fn subscribe_log(&self) -> broadcast::Receiver<LogLine> {
        self.log.subscribe()
    }
    pub fn catalog(&self) -> Catalog {
        read(&self.catalog).clone()
    }
    pub fn settings(&self) -> Settings {
        read(&self.settings).clone()
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

    /// Validates and saves new settings (node settings are kept as they are).
    pub async fn save_settings(&self, mut new: Settings) -> Result<(), EngineError> {
        {
            let cur = read(&self.settings);
            new.node = cur.node.clone();
            new.node_settings = cur.node_settings.clone();
        }
        self.persist(new).await
    }

    async fn persist(&self, new: Settings) -> Result<(), EngineError> {
        let path = self.paths.config_file();
        let to_save = new.clone();
        tokio::task::spawn_blocking(move || config::save(&path, &to_save))
            .await
            .map_err(|e| EngineError::Settings(format!("saving failed: {e}")))?
            .map_err(|e| EngineError::Settings(format!("cannot save the settings: {e}")))?;
        *write(&self.settings) = new;
        Ok(())
    }

    /// Makes `profile_id` the node, with `values` for its fields: validates, saves, stops the
    /// old node (its whole tree) and sets up the new one. The new node is not started.
    pub async fn switch_node(
        &self,
        profile_id: &str,
        values: BTreeMap<String, FieldValue>,
    ) -> Result<(), EngineError> {
        let profile = read(&self.catalog)
            .get(profile_id)
            .cloned()
            .ok_or_else(|| EngineError::UnknownProfile(profile_id.to_owned()))?;
        profile
            .settle(&values)
            .map_err(|e| EngineError::Field { field: e.field.clone(), message: e.message })?;
        let mut settings = self.settings();
        settings.node = profile.id.clone();
        settings.node_settings.insert(profile.id.clone(), values.clone());
        self.persist(settings.clone()).await?;
        let old = self.node();
        let _ = old.shutdown().await;
        let node = spawn_supervisor(
            &self.paths,
            &settings,
            &self.ledger,
            profile.clone(),
            values,
            self.bundled_dir.clone(),
            self.lifeline.clone(),
        );
        self.status.send_replace(node.status());
        let forwarder = forward(&node, self.status.clone(), self.log.clone());
        let previous =
            std::mem::replace(&mut *write(&self.current), Current { profile, node, forwarder });
        previous.forwarder.abort();
        Ok(())
    }

    /// Stops the node (politely, then the tree), the sampler, and flushes the ledger's last
    /// rollups. Nothing of the node is left when this returns.
    pub async fn shutdown(&self) {
        let _ = self.node().shutdown().await;
        let sampler = self.sampler.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(s) = sampler {
            let _ = tokio::task::spawn_blocking(move || s.stop()).await;
        }
        let ledger = self.ledger.clone();
        let _ =
            tokio::task::spawn_blocking(move || ledger.maintain(crate::model::now_millis())).await;
        let _ = std::fs::remove_file(self.paths.status_file());
    }
}

fn spawn_supervisor(
    paths: &Paths,
    settings: &Settings,
    ledger: &Ledger,
    profile: Profile,
    node_settings: BTreeMap<String, FieldValue>,
    bundled_dir: Option<PathBuf>,
    lifeline: Option<PathBuf>,
) -> SupervisorHandle {
    let mut cfg = SupervisorConfig::new(profile.clone());
    cfg.settings = node_settings;
    cfg.bundled_dir = bundled_dir;
    cfg.nodes_dir = Some(crate::installer::nodes_dir(paths));
    if lifeline.is_some() {
        cfg.lifeline = lifeline;
    }
    cfg.pid_file = Some(paths.pid_file(&profile.id));
    cfg.log_file = Some(paths.node_log(&profile.id));
    cfg.log_max_bytes = settings.node_log_max_bytes;
    cfg.recorder = Arc::new(recorder::LedgerRecorder::new(ledger.clone()));
    // Only real nodes use it (see the supervisor's make_plan); nothing touches the keychain
    // until such a node starts.
    cfg.secrets = crate::secret::SecretStore::os().ok().map(Arc::new);
    SupervisorHandle::spawn(cfg)
}

/// Mirrors one supervisor's status and log into the engine's channels.
fn forward(
    node: &SupervisorHandle,
    status: watch::Sender<NodeStatus>,
    log: broadcast::Sender<LogLine>,
) -> tokio::task::JoinHandle<()> {
    let mut rx = node.watch();
    let mut lines = node.logs().subscribe();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                changed = rx.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    status.send_replace(rx.borrow_and_update().clone());
                }
                line = lines.recv() => match line {
                    Ok(l) => { let _ = log.send(l); }
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    })
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
    let settings = config::load_quiet(&paths.config_file());
    let node = node.map_or(settings.node, str::to_owned);
    let (ledger, _) = Ledger::open(paths.ledger_file())?;
    let mut report = report::build(&ledger, &node, from_ms, to_ms)?;
    let at = to_ms.min(crate::model::now_millis());
    report_prices::value(&ledger, &mut report, &settings.currency, at)?;
    let profile = Catalog::load(Some(&paths.profiles_dir())).get(&node).cloned();
    report.first_payout = report_prices::first_payout(
        sampler::read_live(&paths.status_file()).as_ref(),
        &node,
        profile.as_ref().and_then(|p| p.status.as_ref()).map(|s| s.adapter),
        profile.is_some_and(|p| p.simulated),
    );
    Ok(report)
}

/// What `lightrig status` prints: the live status file of a running engine, if one runs.
pub fn live_status(data_dir: Option<&std::path::Path>) -> Result<Option<LiveStatus>, EngineError> {
    let paths = Paths::resolve(data_dir)?;
    Ok(sampler::read_live(&paths.status_file()))
}
