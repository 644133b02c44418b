//! A real OpenID Connect provider for the server's OIDC sign-in tests:
//! `tests/oidc-provider/provider.mjs` (the `oidc-provider` package on node),
//! one per test, on a free loopback port, plus a scripted browser that signs
//! in through its own login form.
//!
//! A real provider rather than a mock: discovery, PKCE, state, nonce, `iss`
//! in the authorization response, code replay and signed ID tokens then
//! behave as they do for users, and the server's client code is tested
//! against someone else's reading of the specifications.
//!
//! What the provider offers (see provider.mjs for the why of each):
//! - one confidential client, `client_secret_basic`, code flow, PKCE S256
//!   required;
//! - redirect URIs `http://127.0.0.1:<any port>/auth/oidc/callback` (RFC 8252
//!   section 7.3 loopback redirects), so the server under test may pick its
//!   port after the provider started;
//! - any login with any password; the login is the account id and `sub`;
//!   `email` is the login when it has an `@`, else `<login>@example.test`;
//!   `name` is the part before the `@`; `email_verified` per [`Options`];
//! - those claims in the ID token itself, not only from userinfo;
//! - no consent screen, and the authorization response carries `iss`.
//!
//! It needs node and `npm ci` in tests/oidc-provider (scripts/test does it).

use std::io::{BufRead as _, BufReader, Read as _, Seek as _};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{StatusCode, Url};
use serde_json::Value;

use super::visitor::Jar;

/// How long node has to load oidc-provider and print its issuer.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// Every request to the provider, connection included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Redirects and form posts one sign-in may take before it is called a loop
/// (a sign-in takes four requests).
const MAX_STEPS: usize = 10;

/// The directory of provider.mjs, package.json and node_modules.
pub fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc-provider")
}

/// True when the provider can start: node is on PATH and `npm ci` ran in
/// [`provider_dir`].
pub fn available() -> bool {
    let node_on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join("node")).is_ok_and(|m| {
                m.is_file()
                    && std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o111 != 0
            })
        })
    });
    node_on_path && provider_dir().join("node_modules/oidc-provider").is_dir()
}

/// How the provider describes its accounts.
#[derive(Clone, Copy)]
pub struct Options {
    /// The `email_verified` claim of every account.
    pub email_verified: bool,
    /// Seconds the provider's clock is off (negative: behind).
    pub clock_offset_secs: i64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            email_verified: true,
            clock_offset_secs: 0,
        }
    }
}

/// A running provider; killed, with everything it knew, when dropped.
/// No `Debug`: it holds the client secret.
pub struct Provider {
    /// `http://127.0.0.1:PORT`, no trailing slash: the `iss` of its tokens
    /// and authorization responses, and where its discovery document is.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    child: Child,
    /// Held open: node exits when it closes, so a test process that dies
    /// without running `Drop` does not leave the provider behind.
    _stdin: ChildStdin,
    stderr: tempfile::NamedTempFile,
}

impl Provider {
    /// Starts a provider with client `scripto` and a random secret; returns
    /// once it accepts connections. Panics, with node's stderr, when it does
    /// not within [`START_TIMEOUT`].
    pub fn start(opts: Options) -> Provider {
        assert!(
            available(),
            "the OIDC provider needs node on PATH and `npm ci` in {} (scripts/test runs it)",
            provider_dir().display()
        );
        let client_id = "scripto".to_owned();
        let client_secret = random_hex(32);
        let stderr = tempfile::NamedTempFile::new().expect("a temp file for node's stderr");
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .env("PORT", "0")
            .env("CLIENT_ID", &client_id)
            .env("CLIENT_SECRET", &client_secret)
            .env("EMAIL_VERIFIED", opts.email_verified.to_string())
            .env("EXIT_WITH_STDIN", "1")
            .env("CLOCK_OFFSET_SECONDS", opts.clock_offset_secs.to_string())
            // Its own group, killed whole in `Drop`.
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().expect("node's stderr file"))
            .spawn()
            .expect("node starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");

