//! `imr serve`: a web page and an HTTP API over an imr index.
//!
//! The API answers in the shapes of the command line's `--json` (`/api/search`,
//! `/api/stats`, `/api/similar/{id}`, `/api/items/{id}`, `/api/letters/{id}`,
//! `/api/schema`, `/healthz`); the pages ([`pages`]) are HTML rendered on the
//! server, which work without JavaScript: a search with a facet sidebar, an item
//! with its letter and similar decisions, outcome statistics with a chart.
//!
//! Searches run on blocking threads, within a time budget each ([`state`]); the
//! engine follows the index's live generation, so a run of `imr index` is
//! answered from within a second, without a restart. Everything is read-only.

#![warn(missing_docs)]

mod api;
mod error;
pub mod pages;
mod params;
mod state;

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use imr_search::index::IndexDir;

pub use error::ServeError;
pub use state::AppState;

/// Largest request body read: every endpoint is a GET.
const MAX_BODY_BYTES: usize = 4 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The index served.
    pub index: IndexDir,
    /// Where to listen; port 0 picks a free one.
    pub address: SocketAddr,
    /// Time one request may spend answering.
    pub budget: Duration,
}

/// The routes of the API and the pages, with their security headers and limits.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::search_page))
        .route("/items/{id}", get(pages::item_page))
        .route("/stats", get(pages::stats_page))
        .route("/help", get(pages::help_page))
        .route("/assets/style.css", get(pages::style))
        .route("/api/search", get(api::search))
        .route("/api/stats", get(api::stats))
        .route("/api/similar/{id}", get(api::similar))
        .route("/api/items/{id}", get(api::item))
        .route("/api/letters/{id}", get(api::letter))
        .route("/api/schema", get(api::schema))
        .route("/healthz", get(api::health))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// The headers every answer carries: no script may run (the pages have none), no
/// content type is guessed, no page is framed, no address leaks to other sites.
async fn security_headers(request: axum::extract::Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Serves until Ctrl-C or SIGTERM: prints `listening on http://ADDR:PORT/` to
/// standard output once bound, warns on standard error when the address is not
/// loopback (there is no authentication), and follows the index's generations.
pub async fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let state = AppState::open(options.index.clone(), options.budget).await?;
    let listener = tokio::net::TcpListener::bind(options.address)
        .await
        .map_err(|e| ServeError::Bind(options.address, e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(options.address, e))?;
    if !bound.ip().is_loopback() {
        eprintln!(
            "imr: warning: serving on {bound}, which other machines can reach: there is no authentication, so anyone who can reach it can search the index"
        );
    }
    println!("listening on http://{bound}/");
    let follower = tokio::spawn(state.clone().follow_generations());
    let result = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServeError::Io);
    follower.abort();
    result
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("stopping");
}
