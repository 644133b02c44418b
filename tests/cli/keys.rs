//! `scripto keys …` against a real server, and the secret-leak check: in a
//! whole session run with `--verbose`, a key shows only where `keys create`
//! and `auth token` print it.

use scripto_wire::types::Role;

use crate::support::server::{
    ConfigDir, TestServer, login, run, scripto, scripto_json, stored_key,
};
use crate::support::terminal::Terminal;

#[test]
fn create_prints_the_secret_once_with_the_warning() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ann@example.com", "ann");
    let created = scripto(
        &config,
        &server.url(),
        &[
            "keys",
            "create",
            "--name",
            "ci",
            "--type",
            "realtime",
            "--scope",
            "read",
            "--expires-in",
            "90d",
        ],
    )
    .success();
    let key = created.stdout.trim();
    assert!(
        scripto_wire::check_key(key).is_ok(),
        "stdout is not just the key: {}",
        created.stdout
    );
    assert!(
        created.stderr.contains("will not be shown again"),
        "{}",
        created.stderr
    );
    assert!(!created.stderr.contains(key));

    let listed = scripto(&config, &server.url(), &["--json", "keys", "list"]).success();
    assert!(!listed.stdout.contains(key), "a listing contains a secret");
    let keys = listed.json()["data"]["keys"].as_array().unwrap().clone();
    let ci = keys.iter().find(|k| k["name"] == "ci").unwrap();
    assert_eq!(ci["type"], "realtime");
    assert_eq!(ci["scopes"], serde_json::json!(["read"]));
    assert!(ci["expires_at"].is_string());
}

#[test]
fn create_with_json_puts_the_secret_in_data_api_key_and_save_as_stores_it() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ben@example.com", "ben");
    let created = scripto_json(
        &config,
        &server.url(),
        &[
            "keys",
            "create",
            "--name",
            "deploy",
            "--save-as",
            "deploy",
            "--storage",
            "file",
        ],
    );
    let key = created["data"]["api_key"].as_str().unwrap();
    assert_eq!(created["data"]["key"]["name"], "deploy");
    assert_eq!(created["data"]["profile"], "deploy");
    assert_eq!(stored_key(&config, "deploy"), key);
    // The active profile is unchanged; the new one authenticates.
    assert_eq!(config.config_json()["active_profile"], "ben");
    let status = scripto_json(
        &config,
        &server.url(),
        &["--profile", "deploy", "auth", "status"],
    );
    assert_eq!(status["data"]["user"]["email"], "ben@example.com");
}

#[test]
fn create_refuses_a_bad_expiry_as_a_usage_error() {
    let config = ConfigDir::new();
    scripto(
        &config,
        "http://127.0.0.1:9",
        &["keys", "create", "--name", "x", "--expires-in", "3y"],
    )
    .code(2);
}

#[test]
fn list_shows_a_table_with_every_column() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "cal@example.com", "cal");
    let table = scripto(&config, &server.url(), &["keys", "list"])
        .success()
        .stdout;
    for column in [
        "ID",
        "NAME",
        "START",
        "TYPE",
        "SCOPES",
        "EXPIRES",
        "LAST USED",
        "STATUS",
    ] {
        assert!(table.contains(column), "{column} missing:\n{table}");
    }
    assert!(table.contains("scripto-cli"));
    assert!(table.contains("active"));
}

#[test]
fn list_shows_one_page_by_default_and_paginate_follows_the_cursors() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "dan@example.com", "dan");
    for name in ["k1", "k2", "k3", "k4"] {
        scripto(&config, &server.url(), &["keys", "create", "--name", name]).success();
    }
    let page = scripto_json(&config, &server.url(), &["keys", "list", "--limit", "2"]);
    assert_eq!(page["data"]["keys"].as_array().unwrap().len(), 2);
    assert_eq!(page["data"]["has_more"], true);

    let all = scripto_json(
        &config,
        &server.url(),
        &["keys", "list", "--limit", "2", "--paginate"],
    );
    assert_eq!(all["data"]["keys"].as_array().unwrap().len(), 5);
    assert_eq!(all["data"]["has_more"], false);
}

