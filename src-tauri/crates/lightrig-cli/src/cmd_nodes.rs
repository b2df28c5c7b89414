use serde::Serialize;

use crate::exit;
use crate::output;

#[derive(Serialize)]
struct NodeRow<'a> {
    id: &'a str,
    name: &'a str,
    activity: &'a str,
    simulated: bool,
    origin: String,
}

#[derive(Serialize)]
struct Rejected {
    file: String,
    line: Option<usize>,
    field: Option<String>,
    message: String,
}

pub fn run(data_dir: Option<&std::path::Path>, json: bool) -> u8 {
    let cat = match lightrig_core::engine::catalog(data_dir) {
        Ok(c) => c,
        Err(e) => return output::engine_error(json, &e),
    };
    let rows: Vec<NodeRow<'_>> = cat
        .profiles
        .iter()
        .map(|p| NodeRow {
            id: &p.id,
            name: &p.name,
            activity: p.activity.as_str(),
            simulated: p.simulated,
            origin: p.origin.display().to_string(),
        })
        .collect();
    let rejected: Vec<Rejected> = cat
        .rejected
        .iter()
        .map(|e| Rejected {
            file: e.location.file.display().to_string(),
            line: e.location.line,
            field: e.location.field.clone(),
            message: e.message.clone(),
        })
        .collect();
    if json {
        output::print_json(&serde_json::json!({ "nodes": rows, "rejected": rejected }));
    } else {
        for r in &rows {
            let sim = if r.simulated && !r.name.contains("simulated") {
                "  (simulated rewards)"
            } else {
                ""
            };
            println!("{:<16} {:<12} {}{sim}", r.id, r.activity, r.name);
        }
        for e in &cat.rejected {
            eprintln!("lightrig: skipped {e}");
        }
    }
    exit::OK
}
