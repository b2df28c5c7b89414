//! XMRig's HTTP API: `GET /2/summary` and `GET /2/backends` for the figures, JSON-RPC
//! `POST /json_rpc` for pause and resume, and [`xmrig_args`] for XMRig's command line.
//!
//! The `[status]` section of a profile gives `url` (XMRig's API, e.g. `http://127.0.0.1:PORT`)
//! and, when XMRig was started with one, `token` (sent as `Authorization: Bearer`).
//! Options (`[status.options]`):
//! - `hints` = `"true"` (default) or `"false"`: whether to tell the user about huge pages and
//!   the MSR tweak when XMRig reports them missing.
//!
//! XMRig does not know what a pool pays, so this adapter reports no rewards: the pool's side
//! (the P2Pool adapter, or the pool's own records) does.

use std::time::Duration;

use serde_json::Value;

use super::{AdapterConfig, AdapterError, NodeMetrics, Poll, read_capped};
use crate::model::WorkRate;
use crate::secret::Sensitive;

mod args;
pub use args::{
    XMRIG_MAX_DONATE_LEVEL, XMRIG_MAX_THREADS, XMRIG_MIN_DONATE_LEVEL, XmrigApiAuth, XmrigSettings,
    effective_donate_level, xmrig_args, xmrig_http_config,
};

const BODY_CAP: usize = 1024 * 1024;
const RPC_CAP: usize = 64 * 1024;
const TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct XmrigAdapter {
    node_id: String,
    base: String,
    token: Option<Sensitive<String>>,
    client: reqwest::Client,
    hints: bool,
    /// Whether XMRig said its API is restricted (read-only), from the last summary.
    restricted: Option<bool>,
}

impl XmrigAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        let mut hints = true;
        for (key, value) in &cfg.options {
            match key.as_str() {
                "hints" => hints = flag(key, value)?,
                other => {
                    return Err(AdapterError::Config(format!(
                        "unknown XMRig status option {other:?}: the XMRig adapter knows only \
                         \"hints\"; remove it from [status.options]"
                    )));
                }
            }
        }
        let base = api_base(cfg.url.as_deref())?;
        if let Some(t) = &cfg.token
            && (t.expose().is_empty() || !t.expose().bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(AdapterError::Config(
                "[status] token is empty or has spaces or characters an HTTP header cannot \
                 carry: use the token XMRig was started with"
                    .into(),
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .no_proxy()
            .build()
            .map_err(|e| AdapterError::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(XmrigAdapter {
            node_id: cfg.node_id.clone(),
            base,
            token: cfg.token.clone(),
            client,
            hints,
            restricted: None,
        })
    }

    /// XMRig pauses over its API only when the API has a token and is not restricted; after
    /// the first summary Lightrig knows which.
    pub fn can_pause(&self) -> bool {
        self.token.is_some() && self.restricted != Some(true)
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        let (summary, backends) =
            tokio::join!(self.get_json("/2/summary"), self.get_json("/2/backends"));
        let summary = Summary::read(&summary?)?;
        // The per-backend detail only adds threads and the MSR hint: without it, still report.
        let cpu = match backends {
            Ok(v) => CpuBackend::read(&v),
            Err(e) => {
                tracing::debug!(node = %self.node_id, error = %e, "XMRig /2/backends unavailable");
                None
            }
        };
        self.restricted = summary.restricted;
        let hints = if self.hints { hints(&summary, cpu.as_ref(), Os::current()) } else { vec![] };
        let [work_rate, work_rate_60s, work_rate_15m] = summary.rates.clone();
        let metrics = NodeMetrics {
            at_ms: crate::model::now_millis(),
            work_rate,
            work_rate_60s,
            work_rate_15m,
            total_work: summary.hashes_total,
            shares_accepted: summary.shares_good,
            threads: cpu.as_ref().and_then(|c| c.threads),
            paused: summary.paused,
            uptime_secs: summary.uptime,
            hints,
            ..NodeMetrics::default()
        };
        Ok(Poll { metrics, rewards: Vec::new() })
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        self.rpc("pause").await
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        self.rpc("resume").await
    }

    fn auth(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t.expose()),
            None => req,
        }
    }

    async fn get_json(&self, path: &str) -> Result<Value, AdapterError> {
        let res = self
            .auth(self.client.get(format!("{}{path}", self.base)))
            .send()
            .await
            .map_err(|e| AdapterError::Unreachable(e.to_string()))?;
        check_status(&res, path)?;
        let body = read_capped(res, BODY_CAP).await?;
        serde_json::from_slice(&body)
            .map_err(|e| AdapterError::Malformed(format!("XMRig {path} is not JSON: {e}")))
    }

    /// One JSON-RPC call. XMRig answers HTTP 200 with an `error` member when it refuses.
    async fn rpc(&self, method: &str) -> Result<(), AdapterError> {
        if self.token.is_none() {
            return Err(AdapterError::Unsupported);
        }
        let body = serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": method });
        let res = self
            .auth(self.client.post(format!("{}/json_rpc", self.base)))
            .json(&body)
            .send()
            .await
            .map_err(|e| AdapterError::Unreachable(e.to_string()))?;
        check_status(&res, "/json_rpc")?;
        let body = read_capped(res, RPC_CAP).await?;
        let answer: Value = serde_json::from_slice(&body)
            .map_err(|e| AdapterError::Malformed(format!("XMRig's {method} answer: {e}")))?;
        if let Some(err) = answer.get("error") {
            let code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
            let message = err.get("message").and_then(Value::as_str).unwrap_or("no message");
            return Err(AdapterError::Refused(format!(
                "XMRig refused {method}: {message} ({code})"
            )));
        }
        if answer.get("result").is_none() {
            return Err(AdapterError::Malformed(format!("XMRig's {method} answer has no result")));
        }
        Ok(())
    }
}

