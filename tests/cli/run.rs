//! `scripto run` against a real server: the child gets the key and the
//! server in its environment and can use them, its exit status and signals
//! pass through, and `--ephemeral` gives it a narrowed key of its own that
//! is refused once the run is over, also when scripto is interrupted.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::server::{
    ConfigDir, TestServer, login, run, scripto, scripto_json, stored_key,
};

use crate::support::{SCRIPTO, isolated_env};

/// A user `ivy` logged in as profile `ivy`; the work directory for files
/// the child writes.
fn logged_in() -> (TestServer, ConfigDir, tempfile::TempDir) {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "ivy@example.com", "ivy");
    (server, config, tempfile::tempdir().unwrap())
}

/// `auth status` with `key` given in the environment: its exit code.
fn status_with(config: &ConfigDir, server: &TestServer, key: &str) -> i32 {
    run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", key)
        .args(["auth", "status"]))
    .code
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// `scripto ARGS` as a process the test can signal; stdout null, stderr
/// to a file in `dir` (a pipe would stay open in a child left behind).
fn spawn(
    config: &ConfigDir,
    server: &TestServer,
    dir: &Path,
    args: &[&str],
) -> std::process::Child {
    let stderr = std::fs::File::create(dir.join("stderr")).unwrap();
    Command::new(SCRIPTO)
        .args(args)
        .env_clear()
        .envs(isolated_env(config.home()))
        .current_dir(config.home())
        .env("SCRIPTO_CONFIG_DIR", config.path())
        .env("SCRIPTO_API_URL", server.url())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("scripto starts")
}

fn wait_for_file(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while read(path).is_empty() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send(child: &std::process::Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
}

fn wait_with_limit(mut child: std::process::Child, dir: &Path) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), read(&dir.join("stderr")));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("scripto run did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A shell script that writes `$SCRIPTO_API_KEY` to `key`, notes `signal`
/// in `got` when it arrives (then exits 7), and otherwise waits.
fn waiting_child(dir: &Path, signal: &str) -> String {
    format!(
        "trap 'echo {signal} > {got}; exit 7' {signal}; printf %s \"$SCRIPTO_API_KEY\" > {key}; \
         i=0; while [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done",
        got = dir.join("got").display(),
        key = dir.join("key").display(),
    )
}

#[test]
fn the_child_gets_the_key_and_server_and_nothing_else_changes() {
    let (server, config, _dir) = logged_in();
    let out = run(config.scripto(&server.url()).env("KEEP_ME", "as is").args([
        "run",
        "--",
        "sh",
        "-c",
        "printf '%s\\n%s\\n%s' \"$SCRIPTO_API_KEY\" \"$SCRIPTO_API_URL\" \"$KEEP_ME\"",
    ]))
    .success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        [stored_key(&config, "ivy").as_str(), &server.url(), "as is"]
    );
    assert_eq!(out.stderr, "", "scripto printed something of its own");
}

#[test]
fn the_child_can_use_the_key_and_its_output_and_input_are_its_own() {
    let (server, config, _dir) = logged_in();
    let out = run(config
        .scripto(&server.url())
        .args(["run", SCRIPTO, "--json", "auth", "status"])
        .write_stdin("ignored"))
    .success();
    assert_eq!(out.json()["data"]["profile"], serde_json::Value::Null);
    assert_eq!(
        out.json()["data"]["source"]["kind"],
        "env",
        "{}",
        out.stdout
    );
    let echoed = run(config
        .scripto(&server.url())
        .args(["run", "--", "cat"])
        .write_stdin("line from stdin\n"))
    .success();
    assert_eq!(echoed.stdout, "line from stdin\n");
}

