//! Every endpoint and every error code of the contract, through the router
//! with `oneshot` (no socket).

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, add_user, last_code};
use scripto_wire::types::Role;
use serde_json::json;

fn strip_request_id(mut v: serde_json::Value) -> serde_json::Value {
    v["meta"]["request_id"] = json!(null);
    v
}

// ---- basics -------------------------------------------------------------------

#[tokio::test]
async fn health_answers_ok_with_request_id_and_rate_limit_headers() {
    let t = TestApp::new();
    let r = t.call(Method::GET, "/v1/health", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.data()["status"], "ok");
    assert!(r.data()["version"].is_string());
    let id = r.headers["x-request-id"].to_str().unwrap();
    assert!(id.starts_with("req_"));
    assert_eq!(r.body["meta"]["request_id"], id);
    assert_eq!(r.headers["x-ratelimit-limit"], "600");
    assert_eq!(r.headers["x-ratelimit-remaining"], "599");
    assert_eq!(r.headers["cache-control"], "no-store");
    assert!(
        r.headers["x-ratelimit-reset"]
            .to_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 1_700_000_000
    );
}

#[tokio::test]
async fn an_unknown_route_is_not_found_in_the_envelope() {
    let t = TestApp::new();
    let r = t.call(Method::GET, "/v1/nope", None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    assert!(r.headers.contains_key("x-request-id"));
    let r = t.call(Method::PUT, "/v1/health", None, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.code(), "method_not_allowed");
}

#[tokio::test]
async fn malformed_json_is_invalid_request() {
    let t = TestApp::new();
    let req = Request::post("/v1/auth/login-request")
        .body(Body::from("{\"email\": "))
        .unwrap();
    let r = t.raw(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "invalid_request");
    for body in ["", "[]", "\"a@b.c\""] {
        let req = Request::post("/v1/auth/login-request")
            .body(Body::from(body))
            .unwrap();
        let r = t.raw(req).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "invalid_request"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_wrong_type_or_unknown_field_is_invalid_request() {
    let t = TestApp::new();
    let r = t
        .post("/v1/auth/login-request", None, json!({ "email": 5 }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_request")
    );
    let r = t
        .post(
            "/v1/auth/login-request",
            None,
            json!({ "email": "a@b.c", "emial": "x" }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_request")
    );
    assert_eq!(r.body["error"]["details"]["field"], "emial");
}

#[tokio::test]
async fn a_missing_field_is_a_validation_error_naming_it() {
    let t = TestApp::new();
    let r = t
        .post("/v1/auth/login", None, json!({ "email": "a@b.c" }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_error")
    );
    assert!(r.body["error"]["details"]["fields"]["password"].is_string());
}

#[tokio::test]
async fn a_body_over_64_kib_is_payload_too_large() {
    let t = TestApp::new();
    let big = json!({ "email": "a".repeat(70 * 1024) });
    let r = t.post("/v1/auth/login-request", None, big.clone()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    // Without a Content-Length (streamed), the limit still holds.
    let stream = futures_stream(big.to_string().into_bytes());
    let req = Request::post("/v1/auth/login-request")
        .body(stream)
        .unwrap();
    let r = t.raw(req).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
}

fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(8192).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(tokio_stream_iter(chunks))
}

fn tokio_stream_iter(
    items: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    struct Iter(std::vec::IntoIter<Result<Vec<u8>, std::io::Error>>);
    impl futures_core::Stream for Iter {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Iter(items.into_iter())
}

#[tokio::test]
async fn a_database_failure_is_a_bare_internal_error() {
    let t = TestApp::new();
    let key = t.code_login("a@b.c").await;
    t.sql("DROP TABLE api_keys");
    // The cached key still authenticates; the listing fails.
    let r = t.get("/v1/keys", &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
    );
    let msg = r.body["error"]["message"].as_str().unwrap();
    assert!(
        !msg.contains("api_keys") && !msg.to_lowercase().contains("sql"),
        "{msg}"
    );
}

// ---- e-mail codes ---------------------------------------------------------------

#[tokio::test]
async fn login_request_answers_the_same_for_known_and_unknown_addresses() {
    let t = TestApp::new();
    add_user(
        t.db(),
        "known@example.com",
        Role::Developer,
        None,
        None,
        false,
    );
    let a = t
        .post(
            "/v1/auth/login-request",
            None,
            json!({ "email": "known@example.com" }),
        )
        .await;
    let b = t
        .post(
            "/v1/auth/login-request",
            None,
            json!({ "email": "unknown@example.com" }),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    assert_eq!(b.status, StatusCode::ACCEPTED);
    assert_eq!(a.data()["expires_in"], 600);
    assert_eq!(b.data()["expires_in"], 600);
    assert_eq!(
        a.data().as_object().unwrap().len(),
        b.data().as_object().unwrap().len()
    );
    assert_eq!(last_code(&t.outbox(), "known@example.com").len(), 6);
    assert_eq!(last_code(&t.outbox(), "unknown@example.com").len(), 6);
}

#[tokio::test]
async fn login_request_with_a_bad_email_is_a_validation_error() {
    let t = TestApp::new();
    let r = t
        .post(
            "/v1/auth/login-request",
            None,
            json!({ "email": "not-an-address" }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_error")
    );
    assert!(r.body["error"]["details"]["fields"]["email"].is_string());
}

#[tokio::test]
async fn a_second_send_within_the_cool_down_is_rate_limited_with_retry_after() {
    let t = TestApp::new();
    let body = json!({ "email": "a@b.c" });
    assert_eq!(
        t.post("/v1/auth/login-request", None, body.clone())
            .await
            .status,
        StatusCode::ACCEPTED
    );
    let r = t.post("/v1/auth/login-request", None, body).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry));
    assert_eq!(r.body["error"]["details"]["retry_after"], retry);
    assert_eq!(r.headers["x-ratelimit-remaining"], "0");
    assert!(r.body["error"]["next_action"].is_string());
}

#[tokio::test]
async fn code_login_signs_an_unknown_address_up_as_admin_of_a_new_organization() {
    let t = TestApp::new();
    t.post(
        "/v1/auth/login-request",
        None,
        json!({ "email": "New@Example.com" }),
    )
    .await;
    let code = last_code(&t.outbox(), "new@example.com");
    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "new@example.com", "code": code, "key_name": "laptop", "expires_in_days": 30 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let key = r.data()["api_key"].as_str().unwrap();
    assert!(scripto_wire::check_key(key).is_ok());
    assert_eq!(r.data()["key"]["name"], "laptop");
    assert_eq!(r.data()["key"]["start"], &key[..12]);
    assert_eq!(r.data()["key"]["scopes"], json!(["read", "write"]));
    assert!(r.data()["key"]["expires_at"].is_string());
    assert_eq!(r.data()["user"]["role"], "admin");
    let me = t.get("/v1/me", key).await;
    assert_eq!(me.data()["user"]["email"], "new@example.com");
    assert_eq!(me.data()["organization"]["plan"], "free");
}

#[tokio::test]
async fn login_complete_without_key_name_or_expiry_makes_a_non_expiring_scripto_cli_key() {
    let t = TestApp::new();
    t.post("/v1/auth/login-request", None, json!({ "email": "a@b.c" }))
        .await;
    let code = last_code(&t.outbox(), "a@b.c");
    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "a@b.c", "code": code, "expires_in_days": null }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.data()["key"]["name"], "scripto-cli");
    assert_eq!(r.data()["key"]["expires_at"], json!(null));
}

#[tokio::test]
async fn a_wrong_code_is_otp_invalid_and_five_burn_it() {
    let t = TestApp::new();
    t.post("/v1/auth/login-request", None, json!({ "email": "a@b.c" }))
        .await;
    let code = last_code(&t.outbox(), "a@b.c");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for remaining in (0..5).rev() {
        let r = t
            .post(
                "/v1/auth/login-complete",
                None,
                json!({ "email": "a@b.c", "code": wrong }),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "otp_invalid")
        );
        assert_eq!(r.body["error"]["details"]["attempts_remaining"], remaining);
    }
    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "a@b.c", "code": code }),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::GONE, "otp_expired"));
}

