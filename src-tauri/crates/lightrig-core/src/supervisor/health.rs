//! Health probes. Each runs with a timeout shorter than the polling interval, so a hung node
//! API shows up as a failed check rather than a stalled supervisor.

use std::time::Duration;

use super::launch::RenderedProbe;

/// Runs one probe. `log_seen` is true once the node has printed a line matching a log probe.
pub async fn probe(
    client: &reqwest::Client,
    probe: &RenderedProbe,
    timeout: Duration,
    log_seen: bool,
    alive_for: Duration,
    grace: Duration,
) -> Result<(), String> {
    match probe {
        RenderedProbe::Http(url) => {
            let res = tokio::time::timeout(timeout, client.get(url).send()).await;
            match res {
                Err(_) => Err(format!("no answer from {url} within {} s", timeout.as_secs())),
                Ok(Err(e)) => Err(format!("{url}: {}", short_error(&e))),
                Ok(Ok(r)) if r.status().is_success() => Ok(()),
                Ok(Ok(r)) => Err(format!("{url} answered {}", r.status())),
            }
        }
        RenderedProbe::Tcp(port) => {
            match tokio::time::timeout(
                timeout,
                tokio::net::TcpStream::connect(("127.0.0.1", *port)),
            )
            .await
            {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(format!("port {port}: {e}")),
                Err(_) => Err(format!("port {port}: no answer within {} s", timeout.as_secs())),
            }
        }
        RenderedProbe::Log(re) => {
            if log_seen {
                Ok(())
            } else {
                Err(format!("waiting for a line matching `{}`", re.as_str()))
            }
        }
        RenderedProbe::Alive => {
            if alive_for >= grace {
                Ok(())
            } else {
                Err("waiting for the process to stay up".into())
            }
        }
    }
}

fn short_error(e: &reqwest::Error) -> String {
    if e.is_connect() {
        "connection refused (not listening yet?)".into()
    } else if e.is_timeout() {
        "timed out".into()
    } else {
        e.to_string()
    }
}
