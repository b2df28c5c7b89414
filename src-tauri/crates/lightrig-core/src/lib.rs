//! Lightrig's engine. It runs one node process for a casual participant, keeps it healthy,
//! and records what it does. Nothing here depends on tauri: the desktop shell and the `lightrig`
//! CLI are two thin front doors onto [`Engine`].
