//! Secrets never reach the database or the log in the clear: after a full
//! round of logins and key operations, the database file, its WAL and
//! everything logged (at trace level) are searched for each secret.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Scratch, add_user, last_code, test_config};
use scripto_server::admin::Target;
use scripto_server::spawn_background;
use scripto_wire::types::Role;
use serde_json::{Value, json};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn base32_decode(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = vec![];
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = alphabet.iter().position(|&a| a == c).unwrap() as u64;
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

#[tokio::test]
async fn no_key_password_totp_secret_or_token_is_stored_or_logged_in_the_clear() {
    let log = Captured::default();
    let sink = log.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .init();

    let scratch = Scratch::new();
    let mut config = test_config(&scratch);
    config.limits.code_resend_secs = 0;
    let db = Target::from(&config);
    let server = spawn_background(config).unwrap();
    let url = server.url();
    let http = reqwest::Client::new();
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut req = http.post(format!("{url}{path}")).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };

    let password = "Tr0ub4dor&3-unique-password-9f2c";
    let added = add_user(
        &db,
        "m@example.com",
        Role::Admin,
        Some("Acme"),
        Some(password),
        true,
    );
    let totp_secret = added.totp_secret_base32.clone().unwrap();
    let backup = added.backup_codes.clone().unwrap();

    let r = post(
        "/v1/auth/login",
        None,
        json!({ "email": "m@example.com", "password": password }),
    )
    .await;
    let mfa_token = r["data"]["mfa_token"].as_str().unwrap().to_owned();
    let code = scripto_server::totp_now(&totp_secret);
    let r = post(
        "/v1/auth/login/mfa",
        None,
        json!({ "mfa_token": mfa_token, "totp_code": code }),
    )
    .await;
    let session = r["data"]["access_token"].as_str().unwrap().to_owned();
    let r = post("/v1/keys", Some(&session), json!({ "name": "fresh" })).await;
    let key = r["data"]["api_key"].as_str().unwrap().to_owned();
    let key_id = r["data"]["key"]["id"].as_str().unwrap().to_owned();
    // Use it, revoke it, use it again.
    http.get(format!("{url}/v1/me"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    http.delete(format!("{url}/v1/keys/{key_id}"))
        .bearer_auth(&session)
        .send()
        .await
        .unwrap();
    http.get(format!("{url}/v1/me"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    // A backup-code login and an e-mail-code login too.
    let r = post(
        "/v1/auth/login",
        None,
        json!({ "email": "m@example.com", "password": password }),
    )
    .await;
    let mfa_token2 = r["data"]["mfa_token"].as_str().unwrap().to_owned();
    post(
        "/v1/auth/login/mfa",
        None,
        json!({ "mfa_token": mfa_token2, "backup_code": backup[0] }),
    )
    .await;
    post(
        "/v1/auth/login-request",
        None,
        json!({ "email": "c@example.com" }),
    )
    .await;
    let otp = last_code(server.outbox_path(), "c@example.com");
    let r = post(
        "/v1/auth/login-complete",
        None,
        json!({ "email": "c@example.com", "code": otp }),
    )
    .await;
    let code_key = r["data"]["api_key"].as_str().unwrap().to_owned();
    http.get(format!("{url}/v1/keys"))
        .bearer_auth(&code_key)
        .send()
        .await
        .unwrap();
    // A rotation with a grace, and the new key used.
    let code_key_id = r["data"]["key"]["id"].as_str().unwrap().to_owned();
    let r = post(
        &format!("/v1/keys/{code_key_id}/rotate"),
        Some(&code_key),
        json!({ "grace_seconds": 60 }),
    )
    .await;
    let rotated_key = r["data"]["api_key"].as_str().unwrap().to_owned();
    http.get(format!("{url}/v1/me"))
        .bearer_auth(&rotated_key)
        .send()
        .await
        .unwrap();
    // The audit log records failures and reports: never what was typed.
    let wrong_password = "Wrong-pass-attempt-77-x";
    post(
        "/v1/auth/login",
        None,
        json!({ "email": "m@example.com", "password": wrong_password }),
    )
    .await;
    let events = http
        .get(format!("{url}/v1/audit-events?limit=100"))
        .bearer_auth(&code_key)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        events["data"].as_array().is_some_and(|e| !e.is_empty()),
        "the audit log was written: {events}"
    );
    post(
        "/v1/keys/revoke-leaked",
        None,
        json!({ "keys": [code_key], "source": "leak test" }),
    )
    .await;

    let mut stored = scratch.db.dump();
    drop(server);
    stored.extend(scratch.db.dump());
    let logged = log.0.lock().unwrap().clone();
    assert!(contains(&logged, b"key revoked"), "the log was captured");

    let secrets: Vec<(&str, Vec<u8>)> = vec![
        ("API key", key.as_bytes().to_vec()),
        ("API key's secret part", key.as_bytes()[12..].to_vec()),
        ("code-login API key", code_key.as_bytes()[12..].to_vec()),
        ("rotated API key", rotated_key.as_bytes()[12..].to_vec()),
        ("password", password.as_bytes().to_vec()),
        ("TOTP secret (base32)", totp_secret.as_bytes().to_vec()),
        ("TOTP secret (raw)", base32_decode(&totp_secret)),
        ("session token", session.as_bytes().to_vec()),
        ("MFA token", mfa_token.as_bytes().to_vec()),
        ("backup code", backup[1].as_bytes().to_vec()),
        ("wrong password", wrong_password.as_bytes().to_vec()),
    ];
    for (what, secret) in &secrets {
        assert!(!contains(&stored, secret), "the {what} is in the database");
        assert!(!contains(&logged, secret), "the {what} is in the log");
    }
    // One-time codes are delivered through the log by design (the
    // development mail relay), but never stored in the clear.
    assert!(
        !contains(&stored, otp.as_bytes()),
        "the one-time code is in the database"
    );
}