#[test]
fn list_status_filter_shows_revoked_keys() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "eli@example.com", "eli");
    let created = scripto_json(
        &config,
        &server.url(),
        &["keys", "create", "--name", "gone"],
    );
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    scripto(&config, &server.url(), &["--yes", "keys", "revoke", &id]).success();
    let revoked = scripto_json(
        &config,
        &server.url(),
        &["keys", "list", "--status", "revoked"],
    );
    let keys = revoked["data"]["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["id"], id.as_str());
}

#[test]
fn list_all_owners_is_for_admins_and_forbidden_to_developers() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    // A code login signs up a new organization's admin.
    login(&config, &server, "fin@example.com", "fin");
    scripto(&config, &server.url(), &["keys", "list", "--all-owners"]).success();

    server.add_user("gil@example.com", Role::Developer, "a long password");
    let dev = ConfigDir::new();
    run(dev
        .scripto(&server.url())
        .args([
            "auth",
            "login",
            "--email",
            "gil@example.com",
            "--password-stdin",
            "--storage",
            "file",
        ])
        .write_stdin("a long password\n"))
    .success();
    let refused = scripto(
        &dev,
        &server.url(),
        &["--json", "keys", "list", "--all-owners"],
    )
    .code(4)
    .json();
    assert_eq!(refused["success"], false);
}

#[test]
fn get_shows_one_key_and_an_unknown_id_is_exit_5() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let login = login(&config, &server, "hy@example.com", "hy");
    let id = login["data"]["key_id"].as_str().unwrap();
    let got = scripto_json(&config, &server.url(), &["keys", "get", id]);
    assert_eq!(got["data"]["id"], id);
    assert!(
        got["data"]["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("scripto-cli@"))
    );

    let missing = scripto(
        &config,
        &server.url(),
        &["--json", "keys", "get", "key_0000000000000000000000"],
    )
    .expect_error(5, "not_found")
    .json();
    assert!(
        missing["error"]["details"]["request_id"]
            .as_str()
            .unwrap()
            .starts_with("req_")
    );
}

#[test]
fn get_refuses_something_that_is_not_a_key_id_without_echoing_a_secret() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ike@example.com", "ike");
    let key = stored_key(&config, "ike");
    let refused = scripto(&config, &server.url(), &["keys", "get", &key]).code(2);
    assert!(!refused.all().contains(&key));
}

#[test]
fn revoke_without_a_terminal_needs_yes() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "jay@example.com", "jay");
    let created = scripto_json(&config, &server.url(), &["keys", "create", "--name", "tmp"]);
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    let key = created["data"]["api_key"].as_str().unwrap().to_owned();

    let asked = scripto(&config, &server.url(), &["--json", "keys", "revoke", &id])
        .code(9)
        .json();
    assert!(
        asked["error"]["next_action"]
            .as_str()
            .unwrap()
            .contains("--yes")
    );
    run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["auth", "status"]))
    .success();

    let done = scripto_json(&config, &server.url(), &["--yes", "keys", "revoke", &id]);
    assert_eq!(done["data"][0]["status"], "revoked");
    run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &key)
        .args(["auth", "status"]))
    .code(3);
}

#[test]
fn revoking_the_key_in_use_needs_yes_and_says_so() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    let login = login(&config, &server, "kim@example.com", "kim");
    let own = login["data"]["key_id"].as_str().unwrap().to_owned();
    let other = scripto_json(
        &config,
        &server.url(),
        &["keys", "create", "--name", "other"],
    );
    let other_id = other["data"]["key"]["id"].as_str().unwrap().to_owned();

    scripto(&config, &server.url(), &["--json", "keys", "revoke", &own])
        .expect_error(9, "revoking_own_key")
        .json();

    // Both go, the key in use last, so that it can revoke the other first.
    let done = scripto(
        &config,
        &server.url(),
        &["--yes", "keys", "revoke", &own, &other_id],
    )
    .success();
    assert!(
        done.stderr.contains("was the key this command used"),
        "{}",
        done.stderr
    );
    scripto(&config, &server.url(), &["auth", "status"]).code(3);
}

