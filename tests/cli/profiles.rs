//! `scripto profiles …`, and the config file under concurrent writers and
//! writers killed mid-write.

use std::collections::BTreeSet;
use std::process::{Child, Command as StdCommand};
use std::time::Duration;

use crate::support::{SCRIPTO, Sandbox, key, mode, run_at_terminal};

#[test]
fn profiles_list_marks_the_active_profile_and_shows_no_key() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    sandbox.store_key("home", &key(2));
    let listed = sandbox.run(&["--json", "profiles", "list"]).success();
    let data = listed.data();
    let names: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["home", "work"]);
    assert_eq!(
        data[0]["active"], true,
        "the last stored key becomes active"
    );
    assert_eq!(data[1]["active"], false);
    assert_eq!(data[0]["key_start"], &key(2)[..12]);
    assert_eq!(data[0]["storage"], "file");
    assert!(data[0].get("api_key").is_none());

    let human = sandbox.run(&["profiles", "list"]).success();
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", human.stdout);
    assert!(lines[0].contains("NAME") && lines[0].contains("EXPIRES"));
    assert!(
        lines[1].trim_start().starts_with("* ") || lines[1].contains("*"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("home"));
    assert!(!human.all().contains(&key(1)) && !human.all().contains(&key(2)));
}

#[test]
fn profiles_list_with_none_stored_says_how_to_log_in() {
    let sandbox = Sandbox::new();
    let listed = sandbox.run(&["profiles", "list"]).success();
    assert_eq!(listed.stdout, "");
    assert!(
        listed.stderr.contains("scripto auth login"),
        "{}",
        listed.stderr
    );
    let listed = sandbox.run(&["--json", "profiles", "list"]).success();
    assert_eq!(listed.data(), serde_json::json!([]));
}

#[test]
fn profiles_use_changes_the_active_profile_and_profile_flag_does_not() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    sandbox.store_key("home", &key(2));
    sandbox.run(&["profiles", "use", "work"]).success();
    assert_eq!(sandbox.config_json()["active_profile"], "work");

    let shown = sandbox
        .run(&["--json", "--profile", "home", "profiles", "show"])
        .success();
    assert_eq!(shown.data()["name"], "home");
    sandbox
        .run_env(&[("SCRIPTO_PROFILE", "home")], &["config", "show"])
        .success();
    assert_eq!(sandbox.config_json()["active_profile"], "work");

    let failed = sandbox
        .run(&["--json", "profiles", "use", "nope"])
        .expect_error(2, "profile_not_found");
    assert!(
        failed.error()["message"]
            .as_str()
            .unwrap()
            .contains("home, work")
    );
    assert_eq!(sandbox.config_json()["active_profile"], "work");
}

#[test]
fn profiles_show_defaults_to_the_selected_profile() {
    let sandbox = Sandbox::new();
    let failed = sandbox.run(&["profiles", "show"]).code(2);
    assert!(
        failed.stderr.contains("scripto profiles list"),
        "{}",
        failed.stderr
    );
    sandbox.store_key("work", &key(1));
    let shown = sandbox.run(&["profiles", "show"]).success();
    assert!(shown.stdout.contains("work (active)"), "{}", shown.stdout);
    assert!(shown.stdout.contains(&format!("{}…", &key(1)[..12])));
    assert!(!shown.all().contains(&key(1)));
    let shown = sandbox
        .run(&["--json", "profiles", "show", "work"])
        .success();
    assert_eq!(shown.data()["verified"], false);
    assert_eq!(shown.data()["minted_by_cli"], false);
}

#[test]
fn profiles_rename_keeps_the_key_and_the_active_mark() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    sandbox.store_key("home", &key(2));
    sandbox
        .run(&["profiles", "rename", "home", "personal"])
        .success();
    let doc = sandbox.config_json();
    assert_eq!(doc["active_profile"], "personal");
    assert_eq!(doc["profiles"]["personal"]["api_key"], key(2));
    assert!(doc["profiles"].get("home").is_none());

    sandbox
        .run(&["profiles", "rename", "work", "personal"])
        .code(2);
    sandbox
        .run(&["profiles", "rename", "missing", "other"])
        .code(2);
    sandbox
        .run(&["profiles", "rename", "work", "bad name"])
        .code(2);
    assert_eq!(sandbox.config_json()["profiles"]["work"]["api_key"], key(1));
}

