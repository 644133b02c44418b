//! `scripto config …` and the config file itself: where it lives, how it is
//! created, and every way it can be broken on disk.

use std::os::unix::fs::PermissionsExt;

use crate::support::{Sandbox, key, mode, run_at_terminal, running_as_root};

#[test]
fn config_path_is_under_xdg_config_home_then_home() {
    let sandbox = Sandbox::new();
    let shown = sandbox.run(&["config", "path"]).success();
    assert_eq!(
        shown.stdout.trim(),
        sandbox.config_file().display().to_string()
    );

    let no_xdg = sandbox
        .cmd()
        .env_remove("XDG_CONFIG_HOME")
        .arg("config")
        .arg("path")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&no_xdg.stdout).trim(),
        sandbox
            .home()
            .join(".config/scripto/config.json")
            .display()
            .to_string()
    );
}

#[test]
fn config_dir_flag_beats_its_environment_variable() {
    let sandbox = Sandbox::new();
    let from_env = sandbox.root().join("from-env");
    let from_flag = sandbox.root().join("from-flag");
    let shown = sandbox
        .run_env(
            &[("SCRIPTO_CONFIG_DIR", from_env.to_str().unwrap())],
            &["--json", "config", "path"],
        )
        .success();
    assert_eq!(
        shown.data()["path"],
        from_env.join("config.json").display().to_string()
    );
    let shown = sandbox
        .run_env(
            &[("SCRIPTO_CONFIG_DIR", from_env.to_str().unwrap())],
            &[
                "--json",
                "--config-dir",
                from_flag.to_str().unwrap(),
                "config",
                "path",
            ],
        )
        .success();
    assert_eq!(
        shown.data()["path"],
        from_flag.join("config.json").display().to_string()
    );
    assert_eq!(shown.data()["exists"], false);
}

#[test]
fn the_directory_is_created_0700_and_the_file_0600() {
    let sandbox = Sandbox::new();
    sandbox.store_key("default", &key(1));
    assert_eq!(mode(&sandbox.config_dir()), 0o700);
    assert_eq!(mode(&sandbox.config_file()), 0o600);
    let doc = sandbox.config_json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["active_profile"], "default");
    assert_eq!(doc["profiles"]["default"]["storage"], "file");
    assert_eq!(doc["profiles"]["default"]["verified"], false);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(sandbox.config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn defaults_are_set_read_and_unset() {
    let sandbox = Sandbox::new();
    let got = sandbox
        .run(&["--json", "config", "get", "api-url"])
        .success();
    assert_eq!(got.data()["value"], "http://127.0.0.1:8787");
    assert_eq!(got.data()["source"]["kind"], "built_in");

    sandbox
        .run(&["config", "set", "api-url", "https://api.example.com/"])
        .success();
    sandbox.run(&["config", "set", "storage", "file"]).success();
    let got = sandbox.run(&["config", "get", "api-url"]).success();
    assert_eq!(got.stdout, "https://api.example.com\n");
    let got = sandbox
        .run(&["--json", "config", "get", "storage"])
        .success();
    assert_eq!(got.data()["value"], "file");
    assert_eq!(got.data()["source"]["kind"], "config_default");

    let unset = sandbox
        .run(&["--json", "config", "unset", "api-url"])
        .success();
    assert_eq!(unset.data()["removed"], true);
    let got = sandbox.run(&["config", "get", "api-url"]).success();
    assert_eq!(got.stdout, "http://127.0.0.1:8787\n");
    let unset = sandbox
        .run(&["--json", "config", "unset", "api-url"])
        .success();
    assert_eq!(unset.data()["removed"], false);
}

#[test]
fn the_output_default_makes_every_command_speak_json() {
    let sandbox = Sandbox::new();
    sandbox.run(&["config", "set", "output", "json"]).success();
    let shown = sandbox.run(&["config", "get", "output"]).success();
    assert_eq!(shown.data()["value"], "json");
    let shown = sandbox
        .run_env(&[("SCRIPTO_OUTPUT", "human")], &["config", "get", "output"])
        .success();
    assert_eq!(shown.stdout, "human\n");
}

#[test]
fn a_bad_setting_or_value_is_a_usage_error() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["--json", "config", "set", "colour", "blue"])
        .expect_error(2, "unknown_setting");
    sandbox.run(&["config", "set", "storage", "vault"]).code(2);
    sandbox.run(&["config", "set", "output", "yaml"]).code(2);
    sandbox
        .run(&["config", "set", "api-url", "ftp://example.com"])
        .code(2);
    sandbox
        .run(&["config", "set", "api-url", "not a url"])
        .code(2);
    sandbox.run(&["config", "set", "api-url"]).code(2);
    sandbox.run(&["config", "set"]).code(2);
    assert!(
        !sandbox.config_file().exists(),
        "nothing is written on a usage error"
    );
}

