//! `scripto keys rotate --grace` against a real server: the new key reaches
//! every profile that holds the old one, matched by the key and not by how
//! the server URL is spelt; the old key lives out its grace and then is
//! refused; a second rotation of the old key is refused and leaves the new
//! key alone; a crash after the server's answer leaves every profile working.

use std::time::Duration;

use serde_json::Value;

use crate::support::server::{
    ConfigDir, TestServer, login, run, scripto, scripto_json, stored_key,
};

/// A key `svc` created by `lou` and stored as profile `svc`; its secret and id.
fn service_key(config: &ConfigDir, server: &TestServer) -> (String, String) {
    login(config, server, "lou@example.com", "lou");
    let created = scripto(
        config,
        &server.url(),
        &[
            "--json",
            "keys",
            "create",
            "--name",
            "svc",
            "--scope",
            "read",
            "--scope",
            "write",
            "--expires-in",
            "90d",
            "--save-as",
            "svc",
            "--storage",
            "file",
        ],
    )
    .success()
    .json();
    (
        created["data"]["api_key"].as_str().unwrap().to_owned(),
        created["data"]["key"]["id"].as_str().unwrap().to_owned(),
    )
}

/// `auth status` with `key` given in the environment: its exit code.
fn status_with(config: &ConfigDir, server: &TestServer, key: &str) -> i32 {
    run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", key)
        .args(["auth", "status"]))
    .code
}

/// The same server, spelt differently: `localhost` for `127.0.0.1`.
fn other_spelling(url: &str) -> String {
    url.replace("127.0.0.1", "localhost")
}

#[test]
fn a_grace_keeps_both_keys_working_every_holder_gets_the_new_one_and_the_old_one_then_expires() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let (old_key, old_id) = service_key(&config, &server);
    // The same key under another spelling of the server URL, once with its
    // key id recorded (a login) and once without (stored unverified).
    run(config
        .scripto(&server.url())
        .args([
            "--api-url",
            &format!("{}/", other_spelling(&server.url())),
            "auth",
            "login",
            "--with-token",
            "--profile-name",
            "svc-login",
            "--storage",
            "file",
        ])
        .write_stdin(format!("{old_key}\n")))
    .success();
    scripto(
        &config,
        &server.url(),
        &[
            "--api-url",
            &other_spelling(&server.url()),
            "config",
            "set",
            "--api-key",
            &old_key,
            "--profile-name",
            "svc-bare",
            "--no-verify",
            "--storage",
            "file",
        ],
    )
    .success();
    assert!(config.config_json()["profiles"]["svc-bare"]["key_id"].is_null());
    scripto(&config, &server.url(), &["profiles", "use", "lou"]).success();

    let rotated = scripto_json(
        &config,
        &server.url(),
        &[
            "--yes",
            "--profile",
            "svc",
            "keys",
            "rotate",
            "--grace",
            "6s",
        ],
    );
    let data = &rotated["data"];
    assert!(data.get("api_key").is_none(), "{data}");
    assert_eq!(data["old_key_id"], old_id.as_str());
    assert_eq!(data["key"]["replaces"], old_id.as_str());
    assert_eq!(data["old_key"]["status"], "active");
    assert!(data["old_key"]["expires_at"].is_string());
    let mut profiles: Vec<&str> = data["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    profiles.sort();
    assert_eq!(profiles, ["svc", "svc-bare", "svc-login"]);
    let new_key = stored_key(&config, "svc");
    assert_ne!(new_key, old_key);
    for profile in ["svc-bare", "svc-login"] {
        assert_eq!(stored_key(&config, profile), new_key, "{profile}");
        assert_eq!(
            config.config_json()["profiles"][profile]["key_id"],
            data["key"]["id"]
        );
    }
    // Both keys work during the grace.
    assert_eq!(status_with(&config, &server, &old_key), 0);
    assert_eq!(status_with(&config, &server, &new_key), 0);

    // Rotating the old key again is refused, names the successor, and
    // leaves the new key working.
    let again = scripto(
        &config,
        &server.url(),
        &[
            "--json",
            "--yes",
            "--profile",
            "svc",
            "keys",
            "rotate",
            &old_id,
        ],
    )
    .expect_error(2, "already_rotated")
    .json();
    let successor = data["key"]["id"].as_str().unwrap();
    assert!(
        again["error"]["message"]
            .as_str()
            .unwrap()
            .contains(successor),
        "{again}"
    );
    assert_eq!(status_with(&config, &server, &new_key), 0);
    let shown = scripto(&config, &server.url(), &["keys", "get", &old_id]).success();
    assert!(
        shown.stdout.contains(&format!("Successor   {successor}")),
        "{}",
        shown.stdout
    );

    std::thread::sleep(Duration::from_secs(7));
    let expired = run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &old_key)
        .args(["--json", "auth", "status"]))
    .code(3)
    .json();
    assert_eq!(expired["error"]["code"], "key_expired", "{expired}");
    for profile in ["svc", "svc-bare", "svc-login"] {
        scripto(
            &config,
            &server.url(),
            &["--profile", profile, "auth", "status"],
        )
        .success();
    }
    assert_eq!(config.config_json()["active_profile"], "lou");
}

