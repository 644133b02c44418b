//! What a server instance is configured with: where its files live and every
//! limit of the API contract.

use crate::ip_rules::Cidr;
use crate::store::DbUrl;
use scripto_wire::Secret;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where a server keeps its state, and its limits.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where `serve` listens; `spawn_background` ignores it and binds
    /// `127.0.0.1:0`.
    pub addr: SocketAddr,
    /// The database: a SQLite file (WAL mode: `-wal` and `-shm` files sit
    /// beside it) or a PostgreSQL URL.
    pub db: DbUrl,
    /// JSON lines, one per one-time code sent: the development mail relay.
    pub outbox_path: PathBuf,
    /// 32 random bytes (hex), created 0600 on first start; seals TOTP
    /// secrets and keys the digests of one-time and backup codes.
    pub key_path: PathBuf,
    pub limits: Limits,
    /// Also write each one-time code to the log (the outbox always gets it).
    pub log_codes: bool,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` hop is believed; from
    /// any other peer those headers are ignored.
    pub trusted_proxies: Vec<Cidr>,
    /// Days an audit event is kept (90).
    pub audit_retention_days: u32,
    /// Redis holding the rate-limit windows, shared by every instance that
    /// uses it with the same `redis_prefix`; `None`: each instance counts
    /// alone. The URL may hold a password: it is a secret.
    pub redis_url: Option<Secret>,
    /// Put before every Redis key this server writes ("scripto:"), so that
    /// deployments (and test runs) can share one Redis.
    pub redis_prefix: String,
    /// The address people reach this server at (`--public-url`, e.g.
    /// `https://keys.example.com` behind a proxy): the device login's
    /// verification URL is under it. `None`: `http://` and the address
    /// the server listens on. An `https` one marks the web console's
    /// cookies `Secure`.
    pub public_url: Option<String>,
    /// Single sign-on through an OpenID Connect provider (`--oidc-issuer`
    /// and the rest); `None`: none.
    pub oidc: Option<crate::oidc::OidcSettings>,
}

impl Config {
    pub const DEFAULT_ADDR: &'static str = "127.0.0.1:8787";
    pub const DEFAULT_REDIS_PREFIX: &'static str = "scripto:";

    /// A configuration with the SQLite database at `db_path`, the outbox
    /// (`outbox.jsonl`) next to it, the server key at `<db_path>.key`, and
    /// the default limits.
    pub fn new(db_path: impl Into<PathBuf>) -> Config {
        Config::for_db(DbUrl::Sqlite(db_path.into()))
    }

    /// A configuration for `db` with the default limits. Beside a SQLite
    /// file: its outbox and server key. For PostgreSQL: both in the data
    /// directory ([`Config::default_data_dir`]); every instance of one
    /// database needs the same server key (`--key-file`).
    pub fn for_db(db: DbUrl) -> Config {
        let (outbox_path, key_path) = match &db {
            DbUrl::Sqlite(path) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                (dir.join("outbox.jsonl"), key_path_for(path))
            }
            DbUrl::Postgres(_) => {
                let dir = Config::default_data_dir();
                (dir.join("outbox.jsonl"), dir.join("server.key"))
            }
        };
        Config {
            addr: Self::DEFAULT_ADDR.parse().expect("a valid socket address"),
            outbox_path,
            key_path,
            db,
            limits: Limits::default(),
            log_codes: true,
            trusted_proxies: Vec::new(),
            audit_retention_days: 90,
            redis_url: None,
            redis_prefix: Self::DEFAULT_REDIS_PREFIX.to_owned(),
            public_url: None,
            oidc: None,
        }
    }

    /// Database, outbox and server key all in `dir`, default limits.
    pub fn in_dir(dir: &Path) -> Config {
        Config::new(dir.join("scripto.db"))
    }

    /// `$XDG_DATA_HOME/scripto-server/scripto.db` (or the platform's data
    /// directory), else `./scripto.db`.
    pub fn default_db_path() -> PathBuf {
        Config::default_data_dir().join("scripto.db")
    }

    /// `$XDG_DATA_HOME/scripto-server` (or the platform's data directory),
    /// else the working directory.
    pub fn default_data_dir() -> PathBuf {
        dirs::data_dir()
            .map(|d| d.join("scripto-server"))
            .unwrap_or_default()
    }
}

/// The server key of the database at `db_path`: `<db file name>.key` beside it.
pub fn key_path_for(db_path: &Path) -> PathBuf {
    let mut name = db_path.file_name().unwrap_or_default().to_os_string();
    name.push(".key");
    db_path.with_file_name(name)
}