#[test]
fn config_show_gives_each_value_and_its_source() {
    let sandbox = Sandbox::new();
    sandbox.store_key("work", &key(7));
    let shown = sandbox.run(&["--json", "config", "show"]).success();
    let data = shown.data();
    assert_eq!(data["profile"]["value"], "work");
    assert_eq!(data["profile"]["source"]["kind"], "active_profile");
    assert_eq!(
        data["api_url"]["source"],
        serde_json::json!({"kind":"profile","name":"work"})
    );
    assert_eq!(data["api_key"]["value"], format!("{}…", &key(7)[..12]));
    assert_eq!(data["storage"]["value"], "auto");
    assert_eq!(data["timeout"]["value"], "30s");
    assert_eq!(
        data["output"]["source"],
        serde_json::json!({"kind":"flag","name":"--json"})
    );
    assert_eq!(data["profiles"], 1);

    let human = sandbox.run(&["--timeout", "5", "config", "show"]).success();
    assert!(human.stdout.contains("flag --timeout"), "{}", human.stdout);
    assert!(human.stdout.contains("active profile"), "{}", human.stdout);
    assert!(!human.stdout.contains('\x1b'), "no colour off a terminal");
}

#[test]
fn a_corrupt_file_names_its_line_and_column_and_is_never_overwritten() {
    let sandbox = Sandbox::new();
    let broken = "{\n  \"version\": 1,\n  \"profiles\": {,}\n}\n";
    sandbox.write_config(broken);
    let failed = sandbox.run(&["profiles", "list"]).code(8);
    let path = sandbox.config_file().display().to_string();
    assert!(failed.stderr.contains(&path), "{}", failed.stderr);
    assert!(
        failed.stderr.contains("line 3, column 16"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        failed.stderr.lines().count(),
        1,
        "one line: {}",
        failed.stderr
    );

    let failed = sandbox
        .run(&["--json", "config", "set", "storage", "file"])
        .expect_error(8, "config_corrupt");
    assert!(
        failed.error()["next_action"]
            .as_str()
            .unwrap()
            .contains(&path)
    );
    sandbox
        .run(&[
            "config",
            "set",
            "--api-key",
            &key(1),
            "--no-verify",
            "--storage",
            "file",
        ])
        .code(8);
    sandbox.run(&["profiles", "use", "default"]).code(8);
    assert_eq!(
        sandbox.config_text(),
        broken,
        "the broken file is left as it was"
    );
}

#[test]
fn an_empty_file_is_reported_not_replaced() {
    let sandbox = Sandbox::new();
    sandbox.write_config("");
    let failed = sandbox.run(&["config", "show"]).code(8);
    assert!(failed.stderr.contains("is empty"), "{}", failed.stderr);
    sandbox.run(&["config", "set", "storage", "file"]).code(8);
    assert_eq!(sandbox.config_text(), "");
}

#[test]
fn a_truncated_file_is_reported_as_truncated() {
    let sandbox = Sandbox::new();
    sandbox.store_key("default", &key(1));
    let full = sandbox.config_text();
    let truncated = &full[..full.len() / 2];
    sandbox.write_config(truncated);
    let failed = sandbox.run(&["--json", "profiles", "list"]).code(8);
    let error = failed.error();
    assert_eq!(error["code"], "config_corrupt");
    assert!(
        error["message"].as_str().unwrap().contains("truncated"),
        "{error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("line "),
        "{error}"
    );
}

#[test]
fn a_file_of_an_unknown_version_is_refused() {
    let sandbox = Sandbox::new();
    let newer = r#"{"version": 2, "profiles": {}, "vaults": []}"#;
    sandbox.write_config(newer);
    let failed = sandbox
        .run(&["--json", "config", "show"])
        .expect_error(8, "config_version");
    assert!(
        failed.error()["message"]
            .as_str()
            .unwrap()
            .contains("version 2")
    );
    sandbox.run(&["config", "set", "storage", "file"]).code(8);
    assert_eq!(sandbox.config_text(), newer);

    sandbox.write_config(r#"{"profiles": {}}"#);
    sandbox.run(&["config", "show"]).code(8);
}

#[test]
fn a_file_readable_by_others_is_used_with_a_warning_naming_the_fix() {
    let sandbox = Sandbox::new();
    sandbox.store_key("default", &key(1));
    std::fs::set_permissions(
        sandbox.config_file(),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let listed = sandbox.run(&["--json", "profiles", "list"]).success();
    assert_eq!(listed.data()[0]["name"], "default");
    let fix = format!("chmod 600 {}", sandbox.config_file().display());
    assert!(listed.stderr.contains(&fix), "{}", listed.stderr);
    assert_eq!(
        listed.stderr.matches("warning").count(),
        1,
        "{}",
        listed.stderr
    );

    // The next write replaces it with a 0600 file.
    sandbox.run(&["config", "set", "storage", "file"]).success();
    assert_eq!(mode(&sandbox.config_file()), 0o600);
}

#[test]
fn an_unwritable_config_directory_fails_with_exit_8_naming_the_path() {
    let sandbox = Sandbox::new();
    sandbox.store_key("default", &key(1));
    if running_as_root() {
        // Permissions do not stop root: use a file system that refuses
        // every write instead.
        let failed = sandbox
            .run(&[
                "--config-dir",
                "/sys/fs/scripto",
                "config",
                "set",
                "storage",
                "file",
            ])
            .code(8);
        assert!(
            failed.stderr.contains("/sys/fs/scripto"),
            "{}",
            failed.stderr
        );
        return;
    }
    let dir = sandbox.config_dir();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
    let failed = sandbox.run(&["config", "set", "storage", "file"]).code(8);
    assert!(
        failed.stderr.contains(&dir.display().to_string()),
        "{}",
        failed.stderr
    );
    // Reading still works.
    sandbox.run(&["profiles", "list"]).success();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn an_unreadable_config_file_fails_with_exit_8() {
    let sandbox = Sandbox::new();
    sandbox.store_key("default", &key(1));
    if running_as_root() {
        // Root reads any file; a directory in its place is unreadable as a file.
        std::fs::remove_file(sandbox.config_file()).unwrap();
        std::fs::create_dir(sandbox.config_file()).unwrap();
    } else {
        std::fs::set_permissions(
            sandbox.config_file(),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
    }
    let failed = sandbox.run(&["profiles", "list"]).code(8);
    assert!(
        failed
            .stderr
            .contains(&sandbox.config_file().display().to_string()),
        "{}",
        failed.stderr
    );
    sandbox.run(&["config", "set", "storage", "file"]).code(8);
}

#[test]
fn a_config_directory_that_is_a_file_fails_with_exit_8() {
    let sandbox = Sandbox::new();
    let file = sandbox.root().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let dir = file.to_str().unwrap();
    let failed = sandbox
        .run(&["--config-dir", dir, "config", "set", "storage", "file"])
        .code(8);
    assert!(failed.stderr.contains("is a file"), "{}", failed.stderr);
    assert!(failed.stderr.contains(dir), "{}", failed.stderr);
    sandbox
        .run(&["--json", "--config-dir", dir, "profiles", "list"])
        .expect_error(8, "config_dir_not_directory");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn a_read_only_home_still_reads_and_fails_writes_with_exit_8() {
    let sandbox = Sandbox::new();
    let home = if running_as_root() {
        std::path::PathBuf::from("/sys/fs")
    } else {
        let home = sandbox.home();
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o500)).unwrap();
        home
    };
    let run = |args: &[&str]| {
        crate::support::outcome(
            sandbox
                .cmd()
                .env("HOME", &home)
                .env_remove("XDG_CONFIG_HOME")
                .args(args),
        )
    };
    run(&["config", "show"]).success();
    run(&["profiles", "list"]).success();
    run(&["--api-key", &key(1), "auth", "token"]).success();
    let failed = run(&["config", "set", "--api-key", &key(1), "--no-verify"]).code(8);
    assert!(
        failed.stderr.contains(&home.display().to_string()),
        "{}",
        failed.stderr
    );
    let _ = std::fs::set_permissions(sandbox.home(), std::fs::Permissions::from_mode(0o700));
}

#[test]
fn colour_only_at_a_terminal_and_never_with_no_color() {
    let sandbox = Sandbox::new();
    let piped = sandbox.run(&["profiles", "use", "nope"]).code(2);
    assert!(!piped.stderr.contains('\x1b'), "{}", piped.stderr);
    let (code, shown) = run_at_terminal(&sandbox, &[], &["profiles", "use", "nope"], "");
    assert_eq!(code, 2);
    assert!(shown.contains("\x1b[31merror\x1b[0m"), "{shown:?}");
    for env in [&[("NO_COLOR", "1")][..], &[][..]] {
        let args: &[&str] = if env.is_empty() {
            &["--no-color", "profiles", "use", "nope"]
        } else {
            &["profiles", "use", "nope"]
        };
        let (code, shown) = run_at_terminal(&sandbox, env, args, "");
        assert_eq!(code, 2);
        assert!(shown.contains("error: there is no profile"), "{shown:?}");
        assert!(!shown.contains('\x1b'), "{shown:?}");
    }
}

#[test]
fn config_set_api_key_checks_the_key_with_the_server() {
    use crate::support::server::{ConfigDir, TestServer, login, stored_key};
    let server = TestServer::start();
    let elsewhere = ConfigDir::new();
    login(&elsewhere, &server, "dev@example.com", "laptop");
    let real = stored_key(&elsewhere, "laptop");

    let sandbox = Sandbox::new();
    let url = server.url();
    let stored = sandbox
        .run(&[
            "--json",
            "--verbose",
            "--api-url",
            &url,
            "config",
            "set",
            "--api-key",
            &real,
            "--storage",
            "file",
            "--profile-name",
            "ci",
        ])
        .success();
    assert_eq!(stored.data()["verified"], true);
    assert_eq!(stored.data()["email"], "dev@example.com");
    assert!(
        !stored.all().contains(&real[12..]),
        "--verbose shows the exchange, never the key: {}",
        stored.all()
    );
    let profile = &sandbox.config_json()["profiles"]["ci"];
    assert_eq!(profile["verified"], true);
    assert_eq!(profile["email"], "dev@example.com");
    assert_eq!(profile["minted_by_cli"], false);
    assert!(profile["key_id"].as_str().unwrap().starts_with("key_"));
    assert_eq!(profile["api_url"], url.trim_end_matches('/'));

    // A well-formed key the server does not know: refused, nothing stored.
    let failed = sandbox
        .run(&[
            "--json",
            "--api-url",
            &url,
            "config",
            "set",
            "--api-key",
            &key(3),
            "--storage",
            "file",
            "--profile-name",
            "bogus",
        ])
        .code(3);
    assert!(!failed.all().contains(&key(3)));
    assert!(sandbox.config_json()["profiles"].get("bogus").is_none());
}

#[test]
fn config_set_api_key_stores_unverified_when_the_server_is_down() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let sandbox = Sandbox::new();
    let stored = sandbox
        .run(&[
            "--json",
            "--timeout",
            "5",
            "--api-url",
            &url,
            "config",
            "set",
            "--api-key",
            &key(4),
            "--storage",
            "file",
        ])
        .success();
    assert_eq!(stored.data()["verified"], false);
    assert!(stored.stderr.contains("unverified"), "{}", stored.stderr);
    assert_eq!(
        sandbox.config_json()["profiles"]["default"]["verified"],
        false
    );
}

#[test]
fn config_set_api_key_refuses_plain_http_to_another_host() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&[
            "--json",
            "--api-url",
            "http://api.example.com",
            "config",
            "set",
            "--api-key",
            &key(4),
            "--no-verify",
        ])
        .expect_error(2, "insecure_transport");
    assert!(!sandbox.config_file().exists());
}

#[test]
fn a_symlinked_config_file_stays_a_symlink() {
    let sandbox = Sandbox::new();
    let dotfiles = sandbox.root().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let real = dotfiles.join("scripto.json");
    std::fs::write(&real, r#"{"version": 1}"#).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::create_dir_all(sandbox.config_dir()).unwrap();
    std::os::unix::fs::symlink(&real, sandbox.config_file()).unwrap();

    sandbox.store_key("work", &key(1));
    let link = std::fs::symlink_metadata(sandbox.config_file()).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert_eq!(doc["profiles"]["work"]["api_key"], key(1));
    assert_eq!(mode(&real), 0o600);
}
