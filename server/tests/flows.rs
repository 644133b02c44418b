//! The user-visible flows, against a server on a real socket
//! (`spawn_background`), as the CLI and its users meet them.

mod common;

use common::{CHEAP, Scratch, add_user, last_code, test_config};
use reqwest::StatusCode;
use scripto_server::{BackgroundServer, spawn_background};
use scripto_wire::types::Role;
use serde_json::{Value, json};

struct Live {
    server: BackgroundServer,
    http: reqwest::Client,
    scratch: Scratch,
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    fn data(&self) -> &Value {
        &self.body["data"]
    }
}

impl Live {
    fn start(tweak: impl FnOnce(&mut scripto_server::Config)) -> Live {
        let scratch = Scratch::new();
        let mut config = test_config(&scratch);
        tweak(&mut config);
        let server = spawn_background(config).unwrap();
        Live {
            server,
            http: reqwest::Client::new(),
            scratch,
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.server.url()));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.json().await.unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str, token: &str) -> Answer {
        self.send(reqwest::Method::GET, path, Some(token), None)
            .await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    async fn delete(&self, path: &str, token: &str) -> Answer {
        self.send(reqwest::Method::DELETE, path, Some(token), None)
            .await
    }

    async fn code_login(&self, email: &str) -> Answer {
        let r = self
            .post("/v1/auth/login-request", None, json!({ "email": email }))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
        let code = last_code(self.server.outbox_path(), email);
        self.post(
            "/v1/auth/login-complete",
            None,
            json!({ "email": email, "code": code }),
        )
        .await
    }

    async fn key_for(&self, email: &str) -> String {
        let r = self.code_login(email).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r.data()["api_key"].as_str().unwrap().to_owned()
    }

    async fn create_key(&self, token: &str, body: Value) -> (String, String) {
        let r = self.post("/v1/keys", Some(token), body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        (
            r.data()["api_key"].as_str().unwrap().to_owned(),
            r.data()["key"]["id"].as_str().unwrap().to_owned(),
        )
    }

    fn db(&self) -> &scripto_server::admin::Target {
        self.server.db()
    }
}

#[tokio::test]
async fn code_login_signs_up_then_logs_the_same_user_in_again() {
    let s = Live::start(|c| c.limits.code_resend_secs = 0);
    let first = s.code_login("new@example.com").await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.data()["user"]["role"], "admin");
    let again = s.code_login("new@example.com").await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.data()["user"]["id"], first.data()["user"]["id"]);
    assert_ne!(again.data()["api_key"], first.data()["api_key"]);
    let key = again.data()["api_key"].as_str().unwrap();
    let me = s.get("/v1/me", key).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.data()["user"]["email"], "new@example.com");
    assert!(me.headers.contains_key("x-request-id"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.server.outbox_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the outbox holds live codes");
    }
}

#[tokio::test]
async fn password_and_totp_give_a_session_that_mints_a_key() {
    let s = Live::start(|_| {});
    let added = add_user(
        s.db(),
        "m@example.com",
        Role::Developer,
        Some("Acme"),
        Some("pw"),
        true,
    );
    let r = s
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "m@example.com", "password": "pw" }),
        )
        .await;
    assert_eq!(r.data()["mfa_required"], true);
    let token = r.data()["mfa_token"].as_str().unwrap().to_owned();
    let code = scripto_server::totp_now(added.totp_secret_base32.as_deref().unwrap());
    let r = s
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let session = r.data()["access_token"].as_str().unwrap().to_owned();
    let (key, _) = s.create_key(&session, json!({ "name": "laptop" })).await;
    assert_eq!(
        s.get("/v1/me", &key).await.data()["credential"]["type"],
        "api_key"
    );
    // The same TOTP code cannot be used twice.
    let r = s
        .post(
            "/v1/auth/login",
            None,
            json!({ "email": "m@example.com", "password": "pw" }),
        )
        .await;
    let token = r.data()["mfa_token"].as_str().unwrap().to_owned();
    let r = s
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": code }),
        )
        .await;
    assert_eq!(r.code(), "mfa_invalid");
}

#[tokio::test]
async fn password_and_a_backup_code_work_once() {
    let s = Live::start(|_| {});
    let added = add_user(
        s.db(),
        "m@example.com",
        Role::Developer,
        None,
        Some("pw"),
        true,
    );
    let backup = added.backup_codes.unwrap()[3].clone();
    for expected in [StatusCode::OK, StatusCode::UNAUTHORIZED] {
        let r = s
            .post(
                "/v1/auth/login",
                None,
                json!({ "email": "m@example.com", "password": "pw" }),
            )
            .await;
        let token = r.data()["mfa_token"].as_str().unwrap().to_owned();
        let r = s
            .post(
                "/v1/auth/login/mfa",
                None,
                json!({ "mfa_token": token, "backup_code": backup }),
            )
            .await;
        assert_eq!(r.status, expected, "{:?}", r.body);
    }
}

