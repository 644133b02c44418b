//! Precedence, for every pair of sources of the key, the server URL and the
//! profile: flag > environment > selected profile > config defaults >
//! built-in, where a flag beats every environment variable (so
//! `--profile staging` is not overridden by a CI-wide `SCRIPTO_API_KEY`).

use serde_json::{Value, json};

use crate::support::{Outcome, Sandbox, key};

/// One place a setting can come from, and how a test puts a value there.
#[derive(Debug, Clone, Copy, PartialEq)]
enum From {
    FlagKey,
    EnvKey,
    FlagUrl,
    EnvUrl,
    FlagProfile,
    EnvProfile,
    ActiveProfile,
    ConfigDefault,
}

/// Three stored profiles, each on its own server with its own key.
const PROFILES: [(&str, &str, u32); 3] = [
    ("alpha", "https://alpha.example", 10),
    ("beta", "https://beta.example", 11),
    ("gamma", "https://gamma.example", 12),
];

fn setup(sources: &[From]) -> (Sandbox, Vec<String>, Vec<(&'static str, String)>) {
    let sandbox = Sandbox::new();
    let mut profiles = serde_json::Map::new();
    for (name, url, n) in PROFILES {
        profiles.insert(
            name.to_owned(),
            json!({
                "api_url": url, "key_start": &key(n)[..12], "storage": "file",
                "created_at": "2026-01-01T00:00:00Z", "api_key": key(n),
            }),
        );
    }
    let mut doc = json!({"version": 1, "profiles": profiles, "defaults": {}});
    let mut args = Vec::new();
    let mut env = Vec::new();
    for source in sources {
        match source {
            From::FlagKey => args.extend(["--api-key".to_owned(), key(1)]),
            From::EnvKey => env.push(("SCRIPTO_API_KEY", key(2))),
            From::FlagUrl => {
                args.extend(["--api-url".to_owned(), "https://flag.example".to_owned()])
            }
            From::EnvUrl => env.push(("SCRIPTO_API_URL", "https://env.example".to_owned())),
            From::FlagProfile => args.extend(["--profile".to_owned(), "alpha".to_owned()]),
            From::EnvProfile => env.push(("SCRIPTO_PROFILE", "beta".to_owned())),
            From::ActiveProfile => doc["active_profile"] = json!("gamma"),
            From::ConfigDefault => doc["defaults"]["api_url"] = json!("https://default.example"),
        }
    }
    sandbox.write_config(&doc.to_string());
    (sandbox, args, env)
}

fn run(sandbox: &Sandbox, args: &[String], env: &[(&str, String)], command: &[&str]) -> Outcome {
    let mut cmd = sandbox.cmd();
    for (name, value) in env {
        cmd.env(name, value);
    }
    crate::support::outcome(cmd.args(args).args(command))
}

/// Every unordered pair of `sources`, strongest first in each pair.
fn pairs(sources: &[From]) -> Vec<(From, From)> {
    let mut pairs = Vec::new();
    for (i, strong) in sources.iter().enumerate() {
        for weak in &sources[i + 1..] {
            pairs.push((*strong, *weak));
        }
    }
    pairs
}

fn show(sources: &[From]) -> Value {
    let (sandbox, args, env) = setup(sources);
    run(&sandbox, &args, &env, &["--json", "config", "show"]).data()
}

#[test]
fn the_profile_comes_from_flag_then_environment_then_the_active_one() {
    let expected = |source: From| match source {
        From::FlagProfile => {
            json!({"value": "alpha", "source": {"kind": "flag", "name": "--profile"}})
        }
        From::EnvProfile => {
            json!({"value": "beta", "source": {"kind": "env", "name": "SCRIPTO_PROFILE"}})
        }
        From::ActiveProfile => json!({"value": "gamma", "source": {"kind": "active_profile"}}),
        _ => unreachable!(),
    };
    for (strong, weak) in pairs(&[From::FlagProfile, From::EnvProfile, From::ActiveProfile]) {
        let data = show(&[strong, weak]);
        assert_eq!(
            data["profile"],
            expected(strong),
            "{strong:?} over {weak:?}"
        );
    }
}

#[test]
fn the_key_comes_from_each_source_in_order_for_every_pair() {
    // The order: --api-key, --profile's key, SCRIPTO_API_KEY,
    // SCRIPTO_PROFILE's key, the active profile's key.
    let order = [
        From::FlagKey,
        From::FlagProfile,
        From::EnvKey,
        From::EnvProfile,
        From::ActiveProfile,
    ];
    let expected = |source: From| match source {
        From::FlagKey => (key(1), json!({"kind": "flag", "name": "--api-key"})),
        From::EnvKey => (key(2), json!({"kind": "env", "name": "SCRIPTO_API_KEY"})),
        From::FlagProfile => (key(10), json!({"kind": "profile", "name": "alpha"})),
        From::EnvProfile => (key(11), json!({"kind": "profile", "name": "beta"})),
        From::ActiveProfile => (key(12), json!({"kind": "profile", "name": "gamma"})),
        _ => unreachable!(),
    };
    for (strong, weak) in pairs(&order) {
        let (sandbox, args, env) = setup(&[strong, weak]);
        let (key, source) = expected(strong);
        let shown = run(&sandbox, &args, &env, &["--json", "config", "show"]).data();
        assert_eq!(
            shown["api_key"]["source"], source,
            "{strong:?} over {weak:?}"
        );
        assert_eq!(shown["api_key"]["value"], format!("{}…", &key[..12]));
        let token = run(&sandbox, &args, &env, &["auth", "token"]).success();
        assert_eq!(token.stdout.trim(), key, "{strong:?} over {weak:?}");
    }
}

#[test]
fn the_server_comes_from_each_source_in_order_for_every_pair() {
    let order = [
        From::FlagUrl,
        From::FlagProfile,
        From::EnvUrl,
        From::EnvProfile,
        From::ActiveProfile,
        From::ConfigDefault,
    ];
    let expected = |source: From| match source {
        From::FlagUrl => {
            json!({"value": "https://flag.example", "source": {"kind": "flag", "name": "--api-url"}})
        }
        From::EnvUrl => {
            json!({"value": "https://env.example", "source": {"kind": "env", "name": "SCRIPTO_API_URL"}})
        }
        From::FlagProfile => {
            json!({"value": "https://alpha.example", "source": {"kind": "profile", "name": "alpha"}})
        }
        From::EnvProfile => {
            json!({"value": "https://beta.example", "source": {"kind": "profile", "name": "beta"}})
        }
        From::ActiveProfile => {
            json!({"value": "https://gamma.example", "source": {"kind": "profile", "name": "gamma"}})
        }
        From::ConfigDefault => {
            json!({"value": "https://default.example", "source": {"kind": "config_default"}})
        }
        _ => unreachable!(),
    };
    for (strong, weak) in pairs(&order) {
        let data = show(&[strong, weak]);
        assert_eq!(
            data["api_url"],
            expected(strong),
            "{strong:?} over {weak:?}"
        );
    }
    // And each source against the built-in default.
    for source in order {
        assert_eq!(
            show(&[source])["api_url"],
            expected(source),
            "{source:?} over built-in"
        );
    }
    assert_eq!(
        show(&[])["api_url"],
        json!({"value": "http://127.0.0.1:8787", "source": {"kind": "built_in"}})
    );
}

#[test]
fn a_given_key_never_touches_a_broken_store() {
    let sandbox = Sandbox::new();
    sandbox.write_config("{ this is not json");
    let token = sandbox
        .run(&["--api-key", &key(1), "auth", "token"])
        .success();
    assert_eq!(token.stdout.trim(), key(1));
    let token = sandbox
        .run_env(&[("SCRIPTO_API_KEY", &key(2))], &["auth", "token"])
        .success();
    assert_eq!(token.stdout.trim(), key(2));
}

#[test]
fn selecting_a_profile_never_changes_the_active_one() {
    let (sandbox, _, _) = setup(&[From::ActiveProfile]);
    let before = sandbox.config_text();
    sandbox
        .run(&["--profile", "alpha", "auth", "token"])
        .success();
    sandbox
        .run_env(&[("SCRIPTO_PROFILE", "beta")], &["profiles", "show"])
        .success();
    assert_eq!(sandbox.config_text(), before);

    // Storing a key under the selected name does not make it active either.
    let stored = sandbox
        .run(&[
            "--json",
            "--profile",
            "delta",
            "config",
            "set",
            "--api-key",
            &key(20),
            "--no-verify",
            "--storage",
            "file",
        ])
        .success();
    assert_eq!(stored.data()["profile"], "delta");
    assert_eq!(stored.data()["active"], false);
    let doc = sandbox.config_json();
    assert_eq!(doc["active_profile"], "gamma");
    assert_eq!(doc["profiles"]["delta"]["api_key"], key(20));
}

#[test]
fn a_missing_selected_profile_is_named_in_the_error() {
    let (sandbox, _, _) = setup(&[]);
    let failed = sandbox
        .run(&["--json", "--profile", "delta", "auth", "token"])
        .code(2);
    let message = failed.error()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("delta") && message.contains("alpha, beta, gamma"),
        "{message}"
    );
}

#[test]
fn no_key_anywhere_is_exit_3_with_the_login_command() {
    let sandbox = Sandbox::new();
    let failed = sandbox.run(&["--json", "auth", "token"]).code(3);
    assert_eq!(failed.error()["next_action"], "scripto auth login");
}

#[test]
fn an_invalid_timeout_is_a_usage_error() {
    let sandbox = Sandbox::new();
    sandbox.run(&["--timeout", "-1", "config", "show"]).code(2);
    sandbox.run(&["--timeout", "0", "config", "show"]).code(2);
    sandbox
        .run_env(&[("SCRIPTO_TIMEOUT", "soon")], &["config", "show"])
        .code(2);
    let shown = sandbox
        .run_env(&[("SCRIPTO_TIMEOUT", "2.5")], &["--json", "config", "show"])
        .success();
    assert_eq!(shown.data()["timeout"]["value"], "2s 500ms");
    assert_eq!(shown.data()["timeout"]["source"]["name"], "SCRIPTO_TIMEOUT");
}
