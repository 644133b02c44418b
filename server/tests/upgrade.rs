//! A database made by release 0.1.0 keeps working: this server starts on a
//! copy of it (tests/fixtures/release-0.1.0, made by that release's binary
//! with tests/fixtures/make-release-db.sh) and its users, keys, projects and
//! MFA users behave as they did.
//!
//! Only the binary's flags and the HTTP API are used, never the library or
//! the tables, so the test means the same before and after any change to the
//! server's insides.

#[path = "common/process.rs"]
mod process;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use process::ServerProcess;
use reqwest::StatusCode;
use serde_json::{Value, json};

const RELEASE: &str = "release-0.1.0";

/// A copy of the release's database, its key file and what fixture.json says
/// about them, with a server running on the copy.
struct Release {
    fixture: Value,
    db: PathBuf,
    server: ServerProcess,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    body: Value,
}

impl Reply {
    fn data(&self) -> &Value {
        &self.body["data"]
    }
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(RELEASE)
}

/// Copies the fixture to a new temporary directory; the copy's database path.
fn copy_fixture(dir: &Path) -> PathBuf {
    for file in ["scripto.db", "scripto.db.key"] {
        let to = dir.join(file);
        std::fs::copy(fixture_dir().join(file), &to)
            .unwrap_or_else(|e| panic!("copy {file} of the {RELEASE} fixture: {e}"));
        // As the release left them: private to the server's user.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    dir.join("scripto.db")
}

impl Release {
    async fn start() -> Release {
        Self::start_after(|_| {}).await
    }

    /// Starts the server after `before` has run (admin commands) on the copy.
    async fn start_after(before: impl FnOnce(&Path)) -> Release {
        let dir = tempfile::tempdir().unwrap();
        let db = copy_fixture(dir.path());
        before(&db);
        let fixture: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture_dir().join("fixture.json")).unwrap(),
        )
        .unwrap();
        let server = ServerProcess::start(&db, &["--no-log-codes"]).await;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        Release {
            fixture,
            db,
            server,
            client,
            _dir: dir,
        }
    }

    fn f(&self, pointer: &str) -> &Value {
        self.fixture
            .pointer(pointer)
            .unwrap_or_else(|| panic!("fixture.json has no {pointer}"))
    }

    fn s(&self, pointer: &str) -> &str {
        self.f(pointer)
            .as_str()
            .unwrap_or_else(|| panic!("{pointer} in fixture.json is not a string"))
    }

    /// The plaintext of the fixture's key `name`.
    fn key(&self, name: &str) -> &str {
        self.s(&format!("/keys/{name}/api_key"))
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let resp = req.send().await.expect("the server answers");
        let status = resp.status();
        let body = resp.json().await.unwrap_or(Value::Null);
        Reply { status, body }
    }

    async fn get(&self, path: &str, token: &str) -> Reply {
        let url = format!("{}{path}", self.server.url);
        self.send(self.client.get(url).bearer_auth(token)).await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        let mut req = self
            .client
            .post(format!("{}{path}", self.server.url))
            .json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req).await
    }

    /// GET /v1/me with `token`, asserting a 200.
    async fn me(&self, token: &str) -> Value {
        let r = self.get("/v1/me", token).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}\n{}",
            r.body,
            self.server.log()
        );
        r.data().clone()
    }

    /// Every item of a paginated list.
    async fn list(&self, path: &str, token: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        // A bound, so a server that keeps saying has_more cannot hang the test.
        for _ in 0..50 {
            let page = match &cursor {
                Some(c) => format!("{path}{sep}limit=100&cursor={c}"),
                None => format!("{path}{sep}limit=100"),
            };
            let r = self.get(&page, token).await;
            assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.body);
            items.extend(r.data().as_array().expect("a list").iter().cloned());
            match r.body["pagination"]["next_cursor"].as_str() {
                Some(next) if r.body["pagination"]["has_more"] == true => {
                    cursor = Some(next.to_owned())
                }
                _ => return items,
            }
        }
        panic!("{path}: more than 50 pages");
    }
}

fn ids(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// The current TOTP code of a base32 secret: RFC 6238 as the API fixes it
/// (SHA-1, 6 digits, 30 s steps).
fn totp_now(secret_base32: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32)
        .expect("a base32 secret")
        .as_bytes()
        .to_vec();
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("a TOTP");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!("{:06}", totp.generate(now))
}

