//! The HTTP server: the Query endpoint at `/`, the admin endpoints under `/_iamlocal/`, and a
//! graceful shutdown. `run` takes a bound listener so tests can start it on port 0.

mod admin;
mod pipeline;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{any, get, post};
use axum::Router;
use tokio::net::TcpListener;

use crate::app::App;

/// The largest request body accepted (IAM's largest documents are a few tens of KiB).
const BODY_LIMIT: usize = 1024 * 1024;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/_iamlocal/health", get(admin::health))
        .route("/_iamlocal/reset", post(admin::reset))
        .route("/_iamlocal/decisions", get(admin::decisions))
        .route("/", any(pipeline::handle))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

/// Serves until `shutdown` completes, then flushes what is buffered.
pub async fn run(
    listener: TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let flusher = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(2));
            loop {
                tick.tick().await;
                if let Err(e) = app.flush_last_used().await {
                    tracing::warn!(error = %e, "could not record access key use");
                }
            }
        })
    };
    let service = router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    flusher.abort();
    if let Err(e) = app.flush_last_used().await {
        tracing::warn!(error = %e, "could not record access key use");
    }
    app.store.close().await;
    result
}
