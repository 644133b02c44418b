//! Real keyrings shared with other tools, and shared with the developer:
//! duplicates another tool wrote, the names items carry, and tests that
//! leave the developer's keyrings as they found them. `#[ignore]`d: run by
//! scripts/test inside a throwaway Secret Service and keyutils session.

use std::process::{Command, Stdio};

use crate::support::{Outcome, Sandbox, key};

/// A unique server per test run, so entries never collide in a shared keyring.
fn unique_server() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("https://k{}-{nanos}.example", std::process::id())
}

fn secret_service(sandbox: &Sandbox, args: &[&str]) -> Outcome {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("a D-Bus session");
    sandbox.run_env(
        &[
            ("SCRIPTO_KEYRING", "secret-service"),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
        ],
        args,
    )
}

/// `secret-tool ARGS` (libsecret-tools), with `input` on stdin.
fn secret_tool(args: &[&str], input: &str) -> (bool, String) {
    let mut child = Command::new("secret-tool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("secret-tool (package libsecret-tools) runs");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
#[ignore = "needs a Secret Service: run under dbus-run-session with gnome-keyring (scripts/test)"]
fn secret_service_duplicate_items_are_an_error_and_remove_deletes_them_all() {
    let sandbox = Sandbox::new();
    let server = unique_server();
    let host = server.trim_start_matches("https://");
    let user = format!("kr@{server}");
    let stored = secret_service(
        &sandbox,
        &[
            "--api-url",
            &server,
            "config",
            "set",
            "--api-key",
            &key(90),
            "--profile-name",
            "kr",
            "--no-verify",
            "--storage",
            "keyring",
        ],
    )
    .success();
    assert!(!stored.stderr.contains("warning"), "{}", stored.stderr);

    // One item, named for people and filed the way other tools file theirs.
    let (found, shown) = secret_tool(
        &["search", "--all", "service", "scripto", "username", &user],
        "",
    );
    assert!(found, "{shown}");
    assert_eq!(shown.matches("label = ").count(), 1, "{shown}");
    assert!(
        shown.contains(&format!("label = scripto: profile kr on {host}")),
        "{shown}"
    );
    assert!(shown.contains("attribute.application = scripto"), "{shown}");
    assert!(shown.contains("org.freedesktop.Secret.Generic"), "{shown}");

    // Another tool writes a second item for the same service and user (an
    // attribute of its own keeps the Secret Service from replacing ours).
    let (stored, why) = secret_tool(
        &[
            "store",
            "--label=other tool",
            "service",
            "scripto",
            "username",
            &user,
            "tool",
            "other",
        ],
        &key(91),
    );
    assert!(stored, "{why}");

    let failed = secret_service(&sandbox, &["--json", "--profile", "kr", "auth", "token"]).code(8);
    let error = failed.error();
    assert_eq!(error["code"], "keyring_ambiguous", "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("2 items"), "{message}");
    assert!(!message.contains("deleted"), "{message}");
    let failed = secret_service(&sandbox, &["--profile", "kr", "auth", "status"]).code(8);
    assert_eq!(
        failed.stderr.trim_end().lines().count(),
        1,
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.contains("ambiguous"), "{}", failed.stderr);
    assert!(!failed.stderr.contains("deleted"), "{}", failed.stderr);
    assert!(
        !failed.all().contains("Entry"),
        "a Debug dump: {}",
        failed.all()
    );

    // Remove deletes every item of the entry.
    secret_service(&sandbox, &["profiles", "remove", "kr", "--yes"]).success();
    let (_, left) = secret_tool(
        &["search", "--all", "service", "scripto", "username", &user],
        "",
    );
    assert!(!left.contains("label = "), "items remain:\n{left}");
}

#[test]
#[ignore = "needs a Secret Service: run under dbus-run-session with gnome-keyring (scripts/test)"]
fn secret_service_storing_over_duplicates_leaves_one_item() {
    let sandbox = Sandbox::new();
    let server = unique_server();
    let user = format!("dup@{server}");
    for n in [92, 93] {
        let (stored, why) = secret_tool(
            &[
                "store",
                &format!("--label=copy {n}"),
                "service",
                "scripto",
                "username",
                &user,
                "copy",
                &n.to_string(),
            ],
            &key(n),
        );
        assert!(stored, "{why}");
    }
    secret_service(
        &sandbox,
        &[
            "--api-url",
            &server,
            "config",
            "set",
            "--api-key",
            &key(94),
            "--profile-name",
            "dup",
            "--no-verify",
            "--storage",
            "keyring",
        ],
    )
    .success();
    let token = secret_service(&sandbox, &["--profile", "dup", "auth", "token"]).success();
    assert_eq!(token.stdout.trim(), key(94));
    let (_, shown) = secret_tool(
        &["search", "--all", "service", "scripto", "username", &user],
        "",
    );
    assert_eq!(shown.matches("label = ").count(), 1, "{shown}");
    secret_service(&sandbox, &["profiles", "remove", "dup", "--yes"]).success();
}
