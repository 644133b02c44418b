//! Device login (RFC 8628) over HTTP: a client starts it and polls, a
//! signed-in caller approves or denies it through the JSON API. Every
//! answer of the RFC, one key per device code, user codes typed loosely,
//! wrong entries that burn a code, and the budgets.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{Reply, TestApp};
use scripto_wire::types::Role;
use serde_json::{Value, json};

const ALPHABET: &str = "BCDFGHJKLMNPQRSTVWXZ";

/// A server whose clients may poll every second (the default is 5 s).
fn app() -> TestApp {
    TestApp::with(|c| c.limits.device_poll_interval_secs = 1)
}

async fn start(app: &TestApp, body: Value) -> (String, String) {
    let r = app.post("/v1/auth/device", None, body).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    (
        r.data()["device_code"].as_str().unwrap().to_owned(),
        r.data()["user_code"].as_str().unwrap().to_owned(),
    )
}

async fn poll(app: &TestApp, device_code: &str) -> Reply {
    app.post(
        "/v1/auth/device/token",
        None,
        json!({ "device_code": device_code }),
    )
    .await
}

async fn decide(app: &TestApp, token: &str, what: &str, user_code: &str) -> Reply {
    app.post(
        &format!("/v1/auth/device/{what}"),
        Some(token),
        json!({ "user_code": user_code }),
    )
    .await
}

/// The same code with its second half changed: a wrong entry that got the
/// first half right.
fn same_first_half(code: &str, n: usize) -> String {
    let letters: Vec<char> = ALPHABET.chars().collect();
    let tail: String = (0..4)
        .map(|i| letters[(n * 4 + i) % letters.len()])
        .collect();
    let wrong = format!("{}-{tail}", &code[..4]);
    assert_ne!(wrong, code);
    wrong
}

