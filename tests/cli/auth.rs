//! `scripto auth …` against a real server: every login flow as an agent runs
//! it (no terminal, `--json`), status, token and logout, and CI's way of
//! passing a key with no config directory at all.

use std::time::Duration;

use scripto_server::admin::AddedUser;
use scripto_wire::types::Role;

use crate::support::server::{
    ConfigDir, TestServer, bare_scripto, create_key, login, run, scripto, scripto_json, stored_key,
    totp,
};
use crate::support::terminal::Terminal;

const PASSWORD: &str = "correct horse battery staple";

#[test]
fn agent_code_login_stops_with_the_login_complete_step_then_finishes_it() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let url = server.url();

    let first = scripto(
        &config,
        &url,
        &["--json", "auth", "login", "--email", "ada@example.com"],
    )
    .code(9)
    .json();
    assert_eq!(first["success"], false);
    assert_eq!(first["error"]["code"], "code_sent");
    let next = first["error"]["next_action"].as_str().unwrap();
    assert!(
        next.starts_with("scripto auth login-complete --email ada@example.com --code <code>"),
        "{next}"
    );
    assert_eq!(first["error"]["details"]["expires_in"], 600);

    let code = server.last_code("ada@example.com");
    let done = scripto(
        &config,
        &url,
        &[
            "--json",
            "auth",
            "login-complete",
            "--email",
            "ada@example.com",
            "--code",
            &code,
            "--storage",
            "file",
        ],
    )
    .success();
    let data = &done.json()["data"];
    assert_eq!(data["profile"], "ada");
    assert_eq!(data["active"], true);
    assert_eq!(data["email"], "ada@example.com");
    // Every login flow names its key after the machine that holds it.
    assert!(
        data["key_name"]
            .as_str()
            .is_some_and(|n| n.starts_with("scripto-cli@")),
        "{data}"
    );
    assert_eq!(data["minted_by_cli"], true);
    assert_eq!(data["storage"], "file");
    let key = stored_key(&config, "ada");
    assert!(!done.all().contains(&key), "the login printed the secret");

    let status = scripto(&config, &url, &["--json", "auth", "status"])
        .success()
        .json();
    assert_eq!(status["data"]["user"]["email"], "ada@example.com");
    assert_eq!(status["data"]["source"]["kind"], "profile");
}

#[test]
fn a_wrong_one_time_code_is_refused_with_exit_3_and_can_be_retried() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let url = server.url();
    scripto(
        &config,
        &url,
        &["auth", "login", "--email", "bo@example.com"],
    )
    .code(9);
    let code = server.last_code("bo@example.com");
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let refused = scripto(
        &config,
        &url,
        &[
            "--json",
            "auth",
            "login-complete",
            "--email",
            "bo@example.com",
            "--code",
            wrong,
        ],
    )
    .expect_error(3, "otp_invalid")
    .json();
    assert!(
        refused["error"]["next_action"]
            .as_str()
            .unwrap()
            .contains("login-complete")
    );
    assert_eq!(config.config_text(), "", "a failed login wrote the config");

    scripto(
        &config,
        &url,
        &[
            "auth",
            "login-complete",
            "--email",
            "bo@example.com",
            "--code",
            &code,
            "--storage",
            "file",
        ],
    )
    .success();
}

#[test]
fn a_code_that_is_not_six_digits_is_a_usage_error_before_any_request() {
    let config = ConfigDir::new();
    // Nothing listens on this port: a request would be exit 7, not 2.
    let run = scripto(
        &config,
        "http://127.0.0.1:9",
        &[
            "auth",
            "login-complete",
            "--email",
            "x@example.com",
            "--code",
            "12ab",
        ],
    );
    run.code(2);
}

#[test]
fn login_without_email_and_without_a_terminal_says_what_to_pass() {
    let config = ConfigDir::new();
    let run = scripto(&config, "http://127.0.0.1:9", &["--json", "auth", "login"]).code(2);
    assert!(
        run.json()["error"]["next_action"]
            .as_str()
            .unwrap()
            .contains("--email")
    );
}

