//! The `scripto-server` binary's admin subcommands.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scripto-server"));
    c.env_remove("SCRIPTO_SERVER_DB");
    c
}

fn run(args: &[&str], db: &std::path::Path, stdin: Option<&str>) -> std::process::Output {
    let mut child = bin()
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

#[test]
fn users_add_with_mfa_prints_the_secret_and_backup_codes_once_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("scripto.db");
    let out = run(
        &[
            "users",
            "add",
            "--email",
            "a@example.com",
            "--role",
            "admin",
            "--org",
            "Acme",
            "--password-stdin",
            "--mfa",
            "--json",
        ],
        &db,
        Some("pw\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["user_id"].as_str().unwrap().starts_with("usr_"));
    assert!(v["org_id"].as_str().unwrap().starts_with("org_"));
    assert!(
        v["totp_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/scripto:a%40example.com?secret=")
    );
    assert_eq!(v["backup_codes"].as_array().unwrap().len(), 10);
    // The server key was created beside the database, private.
    let key = dir.path().join("data").join("scripto.db.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Adding the same address again fails, saying why.
    let again = run(&["users", "add", "--email", "A@example.com"], &db, None);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn projects_add_prints_the_id_and_set_role_changes_the_role() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scripto.db");
    let out = run(
        &["users", "add", "--email", "b@example.com", "--org", "Acme"],
        &db,
        None,
    );
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("b@example.com"), "{said}");
    assert!(said.contains("created the organization Acme"), "{said}");
    // A second user of the same --org joins it, and is told so, by name.
    let out = run(
        &["users", "add", "--email", "c@example.com", "--org", "Acme"],
        &db,
        None,
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("joined the existing organization Acme"),
        "{said}"
    );
    let out = run(
        &[
            "users",
            "add",
            "--email",
            "d@example.com",
            "--org",
            "Acme",
            "--json",
        ],
        &db,
        None,
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["org_name"], "Acme");
    assert_eq!(v["org_created"], false);
    let out = run(
        &["projects", "add", "--org", "Acme", "--name", "web"],
        &db,
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).unwrap();
    assert!(id.trim().starts_with("proj_"));
    let out = run(
        &[
            "projects", "add", "--org", "Acme", "--name", "api", "--json",
        ],
        &db,
        None,
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["project_id"].as_str().unwrap().starts_with("proj_"));
    let out = run(
        &["projects", "add", "--org", "Nope", "--name", "x"],
        &db,
        None,
    );
    assert!(!out.status.success());
    let out = run(
        &[
            "users",
            "set-role",
            "--email",
            "b@example.com",
            "--role",
            "member",
        ],
        &db,
        None,
    );
    assert!(out.status.success());
    let out = run(
        &[
            "users",
            "set-role",
            "--email",
            "nobody@example.com",
            "--role",
            "admin",
        ],
        &db,
        None,
    );
    assert!(!out.status.success());
}

#[test]
fn serve_prints_where_it_listens_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scripto.db");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let child = bin()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db"])
        .arg(&db)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    #[cfg(unix)]
    {
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("http://127.0.0.1:{port}")), "{err}");
        assert!(err.contains("outbox.jsonl"), "{err}");
        assert!(db.exists());
    }
}

/// Without a terminal the start is said once, as log lines (no banner
/// repeating them).
#[test]
fn serve_says_it_is_listening_once() {
    use std::io::{BufRead, BufReader};

    let dir = tempfile::tempdir().unwrap();
    let mut child = bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("scripto.db"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !lines.iter().any(|l: &String| l.contains("one-time codes")) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match receive.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(_) => break,
        }
    }
    // Anything said right after the start would show up here.
    while let Ok(line) = receive.recv_timeout(std::time::Duration::from_millis(300)) {
        lines.push(line);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let listening = lines.iter().filter(|l| l.contains("listening")).count();
    assert_eq!(listening, 1, "{lines:#?}");
    assert!(
        !lines.iter().any(|l| l.contains("try:")),
        "the banner is for a terminal: {lines:#?}"
    );
}
