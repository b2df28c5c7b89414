fn main() {
    // Only these commands exist for the webview, and each must be granted in capabilities/.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "get_snapshot",
        "start_node",
        "stop_node",
        "pause_node",
        "resume_node",
        "list_profiles",
        "select_node",
        "get_logs",
        "list_installs",
        "install_node",
        "adopt_program",
        "get_series",
        "get_earnings",
        "export_records",
        "behaviour_report",
        "get_settings",
        "save_settings",
        "get_prices",
        "save_prices",
        "get_compliance",
        "acknowledge_note",
        "import_tariff_prices",
        "open_external",
        "quit_app",
    ]);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        eprintln!("tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
