//! Acknowledging a compliance note. Where the note for the current node's activity in the
//! user's jurisdiction is restricted or prohibited, a node starts only once the user has read
//! that version of the note and said so; the acknowledgement goes into the ledger with the
//! note's version and the time. The practice node is exempt: it does no real mining, earns
//! nothing and connects nowhere.

use super::{ApiError, AppService, ComplianceView, views};
use crate::compliance::{KnowledgeBase, Lang};
use crate::engine::Engine;
use crate::ledger::Acknowledgement;
use crate::model::now_millis;

/// The note for the engine's current node where the user lives, with whether it needs (and
/// has) an acknowledgement; `None` until a jurisdiction is chosen (or if it has no note).
pub fn current_note(engine: &Engine, kb: &KnowledgeBase) -> Option<ComplianceView> {
    let settings = engine.settings();
    let code = settings.jurisdiction.as_deref()?;
    let lang = match settings.language.as_deref() {
        Some("zh-CN") => Lang::ZhCn,
        _ => Lang::En,
    };
    let profile = engine.profile();
    let mut view = views::compliance(kb, code, profile.activity, lang)?;
    if profile.simulated {
        view.requires_acknowledgement = false;
    }
    view.acknowledged_at_ms = engine
        .ledger()
        .acknowledgement(&view.jurisdiction, &view.activity, view.note_version)
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read acknowledgements");
            None
        })
        .map(|a| a.at_ms);
    Some(view)
}

/// Refuses a start whose note needs an acknowledgement the user has not given.
pub(super) fn require_acknowledged(view: Option<&ComplianceView>) -> Result<(), ApiError> {
    match view {
        Some(v) if v.requires_acknowledgement && v.acknowledged_at_ms.is_none() => {
            Err(ApiError::new(
                "compliance.acknowledgement_required",
                format!(
                    "In {} this activity is {}. Read the note on the dashboard and acknowledge it \
                     before starting.",
                    v.jurisdiction_name, v.status
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// Records that the user has read version `note_version` of the current note. A version other
/// than the current one is refused: the note changed, so it must be read again.
pub fn acknowledge_note(
    engine: &Engine,
    kb: &KnowledgeBase,
    note_version: u32,
) -> Result<ComplianceView, ApiError> {
    let Some(view) = current_note(engine, kb) else {
        return Err(ApiError::new(
            "compliance.no_note",
            "There is no note to acknowledge: choose where you live in Settings first.",
        ));
    };
    if view.note_version != note_version {
        return Err(ApiError::new(
            "compliance.note_changed",
            format!(
                "The note has changed (version {} now, you read version {note_version}): read it \
                 again before acknowledging.",
                view.note_version
            ),
        ));
    }
    let lang = engine.settings().language.unwrap_or_else(|| "en".into());
    let ack = Acknowledgement {
        at_ms: now_millis(),
        node_id: engine.profile().id,
        jurisdiction: view.jurisdiction.clone(),
        activity: view.activity.clone(),
        status: view.status.clone(),
        note_version,
        last_reviewed: view.last_reviewed.clone(),
        lang,
    };
    engine.ledger().record_acknowledgement(&ack).map_err(|e| {
        ApiError::new("ledger.write_failed", format!("The acknowledgement was not saved: {e}"))
    })?;
    tracing::info!(
        jurisdiction = %ack.jurisdiction,
        activity = %ack.activity,
        version = note_version,
        "compliance note acknowledged"
    );
    current_note(engine, kb).ok_or_else(|| ApiError::new("compliance.no_note", "the note vanished"))
}

impl AppService {
    pub(super) fn check_acknowledged(&self) -> Result<(), ApiError> {
        require_acknowledged(self.compliance().as_ref())
    }

    /// See [`acknowledge_note`].
    pub fn acknowledge(&self, note_version: u32) -> Result<ComplianceView, ApiError> {
        let Some(kb) = self.kb.as_ref() else {
            return Err(ApiError::new(
                "compliance.no_note",
                "The compliance notes could not be loaded, so there is nothing to acknowledge.",
            ));
        };
        acknowledge_note(&self.engine, kb, note_version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineOptions;

    /// A data folder whose node is a real (not simulated) mining profile that runs `sleep`, with
    /// the user in `jurisdiction`.
    fn data_dir(jurisdiction: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let profiles = dir.path().join("config/profiles");
        std::fs::create_dir_all(&profiles).unwrap();
        std::fs::write(
            profiles.join("sleeper.toml"),
            "schema = 1\nid = \"sleeper\"\nname = \"Sleeper\"\nactivity = \"pow-mining\"\n\
             [binary]\nsource = \"path\"\npath = \"/bin/sleep\"\n\
             [launch]\nargs = [\"30\"]\n[health]\ncheck = \"alive\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("config/config.toml"),
            format!(
                "schema = 1\n[node]\nprofile = \"sleeper\"\n[place]\njurisdiction = \
                 \"{jurisdiction}\"\n[app]\nlanguage = \"en\"\nonboarded = true\n\
                 [consent]\nown_device = true\n"
            ),
        )
        .unwrap();
        dir
    }

    async fn open(dir: &tempfile::TempDir) -> std::sync::Arc<AppService> {
        let opts =
            EngineOptions { data_dir: Some(dir.path().to_path_buf()), ..EngineOptions::default() };
        AppService::open(opts).await.unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn start_needs_an_acknowledgement_where_mining_is_prohibited_and_it_is_recorded() {
        let dir = data_dir("CN");
        let app = open(&dir).await;
        let note = app.compliance().expect("a note for CN");
        assert_eq!(note.status, "prohibited");
        assert!(note.requires_acknowledgement);
        assert_eq!(note.acknowledged_at_ms, None);

        let err = app.start().await.unwrap_err();
        assert_eq!(err.code, "compliance.acknowledgement_required");
        assert!(app.engine().status().pid.is_none(), "nothing was started");

        let stale = app.acknowledge(note.note_version + 1).unwrap_err();
        assert_eq!(stale.code, "compliance.note_changed");

        let acked = app.acknowledge(note.note_version).unwrap();
        assert!(acked.acknowledged_at_ms.is_some());
        let rows = app.engine().ledger().acknowledgements(0, i64::MAX).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].jurisdiction.as_str(), rows[0].activity.as_str(), rows[0].note_version),
            ("CN", "pow-mining", note.note_version)
        );
        assert_eq!(rows[0].status, "prohibited");

        app.start().await.unwrap();
        app.stop().await.unwrap();
        app.shutdown().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_acknowledgement_where_the_activity_is_permitted() {
        let dir = data_dir("DE");
        let app = open(&dir).await;
        let note = app.compliance().expect("a note for DE");
        assert!(!note.requires_acknowledgement, "DE status {}", note.status);
        app.start().await.unwrap();
        assert!(app.engine().ledger().acknowledgements(0, i64::MAX).unwrap().is_empty());
        app.stop().await.unwrap();
        app.shutdown().await;
    }
}