/// Every limit of the contract. `Default` is the contract's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long a one-time code is valid (600 s).
    pub code_ttl_secs: u64,
    /// Wrong tries that burn a code (5).
    pub code_max_failures: u32,
    /// Minimum time between two sends to one address (30 s).
    pub code_resend_secs: u64,
    /// Sends an hour to one address from one client IP (10).
    pub code_sends_per_hour_per_email_ip: u32,
    /// Sends an hour to one address from clients that had not sent it a
    /// code this hour (50): the ceiling others can use up, which a client
    /// that already got a code is not held to.
    pub code_sends_per_hour_per_email: u32,
    /// Sends an hour from one client IP (60).
    pub code_sends_per_hour_per_ip: u32,
    /// Password-login tries a minute for one address (10).
    pub login_per_minute_per_email: u32,
    /// Password-login tries a minute from one client IP (10).
    pub login_per_minute_per_ip: u32,
    /// Single sign-on answers a minute from one client IP that reach the
    /// provider's token endpoint (60): many people behind one address sign
    /// in this way at the start of a day.
    pub sso_per_minute_per_ip: u32,
    /// How long an MFA challenge lives (300 s).
    pub mfa_ttl_secs: u64,
    /// Wrong second factors that burn a challenge (5).
    pub mfa_max_failures: u32,
    /// Wrong second factors an hour for one account, across challenges and
    /// client IPs (10); past it every second factor is refused until the
    /// hour has passed.
    pub mfa_failures_per_hour_per_account: u32,
    /// Session token lifetime (900 s).
    pub session_ttl_secs: u64,
    /// A web console session ends after this long unused (1800 s).
    pub web_session_idle_secs: u64,
    /// A web console session ends this long after sign-in, used or not
    /// (43 200 s).
    pub web_session_absolute_secs: u64,
    /// Requests a minute for one credential on authenticated routes (600).
    pub credential_per_minute: u32,
    /// Requests a minute from one client IP without a valid credential:
    /// `/v1/health`, the login routes, and refused credentials (600).
    pub anonymous_per_minute_per_ip: u32,
    /// Largest accepted request body (64 KiB).
    pub max_body_bytes: usize,
    /// `last_used_at` is written at most this often per key (60 s).
    pub last_used_interval_secs: u64,
    /// How long a verified key stays in the in-memory cache; revocation
    /// through the API evicts it at once (5 s).
    pub key_cache_ttl_secs: u64,
    /// Argon2id cost of new password hashes.
    pub password_hashing: PasswordHashing,
    /// Time a client has to send a request's line and headers, from their
    /// first byte, or from the connection's opening for its first request
    /// (10 s); a client dribbling them is disconnected.
    pub header_timeout: Duration,
    /// Time a client has to send a request's body, from the end of its
    /// headers (30 s); past it the request is 408 `request_timeout`.
    pub body_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request (60 s).
    pub idle_timeout: Duration,
    /// Connections served at once (512); more wait in the kernel's listen
    /// backlog until one closes, so memory stays bounded.
    pub max_connections: usize,
    /// At shutdown, how long requests in flight may take to finish before
    /// their connections are closed (10 s).
    pub shutdown_grace: Duration,
    /// How long a device login (RFC 8628) waits for approval (600 s).
    pub device_code_ttl_secs: u64,
    /// The polling interval a device login starts with (5 s); each
    /// `slow_down` adds 5 s.
    pub device_poll_interval_secs: u64,
    /// Device logins started an hour from one client IP (60).
    pub device_starts_per_hour_per_ip: u32,
    /// User codes typed a minute from one client IP, right or wrong (10).
    pub device_entries_per_minute_per_ip: u32,
    /// Wrong entries that get a user code's first half right and burn it (5).
    pub device_code_max_failures: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            code_ttl_secs: 600,
            code_max_failures: 5,
            code_resend_secs: 30,
            code_sends_per_hour_per_email_ip: 10,
            code_sends_per_hour_per_email: 50,
            code_sends_per_hour_per_ip: 60,
            login_per_minute_per_email: 10,
            login_per_minute_per_ip: 10,
            sso_per_minute_per_ip: 60,
            mfa_ttl_secs: 300,
            mfa_max_failures: 5,
            mfa_failures_per_hour_per_account: 10,
            session_ttl_secs: 900,
            web_session_idle_secs: 1800,
            web_session_absolute_secs: 12 * 3600,
            credential_per_minute: 600,
            anonymous_per_minute_per_ip: 600,
            max_body_bytes: 64 * 1024,
            last_used_interval_secs: 60,
            key_cache_ttl_secs: 5,
            password_hashing: PasswordHashing::default(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
            shutdown_grace: Duration::from_secs(10),
            device_code_ttl_secs: 600,
            device_poll_interval_secs: 5,
            device_starts_per_hour_per_ip: 60,
            device_entries_per_minute_per_ip: 10,
            device_code_max_failures: 5,
        }
    }
}

/// Argon2id parameters. The default is OWASP's first recommendation
/// (19 MiB, 2 passes, 1 lane); tests may use cheaper ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordHashing {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        PasswordHashing {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}
