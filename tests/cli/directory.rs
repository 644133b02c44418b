//! `.scripto.toml` against a real server: the nearest file picks the
//! profile, a flag or the environment beats it, `auth status` and `config
//! show` name it, a file that says where a key goes is refused, one that
//! others could have written is ignored with a warning, and `profiles pin`
//! writes and removes it.

use std::path::Path;

use crate::support::server::{ConfigDir, TestServer, login, run, scripto, stored_key};

/// Profiles `one` (active), `two` and `three`, each with its own key.
fn three_profiles() -> (TestServer, ConfigDir) {
    let server = TestServer::start();
    let config = ConfigDir::new();
    login(&config, &server, "one@example.com", "one");
    for name in ["two", "three"] {
        scripto(
            &config,
            &server.url(),
            &[
                "keys",
                "create",
                "--name",
                name,
                "--save-as",
                name,
                "--storage",
                "file",
            ],
        )
        .success();
    }
    (server, config)
}

fn write_file(dir: &Path, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(".scripto.toml");
    std::fs::write(&path, text).unwrap();
    set_mode(&path, 0o644);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `scripto ARGS` run in `dir`.
fn scripto_in(
    config: &ConfigDir,
    server: &TestServer,
    dir: &Path,
    env: &[(&str, &str)],
    args: &[&str],
) -> crate::support::server::Run {
    std::fs::create_dir_all(dir).unwrap();
    let mut cmd = config.scripto(&server.url());
    cmd.current_dir(dir).env_remove("SCRIPTO_API_URL");
    for (name, value) in env {
        cmd.env(name, value);
    }
    run(cmd.args(args))
}

fn token_in(config: &ConfigDir, server: &TestServer, dir: &Path, env: &[(&str, &str)]) -> String {
    scripto_in(config, server, dir, env, &["auth", "token"])
        .success()
        .stdout
        .trim()
        .to_owned()
}

#[test]
fn the_nearest_file_wins_a_flag_or_the_environment_beats_it_and_status_names_it() {
    let (server, config) = three_profiles();
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    write_file(root, "profile = \"two\"\n");
    write_file(&root.join("nested"), "# staging\nprofile = 'three'\n");

    let below_root = root.join("x").join("y");
    assert_eq!(
        token_in(&config, &server, &below_root, &[]),
        stored_key(&config, "two")
    );
    let below_nested = root.join("nested").join("deeper");
    assert_eq!(
        token_in(&config, &server, &below_nested, &[]),
        stored_key(&config, "three")
    );
    let flagged = scripto_in(
        &config,
        &server,
        &below_nested,
        &[],
        &["--profile", "one", "auth", "token"],
    )
    .success();
    assert_eq!(flagged.stdout.trim(), stored_key(&config, "one"));
    assert_eq!(
        token_in(
            &config,
            &server,
            &below_nested,
            &[("SCRIPTO_PROFILE", "one")]
        ),
        stored_key(&config, "one")
    );
    let given = stored_key(&config, "one");
    assert_eq!(
        token_in(
            &config,
            &server,
            &below_nested,
            &[("SCRIPTO_API_KEY", &given)]
        ),
        given
    );

    let file = root.join("nested").join(".scripto.toml");
    let status = scripto_in(
        &config,
        &server,
        &below_nested,
        &[],
        &["--json", "auth", "status"],
    )
    .success()
    .json();
    assert_eq!(status["data"]["profile"], "three");
    assert_eq!(status["data"]["source"]["kind"], "directory_file");
    assert_eq!(status["data"]["source"]["name"], file.display().to_string());
    let human = scripto_in(&config, &server, &below_nested, &[], &["auth", "status"]).success();
    assert!(
        human
            .stdout
            .contains(&format!("directory file {}", file.display())),
        "{}",
        human.stdout
    );
    let shown = scripto_in(
        &config,
        &server,
        &below_nested,
        &[],
        &["--json", "config", "show"],
    )
    .success()
    .json();
    assert_eq!(shown["data"]["profile"]["value"], "three");
    assert_eq!(shown["data"]["profile"]["source"]["kind"], "directory_file");

    // `scripto run` passes on the key the directory picks.
    let child = scripto_in(
        &config,
        &server,
        &below_root,
        &[],
        &["run", "--", "sh", "-c", "printf %s \"$SCRIPTO_API_KEY\""],
    )
    .success();
    assert_eq!(child.stdout, stored_key(&config, "two"));
}

#[test]
fn a_file_that_sets_the_server_or_a_key_is_refused_and_nothing_is_sent() {
    let (server, config) = three_profiles();
    let dir = tempfile::tempdir().unwrap();
    for text in [
        "profile = \"two\"\napi_url = \"http://127.0.0.1:9\"\n",
        "api_key = \"scripto_nope\"\n",
        "[defaults]\nprofile = \"two\"\n",
    ] {
        write_file(dir.path(), text);
        let out = scripto_in(
            &config,
            &server,
            dir.path(),
            &[],
            &["--json", "auth", "token"],
        )
        .code(8);
        assert_eq!(
            out.json()["error"]["code"],
            "directory_file_refused",
            "{text}"
        );
        assert!(!out.stdout.contains(&stored_key(&config, "two")));
        let out = scripto_in(&config, &server, dir.path(), &[], &["keys", "list"]).code(8);
        assert!(
            out.stderr.contains(".scripto.toml is refused"),
            "{}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
    let out = scripto_in(&config, &server, dir.path(), &[], &["auth", "token"]).code(8);
    assert!(
        out.stderr.contains("may only name a profile"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_file_others_can_write_is_ignored_with_one_warning() {
    let (server, config) = three_profiles();
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "profile = \"two\"\n");
    let path = dir.path().join(".scripto.toml");
    for mode in [0o664, 0o646] {
        set_mode(&path, mode);
        let out = scripto_in(&config, &server, dir.path(), &[], &["auth", "token"]).success();
        assert_eq!(out.stdout.trim(), stored_key(&config, "one"));
        let warnings: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(warnings.len(), 1, "{}", out.stderr);
        assert!(
            warnings[0].contains("ignoring") && warnings[0].contains("write"),
            "{}",
            out.stderr
        );
    }
    if crate::support::running_as_root() {
        set_mode(&path, 0o644);
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        let out = scripto_in(&config, &server, dir.path(), &[], &["auth", "token"]).success();
        assert_eq!(out.stdout.trim(), stored_key(&config, "one"));
        assert!(
            out.stderr.contains("owned by another user"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn pin_writes_the_file_for_an_existing_profile_and_remove_deletes_it() {
    let (server, config) = three_profiles();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".scripto.toml");
    let out = scripto_in(
        &config,
        &server,
        dir.path(),
        &[],
        &["--json", "profiles", "pin", "nope"],
    )
    .code(2);
    assert_eq!(out.json()["error"]["code"], "profile_not_found");
    assert!(!path.exists());

    let pinned = scripto_in(
        &config,
        &server,
        dir.path(),
        &[],
        &["--json", "profiles", "pin", "two"],
    )
    .success()
    .json();
    assert_eq!(pinned["data"]["profile"], "two");
    assert_eq!(crate::support::mode(&path), 0o644);
    assert!(!std::fs::read_to_string(&path).unwrap().contains("scripto_"));
    assert_eq!(
        token_in(&config, &server, &dir.path().join("sub"), &[]),
        stored_key(&config, "two")
    );
    // Pinning again replaces it.
    scripto_in(
        &config,
        &server,
        dir.path(),
        &[],
        &["profiles", "pin", "three"],
    )
    .success();
    assert_eq!(
        token_in(&config, &server, dir.path(), &[]),
        stored_key(&config, "three")
    );

    scripto_in(
        &config,
        &server,
        dir.path(),
        &[],
        &["profiles", "pin", "--remove"],
    )
    .success();
    assert!(!path.exists());
    assert_eq!(
        token_in(&config, &server, dir.path(), &[]),
        stored_key(&config, "one")
    );
    let again = scripto_in(
        &config,
        &server,
        dir.path(),
        &[],
        &["profiles", "pin", "--remove"],
    )
    .success();
    assert!(
        again.stderr.contains("nothing to remove"),
        "{}",
        again.stderr
    );
    scripto_in(&config, &server, dir.path(), &[], &["profiles", "pin"]).code(2);
}
