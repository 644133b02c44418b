//! Where keys are kept: the keyring chain and its fallback to the file, the
//! checksum check before anything is stored or sent, and secrets kept out of
//! every output.
//!
//! Tests against real keyrings are `#[ignore]`d and named `secret_service_…`
//! (run them under gnome-keyring in `dbus-run-session`) and `keyutils_…`
//! (run them under `keyctl session -`); `scripts/test` does both.

use std::os::unix::net::UnixListener;
use std::time::Duration;

use serde_json::json;

use crate::support::{Outcome, Sandbox, key, outcome};

/// Secret Service only, with a D-Bus address where nothing listens.
const NO_DBUS: [(&str, &str); 2] = [
    ("SCRIPTO_KEYRING", "secret-service"),
    (
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/scripto-test-bus",
    ),
];

fn store_args(key: &str, storage: &str) -> Vec<String> {
    [
        "config",
        "set",
        "--api-key",
        key,
        "--no-verify",
        "--storage",
        storage,
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn with_no_dbus_session_auto_falls_back_to_the_file_with_a_warning_quickly() {
    let sandbox = Sandbox::new();
    let args = store_args(&key(1), "auto");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stored = sandbox.run_env(&NO_DBUS, &args).success();
    assert!(
        stored.elapsed < Duration::from_secs(2),
        "took {:?}",
        stored.elapsed
    );
    assert!(stored.stderr.contains("warning"), "{}", stored.stderr);
    let path = sandbox.config_file().display().to_string();
    assert!(
        stored.stderr.contains(&path),
        "the warning names the file: {}",
        stored.stderr
    );
    assert_eq!(
        sandbox.config_json()["profiles"]["default"]["storage"],
        "file"
    );
    assert_eq!(
        sandbox.config_json()["profiles"]["default"]["api_key"],
        key(1)
    );
}

#[test]
fn with_no_session_bus_at_all_the_secret_service_is_not_even_tried() {
    // The sandbox's environment has no DBUS_SESSION_BUS_ADDRESS and no
    // XDG_RUNTIME_DIR; point the latter at an empty directory to be sure.
    let sandbox = Sandbox::new();
    let runtime = sandbox.root().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    let args = store_args(&key(1), "auto");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stored = sandbox
        .run_env(
            &[
                ("SCRIPTO_KEYRING", "secret-service"),
                ("XDG_RUNTIME_DIR", runtime.to_str().unwrap()),
            ],
            &args,
        )
        .success();
    assert!(
        stored.stderr.contains("no D-Bus session"),
        "{}",
        stored.stderr
    );
    assert!(
        stored.elapsed < Duration::from_secs(2),
        "took {:?}",
        stored.elapsed
    );
    assert_eq!(
        sandbox.config_json()["profiles"]["default"]["storage"],
        "file"
    );
}

#[test]
fn with_no_dbus_session_keyring_storage_fails_with_exit_8_quickly() {
    let sandbox = Sandbox::new();
    let args = store_args(&key(1), "keyring");
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args.insert(0, "--json");
    let failed = sandbox.run_env(&NO_DBUS, &args).code(8);
    assert!(
        failed.elapsed < Duration::from_secs(2),
        "took {:?}",
        failed.elapsed
    );
    assert_eq!(failed.error()["code"], "keyring_unavailable");
    assert!(
        failed.error()["next_action"]
            .as_str()
            .unwrap()
            .contains("--storage file")
    );
    assert!(!sandbox.config_file().exists(), "nothing was stored");
}

#[test]
fn the_storage_default_applies_when_no_flag_is_given() {
    let sandbox = Sandbox::new();
    sandbox
        .run(&["config", "set", "storage", "keyring"])
        .success();
    sandbox
        .run_env(
            &NO_DBUS,
            &["config", "set", "--api-key", &key(1), "--no-verify"],
        )
        .code(8);
    sandbox.run(&["config", "set", "storage", "file"]).success();
    let stored = sandbox
        .run_env(
            &NO_DBUS,
            &["config", "set", "--api-key", &key(1), "--no-verify"],
        )
        .success();
    assert!(!stored.stderr.contains("warning"), "{}", stored.stderr);
}

/// A D-Bus socket that accepts connections and never answers: a hung
/// keyring daemon.
struct HungBus {
    _dir: tempfile::TempDir,
    address: String,
}

impl HungBus {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bus");
        let listener = UnixListener::bind(&path).unwrap();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
            }
        });
        Self {
            address: format!("unix:path={}", path.display()),
            _dir: dir,
        }
    }

    fn env(&self) -> [(&str, &str); 2] {
        [
            ("SCRIPTO_KEYRING", "secret-service"),
            ("DBUS_SESSION_BUS_ADDRESS", self.address.as_str()),
        ]
    }
}

