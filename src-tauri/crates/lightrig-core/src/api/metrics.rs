//! `/metrics` in the Prometheus text format, so an office with many machines scrapes them
//! with Prometheus and Grafana instead of a home-made fleet server. Missing figures are left
//! out (Prometheus treats an absent series as unknown), never written as 0.

use std::fmt::Write;

use crate::engine::EnergyLive;
use crate::ledger::{EnergyTotals, RewardTotal};
use crate::supervisor::NodeStatus;
use crate::telemetry::TelemetrySample;

/// Power now and the energy recorded so far, for the energy series.
#[derive(Debug, Clone, Default)]
pub struct EnergyFigures {
    pub live: Option<EnergyLive>,
    /// All nodes' and machine-only time, all time.
    pub totals: Option<EnergyTotals>,
}

/// Escapes a label value per the exposition format.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn metric(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

pub fn render(
    status: &NodeStatus,
    t: Option<&TelemetrySample>,
    rewards: &[RewardTotal],
    energy: &EnergyFigures,
) -> String {
    let mut out = String::with_capacity(2048);
    let node = label(&status.node_id);
    metric(&mut out, "lightrig_node_state", "gauge", "1 for the node's current state.");
    for state in ["stopped", "starting", "running", "paused", "stopping", "backoff", "failed"] {
        let v = u8::from(status.state.name() == state);
        let _ = writeln!(out, "lightrig_node_state{{node=\"{node}\",state=\"{state}\"}} {v}");
    }
    metric(
        &mut out,
        "lightrig_node_restarts",
        "gauge",
        "Restarts after crashes since the last user start.",
    );
    let _ = writeln!(out, "lightrig_node_restarts{{node=\"{node}\"}} {}", status.restarts);
    if let Some(r) = status.metrics.as_ref().and_then(|m| m.work_rate.as_ref()) {
        metric(
            &mut out,
            "lightrig_node_work_rate",
            "gauge",
            "Work rate over the node's shortest window, in its unit.",
        );
        let _ = writeln!(
            out,
            "lightrig_node_work_rate{{node=\"{node}\",unit=\"{}\",simulated=\"{}\"}} {}",
            label(&r.unit),
            status.simulated,
            r.value
        );
    }
    if let Some(t) = t {
        if let Some(c) = t.cpu_percent {
            metric(
                &mut out,
                "lightrig_machine_cpu_percent",
                "gauge",
                "Whole-machine CPU use, 0-100.",
            );
            let _ = writeln!(out, "lightrig_machine_cpu_percent {c}");
        }
        metric(
            &mut out,
            "lightrig_machine_memory_used_bytes",
            "gauge",
            "Memory in use on the machine.",
        );
        let _ = writeln!(out, "lightrig_machine_memory_used_bytes {}", t.mem_used_bytes);
        if let Some(n) = &t.node {
            if let Some(c) = n.cpu_percent {
                metric(
                    &mut out,
                    "lightrig_node_cpu_percent",
                    "gauge",
                    "The node tree's CPU use, % of one core.",
                );
                let _ = writeln!(out, "lightrig_node_cpu_percent{{node=\"{node}\"}} {c}");
            }
            metric(
                &mut out,
                "lightrig_node_rss_bytes",
                "gauge",
                "The node tree's resident memory.",
            );
            let _ = writeln!(out, "lightrig_node_rss_bytes{{node=\"{node}\"}} {}", n.rss_bytes);
        }
        if !t.temperatures.is_empty() {
            metric(
                &mut out,
                "lightrig_temperature_celsius",
                "gauge",
                "Temperature sensors the OS exposes.",
            );
            for s in &t.temperatures {
                let _ = writeln!(
                    out,
                    "lightrig_temperature_celsius{{sensor=\"{}\"}} {}",
                    label(&s.label),
                    s.celsius
                );
            }
        }
        if let Some(b) = t.power.on_battery {
            metric(&mut out, "lightrig_on_battery", "gauge", "1 when the machine runs on battery.");
            let _ = writeln!(out, "lightrig_on_battery {}", u8::from(b));
        }
    }
    render_energy(&mut out, energy);
    if !rewards.is_empty() {
        metric(
            &mut out,
            "lightrig_rewards",
            "gauge",
            "Rewards recorded, in whole units of the asset, by state (never summed across states).",
        );
        for r in rewards {
            let whole = crate::model::Asset { code: r.asset_code.clone(), decimals: r.decimals }
                .format_atomic(r.atomic);
            let _ = writeln!(
                out,
                "lightrig_rewards{{asset=\"{}\",state=\"{}\",simulated=\"{}\"}} {whole}",
                label(&r.asset_code),
                r.state.as_str(),
                r.simulated
            );
        }
    }
    out
}