#[tokio::test]
async fn every_active_key_of_the_release_authenticates_as_its_user() {
    let r = Release::start().await;
    for (key, user, org) in [
        ("admin", "admin", "acme"),
        ("developer", "developer", "acme"),
        ("member", "member", "acme"),
        ("long_lived", "developer", "acme"),
        ("project_web", "developer", "acme"),
        ("loopback_only", "developer", "acme"),
        ("rotated_new", "developer", "acme"),
        ("other_admin", "other_admin", "globex"),
    ] {
        let me = r.me(r.key(key)).await;
        assert_eq!(
            me["user"]["id"],
            *r.f(&format!("/users/{user}/id")),
            "{key}: {me}"
        );
        assert_eq!(
            me["user"]["email"],
            *r.f(&format!("/users/{user}/email")),
            "{key}: {me}"
        );
        assert_eq!(
            me["user"]["role"],
            *r.f(&format!("/users/{user}/role")),
            "{key}: {me}"
        );
        assert_eq!(
            me["organization"]["id"],
            *r.f(&format!("/orgs/{org}/id")),
            "{key}: {me}"
        );
        assert_eq!(
            me["organization"]["name"],
            *r.f(&format!("/orgs/{org}/name")),
            "{key}: {me}"
        );
        assert_eq!(me["credential"]["type"], "api_key", "{key}: {me}");
        assert_eq!(
            me["credential"]["key_id"],
            *r.f(&format!("/keys/{key}/id")),
            "{key}: {me}"
        );
    }
    // What each key was made with is kept.
    let long = r.me(r.key("long_lived")).await;
    assert_eq!(long["credential"]["scopes"], json!(["read"]), "{long}");
    assert!(long["credential"]["expires_at"].is_string(), "{long}");
    let dev = r.me(r.key("developer")).await;
    assert_eq!(
        dev["credential"]["scopes"],
        json!(["read", "write"]),
        "{dev}"
    );
    assert_eq!(dev["credential"]["project_ids"], json!([]), "{dev}");
    assert!(dev["credential"]["expires_at"].is_null(), "{dev}");
    // A read-only key still cannot write.
    let write = r
        .post("/v1/keys", Some(r.key("long_lived")), json!({"name": "x"}))
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.body);
    assert_eq!(write.code(), "insufficient_permissions");
}

#[tokio::test]
async fn the_role_set_by_the_admin_command_still_holds() {
    let r = Release::start().await;
    // member@ was added as a developer, then `users set-role --role member`.
    let me = r.me(r.key("member")).await;
    assert_eq!(me["user"]["role"], "member", "{me}");
    let create = r
        .post(
            "/v1/keys",
            Some(r.key("member")),
            json!({"name": "not allowed"}),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN, "{}", create.body);
    assert_eq!(create.code(), "insufficient_permissions");
}

#[tokio::test]
async fn revoked_expired_and_rotated_keys_are_refused_with_their_codes() {
    let r = Release::start().await;
    for (key, code) in [
        ("revoked", "key_revoked"),
        ("rotated_old", "key_revoked"),
        // Made with expires_in_seconds 60: long past by now.
        ("expired", "key_expired"),
    ] {
        let reply = r.get("/v1/me", r.key(key)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{key}: {}",
            reply.body
        );
        assert_eq!(reply.code(), code, "{key}: {}", reply.body);
    }
    // The admin's 15-minute session of that day has long ended.
    let session = r.s("/sessions/admin_expired/access_token");
    let reply = r.get("/v1/me", session).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(reply.code(), "session_expired", "{}", reply.body);

    // Their owner sees each with its status, and the rotation's two links.
    let dev = r.key("developer");
    for (key, status) in [
        ("revoked", "revoked"),
        ("expired", "expired"),
        ("rotated_old", "revoked"),
        ("rotated_new", "active"),
        ("long_lived", "active"),
    ] {
        let id = r.s(&format!("/keys/{key}/id"));
        let reply = r.get(&format!("/v1/keys/{id}"), dev).await;
        assert_eq!(reply.status, StatusCode::OK, "{key}: {}", reply.body);
        assert_eq!(reply.data()["status"], status, "{key}: {}", reply.body);
        assert_eq!(reply.data()["name"], *r.f(&format!("/keys/{key}/name")));
    }
    let old = r.s("/keys/rotated_old/id");
    let new = r.s("/keys/rotated_new/id");
    let reply = r.get(&format!("/v1/keys/{new}"), dev).await;
    assert_eq!(reply.data()["replaces"], old, "{}", reply.body);
    let reply = r.get(&format!("/v1/keys/{old}"), dev).await;
    assert_eq!(reply.data()["replaced_by"], new, "{}", reply.body);
    // Rotating the old key again names its successor, as before.
    let again = r
        .post(&format!("/v1/keys/{old}/rotate"), Some(dev), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.code(), "already_rotated", "{}", again.body);
    assert_eq!(again.body["error"]["details"]["replaced_by"], new);
}

