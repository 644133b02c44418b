//! What the client does when the network or the server misbehaves, with
//! wiremock standing in for the server: each fault gives its exit code and one
//! clear line on stderr, never a panic, and leaves config.json as it was.
//! Also `keys rotate` made to fail at each step: the profile still
//! authenticates afterwards.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::server::{ConfigDir, Run, run, scripto, stored_key};

fn key(random: &str) -> String {
    scripto_wire::key::format_key(random)
}

fn profile_key() -> String {
    key("Fau1tFau1tFau1tFau1tFau1tFau1t00")
}

/// A config directory whose active profile `p` holds `profile_key()` for
/// `url`, stored without asking any server.
fn config_with_profile(url: &str) -> ConfigDir {
    let config = ConfigDir::new();
    scripto(
        &config,
        url,
        &[
            "config",
            "set",
            "--api-key",
            &profile_key(),
            "--api-url",
            url,
            "--profile-name",
            "p",
            "--no-verify",
            "--storage",
            "file",
        ],
    )
    .success();
    config
}

/// Runs `args` against `url`; checks the exit code, the one-line error, and
/// that config.json did not change.
#[track_caller]
fn fails(url: &str, args: &[&str], exit: i32) -> Run {
    fails_within(url, "3", args, exit)
}

#[track_caller]
fn fails_within(url: &str, timeout: &str, args: &[&str], exit: i32) -> Run {
    let config = config_with_profile(url);
    let before = config.config_text();
    let mut all = vec!["--timeout", timeout];
    all.extend_from_slice(args);
    let out = scripto(&config, url, &all).code(exit);
    assert!(!out.all().contains("panicked"), "{}", out.stderr);
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "not one line:\n{}",
        out.stderr
    );
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert_eq!(config.config_text(), before, "config.json changed");
    out
}

fn envelope(data: Value) -> Value {
    json!({ "data": data, "meta": { "request_id": "req_0123456789abcdefAB" } })
}

fn api_error(code: &str, message: &str) -> Value {
    json!({
        "error": { "code": code, "message": message, "next_action": "do the thing" },
        "meta": { "request_id": "req_fedcba9876543210AB" }
    })
}

fn list_page() -> Value {
    let mut page = envelope(json!([]));
    page["pagination"] = json!({ "has_more": false, "next_cursor": null });
    page
}

async fn on_list(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/v1/keys"))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The tests run the blocking binary while wiremock serves on another
/// worker thread.
macro_rules! fault_test {
    ($name:ident, $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() $body
    };
}

fault_test!(connection_refused_is_exit_7, {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let out = fails(&format!("http://127.0.0.1:{port}"), &["keys", "list"], 7);
    assert!(out.stderr.contains("could not reach"), "{}", out.stderr);
});

fault_test!(a_server_slower_than_the_timeout_is_exit_7, {
    let server = MockServer::start().await;
    on_list(
        &server,
        ResponseTemplate::new(200).set_delay(Duration::from_secs(10)),
    )
    .await;
    let started = Instant::now();
    let config = config_with_profile(&server.uri());
    let out = scripto(
        &config,
        &server.uri(),
        &["--timeout", "0.5", "keys", "list"],
    )
    .code(7);
    assert!(out.stderr.contains("timed out"), "{}", out.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the timeout was not kept"
    );
});

fault_test!(
    a_500_with_the_error_envelope_is_exit_1_with_the_servers_words,
    {
        let server = MockServer::start().await;
        on_list(
            &server,
            ResponseTemplate::new(500)
                .set_body_json(api_error("internal_error", "the database is down")),
        )
        .await;
        let out = fails(&server.uri(), &["keys", "list"], 1);
        assert!(
            out.stderr.contains("the database is down"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("req_fedcba9876543210AB"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("next: do the thing"), "{}", out.stderr);
    }
);

fault_test!(a_500_in_json_mode_keeps_code_next_action_and_request_id, {
    let server = MockServer::start().await;
    on_list(
        &server,
        ResponseTemplate::new(500).set_body_json(api_error("internal_error", "oops")),
    )
    .await;
    let config = config_with_profile(&server.uri());
    let out = scripto(&config, &server.uri(), &["--json", "keys", "list"]).code(1);
    let error = &out.json()["error"];
    assert_eq!(error["code"], "internal_error");
    assert_eq!(error["next_action"], "do the thing");
    assert_eq!(error["details"]["request_id"], "req_fedcba9876543210AB");
});

fault_test!(a_502_then_success_is_retried_for_a_get, {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/keys"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    on_list(
        &server,
        ResponseTemplate::new(200).set_body_json(list_page()),
    )
    .await;
    let config = config_with_profile(&server.uri());
    scripto(&config, &server.uri(), &["keys", "list"]).success();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
});

fault_test!(a_post_is_never_retried, {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/keys"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    fails(&server.uri(), &["keys", "create", "--name", "x"], 1);
    let posts = server.received_requests().await.unwrap();
    assert_eq!(
        posts.iter().filter(|r| r.method.as_str() == "POST").count(),
        1
    );
});

fault_test!(a_429_with_retry_after_is_waited_out_then_retried, {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/keys"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(api_error("rate_limited", "slow down")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    on_list(
        &server,
        ResponseTemplate::new(200).set_body_json(list_page()),
    )
    .await;
    let config = config_with_profile(&server.uri());
    let started = Instant::now();
    scripto(&config, &server.uri(), &["keys", "list"]).success();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
});

fault_test!(a_429_asking_longer_than_the_timeout_is_exit_6_at_once, {
    let server = MockServer::start().await;
    let mut body = api_error("rate_limited", "slow down");
    body["error"]["details"] = json!({ "retry_after": 120 });
    on_list(
        &server,
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "120")
            .set_body_json(body),
    )
    .await;
    let started = Instant::now();
    let out = fails(&server.uri(), &["keys", "list"], 6);
    assert!(out.stderr.contains("slow down"), "{}", out.stderr);
    assert!(started.elapsed() < Duration::from_secs(10));
});

