//! A key the server minted for a command that then cannot store it: the
//! command prints one error (one JSON document under `--json`), and no key
//! is left active on the server with its secret lost. The real server
//! revokes it; a server that refuses the revocation gets the key handed out
//! once, in the error's details.

use std::path::PathBuf;

use scripto_wire::types::Role;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::running_as_root;
use crate::support::server::{ConfigDir, Run, TestServer, bare_scripto, login, run, scripto};

/// A config directory no write can succeed in (reading finds no file).
/// Permissions do not stop root, so root gets a read-only file system.
struct Unwritable {
    _parent: tempfile::TempDir,
    dir: PathBuf,
}

impl Unwritable {
    fn new() -> Self {
        let parent = tempfile::tempdir().unwrap();
        let dir = if running_as_root() {
            PathBuf::from("/sys/fs/scripto-unwritable")
        } else {
            use std::os::unix::fs::PermissionsExt;
            let dir = parent.path().join("locked");
            std::fs::create_dir(&dir).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
            dir.join("scripto")
        };
        Self {
            _parent: parent,
            dir,
        }
    }

    fn scripto(&self, server: &str, args: &[&str]) -> Run {
        run(bare_scripto()
            .env("SCRIPTO_CONFIG_DIR", &self.dir)
            .env("SCRIPTO_API_URL", server)
            .args(args))
    }
}

/// The ids of the keys of the profile `profile` in `config` with `status`.
fn key_ids(config: &ConfigDir, server: &str, status: &str) -> Vec<String> {
    scripto(
        config,
        server,
        &["--json", "keys", "list", "--status", status],
    )
    .success()
    .json()["data"]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn login_complete_that_cannot_store_the_key_revokes_it_and_says_so() {
    let server = TestServer::start();
    let nowhere = Unwritable::new();
    let email = "ada@example.com";
    server.add_user(email, Role::Developer, "a long password");
    nowhere
        .scripto(&server.url(), &["auth", "login", "--email", email])
        .code(9);
    let code = server.last_code(email);
    let failed = nowhere
        .scripto(
            &server.url(),
            &[
                "--json",
                "auth",
                "login-complete",
                "--email",
                email,
                "--code",
                &code,
            ],
        )
        .code(8);
    let error = failed.json()["error"].clone();
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("cannot"), "{message}");
    assert!(message.contains("was revoked on the server"), "{message}");
    assert!(!message.contains("stored in"), "{message}");
    let revoked_id = error["details"]["revoked_key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(error["details"].get("api_key").is_none(), "{error}");

    // The key is revoked, and the user can simply log in again.
    let config = ConfigDir::new();
    run(config
        .scripto(&server.url())
        .args(["auth", "login", "--email", email, "--password-stdin"])
        .args(["--profile-name", "ada", "--storage", "file"])
        .write_stdin("a long password\n"))
    .success();
    assert!(
        key_ids(&config, &server.url(), "revoked").contains(&revoked_id),
        "the unstored key is still active"
    );
}

#[test]
fn a_password_login_that_cannot_store_the_key_revokes_it_too() {
    let server = TestServer::start();
    let nowhere = Unwritable::new();
    let email = "cy@example.com";
    server.add_user(email, Role::Developer, "a long password");
    let failed = run(bare_scripto()
        .env("SCRIPTO_CONFIG_DIR", &nowhere.dir)
        .env("SCRIPTO_API_URL", server.url())
        .args([
            "--json",
            "auth",
            "login",
            "--email",
            email,
            "--password-stdin",
        ])
        .write_stdin("a long password\n"))
    .code(8);
    let error = failed.json()["error"].clone();
    let revoked_id = error["details"]["revoked_key_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let config = ConfigDir::new();
    run(config
        .scripto(&server.url())
        .args(["auth", "login", "--email", email, "--password-stdin"])
        .args(["--profile-name", "cy", "--storage", "file"])
        .write_stdin("a long password\n"))
    .success();
    assert!(key_ids(&config, &server.url(), "revoked").contains(&revoked_id));
}

#[test]
fn keys_create_save_as_that_cannot_store_prints_one_error_and_leaves_no_key() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "bo@example.com", "bo");
    let own_key = crate::support::server::stored_key(&config, "bo");
    let nowhere = Unwritable::new();
    let create = |json: bool| {
        let mut args = vec!["--api-key", &own_key, "keys", "create", "--name", "ci"];
        args.extend(["--save-as", "ci", "--storage", "file"]);
        if json {
            args.insert(0, "--json");
        }
        nowhere.scripto(&server.url(), &args).code(8)
    };

    let failed = create(true);
    let doc: Value = failed.json();
    assert_eq!(doc["success"], false, "{doc}");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("was revoked on the server"),
        "{doc}"
    );

    let failed = create(false);
    assert_eq!(failed.stdout, "", "no key is printed for a revoked key");
    assert_eq!(
        failed.stderr.trim_end().lines().count(),
        1,
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.contains("revoked"), "{}", failed.stderr);

    // Auto storage with no keyring falls back to the file; that it did is
    // not announced as "stored" when the file cannot be written either.
    let failed = nowhere
        .scripto(
            &server.url(),
            &[
                "--api-key",
                &own_key,
                "keys",
                "create",
                "--name",
                "ci",
                "--save-as",
                "ci",
            ],
        )
        .code(8);
    assert!(!failed.stderr.contains("is stored in"), "{}", failed.stderr);
    assert_eq!(
        failed.stderr.trim_end().lines().count(),
        1,
        "{}",
        failed.stderr
    );

    assert_eq!(
        key_ids(&config, &server.url(), "active").len(),
        1,
        "only bo's own key"
    );
    assert_eq!(key_ids(&config, &server.url(), "revoked").len(), 3);
}