#[test]
fn a_hung_keyring_is_given_up_on_after_three_seconds() {
    let bus = HungBus::start();
    let sandbox = Sandbox::new();
    let args = store_args(&key(1), "auto");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stored = sandbox.run_env(&bus.env(), &args).success();
    assert!(
        stored.elapsed >= Duration::from_millis(2900) && stored.elapsed < Duration::from_secs(6),
        "took {:?}",
        stored.elapsed
    );
    assert!(
        stored.stderr.contains("did not answer within 3 seconds"),
        "{}",
        stored.stderr
    );
    assert_eq!(
        sandbox.config_json()["profiles"]["default"]["storage"],
        "file"
    );
}

#[test]
fn a_hung_keyring_never_delays_a_command_with_a_given_key() {
    let bus = HungBus::start();
    let sandbox = Sandbox::new();
    // A profile whose key would be in that keyring.
    sandbox.write_config(
        &json!({"version": 1, "active_profile": "work", "profiles": {"work": {
            "api_url": "http://127.0.0.1:8787", "key_start": &key(5)[..12],
            "storage": "keyring", "created_at": "2026-01-01T00:00:00Z"}}})
        .to_string(),
    );
    let mut env = bus.env().to_vec();
    let env_key = key(2);
    for args in [
        vec!["--api-key", &key(1), "auth", "token"],
        vec!["config", "show"],
        vec!["profiles", "list"],
    ] {
        let run = sandbox.run_env(&env, &args).success();
        // Well under the keyring's 3 s bound, with room for a loaded machine.
        assert!(
            run.elapsed < Duration::from_secs(2),
            "{args:?} took {:?}",
            run.elapsed
        );
    }
    env.push(("SCRIPTO_API_KEY", &env_key));
    let run = sandbox.run_env(&env, &["auth", "token"]).success();
    assert_eq!(run.stdout.trim(), env_key);
    assert!(
        run.elapsed < Duration::from_secs(2),
        "took {:?}",
        run.elapsed
    );
}

#[test]
fn a_keyring_profile_without_a_keyring_fails_with_exit_8_naming_the_profile() {
    let sandbox = Sandbox::new();
    sandbox.write_config(
        &json!({"version": 1, "active_profile": "work", "profiles": {"work": {
            "api_url": "http://127.0.0.1:8787", "key_start": &key(5)[..12],
            "storage": "keyring", "created_at": "2026-01-01T00:00:00Z"}}})
        .to_string(),
    );
    let failed = sandbox
        .run_env(&NO_DBUS, &["--json", "auth", "token"])
        .code(8);
    let error = failed.error();
    assert_eq!(error["code"], "keyring_unavailable");
    assert!(
        error["message"].as_str().unwrap().contains("'work'"),
        "{error}"
    );
    assert!(
        error["next_action"].as_str().unwrap().contains("--api-key"),
        "{error}"
    );
}

#[test]
fn a_truncated_or_mistyped_key_is_refused_before_it_is_stored() {
    let sandbox = Sandbox::new();
    let good = key(1);
    let truncated = &good[..good.len() - 1];
    let failed = sandbox
        .run(&[
            "--json",
            "config",
            "set",
            "--api-key",
            truncated,
            "--no-verify",
            "--storage",
            "file",
        ])
        .expect_error(2, "invalid_key_format");
    assert!(
        failed.error()["message"]
            .as_str()
            .unwrap()
            .contains("truncated")
    );
    let mut typo = good.clone().into_bytes();
    typo[20] = if typo[20] == b'a' { b'b' } else { b'a' };
    let typo = String::from_utf8(typo).unwrap();
    let failed = sandbox
        .run(&[
            "config",
            "set",
            "--api-key",
            &typo,
            "--no-verify",
            "--storage",
            "file",
        ])
        .code(2);
    assert!(failed.stderr.contains("checksum"), "{}", failed.stderr);
    assert!(
        !failed.all().contains(&typo),
        "the refused key is not echoed"
    );
    assert!(!sandbox.config_file().exists());

    // Nor is it sent or printed.
    sandbox.run(&["--api-key", &typo, "auth", "token"]).code(2);
    sandbox
        .run_env(&[("SCRIPTO_API_KEY", truncated)], &["auth", "token"])
        .code(2);
    sandbox
        .run(&["--api-key", "sk_live_123", "auth", "token"])
        .code(2);
}

