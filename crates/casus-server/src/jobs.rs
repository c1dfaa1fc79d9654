//! Long computations as jobs: `POST /api/jobs {"kind": "assess", "request": {…}}` answers
//! 202 with the job's id at once; `GET /api/jobs/{id}` is its status and progress,
//! `GET /api/jobs/{id}/result` the answer (the same bytes the computation's own endpoint
//! returns), `GET /api/jobs/{id}/events` its progress as server-sent events, and
//! `DELETE /api/jobs/{id}` cancels it: the run stops at its next batch of trials.
//!
//! At most `Limits::jobs` jobs are kept; a new one replaces the oldest finished job, and when
//! every kept job is still running the answer is 429. A job runs within `Limits::job_time`
//! and, like every computation, waits for a free core.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::api::{body, json_text, pretty};
use serde_json::{json, Map, Value};

use crate::openapi::{ok, problems, Components};
use crate::problem::Problem;
use crate::run::{self, Progress, Ticket};
use crate::App;

type Shared = Arc<App>;

/// `POST /api/jobs`: which computation, and its request (the body its own endpoint takes).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct JobRequest {
    /// `simulate`, `assess`, `accession` or `negotiate`.
    #[schemars(schema_with = "kind_schema")]
    pub kind: String,
    /// The body `POST /api/{kind}` takes.
    pub request: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a free core, or running.
    Running,
    /// Cancelled by its client; stops at its next batch.
    Cancelling,
    Done,
    Failed,
    Cancelled,
}

impl Status {
    fn finished(self) -> bool {
        matches!(self, Status::Done | Status::Failed | Status::Cancelled)
    }
}

/// What `GET /api/jobs/{id}` answers.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct JobStatus {
    pub id: String,
    pub kind: String,
    pub status: Status,
    pub progress: Progress,
    /// Why it failed (the problem its own endpoint would have answered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
    /// `/api/jobs/{id}/result`, `/api/jobs/{id}/events`.
    pub result: String,
    pub events: String,
}

enum Outcome {
    Pending,
    Done(String),
    Failed(Problem),
    Cancelled,
}

pub struct Job {
    id: String,
    kind: String,
    ticket: Arc<Ticket>,
    outcome: Mutex<Outcome>,
}

impl Job {
    pub fn status(&self) -> JobStatus {
        let (status, error) = match &*self.outcome.lock().unwrap_or_else(|e| e.into_inner()) {
            Outcome::Pending if self.ticket.is_cancelled() => (Status::Cancelling, None),
            Outcome::Pending => (Status::Running, None),
            Outcome::Done(_) => (Status::Done, None),
            Outcome::Failed(p) => (Status::Failed, Some(p.clone())),
            Outcome::Cancelled => (Status::Cancelled, None),
        };
        JobStatus {
            id: self.id.clone(),
            kind: self.kind.clone(),
            status,
            progress: self.ticket.progress(),
            error,
            result: format!("/api/jobs/{}/result", self.id),
            events: format!("/api/jobs/{}/events", self.id),
        }
    }

    fn finish(&self, r: Result<String, Problem>) {
        let o = match r {
            Ok(text) => Outcome::Done(text),
            Err(_) if self.ticket.is_cancelled() => Outcome::Cancelled,
            Err(p) => Outcome::Failed(p),
        };
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = o;
        self.ticket.bump();
    }
}

/// The jobs kept, oldest first.
#[derive(Default)]
pub struct Jobs {
    inner: Mutex<(u64, VecDeque<Arc<Job>>)>,
}

impl Jobs {
    fn get(&self, id: &str) -> Result<Arc<Job>, Problem> {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.1.iter().find(|j| j.id == id).cloned().ok_or_else(|| {
            Problem::not_found(format!(
                "no job `{id}` (finished jobs are kept until newer ones replace them)"
            ))
        })
    }

    /// A new job, in place of the oldest finished one when `max` are kept.
    fn add(&self, kind: &str, max: usize) -> Result<Arc<Job>, Problem> {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if g.1.len() >= max {
            match g.1.iter().position(|j| j.status().status.finished()) {
                Some(i) => {
                    g.1.remove(i);
                }
                None => {
                    return Err(Problem::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "too-many-jobs",
                        format!(
                            "this server keeps {max} jobs and all are running; wait for one or cancel one"
                        ),
                    ))
                }
            }
        }
        g.0 += 1;
        let job = Arc::new(Job {
            id: g.0.to_string(),
            kind: kind.to_string(),
            ticket: Ticket::new(),
            outcome: Mutex::new(Outcome::Pending),
        });
        g.1.push_back(job.clone());
        Ok(job)
    }

    fn all(&self) -> Vec<Arc<Job>> {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.1.iter().cloned().collect()
    }
}

fn status_response(code: StatusCode, job: &Job) -> Response {
    let mut r = json_text(pretty(&job.status()));
    *r.status_mut() = code;
    r
}

