//! `scripto auth login --web` and `auth login-complete --device`: the
//! device login (RFC 8628) against a real server, approved or denied
//! through the server's JSON API while the real binary polls, as an agent
//! runs it (exit 9, then `login-complete --device`) and at a terminal.

use std::time::Duration;

use serde_json::Value;

use crate::support::mode;
use crate::support::server::{ConfigDir, TestServer, login, scripto, stored_key};
use crate::support::terminal::Terminal;

/// A server whose device logins may be polled every second (5 s by
/// default), so the tests do not wait long.
fn server() -> TestServer {
    TestServer::start_with(|c| c.limits.device_poll_interval_secs = 1)
}

/// A signed-in person's key, to approve with: `dev@example.com` by e-mail code.
fn approver(server: &TestServer) -> String {
    let config = ConfigDir::new();
    login(&config, server, "dev@example.com", "dev");
    stored_key(&config, "dev")
}

/// `POST /v1/auth/device/{what}` with `key`, as the approval page would.
fn decide(url: &str, key: &str, what: &str, user_code: &str) -> Value {
    // reqwest is built without a TLS crypto provider of its own (the CLI
    // installs ring's, src/api/client.rs): a client of the tests does too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(format!("{url}/v1/auth/device/{what}"))
            .bearer_auth(key)
            .json(&serde_json::json!({ "user_code": user_code }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        body
    })
}

/// `auth login --web` without a terminal: exit 9 and what to show a person.
fn start_as_agent(config: &ConfigDir, url: &str) -> Value {
    let run = scripto(
        config,
        url,
        &[
            "--json",
            "auth",
            "login",
            "--web",
            "--profile-name",
            "cli",
            "--storage",
            "file",
        ],
    )
    .expect_error(9, "device_approval_needed");
    run.error()
}

#[test]
fn an_agent_starts_a_browser_login_and_finishes_it_once_approved() {
    let server = server();
    let url = server.url();
    let key = approver(&server);
    let config = ConfigDir::new();

    let error = start_as_agent(&config, &url);
    let user_code = error["details"]["user_code"].as_str().unwrap().to_owned();
    assert_eq!(
        error["details"]["verification_uri_complete"],
        format!("{url}/device?code={user_code}")
    );
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(&user_code), "{message}");
    let next = error["next_action"].as_str().unwrap();
    assert!(
        next.starts_with("scripto auth login-complete --device --wait "),
        "{next}"
    );
    // The device code waits in a file only its owner can read.
    let saved = config.path().join("device-login.json");
    assert_eq!(mode(&saved), 0o600);

    // Not approved yet: exit 9 again, with the same step.
    let again = scripto(
        &config,
        &url,
        &["--json", "auth", "login-complete", "--device"],
    )
    .expect_error(9, "device_approval_needed");
    assert_eq!(again.error()["next_action"], next);

    // The agent waits while its human approves in the browser.
    let done = std::thread::scope(|s| {
        let waiting = s.spawn(|| {
            scripto(
                &config,
                &url,
                &[
                    "--json",
                    "auth",
                    "login-complete",
                    "--device",
                    "--wait",
                    "30",
                ],
            )
        });
        std::thread::sleep(Duration::from_millis(1500));
        let approved = decide(&url, &key, "approve", &user_code);
        assert_eq!(approved["data"]["status"], "approved");
        waiting.join().unwrap()
    })
    .success();
    let data = &done.data();
    assert_eq!(data["profile"], "cli");
    assert_eq!(data["email"], "dev@example.com");
    assert_eq!(data["minted_by_cli"], true);
    assert!(
        data["key_name"]
            .as_str()
            .is_some_and(|n| n.starts_with("scripto-cli@")),
        "{data}"
    );
    let minted = stored_key(&config, "cli");
    assert!(
        !done.all().contains(&minted),
        "the login printed the secret"
    );
    assert!(!saved.exists(), "the used device code was left behind");

    let status = scripto(
        &config,
        &url,
        &["--json", "--profile", "cli", "auth", "status"],
    )
    .success();
    assert_eq!(status.data()["user"]["email"], "dev@example.com");

    // The login is over: nothing to finish.
    scripto(
        &config,
        &url,
        &["--json", "auth", "login-complete", "--device"],
    )
    .expect_error(2, "no_device_login");
}

#[test]
fn a_denied_browser_login_is_its_own_error_with_exit_3() {
    let server = server();
    let url = server.url();
    let key = approver(&server);
    let config = ConfigDir::new();
    let error = start_as_agent(&config, &url);
    let user_code = error["details"]["user_code"].as_str().unwrap();
    decide(&url, &key, "deny", user_code);

    let denied = scripto(
        &config,
        &url,
        &[
            "--json",
            "auth",
            "login-complete",
            "--device",
            "--wait",
            "10",
        ],
    )
    .expect_error(3, "device_login_denied");
    let error = &denied.error();
    assert!(
        error["next_action"]
            .as_str()
            .is_some_and(|n| n.starts_with("scripto auth login --web")),
        "{error}"
    );
    assert!(!config.path().join("device-login.json").exists());
    assert!(config.config_json()["profiles"]["cli"].is_null());
}

#[test]
fn an_expired_browser_login_is_its_own_error_with_exit_3() {
    let server = TestServer::start_with(|c| {
        c.limits.device_poll_interval_secs = 1;
        c.limits.device_code_ttl_secs = 2;
    });
    let url = server.url();
    let config = ConfigDir::new();
    start_as_agent(&config, &url);
    let expired = scripto(
        &config,
        &url,
        &[
            "--json",
            "auth",
            "login-complete",
            "--device",
            "--wait",
            "20",
        ],
    )
    .expect_error(3, "device_login_expired");
    let error = &expired.error();
    assert!(
        error["next_action"]
            .as_str()
            .is_some_and(|n| n.starts_with("scripto auth login --web")),
        "{error}"
    );
    assert!(!config.path().join("device-login.json").exists());
}

#[test]
fn at_a_terminal_the_url_and_code_are_shown_and_the_key_is_stored_once_approved() {
    let server = server();
    let url = server.url();
    let key = approver(&server);
    let config = ConfigDir::new();
    let terminal = Terminal::spawn(
        &config,
        &url,
        &[
            "auth",
            "login",
            "--web",
            "--no-browser",
            "--profile-name",
            "term",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("shows the code ");
    terminal.wait_for(".\r\n");
    let shown = terminal.shown();
    let after = shown.split("shows the code ").nth(1).unwrap();
    let user_code: String = after.chars().take(9).collect();
    assert!(
        shown.contains(&format!("{url}/device?code={user_code}")),
        "{shown}"
    );
    terminal.wait_for("Waiting for approval");
    decide(&url, &key, "approve", &user_code);
    let run = terminal.finish().success();
    assert!(run.stdout.contains("term"), "{}", run.stdout);
    let minted = stored_key(&config, "term");
    assert!(!run.all().contains(&minted), "the login printed the secret");
}
