//! Talking to monerod: its plain JSON endpoints and JSON-RPC. Every answer is size-capped and
//! time-bounded, and must be a JSON object.

use std::future::Future;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use super::answers::{check_status, text};
use crate::adapter::{AdapterError, read_capped};

/// Per request, like every adapter.
pub(super) const TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub(super) struct Rpc {
    base: String,
    client: reqwest::Client,
}

impl Rpc {
    /// `url` is monerod's RPC address, e.g. `http://127.0.0.1:18081` (checked to be loopback).
    pub(super) fn new(url: &str) -> Rpc {
        let client =
            reqwest::Client::builder().timeout(TIMEOUT).no_proxy().build().unwrap_or_default();
        Rpc { base: url.trim_end_matches('/').to_owned(), client }
    }

    /// POSTs a JSON body to one of monerod's plain endpoints and reads the JSON answer.
    pub(super) async fn call(
        &self,
        path: &str,
        body: Value,
        cap: usize,
    ) -> Result<Value, AdapterError> {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .map_err(|e| AdapterError::Unreachable(e.to_string()))?;
        if !res.status().is_success() {
            return Err(AdapterError::Refused(format!("{path}: {}", res.status())));
        }
        let bytes = read_capped(res, cap).await?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| AdapterError::Malformed(format!("{path}: {e}")))?;
        if value.is_object() {
            Ok(value)
        } else {
            Err(AdapterError::Malformed(format!("{path}: not a JSON object")))
        }
    }

    /// Calls a JSON-RPC method; returns its `result`.
    pub(super) async fn method(
        &self,
        method: &str,
        params: Value,
        cap: usize,
    ) -> Result<Value, AdapterError> {
        let body = json!({"jsonrpc": "2.0", "id": "0", "method": method, "params": params});
        let mut answer = self.call("/json_rpc", body, cap).await?;
        if let Some(error) = answer.get("error") {
            let message = text(error, "message").unwrap_or("no message");
            return Err(AdapterError::Refused(format!("{method}: {message}")));
        }
        let result = answer
            .get_mut("result")
            .map(Value::take)
            .filter(Value::is_object)
            .ok_or_else(|| AdapterError::Malformed(format!("{method}: no result")))?;
        check_status(&result)?;
        Ok(result)
    }
}

/// Runs `f`, but no later than `deadline`.
pub(super) async fn by<T>(
    deadline: Instant,
    f: impl Future<Output = Result<T, AdapterError>>,
) -> Result<T, AdapterError> {
    tokio::time::timeout_at(deadline, f).await.unwrap_or_else(|_| {
        Err(AdapterError::Unreachable(format!(
            "monerod did not answer within {} s",
            super::POLL_BUDGET.as_secs()
        )))
    })
}
