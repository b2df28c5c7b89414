//! Each export of the fixed ledger matches its golden file byte for byte.
//! `LIGHTRIG_UPDATE_GOLDEN=1 cargo nextest run -p lightrig-core -E 'test(/export/)'` rewrites
//! them; review the diff before committing it.

use std::path::PathBuf;

use super::fixture;
use crate::export::{ExportFormat, Lang, export};

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/export/golden").join(name)
}

pub(super) fn check(name: &str, fresh: &[u8]) {
    let path = golden_path(name);
    if std::env::var_os("LIGHTRIG_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, fresh).unwrap();
    }
    let on_disk = std::fs::read(&path).unwrap_or_default();
    if on_disk != fresh {
        panic!(
            "{name} differs from its golden file {}.\n--- golden\n{}\n--- fresh\n{}\n\
             If the change is intended: LIGHTRIG_UPDATE_GOLDEN=1 cargo nextest run -p \
             lightrig-core -E 'test(/export/)', and review the diff.",
            path.display(),
            String::from_utf8_lossy(&on_disk),
            String::from_utf8_lossy(fresh),
        );
    }
}

fn render(format: ExportFormat, lang: Lang) -> Vec<u8> {
    let (_dir, ledger) = fixture::ledger();
    let mut request = fixture::request(format);
    request.lang = lang;
    export(&ledger, &request, &fixture::prices()).unwrap()
}

#[test]
fn full_csv_matches_golden() {
    check("full.csv", &render(ExportFormat::Full, Lang::En));
}

#[test]
fn koinly_csv_matches_golden() {
    check("koinly.csv", &render(ExportFormat::Koinly, Lang::En));
}

#[test]
fn cointracker_csv_matches_golden() {
    check("cointracker.csv", &render(ExportFormat::CoinTracker, Lang::En));
}

#[test]
fn bittytax_csv_matches_golden() {
    check("bittytax.csv", &render(ExportFormat::BittyTax, Lang::En));
}

#[test]
fn summary_html_matches_golden_in_english() {
    check("summary.en.html", &render(ExportFormat::Summary, Lang::En));
}

#[test]
fn summary_html_matches_golden_in_chinese() {
    check("summary.zh-CN.html", &render(ExportFormat::Summary, Lang::ZhCn));
}