fn assert_error(r: &Reply, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert_eq!(r.code(), code, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn a_started_login_shows_a_user_code_and_where_to_type_it() {
    let app = TestApp::with(|c| c.public_url = Some("https://keys.example.com/".into()));
    let r = app
        .post(
            "/v1/auth/device",
            None,
            json!({ "client_name": "laptop", "key_name": "ci" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let d = r.data();
    let user_code = d["user_code"].as_str().unwrap();
    let (a, b) = user_code.split_once('-').expect("shown with a dash");
    assert!(
        a.len() == 4 && b.len() == 4 && (a.to_owned() + b).chars().all(|c| ALPHABET.contains(c)),
        "{user_code}"
    );
    assert_eq!(d["verification_uri"], "https://keys.example.com/device");
    assert_eq!(
        d["verification_uri_complete"],
        format!("https://keys.example.com/device?code={user_code}")
    );
    assert_eq!(d["expires_in"], 600);
    assert_eq!(d["interval"], 5);
    let device_code = d["device_code"].as_str().unwrap();
    assert!(device_code.len() >= 40, "{device_code}");

    // Only digests are stored: neither code is in the database.
    let dump = app.scratch.db.dump();
    let dump = String::from_utf8_lossy(&dump);
    assert!(dump.contains("laptop"), "the row is in the dump");
    for secret in [device_code, user_code, &user_code.replace('-', "")] {
        assert!(!dump.contains(secret), "{secret} is stored in the clear");
    }
}

#[tokio::test]
async fn without_a_public_url_the_verification_url_is_the_listening_address() {
    let app = TestApp::new();
    let r = app.post("/v1/auth/device", None, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let addr = app.state.config().addr;
    assert_eq!(
        r.data()["verification_uri"],
        format!("http://{addr}/device")
    );
}

#[tokio::test]
async fn a_served_instance_without_a_public_url_points_at_its_own_socket() {
    let scratch = common::Scratch::new();
    let server = scripto_server::spawn_background(common::test_config(&scratch)).unwrap();
    let url = server.url();
    let r = reqwest::Client::new()
        .post(format!("{url}/v1/auth/device"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["verification_uri"], format!("{url}/device"));
}

#[tokio::test]
async fn pending_then_approved_mints_one_key_owned_by_the_approver() {
    let app = app();
    let approver = app.user_key("dev@example.com", Role::Developer, None).await;
    let (device_code, user_code) = start(&app, json!({ "key_name": "laptop-cli" })).await;

    let r = poll(&app, &device_code).await;
    assert_error(&r, StatusCode::BAD_REQUEST, "authorization_pending");
    assert_eq!(r.body["error"]["details"]["interval"], 1);

    // What approving would do, then approving, typed loosely.
    let r = decide(&app, &approver, "lookup", &user_code).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.data()["key_name"], "laptop-cli");
    assert_eq!(r.data()["client_ip"], "127.0.0.1");
    let loose = user_code.replace('-', "").to_lowercase();
    let r = decide(&app, &approver, "approve", &loose).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.data()["status"], "approved");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = poll(&app, &device_code).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let key = r.data()["api_key"].as_str().unwrap().to_owned();
    assert_eq!(r.data()["key"]["name"], "laptop-cli");
    assert_eq!(r.data()["key"]["scopes"], json!(["read", "write"]));
    assert_eq!(r.data()["key"]["project_ids"], json!([]));
    assert_eq!(r.data()["user"]["email"], "dev@example.com");

    let me = app.get("/v1/me", &key).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.data()["user"]["email"], "dev@example.com");

    // The device code is used up: no second key.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_error(
        &poll(&app, &device_code).await,
        StatusCode::BAD_REQUEST,
        "expired_token",
    );
    let keys = app.value("SELECT COUNT(*) FROM api_keys WHERE name = 'laptop-cli'");
    assert_eq!(keys.as_deref(), Some("1"));
    let events = app.value(
        "SELECT COUNT(*) FROM audit_events WHERE type = 'login.succeeded' \
         AND details LIKE '%\"device\"%'",
    );
    assert_eq!(events.as_deref(), Some("1"));
}

#[tokio::test]
async fn polling_faster_than_the_interval_is_slow_down_and_the_interval_grows_by_5() {
    let app = app();
    let (device_code, _) = start(&app, json!({})).await;
    assert_eq!(
        poll(&app, &device_code).await.code(),
        "authorization_pending"
    );
    let r = poll(&app, &device_code).await;
    assert_error(&r, StatusCode::BAD_REQUEST, "slow_down");
    assert_eq!(r.body["error"]["details"]["interval"], 6);
    // Still too fast for the new interval.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = poll(&app, &device_code).await;
    assert_eq!(r.code(), "slow_down");
    assert_eq!(r.body["error"]["details"]["interval"], 11);
}

#[tokio::test]
async fn a_denied_login_is_access_denied_once_then_gone() {
    let app = app();
    let approver = app.user_key("dev@example.com", Role::Developer, None).await;
    let (device_code, user_code) = start(&app, json!({})).await;
    let r = decide(&app, &approver, "deny", &user_code).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.data()["status"], "denied");
    assert_error(
        &poll(&app, &device_code).await,
        StatusCode::BAD_REQUEST,
        "access_denied",
    );
    // Decided: it can no longer be approved.
    assert_error(
        &decide(&app, &approver, "approve", &user_code).await,
        StatusCode::BAD_REQUEST,
        "invalid_user_code",
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(poll(&app, &device_code).await.code(), "expired_token");
}

#[tokio::test]
async fn an_expired_login_is_expired_token_for_the_client_and_the_approver() {
    let app = TestApp::with(|c| c.limits.device_code_ttl_secs = 0);
    let approver = app.user_key("dev@example.com", Role::Developer, None).await;
    let (device_code, user_code) = start(&app, json!({})).await;
    assert_error(
        &decide(&app, &approver, "approve", &user_code).await,
        StatusCode::BAD_REQUEST,
        "expired_token",
    );
    assert_error(
        &poll(&app, &device_code).await,
        StatusCode::BAD_REQUEST,
        "expired_token",
    );
    assert_error(
        &poll(&app, "sdc_not-a-code").await,
        StatusCode::BAD_REQUEST,
        "expired_token",
    );
}

#[tokio::test]
async fn wrong_entries_that_get_the_first_half_right_burn_the_code() {
    let app = TestApp::with(|c| {
        c.limits.device_poll_interval_secs = 1;
        c.limits.device_entries_per_minute_per_ip = 100;
    });
    let approver = app.user_key("dev@example.com", Role::Developer, None).await;
    let (burnt_device, burnt_code) = start(&app, json!({})).await;
    // A second login whose code has another first half, and a wrong code
    // whose first half is neither's.
    let (kept_device, kept_code) = loop {
        let (d, c) = start(&app, json!({})).await;
        if c[..4] != burnt_code[..4] {
            break (d, c);
        }
    };
    let elsewhere = ["BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD"]
        .into_iter()
        .find(|w| w[..4] != burnt_code[..4] && w[..4] != kept_code[..4])
        .unwrap();

    // Five wrong entries near the first code, five elsewhere: the same
    // answer for both kinds.
    let mut bodies = Vec::new();
    for n in 0..5 {
        let r = decide(&app, &approver, "approve", &same_first_half(&burnt_code, n)).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "invalid_user_code");
        bodies.push(r.body["error"].clone());
        let r = decide(&app, &approver, "lookup", elsewhere).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "invalid_user_code");
        bodies.push(r.body["error"].clone());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");

    assert_error(
        &decide(&app, &approver, "approve", &burnt_code).await,
        StatusCode::BAD_REQUEST,
        "expired_token",
    );
    assert_eq!(poll(&app, &burnt_device).await.code(), "expired_token");

    let r = decide(&app, &approver, "approve", &kept_code).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(poll(&app, &kept_device).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn user_code_entries_and_starts_have_per_ip_budgets() {
    let app = TestApp::with(|c| {
        c.limits.device_entries_per_minute_per_ip = 3;
        c.limits.device_starts_per_hour_per_ip = 2;
    });
    let approver = app.user_key("dev@example.com", Role::Developer, None).await;
    let (_, user_code) = start(&app, json!({})).await;
    for _ in 0..3 {
        let r = decide(&app, &approver, "lookup", "BBBB-BBBB").await;
        assert_eq!(r.code(), "invalid_user_code", "{:?}", r.body);
    }
    // The budget is used up, even for the right code.
    let r = decide(&app, &approver, "approve", &user_code).await;
    assert_error(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(r.headers.contains_key("retry-after"));

    start(&app, json!({})).await;
    let r = app.post("/v1/auth/device", None, json!({})).await;
    assert_error(&r, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    // Another address has its own budget.
    let r = app
        .post_from("192.0.2.7", "/v1/auth/device", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

#[tokio::test]
async fn any_role_may_approve_but_a_restricted_key_may_not() {
    let app = app();
    let member = app.user_key("member@example.com", Role::Member, None).await;
    let (device_code, user_code) = start(&app, json!({})).await;
    let r = decide(&app, &member, "approve", &user_code).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = poll(&app, &device_code).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.data()["user"]["email"], "member@example.com");

    // A key limited to some addresses would mint an unlimited one: refused.
    let dev = app.user_key("dev@example.com", Role::Developer, None).await;
    let (limited, _) = app
        .create_key(
            &dev,
            json!({ "name": "limited", "allowed_ips": ["127.0.0.1/32"] }),
        )
        .await;
    let (read_only, _) = app
        .create_key(&dev, json!({ "name": "reader", "scopes": ["read"] }))
        .await;
    let (_, user_code) = start(&app, json!({})).await;
    for token in [&limited, &read_only] {
        let r = decide(&app, token, "approve", &user_code).await;
        assert_error(&r, StatusCode::FORBIDDEN, "insufficient_permissions");
    }
    // Without a credential there is no approving at all.
    let r = app
        .post(
            "/v1/auth/device/approve",
            None,
            json!({ "user_code": user_code }),
        )
        .await;
    assert_error(&r, StatusCode::UNAUTHORIZED, "authentication_required");
}

#[tokio::test]
async fn malformed_bodies_are_refused_with_the_field_named() {
    let app = app();
    let r = app
        .post("/v1/auth/device", None, json!({ "key_name": "" }))
        .await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation_error");
    assert!(r.body["error"]["details"]["fields"]["key_name"].is_string());
    let r = app.post("/v1/auth/device/token", None, json!({})).await;
    assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "validation_error");
    let r = app
        .post("/v1/auth/device", None, json!({ "scope": "x" }))
        .await;
    assert_error(&r, StatusCode::BAD_REQUEST, "invalid_request");
}
