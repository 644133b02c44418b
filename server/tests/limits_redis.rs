//! Budgets shared by several instances through a real Redis (`--redis`),
//! and what an instance does when its Redis stops answering.
//!
//! They need a Redis: `SCRIPTO_TEST_REDIS=redis://127.0.0.1:6379` for the
//! shared one (each test writes under a random key prefix and deletes its
//! keys), and `redis-server` on the PATH for the fallback test, which starts
//! and kills its own. scripts/test runs them.

mod common;

use std::io::BufRead;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Scratch, last_code, test_config};
use reqwest::StatusCode;
use scripto_server::{BackgroundServer, Config, spawn_background};
use scripto_wire::Secret;
use serde_json::{Value, json};

const NEEDS: &str = "needs Redis: scripts/test runs it";

fn redis_url() -> String {
    std::env::var("SCRIPTO_TEST_REDIS").unwrap_or_else(|_| {
        panic!("set SCRIPTO_TEST_REDIS (e.g. redis://127.0.0.1:6379): this test {NEEDS}")
    })
}

/// A key prefix of this test's own, whose keys are deleted when it ends.
struct Prefix {
    url: String,
    prefix: String,
}

impl Prefix {
    fn new(url: &str) -> Prefix {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        Prefix {
            url: url.to_owned(),
            prefix: format!("scripto-test-{}-{nanos}:", std::process::id()),
        }
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        if let Ok(mut conn) =
            redis::Client::open(self.url.as_str()).and_then(|c| c.get_connection())
        {
            for key in scan(&mut conn, &self.prefix) {
                let _: redis::RedisResult<i64> = redis::cmd("DEL").arg(&key).query(&mut conn);
            }
        }
    }
}

/// Every key under `prefix`.
fn scan(conn: &mut redis::Connection, prefix: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}*"))
            .arg("COUNT")
            .arg(1000)
            .query(conn)
            .expect("SCAN");
        keys.extend(batch);
        if next == 0 {
            return keys;
        }
        cursor = next;
    }
}

/// `(key, count)` of every window under `prefix`.
fn windows(url: &str, prefix: &str) -> Vec<(String, u64)> {
    let mut conn = redis::Client::open(url)
        .and_then(|c| c.get_connection_with_timeout(Duration::from_secs(2)))
        .expect("Redis answers");
    scan(&mut conn, prefix)
        .into_iter()
        .map(|k| {
            let n: u64 = redis::cmd("GET").arg(&k).query(&mut conn).expect("GET");
            (k, n)
        })
        .collect()
}

/// What one request got back.
struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
}

impl Answer {
    fn header(&self, name: &str) -> Option<u64> {
        self.headers.get(name)?.to_str().ok()?.parse().ok()
    }
}

/// Sends `total` requests, `concurrency` at a time, the i-th to
/// `urls[i % urls.len()]`.
async fn hammer(
    urls: &[String],
    path: &str,
    token: Option<&str>,
    total: usize,
    concurrency: usize,
) -> Vec<Answer> {
    let http = reqwest::Client::new();
    let urls = Arc::new(urls.to_vec());
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..concurrency {
        let http = http.clone();
        let urls = urls.clone();
        let path = path.to_owned();
        let token = token.map(str::to_owned);
        workers.spawn(async move {
            let mut got = Vec::new();
            for i in (w..total).step_by(concurrency) {
                let mut req = http.get(format!("{}{path}", urls[i % urls.len()]));
                if let Some(t) = &token {
                    req = req.bearer_auth(t);
                }
                let resp = req.send().await.expect("the server answers");
                got.push(Answer {
                    status: resp.status(),
                    headers: resp.headers().clone(),
                });
            }
            got
        });
    }
    let mut all = Vec::new();
    while let Some(got) = workers.join_next().await {
        all.extend(got.unwrap());
    }
    all
}

