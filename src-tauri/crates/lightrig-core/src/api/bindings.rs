//! TypeScript declarations for the UI, generated from the Rust types with ts-rs. The committed
//! file is `ui/src/bindings.ts`; a test fails when it is stale, and
//! `LIGHTRIG_UPDATE_BINDINGS=1 cargo test -p lightrig-core bindings` rewrites it.

use ts_rs::{Config, TS};

use super::dto::*;
use super::export::{ExportFile, ExportQuery};
use super::install::{
    AdoptRequest, AvailableRelease, BinaryView, InstallProgress, InstallRequest, NodeInstallView,
};
use crate::adapter::{NetworkInfo, NodeMetrics, PoolInfo};
use crate::energy::thermal::Heat;
use crate::engine::RewardLine;
use crate::model::WorkRate;
use crate::supervisor::{LogLine, NodeState, NodeStatus, Stream};
use crate::telemetry::{NodeUsage, PowerSupplyState, TelemetrySample, Temperature};

const HEADER: &str =
    "// Generated from the Rust types in lightrig-core (src/api/bindings.rs). Do not edit:
// `LIGHTRIG_UPDATE_BINDINGS=1 cargo test -p lightrig-core bindings` rewrites this file, and a
// test fails when it is stale.
";

/// The whole bindings file.
pub fn typescript() -> String {
    // JSON numbers are what the UI receives for 64-bit integers (timestamps, byte counts).
    let cfg = Config::new().with_large_int("number");
    let decls = [
        WorkRate::decl(&cfg),
        NetworkInfo::decl(&cfg),
        PoolInfo::decl(&cfg),
        NodeMetrics::decl(&cfg),
        NodeState::decl(&cfg),
        NodeStatus::decl(&cfg),
        NodeUsage::decl(&cfg),
        Heat::decl(&cfg),
        Temperature::decl(&cfg),
        PowerSupplyState::decl(&cfg),
        TelemetrySample::decl(&cfg),
        Stream::decl(&cfg),
        LogLine::decl(&cfg),
        RewardLine::decl(&cfg),
        SettingValue::decl(&cfg),
        FieldView::decl(&cfg),
        ProfileView::decl(&cfg),
        Theme::decl(&cfg),
        SeasonView::decl(&cfg),
        PriceListView::decl(&cfg),
        PriceListImport::decl(&cfg),
        EnergySettingsView::decl(&cfg),
        SettingsView::decl(&cfg),
        Notice::decl(&cfg),
        Snapshot::decl(&cfg),
        PowerView::decl(&cfg),
        PowerSourceView::decl(&cfg),
        PermissionView::decl(&cfg),
        BaselineView::decl(&cfg),
        EnergyPeriodView::decl(&cfg),
        NetLine::decl(&cfg),
        NetView::decl(&cfg),
        Co2View::decl(&cfg),
        FirstPayoutView::decl(&cfg),
        ProjectionView::decl(&cfg),
        EnergyView::decl(&cfg),
        CoinPriceView::decl(&cfg),
        PriceFeedView::decl(&cfg),
        PricesView::decl(&cfg),
        CoinPriceEdit::decl(&cfg),
        PricesEdit::decl(&cfg),
        EnergySeries::decl(&cfg),
        Earnings::decl(&cfg),
        SeriesRange::decl(&cfg),
        Series::decl(&cfg),
        SourceView::decl(&cfg),
        ComplianceView::decl(&cfg),
        ApiError::decl(&cfg),
        AvailableRelease::decl(&cfg),
        BinaryView::decl(&cfg),
        InstallProgress::decl(&cfg),
        NodeInstallView::decl(&cfg),
        InstallRequest::decl(&cfg),
        AdoptRequest::decl(&cfg),
        ExportQuery::decl(&cfg),
        ExportFile::decl(&cfg),
        AppEvent::decl(&cfg),
    ];
    let mut out = String::from(HEADER);
    for d in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn committed() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings.ts")
    }

    #[test]
    fn bindings_are_current() {
        let fresh = super::typescript();
        let path = committed();
        if std::env::var_os("LIGHTRIG_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == fresh,
            "ui/src/bindings.ts is stale: run `LIGHTRIG_UPDATE_BINDINGS=1 cargo test -p lightrig-core bindings` and commit it"
        );
    }
}
