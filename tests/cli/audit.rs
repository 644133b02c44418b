//! `scripto audit list` against a real server: the events of what was just
//! done, filtered, as a table and JSON, and `--follow`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::server::{ConfigDir, TestServer, login, scripto, scripto_json};

#[test]
fn audit_list_shows_what_was_done_with_filters_table_and_json() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "aud@example.com", "aud");
    let created = scripto_json(&config, &server.url(), &["keys", "create", "--name", "ci"]);
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    scripto(&config, &server.url(), &["--yes", "keys", "revoke", &id]).success();

    let listed = scripto(&config, &server.url(), &["audit", "list", "--key", &id]).success();
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert!(lines[0].starts_with("TIME"), "{}", listed.stdout);
    assert!(lines[1].contains("key.revoked"), "{}", listed.stdout);
    // Piped, the time is exact (RFC 3339); "just now" is for a terminal.
    let time = lines[1].split_whitespace().next().unwrap();
    assert!(time.contains('T') && time.ends_with('Z'), "{time}");
    assert!(lines[2].contains("key.created") && lines[2].contains("127.0.0.1"));
    assert!(
        lines
            .iter()
            .all(|l| l.contains(&id) || l.starts_with("TIME"))
    );
    assert!(
        lines.iter().all(|l| !l.ends_with(' ')),
        "trailing spaces when piped"
    );

    let json = scripto_json(
        &config,
        &server.url(),
        &["audit", "list", "--type", "key.created", "--since", "1h"],
    );
    let events = json["data"]["events"].as_array().unwrap();
    assert!(events.iter().all(|e| e["type"] == "key.created"));
    assert!(events.iter().any(|e| e["target"]["id"] == id.as_str()));

    let bad = scripto(
        &config,
        &server.url(),
        &["audit", "list", "--since", "soon"],
    )
    .code(2);
    assert!(bad.stderr.contains("neither a duration"), "{}", bad.stderr);
    let bad = scripto(&config, &server.url(), &["audit", "list", "--type", "nope"]).code(2);
    assert!(bad.stderr.contains("key.created"), "{}", bad.stderr);
}

#[test]
fn audit_follow_prints_an_event_made_after_it_started() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "fol@example.com", "fol");
    let mut child = std::process::Command::new(crate::support::SCRIPTO)
        .env_clear()
        .envs(crate::support::isolated_env(config.home()))
        .current_dir(config.home())
        .env("SCRIPTO_CONFIG_DIR", config.path())
        .env("SCRIPTO_API_URL", server.url())
        .args(["--json", "audit", "list", "--follow"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The login's own events come first.
    let first = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a first event");
    assert!(first.starts_with('{'), "JSON lines: {first}");

    let created = scripto_json(
        &config,
        &server.url(),
        &["keys", "create", "--name", "later"],
    );
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    let found = (0..50).any(|_| {
        rx.recv_timeout(Duration::from_secs(10)).is_ok_and(|line| {
            let event: serde_json::Value = serde_json::from_str(&line).unwrap();
            event["type"] == "key.created" && event["target"]["id"] == id.as_str()
        })
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(found, "--follow did not print the new key's event");
}