        // A thread reads the line, so that the wait for it is bounded.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(read.map(|_| line));
        });
        let mut provider = Provider {
            issuer: String::new(),
            client_id,
            client_secret,
            child,
            _stdin: stdin,
            stderr,
        };
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(Ok(line)) if line.is_empty() => {
                provider.fail("it exited, or closed its stdout, before printing its issuer")
            }
            Ok(Ok(line)) => line,
            Ok(Err(e)) => provider.fail(&format!("reading its stdout failed: {e}")),
            Err(_) => provider.fail(&format!("it printed no issuer within {START_TIMEOUT:?}")),
        };
        match serde_json::from_str::<Value>(&line)
            .ok()
            .and_then(|v| v["issuer"].as_str().map(str::to_owned))
        {
            Some(issuer) => provider.issuer = issuer,
            None => provider.fail(&format!(
                "its first line is not {{\"issuer\":...}}: {line:?}"
            )),
        }
        provider
    }

    /// The settings of a server that signs people in here, named "Test
    /// IdP" on its button; people new to it join `org` with `role`.
    pub fn settings(
        &self,
        org: &str,
        role: scripto_wire::types::Role,
    ) -> scripto_server::OidcSettings {
        scripto_server::OidcSettings {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: scripto_wire::Secret::new(self.client_secret.clone()),
            name: "Test IdP".to_owned(),
            org: org.to_owned(),
            role,
            allowed_domains: Vec::new(),
        }
    }

    /// Panics with `why` and what node wrote on stderr (never the secret:
    /// the script does not print it).
    fn fail(&mut self, why: &str) -> ! {
        self.stop();
        panic!(
            "the OIDC provider (node {}/provider.mjs) did not start: {why}; its stderr:\n{}",
            provider_dir().display(),
            self.stderr_text()
        );
    }

    /// What node wrote on stderr so far: the library's warnings, and any
    /// error it died of.
    pub fn stderr_text(&self) -> String {
        let mut text = String::new();
        let mut file = self.stderr.as_file();
        let _ = file.rewind();
        let _ = file.read_to_string(&mut text);
        text
    }

    /// `{issuer}/.well-known/openid-configuration`, parsed.
    pub async fn discovery(&self) -> Value {
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let r = client().get(&url).send().await.expect("discovery answers");
        assert_eq!(r.status(), StatusCode::OK, "GET {url}");
        r.json().await.expect("discovery is JSON")
    }

    /// Redeems `code` at the token endpoint as a confidential client
    /// (`client_secret_basic`) with the PKCE `verifier`; the endpoint's JSON
    /// answer, whatever its status: `id_token`, `access_token`... on
    /// success, `error` (e.g. `invalid_grant`) otherwise.
    pub async fn token(&self, code: &str, verifier: &str, redirect_uri: &str) -> Value {
        let endpoint = self.discovery().await["token_endpoint"]
            .as_str()
            .expect("discovery names a token_endpoint")
            .to_owned();
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", code)
            .append_pair("code_verifier", verifier)
            .append_pair("redirect_uri", redirect_uri)
            .finish();
        let r = client()
            .post(&endpoint)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("the token endpoint answers");
        let status = r.status();
        let text = r.text().await.expect("the token endpoint's body");
        serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("the token endpoint answered {status}, not JSON: {text}"))
    }

    /// Ends node now (SIGKILL to its group: it keeps nothing to flush).
    fn stop(&mut self) {
        // Once reaped, its process group id may belong to someone else.
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Signs in as a browser would, starting from `authorize_url` (the URL the
/// server under test redirected to): follows the provider's redirects with
/// a cookie jar of its own, fills the login form with `login` (and any
/// password), and returns the first redirect to
/// `http://127.0.0.1:<port>/.../auth/oidc/callback?...` without requesting
/// it: the test sends it to the server, with the server's own cookies. That
/// URL carries `code`, `state` and `iss`, or `error` when the provider
/// refused the request after checking its redirect URI (e.g. no PKCE).
///
/// Panics with the provider's answer when the flow goes anywhere else,
/// such as the provider's own error page (an unknown client, a redirect URI
/// it does not accept).
pub async fn sign_in(authorize_url: &str, login: &str) -> String {
    let client = client();
    let mut jar = Jar::default();
    let mut url = Url::parse(authorize_url).expect("an absolute authorize URL");
    let origin = url.origin();
    let mut submitted = false;
    for _ in 0..MAX_STEPS {
        let r = jar
            .add_to(client.get(url.clone()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        jar.store(r.headers());
        let status = r.status();
        if status.is_redirection() {
            let next = location(&url, &r);
            if is_callback(&next) {
                return next.into();
            }
            assert!(
                next.origin() == origin,
                "the provider sent the browser to {next}, neither itself nor a callback"
            );
            url = next;
            continue;
        }
        let body = r.text().await.unwrap_or_default();
        let action = (status == StatusCode::OK && !submitted)
            .then(|| login_form_action(&body))
            .flatten();
        let Some(action) = action else {
            panic!(
                "GET {url}: the provider answered {status}, not a redirect or its login form:\n{body}"
            );
        };
        let action = url.join(&action).expect("the form's action is a URL");
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("prompt", "login")
            .append_pair("login", login)
            .append_pair("password", "any password")
            .finish();
        let r = jar
            .add_to(client.post(action.clone()))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {action}: {e}"));
        jar.store(r.headers());
        let status = r.status();
        if !status.is_redirection() {
            let body = r.text().await.unwrap_or_default();
            panic!("POST {action} (the login form): the provider answered {status}:\n{body}");
        }
        url = location(&action, &r);
        submitted = true;
    }
    panic!("no redirect to /auth/oidc/callback after {MAX_STEPS} steps; the last URL: {url}");
}

/// A PKCE pair (RFC 7636): a random verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    use sha2::Digest as _;
    let verifier = base64url_encode(&random_bytes(32));
    let challenge = base64url_encode(&sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The claims of a JWT (its middle part), unverified: for tests that look at
/// what a token says, not at who signed it.
pub fn jwt_claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT has three parts");
    let bytes = base64url_decode(payload).expect("the payload is base64url");
    serde_json::from_slice(&bytes).expect("the payload is JSON")
}

/// Random hex, `n` bytes of it: secrets, states and nonces.
pub fn random_hex(n: usize) -> String {
    random_bytes(n).iter().map(|b| format!("{b:02x}")).collect()
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    getrandom::fill(&mut buf).expect("the operating system's random generator");
    buf
}

/// Base64url without padding (RFC 4648 section 5), as PKCE and JWTs use it.
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The inverse of [`base64url_encode`]; `None` on a character outside the
/// alphabet or an impossible length.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    };
    let s = s.trim_end_matches('=').as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)?) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// A client that never follows redirects (the caller does, to see each one)
/// and bounds every request.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .build()
        .expect("an HTTP client")
}

fn location(base: &Url, r: &reqwest::Response) -> Url {
    let value = r
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{base}: a {} without a Location", r.status()));
    base.join(value)
        .unwrap_or_else(|e| panic!("{base}: Location {value:?} is not a URL: {e}"))
}

/// The server under test's redirect URI, on whatever port.
fn is_callback(url: &Url) -> bool {
    url.as_str().starts_with("http://127.0.0.1:") && url.path().contains("/auth/oidc/callback")
}

/// The `action` of oidc-provider's development login form (`devInteractions`:
/// a form with a hidden `prompt=login`), when `html` is that page.
fn login_form_action(html: &str) -> Option<String> {
    if !html.contains(r#"name="prompt" value="login""#) {
        return None;
    }
    let start = html.find("<form")?;
    let form = &html[start..];
    let from = form.find(r#"action=""#)? + r#"action=""#.len();
    let to = from + form[from..].find('"')?;
    Some(form[from..to].replace("&amp;", "&"))
}
