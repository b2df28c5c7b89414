use crate::exit;
use crate::output;

pub fn run(data_dir: Option<&std::path::Path>, json: bool) -> u8 {
    match lightrig_core::engine::live_status(data_dir) {
        Err(e) => output::engine_error(json, &e),
        Ok(None) => {
            output::fail(
                json,
                "engine.not_running",
                "no Lightrig is running for this data folder: start one with `lightrig run`",
            );
            exit::NOT_RUNNING
        }
        Ok(Some(live)) => {
            if json {
                output::print_json(&live);
            } else {
                let node = &live.node;
                let id = node["node_id"].as_str().unwrap_or("?");
                let state = node["state"]["kind"].as_str().unwrap_or("?");
                let reason =
                    node["state"]["reason"].as_str().map(|r| format!(" ({r})")).unwrap_or_default();
                println!("{id}: {state}{reason}");
                if let Some(rate) = node["metrics"]["work_rate"]["value"].as_f64() {
                    let unit = node["metrics"]["work_rate"]["unit"].as_str().unwrap_or("");
                    println!("work rate: {}", output::rate(rate, unit));
                }
                if node["simulated"].as_bool() == Some(true) {
                    println!("rewards: simulated (practice node)");
                }
                println!("engine pid {}", live.engine_pid);
            }
            exit::OK
        }
    }
}