fn render_energy(out: &mut String, energy: &EnergyFigures) {
    if let Some(r) = energy.live.as_ref().and_then(|l| l.reading.as_ref()) {
        metric(
            out,
            "lightrig_power_watts",
            "gauge",
            "Power now; kind says what it covers (cpu-package is not the whole computer).",
        );
        let _ = writeln!(
            out,
            "lightrig_power_watts{{kind=\"{}\",provenance=\"{}\",source=\"{}\"}} {}",
            r.kind.as_str(),
            super::energy::provenance_name(r.provenance),
            label(&energy.live.as_ref().and_then(EnergyLive::steady_source).unwrap_or_default()),
            r.watts
        );
        if let Some(m) = energy.live.as_ref().and_then(|l| l.marginal_w) {
            metric(
                out,
                "lightrig_power_marginal_watts",
                "gauge",
                "Power above the idle baseline Lightrig measured with the node stopped or paused.",
            );
            let _ =
                writeln!(out, "lightrig_power_marginal_watts{{kind=\"{}\"}} {m}", r.kind.as_str());
        }
    }
    if let Some(g) = energy.live.as_ref().and_then(|l| l.gpu.as_ref()) {
        metric(
            out,
            "lightrig_gpu_power_watts",
            "gauge",
            "GPU power now (NVML, amdgpu); share says whether it is added to lightrig_power_watts \
             (added), already inside it (inside: wall, battery) or apart from it.",
        );
        let _ = writeln!(
            out,
            "lightrig_gpu_power_watts{{source=\"{}\",share=\"{}\"}} {}",
            label(&g.reading.source),
            g.share.as_str(),
            g.reading.watts
        );
    }
    let Some(totals) = energy.totals.as_ref() else { return };
    if let Some(e) = totals.energy {
        metric(out, "lightrig_energy_kwh_total", "counter", "Energy recorded in the ledger, kWh.");
        let _ = writeln!(out, "lightrig_energy_kwh_total {}", e.kwh());
    }
    if let Some(e) = totals.marginal_energy.filter(|_| totals.marginal_covered_ms > 0) {
        metric(
            out,
            "lightrig_energy_marginal_kwh_total",
            "counter",
            "Energy above the idle baseline, kWh, over the time a baseline existed.",
        );
        let _ = writeln!(out, "lightrig_energy_marginal_kwh_total {}", e.kwh());
    }
    if !totals.costs.is_empty() {
        metric(
            out,
            "lightrig_energy_cost_total",
            "counter",
            "Electricity cost recorded in the ledger, per currency (never converted or added).",
        );
        for c in &totals.costs {
            let _ = writeln!(
                out,
                "lightrig_energy_cost_total{{currency=\"{}\"}} {}",
                label(&c.currency),
                c.cost_nanos as f64 / 1e9
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RewardState;
    use crate::supervisor::NodeState;

    fn status() -> NodeStatus {
        NodeStatus {
            node_id: "practice".into(),
            profile_name: "Practice".into(),
            simulated: true,
            state: NodeState::Running { since_ms: 0 },
            pid: Some(1),
            restarts: 2,
            metrics: None,
            metrics_error: None,
            updated_ms: 0,
        }
    }

    #[test]
    fn exposition_has_one_state_set_and_separate_reward_states() {
        let rewards = vec![
            RewardTotal {
                asset_code: "SIM".into(),
                decimals: 8,
                state: RewardState::Pending,
                simulated: true,
                atomic: 150_000_000,
                count: 3,
            },
            RewardTotal {
                asset_code: "SIM".into(),
                decimals: 8,
                state: RewardState::Paid,
                simulated: true,
                atomic: 1,
                count: 1,
            },
        ];
        let text = render(&status(), None, &rewards, &EnergyFigures::default());
        assert!(text.contains("lightrig_node_state{node=\"practice\",state=\"running\"} 1"));
        assert!(text.contains("lightrig_node_state{node=\"practice\",state=\"stopped\"} 0"));
        assert!(text.contains(
            "lightrig_rewards{asset=\"SIM\",state=\"pending\",simulated=\"true\"} 1.50000000"
        ));
        assert!(text.contains("state=\"paid\",simulated=\"true\"} 0.00000001"));
        // No telemetry: no machine figures at all rather than zeros.
        assert!(!text.contains("lightrig_machine_cpu_percent"));
        // Every sample line is `name{labels} value` with a numeric value.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
    }

    fn energy_with(gpu: Option<crate::energy::gpu::GpuPower>) -> EnergyFigures {
        use crate::energy::{BaselineStatus, PowerKind, PowerReading};
        let reading = PowerReading::measured(185.5, PowerKind::CpuPackage, "RAPL package-0");
        EnergyFigures {
            live: Some(EnergyLive {
                at_ms: 0,
                reading: Some(reading),
                rungs: Vec::new(),
                gpu,
                permission: None,
                baseline: BaselineStatus::Missing { have: 0, need: 30 },
                baseline_need: 30,
                marginal_w: None,
                marginal_psu: None,
                idle_samples: 0,
                tariff: None,
                tariff_problem: None,
                price_now: None,
            }),
            totals: None,
        }
    }

    #[test]
    fn gpu_power_gauge_only_when_a_gpu_source_answers() {
        use crate::energy::gpu::{GpuPower, GpuShare};
        use crate::energy::{PowerKind, PowerReading};
        let text = render(&status(), None, &[], &energy_with(None));
        assert!(text.contains("lightrig_power_watts{"), "{text}");
        assert!(!text.contains("lightrig_gpu_power_watts"), "no GPU, no line: {text}");
        let nvml = PowerReading::measured(120.5, PowerKind::Gpu, "NVIDIA GeForce RTX 3060 (NVML)");
        let gpu = GpuPower { reading: nvml, share: GpuShare::Added };
        let text = render(&status(), None, &[], &energy_with(Some(gpu)));
        assert!(text.contains("# TYPE lightrig_gpu_power_watts gauge"), "{text}");
        assert!(
            text.contains(
                "lightrig_gpu_power_watts{source=\"NVIDIA GeForce RTX 3060 (NVML)\",\
                 share=\"added\"} 120.5"
            ),
            "{text}"
        );
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
