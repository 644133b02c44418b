//! Helpers shared by the server's integration tests.
#![allow(dead_code)]

pub mod db;
pub mod oidc;
pub mod visitor;

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use scripto_server::admin::{AddUser, AddedUser, Target, add_user_with};
use scripto_server::{AppState, Config, PasswordHashing, app};
use scripto_wire::types::{OutboxMessage, Role};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Argon2id, but cheap enough for tests.
pub const CHEAP: PasswordHashing = PasswordHashing {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

/// A test's directory and database (see [`db::TestDb`]); both go away
/// with it.
pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub db: db::TestDb,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let db = db::TestDb::new(dir.path());
        Scratch { dir, db }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A server's configuration on `s`: its database, the outbox and server
/// key in its directory, and cheap password hashing.
pub fn test_config(s: &Scratch) -> Config {
    let mut c = Config::for_db(s.db.url.clone());
    c.outbox_path = s.path().join("outbox.jsonl");
    c.key_path = s.path().join("server.key");
    c.limits.password_hashing = CHEAP;
    c
}

pub fn add_user(
    db: impl Into<Target>,
    email: &str,
    role: Role,
    org: Option<&str>,
    password: Option<&str>,
    mfa: bool,
) -> AddedUser {
    add_user_with(
        db,
        AddUser {
            email: email.to_owned(),
            role,
            org: org.map(str::to_owned),
            password: password.map(str::to_owned),
            mfa,
            issuer: None,
        },
        &CHEAP,
    )
    .expect("add user")
}

/// The last code the outbox holds for `email`.
pub fn last_code(outbox: &Path, email: &str) -> String {
    let text = std::fs::read_to_string(outbox).expect("outbox exists");
    text.lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<OutboxMessage>(l).ok())
        .find(|m| m.to == email)
        .map(|m| m.code.expose().to_owned())
        .expect("a code for this address")
}

/// A server behind `oneshot`, no socket.
pub struct TestApp {
    pub state: AppState,
    pub scratch: Scratch,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
}

impl TestApp {
    pub fn new() -> TestApp {
        Self::with(|_| {})
    }

    pub fn with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let scratch = Scratch::new();
        let mut config = test_config(&scratch);
        tweak(&mut config);
        let state = AppState::new(config).unwrap();
        TestApp { state, scratch }
    }

    /// The database and server key, for the admin functions.
    pub fn db(&self) -> Target {
        Target::from(self.state.config())
    }

    pub fn outbox(&self) -> PathBuf {
        self.state.config().outbox_path.clone()
    }

    pub async fn raw(&self, req: Request<Body>) -> Reply {
        let resp = app(self.state.clone()).oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header("content-type", "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.raw(req).await
    }

    /// A POST with a JSON body from the client at `ip`.
    pub async fn post_from(&self, ip: &str, path: &str, body: Value) -> Reply {
        let peer: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.raw(req).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Logs `email` in with an e-mail code; the new key.
    pub async fn code_login(&self, email: &str) -> String {
        let r = self
            .post("/v1/auth/login-request", None, json!({ "email": email }))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
        let code = last_code(&self.outbox(), email);
        let r = self
            .post(
                "/v1/auth/login-complete",
                None,
                json!({ "email": email, "code": code }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r.data()["api_key"].as_str().unwrap().to_owned()
    }

    /// A user added with `role` (in `org`, if given) and a key from a code login.
    pub async fn user_key(&self, email: &str, role: Role, org: Option<&str>) -> String {
        add_user(self.db(), email, role, org, None, false);
        self.code_login(email).await
    }

    /// Creates a key with `token`; the raw key and its id.
    pub async fn create_key(&self, token: &str, body: Value) -> (String, String) {
        let r = self.post("/v1/keys", Some(token), body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        (
            r.data()["api_key"].as_str().unwrap().to_owned(),
            r.data()["key"]["id"].as_str().unwrap().to_owned(),
        )
    }

    /// Runs SQL on the server's database behind its back.
    pub fn sql(&self, sql: &str) {
        self.scratch.db.exec(sql);
    }

    /// One value read from the server's database behind its back.
    pub fn value(&self, sql: &str) -> Option<String> {
        self.scratch.db.value(sql)
    }

    /// Rows read from the server's database behind its back.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        self.scratch.db.rows(sql)
    }
}
