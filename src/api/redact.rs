//! Masking secrets out of anything the client prints: `--verbose` bodies and
//! headers, and server messages that end up in an error line.
//!
//! Two nets, because either alone can miss: every string field whose name says
//! it is a secret (`api_key`, `password`, `code`, …) is masked wherever it
//! appears in a JSON body, and any text that looks like a scripto key, or is
//! one of the secrets this very request sent, is masked wherever it appears
//! (a server that echoes a key in its error message is caught by both).

use scripto_wire::Secret;
use scripto_wire::key::{KEY_PREFIX, START_LEN};
use serde_json::Value;

/// Field names whose string values are secrets in some request or answer.
const SECRET_FIELDS: &[&str] = &[
    "api_key",
    "access_token",
    "refresh_token",
    "mfa_token",
    "token",
    "code",
    "totp_code",
    "backup_code",
    "backup_codes",
    "password",
    "secret",
    "totp_secret",
];

/// How a secret is shown in place of its value: a key's public `start`, or
/// `***` for anything else.
pub fn mask(value: &str) -> String {
    Secret::new(value).masked()
}

/// Masks in place every secret field and every key-looking string of `value`.
pub fn redact_json(value: &mut Value, known: &[&str]) {
    match value {
        Value::Object(map) => {
            for (name, field) in map.iter_mut() {
                if SECRET_FIELDS.contains(&name.as_str()) {
                    mask_all_strings(field);
                } else {
                    redact_json(field, known);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_json(v, known)),
        Value::String(s) => *s = redact_text(s, known),
        _ => {}
    }
}

fn mask_all_strings(value: &mut Value) {
    match value {
        Value::String(s) => *s = mask(s),
        Value::Array(items) => items.iter_mut().for_each(mask_all_strings),
        Value::Object(map) => map.values_mut().for_each(mask_all_strings),
        _ => {}
    }
}

/// Masks every occurrence of a `known` secret and everything that looks like
/// a scripto key (the prefix followed by a run of base62 characters) in free
/// text.
pub fn redact_text(text: &str, known: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in known {
        // Short strings (a 6-digit code is the shortest secret) could match
        // innocent text by chance; masking them anyway is the safe side.
        if !secret.is_empty() && out.contains(secret) {
            out = out.replace(secret, &mask(secret));
        }
    }
    mask_key_lookalikes(&out)
}

/// `scripto_` followed by at least this many base62 characters is treated as
/// a key or a piece of one.
const MIN_TAIL: usize = 8;

fn mask_key_lookalikes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY_PREFIX) {
        let after = &rest[at + KEY_PREFIX.len()..];
        let tail = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        out.push_str(&rest[..at]);
        if tail >= MIN_TAIL {
            let keep = START_LEN - KEY_PREFIX.len();
            out.push_str(KEY_PREFIX);
            out.push_str(&after[..keep]);
            out.push('…');
        } else {
            out.push_str(KEY_PREFIX);
            out.push_str(&after[..tail]);
        }
        rest = &after[tail..];
    }
    out.push_str(rest);
    out
}

/// Gathers the string values of secret fields of a request body, to mask
/// them if the server echoes them.
pub fn collect_secret_fields(value: &Value, out: &mut Vec<String>) {
    let mut masked = value.clone();
    redact_json(&mut masked, &[]);
    diff_strings(value, &masked, out);
}

fn diff_strings(original: &Value, masked: &Value, out: &mut Vec<String>) {
    match (original, masked) {
        (Value::String(a), Value::String(b)) if a != b => out.push(a.clone()),
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                if let Some(w) = b.get(k) {
                    diff_strings(v, w, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            a.iter().zip(b).for_each(|(v, w)| diff_strings(v, w, out));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "scripto_Ab3dEfGhIjKlMnOpQrStUvWxYz0123450AbCdE";

    #[test]
    fn a_key_in_free_text_keeps_only_its_start() {
        let shown = redact_text(&format!("bad key {KEY}, try again"), &[]);
        assert_eq!(shown, "bad key scripto_Ab3d…, try again");
    }

    #[test]
    fn innocent_words_with_the_prefix_are_left_alone() {
        assert_eq!(redact_text("scripto_cli rocks", &[]), "scripto_cli rocks");
    }

    #[test]
    fn secrets_the_request_sent_are_masked_in_the_answer() {
        let shown = redact_text("password hunter22 is wrong", &["hunter22"]);
        assert_eq!(shown, "password *** is wrong");
    }

    #[test]
    fn secret_fields_are_masked_at_any_depth() {
        let mut body = json!({
            "data": {"api_key": KEY, "key": {"name": "ci", "start": "scripto_Ab3d"},
                     "mfa_token": "opaque", "backup_codes": ["a", "b"]},
            "error": {"message": format!("key {KEY} revoked")}
        });
        redact_json(&mut body, &[]);
        let text = body.to_string();
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("opaque"), "{text}");
        assert_eq!(body["data"]["key"]["name"], "ci");
        assert_eq!(body["data"]["backup_codes"], json!(["***", "***"]));
    }

    #[test]
    fn secret_fields_of_a_request_are_collected() {
        let mut out = Vec::new();
        collect_secret_fields(
            &serde_json::json!({"email": "a@b.c", "password": "hunter22", "nested": {"code": "123456"}}),
            &mut out,
        );
        out.sort();
        assert_eq!(out, ["123456", "hunter22"]);
    }
}
