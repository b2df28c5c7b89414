//! Acknowledgements of compliance notes. Where a note's status is restricted or prohibited, a
//! node starts only after the user has read that version of the note and said so; the ledger
//! keeps when, which note (jurisdiction, activity, version, review date) and in which language
//! it was shown. A new version of the note needs a new acknowledgement.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Ledger;
use super::error::{LedgerError, SqlContext};
use crate::model::UnixMillis;

/// One acknowledgement, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acknowledgement {
    pub at_ms: UnixMillis,
    pub node_id: String,
    /// Jurisdiction code, e.g. "CN".
    pub jurisdiction: String,
    /// Activity, e.g. "pow-mining".
    pub activity: String,
    /// The note's status when it was acknowledged, e.g. "prohibited".
    pub status: String,
    pub note_version: u32,
    /// The note's last-reviewed date (YYYY-MM-DD).
    pub last_reviewed: String,
    /// Language the note was shown in ("en", "zh-CN").
    pub lang: String,
}

impl Ledger {
    /// Records that the user acknowledged a note. Synced to disk when this returns.
    pub fn record_acknowledgement(&self, ack: &Acknowledgement) -> Result<(), LedgerError> {
        let conn = self.writer();
        conn.prepare_cached(
            "INSERT INTO acknowledgements \
             (at_ms, node_id, jurisdiction, activity, status, note_version, last_reviewed, lang) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .ctx("preparing to record an acknowledgement")?
        .execute(params![
            ack.at_ms,
            ack.node_id,
            ack.jurisdiction,
            ack.activity,
            ack.status,
            ack.note_version,
            ack.last_reviewed,
            ack.lang
        ])
        .ctx("recording an acknowledgement")?;
        Ok(())
    }

    /// The newest acknowledgement of exactly this note version, if any.
    pub fn acknowledgement(
        &self,
        jurisdiction: &str,
        activity: &str,
        note_version: u32,
    ) -> Result<Option<Acknowledgement>, LedgerError> {
        let conn = self.reader();
        conn.prepare_cached(
            "SELECT at_ms, node_id, jurisdiction, activity, status, note_version, last_reviewed, \
             lang FROM acknowledgements \
             WHERE jurisdiction = ?1 AND activity = ?2 AND note_version = ?3 \
             ORDER BY at_ms DESC, id DESC LIMIT 1",
        )
        .ctx("preparing to read acknowledgements")?
        .query_row(params![jurisdiction, activity, note_version], |r| {
            Ok(Acknowledgement {
                at_ms: r.get(0)?,
                node_id: r.get(1)?,
                jurisdiction: r.get(2)?,
                activity: r.get(3)?,
                status: r.get(4)?,
                note_version: r.get(5)?,
                last_reviewed: r.get(6)?,
                lang: r.get(7)?,
            })
        })
        .optional()
        .ctx("reading acknowledgements")
    }

    /// Every acknowledgement in `[from_ms, to_ms)`, oldest first (for records and exports).
    pub fn acknowledgements(
        &self,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<Vec<Acknowledgement>, LedgerError> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(
                "SELECT at_ms, node_id, jurisdiction, activity, status, note_version, \
                 last_reviewed, lang FROM acknowledgements \
                 WHERE at_ms >= ?1 AND at_ms < ?2 ORDER BY at_ms, id",
            )
            .ctx("preparing to list acknowledgements")?;
        let rows = stmt
            .query_map(params![from_ms, to_ms], |r| {
                Ok(Acknowledgement {
                    at_ms: r.get(0)?,
                    node_id: r.get(1)?,
                    jurisdiction: r.get(2)?,
                    activity: r.get(3)?,
                    status: r.get(4)?,
                    note_version: r.get(5)?,
                    last_reviewed: r.get(6)?,
                    lang: r.get(7)?,
                })
            })
            .ctx("listing acknowledgements")?;
        rows.collect::<Result<Vec<_>, _>>().ctx("reading an acknowledgement")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::test_support::temp_ledger;

    fn ack(at_ms: i64, version: u32) -> Acknowledgement {
        Acknowledgement {
            at_ms,
            node_id: "xmrig".into(),
            jurisdiction: "CN".into(),
            activity: "pow-mining".into(),
            status: "prohibited".into(),
            note_version: version,
            last_reviewed: "2026-05-01".into(),
            lang: "zh-CN".into(),
        }
    }

    #[test]
    fn an_acknowledgement_counts_only_for_its_note_version() {
        let (_dir, ledger) = temp_ledger();
        assert_eq!(ledger.acknowledgement("CN", "pow-mining", 1).unwrap(), None);
        ledger.record_acknowledgement(&ack(1_000, 1)).unwrap();
        assert_eq!(ledger.acknowledgement("CN", "pow-mining", 1).unwrap(), Some(ack(1_000, 1)));
        assert_eq!(ledger.acknowledgement("CN", "pow-mining", 2).unwrap(), None);
        assert_eq!(ledger.acknowledgement("CN", "staking", 1).unwrap(), None);
        assert_eq!(ledger.acknowledgements(0, i64::MAX).unwrap().len(), 1);
    }

    #[test]
    fn acknowledgements_cannot_be_rewritten() {
        let (_dir, ledger) = temp_ledger();
        ledger.record_acknowledgement(&ack(1_000, 1)).unwrap();
        let conn = ledger.writer();
        assert!(conn.execute("UPDATE acknowledgements SET at_ms = 5", []).is_err());
        assert!(conn.execute("DELETE FROM acknowledgements", []).is_err());
    }
}
