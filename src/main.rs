use std::process::ExitCode;

use clap::Parser;
use iamlocal::app::App;
use iamlocal::clock::Clock;
use iamlocal::config::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    // Log lines are written by a background thread in batches: one system call per line on
    // the request path cost more than a tenth of a simple call's CPU. The guard flushes what
    // is left when main returns.
    let (log_writer, _log_guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::BufWriter::new(std::io::stderr()));
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("IAMLOCAL_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(log_writer)
        // Colour codes only for a terminal: in files and pipes they are noise (and CPU).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("iamlocal: cannot listen on {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    let db = config.database();
    let app = match App::new(config, Clock::default()).await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("iamlocal: {e} ({db})");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("iamlocal listening on http://{addr}"),
        Err(e) => {
            eprintln!("iamlocal: {e}");
            return ExitCode::FAILURE;
        }
    }
    tracing::info!(database = %db, "ready");
    match iamlocal::server::run(listener, app, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("iamlocal: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
