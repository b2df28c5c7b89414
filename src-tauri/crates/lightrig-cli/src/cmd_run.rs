//! `lightrig run`: supervise a node in the foreground until Ctrl-C or SIGTERM, with a live
//! status line (or JSON lines with `--json`).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use lightrig_core::api::{acknowledge_note, current_note};
use lightrig_core::compliance::KnowledgeBase;
use lightrig_core::engine::{Engine, EngineOptions, NodeChoice};
use lightrig_core::profile::FieldValue;
use lightrig_core::supervisor::{NodeState, NodeStatus};
use lightrig_core::telemetry::TelemetrySample;

use crate::exit;
use crate::output;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A profile id (see `lightrig nodes`) or a profile file (*.toml). Default: the node in the
    /// settings, which is the practice node until you choose another.
    node: Option<String>,
    /// Set a node field for this run, e.g. `--set threads=2`. Repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Record that you have read the compliance note for this node where you live. Needed
    /// where the activity is restricted or prohibited; `lightrig run` prints the note first.
    #[arg(long)]
    acknowledge_note: bool,
    /// Run this command line as a custom node, as is (no shell): `lightrig run -- PROGRAM ARGS`.
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<String>,
}

fn parse_set(items: &[String]) -> Result<BTreeMap<String, FieldValue>, String> {
    let mut out = BTreeMap::new();
    for item in items {
        let Some((k, v)) = item.split_once('=') else {
            return Err(format!("--set {item}: write FIELD=VALUE, e.g. --set threads=2"));
        };
        let value = if let Ok(i) = v.parse::<i64>() {
            FieldValue::Int(i)
        } else if v == "true" || v == "false" {
            FieldValue::Bool(v == "true")
        } else {
            FieldValue::Text(v.to_owned())
        };
        out.insert(k.trim().to_owned(), value);
    }
    Ok(out)
}

fn find_program(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(name);
    if p.is_absolute() || name.contains('/') {
        return std::fs::canonicalize(p).ok();
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|c| c.is_file())
}

fn choice(args: &RunArgs) -> Result<NodeChoice, String> {
    if let Some((program, rest)) = args.command.split_first() {
        if args.node.is_some() {
            return Err("give either a profile or a command after `--`, not both".into());
        }
        let program = find_program(program)
            .ok_or_else(|| format!("{program}: no such program; give its full path"))?;
        return Ok(NodeChoice::Custom { program, args: rest.to_vec() });
    }
    Ok(match &args.node {
        None => NodeChoice::Configured,
        Some(n) if n.ends_with(".toml") || n.contains('/') || n.contains('\\') => {
            NodeChoice::File(PathBuf::from(n))
        }
        Some(n) => NodeChoice::Profile(n.clone()),
    })
}

pub fn run(data_dir: Option<PathBuf>, json: bool, args: RunArgs) -> u8 {
    let node = match choice(&args) {
        Ok(c) => c,
        Err(m) => {
            output::fail(json, "usage", &m);
            return exit::USAGE;
        }
    };
    let overrides = match parse_set(&args.set) {
        Ok(o) => o,
        Err(m) => {
            output::fail(json, "usage", &m);
            return exit::USAGE;
        }
    };
    let (_guard, rt) = match output::runtime(data_dir.as_deref(), json) {
        Ok(x) => x,
        Err(code) => return code,
    };
    rt.block_on(supervise(
        EngineOptions { data_dir, node, overrides, ..EngineOptions::default() },
        json,
        args.acknowledge_note,
    ))
}