#[test]
fn profiles_remove_needs_a_confirmation_without_a_terminal() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    let failed = sandbox
        .run(&["--json", "profiles", "remove", "work"])
        .code(9);
    let error = failed.error();
    assert_eq!(error["code"], "confirmation_needed");
    assert_eq!(
        error["next_action"],
        "scripto --json profiles remove work --yes"
    );
    assert!(sandbox.config_json()["profiles"].get("work").is_some());

    let removed = sandbox
        .run(&["profiles", "remove", "work", "--yes"])
        .success();
    assert!(
        removed.stderr.contains("stays valid on the server"),
        "{}",
        removed.stderr
    );
    let doc = sandbox.config_json();
    assert_eq!(doc["profiles"], serde_json::json!({}));
    assert_eq!(doc["active_profile"], serde_json::Value::Null);
    sandbox
        .run(&["profiles", "remove", "work", "--yes"])
        .code(2);
}

#[test]
fn a_confirmation_next_action_never_repeats_a_key() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    let failed = sandbox
        .run(&["--json", "--api-key", &key(9), "profiles", "remove", "work"])
        .code(9);
    assert!(!failed.all().contains(&key(9)), "{}", failed.all());
    assert!(
        failed.error()["next_action"]
            .as_str()
            .unwrap()
            .contains("<KEY>")
    );
}

#[test]
fn a_closed_stdout_ends_profiles_list_quietly() {
    let sandbox = Sandbox::new();
    // Far more than a pipe buffer, so the reader is gone before the end.
    let mut profiles = serde_json::Map::new();
    for n in 0..1500 {
        profiles.insert(
            format!("profile-{n}"),
            serde_json::json!({
                "api_url": "http://127.0.0.1:8787", "key_start": &key(n)[..12],
                "storage": "file", "created_at": "2026-01-01T00:00:00Z", "api_key": key(n),
            }),
        );
    }
    let doc = serde_json::json!({"version": 1, "profiles": profiles});
    sandbox.write_config(&doc.to_string());
    for reader in ["head -c 0", "head -n 1", "true"] {
        let status = StdCommand::new("bash")
            .arg("-c")
            .arg(format!(
                "set -o pipefail; \"$0\" profiles list 2>err | {reader} >/dev/null"
            ))
            .arg(SCRIPTO)
            .current_dir(sandbox.root())
            .env_clear()
            .envs(crate::support::isolated_env(&sandbox.home()))
            .env("XDG_CONFIG_HOME", sandbox.home().join(".config"))
            .status()
            .unwrap();
        assert!(status.success(), "{reader}: {status}");
        let err = std::fs::read_to_string(sandbox.root().join("err")).unwrap();
        assert_eq!(err, "", "{reader}");
    }
}

/// `scripto config set --api-key …` storing `profile`, as a child process.
fn spawn_writer(sandbox: &Sandbox, profile: &str, key: &str) -> Child {
    sandbox
        .spawnable()
        .args([
            "config",
            "set",
            "--api-key",
            key,
            "--no-verify",
            "--storage",
            "file",
        ])
        .args(["--profile-name", profile])
        .spawn()
        .expect("spawn scripto")
}