/// At most `budget` (+1%) of `answers` were accepted, all the others were
/// 429 with `Retry-After`, and every one has the `X-RateLimit-*` headers.
fn assert_budget_held(answers: &[Answer], budget: u64) -> u64 {
    let mut accepted = 0;
    for a in answers {
        assert_eq!(
            a.header("x-ratelimit-limit"),
            Some(budget),
            "{:?}",
            a.headers
        );
        assert!(
            a.header("x-ratelimit-remaining").is_some(),
            "{:?}",
            a.headers
        );
        assert!(a.header("x-ratelimit-reset").is_some(), "{:?}", a.headers);
        match a.status {
            StatusCode::OK => accepted += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = a.header("retry-after").expect("a 429 has Retry-After");
                assert!((1..=60).contains(&wait), "Retry-After: {wait}");
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(
        accepted <= budget + budget / 100,
        "{accepted} accepted for a budget of {budget}"
    );
    accepted
}

/// Three instances on one database and one Redis prefix.
fn three_instances(tweak: impl Fn(&mut Config)) -> (Vec<BackgroundServer>, Prefix, Scratch) {
    let url = redis_url();
    let prefix = Prefix::new(&url);
    let dir = Scratch::new();
    let mut config = test_config(&dir);
    config.redis_url = Some(Secret::new(url));
    config.redis_prefix = prefix.prefix.clone();
    tweak(&mut config);
    let servers = (0..3)
        .map(|_| spawn_background(config.clone()).unwrap())
        .collect();
    (servers, prefix, dir)
}

fn urls(servers: &[BackgroundServer]) -> Vec<String> {
    servers.iter().map(BackgroundServer::url).collect()
}

#[tokio::test]
#[ignore = "needs Redis: scripts/test runs it"]
async fn redis_three_instances_share_one_anonymous_budget() {
    const BUDGET: u64 = 90;
    let (servers, prefix, _dir) =
        three_instances(|c| c.limits.anonymous_per_minute_per_ip = BUDGET as u32);
    let answers = hammer(&urls(&servers), "/v1/health", None, 3 * BUDGET as usize, 24).await;
    let accepted = assert_budget_held(&answers, BUDGET);
    // Redis answered throughout: exactly the budget, not less.
    assert_eq!(accepted, BUDGET);
    // One window, holding the count, named by a hash and not by the IP.
    let windows = windows(&prefix.url, &prefix.prefix);
    assert_eq!(windows.len(), 1, "{windows:?}");
    let (key, count) = &windows[0];
    assert_eq!(*count, BUDGET);
    assert!(
        key.starts_with(&format!("{}rl:anonymous-ip:", prefix.prefix)),
        "{key}"
    );
    assert!(!key.contains("127.0.0.1"), "{key}");
}

#[tokio::test]
#[ignore = "needs Redis: scripts/test runs it"]
async fn redis_three_instances_share_one_credential_budget() {
    const BUDGET: u64 = 60;
    let (servers, prefix, _dir) =
        three_instances(|c| c.limits.credential_per_minute = BUDGET as u32);
    let http = reqwest::Client::new();
    let email = "budget@example.com";
    let url = servers[0].url();
    let r = http
        .post(format!("{url}/v1/auth/login-request"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let code = last_code(servers[0].outbox_path(), email);
    // The login completes on another instance than the one that sent it.
    let r: Value = http
        .post(format!("{}/v1/auth/login-complete", servers[1].url()))
        .json(&json!({ "email": email, "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = r["data"]["api_key"].as_str().expect("a key").to_owned();
    let key_id = r["data"]["key"]["id"]
        .as_str()
        .expect("a key id")
        .to_owned();

    let answers = hammer(
        &urls(&servers),
        "/v1/me",
        Some(&key),
        3 * BUDGET as usize,
        24,
    )
    .await;
    assert_eq!(assert_budget_held(&answers, BUDGET), BUDGET);
    let windows = windows(&prefix.url, &prefix.prefix);
    assert!(
        windows
            .iter()
            .any(|(k, n)| k.contains(":rl:credential:") && *n == BUDGET),
        "{windows:?}"
    );
    // Neither the address nor the key's id is in any Redis key.
    for (k, _) in &windows {
        assert!(!k.contains("example.com") && !k.contains(&key_id), "{k}");
    }
}

#[tokio::test]
#[ignore = "needs Redis: scripts/test runs it"]
async fn redis_a_code_sent_by_one_instance_starts_the_cool_down_on_all() {
    let (servers, prefix, _dir) = three_instances(|_| {});
    let http = reqwest::Client::new();
    let send = |url: String| {
        let http = http.clone();
        async move {
            http.post(format!("{url}/v1/auth/login-request"))
                .json(&json!({ "email": "cool@example.com" }))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(send(servers[0].url()).await.status(), StatusCode::ACCEPTED);
    for s in &servers[1..] {
        let r = send(s.url()).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=30).contains(&wait), "Retry-After: {wait}");
    }
    // The refusals counted in none of the request's windows: each holds
    // the one send.
    let windows = windows(&prefix.url, &prefix.prefix);
    for bucket in [
        "code-resend",
        "code-ip-hour",
        "code-email-ip-hour",
        "code-email-hour",
    ] {
        let counts: Vec<u64> = windows
            .iter()
            .filter(|(k, _)| k.contains(&format!(":rl:{bucket}:")))
            .map(|w| w.1)
            .collect();
        assert_eq!(counts, [1], "{bucket}: {windows:?}");
    }
}

// --- Redis stops, and comes back -------------------------------------------

const REDIS_PASSWORD: &str = "redis-test-password-7f3a";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `redis-server` of the test's own on `port`, answering once this returns.
fn start_redis(port: u16) -> Killed {
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .args(["--requirepass", REDIS_PASSWORD])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start redis-server ({e}): this test {NEEDS}"));
    let child = Killed(child);
    let url = format!("redis://:{REDIS_PASSWORD}@127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let ping = redis::Client::open(url.as_str())
            .and_then(|c| c.get_connection_with_timeout(Duration::from_millis(200)))
            .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
        if ping.is_ok() {
            return child;
        }
        assert!(Instant::now() < deadline, "redis-server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn health_windows(port: u16) -> Vec<(String, u64)> {
    windows(
        &format!("redis://:{REDIS_PASSWORD}@127.0.0.1:{port}"),
        "scripto:rl:anonymous-ip:",
    )
}

/// `scripto-server serve` as a child process on a free port, with `--redis`
/// at the test's own `redis-server`, its log collected.
struct Served {
    child: Killed,
    url: String,
    redis_port: u16,
    log: Arc<Mutex<Vec<String>>>,
    reader: std::thread::JoinHandle<()>,
    http: reqwest::Client,
}

impl Served {
    fn start(redis_port: u16, budget: u64, dir: &std::path::Path) -> Served {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_scripto-server"))
            .env_remove("SCRIPTO_SERVER_REDIS_PREFIX")
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--db")
            .arg(dir.join("scripto.db"))
            .args(["--anonymous-limit", &budget.to_string(), "--log", "info"])
            .args([
                "--redis",
                &format!("redis://:{REDIS_PASSWORD}@127.0.0.1:{redis_port}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut child = Killed(child);
        let log = Arc::new(Mutex::new(Vec::<String>::new()));
        let stderr = child.0.stderr.take().unwrap();
        let reader = {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stderr)
                    .lines()
                    .map_while(Result::ok)
                {
                    log.lock().unwrap().push(line);
                }
            })
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Served {
            child,
            url: format!("http://127.0.0.1:{port}"),
            redis_port,
            log,
            reader,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap(),
        }
    }

    async fn health(&self) -> Answer {
        let resp = self
            .http
            .get(format!("{}/v1/health", self.url))
            .send()
            .await
            .unwrap();
        Answer {
            status: resp.status(),
            headers: resp.headers().clone(),
        }
    }

    /// Sends requests until one is counted in Redis (within 10 s), and
    /// returns it with the window's count.
    async fn until_shared_again(&self) -> (Answer, u64) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let before = health_windows(self.redis_port).first().map_or(0, |w| w.1);
        loop {
            let a = self.health().await;
            assert!(!a.status.is_server_error(), "{}", a.status);
            if let Some((_, n)) = health_windows(self.redis_port).first()
                && *n > before
            {
                return (a, *n);
            }
            assert!(Instant::now() < deadline, "Redis was not used again");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the server (SIGTERM) and checks its log: the start line with
    /// the masked URL, exactly one warning, the return, no password.
    fn stop_and_check_log(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.0.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let _ = self.child.0.wait();
        self.reader.join().unwrap();
        let log = self.log.lock().unwrap().join("\n");
        let masked = format!("redis://:***@127.0.0.1:{}", self.redis_port);
        assert!(
            log.lines()
                .any(|l| l.contains("shared through Redis") && l.contains(&masked)),
            "{log}"
        );
        let warnings = log
            .lines()
            .filter(|l| l.contains("WARN") && l.contains("Redis does not answer"))
            .count();
        assert_eq!(warnings, 1, "{log}");
        assert!(log.contains("Redis answers again"), "{log}");
        assert!(!log.contains(REDIS_PASSWORD), "{log}");
    }
}

#[tokio::test]
#[ignore = "needs Redis: scripts/test runs it"]
async fn redis_that_stops_leaves_each_instance_counting_alone_until_it_returns() {
    const BUDGET: u64 = 50;
    let redis_port = free_port();
    let redis = start_redis(redis_port);
    let dir = tempfile::tempdir().unwrap();
    let server = Served::start(redis_port, BUDGET, dir.path());

    // Shared: every request is counted in Redis.
    for i in 1..=10 {
        let a = server.health().await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.header("x-ratelimit-remaining"), Some(BUDGET - i));
    }
    let w = health_windows(redis_port);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].1, 10);

    // Redis goes away: requests still answer, on this instance's own
    // count (which starts from nothing), for long enough that several
    // reconnections fail.
    drop(redis);
    let mut answers = Vec::new();
    for _ in 0..(BUDGET + 10) {
        answers.push(server.health().await);
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    for a in &answers {
        assert!(!a.status.is_server_error(), "{}", a.status);
    }
    assert_eq!(assert_budget_held(&answers, BUDGET), BUDGET);

    // Redis returns, empty: within a few seconds requests are counted
    // there again, and the answer shows Redis's count.
    let _redis = start_redis(redis_port);
    let (a, n) = server.until_shared_again().await;
    assert_eq!(n, 1);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("x-ratelimit-remaining"), Some(BUDGET - 1));
    server.stop_and_check_log();
}

#[tokio::test]
#[ignore = "needs Redis: scripts/test runs it"]
async fn redis_that_hangs_costs_a_request_at_most_the_command_timeout() {
    const BUDGET: u64 = 1000;
    let redis_port = free_port();
    let redis = start_redis(redis_port);
    let dir = tempfile::tempdir().unwrap();
    let server = Served::start(redis_port, BUDGET, dir.path());
    for _ in 0..5 {
        assert_eq!(server.health().await.status, StatusCode::OK);
    }
    assert_eq!(health_windows(redis_port)[0].1, 5);

    // SIGSTOP: connections are still accepted by the kernel, but nothing
    // answers. Each request waits at most the 250 ms command timeout (the
    // first one), then the instance counts alone; reconnection attempts
    // happen beside the requests, never in their way.
    let signal = |sig: &str| {
        let ok = Command::new("kill")
            .args([sig, &redis.0.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig}");
    };
    signal("-STOP");
    let mut slowest = Duration::ZERO;
    let stopped = Instant::now();
    while stopped.elapsed() < Duration::from_millis(2500) {
        let t = Instant::now();
        let a = server.health().await;
        slowest = slowest.max(t.elapsed());
        assert_eq!(a.status, StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // 250 ms and a little; well under the 750 ms a connection attempt may take.
    assert!(slowest < Duration::from_millis(700), "slowest: {slowest:?}");

    signal("-CONT");
    let (a, n) = server.until_shared_again().await;
    assert!(n > 5, "{n}");
    assert_eq!(a.header("x-ratelimit-remaining"), Some(BUDGET - n));
    server.stop_and_check_log();
}
