//! A config file written by someone else: hostile text in it, unknown
//! fields, or something that is not a file at all; and settings pushed past
//! their limits. Nothing here may hang, reach the terminal raw, or be lost.

use std::time::Duration;

use serde_json::json;

use crate::support::{Sandbox, key};

/// A run that must end within a few seconds: a command blocked on a FIFO
/// fails the test rather than hanging it.
fn quick(sandbox: &Sandbox, env: &[(&str, &str)], args: &[&str]) -> crate::support::Outcome {
    let mut cmd = sandbox.cmd();
    cmd.timeout(Duration::from_secs(10));
    for (name, value) in env {
        cmd.env(name, value);
    }
    let run = crate::support::outcome(cmd.args(args));
    assert!(
        run.code != -1,
        "scripto {args:?} was killed after 10 s: it blocked\n{}",
        run.stderr
    );
    run
}

fn make_fifo(sandbox: &Sandbox) {
    std::fs::create_dir_all(sandbox.config_dir()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(sandbox.config_file())
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

#[test]
fn a_fifo_at_config_json_never_blocks_and_is_named_in_the_error() {
    let sandbox = Sandbox::new();
    make_fifo(&sandbox);
    for args in [
        &["profiles", "list"][..],
        &["config", "show"][..],
        &["config", "set", "storage", "file"][..],
    ] {
        let failed = quick(&sandbox, &[], args).code(8);
        assert!(failed.stderr.contains("named pipe"), "{}", failed.stderr);
        assert_eq!(failed.stderr.lines().count(), 1, "{}", failed.stderr);
    }
    quick(&sandbox, &[], &["--json", "profiles", "list"]).expect_error(8, "config_unreadable");

    // A device behind a symlink: endless bytes, never read.
    std::fs::remove_file(sandbox.config_file()).unwrap();
    std::os::unix::fs::symlink("/dev/zero", sandbox.config_file()).unwrap();
    let failed = quick(&sandbox, &[], &["profiles", "list"]).code(8);
    assert!(failed.stderr.contains("is a device"), "{}", failed.stderr);
}

#[test]
fn a_fifo_in_place_of_the_saved_mfa_challenge_never_blocks() {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.config_dir()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(sandbox.config_dir().join("mfa-challenge.json"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let failed = quick(&sandbox, &[], &["auth", "mfa", "--code", "123456"]).code(8);
    assert!(failed.stderr.contains("named pipe"), "{}", failed.stderr);
}

#[test]
fn with_a_given_key_a_broken_or_strange_config_file_is_one_warning() {
    let key = key(1);
    for break_it in [
        make_fifo as fn(&Sandbox),
        |s: &Sandbox| s.write_config("{\"version\":1,"),
        |s: &Sandbox| std::fs::create_dir_all(s.config_file()).unwrap(),
    ] {
        let sandbox = Sandbox::new();
        break_it(&sandbox);
        let shown = quick(&sandbox, &[("SCRIPTO_API_KEY", &key)], &["auth", "token"]).success();
        assert_eq!(shown.stdout.trim(), key);
        let shown = quick(
            &sandbox,
            &[],
            &["--api-key", &key, "--json", "auth", "token"],
        )
        .success();
        assert_eq!(shown.data()["api_key"], key.as_str());
        // A request resolves the server too; it is the server that fails.
        let failed = quick(
            &sandbox,
            &[("SCRIPTO_API_KEY", &key)],
            &["--timeout", "2", "keys", "list"],
        )
        .code(7);
        let warnings: Vec<&str> = failed
            .stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect();
        assert_eq!(warnings.len(), 1, "{}", failed.stderr);
        assert!(warnings[0].contains("SCRIPTO_API_KEY"), "{}", failed.stderr);
    }
}

/// A config.json as an attacker would write it: names and values that
/// would retitle the window, clear the screen, or forge a line.
fn hostile_config() -> serde_json::Value {
    let profile = |url: &str, email: &str| {
        json!({
            "api_url": url,
            "email": email,
            "key_start": "scripto_\u{1b}[2J",
            "storage": "file",
            "created_at": "2026-01-01T00:00:00Z",
            "api_key": key(1),
        })
    };
    json!({
        "version": 1,
        "active_profile": "evil\u{1b}]0;pwned\u{7}",
        "profiles": {
            "evil\u{1b}]0;pwned\u{7}": profile("http://127.0.0.1:1/\u{1b}[2J", "a@b\nforged line"),
            "two\nlines": profile("http://127.0.0.1:1", "\u{9b}31mred@example.com"),
        }
    })
}

#[test]
fn escape_sequences_and_newlines_from_config_json_never_reach_the_terminal() {
    let sandbox = Sandbox::new();
    sandbox.write_config(&hostile_config().to_string());
    let runs = [
        quick(&sandbox, &[], &["profiles", "list"]).success(),
        quick(&sandbox, &[], &["config", "show"]).success(),
        quick(
            &sandbox,
            &[],
            &["--timeout", "2", "auth", "status", "--all"],
        ),
        quick(&sandbox, &[], &["--timeout", "2", "auth", "status"]),
        quick(&sandbox, &[], &["profiles", "show", "two\nlines"]),
        quick(&sandbox, &[], &["profiles", "use", "nope\u{1b}[2J"]),
    ];
    for run in &runs {
        let all = run.all();
        assert!(!all.contains('\u{1b}'), "raw ESC in:\n{all:?}");
        assert!(!all.contains('\u{7}'), "raw BEL in:\n{all:?}");
        assert!(!all.contains('\u{9b}'), "raw CSI in:\n{all:?}");
        assert!(!all.contains("\nforged line"), "a forged line in:\n{all}");
        assert!(!all.contains("\nlines"), "a forged line in:\n{all}");
    }
    // Shown, as escapes a person can read.
    assert!(
        runs[0].stdout.contains(r"evil\u{1b}]0;pwned\u{7}"),
        "{}",
        runs[0].stdout
    );
    assert!(runs[0].stdout.contains(r"two\nlines"), "{}", runs[0].stdout);
    // The list is a header and one row per profile.
    assert_eq!(runs[0].stdout.lines().count(), 3, "{}", runs[0].stdout);

    // JSON stays exact: the names as they are in the file.
    let listed = quick(&sandbox, &[], &["--json", "profiles", "list"]).success();
    let names: Vec<String> = listed
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["evil\u{1b}]0;pwned\u{7}", "two\nlines"]);
}

#[test]
fn unknown_fields_in_config_json_survive_a_write() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    let mut config = sandbox.config_json();
    config["sync"] = json!({ "enabled": true, "peers": ["a", "b"] });
    config["defaults"]["pager"] = json!("less");
    config["profiles"]["work"]["team"] = json!("infra");
    config["profiles"]["work"]["labels"] = json!({ "env": "prod" });
    sandbox.write_config(&config.to_string());

    sandbox.run(&["config", "set", "storage", "file"]).success();
    sandbox.store_key("home", &key(2));
    sandbox
        .run(&["profiles", "rename", "work", "job"])
        .success();

    let after = sandbox.config_json();
    assert_eq!(
        after["sync"],
        json!({ "enabled": true, "peers": ["a", "b"] })
    );
    assert_eq!(after["defaults"]["pager"], "less");
    assert_eq!(after["defaults"]["storage"], "file");
    assert_eq!(after["profiles"]["job"]["team"], "infra");
    assert_eq!(after["profiles"]["job"]["labels"], json!({ "env": "prod" }));
    assert!(after["profiles"]["home"].get("team").is_none());
}

#[test]
fn a_timeout_beyond_ten_minutes_is_refused_naming_the_maximum() {
    let sandbox = Sandbox::new();
    for (env, args) in [
        (
            &[("SCRIPTO_TIMEOUT", "1e19")][..],
            &["--json", "config", "show"][..],
        ),
        (
            &[][..],
            &["--json", "--timeout", "600.5", "config", "show"][..],
        ),
        (
            &[("SCRIPTO_TIMEOUT", "inf")][..],
            &["--json", "config", "show"][..],
        ),
    ] {
        let failed = quick(&sandbox, env, args).code(2);
        let error = failed.error();
        assert_eq!(error["code"], "usage_error", "{error}");
        assert!(
            error["message"].as_str().unwrap().contains("up to 600"),
            "{error}"
        );
    }
    let shown = quick(
        &sandbox,
        &[],
        &["--json", "--timeout", "600", "config", "show"],
    )
    .success();
    assert_eq!(shown.data()["timeout"]["value"], "10m");
}

/// `--verbose` shows what the server sent: a body that is not JSON may
/// carry anything, and it is shown escaped like any other untrusted text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_logs_of_a_hostile_server_never_reach_the_terminal_raw() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/keys"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            "bad gateway\u{1b}]0;pwned\u{7}\u{1b}[2J\nforged line",
            "text/plain",
        ))
        .mount(&server)
        .await;
    let sandbox = Sandbox::new();
    // The binary blocks this worker; wiremock answers on the other.
    let failed = quick(
        &sandbox,
        &[],
        &[
            "--verbose",
            "--timeout",
            "3",
            "--api-url",
            &server.uri(),
            "--api-key",
            &key(1),
            "keys",
            "list",
        ],
    );
    assert_ne!(failed.code, 0);
    assert!(failed.stderr.contains("bad gateway"), "{}", failed.stderr);
    assert!(!failed.stderr.contains('\u{1b}'), "{:?}", failed.stderr);
    assert!(!failed.stderr.contains('\u{7}'), "{:?}", failed.stderr);
}

#[test]
fn a_question_quoting_a_hostile_profile_name_is_asked_escaped() {
    let sandbox = Sandbox::new();
    sandbox.write_config(&hostile_config().to_string());
    let (code, shown) = crate::support::run_at_terminal(
        &sandbox,
        &[],
        &["profiles", "remove", "evil\u{1b}]0;pwned\u{7}"],
        "n",
    );
    assert!(
        shown.contains(r"evil\u{1b}]0;pwned\u{7}"),
        "{shown:?} (exit {code})"
    );
    assert!(!shown.contains('\u{7}'), "{shown:?}");
    assert!(!shown.contains("\u{1b}]0;"), "{shown:?}");
}
