//! Fault switches. They let the supervisor's tests drive a real process into the failures it
//! must survive: a node that dies at start, crashes later, ignores SIGTERM, leaves a child
//! behind, hangs its API or answers garbage. They come from flags or from the environment
//! variable [`FAULTS_ENV`]; a flag wins over the same fault in the environment.

use std::time::Duration;

use crate::cli::{RawArgs, in_range};

/// Name of the environment variable holding comma-separated faults.
pub const FAULTS_ENV: &str = "LIGHTRIG_PRACTICE_FAULTS";

const KNOWN: &str = "exit-at-start=CODE, crash-after=SECS, ignore-sigterm, spawn-grandchild, hang-api[=SECS], \
     malformed-json";

/// The faults switched on for this run. All off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Exit at once with this code (1..=255).
    pub exit_at_start: Option<u8>,
    /// Exit with code 101 after this long.
    pub crash_after: Option<Duration>,
    /// Log and ignore termination signals.
    pub ignore_sigterm: bool,
    /// Start an idle child process in the same process group.
    pub spawn_grandchild: bool,
    /// Stop answering API requests after this long.
    pub hang_api_after: Option<Duration>,
    /// Answer /status with a body that is not JSON.
    pub malformed_json: bool,
}

impl Faults {
    /// Merges the environment list (may be empty) with the flags; flags win.
    pub fn from_args_and_env(args: &RawArgs, env: Option<&str>) -> Result<Self, String> {
        let mut faults = match env {
            Some(list) => Self::parse_list(list)?,
            None => Faults::default(),
        };
        if let Some(raw) = &args.fault_exit_at_start {
            faults.exit_at_start = Some(in_range("--fault-exit-at-start", raw, 1, 255)?);
        }
        if let Some(raw) = &args.fault_crash_after {
            faults.crash_after = Some(secs("--fault-crash-after", raw)?);
        }
        if let Some(raw) = &args.fault_hang_api {
            faults.hang_api_after = Some(secs("--fault-hang-api", raw)?);
        }
        faults.ignore_sigterm |= args.fault_ignore_sigterm;
        faults.spawn_grandchild |= args.fault_spawn_grandchild;
        faults.malformed_json |= args.fault_malformed_json;
        Ok(faults)
    }

    /// Parses "name[=value],..." as found in [`FAULTS_ENV`].
    pub fn parse_list(list: &str) -> Result<Self, String> {
        let mut faults = Faults::default();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = match item.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim())),
                None => (item, None),
            };
            let label = format!("{name} in {FAULTS_ENV}");
            match (name, value) {
                ("exit-at-start", Some(v)) => {
                    faults.exit_at_start = Some(in_range(&label, v, 1, 255)?);
                }
                ("crash-after", Some(v)) => faults.crash_after = Some(secs(&label, v)?),
                ("hang-api", v) => faults.hang_api_after = Some(secs(&label, v.unwrap_or("0"))?),
                ("ignore-sigterm", None) => faults.ignore_sigterm = true,
                ("spawn-grandchild", None) => faults.spawn_grandchild = true,
                ("malformed-json", None) => faults.malformed_json = true,
                ("exit-at-start" | "crash-after", None) => {
                    return Err(format!("fault '{name}' in {FAULTS_ENV} needs a value ({KNOWN})"));
                }
                ("ignore-sigterm" | "spawn-grandchild" | "malformed-json", Some(_)) => {
                    return Err(format!("fault '{name}' in {FAULTS_ENV} takes no value"));
                }
                _ => {
                    return Err(format!("unknown fault '{name}' in {FAULTS_ENV} (known: {KNOWN})"));
                }
            }
        }
        Ok(faults)
    }
}

/// Seconds for a fault delay: a whole number up to one day.
fn secs(label: &str, raw: &str) -> Result<Duration, String> {
    in_range(label, raw, 0u64, 86_400).map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn parses_the_environment_list() {
        let faults = Faults::parse_list("crash-after=3, ignore-sigterm,hang-api").unwrap();
        assert_eq!(faults.crash_after, Some(Duration::from_secs(3)));
        assert!(faults.ignore_sigterm);
        assert_eq!(faults.hang_api_after, Some(Duration::ZERO));
        assert!(!faults.malformed_json);
        let faults = Faults::parse_list("exit-at-start=7,hang-api=5,malformed-json").unwrap();
        assert_eq!(faults.exit_at_start, Some(7));
        assert_eq!(faults.hang_api_after, Some(Duration::from_secs(5)));
        assert!(faults.malformed_json);
        assert_eq!(Faults::parse_list("").unwrap(), Faults::default());
    }

    #[test]
    fn rejects_unknown_and_malformed_faults() {
        assert!(Faults::parse_list("explode").unwrap_err().contains("unknown fault 'explode'"));
        assert!(Faults::parse_list("crash-after").is_err());
        assert!(Faults::parse_list("exit-at-start=0").is_err());
        assert!(Faults::parse_list("ignore-sigterm=1").is_err());
    }

    #[test]
    fn flags_win_over_the_environment() {
        let args = RawArgs::try_parse_from([
            "x",
            "--fault-exit-at-start",
            "9",
            "--fault-hang-api=2",
            "--fault-spawn-grandchild",
        ])
        .unwrap();
        let faults = Faults::from_args_and_env(&args, Some("exit-at-start=3")).unwrap();
        assert_eq!(faults.exit_at_start, Some(9));
        assert_eq!(faults.hang_api_after, Some(Duration::from_secs(2)));
        assert!(faults.spawn_grandchild);
        let bare = RawArgs::try_parse_from(["x", "--fault-hang-api"]).unwrap();
        let faults = Faults::from_args_and_env(&bare, None).unwrap();
        assert_eq!(faults.hang_api_after, Some(Duration::ZERO));
    }
}