#[tokio::test]
async fn key_create_use_revoke_then_refused_on_the_next_request() {
    let s = Live::start(|_| {});
    let admin = s.key_for("a@example.com").await;
    let (key, id) = s
        .create_key(
            &admin,
            json!({ "name": "job", "type": "batch", "expires_in_days": 365 }),
        )
        .await;
    assert_eq!(s.get("/v1/me", &key).await.status, StatusCode::OK);
    let r = s.delete(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(r.data()["status"], "revoked");
    let r = s.get("/v1/me", &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "key_revoked")
    );
    assert!(r.body["error"]["next_action"].is_string());
}

#[tokio::test]
async fn an_expired_key_is_refused() {
    let s = Live::start(|_| {});
    let admin = s.key_for("a@example.com").await;
    let (key, id) = s
        .create_key(&admin, json!({ "name": "short", "expires_in_days": 1 }))
        .await;
    s.scratch.db.exec(&format!(
        "UPDATE api_keys SET expires_at = 1 WHERE id = '{id}'"
    ));
    let r = s.get("/v1/me", &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "key_expired")
    );
}

#[tokio::test]
async fn scopes_and_projects_are_enforced_and_keys_cannot_mint_upward() {
    let s = Live::start(|_| {});
    add_user(
        s.db(),
        "a@example.com",
        Role::Admin,
        Some("Acme"),
        None,
        false,
    );
    let admin = s.key_for("a@example.com").await;
    let p1 = scripto_server::admin::add_project(s.db(), "Acme", "one").unwrap();
    let p2 = scripto_server::admin::add_project(s.db(), "Acme", "two").unwrap();
    let (ro, _) = s
        .create_key(
            &admin,
            json!({ "name": "ro", "scopes": ["read"], "project_ids": [p1] }),
        )
        .await;
    assert_eq!(
        s.get("/v1/projects", &ro)
            .await
            .data()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        s.get(&format!("/v1/projects/{p2}"), &ro).await.code(),
        "project_forbidden"
    );
    assert_eq!(
        s.post("/v1/keys", Some(&ro), json!({ "name": "x" }))
            .await
            .code(),
        "insufficient_permissions"
    );
    let (rw, _) = s
        .create_key(&admin, json!({ "name": "rw", "project_ids": [p1] }))
        .await;
    assert_eq!(
        s.post(
            "/v1/keys",
            Some(&rw),
            json!({ "name": "x", "project_ids": [p1, p2] })
        )
        .await
        .code(),
        "project_forbidden"
    );
    let (w, _) = s
        .create_key(&admin, json!({ "name": "w", "scopes": ["write"] }))
        .await;
    assert_eq!(
        s.post(
            "/v1/keys",
            Some(&w),
            json!({ "name": "x", "scopes": ["read"] })
        )
        .await
        .code(),
        "insufficient_permissions"
    );
}