#[test]
fn password_login_mints_the_clis_own_key_named_after_the_host() {
    let server = TestServer::start();
    server.add_user("cy@example.com", Role::Developer, PASSWORD);
    let config = ConfigDir::new();
    let done = run(config
        .scripto(&server.url())
        .args([
            "--json",
            "auth",
            "login",
            "--email",
            "cy@example.com",
            "--password-stdin",
        ])
        .args(["--storage", "file", "--expires-in", "90d"])
        .write_stdin(format!("{PASSWORD}\n")))
    .success();
    let data = &done.json()["data"];
    assert!(
        data["key_name"]
            .as_str()
            .unwrap()
            .starts_with("scripto-cli@"),
        "{data}"
    );
    assert_eq!(data["role"], "developer");
    assert!(data["expires_at"].is_string());
    assert!(!done.all().contains(PASSWORD));
    scripto(&config, &server.url(), &["auth", "status"]).success();
}

#[test]
fn a_wrong_password_is_exit_3_and_leaves_no_profile() {
    let server = TestServer::start();
    server.add_user("dee@example.com", Role::Developer, PASSWORD);
    let config = ConfigDir::new();
    let refused = run(config
        .scripto(&server.url())
        .args([
            "--json",
            "auth",
            "login",
            "--email",
            "dee@example.com",
            "--password-stdin",
        ])
        .write_stdin("not the password\n"))
    .code(3);
    assert_eq!(refused.json()["error"]["code"], "invalid_credentials");
    assert!(!refused.all().contains("not the password"));
    assert_eq!(config.config_text(), "");
}

/// Starts a password login for an MFA user without a terminal: exit 9 and a
/// saved challenge.
fn start_mfa_login(server: &TestServer, config: &ConfigDir, email: &str) -> serde_json::Value {
    run(config
        .scripto(&server.url())
        .args([
            "--json",
            "auth",
            "login",
            "--email",
            email,
            "--password-stdin",
        ])
        .args(["--storage", "file", "--profile-name", "mfa"])
        .write_stdin(format!("{PASSWORD}\n")))
    .code(9)
    .json()
}

/// A developer with MFA on `server` whose password login, without a
/// terminal, now waits for the second factor (see [`start_mfa_login`]).
fn mfa_pending(server: TestServer, email: &str) -> (TestServer, ConfigDir, AddedUser) {
    let user = server.add_mfa_user(email, Role::Developer, PASSWORD);
    let config = ConfigDir::new();
    start_mfa_login(&server, &config, email);
    (server, config, user)
}

/// The current TOTP code of `user`.
fn totp_of(user: &AddedUser) -> String {
    totp(user.totp_secret_base32.as_deref().expect("an MFA user"))
}

/// The profile a finished MFA login stored: `mfa` (the name
/// [`start_mfa_login`] asks for), in the file, holding a key of `email`.
#[track_caller]
fn assert_stored_mfa_profile(config: &ConfigDir, email: &str) {
    let profile = &config.config_json()["profiles"]["mfa"];
    assert_eq!(profile["email"], email, "{profile}");
    assert_eq!(profile["storage"], "file", "{profile}");
    assert!(
        profile["api_key"]
            .as_str()
            .is_some_and(|key| key.starts_with("scripto_")),
        "no key stored: {profile}"
    );
}