pub async fn create(
    State(app): State<Shared>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let req: JobRequest = body(b)?;
    let work = crate::models::work(&app, &req.kind, req.request)?;
    let job = app.jobs.add(&req.kind, app.limits.jobs)?;
    let (a, j) = (app.clone(), job.clone());
    tokio::spawn(async move {
        let r = run::run(&a, work, j.ticket.clone(), a.limits.job_time).await;
        j.finish(r);
    });
    let mut r = status_response(StatusCode::ACCEPTED, &job);
    if let Ok(v) = HeaderValue::from_str(&format!("/api/jobs/{}", job.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

pub async fn list(State(app): State<Shared>) -> Response {
    let all: Vec<JobStatus> = app.jobs.all().iter().map(|j| j.status()).collect();
    json_text(pretty(&all))
}

pub async fn status(State(app): State<Shared>, Path(id): Path<String>) -> Result<Response, Problem> {
    let job = app.jobs.get(&id)?;
    Ok(status_response(StatusCode::OK, &job))
}

pub async fn result(State(app): State<Shared>, Path(id): Path<String>) -> Result<Response, Problem> {
    let job = app.jobs.get(&id)?;
    let o = job.outcome.lock().unwrap_or_else(|e| e.into_inner());
    match &*o {
        Outcome::Done(text) => Ok(json_text(text.clone())),
        Outcome::Failed(p) => Err(p.clone()),
        Outcome::Cancelled => Err(run::cancelled()),
        Outcome::Pending => Err(Problem::new(
            StatusCode::CONFLICT,
            "not-finished",
            format!("job {id} has not finished; follow /api/jobs/{id}/events or poll /api/jobs/{id}"),
        )),
    }
}

pub async fn cancel(State(app): State<Shared>, Path(id): Path<String>) -> Result<Response, Problem> {
    let job = app.jobs.get(&id)?;
    if !job.status().status.finished() {
        job.ticket.cancel();
    }
    Ok(status_response(StatusCode::ACCEPTED, &job))
}

/// Server-sent events: `progress` with the status at every change, then one `end` with the
/// final status, and the stream closes.
pub async fn events(State(app): State<Shared>, Path(id): Path<String>) -> Result<Response, Problem> {
    let job = app.jobs.get(&id)?;
    let rx = job.ticket.subscribe();
    let stream =
        futures_util::stream::unfold((rx, job, false, true), |(mut rx, job, ended, first)| async move {
            if ended {
                return None;
            }
            // The sender lives in the job's ticket, which this stream holds: `changed` only
            // waits. Progress comes per batch of trials; changes between reads coalesce.
            if !first && rx.changed().await.is_err() {
                return None;
            }
            rx.borrow_and_update();
            let s = job.status();
            let end = s.status.finished();
            let text = format!(
                "event: {}\ndata: {}\n\n",
                if end { "end" } else { "progress" },
                serde_json::to_string(&s).unwrap_or_default()
            );
            Some((Ok::<_, Infallible>(Bytes::from(text)), (rx, job, end, false)))
        });
    let mut r = Body::from_stream(stream).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    Ok(r)
}

fn kind_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": crate::models::KINDS })
}

/// The job paths in the OpenAPI description.
pub fn describe(c: &mut Components, paths: &mut Map<String, Value>) {
    let req = c.add("JobRequest", schemars::schema_for!(JobRequest));
    let status = c.add("JobStatus", schemars::schema_for!(JobStatus));
    let id = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }]);
    let mut created = problems(&["400", "401", "413", "422", "429"]);
    created.insert(
        "202".into(),
        ok(
            status.clone(),
            "Accepted: the job's status (its id, links to its result and events); `Location` names it.",
        ),
    );
    let mut listed = problems(&["401"]);
    listed.insert(
        "200".into(),
        ok(
            json!({ "type": "array", "items": status }),
            "The jobs kept, oldest first.",
        ),
    );
    paths.insert(
        "/api/jobs".into(),
        json!({
            "post": {
                "operationId": "create_job",
                "summary": "Runs a computation as a job: `{\"kind\": \"assess\", \"request\": {…}}`, the request being the body of `POST /api/{kind}`. Same bounds; a longer time limit; cancellable.",
                "requestBody": { "required": true, "content": { "application/json": { "schema": req } } },
                "responses": created
            },
            "get": { "operationId": "list_jobs", "summary": "The jobs kept.", "responses": listed }
        }),
    );
    let mut one = problems(&["401", "404"]);
    one.insert("200".into(), ok(status.clone(), "Its status and progress."));
    let mut cancelled = problems(&["401", "404"]);
    cancelled.insert(
        "202".into(),
        ok(
            status.clone(),
            "Cancelling: the run stops at its next batch; status becomes `cancelled`.",
        ),
    );
    paths.insert(
        "/api/jobs/{id}".into(),
        json!({
            "get": { "operationId": "job_status", "summary": "A job's status and progress.", "parameters": id, "responses": one },
            "delete": { "operationId": "cancel_job", "summary": "Cancels a job.", "parameters": id, "responses": cancelled }
        }),
    );
    let mut result = problems(&["401", "404", "409", "422"]);
    result.insert(
        "200".into(),
        ok(
            json!({ "type": "object" }),
            "The answer: exactly what `POST /api/{kind}` returns for the request.",
        ),
    );
    paths.insert(
        "/api/jobs/{id}/result".into(),
        json!({ "get": { "operationId": "job_result", "summary": "A finished job's answer; a failed job's problem.", "parameters": id, "responses": result } }),
    );
    let mut events = problems(&["401", "404"]);
    events.insert("200".into(), json!({
        "description": "Server-sent events: `progress` (data: the job's status) at each change, then `end` with the final status.",
        "content": { "text/event-stream": { "schema": { "type": "string" } } }
    }));
    paths.insert(
        "/api/jobs/{id}/events".into(),
        json!({ "get": { "operationId": "job_events", "summary": "A job's progress as server-sent events.", "parameters": id, "responses": events } }),
    );
}