#[test]
fn rotate_replaces_the_key_in_every_profile_and_revokes_the_old_one() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "lou@example.com", "lou");
    let created = scripto_json(
        &config,
        &server.url(),
        &[
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
    );
    let old_key = created["data"]["api_key"].as_str().unwrap().to_owned();
    let old_id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    // A second profile holding the same key.
    run(config
        .scripto(&server.url())
        .args([
            "auth",
            "login",
            "--with-token",
            "--profile-name",
            "svc2",
            "--storage",
            "file",
        ])
        .write_stdin(format!("{old_key}\n")))
    .success();
    scripto(&config, &server.url(), &["profiles", "use", "lou"]).success();

    let rotated = scripto(
        &config,
        &server.url(),
        &["--json", "--yes", "--profile", "svc", "keys", "rotate"],
    )
    .success();
    // Stored in the profiles, so not shown.
    assert!(rotated.json()["data"].get("api_key").is_none());
    let data = rotated.json()["data"].clone();
    assert_eq!(data["old_key_id"], old_id.as_str());
    assert_eq!(data["key"]["name"], "svc");
    assert_eq!(data["key"]["scopes"], serde_json::json!(["read", "write"]));
    assert!(data["key"]["expires_at"].is_string());
    let mut profiles: Vec<String> = data["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    profiles.sort();
    assert_eq!(profiles, ["svc", "svc2"]);

    let new_key = stored_key(&config, "svc");
    assert_ne!(new_key, old_key);
    assert_eq!(stored_key(&config, "svc2"), new_key);
    scripto(
        &config,
        &server.url(),
        &["--profile", "svc", "auth", "status"],
    )
    .success();
    scripto(
        &config,
        &server.url(),
        &["--profile", "svc2", "auth", "status"],
    )
    .success();
    run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &old_key)
        .args(["auth", "status"]))
    .code(3);
    assert_eq!(config.config_json()["active_profile"], "lou");
}

#[test]
fn rotating_a_key_no_profile_holds_shows_the_new_secret_once() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "mia@example.com", "mia");
    let created = scripto_json(&config, &server.url(), &["keys", "create", "--name", "ext"]);
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    let rotated = scripto(&config, &server.url(), &["--yes", "keys", "rotate", &id]).success();
    let new_key = rotated.stdout.trim();
    assert!(
        scripto_wire::check_key(new_key).is_ok(),
        "{}",
        rotated.stdout
    );
    assert!(rotated.stderr.contains("only time"), "{}", rotated.stderr);
    run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", new_key)
        .args(["auth", "status"]))
    .success();
}

#[test]
fn rotate_without_a_terminal_needs_yes_and_changes_nothing() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ned@example.com", "ned");
    let before = config.config_text();
    scripto(&config, &server.url(), &["keys", "rotate"]).code(9);
    assert_eq!(config.config_text(), before);
    scripto(&config, &server.url(), &["auth", "status"]).success();
}

