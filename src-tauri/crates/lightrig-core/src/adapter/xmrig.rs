//! XMRig's HTTP API (`/2/summary`, `/2/backends`) and JSON-RPC pause/resume.

use super::{AdapterConfig, AdapterError, Poll};

#[derive(Debug)]
pub struct XmrigAdapter {
    node_id: String,
}

impl XmrigAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        Ok(XmrigAdapter { node_id: cfg.node_id.clone() })
    }

    pub fn can_pause(&self) -> bool {
        false
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        Err(AdapterError::Unreachable(format!("{}: not implemented yet", self.node_id)))
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        Err(AdapterError::Unsupported)
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        Err(AdapterError::Unsupported)
    }
}
