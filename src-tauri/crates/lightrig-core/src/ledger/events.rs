//! Node events: what happened to a node and why, append-only. Uptime is computed from them.

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use super::Ledger;
use super::error::{LedgerError, SqlContext};
use crate::model::UnixMillis;

/// The state name that counts as "up" for [`Ledger::uptime_ms`].
pub const RUNNING: &str = "running";

/// What kind of thing happened to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The process was started.
    Start,
    /// The process was stopped on purpose.
    Stop,
    /// The process died without being asked to.
    Crash,
    /// The node's state changed; `state` holds the new state, `detail` the reason.
    State,
    /// Anything else worth keeping, in `detail`.
    Note,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Crash => "crash",
            Self::State => "state",
            Self::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "start" => Some(Self::Start),
            "stop" => Some(Self::Stop),
            "crash" => Some(Self::Crash),
            "state" => Some(Self::State),
            "note" => Some(Self::Note),
            _ => None,
        }
    }
}

/// One thing that happened to a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeEvent {
    pub at_ms: UnixMillis,
    pub node_id: String,
    pub kind: EventKind,
    /// The new state, for [`EventKind::State`] (e.g. "running", "paused").
    pub state: Option<String>,
    /// Why, in words a user can read.
    pub detail: Option<String>,
}

/// An event as stored, with the ledger's row id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: i64,
    pub event: NodeEvent,
}

fn read_record(row: &Row<'_>) -> rusqlite::Result<EventRecord> {
    let kind: String = row.get(3)?;
    let kind = EventKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            3,
            rusqlite::types::Type::Text,
            format!("event kind {kind:?}").into(),
        )
    })?;
    Ok(EventRecord {
        id: row.get(0)?,
        event: NodeEvent {
            at_ms: row.get(1)?,
            node_id: row.get(2)?,
            kind,
            state: row.get(4)?,
            detail: row.get(5)?,
        },
    })
}

/// Does this event end a running stretch? Stop and crash do, even without a state event, so a
/// missing state event cannot make a dead node look up.
fn ends_running(kind: &str, state: Option<&str>) -> bool {
    match kind {
        "state" => state != Some(RUNNING),
        "stop" | "crash" => true,
        _ => false,
    }
}