fn flag(key: &str, value: &str) -> Result<bool, AdapterError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(AdapterError::Config(format!(
            "status option {key:?} is {value:?}: write \"true\" or \"false\""
        ))),
    }
}

fn api_base(url: Option<&str>) -> Result<String, AdapterError> {
    let missing = || {
        AdapterError::Config(
            "the XMRig adapter needs [status] url, XMRig's HTTP API such as \
             http://127.0.0.1:18088: add it to the profile"
                .into(),
        )
    };
    let url = url.ok_or_else(missing)?;
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(url.trim_end_matches('/').to_owned())
        }
        _ => Err(AdapterError::Config(format!(
            "[status] url {url:?} is not an http:// address: write it as http://127.0.0.1:PORT"
        ))),
    }
}

fn check_status(res: &reqwest::Response, path: &str) -> Result<(), AdapterError> {
    let status = res.status();
    match status.as_u16() {
        200..=299 => Ok(()),
        401 => Err(AdapterError::Refused(format!(
            "XMRig did not accept the access token for {path} ({status}): the profile's [status] \
             token must be the token XMRig was started with"
        ))),
        403 => Err(AdapterError::Refused(format!(
            "XMRig's API is read-only and refused {path} ({status}): it takes pause and resume \
             only when started with an access token and without restricted mode"
        ))),
        _ => Err(AdapterError::Refused(format!("XMRig answered {path} with {status}"))),
    }
}

/// A rate XMRig reported: `null` until its window has filled; NaN, infinite or negative
/// values are not believable and read as "not available" too.
fn rate(v: Option<&Value>) -> Option<WorkRate> {
    v.and_then(Value::as_f64)
        .filter(|x| x.is_finite() && *x >= 0.0)
        .map(|value| WorkRate { value, unit: "H/s".into() })
}

/// `[allocated, total]` huge pages (XMRig's API v2; v1 gave a bool, which says too little).
fn pages(v: Option<&Value>) -> Option<(u64, u64)> {
    match v?.as_array()?.as_slice() {
        [a, t] => Some((a.as_u64()?, t.as_u64()?)),
        _ => None,
    }
}

/// What Lightrig reads from `/2/summary`.
#[derive(Debug, Clone, Default)]
struct Summary {
    /// 10 s, 60 s and 15 min.
    rates: [Option<WorkRate>; 3],
    shares_good: Option<u64>,
    /// XMRig's count of the work its pool accepted: the difficulties of the accepted shares
    /// added up.
    hashes_total: Option<u64>,
    uptime: Option<u64>,
    paused: Option<bool>,
    restricted: Option<bool>,
    hugepages: Option<(u64, u64)>,
    /// The MSR preset for this CPU ("ryzen_19h", "intel", "none"...), not whether it worked.
    msr_preset: Option<String>,
    algo: Option<String>,
}