#[test]
fn agent_mfa_login_saves_the_challenge_privately_and_auth_mfa_finishes_it() {
    let server = TestServer::start();
    let user = server.add_mfa_user("eve@example.com", Role::Developer, PASSWORD);
    let config = ConfigDir::new();

    let first = start_mfa_login(&server, &config, "eve@example.com");
    assert_eq!(first["error"]["code"], "mfa_required");
    assert_eq!(
        first["error"]["next_action"],
        "scripto auth mfa --code <6-digit-code>"
    );
    let challenge = config.path().join("mfa-challenge.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&challenge).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let code = totp_of(&user);
    let done = scripto_json(&config, &server.url(), &["auth", "mfa", "--code", &code]);
    assert_stored_mfa_profile(&config, "eve@example.com");
    // The options of the first step (profile name, storage) carried over.
    assert_eq!(done["data"]["profile"], "mfa");
    assert_eq!(done["data"]["storage"], "file");
    assert_eq!(done["data"]["email"], "eve@example.com");
    let saved = std::fs::read_to_string(&challenge).unwrap();
    assert!(
        saved.contains("\"mfa_token\": null"),
        "the used token was kept: {saved}"
    );

    scripto(
        &config,
        &server.url(),
        &["--profile", "mfa", "auth", "status"],
    )
    .success();
}

#[test]
fn agent_code_login_of_an_mfa_user_needs_the_second_factor_before_a_key() {
    let server = TestServer::start();
    let user = server.add_mfa_user("kim@example.com", Role::Member, PASSWORD);
    let config = ConfigDir::new();
    scripto(
        &config,
        &server.url(),
        &["--json", "auth", "login", "--email", "kim@example.com"],
    )
    .code(9);
    let code = server.last_code("kim@example.com");
    let second = scripto(
        &config,
        &server.url(),
        &[
            "--json",
            "auth",
            "login-complete",
            "--email",
            "kim@example.com",
            "--code",
            &code,
            "--name",
            "kim-laptop",
            "--storage",
            "file",
        ],
    )
    .expect_error(9, "mfa_required")
    .json();
    assert_eq!(
        second["error"]["next_action"],
        "scripto auth mfa --code <6-digit-code>"
    );
    assert!(
        second["error"]["message"]
            .as_str()
            .unwrap()
            .contains("e-mail code was accepted"),
        "{second}"
    );
    assert!(
        !config.config_text().contains("kim"),
        "no key was stored before the second factor"
    );
    // A wrong code first: the login that passes says it happened.
    scripto(
        &config,
        &server.url(),
        &["--json", "auth", "mfa", "--backup-code", "wrong-wrong"],
    )
    .code(3);
    let code = totp_of(&user);
    let done = scripto(&config, &server.url(), &["auth", "mfa", "--code", &code]).success();
    assert!(
        done.stderr.contains("1 wrong second-factor code was given"),
        "{}",
        done.stderr
    );
    let profile = &config.config_json()["profiles"]["kim"];
    assert_eq!(profile["email"], "kim@example.com");
    // A member may not mint keys with a session: the code login's key came
    // from the server, named as asked.
    assert_eq!(profile["key_name"], "kim-laptop");
    scripto(
        &config,
        &server.url(),
        &["--profile", "kim", "auth", "status"],
    )
    .success();
}

#[test]
fn a_second_use_of_the_mfa_challenge_is_its_own_error() {
    let (server, config, user) = mfa_pending(TestServer::start(), "fay@example.com");
    let code = totp_of(&user);
    scripto(&config, &server.url(), &["auth", "mfa", "--code", &code]).success();

    let again = scripto(
        &config,
        &server.url(),
        &["--json", "auth", "mfa", "--code", &code],
    )
    .expect_error(3, "mfa_challenge_used")
    .json();
    assert!(
        again["error"]["next_action"]
            .as_str()
            .unwrap()
            .contains("auth login")
    );
}

#[test]
fn a_wrong_mfa_code_is_its_own_error_and_the_challenge_stays_usable() {
    let (server, config, user) = mfa_pending(TestServer::start(), "gus@example.com");
    let code = totp_of(&user);
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let refused = scripto(
        &config,
        &server.url(),
        &["--json", "auth", "mfa", "--code", wrong],
    )
    .expect_error(3, "mfa_invalid")
    .json();
    assert_eq!(
        refused["error"]["next_action"],
        "scripto auth mfa --code <6-digit-code>"
    );
    scripto(&config, &server.url(), &["auth", "mfa", "--code", &code]).success();
}

#[test]
fn an_expired_mfa_challenge_is_its_own_error() {
    let (server, config, user) = mfa_pending(
        TestServer::start_with(|c| c.limits.mfa_ttl_secs = 1),
        "hal@example.com",
    );
    std::thread::sleep(Duration::from_millis(1500));
    let code = totp_of(&user);

    let expired = scripto(
        &config,
        &server.url(),
        &["--json", "auth", "mfa", "--code", &code],
    )
    .expect_error(3, "mfa_challenge_expired")
    .json();
    assert!(
        expired["error"]["next_action"]
            .as_str()
            .unwrap()
            .contains("auth login")
    );
}

#[test]
fn a_backup_code_finishes_the_mfa_challenge() {
    let (server, config, user) = mfa_pending(TestServer::start(), "ida@example.com");
    let backup = &user.backup_codes.as_ref().unwrap()[0];
    scripto(
        &config,
        &server.url(),
        &["auth", "mfa", "--backup-code", backup],
    )
    .success();
    assert_stored_mfa_profile(&config, "ida@example.com");
}

#[test]
fn auth_mfa_reads_the_code_from_stdin() {
    let (server, config, user) = mfa_pending(TestServer::start(), "jo@example.com");
    let code = totp_of(&user);
    run(config
        .scripto(&server.url())
        .args(["auth", "mfa", "--code-stdin"])
        .write_stdin(format!("{code}\n")))
    .success();
    assert_stored_mfa_profile(&config, "jo@example.com");
}

#[test]
fn auth_mfa_without_a_pending_login_says_so() {
    let config = ConfigDir::new();
    scripto(
        &config,
        "http://127.0.0.1:9",
        &["--json", "auth", "mfa", "--code", "123456"],
    )
    .expect_error(2, "no_mfa_challenge")
    .json();
}

#[test]
fn login_with_token_checks_the_key_and_stores_it_as_imported() {
    let server = TestServer::start();
    let owner = ConfigDir::new();
    login(&owner, &server, "kai@example.com", "kai");
    let key = create_key(&owner, &server.url(), "laptop");

    let config = ConfigDir::new();
    let done = run(config
        .scripto(&server.url())
        .args([
            "--json",
            "auth",
            "login",
            "--with-token",
            "--profile-name",
            "laptop",
        ])
        .args(["--storage", "file"])
        .write_stdin(format!("{key}\n")))
    .success();
    let data = &done.json()["data"];
    assert_eq!(data["minted_by_cli"], false);
    assert_eq!(data["key_name"], "laptop");
    assert_eq!(data["email"], "kai@example.com");
    assert!(!done.all().contains(&key));
    assert_eq!(stored_key(&config, "laptop"), key);
}

#[test]
fn login_with_token_refuses_a_truncated_key_before_asking_the_server() {
    let config = ConfigDir::new();
    let refused = run(config
        .scripto("http://127.0.0.1:9")
        .args(["--json", "auth", "login", "--with-token"])
        .write_stdin("scripto_Ab3dEfGhIjKlMnOpQrSt\n"))
    .code(2);
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("truncated")
    );
}

