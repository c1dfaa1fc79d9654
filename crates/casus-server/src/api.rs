//! The `/api` routes: resources (the registries, each commitment's text beside its encoding)
//! and computations (obligations, cascade, compare), each a call to one `casus-api` function.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use casus_api::Result as ApiResult;
use casus_model::Library;
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::problem::Problem;
use crate::run::{self, Ticket, Work};
use crate::App;
use crate::{jobs, models};

type Shared = Arc<App>;

/// The registries `GET /api/{what}` lists, in the order the spec gives them.
pub const REGISTRIES: &[&str] = &["actors", "places", "orgs", "parameters"];

pub fn routes(app: Shared) -> Router {
    let mut r = Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/commitments", get(commitments))
        .route("/api/commitments/{id}", get(commitment))
        .route("/api/obligations", post(obligations))
        .route("/api/cascade", post(cascade))
        .route("/api/compare", post(compare))
        .route("/api/simulate", post(|s, b| model(s, b, models::simulate)))
        .route("/api/assess", post(|s, b| model(s, b, models::assess)))
        .route(
            "/api/accession",
            post(|s, b| model(s, b, |_, b| models::accession(b))),
        )
        .route(
            "/api/negotiate",
            post(|s, b| model(s, b, |_, b| models::negotiate(b))),
        )
        .route("/api/jobs", get(jobs::list).post(jobs::create))
        .route("/api/jobs/{id}", get(jobs::status).delete(jobs::cancel))
        .route("/api/jobs/{id}/result", get(jobs::result))
        .route("/api/jobs/{id}/events", get(jobs::events));
    for what in REGISTRIES {
        r = r
            .route(&format!("/api/{what}"), get(move |s, q| registry(s, what, q)))
            .route(
                &format!("/api/{what}/{{id}}"),
                get(move |s, p, q| registry_item(s, what, p, q)),
            );
    }
    r.route(
        "/api/{*rest}",
        get(no_such_path).post(no_such_path).delete(no_such_path),
    )
    .method_not_allowed_fallback(method_not_allowed)
    .layer(middleware::from_fn_with_state(app.clone(), guard))
    .layer(DefaultBodyLimit::max(app.limits.body_bytes))
    .with_state(app)
}

/// The token check (when the server has one) and headers every API answer carries.
async fn guard(State(app): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(token) = &app.token {
        let sent = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if sent != Some(token.as_str()) {
            let mut p = Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this server needs a token: send `Authorization: Bearer TOKEN`",
            );
            p.title = "Unauthorized".into();
            return p.into_response();
        }
    }
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn no_such_path() -> Problem {
    Problem::not_found("no such API path; GET /api/openapi.json lists them")
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "this path does not take that method; GET /api/openapi.json lists them",
    )
}

/// JSON as `--format json` prints it: pretty, with a newline (so the bytes match too).
pub fn pretty<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.push('\n');
    text
}

/// A JSON answer, printed as `--format json` prints it.
fn json(v: &serde_json::Value) -> Response {
    json_text(pretty(v))
}

