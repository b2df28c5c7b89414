//! The parts of a profile about the running node: how Lightrig checks its health, where it
//! reads its status, and how it asks it to stop. Every URL here must point at this computer.

use std::time::Duration;

use super::raw::{RawHealth, RawStatus, RawStop};
use super::template::Template;
use super::validate::{Ctx, TemplateFn};
use super::{
    AdapterKind, HealthCheck, HealthProbe, PoliteStop, ProfileError, StatusSource, StopMethod,
};

fn secs(
    v: Option<u64>,
    default: u64,
    path: &str,
    range: (u64, u64),
    cx: &Ctx<'_>,
) -> Result<Duration, ProfileError> {
    let s = v.unwrap_or(default);
    if s < range.0 || s > range.1 {
        return Err(
            cx.err(path, format!("{s} s is out of range: use {} to {} seconds", range.0, range.1))
        );
    }
    Ok(Duration::from_secs(s))
}

fn loopback_url(
    path: String,
    text: &str,
    cx: &Ctx<'_>,
    template: &TemplateFn<'_>,
) -> Result<Template, ProfileError> {
    let t = template(path.clone(), text)?;
    let prefix = t.literal_prefix();
    let ok = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
        .iter()
        .any(|p| prefix.starts_with(p));
    if !ok {
        return Err(cx.err(&path, "node APIs are reached on this computer only: the URL must start with http://127.0.0.1:, http://localhost: or http://[::1]:"));
    }
    Ok(t)
}

pub(super) fn health(
    h: &RawHealth,
    cx: &Ctx<'_>,
    template: &TemplateFn<'_>,
) -> Result<HealthCheck, ProfileError> {
    let probe = match h.check.as_str() {
        "http" => match &h.url {
            Some(u) => {
                HealthProbe::Http { url: loopback_url("health.url".into(), u, cx, template)? }
            }
            None => return Err(cx.err("health", "an http check needs `url`")),
        },
        "tcp" => match &h.port {
            Some(p) => HealthProbe::Tcp { port: template("health.port".into(), p)? },
            None => return Err(cx.err("health", "a tcp check needs `port`")),
        },
        "log" => match &h.pattern {
            Some(p) => HealthProbe::Log {
                pattern: regex::Regex::new(p)
                    .map_err(|e| cx.err("health.pattern", format!("not a valid pattern: {e}")))?,
            },
            None => return Err(cx.err("health", "a log check needs `pattern`")),
        },
        "alive" => HealthProbe::Alive,
        other => {
            return Err(cx.err(
                "health.check",
                format!("`{other}` is not a health check: use http, tcp, log or alive"),
            ));
        }
    };
    let startup_grace = secs(h.startup_grace_secs, 30, "health.startup_grace_secs", (1, 3600), cx)?;
    let interval = secs(h.interval_secs, 5, "health.interval_secs", (1, 600), cx)?;
    let timeout = secs(h.timeout_secs, 2, "health.timeout_secs", (1, 60), cx)?;
    if timeout >= interval {
        return Err(cx.err(
            "health.timeout_secs",
            "the timeout must be shorter than the interval, or checks pile up",
        ));
    }
    let failures = h.failures.unwrap_or(3);
    if !(1..=100).contains(&failures) {
        return Err(cx.err("health.failures", "use 1 to 100 consecutive failures"));
    }
    Ok(HealthCheck { probe, startup_grace, interval, timeout, failures })
}

pub(super) fn status(
    s: &RawStatus,
    cx: &Ctx<'_>,
    template: &TemplateFn<'_>,
) -> Result<StatusSource, ProfileError> {
    let Some(adapter) = AdapterKind::parse(&s.adapter) else {
        let known: Vec<&str> = AdapterKind::ALL.iter().map(|(n, _)| *n).collect();
        return Err(cx.err(
            "status.adapter",
            format!(
                "`{}` is not an adapter this Lightrig has: use one of {}",
                s.adapter,
                known.join(", ")
            ),
        ));
    };
    let url = match &s.url {
        Some(u) => Some(loopback_url("status.url".into(), u, cx, template)?),
        None if adapter == AdapterKind::Practice => {
            return Err(cx.err("status", "the practice adapter needs `url`"));
        }
        None => None,
    };
    let token = match &s.token {
        Some(t) => Some(template("status.token".into(), t)?),
        None => None,
    };
    let interval = secs(s.interval_secs, 2, "status.interval_secs", (1, 600), cx)?;
    let mut options = Vec::with_capacity(s.options.len());
    for (key, value) in &s.options {
        let ok_key = !key.is_empty()
            && key.len() <= 64
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok_key {
            return Err(cx.err(
                &format!("status.options.{key}"),
                "option names use lowercase letters, digits and `_`",
            ));
        }
        options.push((key.clone(), template(format!("status.options.{key}"), value)?));
    }
    Ok(StatusSource { adapter, url, token, interval, options })
}

pub(super) fn stop(
    s: Option<&RawStop>,
    cx: &Ctx<'_>,
    template: &TemplateFn<'_>,
) -> Result<StopMethod, ProfileError> {
    let Some(s) = s else {
        return Ok(StopMethod { polite: PoliteStop::Signal, grace: Duration::from_secs(10) });
    };
    let polite = match s.method.as_deref().unwrap_or("signal") {
        "signal" => PoliteStop::Signal,
        "http-post" => match &s.url {
            Some(u) => {
                PoliteStop::HttpPost { url: loopback_url("stop.url".into(), u, cx, template)? }
            }
            None => return Err(cx.err("stop", "http-post needs `url`")),
        },
        other => {
            return Err(cx.err(
                "stop.method",
                format!("`{other}` is not a stop method: use signal or http-post"),
            ));
        }
    };
    Ok(StopMethod { polite, grace: secs(s.grace_secs, 10, "stop.grace_secs", (1, 300), cx)? })
}
