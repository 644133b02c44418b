//! The console's stylesheet and script, embedded in the binary and served
//! under a name that carries a digest of their content: cached for a year,
//! and a new build's assets get new names.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::errors::not_found_page;
use crate::util::{hex, sha256};

const CSS: &str = include_str!("assets/console.css");
const JS: &str = include_str!("assets/console.js");

/// The tab's icon: a key, as a `data:` URI (CSP `img-src data:`).
pub const ICON_DATA_URI: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%232456d3' stroke-width='2.5'%3E%3Ccircle cx='7.5' cy='15.5' r='4.5'/%3E%3Cpath d='M10.7 12.3 21 2m-4 4 3 3'/%3E%3C/svg%3E";

fn named(stem: &str, ext: &str, content: &str) -> String {
    format!(
        "/assets/{stem}-{}.{ext}",
        &hex(&sha256(content.as_bytes()))[..12]
    )
}

pub fn css_path() -> &'static str {
    static P: OnceLock<String> = OnceLock::new();
    P.get_or_init(|| named("console", "css", CSS))
}

pub fn js_path() -> &'static str {
    static P: OnceLock<String> = OnceLock::new();
    P.get_or_init(|| named("console", "js", JS))
}

pub async fn serve(Path(file): Path<String>, uri: axum::http::Uri) -> Response {
    let path = format!("/assets/{file}");
    let (body, kind) = if path == css_path() {
        (CSS, "text/css; charset=utf-8")
    } else if path == js_path() {
        (JS, "text/javascript; charset=utf-8")
    } else {
        return not_found_page(uri).await;
    };
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    resp
}
