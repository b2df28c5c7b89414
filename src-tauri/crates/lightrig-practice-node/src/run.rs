//! The node's life: bind the API, start the work, serve, and stop on request.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;

use crate::api::{self, AppState};
use crate::cli::Config;
use crate::faults::{FAULTS_ENV, Faults};
use crate::out::{complain, say};
use crate::shutdown::StopSignals;
use crate::token::{TOKEN_ENV, Token};
use crate::work::{self, Miner, Rates, Settings};

/// Runs until a stop signal (exit 0) or a start failure (1, or 3 when the port is unavailable).
pub async fn run(config: Config, faults: Faults, token: Token) -> ExitCode {
    let started = Instant::now();
    let mut signals = match StopSignals::install() {
        Ok(signals) => signals,
        Err(e) => {
            complain!("error: could not install signal handlers: {e}");
            return ExitCode::from(1);
        }
    };
    let addr = SocketAddr::new(config.bind, config.api_port);
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            complain!("error: API port {addr} is already in use; choose another --api-port");
            return ExitCode::from(3);
        }
        Err(e) => {
            complain!("error: cannot listen on {addr}: {e}");
            return ExitCode::from(3);
        }
    };
    if faults.spawn_grandchild
        && let Err(e) = spawn_grandchild()
    {
        complain!("error: could not start the grandchild (fault spawn-grandchild): {e}");
        return ExitCode::from(1);
    }

    let run_id = work::new_run_id();
    let settings = Settings {
        run_id: run_id.clone(),
        threads: config.threads,
        intensity: config.intensity,
        difficulty: config.difficulty,
        reward_per_share: config.reward_per_share,
    };
    let miner = match Miner::start(settings) {
        Ok(miner) => Arc::new(miner),
        Err(e) => {
            complain!("error: could not start worker threads: {e}");
            return ExitCode::from(1);
        }
    };
    say!(
        "run {run_id}: {} thread(s), intensity {}%, difficulty {}, rewards simulated \
         ({} atomic SIM per share)",
        config.threads,
        config.intensity,
        config.difficulty,
        config.reward_per_share
    );

    let state = Arc::new(AppState {
        miner: Arc::clone(&miner),
        token,
        started,
        max_threads: config.max_threads,
        hang_at: faults.hang_api_after.map(|after| started + after),
        malformed_json: faults.malformed_json,
    });
    let app = api::router(state);
    say!("listening on {}", listener.local_addr().unwrap_or(addr));

    tokio::spawn(sample_rates(Arc::clone(&miner)));
    if let Some(after) = faults.crash_after {
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            complain!("simulated crash");
            std::process::exit(101);
        });
    }

    tokio::select! {
        result = axum::serve(listener, app).into_future() => {
            if let Err(e) = result {
                complain!("error: the API server stopped: {e}");
            }
            miner_shutdown(miner).await;
            return ExitCode::from(1);
        }
        () = signals.requested(faults.ignore_sigterm) => {}
    }
    say!("stopping");
    miner_shutdown(miner).await;
    ExitCode::SUCCESS
}

/// Stops the workers, waiting at most a second so a stop request is honoured promptly.
async fn miner_shutdown(miner: Arc<Miner>) {
    let joined = tokio::task::spawn_blocking(move || miner.shutdown());
    let _ = tokio::time::timeout(Duration::from_secs(1), joined).await;
}

/// Records a rate tick every second and prints the speed line every ten.
async fn sample_rates(miner: Arc<Miner>) {
    let period = Duration::from_secs(1);
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last = Instant::now();
    for tick in 1u64.. {
        ticker.tick().await;
        let now = Instant::now();
        let rates = miner.sample(now - last);
        last = now;
        if tick % 10 == 0 {
            say!("speed 10s/60s/15m {} H/s", speed_triplet(rates));
        }
    }
}

fn speed_triplet(rates: Rates) -> String {
    let show = |rate: Option<f64>| rate.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.1}"));
    format!("{}/{}/{}", show(rates.s10), show(rates.s60), show(rates.m15))
}

/// The spawn-grandchild fault: an idle copy of this executable in the same process group (no
/// new session), holding the inherited stdout/stderr, as a careless node's helper would.
fn spawn_grandchild() -> std::io::Result<()> {
    let mut child = Command::new(std::env::current_exe()?)
        .arg("--idle-child")
        .stdin(Stdio::null())
        .env_remove(TOKEN_ENV)
        .env_remove(FAULTS_ENV)
        .spawn()?;
    say!("grandchild pid {}", child.id());
    // Reap it if it ever exits before this process does.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// The grandchild's whole life: sleep until killed.
pub fn idle_forever() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_line_shows_missing_windows_as_na() {
        let rates = Rates { s10: Some(1234.5), s60: Some(1200.0), m15: None };
        assert_eq!(speed_triplet(rates), "1234.5/1200.0/n/a");
    }
}
