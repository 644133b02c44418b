//! Tables and summaries: plain, exact and without trailing spaces when
//! piped; relative times and colour at a terminal (a real pseudo-terminal,
//! util-linux `script`).

use crate::support::server::{ConfigDir, TestServer, login, scripto, scripto_json};
use crate::support::terminal::Terminal;

/// Runs `scripto ARGS` at a 200-column terminal with this config and
/// server; returns what the terminal showed.
fn at_terminal(config: &ConfigDir, server: &str, env: &[(&str, &str)], args: &[&str]) -> String {
    let config_dir = config.path();
    let mut all_env = vec![
        (
            "SCRIPTO_CONFIG_DIR",
            config_dir.to_str().expect("UTF-8 path"),
        ),
        ("SCRIPTO_API_URL", server),
        ("TERM", "xterm-256color"),
    ];
    all_env.extend_from_slice(env);
    let mut terminal = Terminal::start(config.home(), &all_env, args, Some(200));
    terminal.close_input();
    terminal.finish().success().stdout
}

#[track_caller]
fn assert_plain(what: &str, text: &str) {
    assert!(!text.is_empty(), "{what} printed nothing");
    for line in text.lines() {
        assert_eq!(
            line,
            line.trim_end(),
            "{what}: trailing whitespace in {line:?}"
        );
        assert!(
            !line.contains('\x1b'),
            "{what}: an escape sequence in {line:?}"
        );
    }
}

#[test]
fn piped_tables_have_no_trailing_whitespace_no_colour_and_exact_times() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "pat@example.com", "pat");
    let url = server.url();
    let created = scripto(
        &config,
        &url,
        &[
            "--json",
            "keys",
            "create",
            "--name",
            "yearly",
            "--expires-in",
            "1y",
        ],
    )
    .success()
    .json();
    let expires_at = created["data"]["key"]["expires_at"]
        .as_str()
        .unwrap()
        .to_owned();

    let list = scripto(&config, &url, &["keys", "list"]).success().stdout;
    assert_plain("keys list", &list);
    assert!(list.contains(&expires_at), "not the exact time:\n{list}");
    assert!(!list.contains("months"), "{list}");

    for args in [
        &["profiles", "list"][..],
        &["auth", "status", "--all"],
        &["config", "show"],
        &["audit", "list"],
    ] {
        let shown = scripto(&config, &url, args).success().stdout;
        assert_plain(&args.join(" "), &shown);
    }
}

#[test]
fn at_a_terminal_times_are_relative_and_statuses_coloured_unless_no_color() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "tia@example.com", "tia");
    let url = server.url();
    let created = scripto(
        &config,
        &url,
        &[
            "--json",
            "keys",
            "create",
            "--name",
            "yearly",
            "--expires-in",
            "1y",
        ],
    )
    .success()
    .json();
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    let expires_at = created["data"]["key"]["expires_at"]
        .as_str()
        .unwrap()
        .to_owned();

    let shown = at_terminal(&config, &url, &[], &["keys", "list"]);
    assert!(shown.contains("in 11 months"), "{shown}");
    // crossterm's green, as comfy-table writes it, around "active".
    assert!(shown.contains("\x1b[38;5;10mactive"), "{shown:?}");

    let plain = at_terminal(&config, &url, &[("NO_COLOR", "1")], &["keys", "list"]);
    assert!(plain.contains("in 11 months"), "{plain}");
    assert!(!plain.contains("\x1b[38;5;10m"), "{plain:?}");

    // One key: relative with the date at a terminal, exact when piped.
    let one = at_terminal(&config, &url, &[], &["keys", "get", &id]);
    let relative = format!("in 11 months ({})", &expires_at[..10]);
    assert!(one.contains(&relative), "{one}");
    let piped = scripto(&config, &url, &["keys", "get", &id])
        .success()
        .stdout;
    assert!(
        piped.contains(&format!("Expires     {expires_at}")),
        "{piped}"
    );

    let audit = at_terminal(&config, &url, &[], &["audit", "list"]);
    assert!(
        audit.contains("ago") || audit.contains("just now"),
        "{audit}"
    );
}

#[test]
fn paginate_follows_every_page_and_all_still_works_with_a_deprecation_note() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "pia@example.com", "pia");
    let url = server.url();
    for name in ["k1", "k2", "k3"] {
        scripto(&config, &url, &["keys", "create", "--name", name]).success();
    }
    let one_page = scripto(&config, &url, &["keys", "list", "--limit", "2"]).success();
    assert!(
        one_page.stderr.contains("--paginate"),
        "{}",
        one_page.stderr
    );

    let every = scripto(
        &config,
        &url,
        &["--json", "keys", "list", "--limit", "2", "--paginate"],
    )
    .success();
    assert_eq!(every.json()["data"]["keys"].as_array().unwrap().len(), 4);
    assert_eq!(every.stderr, "");

    let old = scripto(
        &config,
        &url,
        &["--json", "keys", "list", "--limit", "2", "--all"],
    )
    .success();
    assert_eq!(old.json()["data"]["keys"].as_array().unwrap().len(), 4);
    assert!(
        old.stderr.contains("--all is now --paginate"),
        "{}",
        old.stderr
    );
    assert!(old.stderr.contains("--status all"), "{}", old.stderr);
}

#[test]
fn summaries_say_all_projects_alike_name_the_storage_and_count_one_profile() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "sam@example.com", "sam");
    let url = server.url();

    let status = scripto(&config, &url, &["auth", "status"]).success().stdout;
    assert!(status.contains("all projects"), "{status}");
    let id = scripto(&config, &url, &["--json", "auth", "status"])
        .success()
        .json()["data"]["key"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = scripto(&config, &url, &["keys", "get", &id])
        .success()
        .stdout;
    assert!(key.contains("all projects"), "{key}");

    let shown = scripto(&config, &url, &["config", "show"]).success().stdout;
    assert!(shown.contains("(1 profile)"), "{shown}");
    assert!(shown.contains("(in the config file)"), "{shown}");
    let json = scripto(&config, &url, &["--json", "config", "show"])
        .success()
        .json();
    assert_eq!(json["data"]["key_storage"], "file");

    let all = scripto(&config, &url, &["auth", "status", "--all"])
        .success()
        .stdout;
    assert!(all.contains("ORGANIZATION"), "{all}");
}

#[test]
fn key_is_an_alias_of_keys() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "kim@example.com", "kim");
    let listed = scripto_json(&config, &server.url(), &["key", "list"]);
    assert_eq!(listed["data"]["keys"].as_array().unwrap().len(), 1);
}