fn envelope(data: Value) -> Value {
    json!({ "data": data, "meta": { "request_id": "req_0123456789abcdefAB" } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_can_be_neither_stored_nor_revoked_is_handed_out_once() {
    let server = MockServer::start().await;
    let secret = scripto_wire::key::format_key("Mint3dMint3dMint3dMint3dMint3d00");
    let key = json!({
        "id": "key_unstored",
        "name": "ci",
        "start": &secret[..12],
        "type": "batch",
        "scopes": ["read", "write"],
        "project_ids": [],
        "created_at": "2026-01-01T00:00:00Z",
        "expires_at": null,
        "last_used_at": null,
        "revoked_at": null,
        "status": "active",
        "owner_id": "usr_1",
    });
    Mock::given(method("POST"))
        .and(path("/v1/keys"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(envelope(json!({ "api_key": &secret, "key": key }))),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/keys/key_unstored"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let own_key = scripto_wire::key::format_key("0wnK3y0wnK3y0wnK3y0wnK3y0wnK3y00");
    let nowhere = Unwritable::new();
    let url = server.uri();
    let args = [
        "--timeout",
        "3",
        "--api-key",
        &own_key,
        "keys",
        "create",
        "--name",
        "ci",
        "--save-as",
        "ci",
        "--storage",
        "file",
    ];
    // The binary blocks this worker; wiremock answers on the other.
    let mut with_json = vec!["--json"];
    with_json.extend(args);
    let json_run = nowhere.scripto(&url, &with_json).code(8);
    let human_run = nowhere.scripto(&url, &args).code(8);

    let doc = json_run.json();
    assert_eq!(doc["success"], false, "{doc}");
    assert_eq!(doc["error"]["details"]["api_key"], secret.as_str());
    assert_eq!(doc["error"]["details"]["key_id"], "key_unstored");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("could not be revoked"),
        "{doc}"
    );

    assert_eq!(human_run.stdout.trim(), secret, "the key alone on stdout");
    assert_eq!(
        human_run.stderr.trim_end().lines().count(),
        1,
        "{}",
        human_run.stderr
    );
    assert!(
        !human_run.stderr.contains(&secret),
        "the key is not in the error line: {}",
        human_run.stderr
    );
}