#[tokio::test]
async fn a_used_or_old_or_never_sent_code_is_otp_expired() {
    let t = TestApp::new();
    t.post("/v1/auth/login-request", None, json!({ "email": "a@b.c" }))
        .await;
    let code = last_code(&t.outbox(), "a@b.c");
    let body = json!({ "email": "a@b.c", "code": code });
    assert_eq!(
        t.post("/v1/auth/login-complete", None, body.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    let r = t.post("/v1/auth/login-complete", None, body).await;
    assert_eq!((r.status, r.code()), (StatusCode::GONE, "otp_expired"));

    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "never@b.c", "code": "123456" }),
        )
        .await;
    assert_eq!(r.code(), "otp_expired");

    t.post(
        "/v1/auth/login-request",
        None,
        json!({ "email": "old@b.c" }),
    )
    .await;
    let code = last_code(&t.outbox(), "old@b.c");
    t.sql("UPDATE login_codes SET expires_at = 0");
    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "old@b.c", "code": code }),
        )
        .await;
    assert_eq!(r.code(), "otp_expired");
}

#[tokio::test]
async fn expires_in_days_outside_1_to_1826_is_a_validation_error() {
    let t = TestApp::new();
    for bad in [json!(0), json!(1827), json!(-1), json!(1e12)] {
        let r = t
            .post(
                "/v1/auth/login-complete",
                None,
                json!({ "email": "a@b.c", "code": "123456", "expires_in_days": bad }),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_error"),
            "{bad}"
        );
        assert!(r.body["error"]["details"]["fields"]["expires_in_days"].is_string());
    }
    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "a@b.c", "code": "123456", "expires_in_days": "30" }),
        )
        .await;
    assert_eq!(r.code(), "invalid_request");
}

// ---- password login and MFA -------------------------------------------------------

#[tokio::test]
async fn password_login_without_mfa_gives_a_session_that_works() {
    let t = TestApp::new();
    add_user(
        t.db(),
        "p@b.c",
        Role::Developer,
        None,
        Some("s3cret pass"),
        false,
    );
    let r = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "p@b.c", "password": "s3cret pass" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.data()["token_type"], "Bearer");
    assert_eq!(r.data()["expires_in"], 900);
    let token = r.data()["access_token"].as_str().unwrap();
    let me = t.get("/v1/me", token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.data()["credential"]["type"], "session");
    assert!(me.data()["credential"]["key_id"].is_null());
    // A session mints the CLI's own key.
    let (key, _) = t.create_key(token, json!({ "name": "cli" })).await;
    assert_eq!(t.get("/v1/me", &key).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let t = TestApp::new();
    add_user(t.db(), "p@b.c", Role::Developer, None, Some("right"), false);
    add_user(t.db(), "nopass@b.c", Role::Developer, None, None, false);
    let a = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "p@b.c", "password": "wrong" }),
        )
        .await;
    let b = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "who@b.c", "password": "wrong" }),
        )
        .await;
    let c = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "nopass@b.c", "password": "" }),
        )
        .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    assert_eq!(strip_request_id(a.body), strip_request_id(b.body.clone()));
    assert_eq!(strip_request_id(c.body), strip_request_id(b.body));
}

#[tokio::test]
async fn password_guessing_is_rate_limited_per_address() {
    let t = TestApp::with(|c| c.limits.login_per_minute_per_email = 3);
    add_user(t.db(), "p@b.c", Role::Developer, None, Some("right"), false);
    for _ in 0..3 {
        let r = t
            .post(
                "/v1/auth/login",
                None,
                json!({ "email": "p@b.c", "password": "x" }),
            )
            .await;
        assert_eq!(r.code(), "invalid_credentials");
    }
    let r = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "p@b.c", "password": "right" }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert!(r.headers.contains_key("retry-after"));
}

async fn mfa_token(t: &TestApp, email: &str, password: &str) -> String {
    let r = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": email, "password": password }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.data()["mfa_required"], true);
    assert_eq!(r.data()["methods"], json!(["totp", "backup_code"]));
    assert_eq!(r.data()["expires_in"], 300);
    assert!(r.data().get("access_token").is_none());
    r.data()["mfa_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_totp_code_completes_the_login_once() {
    let t = TestApp::new();
    let added = add_user(t.db(), "m@b.c", Role::Developer, None, Some("pw"), true);
    let secret = added.totp_secret_base32.unwrap();
    assert!(added.totp_uri.unwrap().starts_with("otpauth://totp/"));
    let code = scripto_server::totp_now(&secret);
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert!(
        r.data()["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sst_")
    );
    // The same code again, on a fresh challenge: refused.
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "mfa_invalid")
    );
    assert_eq!(r.body["error"]["details"]["reason"], "reused");
}

#[tokio::test]
async fn a_backup_code_works_once() {
    let t = TestApp::new();
    let added = add_user(t.db(), "m@b.c", Role::Developer, None, Some("pw"), true);
    let codes = added.backup_codes.unwrap();
    assert_eq!(codes.len(), 10);
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "backup_code": codes[0].to_uppercase() }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "backup_code": codes[0] }),
        )
        .await;
    assert_eq!(r.code(), "mfa_invalid");
}

#[tokio::test]
async fn an_mfa_challenge_is_burnt_by_five_failures_and_unknown_ones_are_expired() {
    let t = TestApp::new();
    add_user(t.db(), "m@b.c", Role::Developer, None, Some("pw"), true);
    let token = mfa_token(&t, "m@b.c", "pw").await;
    for remaining in (0..5).rev() {
        let r = t
            .post(
                "/v1/auth/login/mfa",
                None,
                json!({ "mfa_token": token, "backup_code": "nope-nope" }),
            )
            .await;
        assert_eq!(r.code(), "mfa_invalid");
        assert_eq!(r.body["error"]["details"]["attempts_remaining"], remaining);
    }
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": "123456" }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "mfa_challenge_expired")
    );
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": "mfa_unknown", "totp_code": "123456" }),
        )
        .await;
    assert_eq!(r.code(), "mfa_challenge_expired");
    let token = mfa_token(&t, "m@b.c", "pw").await;
    t.sql("UPDATE mfa_challenges SET expires_at = 0");
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": "123456" }),
        )
        .await;
    assert_eq!(r.code(), "mfa_challenge_expired");
}

#[tokio::test]
async fn the_mfa_step_needs_exactly_one_factor() {
    let t = TestApp::new();
    let r = t
        .post("/v1/auth/login/mfa", None, json!({ "mfa_token": "mfa_x" }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_error")
    );
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": "mfa_x", "totp_code": "1", "backup_code": "2" }),
        )
        .await;
    assert_eq!(r.code(), "validation_error");
}

/// An e-mail code login of `email` up to the MFA challenge; its token.
async fn code_mfa_token(t: &TestApp, email: &str, body: serde_json::Value) -> String {
    let r = t
        .post("/v1/auth/login-request", None, json!({ "email": email }))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
    let mut body = body;
    body["email"] = json!(email);
    body["code"] = json!(last_code(&t.outbox(), email));
    let r = t.post("/v1/auth/login-complete", None, body).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.data()["mfa_required"], true);
    assert!(
        r.data().get("api_key").is_none(),
        "no key before the second factor"
    );
    r.data()["mfa_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_user_with_mfa_gets_no_key_from_an_e_mail_code_alone() {
    let t = TestApp::new();
    let added = add_user(t.db(), "m@b.c", Role::Developer, None, None, true);
    let token = code_mfa_token(
        &t,
        "m@b.c",
        json!({ "key_name": "laptop", "expires_in_days": 30 }),
    )
    .await;
    // No key was minted by the code step.
    let keys = t.value("SELECT COUNT(*) FROM api_keys");
    assert_eq!(keys.as_deref(), Some("0"));
    // A wrong second factor, then the right one: the key the code login
    // asked for, with its name and expiry.
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "backup_code": "wrong-wrong" }),
        )
        .await;
    assert_eq!(r.code(), "mfa_invalid");
    let code = scripto_server::totp_now(added.totp_secret_base32.as_deref().unwrap());
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.data()["key"]["name"], "laptop");
    assert!(r.data()["key"]["expires_at"].is_string());
    assert_eq!(r.data()["user"]["email"], "m@b.c");
    assert_eq!(r.data()["failed_mfa_attempts_since_last_login"], 1);
    let key = r.data()["api_key"].as_str().unwrap();
    assert_eq!(t.get("/v1/me", key).await.status, StatusCode::OK);
    // The challenge is used up.
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "backup_code": added.backup_codes.unwrap()[0] }),
        )
        .await;
    assert_eq!(r.code(), "mfa_challenge_expired");
}

