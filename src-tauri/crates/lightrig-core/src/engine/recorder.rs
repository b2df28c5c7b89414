//! The supervisor reports state changes and rewards; the ledger remembers them.

use crate::ledger::{EventKind, Ledger, NodeEvent};
use crate::model::{Reward, UnixMillis};
use crate::supervisor::{NodeState, Recorder};

#[derive(Debug)]
pub struct LedgerRecorder {
    ledger: Ledger,
}

impl LedgerRecorder {
    pub fn new(ledger: Ledger) -> Self {
        LedgerRecorder { ledger }
    }
}

impl Recorder for LedgerRecorder {
    fn state_changed(&self, node_id: &str, at_ms: UnixMillis, state: &NodeState) {
        let kind = match state {
            NodeState::Starting { .. } => EventKind::Start,
            NodeState::Stopped { .. } => EventKind::Stop,
            NodeState::Backoff { .. } | NodeState::Failed { .. } => EventKind::Crash,
            _ => EventKind::State,
        };
        let mut events = vec![NodeEvent {
            at_ms,
            node_id: node_id.to_owned(),
            kind: EventKind::State,
            state: Some(state.name().to_owned()),
            detail: state.reason().map(str::to_owned),
        }];
        if kind != EventKind::State {
            events.push(NodeEvent { kind, ..events[0].clone() });
        }
        for e in events {
            if let Err(err) = self.ledger.record_event(&e) {
                tracing::error!(error = %err, "a node event could not be recorded");
            }
        }
    }

    fn rewards(&self, rewards: &[Reward]) -> Result<(), String> {
        self.ledger.record_rewards(rewards).map(|_| ()).map_err(|e| e.to_string())
    }
}
