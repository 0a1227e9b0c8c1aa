//! `/_iamlocal/…`: health and test isolation. Not part of AWS's API.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::App;

pub async fn health(State(app): State<Arc<App>>) -> Response {
    let body = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "account_id": app.config.account_id,
        "region": app.config.region,
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// Empties every account, for isolating test runs.
pub async fn reset(State(app): State<Arc<App>>) -> Response {
    match app.reset().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"reset": true})),
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(serde_json::json!({"error": e.message()})),
        )
            .into_response(),
    }
}

/// The last authorization decisions with the statements that decided them, oldest first.
pub async fn decisions(State(app): State<Arc<App>>) -> Response {
    (StatusCode::OK, axum::Json(app.decisions.snapshot())).into_response()
}
