//! `casus serve`: the HTTP API and the web app. Every endpoint turns its request into the
//! typed request of `casus-api`, calls the same function the command line calls and returns
//! the same JSON; errors are `application/problem+json` 4xx. The library is loaded once, by
//! the session, and is read-only here; no endpoint reads a path from a request.
//!
//! Safe by default: binds to 127.0.0.1; a bind on any other address needs a token, which every
//! `/api` request must then carry (`Authorization: Bearer T`); request bodies and the time a
//! computation may take are bounded.

mod api;
mod openapi;
mod problem;
mod web;

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use casus_model::Library;
use casus_session::Session;

pub use openapi::spec;
pub use problem::Problem;

/// Bounds on one request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest request body accepted, in bytes (413 beyond).
    pub body_bytes: usize,
    /// The longest a computation may run before the request is answered with a 422.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 64 * 1024,
            time: Duration::from_secs(10),
        }
    }
}

/// What the handlers share: the library (loaded once), the session (for today's date), the
/// token and the limits.
pub struct App {
    pub library: Arc<Library>,
    pub session: Session,
    pub token: Option<String>,
    pub limits: Limits,
    /// Computations run at most one per core at a time; the rest wait their turn (within the
    /// time limit), so load raises latency, not memory.
    computing: Arc<tokio::sync::Semaphore>,
}

impl App {
    /// Today's date per request (`$CASUS_TODAY` or the clock), so a long-running server
    /// moves with the calendar.
    fn today(&self) -> chrono::NaiveDate {
        self.session
            .today()
            .unwrap_or_else(|_| chrono::Local::now().date_naive())
    }
}

/// A bound server, not yet serving: the address is known (`--port 0` picks one).
pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
}

impl Server {
    /// Binds `addr`. Refuses a non-loopback address without a token, and an empty token.
    pub fn bind(app: App, addr: SocketAddr) -> Result<Self> {
        if app.token.as_deref().is_some_and(|t| t.trim().is_empty()) {
            bail!("--token: give a non-empty token");
        }
        if !addr.ip().is_loopback() && app.token.is_none() {
            bail!(
                "--bind {}: serving beyond this machine needs a token (--token T); every API request must then send `Authorization: Bearer T`",
                addr.ip()
            );
        }
        let listener = TcpListener::bind(addr).with_context(|| format!("cannot bind {addr}"))?;
        listener.set_nonblocking(true)?;
        Ok(Self {
            listener,
            app: Arc::new(app),
        })
    }

    pub fn local_addr(&self) -> Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until the process ends, on a runtime of its own.
    pub fn run(self) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_io()
            .enable_time()
            .build()
            .context("cannot start the server's runtime")?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            axum::serve(listener, router(self.app)).await?;
            Ok(())
        })
    }

    /// Serves on a background thread (for tests and benchmarks); returns the address.
    pub fn spawn(self) -> Result<SocketAddr> {
        let addr = self.local_addr()?;
        std::thread::Builder::new()
            .name("casus-server".into())
            .spawn(move || {
                // The thread's only job is to serve; an error ends it, and the caller's
                // requests then fail to connect.
                let _ = self.run();
            })?;
        Ok(addr)
    }
}

/// The routes: the API under `/api`, the web app everywhere else.
pub fn router(app: Arc<App>) -> axum::Router {
    web::routes().merge(api::routes(app))
}

/// A session and its library, as `casus serve` and the tests make them.
pub fn app(session: Session, token: Option<String>, limits: Limits) -> Result<App> {
    let loaded = session.load_library(&[])?;
    session.today()?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Ok(App {
        library: Arc::new(loaded.library),
        session,
        token,
        limits,
        computing: Arc::new(tokio::sync::Semaphore::new(cores)),
    })
}