#[tokio::test]
async fn a_reused_totp_code_says_so() {
    let t = TestApp::new();
    let added = add_user(t.db(), "m@b.c", Role::Developer, None, Some("pw"), true);
    let code = scripto_server::totp_now(added.totp_secret_base32.as_deref().unwrap());
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.code(), "mfa_invalid");
    assert_eq!(r.body["error"]["details"]["reason"], "reused");
    assert_eq!(
        r.body["error"]["message"],
        "this code was already used; wait for the next one"
    );
    // A wrong code reads differently.
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "backup_code": "nope-nope" }),
        )
        .await;
    assert_eq!(r.body["error"]["details"]["reason"], "wrong");
}

#[tokio::test]
async fn wrong_second_factors_are_budgeted_per_account_across_challenges() {
    let t = TestApp::new();
    let added = add_user(t.db(), "m@b.c", Role::Developer, None, Some("pw"), true);
    // Ten wrong codes over four challenges (each burns at five).
    let mut token = mfa_token(&t, "m@b.c", "pw").await;
    for i in 0..10 {
        if i % 4 == 0 {
            token = mfa_token(&t, "m@b.c", "pw").await;
        }
        let r = t
            .post(
                "/v1/auth/login/mfa",
                None,
                json!({ "mfa_token": token, "backup_code": "wrong-wrong" }),
            )
            .await;
        assert_eq!(r.code(), "mfa_invalid", "try {i}: {:?}", r.body);
    }
    // The eleventh is refused on a fresh challenge, even the right code.
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let code = scripto_server::totp_now(added.totp_secret_base32.as_deref().unwrap());
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{:?}",
        r.body
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3000..=3600).contains(&retry), "{retry}");
    // A server on the same database counts the same failures (they are
    // stored, not in memory).
    let again = TestApp::with(|c| *c = t.state.config().clone());
    let r = again
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.code(), "rate_limited");
    // An hour later the right code passes and the login says how many
    // wrong ones came before it; the next login says none.
    t.sql("UPDATE mfa_failures SET at = at - 4000");
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.data()["failed_mfa_attempts_since_last_login"], 10);
    let token = mfa_token(&t, "m@b.c", "pw").await;
    let backup = &added.backup_codes.unwrap()[0];
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "backup_code": backup }),
        )
        .await;
    assert_eq!(r.data()["failed_mfa_attempts_since_last_login"], 0);
}

#[tokio::test]
async fn others_asking_codes_for_an_address_do_not_starve_the_client_that_got_one() {
    let t = TestApp::with(|c| c.limits.code_resend_secs = 0);
    let body = json!({ "email": "owner@b.c" });
    let owner = "10.0.0.1";
    let r = t
        .post_from(owner, "/v1/auth/login-request", body.clone())
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let owners_code = last_code(&t.outbox(), "owner@b.c");
    // Twenty requests from elsewhere: past the other client's own budget.
    let mut refused = 0;
    for _ in 0..20 {
        let r = t
            .post_from("10.0.0.2", "/v1/auth/login-request", body.clone())
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(refused, 10, "10 an hour per (address, client)");
    // The owner's code was not replaced by theirs, and the owner can still
    // ask again.
    let r = t
        .post_from(
            owner,
            "/v1/auth/login-complete",
            json!({ "email": "owner@b.c", "code": owners_code }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = t.post_from(owner, "/v1/auth/login-request", body).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
}

#[tokio::test]
async fn wrong_codes_count_against_every_live_code_of_the_address() {
    let t = TestApp::new();
    let body = json!({ "email": "y@b.c" });
    t.post_from("10.0.2.1", "/v1/auth/login-request", body.clone())
        .await;
    let first = last_code(&t.outbox(), "y@b.c");
    t.post_from("10.0.2.2", "/v1/auth/login-request", body)
        .await;
    let second = last_code(&t.outbox(), "y@b.c");
    let wrong = ["000000", "111111", "222222"]
        .into_iter()
        .find(|c| *c != first && *c != second)
        .unwrap();
    // Five wrong guesses burn both codes, not five for each.
    for i in 0..5 {
        let r = t
            .post_from(
                "10.0.2.3",
                "/v1/auth/login-complete",
                json!({ "email": "y@b.c", "code": wrong }),
            )
            .await;
        assert_eq!(r.code(), "otp_invalid", "guess {i}: {:?}", r.body);
    }
    let r = t
        .post_from(
            "10.0.2.1",
            "/v1/auth/login-complete",
            json!({ "email": "y@b.c", "code": first }),
        )
        .await;
    assert_eq!(r.code(), "otp_expired", "{:?}", r.body);
}

#[tokio::test]
async fn the_per_address_ceiling_holds_new_clients_only() {
    let t = TestApp::with(|c| {
        c.limits.code_resend_secs = 0;
        c.limits.code_sends_per_hour_per_email = 3;
    });
    let body = json!({ "email": "x@b.c" });
    let owner = t
        .post_from("10.0.1.1", "/v1/auth/login-request", body.clone())
        .await;
    assert_eq!(owner.status, StatusCode::ACCEPTED);
    for i in 2..=3 {
        let ip = format!("10.0.1.{i}");
        let r = t
            .post_from(&ip, "/v1/auth/login-request", body.clone())
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
    }
    let r = t
        .post_from("10.0.1.9", "/v1/auth/login-request", body.clone())
        .await;
    assert_eq!(
        r.code(),
        "rate_limited",
        "a fourth new client meets the ceiling"
    );
    let r = t
        .post_from("10.0.1.1", "/v1/auth/login-request", body)
        .await;
    assert_eq!(
        r.status,
        StatusCode::ACCEPTED,
        "the first client is not held to it"
    );
}

#[tokio::test]
async fn an_old_session_token_is_session_expired() {
    let t = TestApp::new();
    add_user(t.db(), "p@b.c", Role::Developer, None, Some("pw"), false);
    let r = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "p@b.c", "password": "pw" }),
        )
        .await;
    let token = r.data()["access_token"].as_str().unwrap().to_owned();
    t.sql("UPDATE sessions SET expires_at = 0");
    let r = t.get("/v1/me", &token).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "session_expired")
    );
}

// ---- credentials --------------------------------------------------------------------

#[tokio::test]
async fn no_or_malformed_authorization_is_authentication_required() {
    let t = TestApp::new();
    let r = t.call(Method::GET, "/v1/me", None, None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "authentication_required")
    );
    assert!(r.body["error"]["next_action"].is_string());
    for header in ["Basic abc", "Bearer", "Bearer ", "scripto_abc"] {
        let req = Request::get("/v1/me")
            .header("authorization", header)
            .body(Body::empty())
            .unwrap();
        let r = t.raw(req).await;
        assert_eq!(r.code(), "authentication_required", "{header}");
    }
}

