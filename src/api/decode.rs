//! Judging an answer: the bytes a server sent, once they are off the wire,
//! become the decoded `data` or the one [`Error`] that describes them. Pure:
//! no I/O, so every kind of answer (a scripto error, an HTML page from a
//! proxy, an empty or truncated body) is tested here without a server.

use scripto_wire::codes;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use scripto_wire::types::{ApiError, Pagination};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::client::Answer;
use super::redact;
use crate::error::{Error, ErrorKind, Result};

/// No answer of this API comes near this; a bigger one is not from a scripto
/// server, and reading on would only use memory.
pub const MAX_BODY: usize = 1024 * 1024;

/// An answer as it came off the wire, before it is judged.
pub struct RawAnswer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub retry_after: Option<Duration>,
    pub request_id: Option<String>,
    pub content_type: String,
    pub body: Vec<u8>,
    pub too_big: bool,
}

/// The success envelope, read leniently: only `data` is required.
#[derive(serde::Deserialize)]
struct SuccessEnvelope<T> {
    data: T,
    #[serde(default)]
    meta: Option<MetaIn>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

#[derive(serde::Deserialize)]
struct ErrorEnvelopeIn {
    error: ApiError,
    #[serde(default)]
    meta: Option<MetaIn>,
}

#[derive(serde::Deserialize)]
struct MetaIn {
    #[serde(default)]
    request_id: Option<String>,
}

/// Turns an answer into the decoded data or the one error that describes it.
pub fn decode<T: DeserializeOwned>(
    what: &str,
    raw: RawAnswer,
    known: &[&str],
) -> Result<Answer<T>> {
    let status = raw.status;
    if raw.too_big {
        return Err(with_request_id(
            Error::new(
                kind_for_status(status).unwrap_or(ErrorKind::Unexpected),
                format!(
                    "the answer to {what} is larger than {} KiB (HTTP {}); is --api-url a scripto server?",
                    MAX_BODY / 1024,
                    status.as_u16()
                ),
            )
            .with_code(codes::cli::BAD_RESPONSE),
            raw.request_id.as_deref(),
        ));
    }
    if status.is_success() {
        return match serde_json::from_slice::<SuccessEnvelope<T>>(&raw.body) {
            Ok(envelope) => Ok(Answer {
                data: envelope.data,
                pagination: envelope.pagination,
                request_id: envelope.meta.and_then(|m| m.request_id).or(raw.request_id),
            }),
            Err(err) => Err(with_request_id(
                Error::unexpected(format!(
                    "the answer to {what} (HTTP {}) {}",
                    status.as_u16(),
                    BadBody::of(&raw, &err, known).as_predicate()
                ))
                .with_code(codes::cli::BAD_RESPONSE),
                raw.request_id.as_deref(),
            )),
        };
    }
    let kind = kind_for_status(status).unwrap_or(ErrorKind::Unexpected);
    match serde_json::from_slice::<ErrorEnvelopeIn>(&raw.body) {
        Ok(envelope) => {
            let request_id = envelope.meta.and_then(|m| m.request_id).or(raw.request_id);
            Err(from_api_error(
                kind,
                status,
                envelope.error,
                request_id.as_deref(),
                known,
            ))
        }
        Err(err) => {
            let reason = status.canonical_reason().unwrap_or("");
            let message = format!(
                "the server answered {what} with HTTP {} {reason} and {}",
                status.as_u16(),
                BadBody::of(&raw, &err, known).as_object()
            );
            let mut error = Error::new(kind, message).with_code(default_code_for(status, kind));
            if let Some(wait) = raw.retry_after {
                error = error.with_details(json!({ "retry_after": wait.as_secs() }));
            }
            Err(with_request_id(error, raw.request_id.as_deref()))
        }
    }
}

/// The server's error, kept as it said it (masked), with its request id.
fn from_api_error(
    kind: ErrorKind,
    status: StatusCode,
    api: ApiError,
    request_id: Option<&str>,
    known: &[&str],
) -> Error {
    let mut message = redact::redact_text(&api.message, known);
    if message.trim().is_empty() {
        message = format!("the server answered HTTP {}", status.as_u16());
    }
    let mut error = Error::new(kind, message).with_code(api.code);
    if let Some(next) = api.next_action {
        error = error.with_next_action(redact::redact_text(&next, known));
    }
    if let Some(mut details) = api.details {
        redact::redact_json(&mut details, known);
        error = error.with_details(details);
    }
    with_request_id(error, request_id)
}

/// Adds the request id to `details` and to the line, so a person can quote it.
fn with_request_id(mut error: Error, request_id: Option<&str>) -> Error {
    let Some(id) = request_id else {
        return error;
    };
    let id = redact::redact_text(id, &[]);
    error.message = format!("{} (request {id})", error.message);
    let mut details = match error.details.take() {
        Some(Value::Object(map)) => map,
        Some(other) => {
            let mut map = serde_json::Map::new();
            map.insert("server_details".to_owned(), other);
            map
        }
        None => serde_json::Map::new(),
    };
    details.insert("request_id".to_owned(), Value::String(id));
    error.details = Some(Value::Object(details));
    error
}

/// The exit-code kind of an HTTP status; `None` for anything unforeseen.
pub fn kind_for_status(status: StatusCode) -> Option<ErrorKind> {
    Some(match status.as_u16() {
        // 409: the request conflicts with the state (a key already rotated).
        400 | 409 | 413 | 422 => ErrorKind::Usage,
        // 410 is a one-time code that is used up or too old: log in again.
        401 | 410 => ErrorKind::NotAuthenticated,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Unexpected,
        _ => return None,
    })
}

fn default_code_for(status: StatusCode, kind: ErrorKind) -> &'static str {
    match status.as_u16() {
        500..=599 => codes::kind::SERVER_ERROR,
        _ => kind.default_code(),
    }
}