fault_test!(
    a_retry_after_too_large_for_a_duration_is_exit_6_not_a_panic,
    {
        let server = MockServer::start().await;
        on_list(
            &server,
            ResponseTemplate::new(429)
                .insert_header("Retry-After", u64::MAX.to_string().as_str())
                .set_body_json(api_error("rate_limited", "slow down")),
        )
        .await;
        let out = fails(&server.uri(), &["keys", "list"], 6);
        assert!(out.stderr.contains("slow down"), "{}", out.stderr);
    }
);

fault_test!(
    a_timeout_too_long_for_the_clock_is_refused_without_a_panic,
    {
        let server = MockServer::start().await;
        on_list(
            &server,
            ResponseTemplate::new(200).set_body_json(list_page()),
        )
        .await;
        let config = config_with_profile(&server.uri());
        let out = scripto(
            &config,
            &server.uri(),
            &["--timeout", "1e19", "keys", "list"],
        )
        .code(2);
        assert!(!out.all().contains("panicked"), "{}", out.stderr);
    }
);

fault_test!(
    an_mfa_challenge_that_never_expires_is_saved_without_a_panic,
    {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/auth/login"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({
                "mfa_required": true,
                "mfa_token": "mfa_0123456789abcdef",
                "methods": ["totp"],
                "expires_in": u64::MAX,
            }))))
            .mount(&server)
            .await;
        let config = ConfigDir::new();
        let out = run(config
            .scripto(&server.uri())
            .args([
                "auth",
                "login",
                "--email",
                "a@example.com",
                "--password-stdin",
            ])
            .write_stdin("hunter2\n"))
        .code(9);
        assert!(!out.all().contains("panicked"), "{}", out.stderr);
        assert!(out.stderr.contains("second factor"), "{}", out.stderr);
    }
);

