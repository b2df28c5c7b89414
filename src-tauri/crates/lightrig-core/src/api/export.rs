//! Records from the ledger for a date range, for the UI's save dialog (desktop) or download
//! (browser mode). The formats and their rules live in `crate::export`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ApiError, AppService};
use crate::compliance::Lang;
use crate::export::{self, DateRange, ExportFormat, ExportRequest, LedgerPrices, TimeZone};

/// What the user asked for: a format (full, koinly, cointracker, bittytax, summary) and a
/// range of local days, both ends included (YYYY-MM-DD).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExportQuery {
    pub format: String,
    pub from: String,
    pub to: String,
}

/// The exported file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportFile {
    pub file_name: String,
    pub media_type: String,
    pub content: String,
}

impl AppService {
    /// Builds an export from the ledger, in the system's time zone and the UI's language.
    pub async fn export_records(&self, query: ExportQuery) -> Result<ExportFile, ApiError> {
        let bad = |e: export::ExportError| ApiError {
            code: e.code().into(),
            message: e.to_string(),
            field: None,
        };
        let format: ExportFormat = query.format.parse().map_err(|e: export::ExportError| {
            ApiError { field: Some("format".into()), ..bad(e) }
        })?;
        let range = DateRange::parse(&query.from, &query.to)
            .map_err(|e| ApiError { field: Some("range".into()), ..bad(e) })?;
        let mut request = ExportRequest::new(format, range, TimeZone::system());
        request.lang = match self.engine.settings().language.as_deref() {
            Some("zh-CN") => Lang::ZhCn,
            _ => Lang::En,
        };
        request.activities =
            self.engine.catalog().profiles.iter().map(|p| (p.id.clone(), p.activity)).collect();
        let ledger = self.engine.ledger().clone();
        // Rewards are valued with the prices on record, in the settings currency.
        let currency = self.engine.settings().currency;
        let bytes = tokio::task::spawn_blocking(move || {
            export::export(&ledger, &request, &LedgerPrices::new(&ledger, &currency))
        })
        .await
        .map_err(|e| ApiError::new("internal", e.to_string()))?
        .map_err(bad)?;
        let content = String::from_utf8(bytes)
            .map_err(|e| ApiError::new("internal", format!("the export is not text: {e}")))?;
        Ok(ExportFile {
            file_name: format.suggested_file_name(&range),
            media_type: format.media_type().into(),
            content,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineOptions;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn exports_name_their_file_and_refuse_bad_input_with_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let opts =
            EngineOptions { data_dir: Some(dir.path().to_path_buf()), ..EngineOptions::default() };
        let app = AppService::open(opts).await.unwrap();
        let q = |format: &str, from: &str, to: &str| ExportQuery {
            format: format.into(),
            from: from.into(),
            to: to.into(),
        };
        let file = app.export_records(q("koinly", "2026-01-01", "2026-12-31")).await.unwrap();
        assert_eq!(file.file_name, "lightrig-koinly-2026-01-01-to-2026-12-31.csv");
        assert!(file.content.starts_with("Date,Sent Amount"), "{}", file.content);
        let summary = app.export_records(q("summary", "2026-01-01", "2026-12-31")).await.unwrap();
        assert!(summary.media_type.starts_with("text/html"));

        let err = app.export_records(q("excel", "2026-01-01", "2026-12-31")).await.unwrap_err();
        assert_eq!(err.field.as_deref(), Some("format"));
        let err = app.export_records(q("full", "2026-12-31", "2026-01-01")).await.unwrap_err();
        assert_eq!(err.code, "export.reversed_range");
        app.shutdown().await;
    }
}