#[test]
fn login_with_token_refuses_a_revoked_key_with_exit_3() {
    let server = TestServer::start();
    let owner = ConfigDir::new();
    login(&owner, &server, "lee@example.com", "lee");
    let created = scripto(
        &owner,
        &server.url(),
        &["--json", "keys", "create", "--name", "old"],
    )
    .success()
    .json();
    let key = created["data"]["api_key"].as_str().unwrap().to_owned();
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    scripto(&owner, &server.url(), &["--yes", "keys", "revoke", &id]).success();

    let config = ConfigDir::new();
    run(config
        .scripto(&server.url())
        .args(["auth", "login", "--with-token", "--storage", "file"])
        .write_stdin(format!("{key}\n")))
    .code(3);
    assert_eq!(config.config_text(), "");
}

#[test]
fn status_names_the_profile_its_store_and_what_the_key_may_do() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "max@example.com", "max");
    let human = scripto(&config, &server.url(), &["auth", "status"]).success();
    for expected in [
        "max@example.com",
        "admin",
        "read,write",
        "profile max",
        "the config file",
        &server.url(),
    ] {
        assert!(
            human.stdout.contains(expected),
            "{expected} missing:\n{}",
            human.stdout
        );
    }
    let whoami = scripto_json(&config, &server.url(), &["whoami"]);
    assert_eq!(whoami["data"]["storage"], "file");
    assert_eq!(whoami["data"]["profile"], "max");
    assert!(whoami["data"]["organization"]["plan"].is_string());
}

#[test]
fn status_is_exit_3_when_the_server_refuses_the_key() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let login = login(&config, &server, "ned@example.com", "ned");
    let id = login["data"]["key_id"].as_str().unwrap().to_owned();
    scripto(&config, &server.url(), &["--yes", "keys", "revoke", &id]).success();

    let refused = scripto(&config, &server.url(), &["--json", "auth", "status"])
        .expect_error(3, "key_revoked")
        .json();
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("profile ned")
    );
}

#[test]
fn status_all_checks_every_profile_and_fails_when_one_is_refused() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "oz@example.com", "one");
    let second = login(&config, &server, "pia@example.com", "two");
    let all = scripto(&config, &server.url(), &["auth", "status", "--all"]).success();
    assert!(all.stdout.contains("one") && all.stdout.contains("two"));

    let id = second["data"]["key_id"].as_str().unwrap().to_owned();
    scripto(
        &config,
        &server.url(),
        &["--profile", "two", "--yes", "keys", "revoke", &id],
    )
    .success();
    let failed = scripto(
        &config,
        &server.url(),
        &["--json", "auth", "status", "--all"],
    )
    .code(3)
    .json();
    let profiles = failed["error"]["details"]["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    assert_eq!(profiles.iter().filter(|p| p["state"] == "ok").count(), 1);
}