#[test]
fn the_exit_status_is_the_childs_and_128_plus_n_for_a_signal() {
    let (server, config, _dir) = logged_in();
    scripto(
        &config,
        &server.url(),
        &["run", "--", "sh", "-c", "exit 42"],
    )
    .code(42);
    scripto(&config, &server.url(), &["run", "--", "false"]).code(1);
    scripto(
        &config,
        &server.url(),
        &["run", "--", "sh", "-c", "kill -TERM $$"],
    )
    .code(143);
}

#[test]
fn a_term_or_hup_sent_to_scripto_reaches_the_child() {
    let (server, config, _) = logged_in();
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let script = waiting_child(dir.path(), signal);
        let child = spawn(
            &config,
            &server,
            dir.path(),
            &["run", "--", "sh", "-c", &script],
        );
        wait_for_file(&dir.path().join("key"));
        send(&child, signal);
        let (code, stderr) = wait_with_limit(child, dir.path());
        assert_eq!(code, 7, "{signal}: {stderr}");
        assert_eq!(read(&dir.path().join("got")).trim(), signal);
    }
}

#[test]
fn a_command_that_cannot_run_is_a_usage_error_and_json_gives_the_envelope() {
    let (server, config, _dir) = logged_in();
    let out = scripto(
        &config,
        &server.url(),
        &["--json", "run", "--", "no-such-command-here"],
    )
    .code(2);
    assert_eq!(out.json()["error"]["code"], "command_not_found");
    let nothing = ConfigDir::new();
    let out = scripto(&nothing, &server.url(), &["--json", "run", "--", "true"]).code(3);
    assert_eq!(out.json()["error"]["code"], "no_credential");
}

#[test]
fn an_ephemeral_key_is_narrowed_differs_from_the_profiles_and_is_refused_after_the_run() {
    let (server, config, dir) = logged_in();
    let me = dir.path().join("me.json");
    let key = dir.path().join("key");
    let script = format!(
        "printf %s \"$SCRIPTO_API_KEY\" > {}; {SCRIPTO} --json auth status > {}",
        key.display(),
        me.display()
    );
    let out = run(config.scripto(&server.url()).args([
        "--verbose",
        "run",
        "--ephemeral",
        "5m",
        "--scope",
        "read",
        "--",
        "sh",
        "-c",
        &script,
    ]))
    .success();
    let child_key = read(&key);
    assert!(scripto_wire::check_key(&child_key).is_ok(), "{child_key:?}");
    assert_ne!(child_key, stored_key(&config, "ivy"));
    assert!(
        !out.all().contains(&child_key[12..]),
        "the run's key was printed"
    );
    let status: serde_json::Value = serde_json::from_str(&read(&me)).unwrap();
    assert_eq!(
        status["data"]["key"]["scopes"],
        serde_json::json!(["read"]),
        "{status}"
    );
    assert!(
        status["data"]["key"]["name"]
            .as_str()
            .unwrap()
            .starts_with("run:sh@"),
        "{status}"
    );
    assert_eq!(status_with(&config, &server, &child_key), 3);
    scripto(&config, &server.url(), &["auth", "status"]).success();
}

#[test]
fn an_ephemeral_key_is_revoked_when_scripto_is_interrupted() {
    let (server, config, dir) = logged_in();
    let script = waiting_child(dir.path(), "INT");
    let child = spawn(
        &config,
        &server,
        dir.path(),
        &["run", "--ephemeral", "10m", "--", "sh", "-c", &script],
    );
    let key = dir.path().join("key");
    wait_for_file(&key);
    let child_key = read(&key);
    assert_eq!(status_with(&config, &server, &child_key), 0);
    send(&child, "INT");
    let (code, stderr) = wait_with_limit(child, dir.path());
    assert_eq!(code, 7, "{stderr}");
    assert_eq!(read(&dir.path().join("got")).trim(), "INT");
    let refused = run(config
        .scripto(&server.url())
        .env("SCRIPTO_API_KEY", &child_key)
        .args(["--json", "auth", "status"]))
    .code(3)
    .json();
    assert_eq!(refused["error"]["code"], "key_revoked", "{refused}");
}

