//! Shell completion as the shells run it: bash, zsh and fish each source the
//! script `scripto completions SHELL` prints and are asked for the
//! candidates at a TAB, with the real binary on PATH and a real server.
//! bash and zsh get their completion builtins' inputs set as at a real TAB
//! (zsh's `_describe` and `compdef` stubbed to print what they are given);
//! fish is asked with `complete --do-complete`, which is what its TAB runs.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::server::{ConfigDir, TestServer, login, scripto_json};

const SCRIPTO: &str = env!("CARGO_BIN_EXE_scripto");

/// The script for `shell`, as a user installs it.
fn script(dir: &Path, shell: &str) -> std::path::PathBuf {
    let out = std::process::Command::new(SCRIPTO)
        .args(["completions", shell])
        .output()
        .expect("scripto runs");
    assert!(out.status.success());
    let path = dir.join(format!("scripto.{shell}"));
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// The candidates `shell` offers for a TAB after `line` (whose last word is
/// the one being completed, possibly empty), one per line.
fn tab(shell: &str, config: &ConfigDir, server: &str, line: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), shell);
    let bin_dir = Path::new(SCRIPTO).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let driver = match shell {
        "bash" => {
            r#"source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
            COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            _clap_complete_scripto "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\n' "${COMPREPLY[@]}""#
        }
        "zsh" => {
            r#"compdef() { :; }
            _describe() { local name=${@[-1]}; print -rl -- ${(P)name}; }
            source "$1"; shift
            words=("$@"); CURRENT=$#
            _clap_dynamic_completer_scripto"#
        }
        "fish" => {
            r#"source $argv[1]
            complete --do-complete (string join ' ' -- $argv[2..-1])"#
        }
        other => panic!("no driver for {other}"),
    };
    let mut cmd = std::process::Command::new(shell);
    if shell == "zsh" {
        cmd.arg("-f");
    }
    cmd.arg("-c").arg(driver);
    if shell != "fish" {
        // `$0` for bash and zsh; fish's `-c` takes none.
        cmd.arg("_");
    }
    let out = cmd
        .arg(&script)
        .args(line)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir.path())
        .env("SCRIPTO_CONFIG_DIR", config.path())
        .env("SCRIPTO_API_URL", server)
        .env("SCRIPTO_KEYRING", "none")
        .output()
        .unwrap_or_else(|e| {
            panic!("{shell} is needed for this test (apt-get install {shell}): {e}")
        });
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "a completion prints nothing on the terminal"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn candidates(shell: &str, config: &ConfigDir, server: &str, line: &[&str]) -> Vec<String> {
    tab(shell, config, server, line)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn profile_names_and_key_ids_complete_in_bash_zsh_and_fish() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ann@example.com", "ann");
    login(&config, &server, "bob@example.com", "work");
    let created = scripto_json(
        &config,
        &server.url(),
        &["keys", "create", "--name", "ci-deploy"],
    );
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    let secret = created["data"]["api_key"].as_str().unwrap().to_owned();
    let url = server.url();

    for shell in ["bash", "zsh", "fish"] {
        let offered = candidates(shell, &config, &url, &["scripto", "profiles", "use", ""]);
        // The profiles first; the flags follow them.
        let names: Vec<&str> = offered
            .iter()
            .map(|c| c.split(['\t', ':']).next().unwrap())
            .take_while(|c| !c.starts_with('-'))
            .collect();
        assert_eq!(names, ["ann", "work"], "{shell}: {offered:?}");

        let offered = candidates(shell, &config, &url, &["scripto", "--profile", "w"]);
        assert_eq!(offered, ["work"], "{shell}");

        let offered = candidates(shell, &config, &url, &["scripto", "keys", "get", ""]);
        let ours = offered
            .iter()
            .find(|c| c.starts_with(&id))
            .unwrap_or_else(|| panic!("{shell}: {id} not among {offered:?}"));
        match shell {
            // bash shows values only; zsh and fish show the name beside the id.
            "bash" => assert_eq!(ours, &id),
            "zsh" => assert_eq!(ours, &format!("{id}:ci-deploy")),
            _ => assert_eq!(ours, &format!("{id}\tci-deploy")),
        }
        assert!(
            offered.iter().all(|c| !c.contains(&secret[12..])),
            "{shell}: a secret was offered: {offered:?}"
        );
    }
}

#[test]
fn keys_tab_offers_the_subcommands_before_any_flag() {
    let config = ConfigDir::new();
    for shell in ["bash", "zsh", "fish"] {
        // The group by its name; its alias `key` works but is not offered.
        let top = candidates(shell, &config, "http://127.0.0.1:9", &["scripto", ""]);
        let names: Vec<&str> = top
            .iter()
            .map(|c| c.split(['\t', ':']).next().unwrap())
            .collect();
        assert!(names.contains(&"keys"), "{shell}: {top:?}");
        assert!(!names.contains(&"key"), "{shell}: {top:?}");

        let offered = candidates(
            shell,
            &config,
            "http://127.0.0.1:9",
            &["scripto", "keys", ""],
        );
        let names: Vec<&str> = offered
            .iter()
            .map(|c| c.split(['\t', ':']).next().unwrap())
            .collect();
        let first_flag = names.iter().position(|n| n.starts_with('-'));
        for sub in ["create", "list", "get", "revoke", "rotate"] {
            let at = names.iter().position(|n| *n == sub);
            assert!(
                at.is_some_and(|at| first_flag.is_none_or(|flag| at < flag)),
                "{shell}: {sub} not before the flags in {offered:?}"
            );
        }
        let offered = candidates(
            shell,
            &config,
            "http://127.0.0.1:9",
            &["scripto", "keys", "create", "--na"],
        );
        assert!(
            offered.iter().any(|c| c.starts_with("--name")),
            "{shell}: {offered:?}"
        );
    }
}

#[test]
fn a_server_that_does_not_answer_holds_the_shell_about_a_second_and_offers_nothing() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ann@example.com", "ann");
    // Accepts connections and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let started = Instant::now();
    let offered = candidates(
        "bash",
        &config,
        &silent_url,
        &["scripto", "keys", "revoke", ""],
    );
    let took = started.elapsed();
    assert!(
        offered.iter().all(|c| !c.starts_with("key_")),
        "{offered:?}"
    );
    assert!(took < Duration::from_millis(1800), "took {took:?}");
    drop(silent);
}