/// A JSON body already printed.
pub fn json_text(text: String) -> Response {
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

async fn openapi() -> Response {
    json(&crate::openapi::spec())
}

/// Query fields the resources take.
#[derive(Debug, Default, Deserialize)]
struct ResourceQuery {
    /// Only entries whose id or name contains this text.
    search: Option<String>,
    /// The date rosters, sovereignty and memberships are read on (default today).
    date: Option<String>,
    /// Only these ids (comma-separated): the map asks for the sovereigns of the places it draws.
    ids: Option<String>,
}

fn query(q: Result<Query<ResourceQuery>, QueryRejection>) -> Result<ResourceQuery, Problem> {
    q.map(|Query(q)| q)
        .map_err(|e| Problem::bad_request(format!("query string: {}", e.body_text())))
}

fn date(app: &App, q: &ResourceQuery) -> Result<NaiveDate, Problem> {
    casus_api::event::date_or_today("date", q.date.as_deref(), app.today())
        .map_err(|d| Problem::from_diagnostic(StatusCode::UNPROCESSABLE_ENTITY, &d))
}

fn listing(app: &App, what: &str, q: &ResourceQuery) -> Result<Vec<serde_json::Value>, Problem> {
    let req = casus_api::list::ListRequest {
        what: what.to_string(),
        search: q.search.clone(),
    };
    let answer = casus_api::list::list(&app.library, date(app, q)?, &req)
        .map_err(|d| Problem::from_diagnostic(StatusCode::UNPROCESSABLE_ENTITY, &d))?;
    match answer.json() {
        serde_json::Value::Array(rows) => Ok(rows),
        _ => Ok(Vec::new()),
    }
}

async fn registry(
    State(app): State<Shared>,
    what: &'static str,
    q: Result<Query<ResourceQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let q = query(q)?;
    let mut rows = listing(&app, what, &q)?;
    if let Some(ids) = &q.ids {
        let wanted: std::collections::BTreeSet<&str> = ids.split(',').map(str::trim).collect();
        rows.retain(|r| {
            r.get("id")
                .and_then(|v| v.as_str())
                .is_some_and(|id| wanted.contains(id))
        });
    }
    Ok(json(&serde_json::Value::Array(rows)))
}

async fn registry_item(
    State(app): State<Shared>,
    what: &'static str,
    Path(id): Path<String>,
    q: Result<Query<ResourceQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let q = query(q)?;
    let rows = listing(
        &app,
        what,
        &ResourceQuery {
            search: None,
            date: q.date,
            ids: None,
        },
    )?;
    let same = |r: &&serde_json::Value| r.get("id").and_then(|v| v.as_str()) == Some(id.as_str());
    match rows.iter().find(same) {
        Some(row) => Ok(json(row)),
        None => {
            let ids: Vec<&str> = rows.iter().filter_map(|r| r.get("id")?.as_str()).collect();
            let mut p = Problem::not_found(format!("no {} with id `{id}`", what.trim_end_matches('s')));
            p.field = Some("id".into());
            p.hints = casus_syntax::did_you_mean(&id, ids.iter().copied())
                .into_iter()
                .map(|s| format!("did you mean {s}?"))
                .collect();
            Err(p)
        }
    }
}

async fn commitments(
    State(app): State<Shared>,
    q: Result<Query<ResourceQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let q = query(q)?;
    Ok(json(&serde_json::Value::Array(listing(&app, "commitments", &q)?)))
}

async fn commitment(State(app): State<Shared>, Path(id): Path<String>) -> Result<Response, Problem> {
    let req = casus_api::show::ShowRequest { id };
    casus_api::show::show(&app.library, &req)
        .map(|a| json(&a.json()))
        .map_err(|d| Problem::from_diagnostic(StatusCode::NOT_FOUND, &d))
}

/// Parses a computation's body: 413 past the size limit, 400 for what is not JSON, 422 for
/// JSON of the wrong shape (with serde's message, which names the field).
pub fn body<R: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<R, Problem> {
    let bytes = body.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                status,
                "too-large",
                "the request body is larger than this server accepts",
            )
        } else {
            Problem::new(
                if status.is_client_error() {
                    status
                } else {
                    StatusCode::BAD_REQUEST
                },
                "malformed-request",
                e.body_text(),
            )
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-request",
                format!("request body: {e}"),
            ),
            _ => Problem::bad_request(format!("request body is not JSON: {e}")),
        }
    })
}

/// Runs one API call off the async threads, within the time limit. Its diagnostic is a 422.
async fn compute<R, F>(app: Shared, req: R, f: F) -> Result<Response, Problem>
where
    R: Send + 'static,
    F: FnOnce(&Library, NaiveDate, R) -> ApiResult<serde_json::Value> + Send + 'static,
{
    let work: Work = Box::new(move |lib, _files, today, _progress| {
        f(lib, today, req)
            .map(|v| pretty(&v))
            .map_err(|d| Problem::from_diagnostic(StatusCode::UNPROCESSABLE_ENTITY, &d))
    });
    let limit = app.limits.time;
    run::run(&app, work, Ticket::new(), limit).await.map(json_text)
}

async fn obligations(
    State(app): State<Shared>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let req: casus_api::obligations::ObligationsRequest = body(b)?;
    compute(app, req, |lib, today, req| {
        casus_api::obligations::obligations(lib, today, &req).map(|a| a.json())
    })
    .await
}

async fn cascade(State(app): State<Shared>, b: Result<Bytes, BytesRejection>) -> Result<Response, Problem> {
    let req: casus_api::cascade::CascadeRequest = body(b)?;
    compute(app, req, |lib, today, req| {
        casus_api::cascade::cascade(lib, today, &req).map(|a| a.json())
    })
    .await
}

async fn compare(State(app): State<Shared>, b: Result<Bytes, BytesRejection>) -> Result<Response, Problem> {
    let req: casus_api::compare::CompareRequest = body(b)?;
    // No capabilities file: the server reads no path a request names.
    compute(app, req, |lib, today, req| {
        casus_api::compare::compare(lib, today, &req, None).map(|a| a.json())
    })
    .await
}

/// A model computation answered at once (within the time limit): its body checked and
/// turned into work by `make`, then run.
async fn model<B: DeserializeOwned>(
    State(app): State<Shared>,
    b: Result<Bytes, BytesRejection>,
    make: fn(&App, B) -> Result<Work, Problem>,
) -> Result<Response, Problem> {
    let work = make(&app, body(b)?)?;
    let limit = app.limits.time;
    run::run(&app, work, Ticket::new(), limit).await.map(json_text)
}
