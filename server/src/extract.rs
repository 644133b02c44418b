//! Request bodies and query strings, with every rejection mapped to the
//! error envelope: malformed JSON and wrong types are `invalid_request`
//! (400), values out of range or missing `validation_error` (422), bodies
//! over the limit `payload_too_large` (413), bodies sent too slowly
//! `request_timeout` (408). The `Content-Type` is not
//! required: the body is JSON whatever it says.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde_json::{Value, json};

use crate::error::ApiErr;
use crate::state::AppState;
use crate::validate::{self, Body, Fields};

pub struct JsonBody<T>(pub T);

impl<T: Body> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiErr;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiErr> {
        let limit = state.limits().max_body_bytes;
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
            .map_err(|e| {
                if crate::conn::is_body_timeout(&e) {
                    ApiErr::request_timeout(state.limits().body_timeout)
                } else {
                    ApiErr::payload_too_large(limit)
                }
            })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// A body, typed and checked; every invalid field is reported at once.
pub fn parse_json<T: Body>(bytes: &[u8]) -> Result<T, ApiErr> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiErr::invalid_request(
            "the request body is empty; it must be a JSON object",
        ));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiErr::invalid_request(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err(ApiErr::invalid_request("the body must be a JSON object"));
    };
    let mut fields = Fields::default();
    validate::precheck::<T>(&mut object, &mut fields);
    // A value out of its set is recorded and left out, and typing goes on,
    // so that the other fields are checked too.
    let typed = loop {
        match serde_path_to_error::deserialize::<_, T>(Value::Object(object.clone())) {
            Ok(t) => break Some(t),
            Err(e) => {
                let path = e.path().to_string();
                let msg = e.inner().to_string();
                let field = if path == "." { String::new() } else { path };
                if let Some(rest) = msg.strip_prefix("missing field ") {
                    fields.add(rest.trim_matches('`'), "is required");
                    break None;
                }
                if msg.starts_with("unknown variant") || msg.starts_with("invalid value") {
                    fields.add(&field, msg);
                    let top = field.split(['.', '[']).next().unwrap_or_default();
                    if object.remove(top).is_none() {
                        break None;
                    }
                    continue;
                }
                // A wrong type or an unknown field: the request itself is
                // malformed (400), unless fields are already known bad.
                if !fields.is_empty() {
                    break None;
                }
                return Err(if msg.starts_with("unknown field") {
                    ApiErr::invalid_request(msg.clone())
                        .details(json!({ "field": field_name(&msg) }))
                } else {
                    ApiErr::invalid_request(format!("`{field}`: {msg}"))
                        .details(json!({ "field": field }))
                });
            }
        }
    };
    if let Some(t) = &typed {
        t.check(&mut fields);
    }
    match typed {
        Some(t) if fields.is_empty() => Ok(t),
        _ => Err(ApiErr::invalid_fields(fields)),
    }
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
    /// `limit`, or 20 with the reason recorded in `fields`.
    pub fn limit_into(&self, fields: &mut Fields) -> usize {
        self.limit().unwrap_or_else(|_| {
            fields.add("limit", "must be a whole number from 1 to 100");
            20
        })
    }

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
