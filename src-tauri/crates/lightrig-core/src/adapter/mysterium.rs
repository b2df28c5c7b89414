//! The Mysterium node's TequilAPI: earnings and settlements.

use super::{AdapterConfig, AdapterError, Poll};

#[derive(Debug)]
pub struct MysteriumAdapter {
    node_id: String,
}

impl MysteriumAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        Ok(MysteriumAdapter { node_id: cfg.node_id.clone() })
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