#[tokio::test]
async fn the_project_scoped_key_sees_only_its_project() {
    let r = Release::start().await;
    let key = r.key("project_web");
    let web = r.s("/projects/web/id");
    let api = r.s("/projects/api/id");
    let me = r.me(key).await;
    assert_eq!(me["credential"]["project_ids"], json!([web]), "{me}");
    let listed = r.list("/v1/projects", key).await;
    assert_eq!(ids(&listed), BTreeSet::from([web.to_owned()]), "{listed:?}");
    let reply = r.get(&format!("/v1/projects/{web}"), key).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.data()["name"], "web");
    let reply = r.get(&format!("/v1/projects/{api}"), key).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(reply.code(), "project_forbidden");
    // It mints keys for its project only.
    let reply = r
        .post(
            "/v1/keys",
            Some(key),
            json!({"name": "wider", "project_ids": [api]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(reply.code(), "project_forbidden");
}

#[tokio::test]
async fn projects_are_listed_for_their_organization_only() {
    let r = Release::start().await;
    let acme = r.list("/v1/projects", r.key("admin")).await;
    let expected: BTreeSet<String> = ["web", "api"]
        .iter()
        .map(|p| r.s(&format!("/projects/{p}/id")).to_owned())
        .collect();
    assert_eq!(ids(&acme), expected, "{acme:?}");
    for p in &acme {
        assert_eq!(p["org_id"], *r.f("/orgs/acme/id"), "{p}");
    }
    // The oldest first, as made.
    let names: Vec<&str> = acme.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["web", "api"]);

    let globex = r.list("/v1/projects", r.key("other_admin")).await;
    assert_eq!(
        ids(&globex),
        BTreeSet::from([r.s("/projects/ops/id").to_owned()])
    );
    let ops = r.s("/projects/ops/id");
    let reply = r.get(&format!("/v1/projects/{ops}"), r.key("admin")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
}

#[tokio::test]
async fn the_admin_lists_every_key_of_the_organization() {
    let r = Release::start().await;
    let keys = r
        .list("/v1/keys?owner=all&status=all", r.key("admin"))
        .await;
    // Every key fixture.json lists of an Acme user, in every status; none of
    // Globex's.
    let fixture_keys = r.f("/keys").as_object().unwrap();
    let acme: BTreeSet<String> = fixture_keys
        .values()
        .filter(|k| k["owner"] != "other_admin")
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&keys), acme, "{keys:#?}");
    for (name, k) in fixture_keys {
        let Some(listed) = keys.iter().find(|l| l["id"] == k["id"]) else {
            continue;
        };
        assert_eq!(listed["status"], k["status"], "{name}: {listed}");
        let owner = r.f(&format!("/users/{}/id", k["owner"].as_str().unwrap()));
        assert_eq!(listed["owner_id"], *owner, "{name}: {listed}");
        assert!(
            listed.get("api_key").is_none(),
            "a list never holds a secret"
        );
    }
    // The IP rule came through as stored.
    let loopback = keys
        .iter()
        .find(|l| l["id"] == *r.f("/keys/loopback_only/id"))
        .unwrap();
    assert_eq!(loopback["allowed_ips"], json!(["127.0.0.0/8"]));
    // By default, the active ones.
    let active = r.list("/v1/keys?owner=all", r.key("admin")).await;
    let expected: BTreeSet<String> = fixture_keys
        .values()
        .filter(|k| k["owner"] != "other_admin" && k["status"] == "active")
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&active), expected);
    // A developer sees only their own.
    let mine = r.list("/v1/keys?status=all", r.key("developer")).await;
    assert!(
        mine.iter()
            .all(|k| k["owner_id"] == *r.f("/users/developer/id")),
        "{mine:#?}"
    );
}

