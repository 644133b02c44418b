//! `scripto scan`: keys found by prefix and checksum in a tree of files, with
//! their positions, and revoked on the real server with `--revoke`.

use std::fs;
use std::path::Path;

use scripto_wire::key::format_key;

use crate::support::server::{ConfigDir, TestServer, bare_scripto, login, run, scripto_json};

/// A well-formed key that no server issued (scan never asks a server).
fn offline_key(seed: char) -> String {
    let random: String = std::iter::repeat_n(seed, 28)
        .chain("Ab12".chars())
        .collect();
    format_key(&random)
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn scan_reports_exactly_the_real_keys_with_their_positions() {
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    let (a, b, c, d, e) = (
        offline_key('a'),
        offline_key('b'),
        offline_key('c'),
        offline_key('d'),
        offline_key('e'),
    );
    let changed = a.replacen("aaaa", "aaab", 1);
    let truncated = &b[..b.len() - 1];
    write(
        root,
        "config.json",
        &format!("{{\n  \"api_key\": \"{a}\"\n}}\n"),
    );
    write(
        root,
        "deploy.yaml",
        &format!("env:\n  - KEY: {b}\n  - OLD: {changed}\n"),
    );
    write(
        root,
        "app/.env",
        &format!("# {truncated}\nSCRIPTO_API_KEY={c}\n"),
    );
    write(
        root,
        "dist/app.min.js",
        &format!("var k=\"{d}\",j=\"{e}\";"),
    );
    write(
        root,
        "README.md",
        "keys look like scripto_Ab3d… and are 46 characters\n",
    );
    // Skipped: git's own files, and binary files.
    write(root, ".git/config", &format!("token = {a}\n"));
    fs::write(
        root.join("blob.bin"),
        [b"\0\x01".as_slice(), e.as_bytes()].concat(),
    )
    .unwrap();
    // A FIFO in the tree must not block the walk.
    let fifo = root.join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );

    let found = run(bare_scripto().current_dir(root).args(["scan"])).code(1);
    assert_eq!(
        found.stdout,
        format!(
            "./app/.env:2:17  {}…\n./config.json:2:15  {}…\n./deploy.yaml:2:10  {}…\n\
             ./dist/app.min.js:1:8  {}…\n./dist/app.min.js:1:59  {}…\n",
            &c[..12],
            &a[..12],
            &b[..12],
            &d[..12],
            &e[..12]
        )
    );
    assert!(
        found.stderr.contains("found 5 keys in 5 files"),
        "{}",
        found.stderr
    );
    for key in [&a, &b, &c, &d, &e] {
        assert!(
            !found.all().contains(key.as_str()),
            "a key was printed whole"
        );
    }

    let json = run(bare_scripto().args(["--json", "scan"]).arg(root))
        .code(1)
        .json();
    let findings = json["data"]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 5);
    assert_eq!(findings[1]["line"], 2);
    assert_eq!(findings[1]["column"], 15);
    assert_eq!(findings[1]["key_start"], &a[..12]);
    assert!(!json.to_string().contains(a.as_str()));
}

#[test]
fn scan_of_a_clean_tree_or_stdin_exits_0() {
    let tree = tempfile::tempdir().unwrap();
    write(tree.path(), "src/main.rs", "fn main() {}\n");
    let clean = run(bare_scripto().arg("scan").arg(tree.path())).success();
    assert!(clean.stdout.is_empty());
    assert!(
        clean.stderr.contains("no scripto keys found in 1 file"),
        "{}",
        clean.stderr
    );

    let key = offline_key('q');
    let piped = run(bare_scripto()
        .args(["scan", "-"])
        .write_stdin(format!("log line\nAuthorization: Bearer {key}\n")))
    .code(1);
    assert_eq!(piped.stdout, format!("-:2:23  {}…\n", &key[..12]));
}

#[test]
fn scan_revoke_revokes_the_leaked_keys_on_the_server() {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "lee@example.com", "lee");
    let mint = |name: &str| {
        let created = scripto_json(&config, &server.url(), &["keys", "create", "--name", name]);
        (
            created["data"]["api_key"].as_str().unwrap().to_owned(),
            created["data"]["key"]["id"].as_str().unwrap().to_owned(),
        )
    };
    let (leaked, leaked_id) = mint("leaked");
    let (_, kept_id) = mint("kept");

    let tree = tempfile::tempdir().unwrap();
    write(
        tree.path(),
        "ci.env",
        &format!("KEY={leaked}\nAGAIN={leaked}\n"),
    );
    let scanned = run(bare_scripto()
        .env("SCRIPTO_API_URL", server.url())
        .args(["scan", "--revoke"])
        .arg(tree.path()))
    .code(1);
    assert!(
        scanned.stderr.contains("sent 1 distinct key to"),
        "{}",
        scanned.stderr
    );

    let status = |id: &str| {
        scripto_json(&config, &server.url(), &["keys", "get", id])["data"]["status"].clone()
    };
    assert_eq!(status(&leaked_id), "revoked");
    assert_eq!(status(&kept_id), "active");
    let refused = run(bare_scripto()
        .env("SCRIPTO_API_URL", server.url())
        .env("SCRIPTO_API_KEY", &leaked)
        .args(["auth", "status"]));
    assert_eq!(refused.code, 3, "{}", refused.all());
}
