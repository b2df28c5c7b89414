//! The HTTP form of the install calls: the same as the desktop shell's install commands.
//! Progress arrives as `install://progress` server-sent events.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lightrig_core::api::{AdoptRequest, ApiError, InstallRequest, NodeInstallView};

use super::Shared;

/// An install error with a status that says whose problem it is.
pub struct InstallFailure(ApiError);

impl IntoResponse for InstallFailure {
    fn into_response(self) -> Response {
        let status = match self.0.code.as_str() {
            "installer.busy" | "installer.downgrade_refused" => StatusCode::CONFLICT,
            "installer.not_pinned"
            | "installer.no_release"
            | "installer.no_such_version"
            | "installer.bad_version"
            | "installer.bad_node_id"
            | "installer.not_executable"
            | "installer.binary_missing"
            | "installer.unsupported_platform" => StatusCode::BAD_REQUEST,
            "installer.network" | "installer.http" | "installer.interrupted" => {
                StatusCode::BAD_GATEWAY
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Json(self.0)).into_response()
    }
}

type R<T> = Result<Json<T>, InstallFailure>;

pub async fn states(State(s): State<Shared>) -> Json<Vec<NodeInstallView>> {
    Json(s.app.install_states())
}

pub async fn install(
    State(s): State<Shared>,
    Json(req): Json<InstallRequest>,
) -> R<NodeInstallView> {
    s.app.install(req).await.map(Json).map_err(InstallFailure)
}

pub async fn adopt(State(s): State<Shared>, Json(req): Json<AdoptRequest>) -> R<NodeInstallView> {
    s.app.adopt(req).await.map(Json).map_err(InstallFailure)
}