fn stored_profiles(sandbox: &Sandbox) -> BTreeSet<String> {
    sandbox.config_json()["profiles"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn fifty_parallel_writers_lose_no_profile() {
    for round in 0..4 {
        let sandbox = Sandbox::new();
        let writers: Vec<(String, Child)> = (0..50)
            .map(|n| {
                let name = format!("agent-{n}");
                let child = spawn_writer(&sandbox, &name, &key(n));
                (name, child)
            })
            .collect();
        for (name, child) in writers {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}, {name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let expected: BTreeSet<String> = (0..50).map(|n| format!("agent-{n}")).collect();
        assert_eq!(stored_profiles(&sandbox), expected, "round {round}");
        let doc = sandbox.config_json();
        for n in 0..50 {
            assert_eq!(doc["profiles"][format!("agent-{n}")]["api_key"], key(n));
        }
        assert_eq!(mode(&sandbox.config_file()), 0o600, "round {round}");
    }
}

#[test]
fn a_writer_killed_at_any_moment_leaves_the_old_or_the_new_file() {
    let sandbox = Sandbox::new();
    // A few hundred profiles make each write long enough to be hit mid-way.
    let mut big =
        serde_json::json!({"version": 1, "active_profile": null, "defaults": {}, "profiles": {}});
    for n in 0..300 {
        big["profiles"][format!("old-{n}")] = serde_json::json!({
            "api_url": "http://127.0.0.1:8787", "key_start": &key(n)[..12], "storage": "file",
            "created_at": "2026-01-01T00:00:00Z", "api_key": key(n), "verified": false,
            "scopes": ["read", "write"], "email": "someone@example.com",
        });
    }
    sandbox.write_config(&serde_json::to_string_pretty(&big).unwrap());
    let mut expected = stored_profiles(&sandbox);
    // How long one whole write takes here; kills land uniformly within it.
    let started = std::time::Instant::now();
    let out = spawn_writer(&sandbox, "timed", &key(999))
        .wait_with_output()
        .unwrap();
    assert!(out.status.success());
    let lifetime = started.elapsed().as_micros() as u64;
    expected.insert("timed".to_owned());

    let (mut finished, mut before_rename) = (0, 0);
    for attempt in 0..150u32 {
        let name = format!("new-{attempt}");
        let mut child = spawn_writer(&sandbox, &name, &key(1000 + attempt));
        std::thread::sleep(Duration::from_micros(fastrand::u64(0..lifetime)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = stored_profiles(&sandbox);
        if now.contains(&name) {
            expected.insert(name.clone());
            finished += 1;
        }
        assert_eq!(
            now, expected,
            "attempt {attempt} ({status}) left a mixed state"
        );
        assert_eq!(mode(&sandbox.config_file()), 0o600);
        if !temp_files(&sandbox).is_empty() {
            before_rename += 1;
        }
    }
    eprintln!(
        "150 writers killed within {lifetime} µs: {finished} had finished, {before_rename} left a temporary file"
    );
    assert!(finished < 150, "no writer was killed before it finished");
    // The temporary files of killed writers are swept by the next write.
    sandbox.store_key("last", &key(5000));
    assert_eq!(temp_files(&sandbox), Vec::<String>::new());
}

/// The temporary files in the config directory (left by killed writers).
fn temp_files(sandbox: &Sandbox) -> Vec<String> {
    std::fs::read_dir(sandbox.config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn profiles_remove_asks_at_a_terminal() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    let (code, shown) = run_at_terminal(&sandbox, &[], &["profiles", "remove", "work"], "n");
    assert!(shown.contains("Remove profile 'work'"), "{shown:?}");
    assert_eq!(code, 2, "{shown:?}");
    assert!(sandbox.config_json()["profiles"].get("work").is_some());

    let (code, shown) = run_at_terminal(&sandbox, &[], &["profiles", "remove", "work"], "y");
    assert_eq!(code, 0, "{shown:?}");
    assert!(sandbox.config_json()["profiles"].get("work").is_none());

    // --no-input at a terminal still refuses to ask.
    sandbox.store_key("work", &key(1));
    let (code, shown) = run_at_terminal(
        &sandbox,
        &[],
        &["--no-input", "profiles", "remove", "work"],
        "y",
    );
    assert_eq!(code, 9, "{shown:?}");
    assert!(shown.contains("--yes"), "{shown:?}");
}

#[test]
fn with_profiles_stored_but_none_active_the_error_says_which_to_use() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(1));
    sandbox.store_key("home", &key(2));
    sandbox
        .run(&["--yes", "profiles", "remove", "home"])
        .success();
    let refused = sandbox.run(&["--json", "auth", "token"]).code(3);
    let error = refused.error();
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no profile is active (stored: work)"),
        "{error}"
    );
    assert_eq!(error["next_action"], "scripto profiles use work");
}