#[tokio::test]
async fn an_unknown_or_mistyped_key_is_invalid_api_key() {
    let t = TestApp::new();
    let key = t.code_login("a@b.c").await;
    let unknown = scripto_wire::key::format_key("Ab3dEfGhIjKlMnOpQrStUvWxYz012345");
    let truncated = &key[..key.len() - 1];
    let mut flipped = key.clone().into_bytes();
    flipped[10] = if flipped[10] == b'a' { b'b' } else { b'a' };
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in [
        unknown.as_str(),
        truncated,
        &flipped,
        "sk_live_123",
        "sst_nope",
    ] {
        let r = t.get("/v1/me", bad).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, "invalid_api_key"),
            "{bad}"
        );
    }
    let r = t.get("/v1/me", truncated).await;
    assert!(
        r.body["error"]["details"]["reason"]
            .as_str()
            .unwrap()
            .contains("truncated")
    );
}

#[tokio::test]
async fn me_describes_the_user_organization_and_key() {
    let t = TestApp::new();
    let key = t.code_login("a@b.c").await;
    let r = t.get("/v1/me", &key).await;
    assert_eq!(r.status, StatusCode::OK);
    let d = r.data();
    assert!(d["user"]["id"].as_str().unwrap().starts_with("usr_"));
    assert!(
        d["organization"]["id"]
            .as_str()
            .unwrap()
            .starts_with("org_")
    );
    assert_eq!(d["credential"]["type"], "api_key");
    assert!(
        d["credential"]["key_id"]
            .as_str()
            .unwrap()
            .starts_with("key_")
    );
    assert_eq!(d["credential"]["project_ids"], json!([]));
    assert_eq!(r.headers["x-ratelimit-limit"], "600");
}

#[tokio::test]
async fn the_per_credential_budget_refuses_with_retry_after() {
    let t = TestApp::with(|c| c.limits.credential_per_minute = 2);
    let key = t.code_login("a@b.c").await;
    assert_eq!(
        t.get("/v1/me", &key).await.headers["x-ratelimit-remaining"],
        "1"
    );
    assert_eq!(t.get("/v1/me", &key).await.status, StatusCode::OK);
    let r = t.get("/v1/me", &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(r.body["error"]["details"]["retry_after"], retry);
}

#[tokio::test]
async fn an_expired_key_is_refused_as_key_expired() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (key, id) = t
        .create_key(&admin, json!({ "name": "short", "expires_in_days": 1 }))
        .await;
    t.sql(&format!(
        "UPDATE api_keys SET expires_at = 1 WHERE id = '{id}'"
    ));
    let r = t.get("/v1/me", &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "key_expired")
    );
    let r = t.get(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(r.data()["status"], "expired");
    let r = t.get("/v1/keys?status=expired", &admin).await;
    assert_eq!(r.data().as_array().unwrap().len(), 1);
}

// ---- keys ------------------------------------------------------------------------------

#[tokio::test]
async fn a_created_key_is_shown_once_and_never_listed_with_its_secret() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": "ci", "type": "realtime", "scopes": ["read"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let secret = r.data()["api_key"].as_str().unwrap().to_owned();
    let k = &r.data()["key"];
    assert_eq!(k["type"], "realtime");
    assert_eq!(k["scopes"], json!(["read"]));
    assert_eq!(k["status"], "active");
    assert_eq!(k["expires_at"], json!(null));
    let id = k["id"].as_str().unwrap();
    let list = t.get("/v1/keys", &admin).await;
    assert!(!list.body.to_string().contains(&secret[12..]));
    assert_eq!(list.data().as_array().unwrap().len(), 2);
    assert_eq!(list.body["pagination"]["has_more"], false);
    let one = t.get(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(one.data()["name"], "ci");
    assert!(!one.body.to_string().contains(&secret[12..]));
}

#[tokio::test]
async fn bad_key_fields_are_validation_errors() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let cases = [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "   " }), "name"),
        (json!({ "name": "x".repeat(101) }), "name"),
        (json!({ "name": "a\u{0007}b" }), "name"),
        (json!({ "name": "k", "scopes": [] }), "scopes"),
        (json!({ "name": "k", "scopes": ["admin"] }), "scopes[0]"),
        (json!({ "name": "k", "type": "forever" }), "type"),
        (
            json!({ "name": "k", "expires_in_days": 0 }),
            "expires_in_days",
        ),
        (
            json!({ "name": "k", "project_ids": ["nope"] }),
            "project_ids",
        ),
        (
            json!({ "name": "k", "project_ids": ["proj_AAAAAAAAAAAAAAAAAAAA"] }),
            "project_ids",
        ),
    ];
    for (body, field) in cases {
        let r = t.post("/v1/keys", Some(&admin), body.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_error"),
            "{body}"
        );
        assert!(
            r.body["error"]["details"]["fields"][field].is_string(),
            "{body} {:?}",
            r.body
        );
    }
    // 100 characters (not bytes) is fine.
    t.create_key(&admin, json!({ "name": "é".repeat(100) }))
        .await;
    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": "k", "scope": ["read"] }),
        )
        .await;
    assert_eq!(r.code(), "invalid_request");
}

#[tokio::test]
async fn a_member_cannot_create_or_revoke_keys_but_can_use_and_list_them() {
    let t = TestApp::with(|c| c.limits.code_resend_secs = 0);
    let first = t.user_key("m@b.c", Role::Member, Some("Acme")).await;
    let second = t.code_login("m@b.c").await;
    let r = t
        .post("/v1/keys", Some(&first), json!({ "name": "x" }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "insufficient_permissions")
    );
    assert!(r.body["error"]["next_action"].is_string());
    let list = t.get("/v1/keys", &first).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.data().as_array().unwrap().len(), 2);
    let me = t.get("/v1/me", &second).await;
    let second_id = me.data()["credential"]["key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = t.delete(&format!("/v1/keys/{second_id}"), &first).await;
    assert_eq!(r.code(), "insufficient_permissions");
    // Giving up the key in use (a logout) is always allowed.
    let r = t.delete(&format!("/v1/keys/{second_id}"), &second).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(t.get("/v1/me", &second).await.code(), "key_revoked");
}

