//! The web app at `/`: files under `web/` compiled into the binary. Nothing is fetched
//! from elsewhere at run time, and the Content-Security-Policy says so to the browser.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use include_dir::{include_dir, Dir};

static WEB: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/web");

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { asset("index.html") }))
        .route("/{*path}", get(|Path(p): Path<String>| async move { asset(&p) }))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "text/plain; charset=utf-8",
    }
}

fn asset(path: &str) -> Response {
    // Licences and the maintainer's notes stay in the source tree; the rest is served.
    let file = WEB
        .get_file(path)
        .filter(|_| !path.starts_with("vendor/package") && !path.ends_with(".md"));
    let mut r = match file {
        Some(f) => (StatusCode::OK, f.contents()).into_response(),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    };
    let h = r.headers_mut();
    let ct = if file.is_some() {
        content_type(path)
    } else {
        "text/plain; charset=utf-8"
    };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    r
}
