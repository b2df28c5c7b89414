//! The HTTP form of the app's API: the same calls as the desktop shell's commands.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use lightrig_core::api::{ApiError, SeriesRange, SettingValue, SettingsView};
use serde::Deserialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::Shared;

pub struct Failure(ApiError);

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure(e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = match self.0.code.as_str() {
            "node.not_running"
            | "consent.permission_required"
            | "compliance.acknowledgement_required"
            | "compliance.note_changed" => StatusCode::CONFLICT,
            c if c.ends_with("invalid") || c.starts_with("profile.") => StatusCode::BAD_REQUEST,
            // An error naming the input that is wrong is the request's fault.
            _ if self.0.field.is_some() => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Json(self.0)).into_response()
    }
}

type R<T> = Result<Json<T>, Failure>;

pub async fn snapshot(State(s): State<Shared>) -> impl IntoResponse {
    Json(s.app.snapshot())
}
pub async fn start(State(s): State<Shared>) -> R<()> {
    Ok(Json(s.app.start().await?))
}
pub async fn stop(State(s): State<Shared>) -> R<()> {
    Ok(Json(s.app.stop().await?))
}
pub async fn pause(State(s): State<Shared>) -> R<()> {
    Ok(Json(s.app.pause().await?))
}
pub async fn resume(State(s): State<Shared>) -> R<()> {
    Ok(Json(s.app.resume().await?))
}
pub async fn profiles(State(s): State<Shared>) -> impl IntoResponse {
    Json(s.app.profiles())
}

#[derive(Deserialize)]
pub struct Select {
    profile_id: String,
    #[serde(default)]
    values: BTreeMap<String, SettingValue>,
}

pub async fn select(State(s): State<Shared>, Json(body): Json<Select>) -> R<()> {
    Ok(Json(s.app.select_node(&body.profile_id, body.values).await?))
}

#[derive(Deserialize)]
pub struct After {
    #[serde(default)]
    after: u64,
}

pub async fn logs(State(s): State<Shared>, Query(q): Query<After>) -> impl IntoResponse {
    Json(s.app.logs(q.after))
}

#[derive(Deserialize)]
pub struct Range {
    range: SeriesRange,
}

pub async fn series(
    State(s): State<Shared>,
    Query(q): Query<Range>,
) -> R<lightrig_core::api::Series> {
    Ok(Json(s.app.series(q.range).await?))
}
pub async fn earnings(State(s): State<Shared>) -> R<lightrig_core::api::Earnings> {
    Ok(Json(s.app.earnings().await?))
}
pub async fn get_settings(State(s): State<Shared>) -> impl IntoResponse {
    Json(s.app.settings())
}
pub async fn put_settings(State(s): State<Shared>, Json(v): Json<SettingsView>) -> R<SettingsView> {
    Ok(Json(s.app.save_settings(v).await?))
}
pub async fn get_prices(State(s): State<Shared>) -> impl IntoResponse {
    Json(s.app.prices())
}
pub async fn put_prices(
    State(s): State<Shared>,
    Json(edit): Json<lightrig_core::api::PricesEdit>,
) -> R<lightrig_core::api::PricesView> {
    Ok(Json(s.app.save_prices(edit).await?))
}
pub async fn compliance(State(s): State<Shared>) -> impl IntoResponse {
    Json(s.app.compliance())
}

/// The export as a download: the browser offers its save dialog for an attachment.
pub async fn export(
    State(s): State<Shared>,
    Query(q): Query<lightrig_core::api::ExportQuery>,
) -> Result<Response, Failure> {
    let file = s.app.export_records(q).await?;
    let disposition = format!("attachment; filename=\"{}\"", file.file_name);
    Ok((
        [(header::CONTENT_TYPE, file.media_type), (header::CONTENT_DISPOSITION, disposition)],
        file.content,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Acknowledge {
    note_version: u32,
}

pub async fn acknowledge(
    State(s): State<Shared>,
    Json(body): Json<Acknowledge>,
) -> R<lightrig_core::api::ComplianceView> {
    Ok(Json(s.app.acknowledge(body.note_version)?))
}

/// The electricity price list as CSV text in a JSON body (`{"csv": "..."}`).
pub async fn import_tariff_prices(
    State(s): State<Shared>,
    Json(body): Json<lightrig_core::api::PriceListImport>,
) -> R<lightrig_core::api::PriceListView> {
    Ok(Json(s.app.import_tariff_prices(body.csv).await?))
}

pub async fn metrics(State(s): State<Shared>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], s.app.metrics_text())
}

/// Server-sent events: one `event:` per AppEvent, its payload as `data:`. A reader that falls
/// behind skips events; the UI asks for a snapshot after reconnecting.
pub async fn events(
    State(s): State<Shared>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(s.app.subscribe()).filter_map(|e| {
        let e = e.ok()?;
        let payload = match &e {
            lightrig_core::api::AppEvent::Status(p) => serde_json::to_string(p),
            lightrig_core::api::AppEvent::Sample(p) => serde_json::to_string(p),
            lightrig_core::api::AppEvent::Log(p) => serde_json::to_string(p),
            lightrig_core::api::AppEvent::Install(p) => serde_json::to_string(p),
        }
        .ok()?;
        Some(Ok(Event::default().event(e.name()).data(payload)))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
