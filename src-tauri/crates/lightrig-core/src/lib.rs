//! Lightrig's engine. It runs one node process for a casual participant, keeps it healthy,
//! and records what it does. Nothing here depends on tauri: the desktop shell and the `lightrig`
//! CLI are two thin front doors onto the same engine API.

pub mod adapter;
pub mod address;
pub mod api;
pub mod compliance;
pub mod config;
pub mod energy;
pub mod engine;
pub mod export;
pub mod installer;
pub mod ledger;
pub mod logging;
pub mod model;
pub mod paths;
pub mod price;
pub mod profile;
pub mod secret;
pub mod supervisor;
pub mod telemetry;
pub mod tomlspan;
