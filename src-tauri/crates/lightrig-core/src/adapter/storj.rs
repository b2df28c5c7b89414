//! The Storj storage node's dashboard API on 127.0.0.1:14002.

use super::{AdapterConfig, AdapterError, Poll};

#[derive(Debug)]
pub struct StorjAdapter {
    node_id: String,
}

impl StorjAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        Ok(StorjAdapter { node_id: cfg.node_id.clone() })
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