#[test]
fn token_prints_the_key_alone_on_stdout() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "quin@example.com", "quin");
    let key = stored_key(&config, "quin");
    let token = scripto(&config, &server.url(), &["auth", "token"]).success();
    assert_eq!(token.stdout, format!("{key}\n"));
    assert_eq!(token.stderr, "");
}

#[test]
fn ci_uses_scripto_api_key_with_no_config_directory_at_all() {
    let server = TestServer::start();
    let owner = ConfigDir::new();
    login(&owner, &server, "ray@example.com", "ray");
    let key = stored_key(&owner, "ray");

    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("never-created");
    let list = run(bare_scripto()
        .env("HOME", home.path())
        .env("SCRIPTO_CONFIG_DIR", &missing)
        .env("SCRIPTO_API_URL", server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["--json", "keys", "list"]))
    .success();
    assert_eq!(list.json()["data"]["keys"].as_array().unwrap().len(), 1);
    let token = run(bare_scripto()
        .env("SCRIPTO_CONFIG_DIR", &missing)
        .env("SCRIPTO_API_KEY", &key)
        .args(["auth", "token"]))
    .success();
    assert_eq!(token.stdout.trim(), key);
    let status = run(bare_scripto()
        .env("SCRIPTO_CONFIG_DIR", &missing)
        .env("SCRIPTO_API_URL", server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["--json", "auth", "status"]))
    .success()
    .json();
    assert_eq!(status["data"]["source"]["kind"], "env");
    assert!(
        !missing.exists(),
        "a command with a given key created the config directory"
    );
}

#[test]
fn ci_passes_the_key_on_stdin_with_api_key_dash() {
    let server = TestServer::start();
    let owner = ConfigDir::new();
    login(&owner, &server, "sal@example.com", "sal");
    let key = stored_key(&owner, "sal");

    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("never-created");
    let status = run(bare_scripto()
        .env("SCRIPTO_CONFIG_DIR", &missing)
        .args([
            "--api-url",
            &server.url(),
            "--api-key",
            "-",
            "--json",
            "auth",
            "status",
        ])
        .write_stdin(format!("{key}\n")))
    .success();
    assert_eq!(status.json()["data"]["source"]["kind"], "flag");
    assert!(!status.all().contains(&key));
    assert!(!missing.exists());
}

#[test]
fn logout_revokes_a_key_the_cli_minted() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "tam@example.com", "tam");
    let key = stored_key(&config, "tam");

    let out = scripto_json(&config, &server.url(), &["auth", "logout"]);
    assert_eq!(out["data"]["revoked"], true);
    assert!(config.config_json()["profiles"].get("tam").is_none());
    let other = ConfigDir::new();
    run(other
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["auth", "status"]))
    .code(3);
}

#[test]
fn logout_keeps_an_imported_key_valid_unless_told_to_revoke() {
    let server = TestServer::start();
    let owner = ConfigDir::new();
    login(&owner, &server, "uma@example.com", "uma");
    let key = create_key(&owner, &server.url(), "shared");
    let config = ConfigDir::new();
    let import = |config: &ConfigDir| {
        run(config
            .scripto(&server.url())
            .args([
                "auth",
                "login",
                "--with-token",
                "--profile-name",
                "imp",
                "--storage",
                "file",
            ])
            .write_stdin(format!("{key}\n")))
        .success();
    };
    import(&config);
    let kept = scripto_json(&config, &server.url(), &["auth", "logout", "imp"]);
    assert_eq!(kept["data"]["revoked"], false);
    run(owner
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["auth", "status"]))
    .success();

    import(&config);
    scripto(
        &config,
        &server.url(),
        &["auth", "logout", "imp", "--revoke"],
    )
    .success();
    run(owner
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["auth", "status"]))
    .code(3);
}

#[test]
fn logout_warns_that_scripto_api_key_still_authenticates() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "val@example.com", "val");
    let other = ConfigDir::new();
    login(&other, &server, "wes@example.com", "wes");
    let env_key = stored_key(&other, "wes");
    let out = run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &env_key)
        .args(["auth", "logout", "val"]))
    .success();
    assert!(
        out.stderr.contains("SCRIPTO_API_KEY is set"),
        "{}",
        out.stderr
    );
    assert!(!out.all().contains(&env_key));
}