#[test]
fn wider_scopes_than_the_parents_are_refused_before_the_child_starts() {
    let (server, config, dir) = logged_in();
    scripto(
        &config,
        &server.url(),
        &[
            "keys",
            "create",
            "--name",
            "ro",
            "--scope",
            "read",
            "--save-as",
            "ro",
            "--storage",
            "file",
        ],
    )
    .success();
    let started = dir.path().join("started");
    let touch = format!("touch {}", started.display());
    let out = scripto(
        &config,
        &server.url(),
        &[
            "--json",
            "--profile",
            "ro",
            "run",
            "--ephemeral",
            "5m",
            "--scope",
            "write",
            "--",
            "sh",
            "-c",
            &touch,
        ],
    )
    .code(4);
    assert_eq!(out.json()["error"]["code"], "insufficient_permissions");
    assert!(!started.exists(), "the child ran");
    let keys = scripto_json(&config, &server.url(), &["keys", "list"]);
    assert_eq!(keys["data"]["keys"].as_array().unwrap().len(), 2, "{keys}");
}

#[test]
fn an_ephemeral_lifetime_outside_1m_to_24h_is_a_usage_error() {
    let (server, config, _dir) = logged_in();
    for lifetime in ["30s", "25h", "soon"] {
        scripto(
            &config,
            &server.url(),
            &["run", "--ephemeral", lifetime, "--", "true"],
        )
        .code(2);
    }
    scripto(
        &config,
        &server.url(),
        &["run", "--scope", "read", "--", "true"],
    )
    .code(2);
}

/// The server is gone when the run ends: one warning that the key's
/// expiry bounds it, and the child's exit status still wins.
#[test]
fn a_failed_revoke_is_one_warning_and_the_exit_status_is_still_the_childs() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        let key = serde_json::json!({
            "id": "key_0eEphEphEphEphEphEp", "name": "run:sh@host", "start": "scripto_Eph0",
            "type": "batch", "scopes": ["read"], "project_ids": [],
            "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-01T00:15:00Z",
            "last_used_at": null, "revoked_at": null, "status": "active",
            "owner_id": "usr_0123456789abcdefAB"
        });
        let minted = scripto_wire::key::format_key("Eph0Eph0Eph0Eph0Eph0Eph0Eph0Eph0");
        Mock::given(method("POST"))
            .and(path("/v1/keys"))
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
                "data": { "api_key": minted, "key": key },
                "meta": { "request_id": "req_1" }
            })))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/v1/keys/key_0eEphEphEphEphEphEp"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        server
    });
    let config = ConfigDir::new();
    let parent = scripto_wire::key::format_key("Par0Par0Par0Par0Par0Par0Par0Par0");
    let out = run(config
        .scripto(&server.uri())
        .env("SCRIPTO_API_KEY", &parent)
        .args([
            "--timeout",
            "3",
            "run",
            "--ephemeral",
            "15m",
            "--",
            "sh",
            "-c",
            "exit 3",
        ]))
    .code(3);
    let warnings: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", out.stderr);
    assert!(
        warnings[0].contains("key_0eEphEphEphEphEphEp") && warnings[0].contains("expires at"),
        "{}",
        out.stderr
    );
    drop(runtime);
}

/// Without `--ephemeral`, nothing is sent anywhere: a server that does not
/// answer changes nothing, and the child still gets the stored key.
#[test]
fn without_ephemeral_no_request_is_made() {
    let sandbox = crate::support::Sandbox::new();
    let stored = crate::support::key(7);
    sandbox.store_key("p", &stored);
    let out = sandbox
        .run_env(
            &[("SCRIPTO_API_URL", "http://127.0.0.1:9")],
            &["run", "--", "sh", "-c", "printf %s \"$SCRIPTO_API_KEY\""],
        )
        .success();
    assert_eq!(out.stdout, stored);
    assert_eq!(out.stderr, "");
}
