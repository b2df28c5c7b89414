//! P2Pool's data-api files: network, pool and local stratum/miner stats.

use super::{AdapterConfig, AdapterError, Poll};

#[derive(Debug)]
pub struct P2poolAdapter {
    node_id: String,
}

impl P2poolAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        Ok(P2poolAdapter { node_id: cfg.node_id.clone() })
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
