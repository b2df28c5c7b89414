//! Command line: clap reads raw strings, then [`RawArgs::validate`] turns them into a [`Config`]
//! that cannot hold a bad value. Numbers are validated here rather than by clap so every error
//! is one line that names the flag and its accepted range.

use std::net::IpAddr;
use std::str::FromStr;

use clap::Parser;

/// Lightrig's practice node: real CPU work, synthetic shares, simulated rewards, offline.
///
/// The API token is read from the LIGHTRIG_PRACTICE_TOKEN environment variable. Fault switches
/// for tests may also be given in LIGHTRIG_PRACTICE_FAULTS (e.g. "crash-after=3,ignore-sigterm").
#[derive(Debug, Parser)]
#[command(name = "lightrig-practice-node", version)]
pub struct RawArgs {
    /// Port of the local HTTP status/control API (1..=65535).
    #[arg(long, value_name = "PORT", allow_negative_numbers = true)]
    pub api_port: Option<String>,
    /// Address the API binds to.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: String,
    /// Worker threads (1..=available cores x 4).
    #[arg(long, value_name = "N", default_value = "1", allow_negative_numbers = true)]
    pub threads: String,
    /// Share of each 100 ms slice spent hashing, in percent (1..=100).
    #[arg(long, value_name = "PERCENT", default_value = "50", allow_negative_numbers = true)]
    pub intensity: String,
    /// Synthetic difficulty: on average one hash in D is a share (>= 1).
    #[arg(long, value_name = "D", default_value = "5000000", allow_negative_numbers = true)]
    pub difficulty: String,
    /// Simulated reward per share, in atomic units of SIM (8 decimals).
    #[arg(long, value_name = "ATOMIC", default_value = "1000", allow_negative_numbers = true)]
    pub reward_per_share: String,

    /// Fault: print a line to stderr and exit with CODE (1..=255) at once.
    #[arg(long, value_name = "CODE", allow_negative_numbers = true)]
    pub fault_exit_at_start: Option<String>,
    /// Fault: after SECS seconds print "practice: simulated crash" and exit with code 101.
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    pub fault_crash_after: Option<String>,
    /// Fault: log and ignore SIGTERM/SIGINT (CTRL_BREAK/CTRL_C on Windows).
    #[arg(long)]
    pub fault_ignore_sigterm: bool,
    /// Fault: start an idle child process in the same process group.
    #[arg(long)]
    pub fault_spawn_grandchild: bool,
    /// Fault: after AFTER_SECS (default 0) accept API requests but never answer them.
    #[arg(long, value_name = "AFTER_SECS", num_args = 0..=1, require_equals = true,
          default_missing_value = "0")]
    pub fault_hang_api: Option<String>,
    /// Fault: /status answers 200 with a body that is not valid JSON.
    #[arg(long)]
    pub fault_malformed_json: bool,

    /// Internal: the idle grandchild started by --fault-spawn-grandchild.
    #[arg(long, hide = true)]
    pub idle_child: bool,
}

/// Validated run settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: IpAddr,
    pub api_port: u16,
    pub threads: usize,
    /// Upper bound for `threads`, also used by `POST /threads`.
    pub max_threads: usize,
    pub intensity: u8,
    pub difficulty: u64,
    pub reward_per_share: u64,
}

impl RawArgs {
    /// Checks every value and its range; the error is one line naming the flag.
    pub fn validate(&self) -> Result<Config, String> {
        let max_threads = max_threads();
        let api_port = match &self.api_port {
            Some(raw) => in_range::<u16>("--api-port", raw, 1, u16::MAX)?,
            None => return Err("--api-port is required (an integer between 1 and 65535)".into()),
        };
        let bind = IpAddr::from_str(&self.bind).map_err(|_| {
            format!("--bind must be an IP address such as 127.0.0.1 (got '{}')", self.bind)
        })?;
        Ok(Config {
            bind,
            api_port,
            threads: in_range("--threads", &self.threads, 1, max_threads)?,
            max_threads,
            intensity: in_range("--intensity", &self.intensity, 1, 100)?,
            difficulty: in_range("--difficulty", &self.difficulty, 1, u64::MAX)?,
            reward_per_share: in_range("--reward-per-share", &self.reward_per_share, 0, u64::MAX)?,
        })
    }
}

/// Four threads per core at most: enough to load a machine fully, not enough to thrash it.
pub fn max_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).saturating_mul(4)
}

/// Parses an integer and checks `min..=max`, with an error that states the range.
pub fn in_range<T>(flag: &str, raw: &str, min: T, max: T) -> Result<T, String>
where
    T: FromStr + PartialOrd + Copy + std::fmt::Display,
{
    let range = format!("{flag} must be an integer between {min} and {max}");
    let value: T = raw.trim().parse().map_err(|_| format!("{range} (got '{raw}')"))?;
    if value < min || value > max {
        return Err(format!("{range} (got {value})"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        let mut full = vec!["lightrig-practice-node"];
        full.extend_from_slice(args);
        RawArgs::try_parse_from(full).map_err(|e| e.to_string())?.validate()
    }

    #[test]
    fn defaults_apply() {
        let config = parse(&["--api-port", "4000"]).unwrap();
        assert_eq!(config.api_port, 4000);
        assert_eq!(config.threads, 1);
        assert_eq!(config.intensity, 50);
        assert_eq!(config.difficulty, 5_000_000);
        assert_eq!(config.reward_per_share, 1_000);
        assert_eq!(config.bind.to_string(), "127.0.0.1");
    }

    #[test]
    fn ranges_are_enforced_with_clear_messages() {
        let err = parse(&["--api-port", "0"]).unwrap_err();
        assert_eq!(err, "--api-port must be an integer between 1 and 65535 (got 0)");
        let err = parse(&["--api-port", "1", "--intensity", "101"]).unwrap_err();
        assert!(err.contains("between 1 and 100"), "{err}");
        assert!(parse(&["--api-port", "1", "--difficulty", "0"]).is_err());
        assert!(parse(&["--api-port", "1", "--threads", "0"]).is_err());
        assert!(parse(&["--api-port", "1", "--threads", "x"]).is_err());
        assert!(parse(&["--api-port", "1", "--bind", "localhost"]).is_err());
        assert!(parse(&[]).unwrap_err().contains("--api-port is required"));
    }
}
