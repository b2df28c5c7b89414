//! A custom node: metrics from a Prometheus text endpoint or JSON paths in the profile.

use super::{AdapterConfig, AdapterError, Poll};

#[derive(Debug)]
pub struct CustomAdapter {
    node_id: String,
}

impl CustomAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        Ok(CustomAdapter { node_id: cfg.node_id.clone() })
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