#[tokio::test]
async fn a_member_cannot_manage_keys_and_an_admin_can_revoke_anyones() {
    let s = Live::start(|_| {});
    add_user(
        s.db(),
        "admin@example.com",
        Role::Admin,
        Some("Acme"),
        None,
        false,
    );
    add_user(
        s.db(),
        "dev@example.com",
        Role::Developer,
        Some("Acme"),
        None,
        false,
    );
    add_user(
        s.db(),
        "member@example.com",
        Role::Member,
        Some("Acme"),
        None,
        false,
    );
    let admin = s.key_for("admin@example.com").await;
    let dev = s.key_for("dev@example.com").await;
    let member = s.key_for("member@example.com").await;
    let r = s
        .post("/v1/keys", Some(&member), json!({ "name": "x" }))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "insufficient_permissions")
    );
    assert_eq!(
        s.get("/v1/me", &member).await.data()["user"]["role"],
        "member"
    );
    let (dev_key, dev_key_id) = s.create_key(&dev, json!({ "name": "dev's" })).await;
    let listed = s.get("/v1/keys?owner=all&status=all", &admin).await;
    assert!(listed.body.to_string().contains(&dev_key_id));
    let r = s.delete(&format!("/v1/keys/{dev_key_id}"), &admin).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(s.get("/v1/me", &dev_key).await.code(), "key_revoked");
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let s = Live::start(|c| {
        c.limits.credential_per_minute = 3;
        c.limits.anonymous_per_minute_per_ip = 4;
    });
    let key = s.key_for("a@example.com").await; // 2 anonymous requests
    for _ in 0..3 {
        assert_eq!(s.get("/v1/me", &key).await.status, StatusCode::OK);
    }
    let r = s.get("/v1/me", &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(r.body["error"]["details"]["retry_after"], retry);
    assert_eq!(r.headers["x-ratelimit-limit"], "3");
    assert_eq!(r.headers["x-ratelimit-remaining"], "0");
    // Anonymous calls from this IP have their own budget.
    let health = s.send(reqwest::Method::GET, "/v1/health", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    let health = s.send(reqwest::Method::GET, "/v1/health", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    let r = s.send(reqwest::Method::GET, "/v1/health", None, None).await;
    assert_eq!(r.code(), "rate_limited");
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn dropping_the_server_stops_it_and_keeps_its_writes() {
    let scratch = Scratch::new();
    let mut config = test_config(&scratch);
    config.limits.password_hashing = CHEAP;
    let server = spawn_background(config.clone()).unwrap();
    let url = server.url();
    let http = reqwest::Client::new();
    http.post(format!("{url}/v1/auth/login-request"))
        .json(&json!({ "email": "a@b.c" }))
        .send()
        .await
        .unwrap();
    let code = last_code(server.outbox_path(), "a@b.c");
    let r: Value = http
        .post(format!("{url}/v1/auth/login-complete"))
        .json(&json!({ "email": "a@b.c", "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = r["data"]["api_key"].as_str().unwrap().to_owned();
    drop(server);
    assert!(
        reqwest::Client::new()
            .get(format!("{url}/v1/health"))
            .send()
            .await
            .is_err()
    );
    // A new server on the same files knows the key.
    let server = spawn_background(config).unwrap();
    let r = reqwest::Client::new()
        .get(format!("{}/v1/me", server.url()))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_uses_and_revocations_all_succeed() {
    let s = std::sync::Arc::new(Live::start(|c| {
        c.limits.credential_per_minute = 100_000;
    }));
    let admin = s.key_for("a@example.com").await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = s.clone();
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            let r = s
                .post("/v1/keys", Some(&admin), json!({ "name": format!("k{i}") }))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            let key = r.data()["api_key"].as_str().unwrap().to_owned();
            let id = r.data()["key"]["id"].as_str().unwrap().to_owned();
            assert_eq!(s.get("/v1/me", &key).await.status, StatusCode::OK);
            let r = s.delete(&format!("/v1/keys/{id}"), &admin).await;
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            assert_eq!(s.get("/v1/me", &key).await.code(), "key_revoked");
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let r = s.get("/v1/keys?status=revoked&limit=100", &admin).await;
    assert_eq!(r.data().as_array().unwrap().len(), 40);
}

// ---- IP allow-lists ------------------------------------------------------------

/// `GET /v1/me` with `key`, from `from`, with extra headers.
async fn me_from(live: &Live, from: &str, key: &str, headers: &[(&str, &str)]) -> Answer {
    let http = reqwest::Client::builder()
        .local_address(from.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    let mut req = http
        .get(format!("{}/v1/me", live.server.url()))
        .bearer_auth(key);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.unwrap();
    Answer {
        status: resp.status(),
        headers: resp.headers().clone(),
        body: resp.json().await.unwrap_or(Value::Null),
    }
}

#[tokio::test]
async fn an_allow_listed_key_works_from_its_address_and_is_refused_from_another() {
    let live = Live::start(|_| {});
    let admin = live.key_for("ip@example.com").await;
    let (key, id) = live
        .create_key(
            &admin,
            json!({ "name": "office", "allowed_ips": ["127.0.0.1"] }),
        )
        .await;
    let shown = live.get(&format!("/v1/keys/{id}"), &admin).await;
    assert_eq!(shown.data()["allowed_ips"], json!(["127.0.0.1/32"]));

    assert_eq!(
        me_from(&live, "127.0.0.1", &key, &[]).await.status,
        StatusCode::OK
    );
    let refused = me_from(&live, "127.0.0.2", &key, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "ip_forbidden");
    assert_eq!(refused.body["error"]["details"]["ip"], "127.0.0.2");
    // The unrestricted key works from anywhere.
    assert_eq!(
        me_from(&live, "127.0.0.2", &admin, &[]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn forwarded_headers_count_only_from_a_trusted_proxy() {
    let office = json!({ "name": "office", "allowed_ips": ["203.0.113.0/24"] });
    // No proxy trusted: a client cannot choose its own address.
    let live = Live::start(|_| {});
    let admin = live.key_for("fwd@example.com").await;
    let (key, _) = live.create_key(&admin, office.clone()).await;
    for header in ["x-forwarded-for", "forwarded"] {
        let value = if header == "forwarded" {
            "for=203.0.113.5"
        } else {
            "203.0.113.5"
        };
        let forged = me_from(&live, "127.0.0.1", &key, &[(header, value)]).await;
        assert_eq!(forged.code(), "ip_forbidden", "{header}");
    }

    // 127.0.0.1 is a trusted proxy: the hop it added is the client.
    let live = Live::start(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]);
    let admin = live.key_for("proxy@example.com").await;
    let (key, _) = live.create_key(&admin, office).await;
    let via_proxy = me_from(
        &live,
        "127.0.0.1",
        &key,
        &[("x-forwarded-for", "203.0.113.5")],
    )
    .await;
    assert_eq!(via_proxy.status, StatusCode::OK, "{:?}", via_proxy.body);
    let rfc7239 = me_from(
        &live,
        "127.0.0.1",
        &key,
        &[("forwarded", "for=\"203.0.113.9:4711\"")],
    )
    .await;
    assert_eq!(rfc7239.status, StatusCode::OK, "{:?}", rfc7239.body);
    // Only the proxy's own hop counts: what the client wrote before it does not.
    let prepended = me_from(
        &live,
        "127.0.0.1",
        &key,
        &[("x-forwarded-for", "203.0.113.5, 198.51.100.1")],
    )
    .await;
    assert_eq!(prepended.code(), "ip_forbidden");
    // Another peer is not the proxy.
    let other = me_from(
        &live,
        "127.0.0.2",
        &key,
        &[("x-forwarded-for", "203.0.113.5")],
    )
    .await;
    assert_eq!(other.code(), "ip_forbidden");
}

// ---- audit log over real sockets ------------------------------------------------

#[tokio::test]
async fn refusals_are_one_event_a_minute_with_a_count_and_new_addresses_are_noted() {
    let live = Live::start(|_| {});
    let admin = live.key_for("agg@example.com").await;
    let (key, id) = live
        .create_key(
            &admin,
            json!({ "name": "lan", "allowed_ips": ["127.0.0.1"] }),
        )
        .await;
    assert_eq!(
        me_from(&live, "127.0.0.1", &key, &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        me_from(&live, "127.0.0.1", &key, &[]).await.status,
        StatusCode::OK
    );
    for _ in 0..7 {
        assert_eq!(
            me_from(&live, "127.0.0.2", &key, &[]).await.code(),
            "ip_forbidden"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let seen = live
        .get(&format!("/v1/audit-events?key_id={id}"), &admin)
        .await;
    let log = seen.data().as_array().unwrap().clone();
    let of_type = |t: &str| {
        log.iter()
            .filter(|e| e["type"] == t)
            .cloned()
            .collect::<Vec<_>>()
    };
    let refused = of_type("key.refused");
    assert_eq!(refused.len(), 1, "{log:#?}");
    assert_eq!(refused[0]["ip"], "127.0.0.2");
    assert_eq!(refused[0]["details"]["reason"], "ip_forbidden");
    // Used twice from 127.0.0.1: one first-use event, for that address.
    let new_address = of_type("key.new_address");
    assert_eq!(new_address.len(), 1, "{log:#?}");
    assert_eq!(new_address[0]["details"]["ip"], "127.0.0.1");

    // The count is written when the window is flushed (here: at shutdown).
    let Live {
        server, scratch, ..
    } = live;
    drop(server);
    let details = scratch.db.value(&format!(
        "SELECT details FROM audit_events WHERE type = 'key.refused' AND target_id = '{id}'"
    ));
    let details: Value = serde_json::from_str(&details.unwrap()).unwrap();
    assert_eq!(details["count"], 7);
}

// ---- slow and idle clients ----------------------------------------------------

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Reads until the server closes the connection (or 10 s pass); what was
/// read and when the close came.
fn read_until_closed(stream: &mut TcpStream, started: Instant) -> (String, Duration) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
    )
}

/// Writes `bytes` one at a time, `gap` apart, until the server closes the
/// connection; how long that took.
fn dribble(stream: &mut TcpStream, bytes: &[u8], gap: Duration, started: Instant) -> Duration {
    let mut reader = stream.try_clone().unwrap();
    let closed = std::thread::spawn(move || read_until_closed(&mut reader, started));
    for b in bytes.iter().cycle().take(200) {
        if closed.is_finished() || stream.write_all(&[*b]).is_err() {
            break;
        }
        std::thread::sleep(gap);
    }
    closed.join().unwrap().1
}

#[test]
fn a_client_dribbling_its_headers_is_disconnected_after_the_header_timeout() {
    let s = Live::start(|c| {
        c.limits.header_timeout = Duration::from_millis(600);
        c.limits.idle_timeout = Duration::from_secs(30);
    });
    let mut stream = TcpStream::connect(s.server.addr()).unwrap();
    let started = Instant::now();
    stream
        .write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let closed_after = dribble(
        &mut stream,
        b"X-Slow: aaaaaaaaaaaaaaaaaaaa\r\n",
        Duration::from_millis(100),
        started,
    );
    assert!(
        closed_after >= Duration::from_millis(500) && closed_after < Duration::from_secs(4),
        "closed after {closed_after:?}"
    );
}

#[test]
fn a_chunked_body_that_never_ends_is_cut_off_with_408() {
    let s = Live::start(|c| c.limits.body_timeout = Duration::from_millis(600));
    let mut stream = TcpStream::connect(s.server.addr()).unwrap();
    let started = Instant::now();
    stream
        .write_all(
            b"POST /v1/auth/login-request HTTP/1.1\r\nHost: x\r\n\
              Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n",
        )
        .unwrap();
    let mut reader = stream.try_clone().unwrap();
    let answer = std::thread::spawn(move || read_until_closed(&mut reader, started));
    for _ in 0..50 {
        if answer.is_finished() || stream.write_all(b"1\r\n \r\n").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (text, after) = answer.join().unwrap();
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"request_timeout\""), "{text}");
    assert!(after < Duration::from_secs(4), "answered after {after:?}");
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let s = Live::start(|c| {
        c.limits.idle_timeout = Duration::from_millis(700);
        c.limits.header_timeout = Duration::from_secs(30);
    });
    let mut stream = TcpStream::connect(s.server.addr()).unwrap();
    stream
        .write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    // Read the answer, then nothing more is sent.
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let started = Instant::now();
    let (rest, closed_after) = read_until_closed(&mut stream, started);
    assert_eq!(rest, "");
    assert!(
        closed_after >= Duration::from_millis(500) && closed_after < Duration::from_secs(4),
        "closed after {closed_after:?}"
    );
}

#[test]
fn connections_over_the_cap_wait_and_real_requests_are_still_answered() {
    let s = Live::start(|c| {
        c.limits.max_connections = 2;
        // A new connection that sends nothing is held to the header bound.
        c.limits.header_timeout = Duration::from_millis(800);
    });
    // Two silent connections hold both slots.
    let silent: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(s.server.addr()).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    // A real request waits in the backlog until a slot frees, then is
    // answered.
    let started = Instant::now();
    let mut real = TcpStream::connect(s.server.addr()).unwrap();
    real.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (text, after) = read_until_closed(&mut real, started);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(
        after >= Duration::from_millis(500),
        "answered after {after:?}: the cap did not hold"
    );
    assert!(after < Duration::from_secs(5), "answered after {after:?}");
    drop(silent);
}

#[test]
fn a_role_change_by_another_process_takes_effect_within_a_second() {
    let s = Live::start(|_| {});
    add_user(
        s.db(),
        "boss@example.com",
        Role::Admin,
        Some("Acme"),
        None,
        false,
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rt.block_on(s.key_for("boss@example.com"));
    // Cached as an admin.
    let r = rt.block_on(s.get("/v1/keys?owner=all", &key));
    assert_eq!(r.status, StatusCode::OK);
    scripto_server::admin::set_role(s.db(), "boss@example.com", Role::Developer).unwrap();
    let demoted = Instant::now();
    loop {
        let r = rt.block_on(s.get("/v1/keys?owner=all", &key));
        if r.code() == "insufficient_permissions" {
            break;
        }
        assert!(
            demoted.elapsed() < Duration::from_secs(1),
            "admin-only requests still succeed {:?} after the demotion",
            demoted.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn headers_over_16_kib_are_refused_not_buffered() {
    let s = Live::start(|_| {});
    let mut stream = TcpStream::connect(s.server.addr()).unwrap();
    let started = Instant::now();
    let big = format!(
        "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let _ = stream.write_all(big.as_bytes());
    let (text, _) = read_until_closed(&mut stream, started);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 431"),
        "{text}"
    );
}
