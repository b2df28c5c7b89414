//! The webview's commands, one file per domain. Each is async (never blocks the main thread),
//! a few lines long, and only translates between IPC and the engine's `AppService`.

pub mod app;
pub mod install;
pub mod ledger;
pub mod node;
pub mod settings;
pub mod tariff;
pub mod telemetry;
