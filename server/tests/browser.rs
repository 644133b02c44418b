//! The web console in a real browser: Debian's chromium, headless, driven
//! through chromedriver (started here on a free port) with fantoccini.
//! `scripts/test` runs these (`--run-ignored only -E 'test(/^browser_/)'`)
//! when chromedriver is installed; `scripts/screenshots` runs
//! `browser_screenshots` to refresh docs/screenshots/.

#![cfg(unix)]

mod common;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use scripto_server::admin::{AddUser, add_user_with};
use scripto_server::{BackgroundServer, spawn_background, totp_now};
use scripto_wire::types::Role;
use serde_json::{Value, json};

use common::{CHEAP, Scratch, last_code, oidc, test_config};

/// Every wait of these tests is bounded by this.
const WAIT: Duration = Duration::from_secs(15);

/// A console on a socket, and its scratch directory.
struct Console {
    server: BackgroundServer,
    _scratch: Scratch,
}

impl Console {
    fn start() -> Console {
        Console::start_with(|_| {})
    }

    fn start_with(tweak: impl FnOnce(&mut scripto_server::Config)) -> Console {
        let scratch = Scratch::new();
        let mut config = test_config(&scratch);
        config.limits.code_resend_secs = 0;
        tweak(&mut config);
        let server = spawn_background(config).expect("server starts");
        Console {
            server,
            _scratch: scratch,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    fn add_user(
        &self,
        email: &str,
        role: Role,
        org: &str,
        password: Option<&str>,
        mfa: bool,
    ) -> scripto_server::admin::AddedUser {
        add_user_with(
            self.server.db().clone(),
            AddUser {
                email: email.to_owned(),
                role,
                org: Some(org.to_owned()),
                password: password.map(str::to_owned),
                mfa,
                issuer: None,
            },
            &CHEAP,
        )
        .expect("add user")
    }

    /// `GET /v1/me` with `key`: its status and body.
    async fn me(&self, key: &str) -> (u16, Value) {
        let client = reqwest::Client::builder().timeout(WAIT).build().unwrap();
        let r = client
            .get(self.url("/v1/me"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

/// chromedriver on a free port, and a headless chromium session of it.
struct Browser {
    driver: Child,
    client: Option<Client>,
}

impl Browser {
    async fn start(width: u32, height: u32) -> Browser {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        // A process group of its own: chromedriver and the chromium it
        // starts end together in `Drop`, even when a test fails before
        // closing its session.
        let driver = Command::new(chromedriver())
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (apt-get install chromium chromium-driver)");
        let mut browser = Browser {
            driver,
            client: None,
        };
        let caps: serde_json::Map<String, Value> = serde_json::from_value(json!({
            "goog:chromeOptions": {
                "binary": chromium(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--hide-scrollbars",
                    // No crash handler: it would outlive a killed browser.
                    "--disable-crash-reporter",
                    "--disable-breakpad",
                ],
                // The viewport itself at this size (a window's would
                // include the browser's own bars), phones included.
                "mobileEmulation": {
                    "deviceMetrics": {
                        "width": width,
                        "height": height,
                        "pixelRatio": 1,
                        "mobile": width < 600,
                        "touch": width < 600,
                    }
                },
            }
        }))
        .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if started.elapsed() < WAIT => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("no webdriver session within {WAIT:?}: {e}"),
            }
        };
        browser.client = Some(client);
        browser
    }

    fn c(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    async fn goto(&self, url: &str) {
        self.c().goto(url).await.unwrap();
    }

    async fn fill(&self, css: &str, text: &str) {
        let e = self
            .c()
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    async fn click(&self, css: &str) {
        let e = self
            .c()
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap();
        e.click().await.unwrap();
    }

    async fn text(&self, css: &str) -> String {
        let e = self
            .c()
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap();
        e.text().await.unwrap()
    }

    async fn source(&self) -> String {
        self.c().source().await.unwrap()
    }

    /// Waits until the page's `<h1>` says `title`.
    async fn wait_for_title(&self, title: &str) {
        let started = Instant::now();
        loop {
            // The page may change under us: a vanished element is a retry.
            let h1 = match self.c().find(Locator::Css("h1")).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if h1 == title {
                return;
            }
            assert!(
                started.elapsed() < WAIT,
                "the page says {h1:?}, not {title:?}: {}",
                self.source().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn sign_in_by_code(&self, console: &Console, email: &str) {
        self.goto(&console.url("/sign-in")).await;
        self.sign_in_here(console, email).await;
    }

    /// Signs in on the sign-in page the browser shows.
    async fn sign_in_here(&self, console: &Console, email: &str) {
        self.wait_for_title("Sign in").await;
        self.fill("#email", email).await;
        self.click("form button[type=submit]").await;
        self.wait_for_title("Sign in").await;
        let _ = self.text("#code").await;
        let code = last_code(console.server.outbox_path(), email);
        self.fill("#code", &code).await;
        self.click("form button[type=submit]").await;
    }

    async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("SCRIPTO_SCREENSHOTS") else {
            return;
        };
        let png = self.c().screenshot().await.unwrap();
        let path = PathBuf::from(dir).join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
    }

    async fn close(mut self) {
        if let Some(c) = self.client.take() {
            let _ = c.close().await;
        }
        // Let chromium quit by itself (killed, its processes would linger
        // as zombies where nothing reaps orphans): until chromedriver is
        // alone in its group, for at most 5 s.
        let group = self.driver.id().to_string();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let members = Command::new("pgrep")
                .args(["-g", &group])
                .output()
                .map(|o| {
                    o.stdout
                        .split(|b| *b == b'\n')
                        .filter(|l| !l.is_empty())
                        .count()
                })
                .unwrap_or(0);
            if members <= 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.wait();
    }
}

fn chromedriver() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned())
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

/// Creates a key named `name` in the dialog; the key shown once.
async fn create_key(b: &Browser, name: &str, realtime: bool) -> String {
    b.click("a[href='/keys/new']").await;
    b.wait_for_title("Create API key").await;
    b.fill("#name", name).await;
    if realtime {
        b.click("#type-realtime").await;
    }
    b.click("form[action='/keys/new'] button[type=submit]")
        .await;
    b.wait_for_title("API key created").await;
    b.text("#new-key").await.trim().to_owned()
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/test runs them"]
async fn browser_sign_in_by_code_opens_the_keys_page() {
    let console = Console::start();
    console.add_user("dev@example.com", Role::Developer, "acme", None, false);
    let b = Browser::start(1280, 800).await;
    b.sign_in_by_code(&console, "dev@example.com").await;
    b.wait_for_title("API keys").await;
    assert!(
        b.source()
            .await
            .contains("Create and manage API keys for programmatic access")
    );
    // The session cookie is out of the page's reach.
    let cookie = b
        .c()
        .execute("return document.cookie", vec![])
        .await
        .unwrap();
    assert!(!cookie.as_str().unwrap_or("").contains("scripto_session"));
    b.close().await;
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/test runs them"]
async fn browser_sign_in_by_password_and_totp() {
    let console = Console::start();
    let added = console.add_user(
        "mfa@example.com",
        Role::Developer,
        "acme",
        Some("correct horse"),
        true,
    );
    let b = Browser::start(1280, 800).await;
    b.goto(&console.url("/sign-in?method=password")).await;
    b.fill("#email", "mfa@example.com").await;
    b.fill("#password", "correct horse").await;
    b.click("form button[type=submit]").await;
    b.wait_for_title("Two-factor authentication").await;
    let code = totp_now(added.totp_secret_base32.as_deref().unwrap());
    b.fill("#code", &code).await;
    b.click("form button[type=submit]").await;
    b.wait_for_title("API keys").await;
    b.close().await;
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/test runs them"]
async fn browser_a_key_created_is_copied_used_and_revoked() {
    let console = Console::start();
    console.add_user("dev@example.com", Role::Developer, "acme", None, false);
    let b = Browser::start(1280, 800).await;
    b.sign_in_by_code(&console, "dev@example.com").await;
    b.wait_for_title("API keys").await;
    let key = create_key(&b, "ci-deploy", false).await;
    assert!(key.starts_with("scripto_"), "{key}");
    assert!(
        b.source()
            .await
            .contains("This is the only time you will be able to see this key")
    );
    // The Copy button copies and says so.
    b.click("button[data-copy]").await;
    let started = Instant::now();
    while b.text("button[data-copy]").await != "Copied" {
        assert!(
            started.elapsed() < WAIT,
            "the Copy button never said Copied"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The key works against the API.
    let (status, me) = console.me(&key).await;
    assert_eq!(status, 200, "{me}");
    // Done: back to the grid, which never shows the key again.
    b.click("a.button.primary[href='/keys']").await;
    b.wait_for_title("API keys").await;
    let grid = b.source().await;
    assert!(grid.contains("ci-deploy") && !grid.contains(&key));
    // Nor does going back in history.
    b.c().back().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!b.source().await.contains(&key));
    b.goto(&console.url("/keys")).await;
    // Revoke it in the console; the API refuses it.
    b.click("a[aria-label='Revoke key ci-deploy']").await;
    b.wait_for_title("Revoke key 'ci-deploy'?").await;
    b.click("button.danger").await;
    b.wait_for_title("API keys").await;
    assert!(b.source().await.contains("badge revoked"));
    let (status, body) = console.me(&key).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "key_revoked");
    b.close().await;
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/test runs them"]
async fn browser_a_member_sees_they_need_the_developer_role() {
    let console = Console::start();
    console.add_user("member@example.com", Role::Member, "acme", None, false);
    let b = Browser::start(1280, 800).await;
    b.sign_in_by_code(&console, "member@example.com").await;
    b.wait_for_title("API keys").await;
    let page = b.source().await;
    assert!(page.contains("You need the developer role to manage API keys."));
    assert!(!page.contains("Add key"));
    b.close().await;
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/test runs them"]
async fn browser_an_admin_sees_another_users_key() {
    let console = Console::start();
    console.add_user("admin@example.com", Role::Admin, "acme", None, false);
    console.add_user("dev@example.com", Role::Developer, "acme", None, false);
    let b = Browser::start(1280, 800).await;
    b.sign_in_by_code(&console, "dev@example.com").await;
    b.wait_for_title("API keys").await;
    create_key(&b, "dev-laptop", false).await;
    b.close().await;
    let b = Browser::start(1280, 800).await;
    b.sign_in_by_code(&console, "admin@example.com").await;
    b.wait_for_title("API keys").await;
    let page = b.source().await;
    assert!(page.contains("dev-laptop"));
    assert!(page.contains("dev@example.com"), "the owner is shown");
    b.click("a[href='/keys?status=active']").await;
    b.wait_for_title("API keys").await;
    assert!(b.source().await.contains("dev-laptop"));
    b.close().await;
}

/// `POST /v1/auth/device/token` as the CLI polls: status and body.
async fn poll_device(console: &Console, device_code: &str) -> (u16, Value) {
    let client = reqwest::Client::builder().timeout(WAIT).build().unwrap();
    let r = client
        .post(console.url("/v1/auth/device/token"))
        .json(&json!({ "device_code": device_code }))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/test runs them"]
async fn browser_a_device_login_is_approved_after_signing_in_and_the_poller_gets_its_key() {
    let console = Console::start_with(|c| c.limits.device_poll_interval_secs = 1);
    let added = console.add_user("mfa@example.com", Role::Developer, "acme", None, true);
    let client = reqwest::Client::builder().timeout(WAIT).build().unwrap();
    let started: Value = client
        .post(console.url("/v1/auth/device"))
        .json(&json!({ "client_name": "build-box", "key_name": "scripto-cli@build-box" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let data = &started["data"];
    let user_code = data["user_code"].as_str().unwrap().to_owned();
    let device_code = data["device_code"].as_str().unwrap().to_owned();
    let link = data["verification_uri_complete"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        poll_device(&console, &device_code).await.1["error"]["code"],
        "authorization_pending"
    );

    // The link the CLI shows: sign in first (the second factor included),
    // then the approval page.
    let b = Browser::start(1280, 800).await;
    b.goto(&link).await;
    b.sign_in_here(&console, "mfa@example.com").await;
    b.wait_for_title("Two-factor authentication").await;
    b.fill(
        "#code",
        &totp_now(added.totp_secret_base32.as_deref().unwrap()),
    )
    .await;
    b.click("form button[type=submit]").await;
    b.wait_for_title("Approve this login?").await;
    let page = b.source().await;
    for words in [user_code.as_str(), "build-box", "scripto-cli@build-box"] {
        assert!(page.contains(words), "{words}");
    }
    b.screenshot("device").await;
    b.click("form[action='/device/approve'] button").await;
    b.wait_for_title("Device approved").await;

    let deadline = Instant::now() + WAIT;
    let key = loop {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let (status, body) = poll_device(&console, &device_code).await;
        if status == 201 {
            break body["data"]["api_key"].as_str().unwrap().to_owned();
        }
        assert!(Instant::now() < deadline, "never approved: {body}");
    };
    let (status, me) = console.me(&key).await;
    assert_eq!(status, 200);
    assert_eq!(me["data"]["user"]["email"], "mfa@example.com");
    b.close().await;
}

/// The `scripto` binary cargo built beside this test (`--workspace`).
fn scripto_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join(format!("scripto{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it with cargo build -p scripto (scripts/test runs the workspace)",
        bin.display()
    );
    bin
}

/// `scripto ARGS` against `console`, in `home`, with no keyring: a child.
fn scripto(console: &Console, home: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(scripto_binary());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("SCRIPTO_KEYRING", "none")
        .env("SCRIPTO_CONFIG_DIR", home.join("config"))
        .env("SCRIPTO_API_URL", console.server.url())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/test runs them"]
async fn browser_device_approval_end_to_end_with_the_real_cli_polling() {
    let console = Console::start_with(|c| c.limits.device_poll_interval_secs = 1);
    console.add_user("dev@example.com", Role::Developer, "acme", None, false);
    approve_device_login_of_the_real_cli(&console, "dev@example.com", async |b| {
        b.sign_in_here(&console, "dev@example.com").await;
    })
    .await;
}

/// The device login of the real `scripto`, as an agent runs it (no
/// terminal: exit 9 with the link), approved in the browser after
/// `sign_in` on the sign-in page the link leads to, while a second
/// `scripto` polls; then the stored key works for `email`.
async fn approve_device_login_of_the_real_cli(
    console: &Console,
    email: &str,
    sign_in: impl AsyncFnOnce(&Browser),
) {
    let home = tempfile::tempdir().unwrap();
    let started = scripto(
        console,
        home.path(),
        &[
            "--json",
            "auth",
            "login",
            "--web",
            "--profile-name",
            "cli",
            "--storage",
            "file",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(
        started.status.code(),
        Some(9),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let doc: Value = serde_json::from_slice(&started.stdout).unwrap();
    let details = &doc["error"]["details"];
    let link = details["verification_uri_complete"]
        .as_str()
        .unwrap()
        .to_owned();
    let user_code = details["user_code"].as_str().unwrap().to_owned();
    // The CLI polls while its human approves in the browser.
    let mut waiting = scripto(
        console,
        home.path(),
        &[
            "--json",
            "auth",
            "login-complete",
            "--device",
            "--wait",
            "60",
        ],
    )
    .spawn()
    .unwrap();
    let b = Browser::start(1280, 800).await;
    b.goto(&link).await;
    sign_in(&b).await;
    b.wait_for_title("Approve this login?").await;
    assert!(b.source().await.contains(&user_code));
    b.click("form[action='/device/approve'] button").await;
    b.wait_for_title("Device approved").await;
    b.close().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = waiting.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = waiting.kill();
            panic!("scripto auth login-complete --device did not finish within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let out = waiting.wait_with_output().unwrap();
    assert!(status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["data"]["email"], email, "{done}");
    assert_eq!(done["data"]["profile"], "cli");
    // The stored key works: the CLI lists its own keys with it.
    let listed = scripto(console, home.path(), &["--json", "keys", "list"])
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
}

/// A console whose single sign-on is a real provider (oidc-provider on
/// node, `common::oidc`): people new to it join "Acme SSO" as developers.
fn sso_console(provider: &oidc::Provider) -> Console {
    Console::start_with(|c| {
        c.limits.device_poll_interval_secs = 1;
        c.oidc = Some(provider.settings("Acme SSO", Role::Developer));
    })
}

impl Browser {
    /// From the sign-in page the browser shows: "Sign in with Test IdP",
    /// then the provider's own login form (oidc-provider's development
    /// form takes any login; the password is not checked).
    async fn sign_in_with_sso(&self, login: &str) {
        self.wait_for_title("Sign in").await;
        self.click("a[href^='/auth/oidc/start']").await;
        self.fill("input[name=login]", login).await;
        self.fill("input[name=password]", "any password").await;
        self.click("button[type=submit]").await;
    }
}

#[tokio::test]
#[ignore = "needs chromium, chromedriver and node: scripts/test runs them"]
async fn browser_oidc_sign_in_through_the_provider_lands_on_the_keys_page_as_one_user() {
    let provider = oidc::Provider::start(oidc::Options::default());
    let console = sso_console(&provider);
    let b = Browser::start(1280, 800).await;
    b.goto(&console.url("/sign-in")).await;
    assert!(b.source().await.contains("Sign in with Test IdP"));
    b.screenshot("sign-in-sso").await;
    b.sign_in_with_sso("ada@example.test").await;
    b.wait_for_title("API keys").await;
    assert!(
        b.text("header .who")
            .await
            .contains("ada@example.test · developer · Acme SSO"),
        "{}",
        b.source().await
    );
    let key = create_key(&b, "from-sso", false).await;
    let (status, me) = console.me(&key).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["data"]["user"]["email"], "ada@example.test");
    b.click("a.button.primary[href='/keys']").await;
    b.wait_for_title("API keys").await;

    // Signed out, then in again: the provider remembers the browser, and
    // the console the user (the key made before is theirs).
    b.click("form[action='/sign-out'] button").await;
    b.wait_for_title("Sign in").await;
    b.click("a[href^='/auth/oidc/start']").await;
    b.wait_for_title("API keys").await;
    assert!(b.source().await.contains("from-sso"));
    let users = console
        ._scratch
        .db
        .value("SELECT COUNT(*) FROM users WHERE email = 'ada@example.test'");
    assert_eq!(users.as_deref(), Some("1"));
    b.close().await;
}

#[tokio::test]
#[ignore = "needs chromium, chromedriver and node: scripts/test runs them"]
async fn browser_oidc_a_device_login_of_the_real_cli_is_approved_after_single_sign_on() {
    let provider = oidc::Provider::start(oidc::Options::default());
    let console = sso_console(&provider);
    approve_device_login_of_the_real_cli(&console, "grace@example.test", async |b| {
        b.sign_in_with_sso("grace@example.test").await;
    })
    .await;
}

/// Not a check: the pictures in docs/screenshots/ (README.md), taken when
/// SCRIPTO_SCREENSHOTS names a directory (`scripts/screenshots`).
#[tokio::test]
#[ignore = "needs chromium and chromedriver: scripts/screenshots runs it"]
async fn browser_screenshots() {
    let console = Console::start();
    console.add_user("ada@example.com", Role::Admin, "acme", None, false);
    console.add_user("lin@example.com", Role::Developer, "acme", None, false);
    console.add_user("sam@example.com", Role::Member, "acme", None, false);
    scripto_server::admin::add_project(console.server.db().clone(), "acme", "transcripts").unwrap();
    scripto_server::admin::add_project(console.server.db().clone(), "acme", "captions").unwrap();

    let b = Browser::start(1280, 800).await;
    b.goto(&console.url("/sign-in")).await;
    b.screenshot("sign-in").await;
    b.sign_in_by_code(&console, "lin@example.com").await;
    b.wait_for_title("API keys").await;
    create_key(&b, "ci-deploy", false).await;
    b.click("a.button.primary[href='/keys']").await;
    create_key(&b, "live-captions", true).await;
    b.click("a.button.primary[href='/keys']").await;
    b.close().await;

    let b = Browser::start(1280, 800).await;
    b.sign_in_by_code(&console, "ada@example.com").await;
    b.wait_for_title("API keys").await;
    create_key(&b, "nightly-batch", false).await;
    b.screenshot("key-created").await;
    b.click("a.button.primary[href='/keys']").await;
    b.wait_for_title("API keys").await;
    b.screenshot("keys").await;
    b.click("a[href='/keys/new']").await;
    b.wait_for_title("Create API key").await;
    b.click("#type-realtime").await;
    b.fill("#name", "studio-stream").await;
    b.screenshot("create-key").await;
    b.goto(&console.url("/keys")).await;
    b.click("a[aria-label='Revoke key ci-deploy']").await;
    b.wait_for_title("Revoke key 'ci-deploy'?").await;
    b.screenshot("revoke-key").await;
    b.close().await;

    let b = Browser::start(1280, 800).await;
    b.sign_in_by_code(&console, "sam@example.com").await;
    b.wait_for_title("API keys").await;
    b.screenshot("member").await;
    b.close().await;

    let b = Browser::start(390, 844).await;
    b.sign_in_by_code(&console, "ada@example.com").await;
    b.wait_for_title("API keys").await;
    b.screenshot("keys-mobile").await;
    b.close().await;
}