impl Summary {
    fn read(v: &Value) -> Result<Summary, AdapterError> {
        let Some(total) = v.pointer("/hashrate/total").and_then(Value::as_array) else {
            return Err(AdapterError::Malformed(
                "XMRig /2/summary has no hashrate.total: is the [status] url XMRig's API?".into(),
            ));
        };
        Ok(Summary {
            rates: [rate(total.first()), rate(total.get(1)), rate(total.get(2))],
            shares_good: v.pointer("/results/shares_good").and_then(Value::as_u64),
            hashes_total: v.pointer("/results/hashes_total").and_then(Value::as_u64),
            uptime: v.get("uptime").and_then(Value::as_u64),
            paused: v.get("paused").and_then(Value::as_bool),
            restricted: v.get("restricted").and_then(Value::as_bool),
            hugepages: pages(v.get("hugepages")),
            msr_preset: v.pointer("/cpu/msr").and_then(Value::as_str).map(str::to_owned),
            algo: v.get("algo").and_then(Value::as_str).map(str::to_owned),
        })
    }
}

/// The CPU entry of `/2/backends`.
#[derive(Debug, Clone, Default)]
struct CpuBackend {
    threads: Option<u32>,
    /// Whether the MSR tweak was applied.
    msr: Option<bool>,
    hugepages: Option<(u64, u64)>,
}

impl CpuBackend {
    fn read(v: &Value) -> Option<CpuBackend> {
        let cpu =
            v.as_array()?.iter().find(|b| b.get("type").and_then(Value::as_str) == Some("cpu"))?;
        let enabled = cpu.get("enabled").and_then(Value::as_bool) == Some(true);
        let threads = cpu
            .get("threads")
            .and_then(Value::as_array)
            .map(|t| if enabled { t.len() } else { 0 })
            .and_then(|n| u32::try_from(n).ok());
        Some(CpuBackend {
            threads,
            msr: cpu.get("msr").and_then(Value::as_bool),
            hugepages: pages(cpu.get("hugepages")),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Os {
    Linux,
    Windows,
    Mac,
    Other,
}

impl Os {
    fn current() -> Os {
        if cfg!(target_os = "linux") {
            Os::Linux
        } else if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Mac
        } else {
            Os::Other
        }
    }
}

/// What the user can do about a slow miner. macOS offers neither huge pages nor the MSR tweak
/// to XMRig, so nothing is said there.
fn hints(s: &Summary, cpu: Option<&CpuBackend>, os: Os) -> Vec<String> {
    let mut out = Vec::new();
    if os == Os::Mac {
        return out;
    }
    let pages = s.hugepages.or_else(|| cpu.and_then(|c| c.hugepages));
    if let Some((allocated, total)) = pages.filter(|(a, t)| *t > 0 && a < t) {
        let lead = format!(
            "Huge pages are not allocated ({allocated} of {total}): mining runs up to about 30% \
             slower."
        );
        let n = total.max(1280);
        out.push(match os {
            Os::Linux => format!(
                "{lead} On Linux, run `sudo sysctl -w vm.nr_hugepages={n}` and restart the node; \
                 add `vm.nr_hugepages={n}` to /etc/sysctl.conf to keep it after a reboot."
            ),
            Os::Windows => format!(
                "{lead} On Windows, XMRig needs the \"Lock pages in memory\" right: start the \
                 node once with administrator rights so XMRig can grant it, then restart Windows."
            ),
            Os::Mac | Os::Other => format!(
                "{lead} Reserve at least {total} huge pages of 2 MB (see your system's \
                 documentation) and restart the node."
            ),
        });
    }
    let randomx = s.algo.as_deref().is_some_and(|a| a.starts_with("rx/"));
    let has_preset = s.msr_preset.as_deref().is_some_and(|p| p != "none");
    // Before the first hashes XMRig has not tried yet; only a running miner's "no" counts.
    let mining = s.rates[0].is_some();
    if randomx && has_preset && mining && cpu.and_then(|c| c.msr) == Some(false) {
        let lead = "The MSR tweak was not applied: RandomX mining runs up to about 15% slower.";
        out.push(match os {
            Os::Windows => format!(
                "{lead} XMRig applies it only when it runs with administrator rights. If you are \
                 comfortable with that, start the node as administrator; otherwise nothing is \
                 wrong, it is only slower."
            ),
            _ => format!(
                "{lead} XMRig applies it only with root rights (and the msr kernel module). If \
                 you are comfortable giving the miner root rights, run the node as root; \
                 otherwise nothing is wrong, it is only slower."
            ),
        });
    }
    out
}

#[cfg(test)]
#[path = "xmrig_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "xmrig_token_tests.rs"]
mod token_tests;
