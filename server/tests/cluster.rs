//! Several instances on one PostgreSQL database (docs/server.md, "Running
//! several instances"): each finishes what another started, and a
//! revocation, a demotion or a removed user takes effect on every instance
//! within a second of the answer that made it. The instances are real:
//! each has its own runtime, pool, key cache and limiter, and in the last
//! test its own process, killed with SIGKILL.
//!
//! These need PostgreSQL: `scripts/test` runs them when 127.0.0.1:5432
//! answers (`cargo nextest run -p scripto-server --run-ignored only -E
//! 'test(/^cluster_/)'` with `SCRIPTO_TEST_POSTGRES` set).

mod common;
#[path = "common/process.rs"]
mod process;

use std::time::{Duration, Instant};

use common::db::TestDb;
use common::{CHEAP, add_user, last_code};
use reqwest::StatusCode;
use scripto_server::admin::{self, Target};
use scripto_server::{BackgroundServer, Config, spawn_background};
use scripto_wire::types::Role;
use serde_json::{Value, json};

/// The bound of docs/server.md: a change is in effect on every instance
/// within this long of the answer that made it (p99).
const BOUND: Duration = Duration::from_secs(1);

/// Three instances of one database, with one server key and one outbox.
struct Cluster {
    servers: Vec<BackgroundServer>,
    config: Config,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

struct Answer {
    status: StatusCode,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl Cluster {
    fn start() -> Cluster {
        let db = TestDb::postgres();
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::for_db(db.url.clone());
        config.key_path = dir.path().join("server.key");
        config.outbox_path = dir.path().join("outbox.jsonl");
        config.limits.password_hashing = CHEAP;
        // The tests make thousands of requests from one address.
        config.limits.anonymous_per_minute_per_ip = 1_000_000;
        config.limits.credential_per_minute = 1_000_000;
        let servers = (0..3)
            .map(|_| spawn_background(config.clone()).unwrap())
            .collect();
        Cluster {
            servers,
            config,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
            _dir: dir,
            _db: db,
        }
    }

    fn admin(&self) -> Target {
        Target::from(&self.config)
    }

    async fn send(
        &self,
        i: usize,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.servers[i].url()));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let body = resp.json().await.unwrap_or(Value::Null);
        Answer { status, body }
    }

    async fn get(&self, i: usize, path: &str, token: &str) -> Answer {
        self.send(i, reqwest::Method::GET, path, Some(token), None)
            .await
    }

    async fn post(&self, i: usize, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.send(i, reqwest::Method::POST, path, token, Some(body))
            .await
    }