#[tokio::test]
async fn a_read_only_key_can_read_but_not_write() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (ro, ro_id) = t
        .create_key(&admin, json!({ "name": "ro", "scopes": ["read"] }))
        .await;
    assert_eq!(t.get("/v1/keys", &ro).await.status, StatusCode::OK);
    let r = t.post("/v1/keys", Some(&ro), json!({ "name": "x" })).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "insufficient_permissions")
    );
    let (_, other_id) = t.create_key(&admin, json!({ "name": "other" })).await;
    let r = t.delete(&format!("/v1/keys/{other_id}"), &ro).await;
    assert_eq!(r.code(), "insufficient_permissions");
    // …but it may revoke itself.
    let r = t.delete(&format!("/v1/keys/{ro_id}"), &ro).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_read_only_key_revoking_a_malformed_id_is_refused_for_its_scope() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (ro, _) = t
        .create_key(&admin, json!({ "name": "ro", "scopes": ["read"] }))
        .await;
    let r = t.delete("/v1/keys/not-a-key-id", &ro).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "insufficient_permissions")
    );
    let r = t.delete("/v1/keys/not-a-key-id", &admin).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_key_cannot_mint_a_broader_key() {
    let t = TestApp::new();
    let admin = t.user_key("a@b.c", Role::Admin, Some("Acme")).await;
    let p1 = scripto_server::admin::add_project(t.db(), "Acme", "one").unwrap();
    let p2 = scripto_server::admin::add_project(t.db(), "Acme", "two").unwrap();
    let (wo, _) = t
        .create_key(&admin, json!({ "name": "w", "scopes": ["write"] }))
        .await;
    let r = t
        .post(
            "/v1/keys",
            Some(&wo),
            json!({ "name": "x", "scopes": ["read", "write"] }),
        )
        .await;
    assert_eq!(r.code(), "insufficient_permissions");
    let (scoped, _) = t
        .create_key(&admin, json!({ "name": "p1", "project_ids": [p1] }))
        .await;
    let r = t
        .post(
            "/v1/keys",
            Some(&scoped),
            json!({ "name": "x", "project_ids": [p2] }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "project_forbidden")
    );
    let r = t
        .post(
            "/v1/keys",
            Some(&scoped),
            json!({ "name": "x", "project_ids": [] }),
        )
        .await;
    assert_eq!(r.code(), "project_forbidden");
    // Without project_ids, the new key inherits the creator's.
    let r = t
        .post("/v1/keys", Some(&scoped), json!({ "name": "x" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.data()["key"]["project_ids"], json!([p1]));
}

#[tokio::test]
async fn listing_filters_by_status_and_owner_and_pages_with_a_cursor() {
    let t = TestApp::new();
    let admin = t.user_key("a@b.c", Role::Admin, Some("Acme")).await;
    let dev = t.user_key("d@b.c", Role::Developer, Some("Acme")).await;
    let mut ids = vec![];
    for i in 0..4 {
        ids.push(
            t.create_key(&dev, json!({ "name": format!("k{i}") }))
                .await
                .1,
        );
    }
    t.delete(&format!("/v1/keys/{}", ids[0]), &dev).await;
    let r = t.get("/v1/keys?status=all&limit=2", &dev).await;
    assert_eq!(r.data().as_array().unwrap().len(), 2);
    assert_eq!(r.body["pagination"]["has_more"], true);
    let cursor = r.body["pagination"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let r2 = t
        .get(
            &format!("/v1/keys?status=all&limit=2&cursor={cursor}"),
            &dev,
        )
        .await;
    assert_eq!(r2.data().as_array().unwrap().len(), 2);
    let r3_cursor = r2.body["pagination"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let r3 = t
        .get(
            &format!("/v1/keys?status=all&limit=2&cursor={r3_cursor}"),
            &dev,
        )
        .await;
    assert_eq!(r3.data().as_array().unwrap().len(), 1);
    assert_eq!(
        r3.body["pagination"],
        json!({ "has_more": false, "next_cursor": null })
    );
    let revoked = t.get("/v1/keys?status=revoked", &dev).await;
    assert_eq!(revoked.data().as_array().unwrap().len(), 1);
    assert_eq!(revoked.data()[0]["status"], "revoked");
    assert_eq!(
        t.get("/v1/keys", &dev)
            .await
            .data()
            .as_array()
            .unwrap()
            .len(),
        4
    );
    // owner=all: admins only.
    let r = t.get("/v1/keys?owner=all", &dev).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "insufficient_permissions")
    );
    let r = t.get("/v1/keys?owner=all&limit=100", &admin).await;
    assert_eq!(r.data().as_array().unwrap().len(), 5);
    // Bad parameters.
    for (q, code) in [
        ("limit=0", "validation_error"),
        ("limit=101", "validation_error"),
        ("status=gone", "validation_error"),
        ("owner=bob", "validation_error"),
        ("cursor=key_AAAAAAAAAAAAAAAAAAAA", "validation_error"),
        ("colour=red", "invalid_request"),
    ] {
        assert_eq!(
            t.get(&format!("/v1/keys?{q}"), &dev).await.code(),
            code,
            "{q}"
        );
    }
}

#[tokio::test]
async fn another_users_key_is_not_found_unless_you_are_their_admin() {
    let t = TestApp::new();
    let admin = t.user_key("a@b.c", Role::Admin, Some("Acme")).await;
    let dev = t.user_key("d@b.c", Role::Developer, Some("Acme")).await;
    let other_dev = t.user_key("o@b.c", Role::Developer, Some("Acme")).await;
    let stranger = t.code_login("s@elsewhere.io").await; // admin of another organization
    let (_, id) = t.create_key(&dev, json!({ "name": "mine" })).await;
    for who in [&other_dev, &stranger] {
        let r = t.get(&format!("/v1/keys/{id}"), who).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
        let r = t.delete(&format!("/v1/keys/{id}"), who).await;
        assert_eq!(r.code(), "not_found");
    }
    for bad in [
        "key_nope",
        "..%2F..%2Fetc",
        "%FF%FE",
        "key_AAAAAAAAAAAAAAAAAAAA",
    ] {
        assert_eq!(
            t.get(&format!("/v1/keys/{bad}"), &dev).await.code(),
            "not_found"
        );
    }
    let r = t.get(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t.delete(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.data()["status"], "revoked");
}

#[tokio::test]
async fn revoked_key_is_refused_on_the_next_request_and_revoking_twice_is_fine() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (key, id) = t.create_key(&admin, json!({ "name": "temp" })).await;
    assert_eq!(t.get("/v1/me", &key).await.status, StatusCode::OK);
    let r = t.delete(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(r.status, StatusCode::OK);
    let revoked_at = r.data()["revoked_at"].clone();
    assert!(revoked_at.is_string());
    let r = t.get("/v1/me", &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "key_revoked")
    );
    let again = t.delete(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.data()["revoked_at"], revoked_at);
}

#[tokio::test]
async fn last_used_at_is_recorded_without_a_write_per_request() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let (key, id) = t.create_key(&admin, json!({ "name": "used" })).await;
    for _ in 0..5 {
        t.get("/v1/me", &key).await;
    }
    let r = t.get(&format!("/v1/keys/{id}"), &admin).await;
    assert!(r.data()["last_used_at"].is_string());
    // One queued write at most for those five uses.
    t.state.flush_last_used().await;
    let used = t.value(&format!(
        "SELECT last_used_at FROM api_keys WHERE id = '{id}'"
    ));
    assert!(used.is_some());
    // Within the minute, more uses write nothing more.
    t.sql("UPDATE api_keys SET last_used_at = NULL");
    for _ in 0..5 {
        t.get("/v1/me", &key).await;
    }
    t.state.flush_last_used().await;
    let used = t.value(&format!(
        "SELECT last_used_at FROM api_keys WHERE id = '{id}'"
    ));
    assert_eq!(used, None);
}

// ---- projects --------------------------------------------------------------------

#[tokio::test]
async fn a_project_scoped_key_reaches_only_its_projects() {
    let t = TestApp::new();
    let admin = t.user_key("a@b.c", Role::Admin, Some("Acme")).await;
    let p1 = scripto_server::admin::add_project(t.db(), "Acme", "one").unwrap();
    let p2 = scripto_server::admin::add_project(t.db(), "Acme", "two").unwrap();
    let stranger = t.code_login("s@elsewhere.io").await;
    let all = t.get("/v1/projects", &admin).await;
    assert_eq!(all.data().as_array().unwrap().len(), 2);
    assert_eq!(all.data()[0]["name"], "one");
    let (scoped, _) = t
        .create_key(&admin, json!({ "name": "p1", "project_ids": [p1] }))
        .await;
    let mine = t.get("/v1/projects", &scoped).await;
    assert_eq!(mine.data().as_array().unwrap().len(), 1);
    assert_eq!(
        t.get(&format!("/v1/projects/{p1}"), &scoped).await.status,
        StatusCode::OK
    );
    let r = t.get(&format!("/v1/projects/{p2}"), &scoped).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "project_forbidden")
    );
    // Organization-level endpoints stay reachable.
    assert_eq!(t.get("/v1/me", &scoped).await.status, StatusCode::OK);
    assert_eq!(t.get("/v1/keys", &scoped).await.status, StatusCode::OK);
    // Another organization's project does not exist for you.
    let r = t.get(&format!("/v1/projects/{p1}"), &stranger).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
    assert_eq!(
        t.get("/v1/projects/proj_bad", &admin).await.code(),
        "not_found"
    );
    let page = t.get("/v1/projects?limit=1", &admin).await;
    assert_eq!(page.body["pagination"]["has_more"], true);
    assert_eq!(page.body["pagination"]["next_cursor"], p1);
    // A project outside the credential's list is no cursor of its listing.
    let r = t.get(&format!("/v1/projects?cursor={p2}"), &scoped).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_error")
    );
    assert!(r.body["error"]["details"]["fields"]["cursor"].is_string());
}