#[test]
fn without_a_grace_the_old_key_is_revoked_and_the_summary_says_so() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let (old_key, _) = service_key(&config, &server);
    let rotated = scripto(
        &config,
        &server.url(),
        &["--yes", "--profile", "svc", "keys", "rotate"],
    )
    .success();
    assert!(
        rotated.stderr.contains("is now revoked"),
        "{}",
        rotated.stderr
    );
    assert!(!rotated.all().contains(&old_key[12..]));
    let new_key = stored_key(&config, "svc");
    assert!(
        !rotated.all().contains(&new_key[12..]),
        "the stored key was printed"
    );
    assert_eq!(status_with(&config, &server, &old_key), 3);
    assert_eq!(status_with(&config, &server, &new_key), 0);
}

#[test]
fn the_summary_says_when_the_old_key_stops_working() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    service_key(&config, &server);
    let rotated = scripto(
        &config,
        &server.url(),
        &[
            "--yes",
            "--profile",
            "svc",
            "keys",
            "rotate",
            "--grace",
            "7d",
        ],
    )
    .success();
    assert!(
        rotated.stderr.contains("keeps working until")
            && (rotated.stderr.contains("(in 6 days)") || rotated.stderr.contains("(in 7 days)")),
        "{}",
        rotated.stderr
    );
}

#[test]
fn a_bad_grace_is_a_usage_error_before_anything_changes() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let (old_key, _) = service_key(&config, &server);
    for grace in ["31d", "soon", "-1s", "1.5s"] {
        let out = scripto(
            &config,
            &server.url(),
            &[
                "--yes",
                "--profile",
                "svc",
                "keys",
                "rotate",
                &format!("--grace={grace}"),
            ],
        )
        .code(2);
        assert!(out.stderr.contains("grace"), "{grace}: {}", out.stderr);
    }
    assert_eq!(stored_key(&config, "svc"), old_key);
}

/// The rotation request answered, then nothing: as if scripto had crashed
/// between the server's answer and storing the key. Every profile keeps the
/// old key, which works for the grace; afterwards the profile says so, and
/// rotating it again names the successor rather than touching it.
#[test]
fn a_crash_after_the_servers_answer_leaves_every_profile_working_for_the_grace() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let (old_key, old_id) = service_key(&config, &server);
    let answer = post_rotate(&server.url(), &old_key, &old_id, 5);
    let new_key = answer["data"]["api_key"].as_str().unwrap().to_owned();
    let new_id = answer["data"]["key"]["id"].as_str().unwrap().to_owned();

    assert_eq!(stored_key(&config, "svc"), old_key);
    scripto(
        &config,
        &server.url(),
        &["--profile", "svc", "keys", "list"],
    )
    .success();
    let again = scripto(
        &config,
        &server.url(),
        &["--json", "--yes", "--profile", "svc", "keys", "rotate"],
    )
    .expect_error(2, "already_rotated")
    .json();
    assert!(
        again["error"]["next_action"]
            .as_str()
            .unwrap()
            .contains(&new_id)
    );
    assert_eq!(stored_key(&config, "svc"), old_key);
    assert_eq!(status_with(&config, &server, &new_key), 0);
    std::thread::sleep(Duration::from_secs(6));
    scripto(
        &config,
        &server.url(),
        &["--profile", "svc", "auth", "status"],
    )
    .code(3);
    assert_eq!(status_with(&config, &server, &new_key), 0);
}

/// The answer to a rotation is lost; rotating again names the successor,
/// and following that next step with the profile that still holds the old
/// key (in its grace) gives that profile a fresh, working key.
#[test]
fn a_rotation_whose_answer_was_lost_is_finished_by_rotating_the_successor() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let (old_key, old_id) = service_key(&config, &server);
    let lost = post_rotate(&server.url(), &old_key, &old_id, 120);
    let successor = lost["data"]["key"]["id"].as_str().unwrap().to_owned();

    let again = scripto(
        &config,
        &server.url(),
        &["--json", "--yes", "--profile", "svc", "keys", "rotate"],
    )
    .code(2)
    .json();
    let next = again["error"]["next_action"].as_str().unwrap().to_owned();
    assert_eq!(next, format!("scripto keys rotate {successor}"));
    let finished = scripto_json(
        &config,
        &server.url(),
        &["--yes", "--profile", "svc", "keys", "rotate", &successor],
    );
    assert_eq!(finished["data"]["profiles"], serde_json::json!(["svc"]));
    let newest = stored_key(&config, "svc");
    assert_ne!(newest, old_key);
    assert_eq!(
        config.config_json()["profiles"]["svc"]["key_id"],
        finished["data"]["key"]["id"]
    );
    scripto(
        &config,
        &server.url(),
        &["--profile", "svc", "auth", "status"],
    )
    .success();
    // The lost successor is gone; the old key still lives out its grace.
    assert_eq!(status_with(&config, &server, &old_key), 0);
}

/// `POST /v1/keys/{id}/rotate` with `key`, as `keys rotate` sends it.
fn post_rotate(url: &str, key: &str, id: &str, grace: u64) -> Value {
    // reqwest is built without a TLS crypto provider of its own (the CLI
    // installs ring's, src/api/client.rs): a client of the tests does too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(format!("{url}/v1/keys/{id}/rotate"))
            .bearer_auth(key)
            .json(&serde_json::json!({ "grace_seconds": grace }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
        response.json::<Value>().await.unwrap()
    })
}