    /// A key for `email` from a code asked for on instance `asked` and
    /// typed on instance `typed`.
    async fn code_login(&self, email: &str, asked: usize, typed: usize) -> String {
        let r = self
            .post(
                asked,
                "/v1/auth/login-request",
                None,
                json!({ "email": email }),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
        let code = last_code(&self.config.outbox_path, email);
        let r = self
            .post(
                typed,
                "/v1/auth/login-complete",
                None,
                json!({ "email": email, "code": code }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r.body["data"]["api_key"].as_str().unwrap().to_owned()
    }

    /// How long after `since` instance `i` first answers `path` with
    /// `status` (polled every 5 ms, for at most 5 s).
    async fn until(
        &self,
        i: usize,
        path: &str,
        token: &str,
        status: StatusCode,
        since: Instant,
    ) -> Duration {
        loop {
            if self.get(i, path, token).await.status == status {
                return since.elapsed();
            }
            assert!(
                since.elapsed() < Duration::from_secs(5),
                "instance {i} still does not answer {path} with {status} after 5 s"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// A key for `email` from an e-mail code login at the server `url`.
async fn login_at(
    http: &reqwest::Client,
    url: &str,
    outbox: &std::path::Path,
    email: &str,
) -> String {
    let r = http
        .post(format!("{url}/v1/auth/login-request"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let code = last_code(outbox, email);
    let r: Value = http
        .post(format!("{url}/v1/auth/login-complete"))
        .json(&json!({ "email": email, "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["data"]["api_key"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: scripts/test runs it"]
async fn cluster_each_instance_finishes_what_another_started() {
    let c = Cluster::start();
    // A code asked for on A completes on B.
    let key = c.code_login("code@example.com", 0, 1).await;
    assert_eq!(c.get(2, "/v1/me", &key).await.status, StatusCode::OK);

    // An MFA challenge opened on A is answered on C; the session it gives
    // works on B.
    let added = add_user(
        c.admin(),
        "mfa@example.com",
        Role::Developer,
        None,
        Some("pw"),
        true,
    );
    let r = c
        .post(
            0,
            "/v1/auth/login",
            None,
            json!({ "email": "mfa@example.com", "password": "pw" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let token = r.body["data"]["mfa_token"].as_str().unwrap().to_owned();
    let totp = scripto_server::totp_now(added.totp_secret_base32.as_deref().unwrap());
    let r = c
        .post(
            2,
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": totp }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let session = r.body["data"]["access_token"].as_str().unwrap().to_owned();
    let me = c.get(1, "/v1/me", &session).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["data"]["user"]["email"], "mfa@example.com");
    // The challenge was used up on C: A does not take it again.
    let r = c
        .post(
            0,
            "/v1/auth/login/mfa",
            None,
            json!({ "mfa_token": token, "totp_code": totp }),
        )
        .await;
    assert_eq!(r.code(), "mfa_challenge_expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: scripts/test runs it"]
async fn cluster_a_revocation_is_refused_on_every_instance_within_a_second() {
    const KEYS: usize = 200;
    const AT_ONCE: usize = 10;
    let c = std::sync::Arc::new(Cluster::start());
    let admin = c.code_login("boss@example.com", 0, 0).await;
    let mut keys = Vec::new();
    for i in 0..KEYS {
        let r = c
            .post(
                0,
                "/v1/keys",
                Some(&admin),
                json!({ "name": format!("k{i}") }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        let data = &r.body["data"];
        keys.push((
            data["api_key"].as_str().unwrap().to_owned(),
            data["key"]["id"].as_str().unwrap().to_owned(),
        ));
    }
    // Every key is in the caches of B and C before it is revoked on A.
    for (key, _) in &keys {
        for i in [1, 2] {
            assert_eq!(c.get(i, "/v1/me", key).await.status, StatusCode::OK);
        }
    }
    let mut latencies = Vec::new();
    for batch in keys.chunks(AT_ONCE) {
        let mut tasks = Vec::new();
        for (key, id) in batch {
            let (key, id) = (key.clone(), id.clone());
            let c = c.clone();
            let admin = admin.clone();
            tasks.push(tokio::spawn(async move {
                let r = c
                    .send(
                        0,
                        reqwest::Method::DELETE,
                        &format!("/v1/keys/{id}"),
                        Some(&admin),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
                let answered = Instant::now();
                let mut slowest = Duration::ZERO;
                for i in [1, 2] {
                    let took = c
                        .until(i, "/v1/me", &key, StatusCode::UNAUTHORIZED, answered)
                        .await;
                    slowest = slowest.max(took);
                }
                slowest
            }));
        }
        for t in tasks {
            latencies.push(t.await.unwrap());
        }
    }
    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    let (p50, p99) = (p(0.50), p(0.99));
    eprintln!(
        "revocation to refusal on the two other instances, {KEYS} revocations: p50 {} ms, p99 {} ms, max {} ms",
        p50.as_millis(),
        p99.as_millis(),
        latencies.last().unwrap().as_millis()
    );
    assert!(p99 <= BOUND, "p99 {p99:?} is over {BOUND:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: scripts/test runs it"]
async fn cluster_a_demotion_and_a_removed_user_take_effect_on_every_instance_within_a_second() {
    let c = Cluster::start();
    add_user(
        c.admin(),
        "boss@example.com",
        Role::Admin,
        Some("Acme"),
        None,
        false,
    );
    let key = c.code_login("boss@example.com", 0, 0).await;
    for i in 0..3 {
        let r = c.get(i, "/v1/keys?owner=all", &key).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }

    // Demoted by the admin command, outside every instance.
    let changed = Instant::now();
    admin::set_role(c.admin(), "boss@example.com", Role::Developer).unwrap();
    for i in 0..3 {
        let took = c
            .until(
                i,
                "/v1/keys?owner=all",
                &key,
                StatusCode::FORBIDDEN,
                changed,
            )
            .await;
        assert!(
            took <= BOUND,
            "instance {i} took {took:?} to see the demotion"
        );
    }

    // Removed: the key stops working everywhere.
    let changed = Instant::now();
    assert_eq!(
        admin::remove_user(c.admin(), "boss@example.com").unwrap(),
        1
    );
    for i in 0..3 {
        let took = c
            .until(i, "/v1/me", &key, StatusCode::UNAUTHORIZED, changed)
            .await;
        assert!(
            took <= BOUND,
            "instance {i} took {took:?} to see the removal"
        );
    }
    // Nor can the removed user sign up again with the same address.
    let r = c
        .post(
            1,
            "/v1/auth/login-request",
            None,
            json!({ "email": "boss@example.com" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let code = last_code(&c.config.outbox_path, "boss@example.com");
    let r = c
        .post(
            2,
            "/v1/auth/login-complete",
            None,
            json!({ "email": "boss@example.com", "code": code }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "account_removed"),
        "{:?}",
        r.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: scripts/test runs it"]
async fn cluster_every_key_answered_201_before_a_sigkill_works_on_the_other_instances() {
    const CREATIONS: usize = 200;
    let db = TestDb::postgres();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("server.key");
    let outbox = dir.path().join("outbox.jsonl");
    let flags = [
        "--key-file",
        key_file.to_str().unwrap(),
        "--outbox",
        outbox.to_str().unwrap(),
        "--credential-limit",
        "1000000",
        "--anonymous-limit",
        "1000000",
    ];
    let scripto_server::DbUrl::Postgres(url) = &db.url else {
        unreachable!()
    };
    let mut instances = Vec::new();
    for name in ["a", "b", "c"] {
        let log = dir.path().join(format!("{name}.log"));
        instances.push(process::ServerProcess::start_logging(url.as_ref(), &log, &flags).await);
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let b = instances[1].url.clone();
    let admin = login_at(&http, &b, &outbox, "boss@example.com").await;

    // 200 creations at once on A; A is killed once 20 have answered.
    let a = instances[0].url.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for i in 0..CREATIONS {
        let (http, a, admin, tx) = (http.clone(), a.clone(), admin.clone(), tx.clone());
        tokio::spawn(async move {
            let sent = http
                .post(format!("{a}/v1/keys"))
                .bearer_auth(&admin)
                .json(&json!({ "name": format!("k{i}") }))
                .send()
                .await;
            let created = match sent {
                Ok(r) if r.status() == StatusCode::CREATED => r.json::<Value>().await.ok(),
                _ => None,
            };
            let _ = tx.send(created);
        });
    }
    drop(tx);
    let mut answered = Vec::new();
    let mut seen = 0;
    while let Some(created) = rx.recv().await {
        seen += 1;
        answered.extend(created);
        if seen == 20 {
            instances[0].kill();
        }
    }
    assert!(
        answered.len() >= 20,
        "only {} creations answered 201",
        answered.len()
    );
    for (i, created) in answered.iter().enumerate() {
        let key = created["data"]["api_key"].as_str().unwrap();
        let other = &instances[1 + i % 2].url;
        let r = http
            .get(format!("{other}/v1/me"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "a key answered 201 does not work on {other}"
        );
    }
    eprintln!(
        "{} of {CREATIONS} creations answered 201 before the SIGKILL; every one works on B and C",
        answered.len()
    );
}

/// A TCP proxy in front of PostgreSQL that the test can cut (every open
/// connection dropped, new ones closed at once) and restore: the database
/// lost while serving, and back.
struct Proxy {
    port: u16,
    cut: tokio::sync::watch::Sender<bool>,
}

impl Proxy {
    async fn start(target: std::net::SocketAddr) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (cut, cut_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                if *cut_rx.borrow() {
                    continue;
                }
                let mut cut_rx = cut_rx.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut_rx.wait_for(|cut| *cut) => {}
                    }
                });
            }
        });
        Proxy { port, cut }
    }

    fn set_cut(&self, cut: bool) {
        self.cut.send_replace(cut);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: scripts/test runs it"]
async fn cluster_a_database_lost_while_serving_answers_503_and_the_server_recovers() {
    let db = TestDb::postgres();
    let scripto_server::DbUrl::Postgres(direct) = &db.url else {
        unreachable!()
    };
    let proxy = Proxy::start("127.0.0.1:5432".parse().unwrap()).await;
    let via_proxy = direct.replacen("127.0.0.1:5432", &format!("127.0.0.1:{}", proxy.port), 1);
    assert_ne!(
        &via_proxy, direct,
        "SCRIPTO_TEST_POSTGRES must point at 127.0.0.1:5432"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_db(scripto_server::DbUrl::Postgres(via_proxy));
    config.key_path = dir.path().join("server.key");
    config.outbox_path = dir.path().join("outbox.jsonl");
    config.limits.password_hashing = CHEAP;
    let server = spawn_background(config.clone()).unwrap();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap();
    let url = server.url();
    let key = login_at(&http, &url, &config.outbox_path, "a@example.com").await;
    let me = || http.get(format!("{url}/v1/me")).bearer_auth(&key).send();
    assert_eq!(me().await.unwrap().status(), StatusCode::OK);

    proxy.set_cut(true);
    // Within the watcher's bound the cache stops answering alone; from
    // then on every answer that needs the database is a 503 with
    // Retry-After, never a 500 or a hang.
    let cut_at = Instant::now();
    let unavailable = loop {
        let r = me().await.unwrap();
        if r.status() == StatusCode::SERVICE_UNAVAILABLE {
            break r;
        }
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            cut_at.elapsed() < Duration::from_secs(5),
            "still answering from the cache after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(unavailable.headers().contains_key("retry-after"));
    let body: Value = unavailable.json().await.unwrap();
    assert_eq!(body["error"]["code"], "service_unavailable");
    let health = http.get(format!("{url}/v1/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = health.json().await.unwrap();
    assert_eq!(body["data"]["database"], "unavailable");
    let r = http
        .post(format!("{url}/v1/keys"))
        .bearer_auth(&key)
        .json(&json!({ "name": "while-down" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);

    proxy.set_cut(false);
    let back_at = Instant::now();
    loop {
        if me().await.unwrap().status() == StatusCode::OK {
            break;
        }
        assert!(
            back_at.elapsed() < Duration::from_secs(10),
            "did not recover within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let r = http
        .post(format!("{url}/v1/keys"))
        .bearer_auth(&key)
        .json(&json!({ "name": "after" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    drop(server);
}