#[test]
fn logging_in_again_replaces_the_profile_and_revokes_its_old_key() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "xia@example.com", "xia");
    let old = stored_key(&config, "xia");
    // The code flow allows one send per 30 s per address; a password login
    // gives the same account a second key at once.
    server.add_user("yan@example.com", Role::Developer, PASSWORD);
    let password_login = |config: &ConfigDir| {
        run(config
            .scripto(&server.url())
            .args([
                "auth",
                "login",
                "--email",
                "yan@example.com",
                "--password-stdin",
            ])
            .args(["--storage", "file", "--profile-name", "yan"])
            .write_stdin(format!("{PASSWORD}\n")))
        .success()
    };
    password_login(&config);
    let first = stored_key(&config, "yan");
    let again = password_login(&config);
    let second = stored_key(&config, "yan");
    // The login says what it did to the earlier key.
    assert!(
        again.stderr.contains("Revoked key_") && again.stderr.contains("earlier login"),
        "{}",
        again.stderr
    );
    assert_ne!(first, second);
    let check = |key: &str| {
        run(config
            .scripto(&server.url())
            .env("SCRIPTO_API_KEY", key)
            .args(["auth", "status"]))
        .code
    };
    assert_eq!(check(&first), 3, "the replaced key still works");
    assert_eq!(check(&second), 0);
    assert_eq!(check(&old), 0, "another account's key was touched");
}

#[test]
fn status_warns_when_a_key_from_the_environment_expires_soon() {
    let server = TestServer::start();
    let owner = ConfigDir::new();
    login(&owner, &server, "zed@example.com", "zed");
    let short = scripto(
        &owner,
        &server.url(),
        &[
            "--json",
            "keys",
            "create",
            "--name",
            "short",
            "--expires-in",
            "3d",
        ],
    )
    .success()
    .json();
    let key = short["data"]["api_key"].as_str().unwrap().to_owned();
    let config = ConfigDir::new();
    let status = run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["auth", "status"]))
    .success();
    assert!(
        status
            .stderr
            .contains("the key from environment SCRIPTO_API_KEY expires in 2 days")
            || status.stderr.contains("expires in 3 days"),
        "{}",
        status.stderr
    );
    assert_eq!(status.stderr.lines().count(), 1, "{}", status.stderr);
}

/// The person at a terminal: an empty answer to the password question picks
/// the e-mail code, which is then asked for and the login finished.
#[test]
fn at_a_terminal_code_login_asks_for_the_code_and_finishes() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &[
            "auth",
            "login",
            "--email",
            "amy@example.com",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("Password for amy@example.com");
    terminal.send("");
    let code = server.last_code("amy@example.com");
    terminal.wait_for("Code: ");
    terminal.send(&code);
    let out = terminal.finish().success();
    assert!(out.stdout.contains("Logged in"), "{}", out.stdout);
    assert_eq!(config.config_json()["active_profile"], "amy");
}

#[test]
fn at_a_terminal_code_login_of_an_mfa_user_asks_for_the_totp_code() {
    let server = TestServer::start();
    let user = server.add_mfa_user("cy@example.com", Role::Developer, PASSWORD);
    let config = ConfigDir::new();
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &[
            "auth",
            "login",
            "--email",
            "cy@example.com",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("Password for cy@example.com");
    terminal.send("");
    terminal.wait_for("Code: ");
    terminal.send(&server.last_code("cy@example.com"));
    terminal.wait_for("authenticator app");
    terminal.send(&totp_of(&user));
    let out = terminal.finish().success();
    assert!(out.stdout.contains("Logged in"), "{}", out.stdout);
    assert!(
        config.config_json()["profiles"]["cy"]["key_name"]
            .as_str()
            .is_some_and(|n| n.starts_with("scripto-cli@"))
    );
    assert!(!config.path().join("mfa-challenge.json").exists());
}

#[test]
fn at_a_terminal_password_login_asks_for_the_totp_code() {
    let server = TestServer::start();
    let user = server.add_mfa_user("bea@example.com", Role::Developer, PASSWORD);
    let config = ConfigDir::new();
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &[
            "auth",
            "login",
            "--email",
            "bea@example.com",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("Password for bea@example.com");
    terminal.send(PASSWORD);
    terminal.wait_for("authenticator app");
    terminal.send(&totp_of(&user));
    let out = terminal.finish().success();
    assert!(!out.stdout.contains(PASSWORD), "the password was echoed");
    assert_eq!(
        config.config_json()["profiles"]["bea"]["email"],
        "bea@example.com"
    );
    assert!(!config.path().join("mfa-challenge.json").exists());
}

#[test]
fn logout_of_a_key_the_server_already_refuses_still_removes_the_profile() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let login = login(&config, &server, "abe@example.com", "abe");
    let id = login["data"]["key_id"].as_str().unwrap().to_owned();
    scripto(&config, &server.url(), &["--yes", "keys", "revoke", &id]).success();
    let out = scripto_json(&config, &server.url(), &["auth", "logout"]);
    assert_eq!(out["data"]["already_invalid"], true);
    assert!(config.config_json()["profiles"].get("abe").is_none());
}

#[test]
fn logout_keeps_the_profile_when_the_server_cannot_be_reached() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "bob@example.com", "bob");
    let url = server.url();
    drop(server);
    let out = scripto(
        &config,
        &url,
        &["--timeout", "2", "--json", "auth", "logout"],
    )
    .code(7)
    .json();
    assert!(
        out["error"]["next_action"]
            .as_str()
            .unwrap()
            .contains("--keep-key")
    );
    assert!(config.config_json()["profiles"].get("bob").is_some());
    scripto(&config, &url, &["auth", "logout", "--keep-key"]).success();
    assert!(config.config_json()["profiles"].get("bob").is_none());
}

