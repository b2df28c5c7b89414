//! XMRig's command line, built from settings that are validated here first: nothing the user
//! typed reaches XMRig's argv unless it passed a check, and every value is emitted in the
//! `--name=value` form so no value can be read as another option.
//!
//! Where the API token goes: not on the command line. Every local account can read a
//! process's arguments (`ps`, `/proc/PID/cmdline`, Task Manager), and XMRig's unrestricted API
//! lets whoever holds the token pause the miner and rewrite its pool and wallet
//! (`PUT /2/config`). XMRig reads no token from the environment, so the token goes into a
//! small JSON file, readable by the user only, that XMRig loads with `--config=FILE`
//! ([`xmrig_http_config`] writes its content). XMRig takes the whole `http` object from the
//! last source that has one, so with a token file no `--http-*` option is emitted: the file
//! carries the host, port and token together. Without a token the API stays restricted
//! (read-only): Lightrig can watch the miner but not pause it.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use crate::adapter::AdapterError;
use crate::address::{MoneroNetwork, MoneroPayoutAddress};
use crate::secret::Sensitive;

/// The lowest donate level the official XMRig release binaries accept. They silently ignore a
/// lower one (and anything above 99) and keep their default of 1 %, so Lightrig passes what
/// XMRig will really do.
pub const XMRIG_MIN_DONATE_LEVEL: u8 = 1;
/// The highest donate level XMRig accepts.
pub const XMRIG_MAX_DONATE_LEVEL: u8 = 99;
/// The most CPU threads Lightrig asks XMRig for.
pub const XMRIG_MAX_THREADS: u32 = 1024;

/// The user's XMRig settings, as entered; [`xmrig_args`] validates every field.
#[derive(Debug, Clone)]
pub struct XmrigSettings {
    /// The pool: `host:port`, `stratum+tcp://host:port` or `stratum+ssl://host:port` (P2Pool
    /// on this machine is `127.0.0.1:3333`).
    pub pool_url: String,
    /// The Monero address that earnings go to.
    pub payout_address: String,
    /// The network the pool mines on. Mainnet unless the profile names a testnet or stagenet
    /// pool on purpose; the payout address must belong to the same network.
    pub network: MoneroNetwork,
    /// CPU threads to mine with; `None` lets XMRig choose from the CPU's cache size.
    pub threads: Option<u32>,
    /// Percent of time XMRig mines for its developers, 0 to 99 (see
    /// [`XMRIG_MIN_DONATE_LEVEL`]).
    pub donate_level: u8,
    /// Port of XMRig's HTTP API on 127.0.0.1.
    pub api_port: u16,
    pub api_auth: XmrigApiAuth,
}

/// How XMRig's HTTP API is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmrigApiAuth {
    /// No token: the API is read-only, so Lightrig shows the figures but cannot pause XMRig.
    ReadOnly,
    /// A token, kept in this file (absolute path, written with [`xmrig_http_config`] and
    /// readable by the user only); the API then also takes pause and resume.
    TokenFile(PathBuf),
}

/// XMRig's arguments for `settings`, or the first field that is wrong and what to do about it.
pub fn xmrig_args(settings: &XmrigSettings) -> Result<Vec<String>, AdapterError> {
    let pool = pool_url(&settings.pool_url)?;
    let address = payout_address(&settings.payout_address, settings.network)?;
    let threads = settings.threads.map(threads).transpose()?;
    let donate = donate_level(settings.donate_level)?;
    let port = api_port(settings.api_port)?;

    let mut args = Vec::new();
    // First, so every option after it overrides the file (XMRig reads sources in order).
    if let XmrigApiAuth::TokenFile(path) = &settings.api_auth {
        args.push(format!("--config={}", token_file(path)?));
    }
    args.push(format!("--url={pool}"));
    args.push(format!("--user={}", address.as_str()));
    args.push("--coin=monero".to_owned());
    args.push(format!("--donate-level={donate}"));
    if let Some(n) = threads {
        args.push(format!("--threads={n}"));
    }
    if settings.api_auth == XmrigApiAuth::ReadOnly {
        args.push("--http-host=127.0.0.1".to_owned());
        args.push(format!("--http-port={port}"));
    }
    // Plain log lines for Lightrig's log view.
    args.push("--no-color".to_owned());
    Ok(args)
}

/// The content of the token file named by [`XmrigApiAuth::TokenFile`]: XMRig's `http` section
/// with the token, on 127.0.0.1 and unrestricted (pause and resume need that). `autosave` and
/// `watch` are off: XMRig would otherwise write its whole configuration into this file, and on
/// any change reload it alone, without the pool given on the command line.
pub fn xmrig_http_config(
    settings: &XmrigSettings,
    token: &Sensitive<String>,
) -> Result<Sensitive<String>, AdapterError> {
    let port = api_port(settings.api_port)?;
    let token = token.expose();
    if !valid_token(token) {
        return Err(AdapterError::Config(
            "api_token: a token is 16 to 256 letters, digits or the characters - _ . ~ + / =: \
             let Lightrig generate one"
                .into(),
        ));
    }
    let doc = serde_json::json!({
        "autosave": false,
        "watch": false,
        "http": {
            "enabled": true,
            "host": "127.0.0.1",
            "port": port,
            "access-token": token,
            "restricted": false,
        },
    });
    Ok(Sensitive::new(doc.to_string()))
}