/// Every place a full key may appear in a whole session: `keys create`'s
/// secret and `auth token`. `--verbose` masks every other one, including the
/// login's own key in the exchange that mints it.
#[test]
fn a_verbose_session_shows_keys_only_where_create_and_token_print_them() {
    let server = TestServer::start();
    server.add_user("oli@example.com", Role::Developer, "a long password");
    let config = ConfigDir::new();
    let url = server.url();
    let mut transcript = Vec::new();
    let mut step = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = config.scripto(&url);
        cmd.arg("--verbose").args(args);
        if let Some(input) = stdin {
            cmd.write_stdin(input.to_owned());
        }
        let out = run(&mut cmd);
        transcript.push((args.join(" "), out.stdout.clone(), out.stderr.clone()));
        out
    };

    step(
        &[
            "auth",
            "login",
            "--email",
            "oli@example.com",
            "--password-stdin",
            "--storage",
            "file",
        ],
        Some("a long password\n"),
    )
    .success();
    let created = step(&["--json", "keys", "create", "--name", "leak"], None).success();
    let created_key = created.json()["data"]["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let created_id = created.json()["data"]["key"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    step(&["keys", "list"], None).success();
    step(&["keys", "get", &created_id], None).success();
    step(&["auth", "status"], None).success();
    let token = step(&["auth", "token"], None).success();
    let login_key = token.stdout.trim().to_owned();
    step(&["--yes", "keys", "rotate"], None).success();
    let rotated_key = stored_key(&config, "oli");
    step(&["--yes", "keys", "revoke", &created_id], None).success();
    step(&["auth", "logout"], None).success();

    let secrets = [&login_key, &created_key, &rotated_key];
    for (args, stdout, stderr) in &transcript {
        assert!(
            !stderr.contains("a long password"),
            "{args}: password on stderr"
        );
        for secret in secrets {
            assert!(
                !stderr.contains(secret.as_str()),
                "{args}: a key on stderr:\n{stderr}"
            );
            let allowed = (args.contains("keys create") && *secret == created_key)
                || (args.contains("auth token") && *secret == login_key);
            if !allowed {
                assert!(
                    !stdout.contains(secret.as_str()),
                    "{args}: a key on stdout:\n{stdout}"
                );
            }
        }
        if !args.contains("auth token") {
            assert!(stderr.contains("> "), "{args}: --verbose showed no request");
        }
    }
    // The exchange was shown, masked.
    let (_, _, login_stderr) = &transcript[0];
    assert!(
        login_stderr.contains("\"password\":\"***\""),
        "{login_stderr}"
    );
    assert!(
        login_stderr.contains("\"access_token\":\"***\""),
        "{login_stderr}"
    );
}

#[test]
fn a_key_expiring_within_14_days_draws_a_one_line_warning() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "pat@example.com", "pat");
    scripto(
        &config,
        &server.url(),
        &[
            "keys",
            "create",
            "--name",
            "short",
            "--expires-in",
            "7d",
            "--save-as",
            "short",
            "--storage",
            "file",
        ],
    )
    .success();
    let used = scripto(
        &config,
        &server.url(),
        &["--profile", "short", "keys", "list"],
    )
    .success();
    let warnings: Vec<&str> = used
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", used.stderr);
    assert!(
        warnings[0].contains("expires in 6 days") || warnings[0].contains("expires in 7 days"),
        "{}",
        warnings[0]
    );

    let long_lived = scripto(
        &config,
        &server.url(),
        &["--profile", "pat", "keys", "list"],
    )
    .success();
    assert!(
        !long_lived.stderr.contains("expires"),
        "{}",
        long_lived.stderr
    );
}

#[test]
fn at_a_terminal_revoke_asks_first_and_a_no_revokes_nothing() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "cyd@example.com", "cyd");
    let created = scripto_json(&config, &server.url(), &["keys", "create", "--name", "t"]);
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();

    let mut terminal = Terminal::spawn(&config, &server.url(), &["keys", "revoke", &id]);
    // The question names the key, so a person sees what they revoke.
    terminal.wait_for(&format!("Revoke {id} (t)?"));
    terminal.wait_for("[y/N]");
    terminal.send("n");
    terminal.finish().code(2);
    let listed = scripto_json(&config, &server.url(), &["keys", "get", &id]);
    assert_eq!(listed["data"]["status"], "active");

    let mut terminal = Terminal::spawn(&config, &server.url(), &["keys", "revoke", &id]);
    terminal.wait_for("[y/N]");
    terminal.send("y");
    terminal.finish().success();
    let listed = scripto_json(&config, &server.url(), &["keys", "get", &id]);
    assert_eq!(listed["data"]["status"], "revoked");
}