#[test]
fn login_warns_when_scripto_api_key_would_shadow_the_new_profile() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    scripto(
        &config,
        &server.url(),
        &["auth", "login", "--email", "cam@example.com"],
    )
    .code(9);
    let code = server.last_code("cam@example.com");
    let shadow = scripto_wire::key::format_key("ShadowShadowShadowShadowShadow00");
    let out = run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &shadow)
        .args([
            "auth",
            "login-complete",
            "--email",
            "cam@example.com",
            "--code",
            &code,
        ])
        .args(["--storage", "file"]))
    .success();
    assert!(
        out.stderr.contains("SCRIPTO_API_KEY is set"),
        "{}",
        out.stderr
    );
    assert!(!out.all().contains(&shadow));
}

/// A code that is not the one sent, typed by a person: the code flow asks
/// again instead of ending, and every code typed is echoed.
#[test]
fn at_a_terminal_a_wrong_one_time_code_asks_again_and_the_right_one_logs_in() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &[
            "auth",
            "login",
            "--email",
            "ida@example.com",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("Password for ida@example.com, or Enter for a one-time code");
    terminal.send("");
    terminal.wait_for("Code: ");
    let code = server.last_code("ida@example.com");
    let wrong = if code == "123456" { "654321" } else { "123456" };
    terminal.send(wrong);
    terminal.wait_for("2 tries left");
    terminal.send(&code);
    let out = terminal.finish().success();
    assert!(out.stdout.contains("Logged in"), "{}", out.stdout);
    assert!(
        out.stdout.contains(wrong),
        "the code was not echoed: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&code),
        "the code was not echoed: {}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("scripto auth login-complete"),
        "{}",
        out.stdout
    );
    assert_eq!(config.config_json()["active_profile"], "ida");
}

#[test]
fn at_a_terminal_three_wrong_codes_end_the_login_naming_the_tries() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &["auth", "login", "--email", "jo@example.com"],
    );
    terminal.wait_for("Password for jo@example.com");
    terminal.send("");
    terminal.wait_for("Code: ");
    let code = server.last_code("jo@example.com");
    let wrong = if code == "123456" { "654321" } else { "123456" };
    terminal.send(wrong);
    terminal.wait_for("2 tries left");
    // A typo that is not 6 digits is a try too, and asks again.
    terminal.send("12345");
    terminal.wait_for("1 try left");
    terminal.send(wrong);
    let out = terminal.finish().code(3);
    assert!(
        out.stdout.contains("3 wrong codes were typed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("scripto auth login --email jo@example.com"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("scripto auth login-complete"),
        "{}",
        out.stdout
    );
    assert_eq!(config.config_text(), "", "a failed login wrote the config");
}