#[tokio::test]
async fn every_invalid_field_is_reported_at_once() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": " ", "type": "forever", "scopes": [], "expires_in_days": 0,
                    "project_ids": ["nope"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    let fields = r.body["error"]["details"]["fields"].as_object().unwrap();
    let mut names: Vec<&str> = fields.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        ["expires_in_days", "name", "project_ids", "scopes", "type"],
        "{:?}",
        r.body
    );
    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "x", "key_name": "" }),
        )
        .await;
    let fields = r.body["error"]["details"]["fields"].as_object().unwrap();
    assert!(
        fields.contains_key("code") && fields.contains_key("key_name"),
        "{fields:?}"
    );
}

#[tokio::test]
async fn every_invalid_query_parameter_is_reported_at_once() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    let r = t
        .get("/v1/keys?status=gone&owner=them&limit=0", &admin)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.body["error"]["details"]["fields"].as_object().unwrap();
    assert_eq!(fields.len(), 3, "{fields:?}");
}

#[tokio::test]
async fn null_is_accepted_only_where_the_docs_say_so() {
    let t = TestApp::new();
    let admin = t.code_login("a@b.c").await;
    for field in ["type", "scopes", "project_ids"] {
        let mut body = json!({ "name": "k" });
        body[field] = json!(null);
        let r = t.post("/v1/keys", Some(&admin), body).await;
        assert_eq!(r.code(), "validation_error", "{field}: {:?}", r.body);
        assert!(r.body["error"]["details"]["fields"][field].is_string());
    }
    let r = t
        .post("/v1/keys", Some(&admin), json!({ "name": null }))
        .await;
    assert_eq!(r.body["error"]["details"]["fields"]["name"], "is required");
    // expires_in_days: null is "no expiry", as documented.
    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": "k", "expires_in_days": null }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": "mfa_x", "totp_code": "123456", "backup_code": null }),
        )
        .await;
    assert_eq!(r.code(), "validation_error");
    assert!(r.body["error"]["details"]["fields"]["backup_code"].is_string());
}

#[tokio::test]
async fn garbage_on_every_endpoint_gets_an_envelope_and_never_a_500() {
    let t = TestApp::with(|c| {
        c.limits.anonymous_per_minute_per_ip = 100_000;
        c.limits.login_per_minute_per_ip = 100_000;
        c.limits.login_per_minute_per_email = 100_000;
        c.limits.code_sends_per_hour_per_ip = 100_000;
    });
    let key = t.code_login("a@b.c").await;
    let endpoints = [
        (Method::GET, "/v1/health"),
        (Method::POST, "/v1/auth/login-request"),
        (Method::POST, "/v1/auth/login-complete"),
        (Method::POST, "/v1/auth/login"),
        (Method::POST, "/v1/auth/login/mfa"),
        (Method::GET, "/v1/me"),
        (Method::GET, "/v1/keys?limit=abc&cursor=%00"),
        (Method::POST, "/v1/keys"),
        (Method::GET, "/v1/keys/key_%00%01"),
        (Method::DELETE, "/v1/keys/%E2%82%AC"),
        (Method::GET, "/v1/projects?cursor=proj_x"),
        (Method::GET, "/v1/projects/x"),
    ];
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies = [
        "".to_owned(),
        "null".to_owned(),
        "{}".to_owned(),
        "{\"email\":".to_owned(),
        "{\"email\": \"\\ud800\", \"code\": 1}".to_owned(),
        "{\"name\": \"x\", \"expires_in_days\": 1e400}".to_owned(),
        "{\"email\": \"a@b.c\", \"password\": {\"x\": 1}}".to_owned(),
        "{\"mfa_token\": \"\", \"totp_code\": \"\"}".to_owned(),
        "{\"name\": \"\u{202e}\u{0000}\", \"project_ids\": [null]}".to_owned(),
        deep,
        "\u{feff}{}".to_owned(),
    ];
    for (method, path) in endpoints {
        for body in &bodies {
            for token in [None, Some(key.as_str()), Some("scripto_\u{00e9}")] {
                let mut b = Request::builder().method(method.clone()).uri(path);
                if let Some(tok) = token {
                    b = b.header("authorization", format!("Bearer {tok}"));
                }
                let r = t.raw(b.body(Body::from(body.clone())).unwrap()).await;
                assert_ne!(
                    r.status,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "{method} {path} {body:.40}"
                );
                assert!(
                    r.body["error"]["code"].is_string()
                        || r.body["data"].is_object()
                        || r.body["data"].is_array(),
                    "{method} {path} {body:.40}: {:?}",
                    r.body
                );
            }
        }
    }
}

#[tokio::test]
async fn an_unknown_email_costs_about_what_a_wrong_password_costs() {
    // The real Argon2id cost on both sides, as in production.
    let t = TestApp::with(|c| {
        c.limits.password_hashing = scripto_server::PasswordHashing::default();
        c.limits.login_per_minute_per_ip = 1000;
        c.limits.login_per_minute_per_email = 1000;
    });
    scripto_server::admin::add_user(
        t.db(),
        scripto_server::admin::AddUser {
            email: "p@b.c".into(),
            role: Role::Developer,
            org: None,
            password: Some("right".into()),
            mfa: false,
            issuer: None,
        },
    )
    .unwrap();
    let mut known = vec![];
    let mut unknown = vec![];
    for _ in 0..7 {
        for (email, times) in [("p@b.c", &mut known), ("nobody@b.c", &mut unknown)] {
            let started = std::time::Instant::now();
            let r = t
                .post(
                    "/v1/auth/login",
                    None,
                    json!({ "email": email, "password": "wrong" }),
                )
                .await;
            times.push(started.elapsed());
            assert_eq!(r.code(), "invalid_credentials");
        }
    }
    known.sort();
    unknown.sort();
    let (k, u) = (known[3].as_secs_f64(), unknown[3].as_secs_f64());
    // Without the dummy verification an unknown address would answer
    // about a thousand times faster; the wide band absorbs a busy machine.
    assert!(u > k / 3.0 && u < k * 3.0, "known {k:.4}s, unknown {u:.4}s");
}

// ---- leaked keys ----------------------------------------------------------------

/// A key with a valid checksum that the server never issued.
fn made_up_key() -> String {
    scripto_wire::key::format_key("Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp")
}

