//! `--help` of every command, snapshotted: a change to the interface (a flag,
//! its wording, a new command) shows up as a snapshot diff in review. After
//! an intended change: `cargo insta review` (or `INSTA_UPDATE=always`).

use clap::CommandFactory;

use crate::support::Sandbox;

/// Every command path: `[]`, `["auth"]`, `["auth", "login"]`, …
fn command_paths(command: &clap::Command, prefix: Vec<String>, into: &mut Vec<Vec<String>>) {
    into.push(prefix.clone());
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let mut path = prefix.clone();
        path.push(sub.get_name().to_owned());
        command_paths(sub, path, into);
    }
}

#[test]
fn every_command_has_a_help_snapshot() {
    let mut paths = Vec::new();
    command_paths(&scripto::cli::Cli::command(), Vec::new(), &mut paths);
    assert!(paths.len() > 20, "the whole tree: {paths:?}");
    let sandbox = Sandbox::new();
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = sandbox.run(&args).success();
        assert_eq!(help.stderr, "", "{args:?}");
        let name = if path.is_empty() {
            "scripto".to_owned()
        } else {
            format!("scripto-{}", path.join("-"))
        };
        insta::assert_snapshot!(name, help.stdout);
    }
}

#[test]
fn version_is_printed_on_stdout() {
    let shown = Sandbox::new().run(&["--version"]).success();
    assert_eq!(
        shown.stdout,
        format!("scripto {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_usage_error_is_exit_2_and_one_json_document_under_json() {
    let sandbox = Sandbox::new();
    let failed = sandbox.run(&["profiles", "frobnicate"]).code(2);
    assert_eq!(failed.stdout, "");
    sandbox
        .run(&["--json", "profiles", "frobnicate"])
        .expect_error(2, "usage_error");
    sandbox
        .run_env(&[("SCRIPTO_OUTPUT", "json")], &["config", "get"])
        .expect_error(2, "usage_error");

    // `output` = json in config.json: usage errors are JSON too, unless the
    // environment asks for human output.
    sandbox.run(&["config", "set", "output", "json"]).success();
    sandbox
        .run(&["profiles", "frobnicate"])
        .expect_error(2, "usage_error");
    sandbox
        .run(&["--timeout", "-3", "profiles", "list"])
        .expect_error(2, "usage_error");
    let failed = sandbox
        .run_env(&[("SCRIPTO_OUTPUT", "human")], &["profiles", "frobnicate"])
        .code(2);
    assert_eq!(failed.stdout, "");
}

#[test]
fn completions_are_printed_for_every_shell() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = sandbox.run(&["completions", shell]).success();
        assert!(script.stdout.contains("scripto"), "{shell}");
        assert!(script.stdout.contains("_SCRIPTO_COMPLETE"), "{shell}");
    }
    sandbox.run(&["completions", "tcsh"]).code(2);
}

#[test]
fn a_period_ending_in_a_non_ascii_character_is_a_usage_error_not_a_panic() {
    let sandbox = Sandbox::new();
    for period in ["5é", "é"] {
        let failed = sandbox
            .run(&["keys", "create", "--name", "x", "--expires-in", period])
            .code(2);
        assert!(!failed.stderr.contains("panicked"), "{}", failed.stderr);
        assert!(
            failed.stderr.contains("is not a period"),
            "{}",
            failed.stderr
        );
    }
}