#[test]
fn at_a_terminal_a_wrong_totp_code_asks_again_and_is_echoed() {
    let server = TestServer::start();
    let user = server.add_mfa_user("kit@example.com", Role::Developer, PASSWORD);
    let secret = user.totp_secret_base32.as_deref().unwrap().to_owned();
    let config = ConfigDir::new();
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &[
            "auth",
            "login",
            "--email",
            "kit@example.com",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("Password for kit@example.com");
    terminal.send(PASSWORD);
    terminal.wait_for("authenticator app");
    let right = totp(&secret);
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    terminal.send(wrong);
    terminal.wait_for("2 tries left");
    terminal.send(&totp(&secret));
    let out = terminal.finish().success();
    assert!(out.stdout.contains("Logged in"), "{}", out.stdout);
    assert!(
        out.stdout.contains(wrong),
        "the code was not echoed: {}",
        out.stdout
    );
    assert!(!out.stdout.contains(PASSWORD), "the password was echoed");
    assert!(!config.path().join("mfa-challenge.json").exists());
}

/// A second login within the resend cool-down cannot get a new code; at a
/// terminal it asks for the one already sent.
#[test]
fn at_a_terminal_a_rate_limited_resend_asks_for_the_code_already_sent() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    scripto(
        &config,
        &server.url(),
        &["auth", "login", "--email", "lu@example.com"],
    )
    .code(9);
    let code = server.last_code("lu@example.com");
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &[
            "auth",
            "login",
            "--email",
            "lu@example.com",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("Password for lu@example.com");
    terminal.send("");
    terminal.wait_for("type the code already sent");
    terminal.wait_for("Code: ");
    terminal.send(&code);
    let out = terminal.finish().success();
    assert!(out.stdout.contains("Logged in"), "{}", out.stdout);
}

/// Without a terminal a login leaves another active profile active (an
/// agent beside others must not switch them) and says how to use its own.
#[test]
fn a_login_without_a_terminal_leaves_another_active_profile_active() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let first = login(&config, &server, "mia@example.com", "mia");
    assert_eq!(first["data"]["active"], true, "no profile was active");
    assert!(first["data"].get("hint").is_none());
    assert_eq!(config.config_json()["active_profile"], "mia");

    scripto(
        &config,
        &server.url(),
        &["auth", "login", "--email", "ned@example.com"],
    )
    .code(9);
    let code = server.last_code("ned@example.com");
    let second = scripto(
        &config,
        &server.url(),
        &[
            "--json",
            "auth",
            "login-complete",
            "--email",
            "ned@example.com",
            "--code",
            &code,
            "--storage",
            "file",
        ],
    )
    .success();
    let data = &second.json()["data"];
    assert_eq!(data["profile"], "ned");
    assert_eq!(data["active"], false);
    let hint = data["hint"].as_str().unwrap();
    assert!(hint.contains("--profile ned"), "{hint}");
    assert!(hint.contains("scripto profiles use ned"), "{hint}");
    assert!(
        second.stderr.contains("scripto profiles use ned"),
        "{}",
        second.stderr
    );
    assert_eq!(config.config_json()["active_profile"], "mia");
    let status = scripto_json(
        &config,
        &server.url(),
        &["--profile", "ned", "auth", "status"],
    );
    assert_eq!(status["data"]["user"]["email"], "ned@example.com");
}

/// At a terminal a login makes its profile active, as gh does, and says
/// which one it replaced.
#[test]
fn at_a_terminal_a_login_makes_its_profile_active_and_says_so() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "oz@example.com", "oz");
    let mut terminal = Terminal::spawn(
        &config,
        &server.url(),
        &[
            "auth",
            "login",
            "--email",
            "pia@example.com",
            "--storage",
            "file",
        ],
    );
    terminal.wait_for("Password for pia@example.com");
    terminal.send("");
    terminal.wait_for("Code: ");
    terminal.send(&server.last_code("pia@example.com"));
    let out = terminal.finish().success();
    assert!(
        out.stdout
            .contains("Profile pia is now active in place of oz"),
        "{}",
        out.stdout
    );
    assert_eq!(config.config_json()["active_profile"], "pia");
}

/// `auth mfa` run by a person finishes the saved challenge with the code
/// typed at the prompt, echoed as typed.
#[test]
fn at_a_terminal_auth_mfa_asks_for_the_code_and_echoes_it() {
    let (server, config, user) = mfa_pending(TestServer::start(), "rey@example.com");
    let mut terminal = Terminal::spawn(&config, &server.url(), &["auth", "mfa"]);
    terminal.wait_for("authenticator app");
    let code = totp_of(&user);
    terminal.send(&code);
    let out = terminal.finish().success();
    assert!(out.stdout.contains("Logged in"), "{}", out.stdout);
    assert!(
        out.stdout.contains(&format!(": {code}")),
        "the code was not echoed: {}",
        out.stdout
    );
    assert_stored_mfa_profile(&config, "rey@example.com");
}
