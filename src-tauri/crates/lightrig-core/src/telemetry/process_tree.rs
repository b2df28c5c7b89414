//! Follows the node's process tree: the process Lightrig started and everything it spawned
//! (a wrapper script's miner, a miner's helper), found through parent links.
//!
//! Scanning every process on the machine costs far more than reading the few pids of a node,
//! so the tree is rediscovered from a full scan only every [`super::Cadence::tree_rescan`] or
//! when the root changes; every sample refreshes only the known pids, with CPU time and memory
//! only. The periodic scan runs after the sample's readings and shapes the next sample's tree:
//! a child spawned in between is counted within one rescan interval and one sample.

use std::fmt;
use std::time::{Duration, Instant};

use sysinfo::{Pid, Process, ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System};

use super::NodeUsage;

/// What the per-sample refresh of the known pids reads.
fn tree_refresh() -> ProcessRefreshKind {
    // `without_tasks`: listing every thread as a process would multiply the work for a
    // multi-threaded miner and count its threads twice.
    ProcessRefreshKind::nothing().with_cpu().with_memory().without_tasks()
}

/// What the full scan reads: nothing beyond what sysinfo always reads (pid, parent, name,
/// start time), as only the parent links are wanted. sysinfo still moves each process's
/// CPU-time baseline on any refresh, which is why the periodic scan runs right after the tree
/// was read, never between a baseline and its reading.
fn scan() -> ProcessRefreshKind {
    ProcessRefreshKind::nothing().without_tasks()
}

#[derive(Default)]
pub(super) struct NodeTracker {
    root: Option<Pid>,
    /// The known tree in discovery order: the root first, each parent before its children.
    tree: Vec<Pid>,
    /// Scratch for the full scan: (parent, child) pairs sorted by parent. Kept to reuse its
    /// allocation.
    edges: Vec<(Pid, Pid)>,
    last_scan: Option<Instant>,
    last_refresh: Option<Instant>,
    /// When this root's tree was first read; its CPU load is known one minimum interval later.
    first_read: Option<Instant>,
}

impl fmt::Debug for NodeTracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeTracker")
            .field("root", &self.root)
            .field("tree", &self.tree)
            .finish_non_exhaustive()
    }
}

impl NodeTracker {
    pub(super) fn sample(
        &mut self,
        system: &mut System,
        root: Option<u32>,
        now: Instant,
        rescan_every: Duration,
    ) -> Option<NodeUsage> {
        let Some(root) = root.map(Pid::from_u32) else {
            self.forget();
            return None;
        };
        if self.root != Some(root) {
            self.forget();
            self.root = Some(root);
        }
        let rescan_due = self.last_scan.is_none_or(|at| now.duration_since(at) >= rescan_every);
        // Within sysinfo's minimum interval the CPU counters would not have moved enough to
        // mean anything; the previous readings still stand.
        let refresh_due = self
            .last_refresh
            .is_none_or(|at| now.duration_since(at) >= sysinfo::MINIMUM_CPU_UPDATE_INTERVAL);
        let new_root = self.last_scan.is_none();
        if new_root {
            self.rescan(system, root, now);
        }
        if new_root || refresh_due {
            system.refresh_processes_specifics(
                ProcessesToUpdate::Some(&self.tree),
                true,
                tree_refresh(),
            );
            self.last_refresh = Some(now);
            self.prune(system);
        }
        let usage = self.usage(system, root, now);
        if rescan_due && !new_root {
            self.rescan(system, root, now);
        }
        usage
    }

    fn usage(&mut self, system: &System, root: Pid, now: Instant) -> Option<NodeUsage> {
        if alive(system, root).is_none() {
            // Keep asking about the root alone: one cheap lookup per sample until it changes.
            self.tree.clear();
            self.tree.push(root);
            self.first_read = None;
            return None;
        }
        let first_read = *self.first_read.get_or_insert(now);
        let cpu_known = now.duration_since(first_read) >= sysinfo::MINIMUM_CPU_UPDATE_INTERVAL;
        let mut pids = Vec::with_capacity(self.tree.len());
        let mut cpu = 0.0_f32;
        let mut rss = 0_u64;
        for &pid in &self.tree {
            if let Some(process) = alive(system, pid) {
                pids.push(pid.as_u32());
                cpu += process.cpu_usage();
                rss = rss.saturating_add(process.memory());
            }
        }
        Some(NodeUsage {
            root_pid: root.as_u32(),
            pids,
            cpu_percent: (cpu_known && cpu.is_finite()).then(|| cpu.max(0.0)),
            rss_bytes: rss,
        })
    }

    fn forget(&mut self) {
        self.root = None;
        self.tree.clear();
        self.last_scan = None;
        self.last_refresh = None;
        self.first_read = None;
    }

    /// A full process scan, then the tree rebuilt from its parent links, breadth first.
    fn rescan(&mut self, system: &mut System, root: Pid, now: Instant) {
        system.refresh_processes_specifics(ProcessesToUpdate::All, true, scan());
        self.last_scan = Some(now);
        self.edges.clear();
        for (&pid, process) in system.processes() {
            if let Some(parent) = process.parent()
                && !is_zombie(process)
            {
                self.edges.push((parent, pid));
            }
        }
        self.edges.sort_unstable();
        self.tree.clear();
        self.tree.push(root);
        let mut next = 0;
        while let Some(&parent) = self.tree.get(next) {
            let start = self.edges.partition_point(|&(p, _)| p < parent);
            for &(p, child) in &self.edges[start..] {
                if p != parent {
                    break;
                }
                // Each pid has one parent, so only a loop back to the root (a snapshot taken
                // while pids were reused) could visit a pid twice.
                if child != root {
                    self.tree.push(child);
                }
            }
            next += 1;
        }
    }

    /// After a cheap refresh: drops pids that exited, and pids that no longer descend from the
    /// tree (an exited child's pid reused by an unrelated process).
    fn prune(&mut self, system: &System) {
        let mut kept = 0;
        for index in 0..self.tree.len() {
            let pid = self.tree[index];
            let keep = match alive(system, pid) {
                None => false,
                Some(_) if index == 0 => true,
                Some(process) => process.parent().is_some_and(|p| self.tree[..kept].contains(&p)),
            };
            if keep {
                self.tree[kept] = pid;
                kept += 1;
            }
        }
        self.tree.truncate(kept);
    }
}

/// A process that still runs: an exited but unreaped (zombie) process does no work, and a
/// zombie root means the node has ended.
fn alive(system: &System, pid: Pid) -> Option<&Process> {
    system.process(pid).filter(|process| !is_zombie(process))
}

fn is_zombie(process: &Process) -> bool {
    matches!(process.status(), ProcessStatus::Zombie | ProcessStatus::Dead)
}