#[tokio::test]
async fn password_login_works_for_the_release_users() {
    let r = Release::start().await;
    for user in ["admin", "developer", "other_admin"] {
        let reply = r
            .post(
                "/v1/auth/login",
                None,
                json!({
                    "email": r.s(&format!("/users/{user}/email")),
                    "password": r.s(&format!("/users/{user}/password")),
                }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{user}: {}", reply.body);
        let token = reply.data()["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{user}: no session: {}", reply.body));
        let me = r.me(token).await;
        assert_eq!(me["user"]["id"], *r.f(&format!("/users/{user}/id")));
        assert_eq!(me["credential"]["type"], "session");
    }
    let wrong = r
        .post(
            "/v1/auth/login",
            None,
            json!({"email": r.s("/users/admin/email"), "password": "not the password"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    assert_eq!(wrong.code(), "invalid_credentials");
}

#[tokio::test]
async fn the_mfa_user_completes_a_password_login_with_totp_or_a_backup_code() {
    let r = Release::start().await;
    let login = json!({
        "email": r.s("/users/mfa/email"),
        "password": r.s("/users/mfa/password"),
    });
    let challenge = |reply: &Reply| -> String {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.data()["mfa_required"], true, "{}", reply.body);
        assert!(reply.data().get("access_token").is_none(), "{}", reply.body);
        reply.data()["mfa_token"].as_str().unwrap().to_owned()
    };

    // TOTP, with the secret sealed by the release's server key.
    let token = challenge(&r.post("/v1/auth/login", None, login.clone()).await);
    let code = totp_now(r.s("/users/mfa/totp_secret_base32"));
    let reply = r
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({"mfa_token": token, "totp_code": code}),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}\n{}",
        reply.body,
        r.server.log()
    );
    let session = reply.data()["access_token"].as_str().unwrap();
    let me = r.me(session).await;
    assert_eq!(me["user"]["id"], *r.f("/users/mfa/id"));

    // A backup code, digested with the release's server key; once only.
    let backup = r.s("/users/mfa/backup_codes/3").to_owned();
    let token = challenge(&r.post("/v1/auth/login", None, login.clone()).await);
    let reply = r
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({"mfa_token": token, "backup_code": backup}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.data()["access_token"].is_string(), "{}", reply.body);
    let token = challenge(&r.post("/v1/auth/login", None, login).await);
    let reply = r
        .post(
            "/v1/auth/login/mfa",
            None,
            json!({"mfa_token": token, "backup_code": backup}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(reply.code(), "mfa_invalid");
}

#[tokio::test]
async fn the_release_database_takes_new_keys_logins_and_admin_commands() {
    // The admin commands of this server, on the release's file before it
    // serves: a promotion and a new user in the existing organization.
    let r = Release::start_after(|db| {
        let out = process::admin(
            db,
            &[
                "users",
                "set-role",
                "--email",
                "member@acme.example",
                "--role",
                "developer",
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = process::admin(
            db,
            &[
                "users",
                "add",
                "--email",
                "new@acme.example",
                "--org",
                "Acme",
                "--json",
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let added: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(added["org_created"], false, "{added}");
    })
    .await;
    let me = r.me(r.key("member")).await;
    assert_eq!(me["user"]["role"], "developer", "{me}");

    // A new key, used, then revoked, by the release's developer.
    let dev = r.key("developer");
    let made = r
        .post("/v1/keys", Some(dev), json!({"name": "after the upgrade"}))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let new_key = made.data()["api_key"].as_str().unwrap();
    let new_id = made.data()["key"]["id"].as_str().unwrap();
    assert_eq!(
        r.me(new_key).await["user"]["id"],
        *r.f("/users/developer/id")
    );
    let revoked = r
        .client
        .delete(format!("{}/v1/keys/{new_id}", r.server.url))
        .bearer_auth(dev);
    let revoked = r.send(revoked).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(r.get("/v1/me", new_key).await.code(), "key_revoked");

    // An e-mail code login of a release user mints a key for that same user.
    let email = r.s("/users/developer/email");
    let asked = r
        .post("/v1/auth/login-request", None, json!({"email": email}))
        .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.body);
    let outbox = std::fs::read_to_string(r.db.with_file_name("outbox.jsonl")).unwrap();
    let code = outbox
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|m| m["to"] == email)
        .and_then(|m| m["code"].as_str().map(str::to_owned))
        .expect("a code in the outbox");
    let done = r
        .post(
            "/v1/auth/login-complete",
            None,
            json!({"email": email, "code": code}),
        )
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    assert_eq!(done.data()["user"]["id"], *r.f("/users/developer/id"));
    // The rotated key's successor rotates again.
    let rotated = r.s("/keys/rotated_new/id");
    let again = r
        .post(&format!("/v1/keys/{rotated}/rotate"), Some(dev), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(
        r.get("/v1/me", r.key("rotated_new")).await.code(),
        "key_revoked"
    );
}
