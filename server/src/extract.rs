//! Request bodies and query strings, with every rejection mapped to the
//! error envelope: malformed JSON and wrong types are `invalid_request`
//! (400), values out of range or missing `validation_error` (422), bodies
//! over the limit `payload_too_large` (413). The `Content-Type` is not
//! required: the body is JSON whatever it says.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::ApiErr;
use crate::state::AppState;

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiErr;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiErr> {
        let limit = state.0.config.limits.max_body_bytes;
        let too_large = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|n| n > limit as u64);
        if too_large {
            return Err(ApiErr::payload_too_large(limit));
        }
        let bytes: Bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| ApiErr::payload_too_large(limit))?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Fields whose numeric range is checked before typing, so `-1` or `1e9`
/// is a 422 naming the field rather than a type error.
const RANGED: &[(&str, u64, u64)] = &[
    ("expires_in_days", 1, 1826),
    (
        "expires_in_seconds",
        scripto_wire::types::MIN_EXPIRES_IN_SECONDS,
        scripto_wire::types::MAX_EXPIRES_IN_SECONDS,
    ),
    ("grace_seconds", 0, scripto_wire::types::MAX_GRACE_SECONDS),
];

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiErr> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiErr::invalid_request(
            "the request body is empty; it must be a JSON object",
        ));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiErr::invalid_request(format!("the body is not valid JSON: {e}")))?;
    if let Value::Object(map) = &value {
        for &(field, lo, hi) in RANGED {
            if let Some(Value::Number(n)) = map.get(field) {
                let ok = n.as_u64().is_some_and(|n| (lo..=hi).contains(&n));
                if !ok {
                    return Err(ApiErr::validation(
                        field,
                        format!("must be a whole number from {lo} to {hi}, or null"),
                    ));
                }
            }
        }
    } else {
        return Err(ApiErr::invalid_request("the body must be a JSON object"));
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.inner().to_string();
        let field = if path == "." { String::new() } else { path };
        if let Some(rest) = msg.strip_prefix("missing field ") {
            let name = rest.trim_matches('`');
            ApiErr::validation(name, "is required")
        } else if msg.starts_with("unknown variant") || msg.starts_with("invalid value") {
            ApiErr::validation(&field, msg)
        } else if msg.starts_with("unknown field") {
            ApiErr::invalid_request(msg.clone()).details(json!({ "field": field_name(&msg) }))
        } else {
            ApiErr::invalid_request(format!("`{field}`: {msg}")).details(json!({ "field": field }))
        }
    })
}

fn field_name(msg: &str) -> String {
    msg.split('`').nth(1).unwrap_or_default().to_owned()
}

/// The query string as a map; a malformed one or a repeated name is 400.
pub struct QueryMap(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for QueryMap {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiErr> {
        let q = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded_pairs(q)?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if map.insert(k.clone(), v).is_some() {
                return Err(ApiErr::invalid_request(format!(
                    "query parameter `{k}` is given twice"
                )));
            }
        }
        Ok(QueryMap(map))
    }
}

fn serde_urlencoded_pairs(q: &str) -> Result<Vec<(String, String)>, ApiErr> {
    let uri: axum::http::Uri = format!("/?{q}")
        .parse()
        .map_err(|_| ApiErr::invalid_request("malformed query string"))?;
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|_| ApiErr::invalid_request("malformed query string"))
}

impl QueryMap {
    /// Refuses parameters other than `known`.
    pub fn only(&self, known: &[&str]) -> Result<(), ApiErr> {
        match self.0.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(ApiErr::invalid_request(format!(
                "unknown query parameter `{k}`; known: {}",
                known.join(", ")
            ))),
            None => Ok(()),
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// `limit`: 1–100, default 20.
    pub fn limit(&self) -> Result<usize, ApiErr> {
        match self.get("limit") {
            None => Ok(20),
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => Ok(n),
                _ => Err(ApiErr::validation(
                    "limit",
                    "must be a whole number from 1 to 100",
                )),
            },
        }
    }
}