#[tokio::test]
async fn a_reported_leaked_key_is_revoked_without_any_credential() {
    let t = TestApp::new();
    let owner = t.user_key("leak@example.com", Role::Developer, None).await;
    let (leaked, leaked_id) = t.create_key(&owner, json!({ "name": "ci" })).await;
    assert_eq!(t.get("/v1/me", &leaked).await.status, StatusCode::OK);

    let r = t
        .post(
            "/v1/keys/revoke-leaked",
            None,
            json!({ "keys": [leaked], "source": "https://example.com/paste/1" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
    assert_eq!(r.data()["received"], 1);

    assert_eq!(t.get("/v1/me", &leaked).await.code(), "key_revoked");
    let shown = t.get(&format!("/v1/keys/{leaked_id}"), &owner).await;
    assert_eq!(shown.data()["status"], "revoked");
    // The reporter's key list is untouched: only the listed key stops.
    assert_eq!(t.get("/v1/me", &owner).await.status, StatusCode::OK);
}

#[tokio::test]
async fn revoke_leaked_answers_the_same_for_valid_revoked_and_made_up_keys() {
    let t = TestApp::new();
    let owner = t.user_key("same@example.com", Role::Developer, None).await;
    let (live, _) = t.create_key(&owner, json!({ "name": "live" })).await;
    let (dead, dead_id) = t.create_key(&owner, json!({ "name": "dead" })).await;
    t.delete(&format!("/v1/keys/{dead_id}"), &owner).await;

    let mut answers = Vec::new();
    for key in [live, dead, made_up_key(), "scripto_not_a_key".to_owned()] {
        let r = t
            .post("/v1/keys/revoke-leaked", None, json!({ "keys": [key] }))
            .await;
        answers.push((r.status, strip_request_id(r.body)));
    }
    for answer in &answers[1..] {
        assert_eq!(answer, &answers[0]);
    }
    assert_eq!(answers[0].0, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn revoke_leaked_takes_one_to_a_hundred_keys_and_a_short_source() {
    let t = TestApp::new();
    let r = t
        .post("/v1/keys/revoke-leaked", None, json!({ "keys": [] }))
        .await;
    assert_eq!(r.code(), "validation_error");
    assert!(r.body["error"]["details"]["fields"]["keys"].is_string());

    let many: Vec<String> = (0..101).map(|_| made_up_key()).collect();
    let r = t
        .post("/v1/keys/revoke-leaked", None, json!({ "keys": many }))
        .await;
    assert_eq!(r.code(), "validation_error");

    let r = t
        .post(
            "/v1/keys/revoke-leaked",
            None,
            json!({ "keys": [made_up_key()], "source": "x".repeat(501) }),
        )
        .await;
    assert!(r.body["error"]["details"]["fields"]["source"].is_string());

    let r = t
        .post("/v1/keys/revoke-leaked", None, json!({ "keys": [1] }))
        .await;
    assert_eq!(r.code(), "invalid_request");
}

#[tokio::test]
async fn revoke_leaked_is_rate_limited_per_client_address() {
    let t = TestApp::new();
    for _ in 0..10 {
        let r = t
            .post(
                "/v1/keys/revoke-leaked",
                None,
                json!({ "keys": [made_up_key()] }),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
    }
    let r = t
        .post(
            "/v1/keys/revoke-leaked",
            None,
            json!({ "keys": [made_up_key()] }),
        )
        .await;
    assert_eq!(r.code(), "rate_limited");
    assert!(r.headers.contains_key("retry-after"));
}

// ---- IP allow-lists ---------------------------------------------------------------

#[tokio::test]
async fn allowed_ips_are_validated_and_stored_canonical() {
    let t = TestApp::new();
    let admin = t.user_key("cidr@example.com", Role::Admin, None).await;
    for bad in [
        json!(["10.0.0.1/8"]),
        json!(["example.com"]),
        json!(["10.0.0.0/33"]),
    ] {
        let r = t
            .post(
                "/v1/keys",
                Some(&admin),
                json!({ "name": "x", "allowed_ips": bad }),
            )
            .await;
        assert_eq!(r.code(), "validation_error", "{bad}");
        assert!(r.body["error"]["details"]["fields"]["allowed_ips"].is_string());
    }
    let many: Vec<String> = (0..51).map(|i| format!("10.0.0.{i}")).collect();
    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": "x", "allowed_ips": many }),
        )
        .await;
    assert_eq!(r.code(), "validation_error");

    let r = t
        .post(
            "/v1/keys",
            Some(&admin),
            json!({ "name": "x", "allowed_ips": ["2001:DB8::/32", "127.0.0.1", "127.0.0.1"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(
        r.data()["key"]["allowed_ips"],
        json!(["127.0.0.1/32", "2001:db8::/32"])
    );
    let listed = t.get("/v1/keys", &admin).await;
    assert!(listed.body["data"][0]["allowed_ips"].is_array());
}

#[tokio::test]
async fn a_key_limited_to_some_networks_cannot_mint_a_key_usable_from_others() {
    let t = TestApp::new();
    let admin = t.user_key("narrow@example.com", Role::Admin, None).await;
    let (limited, _) = t
        .create_key(
            &admin,
            json!({ "name": "lan", "allowed_ips": ["127.0.0.0/8"] }),
        )
        .await;
    // Absent: the new key inherits the list.
    let r = t
        .post("/v1/keys", Some(&limited), json!({ "name": "child" }))
        .await;
    assert_eq!(r.data()["key"]["allowed_ips"], json!(["127.0.0.0/8"]));
    // Narrower is fine; wider, elsewhere, or everywhere is not.
    let r = t
        .post(
            "/v1/keys",
            Some(&limited),
            json!({ "name": "c", "allowed_ips": ["127.0.0.1"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    for wider in [json!([]), json!(["10.0.0.0/8"]), json!(["0.0.0.0/0"])] {
        let r = t
            .post(
                "/v1/keys",
                Some(&limited),
                json!({ "name": "c", "allowed_ips": wider }),
            )
            .await;
        assert_eq!(r.code(), "insufficient_permissions", "{wider}");
    }
}

// ---- audit log ----------------------------------------------------------------------

/// The audit events `token` can see, with `query` (e.g. `type=key.created`).
async fn events(t: &TestApp, token: &str, query: &str) -> Vec<serde_json::Value> {
    // Aggregated and first-use events are written off the request path.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let r = t
        .get(&format!("/v1/audit-events?limit=100&{query}"), token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn key_events_appear_once_with_actor_address_and_target() {
    let t = TestApp::new();
    let admin = t.user_key("audit@example.com", Role::Admin, None).await;
    let me = t.get("/v1/me", &admin).await;
    let admin_key_id = me.data()["credential"]["key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin_id = me.data()["user"]["id"].as_str().unwrap().to_owned();
    let (key, id) = t
        .create_key(&admin, json!({ "name": "ci", "scopes": ["read"] }))
        .await;
    t.delete(&format!("/v1/keys/{id}"), &admin).await;
    t.delete(&format!("/v1/keys/{id}"), &admin).await; // a second revoke changes nothing
    for _ in 0..3 {
        assert_eq!(t.get("/v1/me", &key).await.code(), "key_revoked");
    }

    let about = events(&t, &admin, &format!("key_id={id}")).await;
    let types: Vec<&str> = about.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["key.refused", "key.revoked", "key.created"],
        "{about:#?}"
    );
    let created = &about[2];
    assert_eq!(created["actor"]["user_id"], admin_id);
    assert_eq!(created["actor"]["credential"], admin_key_id);
    assert_eq!(created["ip"], "127.0.0.1");
    assert_eq!(created["target"], json!({ "type": "key", "id": id }));
    assert_eq!(created["outcome"], "success");
    assert_eq!(created["details"]["scopes"], json!(["read"]));
    let refused = &about[0];
    assert_eq!(refused["outcome"], "refused");
    assert_eq!(refused["details"]["reason"], "key_revoked");

    // Filters: type, actor, and a cursor that pages.
    let by_type = events(&t, &admin, "type=key.revoked").await;
    assert_eq!(by_type.len(), 1);
    let by_actor = events(&t, &admin, &format!("actor={admin_key_id}")).await;
    assert!(
        by_actor
            .iter()
            .all(|e| e["actor"]["credential"] == admin_key_id.as_str())
    );
    let first = t.get("/v1/audit-events?limit=1", &admin).await;
    let cursor = first.body["pagination"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = t
        .get(&format!("/v1/audit-events?limit=1&cursor={cursor}"), &admin)
        .await;
    assert_ne!(second.body["data"][0]["id"], first.body["data"][0]["id"]);
    let r = t.get("/v1/audit-events?type=key.exploded", &admin).await;
    assert_eq!(r.code(), "validation_error");
    let r = t.get("/v1/audit-events?since=yesterday", &admin).await;
    assert_eq!(r.code(), "validation_error");
    let future = t
        .get("/v1/audit-events?since=2999-01-01T00:00:00Z", &admin)
        .await;
    assert_eq!(future.body["data"], json!([]));
}

#[tokio::test]
async fn login_events_record_the_method_and_failures() {
    let t = TestApp::with(|c| c.limits.code_resend_secs = 0);
    add_user(
        t.db(),
        "lg@example.com",
        Role::Developer,
        None,
        Some("pw-lg-123456"),
        false,
    );
    let r = t
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "lg@example.com", "password": "nope" }),
        )
        .await;
    assert_eq!(r.code(), "invalid_credentials");
    t.post(
        "/v1/auth/login-request",
        None,
        json!({ "email": "lg@example.com" }),
    )
    .await;
    let r = t
        .post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": "lg@example.com", "code": "000000" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let key = t.code_login("lg@example.com").await;

    let all = events(&t, &key, "").await;
    let summary: Vec<(String, String)> = all
        .iter()
        .filter(|e| e["type"] != "key.new_address")
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_owned(),
                e["details"]["method"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("login.succeeded", "email_code"),
        ("code.requested", ""),
        ("login.failed", "email_code"),
        ("code.requested", ""),
        ("login.failed", "password"),
        ("user.added", ""),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(summary, expected, "{all:#?}");
}

#[tokio::test]
async fn admins_see_the_organizations_events_and_developers_only_their_own() {
    let t = TestApp::new();
    let admin = t
        .user_key("boss@example.com", Role::Admin, Some("Acme"))
        .await;
    let dev = t
        .user_key("dev@example.com", Role::Developer, Some("Acme"))
        .await;
    let (_, dev_key) = t.create_key(&dev, json!({ "name": "dev-ci" })).await;
    let (_, admin_key) = t.create_key(&admin, json!({ "name": "admin-ci" })).await;
    // The admin revokes the developer's key: an event about the developer.
    t.delete(&format!("/v1/keys/{dev_key}"), &admin).await;

    let seen_by_admin = events(&t, &admin, "type=key.created").await;
    assert_eq!(seen_by_admin.len(), 2);
    let seen_by_dev = events(&t, &dev, "").await;
    let targets: Vec<&str> = seen_by_dev
        .iter()
        .filter_map(|e| e["target"]["id"].as_str())
        .collect();
    assert!(targets.contains(&dev_key.as_str()));
    assert!(!targets.contains(&admin_key.as_str()), "{seen_by_dev:#?}");
    assert!(seen_by_dev.iter().any(|e| e["type"] == "key.revoked"));
    // Another organization sees none of it.
    let other = t.user_key("else@example.com", Role::Admin, None).await;
    let theirs = events(&t, &other, &format!("key_id={dev_key}")).await;
    assert!(theirs.is_empty());
}

#[tokio::test]
async fn admin_commands_are_in_the_log_as_admin_command() {
    let t = TestApp::new();
    let admin = t
        .user_key("root@example.com", Role::Admin, Some("Org"))
        .await;
    add_user(
        t.db(),
        "new@example.com",
        Role::Member,
        Some("Org"),
        None,
        false,
    );
    scripto_server::admin::set_role(t.db(), "new@example.com", Role::Developer).unwrap();
    scripto_server::admin::add_project(t.db(), "Org", "web").unwrap();

    let log = events(&t, &admin, "actor=admin-command").await;
    let types: Vec<&str> = log.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "project.added",
            "user.role_changed",
            "user.added",
            "user.added"
        ]
    );
    assert_eq!(
        log[1]["details"],
        json!({ "from": "member", "to": "developer" })
    );
}

#[tokio::test]
async fn a_reported_leaked_key_is_revoked_with_an_event_naming_the_source() {
    let t = TestApp::new();
    let owner = t.user_key("src@example.com", Role::Developer, None).await;
    let (leaked, id) = t.create_key(&owner, json!({ "name": "pasted" })).await;
    t.post(
        "/v1/keys/revoke-leaked",
        None,
        json!({ "keys": [leaked], "source": "https://paste.example/abc" }),
    )
    .await;
    let log = events(&t, &owner, &format!("type=key.revoked&key_id={id}")).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["details"]["reason"], "reported_leaked");
    assert_eq!(log[0]["details"]["source"], "https://paste.example/abc");
    assert_eq!(log[0]["actor"]["user_id"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_wrong_second_factor_and_a_budget_refusal_are_in_the_log() {
    let t = TestApp::with(|c| c.limits.credential_per_minute = 2);
    let added = add_user(t.db(), "two@b.c", Role::Developer, None, Some("pw"), true);
    let token = mfa_token(&t, "two@b.c", "pw").await;
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": "000000" }),
        )
        .await;
    assert_eq!(r.code(), "mfa_invalid");
    let code = scripto_server::totp_now(added.totp_secret_base32.as_deref().unwrap());
    let r = t
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    let session = r.data()["access_token"].as_str().unwrap().to_owned();
    // Two requests are the budget; the third and fourth are refused.
    for _ in 0..4 {
        t.get("/v1/me", &session).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let rows: Vec<(String, String, String)> = t
        .rows(
            "SELECT type, outcome, details FROM audit_events \
             WHERE type IN ('mfa.failed', 'request.rate_limited', 'login.succeeded') ORDER BY seq",
        )
        .into_iter()
        .map(|r| {
            let text = |i: usize| r[i].clone().unwrap_or_default();
            (text(0), text(1), text(2))
        })
        .collect();
    let kinds: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        kinds,
        ["mfa.failed", "login.succeeded", "request.rate_limited"]
    );
    assert_eq!(rows[0].1, "failure");
    assert!(rows[0].2.contains(r#""method":"totp""#), "{}", rows[0].2);
    assert!(rows[0].2.contains(r#""reason":"wrong""#), "{}", rows[0].2);
    assert!(rows[1].2.contains("password+totp"), "{}", rows[1].2);
    assert_eq!(rows[2].1, "refused");
}

#[tokio::test]
async fn rotation_copies_the_allow_list_never_widens_it_and_is_in_the_log() {
    let t = TestApp::new();
    let admin = t.user_key("rot@example.com", Role::Admin, None).await;
    let (_, office_id) = t
        .create_key(
            &admin,
            json!({ "name": "office", "allowed_ips": ["127.0.0.0/8"] }),
        )
        .await;
    let r = t
        .post(
            &format!("/v1/keys/{office_id}/rotate"),
            Some(&admin),
            json!({ "grace_seconds": 60 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.data()["key"]["allowed_ips"], json!(["127.0.0.0/8"]));
    let new_id = r.data()["key"]["id"].as_str().unwrap().to_owned();

    let log = events(&t, &admin, &format!("key_id={office_id}&type=key.rotated")).await;
    assert_eq!(log.len(), 1, "{log:#?}");
    assert_eq!(log[0]["details"]["replaced_by"], new_id.as_str());
    assert_eq!(log[0]["details"]["grace_seconds"], 60);
    let created = events(&t, &admin, &format!("key_id={new_id}&type=key.created")).await;
    assert_eq!(created[0]["details"]["replaces"], office_id.as_str());

    // A key limited to one address cannot rotate a key usable from more.
    let (narrow, _) = t
        .create_key(
            &admin,
            json!({ "name": "narrow", "allowed_ips": ["127.0.0.1"] }),
        )
        .await;
    let (_, open_id) = t.create_key(&admin, json!({ "name": "open" })).await;
    let r = t
        .post(
            &format!("/v1/keys/{open_id}/rotate"),
            Some(&narrow),
            json!({}),
        )
        .await;
    assert_eq!(r.code(), "insufficient_permissions", "{:?}", r.body);
}

#[tokio::test]
async fn a_key_pasted_into_a_leak_report_source_is_kept_only_by_its_start() {
    let t = TestApp::new();
    let owner = t.user_key("paste@example.com", Role::Developer, None).await;
    let (leaked, id) = t.create_key(&owner, json!({ "name": "pasted" })).await;
    t.post(
        "/v1/keys/revoke-leaked",
        None,
        json!({ "keys": [leaked], "source": format!("found {leaked} in a gist") }),
    )
    .await;
    let log = events(&t, &owner, &format!("type=key.revoked&key_id={id}")).await;
    let source = log[0]["details"]["source"].as_str().unwrap();
    assert!(!source.contains(&leaked), "{source}");
    assert_eq!(source, format!("found {}… in a gist", &leaked[..12]));
}