/// Where the node's activity is restricted or prohibited in the user's jurisdiction, the note is
/// shown and the node starts only with `--acknowledge-note`, which records the acknowledgement
/// in the ledger (the same rule and record as the app's).
fn compliance_gate(engine: &Engine, json: bool, acknowledge: bool) -> Result<(), u8> {
    let Ok(kb) = KnowledgeBase::builtin() else { return Ok(()) };
    let Some(note) = current_note(engine, &kb) else { return Ok(()) };
    if !note.requires_acknowledgement || note.acknowledged_at_ms.is_some() {
        return Ok(());
    }
    if !json {
        eprintln!(
            "lightrig: {} in {}: {}\n  {}\n  Sources: {}\n  This is information, not legal advice.",
            note.activity,
            note.jurisdiction_name,
            note.status,
            note.text,
            note.sources
                .iter()
                .map(|s| s.url.clone().unwrap_or_else(|| s.title.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !acknowledge {
        output::fail(
            json,
            "compliance.acknowledgement_required",
            "read the note above; to start anyway, run again with --acknowledge-note (it is \
             recorded in your ledger)",
        );
        return Err(exit::FAILED);
    }
    match acknowledge_note(engine, &kb, note.note_version) {
        Ok(_) => Ok(()),
        Err(e) => {
            output::fail(json, &e.code, &e.message);
            Err(exit::FAILED)
        }
    }
}

async fn supervise(opts: EngineOptions, json: bool, acknowledge_note: bool) -> u8 {
    let engine = match Engine::open(opts).await {
        Ok(e) => e,
        Err(e) => return output::engine_error(json, &e),
    };
    let notes = engine.notes();
    if let Some((err, kept)) = &notes.config {
        let kept = kept
            .as_ref()
            .map(|k| format!("; the file was kept as {}", k.display()))
            .unwrap_or_default();
        eprintln!("lightrig: settings not used, defaults instead: {err}{kept}");
    }
    if let Some(moved) = &notes.ledger_moved_aside {
        eprintln!(
            "lightrig: the ledger was damaged; it was kept as {} and a new one started",
            moved.display()
        );
    }
    for rejected in &notes.rejected_profiles {
        eprintln!("lightrig: skipped a profile: {rejected}");
    }
    if let Err(code) = compliance_gate(&engine, json, acknowledge_note) {
        engine.shutdown().await;
        return code;
    }
    if !json {
        let p = engine.profile();
        let sim = if p.simulated { " — rewards are simulated, not money" } else { "" };
        eprintln!("lightrig: starting {} ({}){sim}. Ctrl-C stops it.", p.name, p.id);
    }
    let mut stop = StopSignals::listen();
    if let Err(e) = engine.node().start().await {
        output::fail(json, e.code(), &e.to_string());
        return exit::FAILED;
    }
    let code = watch_until_done(&engine, json, &mut stop).await;
    if !json {
        eprintln!("lightrig: stopping…");
    }
    engine.shutdown().await;
    if !json {
        eprintln!("lightrig: stopped; nothing is left running.");
    }
    code
}

/// SIGTERM and SIGINT (Ctrl-C), listened for from before the node starts until the run ends.
/// Created once: a signal that arrives between two turns of the watch loop is kept for the next
/// turn, never lost (a listener created anew each turn would miss it and `run` would go on).
struct StopSignals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    fn listen() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            StopSignals {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        {
            let term = async {
                match &mut self.term {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            };
            let int = async {
                match &mut self.int {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = term => {}
                _ = int => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

async fn watch_until_done(engine: &Engine, json: bool, stop: &mut StopSignals) -> u8 {
    let mut status = engine.node().watch();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let tty = std::io::stderr().is_terminal();
    let mut last_state = String::new();
    let mut ticks = 0u64;
    loop {
        tokio::select! {
            _ = stop.wait() => return exit::OK,
            changed = status.changed() => {
                if changed.is_err() {
                    return exit::FAILED;
                }
                let st = status.borrow_and_update().clone();
                let name = st.state.to_string();
                if name != last_state {
                    last_state = name;
                    if json {
                        output::print_json(&serde_json::json!({ "event": "state", "status": st }));
                    } else {
                        if tty { eprint!("\r\x1b[2K"); }
                        eprintln!("{}: {}", st.node_id, st.state);
                    }
                    if let NodeState::Failed { last_lines, .. } = &st.state {
                        if !json && !last_lines.is_empty() {
                            eprintln!("last lines from the node:");
                            for l in last_lines { eprintln!("  {l}"); }
                        }
                        return exit::FAILED;
                    }
                }
            }
            _ = tick.tick() => {
                ticks += 1;
                let st = engine.node().status();
                let t = engine.telemetry();
                if json {
                    output::print_json(&serde_json::json!({ "event": "sample", "status": st, "telemetry": t }));
                } else if tty {
                    eprint!("\r\x1b[2K{}", live_line(&st, t.as_ref()));
                    let _ = std::io::stderr().flush();
                } else if ticks.is_multiple_of(10) {
                    eprintln!("{}", live_line(&st, t.as_ref()));
                }
            }
        }
    }
}

fn live_line(st: &NodeStatus, t: Option<&TelemetrySample>) -> String {
    let mut parts = vec![st.state.name().to_string()];
    match st.metrics.as_ref().and_then(|m| m.work_rate.as_ref()) {
        Some(r) => parts.push(output::rate(r.value, &r.unit)),
        None if matches!(st.state, NodeState::Running { .. }) => {
            parts.push("work rate not available yet".into())
        }
        None => {}
    }
    if let Some(s) = st.metrics.as_ref().and_then(|m| m.shares_accepted) {
        parts.push(format!("{s} shares{}", if st.simulated { " (simulated)" } else { "" }));
    }
    if let Some(t) = t {
        if let Some(c) = t.cpu_percent {
            parts.push(format!("CPU {c:.0}%"));
        }
        if let Some(n) = &t.node {
            if let Some(c) = n.cpu_percent {
                parts.push(format!("node {:.2} cores", c / 100.0));
            }
            parts.push(format!("{} MB", n.rss_bytes / 1_000_000));
        }
        parts.push(match t.cpu_temp_c {
            Some(c) => format!("{c:.0} °C"),
            None => "temperature not available".into(),
        });
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_values_are_typed() {
        let m =
            parse_set(&["threads=2".into(), "tls=true".into(), "pool=host:3333".into()]).unwrap();
        assert_eq!(m["threads"], FieldValue::Int(2));
        assert_eq!(m["tls"], FieldValue::Bool(true));
        assert_eq!(m["pool"], FieldValue::Text("host:3333".into()));
        assert!(parse_set(&["threads".into()]).unwrap_err().contains("FIELD=VALUE"));
    }
}
