//! The `scripto-server` binary's admin subcommands.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scripto-server"));
    c.env_remove("SCRIPTO_SERVER_DB");
    c.env_remove("SCRIPTO_SERVER_ADDR");
    c.env_remove("SCRIPTO_SERVER_ISSUER");
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
            .starts_with("otpauth://totp/scripto%20%28Acme%29:a%40example.com?secret=")
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

#[test]
#[cfg(unix)]
fn sigterm_with_half_sent_requests_exits_within_the_grace_period() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scripto.db");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut child = bin()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(["--shutdown-grace", "1s", "--header-timeout", "60s"])
        .args(["--body-timeout", "60s", "--db"])
        .arg(&db)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let connect = || loop {
        if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            return s;
        }
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    // One request with half its headers, one with half its body.
    let mut head = connect();
    head.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut body = connect();
    body.write_all(
        b"POST /v1/auth/login-request HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"em",
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let signalled = std::time::Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exited = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if signalled.elapsed() > std::time::Duration::from_secs(8) {
            let _ = child.kill();
            panic!("the server did not exit within 8 s of SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let took = signalled.elapsed();
    assert!(exited.success());
    assert!(
        took < std::time::Duration::from_secs(4),
        "exit took {took:?} with a 1 s grace period"
    );
    // Both connections were closed.
    let mut buf = [0u8; 64];
    for mut s in [head, body] {
        s.set_read_timeout(Some(std::time::Duration::from_secs(2)))
            .unwrap();
        assert!(matches!(s.read(&mut buf), Ok(0) | Err(_)));
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("stopped") || err.contains("shutting down"),
        "{err}"
    );
}

#[test]
fn users_add_with_mfa_names_the_server_and_organization_and_prints_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scripto.db");
    let out = run(
        &[
            "users",
            "add",
            "--email",
            "b@example.com",
            "--org",
            "Beta: Labs",
            "--mfa",
            "--issuer",
            "keys.example.com",
        ],
        &db,
        None,
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let uri = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("otpauth://"))
        .unwrap();
    // Issuer "keys.example.com (Beta- Labs)": the server and the
    // organization, no colon, in the label and the parameter alike.
    let issuer = "keys.example.com%20%28Beta-%20Labs%29";
    assert!(
        uri.starts_with(&format!("otpauth://totp/{issuer}:b%40example.com?")),
        "{uri}"
    );
    assert!(uri.contains(&format!("&issuer={issuer}&")), "{uri}");
    let secret = uri
        .split("secret=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    assert!(
        text.contains(&format!("secret, to type in by hand: {secret}")),
        "{text}"
    );
    // Not a terminal: no QR code in the output.
    assert!(!text.contains('\u{2588}'), "{text}");

    // Without --issuer, the listen address names the server.
    let out = bin()
        .args([
            "users",
            "add",
            "--email",
            "c@example.com",
            "--mfa",
            "--json",
            "--db",
        ])
        .arg(&db)
        .env("SCRIPTO_SERVER_ADDR", "10.1.2.3:8787")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["totp_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/scripto%20on%2010.1.2.3%20%28c%40example.com%29:"),
        "{v}"
    );
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

#[test]
fn an_unreachable_database_is_one_line_with_the_password_masked_and_a_failure() {
    // Nothing listens on port 1: the connection is refused at once.
    let url = "postgres://scripto:hunter2-secret@127.0.0.1:1/scripto?password=also-secret";
    for args in [
        vec!["serve", "--addr", "127.0.0.1:0", "--db", url],
        vec![
            "users", "set-role", "--email", "a@b.c", "--role", "admin", "--db", url,
        ],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = bin()
            .args(&args)
            .arg("--key-file")
            .arg(dir.path().join("server.key"))
            .env("SCRIPTO_SERVER_OUTBOX", dir.path().join("outbox.jsonl"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let text = format!("{err}{}", String::from_utf8_lossy(&out.stdout));
        assert!(
            !text.contains("hunter2") && !text.contains("also-secret"),
            "{text}"
        );
        assert!(
            err.contains("postgres://scripto:***@127.0.0.1:1/scripto?password=***"),
            "{err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}