fault_test!(a_server_message_over_several_lines_is_printed_on_one, {
    let server = MockServer::start().await;
    on_list(
        &server,
        ResponseTemplate::new(500).set_body_json(api_error(
            "internal_error",
            "first line\nsecond line\r\n\u{1b}[2Jthird",
        )),
    )
    .await;
    let out = fails(&server.uri(), &["keys", "list"], 1);
    assert!(
        out.stderr
            .contains(r"first line second line \u{1b}[2Jthird"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
});

fault_test!(malformed_json_is_exit_1_in_one_line, {
    let server = MockServer::start().await;
    on_list(
        &server,
        ResponseTemplate::new(200).set_body_raw("{\"data\": [", "application/json"),
    )
    .await;
    let out = fails(&server.uri(), &["keys", "list"], 1);
    assert!(out.stderr.contains("not valid JSON"), "{}", out.stderr);
});

fault_test!(an_html_error_page_is_exit_1_in_one_line, {
    let server = MockServer::start().await;
    let page =
        "<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>\n";
    on_list(
        &server,
        ResponseTemplate::new(502).set_body_raw(page, "text/html"),
    )
    .await;
    let out = fails(&server.uri(), &["keys", "list"], 1);
    assert!(out.stderr.contains("HTML page"), "{}", out.stderr);
    assert!(!out.stderr.contains("nginx"));
});

fault_test!(an_empty_body_is_exit_1_in_one_line, {
    let server = MockServer::start().await;
    on_list(&server, ResponseTemplate::new(200)).await;
    let out = fails(&server.uri(), &["keys", "list"], 1);
    assert!(out.stderr.contains("empty"), "{}", out.stderr);
});

fault_test!(a_10_mb_body_is_exit_1_without_reading_it_all, {
    let server = MockServer::start().await;
    let huge = format!("{{\"data\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    on_list(
        &server,
        ResponseTemplate::new(200).set_body_raw(huge, "application/json"),
    )
    .await;
    let out = fails(&server.uri(), &["keys", "list"], 1);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
});

fault_test!(a_key_echoed_in_an_error_message_is_masked, {
    let server = MockServer::start().await;
    let echoed = format!("the key {} is not valid here", profile_key());
    on_list(
        &server,
        ResponseTemplate::new(401).set_body_json(api_error("invalid_api_key", &echoed)),
    )
    .await;
    let out = fails(&server.uri(), &["keys", "list"], 3);
    assert!(!out.all().contains(&profile_key()), "{}", out.stderr);
    assert!(out.stderr.contains(&profile_key()[..12]), "{}", out.stderr);

    // And in --verbose and --json too.
    let config = config_with_profile(&server.uri());
    let verbose = scripto(
        &config,
        &server.uri(),
        &["--verbose", "--json", "keys", "list"],
    )
    .code(3);
    assert!(!verbose.all().contains(&profile_key()), "{}", verbose.all());
});

fault_test!(each_error_status_maps_to_its_exit_code, {
    for (status, code, exit) in [
        (400, "invalid_request", 2),
        (401, "key_revoked", 3),
        (403, "insufficient_permissions", 4),
        (404, "not_found", 5),
        (422, "validation_error", 2),
    ] {
        let server = MockServer::start().await;
        on_list(
            &server,
            ResponseTemplate::new(status).set_body_json(api_error(code, "no")),
        )
        .await;
        let config = config_with_profile(&server.uri());
        let out = scripto(&config, &server.uri(), &["--json", "keys", "list"]).code(exit);
        assert_eq!(out.json()["error"]["code"], code);
    }
});

fault_test!(
    a_credential_is_never_sent_over_plain_http_to_another_host,
    {
        // `.invalid` never resolves: had a connection been tried, this would be
        // exit 7, not 2.
        let config = ConfigDir::new();
        let out = run(config
            .scripto("http://api.example.invalid")
            .env("SCRIPTO_API_KEY", profile_key())
            .args(["--json", "keys", "list"]))
        .code(2);
        assert_eq!(out.json()["error"]["code"], "insecure_transport");
    }
);

fault_test!(requests_carry_the_user_agent_and_the_bearer_key, {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/keys"))
        .and(header(
            "authorization",
            format!("Bearer {}", profile_key()).as_str(),
        ))
        .and(header(
            "user-agent",
            concat!("scripto/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_page()))
        .mount(&server)
        .await;
    let config = config_with_profile(&server.uri());
    scripto(&config, &server.uri(), &["keys", "list"]).success();
});

// `keys rotate` interrupted at each step, against a fake server that knows
// the old key, rotates it once into a new key, and can be made to fail at
// any step. The real server's side of a rotation is tested in tests/cli/rotate.rs.

const OLD_ID: &str = "key_01dOldOldOldOldOld";
const NEW_ID: &str = "key_02nNewNewNewNewNew";

fn new_key() -> String {
    key("NewNewNewNewNewNewNewNewNewNew00")
}

fn key_object(id: &str, start: &str, status: &str) -> Value {
    json!({
        "id": id, "name": "svc", "start": start, "type": "batch",
        "scopes": ["read", "write"], "project_ids": [],
        "created_at": "2026-01-01T00:00:00Z", "expires_at": "2099-12-31T00:00:00Z",
        "last_used_at": null, "revoked_at": null, "status": status,
        "owner_id": "usr_0123456789abcdefAB"
    })
}

fn me(key_id: &str) -> Value {
    envelope(json!({
        "user": { "id": "usr_0123456789abcdefAB", "email": "ops@example.com", "name": null, "role": "developer" },
        "organization": { "id": "org_0123456789abcdefAB", "name": "ops", "plan": "free" },
        "credential": { "type": "api_key", "key_id": key_id, "scopes": ["read", "write"],
                        "project_ids": [], "expires_at": "2099-12-31T00:00:00Z" }
    }))
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Step {
    ReadOld,
    Rotate,
    Verify,
    RevokeOld,
}

/// A fake server for a rotation that fails at `fail`. Mocks mounted first win,
/// so the failure is mounted before the happy path.
async fn rotation_server(fail: Option<Step>) -> MockServer {
    let server = MockServer::start().await;
    let bearer = |k: &str| header("authorization", format!("Bearer {k}").as_str());
    if let Some(fail) = fail {
        let (verb, route) = match fail {
            Step::ReadOld => ("GET", format!("/v1/keys/{OLD_ID}")),
            Step::Rotate => ("POST", format!("/v1/keys/{OLD_ID}/rotate")),
            Step::Verify => ("GET", "/v1/me".to_owned()),
            Step::RevokeOld => ("DELETE", format!("/v1/keys/{OLD_ID}")),
        };
        let failing = Mock::given(method(verb)).and(path(route));
        // Only the new key's check fails: the old key keeps working.
        let failing = if fail == Step::Verify {
            failing.and(bearer(&new_key()))
        } else {
            failing
        };
        failing
            .respond_with(
                ResponseTemplate::new(500)
                    .set_body_json(api_error("internal_error", "injected failure")),
            )
            .mount(&server)
            .await;
    }

    let old_start = &profile_key()[..12];
    let new_start = &new_key()[..12];
    let ok = |status: u16, body: Value| ResponseTemplate::new(status).set_body_json(envelope(body));
    Mock::given(method("GET"))
        .and(path(format!("/v1/keys/{OLD_ID}")))
        .respond_with(ok(200, key_object(OLD_ID, old_start, "active")))
        .mount(&server)
        .await;
    let mut old_in_grace = key_object(OLD_ID, old_start, "active");
    old_in_grace["expires_at"] = json!("2099-01-01T00:00:00Z");
    old_in_grace["replaced_by"] = json!(NEW_ID);
    let mut successor = key_object(NEW_ID, new_start, "active");
    successor["replaces"] = json!(OLD_ID);
    Mock::given(method("POST"))
        .and(path(format!("/v1/keys/{OLD_ID}/rotate")))
        .respond_with(ok(
            201,
            json!({ "api_key": new_key(), "key": successor, "old_key": old_in_grace }),
        ))
        .mount(&server)
        .await;
    for (secret, id) in [(profile_key(), OLD_ID), (new_key(), NEW_ID)] {
        Mock::given(method("GET"))
            .and(path("/v1/me"))
            .and(bearer(&secret))
            .respond_with(ResponseTemplate::new(200).set_body_json(me(id)))
            .mount(&server)
            .await;
    }
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/keys/{OLD_ID}")))
        .respond_with(ok(200, key_object(OLD_ID, old_start, "revoked")))
        .mount(&server)
        .await;
    server
}

/// A profile `p` holding the old key, with its id recorded (as a login
/// would), on the fake server.
fn rotation_config(url: &str) -> ConfigDir {
    let config = ConfigDir::new();
    run(config
        .scripto(url)
        .args([
            "auth",
            "login",
            "--with-token",
            "--profile-name",
            "p",
            "--storage",
            "file",
        ])
        .write_stdin(format!("{}\n", profile_key())))
    .success();
    config
}

async fn rotate_failing_at(fail: Step) -> (ConfigDir, Run, MockServer) {
    let server = rotation_server(Some(fail)).await;
    let config = rotation_config(&server.uri());
    let out = scripto(
        &config,
        &server.uri(),
        &["--yes", "--timeout", "3", "keys", "rotate"],
    );
    (config, out, server)
}

async fn requests_to(server: &MockServer, verb: &str, route: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == route)
        .count()
}

fault_test!(rotate_failing_to_read_the_old_key_changes_nothing, {
    let (config, out, server) = rotate_failing_at(Step::ReadOld).await;
    let out = out.code(1);
    assert!(out.stderr.contains("nothing changed"), "{}", out.stderr);
    assert_eq!(stored_key(&config, "p"), profile_key());
    let rotate = format!("/v1/keys/{OLD_ID}/rotate");
    assert_eq!(requests_to(&server, "POST", &rotate).await, 0);
    scripto(&config, &server.uri(), &["auth", "status"]).success();
});

fault_test!(rotate_failing_on_the_server_changes_nothing, {
    let (config, out, server) = rotate_failing_at(Step::Rotate).await;
    let out = out.code(1);
    assert!(
        out.stderr.contains("old key is still in place and working"),
        "{}",
        out.stderr
    );
    assert_eq!(stored_key(&config, "p"), profile_key());
    let old = format!("/v1/keys/{OLD_ID}");
    assert_eq!(requests_to(&server, "DELETE", &old).await, 0);
    scripto(&config, &server.uri(), &["auth", "status"]).success();
});

fault_test!(
    rotate_failing_to_verify_the_new_key_keeps_the_old_one_in_every_profile,
    {
        let (config, out, server) = rotate_failing_at(Step::Verify).await;
        let out = out.code(1);
        assert!(
            out.stderr
                .contains("every profile still holds the old key, which works until"),
            "{}",
            out.stderr
        );
        assert_eq!(stored_key(&config, "p"), profile_key());
        assert_eq!(config.config_json()["profiles"]["p"]["key_id"], OLD_ID);
        let old = format!("/v1/keys/{OLD_ID}");
        assert_eq!(
            requests_to(&server, "DELETE", &old).await,
            0,
            "the old key was revoked"
        );
        // Stored nowhere, the new key is shown once rather than lost.
        assert_eq!(out.stdout.trim(), new_key());
        scripto(&config, &server.uri(), &["auth", "status"]).success();
    }
);

fault_test!(
    rotate_failing_to_revoke_the_old_key_keeps_the_new_one_and_says_when_the_old_one_ends,
    {
        let (config, out, server) = rotate_failing_at(Step::RevokeOld).await;
        let out = out.success();
        assert!(
            out.stderr.contains("could not be revoked") && out.stderr.contains("anyway"),
            "{}",
            out.stderr
        );
        assert_eq!(stored_key(&config, "p"), new_key());
        assert!(
            !out.all().contains(&new_key()),
            "the stored key was printed"
        );
        scripto(&config, &server.uri(), &["auth", "status"]).success();
    }
);

fault_test!(rotate_without_an_answer_says_the_outcome_is_unknown, {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/keys/{OLD_ID}/rotate")))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    // Everything but the rotation answers as usual.
    Mock::given(method("GET"))
        .and(path(format!("/v1/keys/{OLD_ID}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope(key_object(
                OLD_ID,
                &profile_key()[..12],
                "active",
            ))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me(OLD_ID)))
        .mount(&server)
        .await;
    let config = rotation_config(&server.uri());
    let out = scripto(
        &config,
        &server.uri(),
        &["--json", "--yes", "--timeout", "1", "keys", "rotate"],
    )
    .code(7);
    let error = out.json()["error"].clone();
    assert_eq!(error["code"], "rotation_unknown", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("may have rotated"),
        "{error}"
    );
    assert_eq!(stored_key(&config, "p"), profile_key());
});

fault_test!(rotate_with_every_step_working_revokes_the_old_key, {
    let server = rotation_server(None).await;
    let config = rotation_config(&server.uri());
    scripto(&config, &server.uri(), &["--yes", "keys", "rotate"]).success();
    assert_eq!(stored_key(&config, "p"), new_key());
    let old = format!("/v1/keys/{OLD_ID}");
    assert_eq!(requests_to(&server, "DELETE", &old).await, 1);
    let requests = server.received_requests().await.unwrap();
    let rotation = requests
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .expect("a rotate request");
    // No grace asked for: the server is given the short safety overlap, and
    // the CLI revokes the old key once the profiles hold the new one.
    let body: Value = serde_json::from_slice(&rotation.body).unwrap();
    assert_eq!(body, json!({ "grace_seconds": 300 }));
});

fault_test!(
    an_answer_of_the_wrong_shape_is_one_line_and_masks_what_it_quotes,
    {
        let server = MockServer::start().await;
        let body = json!({ "data": profile_key() });
        on_list(&server, ResponseTemplate::new(200).set_body_json(body)).await;
        let out = fails(&server.uri(), &["keys", "list"], 1);
        assert!(out.stderr.contains("expected shape"), "{}", out.stderr);
        assert!(!out.stderr.contains(&profile_key()), "{}", out.stderr);
    }
);
