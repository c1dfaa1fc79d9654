//! Running one computation: off the async threads, one per core at a time, within a time
//! limit, with its progress reported and a way to stop it.
//!
//! Stopping: the model crates call a progress callback between batches of trials (on the
//! calling thread, outside their thread pools). The callback here checks the ticket's cancel
//! flag and, when it is set, unwinds with a private [`Cancelled`] payload
//! (`std::panic::resume_unwind`, which runs no panic hook and prints nothing); the worker
//! catches exactly that payload. So a cancelled or timed-out run stops at its next batch and
//! frees its core, without any change to the model crates. Anything else that unwinds is a bug
//! and is answered as a 422 that asks for a report.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use casus_model::Library;
use casus_syntax::SourceFile;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;
use tokio::sync::watch;

use crate::problem::Problem;
use crate::App;

/// The unwinding payload that stops a run.
struct Cancelled;

/// Where a run is: its stage (`simulating`, `bands`, `sensitivity` …) and how far.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Progress {
    pub stage: String,
    pub done: u64,
    pub planned: u64,
}

/// One run's controls: its cancel flag and its progress, watched by whoever waits on it.
pub struct Ticket {
    cancel: AtomicBool,
    progress: Mutex<Progress>,
    /// Bumped on every change (progress or end), so listeners wake.
    changed: watch::Sender<u64>,
}

impl Ticket {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            cancel: AtomicBool::new(false),
            progress: Mutex::new(Progress {
                stage: "queued".into(),
                ..Progress::default()
            }),
            changed: watch::channel(0).0,
        })
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
        self.bump();
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    pub fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or_default()
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    pub fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// The progress callback handed to the model: records where the run is, and stops it
    /// when it has been cancelled.
    fn report(&self, stage: &str, done: u64, planned: u64) {
        if self.is_cancelled() {
            panic::resume_unwind(Box::new(Cancelled));
        }
        if let Ok(mut p) = self.progress.lock() {
            if p.stage != stage {
                p.stage = stage.to_string();
            }
            p.done = done;
            p.planned = planned;
        }
        self.bump();
    }
}

/// What a computation needs: the library and its files (for the header's hash), today, and
/// the progress callback `(stage, done, planned)`. It returns the response body, exactly as
/// the command line prints it with `--format json`.
pub type Work = Box<
    dyn FnOnce(&Library, &[SourceFile], NaiveDate, &mut dyn FnMut(&str, u64, u64)) -> Result<String, Problem>
        + Send,
>;

/// A problem for a run stopped by the client.
pub fn cancelled() -> Problem {
    Problem::new(StatusCode::CONFLICT, "cancelled", "the computation was cancelled")
}

pub fn time_limit(limit: Duration) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "time-limit",
        format!(
            "the computation took longer than this server allows ({} s); ask for less",
            limit.as_secs()
        ),
    )
}

/// Cancels its ticket when dropped before [`run`] ends: a client that hangs up on a
/// synchronous request (its handler is dropped) stops the computation it asked for.
struct CancelOnDrop(Option<Arc<Ticket>>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            t.cancel();
        }
    }
}

/// Runs `work` on the blocking pool once a core is free, within `limit`. At the limit, or
/// when the caller stops waiting, the run is cancelled (it stops at its next batch); at the
/// limit the answer is a 422.
pub async fn run(app: &App, work: Work, ticket: Arc<Ticket>, limit: Duration) -> Result<String, Problem> {
    let mut guard = CancelOnDrop(Some(ticket.clone()));
    let today = app.today();
    let lib = app.library.clone();
    let files = app.files.clone();
    let computing = app.computing.clone();
    let t = ticket.clone();
    let task = async move {
        // The semaphore is never closed, so a permit always comes. The permit goes with the
        // computation: one abandoned at the time limit holds its core until it stops.
        let permit = computing.acquire_owned().await;
        if t.is_cancelled() {
            return Err(cancelled());
        }
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut report = |s: &str, d: u64, n: u64| t.report(s, d, n);
            report("running", 0, 0);
            let out = panic::catch_unwind(AssertUnwindSafe(|| work(&lib, &files, today, &mut report)));
            match out {
                Ok(r) => r,
                Err(payload) if payload.is::<Cancelled>() => Err(cancelled()),
                Err(_) => Err(Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "not-computable",
                    "this request could not be computed; please report it with its body",
                )),
            }
        })
        .await
        .unwrap_or_else(|_| Err(cancelled()))
    };
    let out = tokio::time::timeout(limit, task).await;
    guard.0 = None;
    match out {
        Ok(Ok(text)) if text.len() > crate::models::bounds::ANSWER_BYTES => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too-large-answer",
            format!(
                "the answer would be {} MiB, more than this server returns ({} MiB); ask for less (fewer rounds, fewer trials kept)",
                text.len() >> 20,
                crate::models::bounds::ANSWER_BYTES >> 20
            ),
        )),
        Ok(r) => r,
        Err(_) => {
            ticket.cancel();
            Err(time_limit(limit))
        }
    }
}