impl Ledger {
    /// Records an event; it is on disk (synced) when this returns.
    pub fn record_event(&self, event: &NodeEvent) -> Result<(), LedgerError> {
        let conn = self.writer();
        conn.prepare_cached(
            "INSERT INTO events (at_ms, node_id, kind, state, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .ctx("preparing to record an event")?
        .execute(params![
            event.at_ms,
            event.node_id,
            event.kind.as_str(),
            event.state,
            event.detail
        ])
        .ctx("recording an event")?;
        Ok(())
    }

    /// Events dated in `[from_ms, to_ms)`, newest first, at most `limit`. `node_id: None` lists
    /// every node's events.
    pub fn events(
        &self,
        node_id: Option<&str>,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
        limit: u32,
    ) -> Result<Vec<EventRecord>, LedgerError> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, at_ms, node_id, kind, state, detail FROM events \
                 WHERE at_ms >= ?1 AND at_ms < ?2 AND (?3 IS NULL OR node_id = ?3) \
                 ORDER BY at_ms DESC, id DESC LIMIT ?4",
            )
            .ctx("preparing to list events")?;
        let rows = stmt
            .query_map(params![from_ms, to_ms, node_id, limit], read_record)
            .ctx("listing events")?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|source| match source {
            rusqlite::Error::FromSqlConversionFailure(_, _, reason) => {
                LedgerError::BadRow { table: "events", reason: reason.to_string() }
            }
            source => LedgerError::Sqlite { action: "listing events", source },
        })
    }

    /// How long the node was running within `[from_ms, to_ms)`: from each state event "running"
    /// to the next state event that is not "running" (or a stop or crash event), or to `now_ms`
    /// if it is still running. A node already running at `from_ms` counts from `from_ms`.
    pub fn uptime_ms(
        &self,
        node_id: &str,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
        now_ms: UnixMillis,
    ) -> Result<u64, LedgerError> {
        let end = to_ms.min(now_ms);
        if end <= from_ms {
            return Ok(0);
        }
        let conn = self.reader();
        let before: Option<(String, Option<String>)> = conn
            .prepare_cached(
                "SELECT kind, state FROM events WHERE node_id = ?1 AND at_ms < ?2 \
                 AND kind IN ('state', 'stop', 'crash') ORDER BY at_ms DESC, id DESC LIMIT 1",
            )
            .ctx("preparing to compute uptime")?
            .query_map(params![node_id, from_ms], |row| Ok((row.get(0)?, row.get(1)?)))
            .ctx("computing uptime")?
            .next()
            .transpose()
            .ctx("computing uptime")?;
        let mut running_since = match before {
            Some((kind, state)) if kind == "state" && state.as_deref() == Some(RUNNING) => {
                Some(from_ms)
            }
            _ => None,
        };

        let mut stmt = conn
            .prepare_cached(
                "SELECT at_ms, kind, state FROM events WHERE node_id = ?1 AND at_ms >= ?2 \
                 AND at_ms < ?3 AND kind IN ('state', 'stop', 'crash') ORDER BY at_ms, id",
            )
            .ctx("preparing to compute uptime")?;
        let rows = stmt
            .query_map(params![node_id, from_ms, end], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                ))
            })
            .ctx("computing uptime")?;
        let mut total: u64 = 0;
        for row in rows {
            let (at, kind, state) = row.ctx("computing uptime")?;
            if ends_running(&kind, state.as_deref()) {
                if let Some(since) = running_since.take() {
                    total = total.saturating_add(at.saturating_sub(since).unsigned_abs());
                }
            } else if kind == "state" && running_since.is_none() {
                running_since = Some(at);
            }
        }
        if let Some(since) = running_since {
            total = total.saturating_add(end.saturating_sub(since).unsigned_abs());
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::test_support::temp_ledger;

    fn state(at_ms: i64, state: &str) -> NodeEvent {
        NodeEvent {
            at_ms,
            node_id: "n1".into(),
            kind: EventKind::State,
            state: Some(state.into()),
            detail: Some("test".into()),
        }
    }

    fn event(at_ms: i64, kind: EventKind) -> NodeEvent {
        NodeEvent { at_ms, node_id: "n1".into(), kind, state: None, detail: None }
    }

    #[test]
    fn events_round_trip_newest_first() {
        let (_dir, ledger) = temp_ledger();
        ledger.record_event(&event(10, EventKind::Start)).unwrap();
        ledger.record_event(&state(20, "running")).unwrap();
        let mut other = event(15, EventKind::Note);
        other.node_id = "n2".into();
        ledger.record_event(&other).unwrap();

        let all = ledger.events(None, 0, 100, 10).unwrap();
        let at: Vec<i64> = all.iter().map(|r| r.event.at_ms).collect();
        assert_eq!(at, [20, 15, 10]);
        assert_eq!(all[0].event, state(20, "running"));
        let n1 = ledger.events(Some("n1"), 0, 100, 1).unwrap();
        assert_eq!(n1.len(), 1);
        assert_eq!(n1[0].event.at_ms, 20);
        assert!(ledger.events(None, 21, 100, 10).unwrap().is_empty());
    }

    #[test]
    fn events_are_append_only() {
        let (_dir, ledger) = temp_ledger();
        ledger.record_event(&event(10, EventKind::Start)).unwrap();
        let conn = ledger.writer();
        assert!(conn.execute("UPDATE events SET at_ms = 11", []).is_err());
        assert!(conn.execute("DELETE FROM events", []).is_err());
    }

    #[test]
    fn uptime_counts_running_stretches_and_clips_to_the_range() {
        let (_dir, ledger) = temp_ledger();
        for e in [
            state(1_000, "starting"),
            state(2_000, "running"),
            state(2_500, "running"), // still the same stretch, not a restart
            state(5_000, "paused"),
            state(8_000, "running"),
        ] {
            ledger.record_event(&e).unwrap();
        }
        ledger.record_event(&event(9_000, EventKind::Crash)).unwrap();
        ledger.record_event(&state(10_000, "running")).unwrap();

        // 2000..5000, 8000..9000 (crash), 10000..now(12000)
        assert_eq!(ledger.uptime_ms("n1", 0, 20_000, 12_000).unwrap(), 3_000 + 1_000 + 2_000);
        // Already running at from: counts from from.
        assert_eq!(ledger.uptime_ms("n1", 3_000, 20_000, 12_000).unwrap(), 2_000 + 1_000 + 2_000);
        // Clipped at to.
        assert_eq!(ledger.uptime_ms("n1", 0, 4_000, 12_000).unwrap(), 2_000);
        assert_eq!(ledger.uptime_ms("n1", 0, 20_000, 500).unwrap(), 0);
        assert_eq!(ledger.uptime_ms("other", 0, 20_000, 12_000).unwrap(), 0);
    }
}