#[test]
fn a_key_from_stdin_is_stored_like_one_from_the_flag() {
    let sandbox = Sandbox::new();
    let stored = outcome(
        sandbox
            .cmd()
            .args([
                "--json",
                "config",
                "set",
                "--api-key",
                "-",
                "--no-verify",
                "--storage",
                "file",
            ])
            .write_stdin(format!("{}\n", key(3))),
    )
    .success();
    assert_eq!(stored.data()["key"], format!("{}…", &key(3)[..12]));
    assert_eq!(
        sandbox.config_json()["profiles"]["default"]["api_key"],
        key(3)
    );
    outcome(
        sandbox
            .cmd()
            .args(["config", "set", "--api-key", "-", "--no-verify"])
            .write_stdin(""),
    )
    .code(2);
}

/// Runs every local command that shows something, in every output mode.
fn every_output(sandbox: &Sandbox, env: &[(&str, &str)]) -> Vec<Outcome> {
    let mut runs = Vec::new();
    for mode in [
        &[][..],
        &["--json"][..],
        &["--verbose"][..],
        &["--json", "--verbose"][..],
    ] {
        for command in [
            &["config", "show"][..],
            &["config", "get", "api-url"][..],
            &["config", "get", "storage"][..],
            &["config", "path"][..],
            &["profiles", "list"][..],
            &["profiles", "show"][..],
            &["profiles", "use", "nope"][..],
            &["profiles", "remove", "default"][..],
            &["--api-key", "scripto_short", "config", "show"][..],
        ] {
            let args: Vec<&str> = mode.iter().chain(command).copied().collect();
            runs.push(sandbox.run_env(env, &args));
        }
    }
    runs
}

#[test]
fn a_stored_key_never_appears_in_any_output() {
    let sandbox = Sandbox::new();
    let secret = key(42);
    let stored = sandbox.run(&[
        "--verbose",
        "config",
        "set",
        "--api-key",
        &secret,
        "--no-verify",
        "--storage",
        "file",
    ]);
    let stored = stored.success();
    assert!(!stored.all().contains(&secret));
    let stored = sandbox.run(&[
        "--json",
        "config",
        "set",
        "--api-key",
        &secret,
        "--no-verify",
        "--storage",
        "file",
    ]);
    assert!(!stored.success().all().contains(&secret));
    // And one more through stdin.
    let piped = key(44);
    let stored = outcome(
        sandbox
            .cmd()
            .args([
                "--verbose",
                "config",
                "set",
                "--api-key",
                "-",
                "--no-verify",
            ])
            .args(["--storage", "file", "--profile-name", "piped"])
            .write_stdin(format!("{piped}\n")),
    )
    .success();
    assert!(!stored.all().contains(&piped[12..]));
    for run in every_output(&sandbox, &[]) {
        assert!(!run.all().contains(&secret), "{}", run.all());
        assert!(!run.all().contains(&secret[12..]), "{}", run.all());
        assert!(!run.all().contains(&piped[12..]), "{}", run.all());
    }
    // Nor a key given on the command line or in the environment.
    let given = key(43);
    for run in every_output(&sandbox, &[("SCRIPTO_API_KEY", &given)]) {
        assert!(!run.all().contains(&given[12..]), "{}", run.all());
    }
}

// ---- real keyrings -------------------------------------------------------

/// A unique server per test run, so entries never collide in a shared keyring.
fn unique_server() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("https://t{}-{nanos}.example", std::process::id())
}