/// The donate level XMRig really uses for `requested`: release binaries raise 0 to 1.
pub fn effective_donate_level(requested: u8) -> Result<u8, AdapterError> {
    donate_level(requested)
}

fn valid_token(token: &str) -> bool {
    (16..=256).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~+/=".contains(&b))
}

fn pool_url(text: &str) -> Result<String, AdapterError> {
    let wrong = |why: &str| {
        AdapterError::Config(format!(
            "pool_url {text:?} {why}: enter the pool as host:port, e.g. 127.0.0.1:3333 for P2Pool \
             on this computer, or with stratum+tcp:// or stratum+ssl:// in front"
        ))
    };
    if text.is_empty() {
        return Err(wrong("is empty"));
    }
    if text.len() > 300 {
        return Err(wrong("is too long"));
    }
    let lower = text.get(..14).map(str::to_ascii_lowercase);
    let (scheme, rest) = match lower.as_deref() {
        Some(s @ ("stratum+tcp://" | "stratum+ssl://")) => (s, text.get(14..).unwrap_or("")),
        _ if text.contains("://") => {
            return Err(wrong("has a scheme XMRig pools do not use"));
        }
        _ => ("", text),
    };
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let Some((addr, port)) = v6.split_once("]:") else {
            return Err(wrong("has an IPv6 address without ]:port after it"));
        };
        if addr.parse::<Ipv6Addr>().is_err() {
            return Err(wrong("has an IPv6 address that is not valid"));
        }
        (format!("[{addr}]"), port)
    } else {
        let Some((host, port)) = rest.rsplit_once(':') else {
            return Err(wrong("has no :port at the end"));
        };
        if !valid_host(host) {
            return Err(wrong("has a host name with characters or a form a host cannot have"));
        }
        (host.to_owned(), port)
    };
    let port = match port.parse::<u16>() {
        Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => p,
        _ => return Err(wrong("has a port that is not a number from 1 to 65535")),
    };
    Ok(format!("{scheme}{host}:{port}"))
}

/// A DNS name (letters, digits and inner hyphens in dot-separated labels) or an IPv4 address.
fn valid_host(host: &str) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !labels.iter().all(label_ok) {
        return false;
    }
    // All-numeric labels must make a real IPv4 address (999.1.1.1 is neither name nor address).
    let numeric = labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    !numeric || host.parse::<Ipv4Addr>().is_ok()
}

fn payout_address(text: &str, network: MoneroNetwork) -> Result<MoneroPayoutAddress, AdapterError> {
    MoneroPayoutAddress::parse_for(text, network)
        .map_err(|e| AdapterError::Config(format!("payout_address: {e} [{}]", e.code())))
}

fn threads(n: u32) -> Result<u32, AdapterError> {
    if (1..=XMRIG_MAX_THREADS).contains(&n) {
        Ok(n)
    } else {
        Err(AdapterError::Config(format!(
            "threads: {n} is not between 1 and {XMRIG_MAX_THREADS}: enter how many CPU threads \
             should mine, or leave it empty to let XMRig choose"
        )))
    }
}

fn donate_level(level: u8) -> Result<u8, AdapterError> {
    if level > XMRIG_MAX_DONATE_LEVEL {
        return Err(AdapterError::Config(format!(
            "donate_level: {level} is above {XMRIG_MAX_DONATE_LEVEL}, which XMRig ignores (it \
             would quietly use 1): enter a level from {XMRIG_MIN_DONATE_LEVEL} to \
             {XMRIG_MAX_DONATE_LEVEL}"
        )));
    }
    Ok(level.max(XMRIG_MIN_DONATE_LEVEL))
}

fn api_port(port: u16) -> Result<u16, AdapterError> {
    if port == 0 {
        return Err(AdapterError::Config(
            "api_port: 0 turns XMRig's API off, and Lightrig reads the miner's figures from it: \
             choose a free port from 1 to 65535"
                .into(),
        ));
    }
    Ok(port)
}

fn token_file(path: &std::path::Path) -> Result<&str, AdapterError> {
    let text = path.to_str().filter(|t| !t.chars().any(char::is_control));
    match text {
        Some(t) if path.is_absolute() => Ok(t),
        _ => Err(AdapterError::Config(format!(
            "api_token_file: {} must be a full path of plain characters: Lightrig keeps it in \
             its own data folder",
            path.display()
        ))),
    }
}