#[test]
fn create_save_as_refuses_to_replace_an_existing_profile_before_minting() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "dot@example.com", "dot");
    let before = config.config_text();
    scripto(
        &config,
        &server.url(),
        &[
            "--json",
            "keys",
            "create",
            "--name",
            "x",
            "--save-as",
            "dot",
        ],
    )
    .expect_error(2, "profile_exists")
    .json();
    assert_eq!(config.config_text(), before);
    let listed = scripto_json(&config, &server.url(), &["keys", "list"]);
    assert_eq!(
        listed["data"]["keys"].as_array().unwrap().len(),
        1,
        "a key was minted"
    );
}

#[test]
fn revoking_several_keys_reports_each_one_that_failed() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "eva@example.com", "eva");
    let created = scripto_json(&config, &server.url(), &["keys", "create", "--name", "a"]);
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    let missing = "key_0000000000000000000000";
    let out = scripto(
        &config,
        &server.url(),
        &["--json", "--yes", "keys", "revoke", &id, missing],
    )
    .code(5)
    .json();
    assert_eq!(out["error"]["details"]["revoked"], serde_json::json!([id]));
    assert_eq!(out["error"]["details"]["failed"][0]["id"], missing);
}

#[test]
fn create_with_allow_ip_limits_the_key_and_a_refused_address_is_exit_4() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ivy@example.com", "ivy");
    let created = scripto_json(
        &config,
        &server.url(),
        &[
            "keys",
            "create",
            "--name",
            "office",
            "--allow-ip",
            "10.0.0.0/8",
            "--allow-ip",
            "2001:db8::/32",
        ],
    );
    let key = created["data"]["api_key"].as_str().unwrap();
    let id = created["data"]["key"]["id"].as_str().unwrap();

    let shown = scripto(&config, &server.url(), &["keys", "get", id]).success();
    assert!(
        shown
            .stdout
            .contains("Allowed IPs 10.0.0.0/8, 2001:db8::/32"),
        "{}",
        shown.stdout
    );
    let listed = scripto(&config, &server.url(), &["keys", "list"]).success();
    assert!(
        listed.stdout.contains("10.0.0.0/8 2001:db8::/32"),
        "{}",
        listed.stdout
    );
    // This test talks from 127.0.0.1, which the key does not allow.
    let refused = run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", key)
        .args(["--json", "keys", "list"]))
    .code(4);
    assert_eq!(refused.json()["error"]["code"], "ip_forbidden");
    let bad = scripto(
        &config,
        &server.url(),
        &["keys", "create", "--name", "x", "--allow-ip", "10.0.0.1/8"],
    )
    .code(2);
    assert!(bad.stderr.contains("10.0.0.0/8"), "{}", bad.stderr);
}

#[test]
fn revoke_takes_a_unique_name_and_refuses_an_ambiguous_or_unknown_one() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "nam@example.com", "nam");
    let create = |name: &str| {
        scripto_json(&config, &server.url(), &["keys", "create", "--name", name])["data"]["key"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let deploy = create("ci-deploy");
    let twin_a = create("twin");
    let twin_b = create("twin");

    let done = scripto_json(
        &config,
        &server.url(),
        &["--yes", "keys", "revoke", "ci-deploy"],
    );
    assert_eq!(done["data"][0]["id"], deploy.as_str());
    assert_eq!(done["data"][0]["status"], "revoked");

    let ambiguous = scripto(&config, &server.url(), &["--yes", "keys", "revoke", "twin"]).code(2);
    assert!(
        ambiguous.stderr.contains(&twin_a) && ambiguous.stderr.contains(&twin_b),
        "{}",
        ambiguous.stderr
    );
    // A revoked key's name no longer names anything.
    scripto(
        &config,
        &server.url(),
        &["--yes", "keys", "revoke", "ci-deploy"],
    )
    .code(5);
    let status = |id: &str| {
        scripto_json(&config, &server.url(), &["keys", "get", id])["data"]["status"].clone()
    };
    assert_eq!(status(&twin_a), "active");
    assert_eq!(status(&twin_b), "active");
}