/// The whole life of a profile whose key is in the keyring `backend`.
fn keyring_round_trip(backend: &str) {
    let sandbox = Sandbox::new();
    let mut env: Vec<(&str, String)> = vec![("SCRIPTO_KEYRING", backend.to_owned())];
    for var in ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"] {
        if let Ok(value) = std::env::var(var) {
            env.push((var, value));
        }
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = unique_server();
    let secret = key(77);

    let stored = sandbox
        .run_env(
            &env,
            &[
                "--json",
                "--api-url",
                &server,
                "config",
                "set",
                "--api-key",
                &secret,
                "--no-verify",
                "--storage",
                "keyring",
            ],
        )
        .success();
    assert_eq!(stored.data()["storage"], "keyring");
    assert!(!stored.all().contains(&secret));
    // keyutils keeps keys in memory only, and says so.
    assert_eq!(
        stored.stderr.contains("forgets it at reboot"),
        backend == "keyutils",
        "{}",
        stored.stderr
    );
    let text = sandbox.config_text();
    assert!(
        !text.contains(&secret[12..]),
        "the key is not in config.json:\n{text}"
    );
    assert_eq!(
        sandbox.config_json()["profiles"]["default"]["storage"],
        "keyring"
    );

    let token = sandbox.run_env(&env, &["auth", "token"]).success();
    assert_eq!(token.stdout.trim(), secret);
    for run in every_output(&sandbox, &env) {
        assert!(!run.all().contains(&secret[12..]), "{}", run.all());
    }

    // Renaming moves the entry.
    sandbox
        .run_env(&env, &["profiles", "rename", "default", "moved"])
        .success();
    let token = sandbox
        .run_env(&env, &["--profile", "moved", "auth", "token"])
        .success();
    assert_eq!(token.stdout.trim(), secret);

    // An entry deleted behind scripto's back: the profile is named, and how
    // to log in again.
    let saved = sandbox.config_text();
    sandbox
        .run_env(&env, &["profiles", "remove", "moved", "--yes"])
        .success();
    sandbox.write_config(&saved);
    let failed = sandbox.run_env(&env, &["--json", "auth", "token"]).code(3);
    let error = failed.error();
    assert_eq!(error["code"], "credential_missing");
    assert!(
        error["message"].as_str().unwrap().contains("'moved'"),
        "{error}"
    );
    assert_eq!(
        error["next_action"],
        format!("scripto auth login --profile-name moved --api-url {server}")
    );
    sandbox
        .run_env(&env, &["profiles", "remove", "moved", "--yes"])
        .success();
}

#[test]
#[ignore = "needs a Secret Service: run under dbus-run-session with gnome-keyring (scripts/test)"]
fn secret_service_keeps_a_key_out_of_the_file_and_reads_it_back() {
    keyring_round_trip("secret-service");
}

#[test]
#[ignore = "needs a session keyring: run under `keyctl session -` (scripts/test)"]
fn keyutils_keeps_a_key_out_of_the_file_and_reads_it_back() {
    keyring_round_trip("keyutils");
}

#[test]
#[ignore = "needs a Secret Service: run under dbus-run-session with gnome-keyring (scripts/test)"]
fn secret_service_auto_storage_prefers_the_keyring() {
    let sandbox = Sandbox::new();
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("a D-Bus session");
    let server = unique_server();
    let stored = sandbox
        .run_env(
            &[
                ("SCRIPTO_KEYRING", "secret-service"),
                ("DBUS_SESSION_BUS_ADDRESS", &bus),
            ],
            &[
                "--json",
                "--api-url",
                &server,
                "config",
                "set",
                "--api-key",
                &key(78),
                "--no-verify",
            ],
        )
        .success();
    assert_eq!(stored.data()["storage"], "keyring");
    assert!(!stored.stderr.contains("warning"), "{}", stored.stderr);
    sandbox
        .run_env(
            &[
                ("SCRIPTO_KEYRING", "secret-service"),
                ("DBUS_SESSION_BUS_ADDRESS", &bus),
            ],
            &["profiles", "remove", "default", "--yes"],
        )
        .success();
}

#[test]
#[ignore = "needs a Secret Service: run under dbus-run-session with gnome-keyring (scripts/test)"]
fn secret_service_takes_thirty_agents_storing_keys_at_once() {
    let sandbox = Sandbox::new();
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("a D-Bus session");
    let server = unique_server();
    let writers: Vec<_> = (0..30u32)
        .map(|n| {
            sandbox
                .spawnable()
                .env("SCRIPTO_KEYRING", "secret-service")
                .env("DBUS_SESSION_BUS_ADDRESS", &bus)
                .args(["--api-url", &server, "config", "set", "--api-key", &key(n)])
                .args(["--no-verify", "--storage", "keyring"])
                .args(["--profile-name", &format!("agent-{n}")])
                .spawn()
                .unwrap()
        })
        .collect();
    for (n, writer) in writers.into_iter().enumerate() {
        let out = writer.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "agent-{n}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for n in 0..30u32 {
        let profile = format!("agent-{n}");
        assert_eq!(
            sandbox.config_json()["profiles"][&profile]["storage"],
            "keyring"
        );
        let token = sandbox
            .run_env(
                &[
                    ("SCRIPTO_KEYRING", "secret-service"),
                    ("DBUS_SESSION_BUS_ADDRESS", &bus),
                ],
                &["--profile", &profile, "auth", "token"],
            )
            .success();
        assert_eq!(token.stdout.trim(), key(n));
        sandbox
            .run_env(
                &[
                    ("SCRIPTO_KEYRING", "secret-service"),
                    ("DBUS_SESSION_BUS_ADDRESS", &bus),
                ],
                &["profiles", "remove", &profile, "--yes"],
            )
            .success();
    }
}
