//! The app's API, transport-neutral: the Tauri shell maps it to IPC commands and events, and
//! `lightrig serve` to HTTP and server-sent events. Both call exactly these methods, so the two
//! front doors cannot drift apart. Every error is an [`ApiError`] with a stable code.

pub mod bindings;
mod compliance;
mod export;
pub use compliance::{acknowledge_note, current_note};
pub use export::{ExportFile, ExportQuery};
mod dto;
mod energy;
pub(crate) mod first_payout;
mod install;
pub use install::*;
mod metrics;
mod prices;
mod projection;
mod secrets;
mod tariff;
mod valuation;
mod views;

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::broadcast;

pub use dto::*;

use crate::compliance::KnowledgeBase;
use crate::energy::carbon::GridIntensityTable;
use crate::engine::{Engine, EngineError, EngineOptions};
use crate::model::now_millis;
use crate::profile::FieldValue;
use crate::supervisor::{CommandError, LogLine};

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Field { field, message } => {
                ApiError::field("node.settings_invalid", &field, message)
            }
            other => ApiError::new(other.code(), other.to_string()),
        }
    }
}

impl From<CommandError> for ApiError {
    fn from(e: CommandError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

/// One running engine behind the app's API.
#[derive(Debug)]
pub struct AppService {
    engine: Engine,
    kb: Option<KnowledgeBase>,
    /// Grid CO₂ intensity per country, shipped with the app.
    grid: Option<Arc<GridIntensityTable>>,
    events: broadcast::Sender<AppEvent>,
    forwarder: tokio::task::JoinHandle<()>,
    installs: install::Installs,
    /// The opt-in coin price feed; runs only while the user has it on.
    price_feed: crate::price::FeedRunner,
}

impl AppService {
    pub async fn open(opts: EngineOptions) -> Result<Arc<AppService>, ApiError> {
        let engine = Engine::open(opts).await?;
        let kb = match KnowledgeBase::builtin() {
            Ok(kb) => Some(kb),
            Err(e) => {
                tracing::error!(error = %e, "the built-in compliance notes did not load");
                None
            }
        };
        let grid = match GridIntensityTable::bundled() {
            Ok(table) => Some(Arc::new(table)),
            Err(e) => {
                tracing::error!(error = %e, "the grid carbon table did not load");
                None
            }
        };
        let (events, _) = broadcast::channel(1024);
        let forwarder = spawn_event_forwarder(&engine, events.clone());
        let installs = install::Installs::builtin();
        let price_feed = crate::price::FeedRunner::new();
        let app = AppService { engine, kb, grid, events, forwarder, installs, price_feed };
        app.start_prices().await;
        Ok(Arc::new(app))
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Every event from now on. A slow reader skips events and should ask for a snapshot.
    pub fn subscribe(&self) -> broadcast::Receiver<AppEvent> {
        self.events.subscribe()
    }

    pub fn snapshot(&self) -> Snapshot {
        let settings = self.engine.settings();
        let mut notices = Vec::new();
        let notes = self.engine.notes();
        if let Some((err, kept)) = &notes.config {
            let kept = kept
                .as_ref()
                .map(|k| format!(" The file was kept as {}.", k.display()))
                .unwrap_or_default();
            notices.push(Notice {
                code: "config.invalid".into(),
                message: format!(
                    "Your settings file had a problem, so defaults are in use: {err}.{kept}"
                ),
            });
        }
        if let Some(moved) = &notes.ledger_moved_aside {
            notices.push(Notice {
                code: "ledger.damaged".into(),
                message: format!(
                    "The records database was damaged; it was kept as {} and a new one started.",
                    moved.display()
                ),
            });
        }
        for r in &notes.rejected_profiles {
            notices.push(Notice { code: "profile.invalid".into(), message: r.to_string() });
        }
        Snapshot {
            version: env!("CARGO_PKG_VERSION").into(),
            node: self.engine.status(),
            profile: views::profile_view(&self.engine.profile(), &settings),
            telemetry: self.engine.telemetry(),
            settings: self.settings(),
            notices,
        }
    }

    pub async fn start(&self) -> Result<(), ApiError> {
        self.check_acknowledged()?;
        let settings = self.engine.settings();
        if settings.own_device == Some(false) && !settings.permission_confirmed {
            return Err(ApiError::new(
                "consent.permission_required",
                "This is not your own device or electricity: confirm in Settings that the owner has given you permission before starting.",
            ));
        }
        Ok(self.engine.node().start().await?)
    }
    pub async fn stop(&self) -> Result<(), ApiError> {
        Ok(self.engine.node().stop().await?)
    }
    pub async fn pause(&self) -> Result<(), ApiError> {
        Ok(self.engine.node().pause().await?)
    }
    pub async fn resume(&self) -> Result<(), ApiError> {
        Ok(self.engine.node().resume().await?)
    }

    pub fn profiles(&self) -> Vec<ProfileView> {
        let settings = self.engine.settings();
        self.engine.catalog().profiles.iter().map(|p| views::profile_view(p, &settings)).collect()
    }

    pub async fn select_node(
        &self,
        profile_id: &str,
        values: BTreeMap<String, SettingValue>,
    ) -> Result<(), ApiError> {
        let mut values = values
            .into_iter()
            .map(|(k, v)| (k, views::field_value(v)))
            .collect::<BTreeMap<String, FieldValue>>();
        // Typed passwords go to the keychain, never to the settings file; the other fields are
        // checked first, so a form with a mistake saves nothing.
        if let Some(profile) = self.engine.catalog().get(profile_id).cloned() {
            let previous = self.engine.settings().node_settings.get(profile_id).cloned();
            let typed = secrets::take_passwords(&profile, previous.as_ref(), &mut values)?;
            profile.settle(&values).map_err(|e| {
                ApiError::field("node.settings_invalid", &e.field, e.message.clone())
            })?;
            secrets::save_to_keychain(profile_id, typed).await?;
        }
        Ok(self.engine.switch_node(profile_id, values).await?)
    }

    pub fn logs(&self, after: u64) -> Vec<LogLine> {
        let mut lines = self.engine.node().logs().since(after);
        let skip = lines.len().saturating_sub(2000);
        lines.drain(..skip);
        lines
    }

    pub async fn series(&self, range: SeriesRange) -> Result<Series, ApiError> {
        let ledger = self.engine.ledger().clone();
        tokio::task::spawn_blocking(move || views::series(&ledger, range, now_millis()))
            .await
            .map_err(|e| ApiError::new("internal", e.to_string()))?
    }

    pub async fn earnings(&self) -> Result<Earnings, ApiError> {
        let ledger = self.engine.ledger().clone();
        let profile = self.engine.profile();
        let settings = self.engine.settings();
        let status = self.engine.status();
        let live = self.engine.energy_live();
        let grid = self.grid.clone();
        let running = matches!(status.state, crate::supervisor::NodeState::Running { .. });
        let network = status.metrics.as_ref().and_then(|m| m.network.clone());
        let pool = status.metrics.as_ref().and_then(|m| m.pool.clone());
        let adapter = profile.status.as_ref().map(|s| s.adapter);
        let work_rate = status.metrics.and_then(|m| m.work_rate).filter(|_| running);
        let simulated = profile.simulated || status.simulated;
        tokio::task::spawn_blocking(move || {
            let inputs = energy::EnergyInputs {
                node: &profile.id,
                currency: &settings.currency,
                jurisdiction: settings.jurisdiction.as_deref(),
                simulated,
                live: live.as_ref(),
                work_rate: work_rate.as_ref(),
                grid: grid.as_deref(),
                network: network.as_ref(),
                pool: pool.as_ref(),
                adapter,
            };
            views::earnings(&ledger, &inputs, now_millis())
        })
        .await
        .map_err(|e| ApiError::new("internal", e.to_string()))?
    }

    pub fn settings(&self) -> SettingsView {
        let mut view = views::settings_view(&self.engine.settings());
        view.energy.price_list = tariff::price_list(&self.engine.paths().tariff_prices_file());
        view
    }

    pub async fn save_settings(&self, view: SettingsView) -> Result<SettingsView, ApiError> {
        let new = views::apply_settings(self.engine.settings(), &view)?;
        self.engine.save_settings(new).await?;
        // A new currency restarts the price feed in it.
        let saved = self.engine.settings();
        self.price_feed.apply(&saved.prices.feed, &saved.currency, self.engine.ledger());
        Ok(self.settings())
    }

    /// The note for the current node's activity where the user lives; `None` until a
    /// jurisdiction is chosen (or if it has no note).
    pub fn compliance(&self) -> Option<ComplianceView> {
        compliance::current_note(&self.engine, self.kb.as_ref()?)
    }

    /// Prometheus text exposition of the current figures.
    pub fn metrics_text(&self) -> String {
        let ledger = self.engine.ledger();
        let totals = ledger.reward_totals(None, 0, i64::MAX).unwrap_or_default();
        let energy = metrics::EnergyFigures {
            live: self.engine.energy_live(),
            totals: ledger.energy_totals(None, 0, i64::MAX).ok(),
        };
        metrics::render(&self.engine.status(), self.engine.telemetry().as_ref(), &totals, &energy)
    }

    /// Stops the node and everything else; nothing of it is left when this returns.
    pub async fn shutdown(&self) {
        self.forwarder.abort();
        self.price_feed.stop();
        self.engine.shutdown().await;
    }
}

fn spawn_event_forwarder(
    engine: &Engine,
    events: broadcast::Sender<AppEvent>,
) -> tokio::task::JoinHandle<()> {
    let mut status = engine.watch_status();
    let mut live = engine.watch_telemetry();
    let mut log = engine.subscribe_log();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                r = status.changed() => {
                    if r.is_err() { return; }
                    let s = status.borrow_and_update().clone();
                    let _ = events.send(AppEvent::Status(Box::new(s)));
                }
                r = live.changed() => {
                    if r.is_err() { return; }
                    let sample = live.borrow_and_update().clone();
                    if let Some(sample) = sample {
                        let _ = events.send(AppEvent::Sample(sample));
                    }
                }
                line = log.recv() => match line {
                    Ok(l) => { let _ = events.send(AppEvent::Log(l)); }
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    })
}