/// Why a body that should be JSON could not be read.
enum BadBody {
    Empty,
    Html,
    NotJson(String),
    WrongShape(String),
}

impl BadBody {
    /// serde's message may quote a value from the body, so it is masked like
    /// anything else the server sent.
    fn of(raw: &RawAnswer, err: &serde_json::Error, known: &[&str]) -> Self {
        if raw.body.iter().all(u8::is_ascii_whitespace) {
            return Self::Empty;
        }
        let first = raw.body.iter().find(|b| !b.is_ascii_whitespace());
        if raw.content_type.contains("html") || first == Some(&b'<') {
            return Self::Html;
        }
        let why = redact::redact_text(&err.to_string(), known);
        if err.is_syntax() || err.is_eof() {
            Self::NotJson(why)
        } else {
            Self::WrongShape(why)
        }
    }

    /// Ends "the answer to GET /v1/keys (HTTP 200) …".
    fn as_predicate(&self) -> String {
        match self {
            Self::Empty => "was empty".to_owned(),
            Self::Html => "was an HTML page, not JSON; is --api-url a scripto server?".to_owned(),
            Self::NotJson(why) => format!("was not valid JSON ({why})"),
            Self::WrongShape(why) => format!("did not have the expected shape ({why})"),
        }
    }

    /// Ends "the server answered GET /v1/keys with HTTP 502 Bad Gateway and …".
    fn as_object(&self) -> String {
        match self {
            Self::Empty => "an empty body".to_owned(),
            Self::Html => "an HTML page, not JSON; is --api-url a scripto server?".to_owned(),
            Self::NotJson(_) => "a body that is not JSON".to_owned(),
            Self::WrongShape(_) => "a body that is not a scripto error".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, content_type: &str, body: &str) -> RawAnswer {
        RawAnswer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            retry_after: None,
            request_id: Some("req_fromheader".to_owned()),
            content_type: content_type.to_owned(),
            body: body.as_bytes().to_vec(),
            too_big: false,
        }
    }

    fn error_of(answer: RawAnswer) -> Error {
        decode::<Value>("GET /v1/me", answer, &["scripto_SECRETSECRET"]).unwrap_err()
    }

    #[test]
    fn statuses_map_to_the_exit_code_table() {
        let code =
            |s: u16| kind_for_status(StatusCode::from_u16(s).unwrap()).map(|k| k.exit_code());
        assert_eq!(
            [400, 401, 403, 404, 422, 429, 500, 502].map(code),
            [2, 3, 4, 5, 2, 6, 1, 1].map(Some)
        );
    }

    #[test]
    fn a_success_gives_its_data_and_the_envelope_request_id() {
        let answer = decode::<Vec<u32>>(
            "GET /v1/keys",
            raw(200, "application/json", r#"{"data":[1,2],"meta":{"request_id":"req_body"},"pagination":{"has_more":true,"next_cursor":"c"}}"#),
            &[],
        )
        .unwrap();
        assert_eq!(answer.data, [1, 2]);
        assert_eq!(answer.request_id.as_deref(), Some("req_body"));
        assert!(answer.pagination.unwrap().has_more);
    }

    #[test]
    fn a_server_error_keeps_its_code_and_next_step_with_secrets_masked() {
        let err = error_of(raw(
            403,
            "application/json",
            r#"{"error":{"code":"scope_denied","message":"key scripto_SECRETSECRET may not","next_action":"ask"},"meta":{"request_id":"req_x"}}"#,
        ));
        assert_eq!(err.exit_code(), 4);
        assert_eq!(err.code, "scope_denied");
        assert_eq!(err.next_action.as_deref(), Some("ask"));
        assert!(!err.message.contains("SECRETSECRET"), "{}", err.message);
        assert!(err.message.ends_with("(request req_x)"), "{}", err.message);
        assert_eq!(err.details.unwrap()["request_id"], "req_x");
    }

    #[test]
    fn a_body_that_is_not_a_scripto_answer_is_one_line_naming_what_it_was() {
        let html = error_of(raw(502, "text/html", "<html>bad gateway</html>"));
        assert_eq!(html.code, "server_error");
        assert!(html.message.contains("an HTML page"), "{}", html.message);
        let empty = error_of(raw(200, "application/json", "  "));
        assert_eq!(empty.code, "bad_response");
        assert!(empty.message.contains("was empty"), "{}", empty.message);
        let cut = error_of(raw(200, "application/json", r#"{"data": [1,"#));
        assert!(
            cut.message.contains("was not valid JSON"),
            "{}",
            cut.message
        );
        let shape = error_of(raw(200, "application/json", r#"{"nothing": 1}"#));
        assert!(
            shape.message.contains("expected shape"),
            "{}",
            shape.message
        );
        for err in [html, empty, cut, shape] {
            assert!(!err.message.contains('\n'), "{}", err.message);
        }
    }

    #[test]
    fn an_oversized_answer_is_refused_with_the_kind_of_its_status() {
        let mut big = raw(404, "application/json", "");
        big.too_big = true;
        let err = error_of(big);
        assert_eq!(err.exit_code(), 5);
        assert_eq!(err.code, "bad_response");
        assert!(
            err.message.contains("larger than 1024 KiB"),
            "{}",
            err.message
        );
    }
}
