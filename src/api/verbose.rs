//! `--verbose`: the exchange as lines for stderr, `>` for the request and
//! `<` for the answer, every secret masked (the credential, secret fields
//! of a body, anything the server echoes of them).

use std::time::Duration;

use reqwest::{Method, Url};
use scripto_wire::Secret;
use serde_json::Value;

use super::client::USER_AGENT;
use super::decode::{MAX_BODY, RawAnswer};
use super::redact;

/// The request about to be sent; `known` are the secrets to mask.
pub fn request(
    method: &Method,
    url: &Url,
    credential: Option<&Secret>,
    body: Option<&Value>,
    known: &[&str],
) -> String {
    let mut lines = vec![
        format!("> {method} {url}"),
        format!("> user-agent: {USER_AGENT}"),
    ];
    if let Some(credential) = credential {
        lines.push(format!("> authorization: Bearer {}", credential.masked()));
    }
    if let Some(body) = body {
        let mut shown = body.clone();
        redact::redact_json(&mut shown, known);
        lines.push("> content-type: application/json".to_owned());
        lines.push(format!("> {shown}"));
    }
    lines.join("\n")
}

/// The answer as it came, after `elapsed`; the body at most 2000
/// characters when it is not JSON.
pub fn response(raw: &RawAnswer, elapsed: Duration, known: &[&str]) -> String {
    let mut lines = vec![format!("< {} ({} ms)", raw.status, elapsed.as_millis())];
    for (name, value) in &raw.headers {
        let value = value.to_str().unwrap_or("<binary>");
        lines.push(format!("< {name}: {}", redact::redact_text(value, known)));
    }
    if raw.too_big {
        lines.push(format!("< (body over {} KiB, not shown)", MAX_BODY / 1024));
    } else if !raw.body.is_empty() {
        let shown = match serde_json::from_slice::<Value>(&raw.body) {
            Ok(mut json) => {
                redact::redact_json(&mut json, known);
                json.to_string()
            }
            Err(_) => {
                let text = String::from_utf8_lossy(&raw.body);
                let text: String = text.chars().take(2000).collect();
                redact::redact_text(&text, known)
            }
        };
        lines.push(format!("< {shown}"));
    }
    lines.join("\n")
}
