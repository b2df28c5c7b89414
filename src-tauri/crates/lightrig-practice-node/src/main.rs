//! Lightrig's practice node: a separate process that does real CPU work (SHA-256), finds shares
//! against a synthetic difficulty, accrues rewards labelled simulated everywhere, and serves a
//! local HTTP status/control API. It lets Lightrig work offline on a fresh machine.
//!
//! Exit codes: 0 stopped on request, 2 bad arguments or token, 3 API port unavailable,
//! 1 other start failure, 101 simulated crash, any code given to the exit-at-start fault.

mod api;
mod cli;
mod faults;
mod out;
mod run;
mod shutdown;
mod token;
mod work;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::out::complain;

fn main() -> ExitCode {
    let args = match cli::RawArgs::try_parse() {
        Ok(args) => args,
        Err(e) if !e.use_stderr() => e.exit(), // --help and --version
        Err(e) => return fail(first_line(&e.to_string())),
    };
    if args.idle_child {
        run::idle_forever();
    }
    let config = match args.validate() {
        Ok(config) => config,
        Err(message) => return fail(&message),
    };
    let env_faults = std::env::var(faults::FAULTS_ENV).ok();
    let faults = match faults::Faults::from_args_and_env(&args, env_faults.as_deref()) {
        Ok(faults) => faults,
        Err(message) => return fail(&message),
    };
    let token = match token::Token::from_env() {
        Ok(token) => token,
        Err(message) => return fail(&message),
    };
    if let Some(code) = faults.exit_at_start {
        complain!("simulated failure at start (fault exit-at-start), exiting with code {code}");
        return ExitCode::from(code);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            complain!("error: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(run::run(config, faults, token));
    runtime.shutdown_timeout(Duration::from_millis(200));
    code
}

/// Bad input: one line on stderr, exit code 2.
fn fail(message: &str) -> ExitCode {
    complain!("error: {message}");
    ExitCode::from(2)
}

/// Clap's errors carry usage and tips on further lines; the supervisor logs one line.
fn first_line(message: &str) -> &str {
    let line = message.lines().find(|line| !line.trim().is_empty()).unwrap_or(message);
    line.trim().trim_start_matches("error: ")
}
