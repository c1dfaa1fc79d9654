//! Errors as RFC 9457 `application/problem+json`: always a 4xx the client can act on, with
//! the diagnostic's message, the request field it concerns and its hints.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use casus_api::Diagnostic;
use schemars::JsonSchema;
use serde::Serialize;

/// What every error response carries.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:casus:problem:…`).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request field the problem concerns (`attacker`, `date` …), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// "Did you mean" suggestions and other help.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:casus:problem:{kind}"),
            title: status.canonical_reason().unwrap_or("error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            hints: Vec::new(),
        }
    }

    /// A diagnostic from the API, as `status` (404 for an unknown resource id, 422 for a
    /// request the API rejects).
    pub fn from_diagnostic(status: StatusCode, d: &Diagnostic) -> Self {
        Self {
            field: d.field.clone().filter(|f| !f.is_empty()),
            hints: d.hints.clone(),
            ..Self::new(status, "invalid-request", d.message.clone())
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed-request", detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}
