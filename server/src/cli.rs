//! The `scripto-server` command line: serve the API, or administer its
//! database. In the library so that `xtask` can read the clap tree
//! ([`command`]) for the man pages.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::admin::{self, AddUser};
use crate::{AppState, Config, DbUrl};
use scripto_wire::types::Role;

/// The reference API server for `scripto`: keys, e-mail codes, passwords
/// with TOTP, roles and projects, on an embedded SQLite database.
///
/// With no subcommand it serves. One-time codes are not mailed: they are
/// written to the log and appended to the outbox file.
#[derive(Parser)]
#[command(
    name = "scripto-server",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve(Box<ServeArgs>),
    /// Add users, change their role, or remove them.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Add projects.
    #[command(subcommand)]
    Projects(ProjectsCommand),
}

#[derive(Args, Clone)]
struct DbArg {
    /// The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db].
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_DB",
        value_name = "PATH|URL"
    )]
    db: Option<String>,
    /// The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory].
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_KEY_FILE",
        value_name = "PATH"
    )]
    key_file: Option<PathBuf>,
}

impl DbArg {
    fn url(&self) -> DbUrl {
        match &self.db {
            Some(db) => DbUrl::parse(db),
            None => DbUrl::Sqlite(Config::default_db_path()),
        }
    }

    /// The database and the server key, as the admin commands take them.
    fn target(&self) -> admin::Target {
        let mut target = admin::Target::from(self.url());
        if let Some(k) = &self.key_file {
            target.key_path = k.clone();
        }
        target
    }
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, hide_env_values = true, env = "SCRIPTO_SERVER_ADDR", default_value = Config::DEFAULT_ADDR)]
    addr: SocketAddr,
    #[command(flatten)]
    db: DbArg,
    /// Where one-time codes are appended as JSON lines [default: outbox.jsonl next to the database].
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OUTBOX",
        value_name = "PATH"
    )]
    outbox: Option<PathBuf>,
    /// Requests a minute per credential on authenticated routes.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_CREDENTIAL_LIMIT",
        default_value_t = 600
    )]
    credential_limit: u32,
    /// Requests a minute per client IP without a valid credential.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_ANONYMOUS_LIMIT",
        default_value_t = 600
    )]
    anonymous_limit: u32,
    /// Password-login tries a minute, per e-mail and per client IP.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_LOGIN_LIMIT",
        default_value_t = 10
    )]
    login_limit: u32,
    /// Seconds between two code sends to one address.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_CODE_RESEND_SECS",
        default_value_t = 30
    )]
    code_resend_secs: u64,
    /// Code sends an hour per address and client IP.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_CODES_PER_EMAIL_IP",
        default_value_t = 10
    )]
    codes_per_email_ip: u32,
    /// Code sends an hour per address, counted for clients that had not sent it one this hour.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_CODES_PER_EMAIL",
        default_value_t = 50
    )]
    codes_per_email: u32,
    /// Code sends an hour per client IP.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_CODES_PER_IP",
        default_value_t = 60
    )]
    codes_per_ip: u32,
    /// Wrong second factors an hour per account, across challenges and IPs.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_MFA_FAILURE_LIMIT",
        default_value_t = 10
    )]
    mfa_failure_limit: u32,
    /// Session token lifetime in seconds.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_SESSION_TTL",
        default_value_t = 900
    )]
    session_ttl: u64,
    /// Believe the client address that a proxy in this network adds to
    /// `Forwarded` or `X-Forwarded-For` (repeatable; only its own hop).
    /// Without it those headers are ignored.
    #[arg(
        long,
        value_name = "CIDR",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_TRUST_PROXY",
        value_delimiter = ','
    )]
    trust_proxy: Vec<crate::Cidr>,
    /// The address people reach this server at, behind a proxy (https://keys.example.com): the device login's verification URL is under it [default: http:// and --addr].
    #[arg(
        long,
        value_name = "URL",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_PUBLIC_URL",
        value_parser = public_url
    )]
    public_url: Option<String>,
    #[command(flatten)]
    oidc: OidcArgs,
    /// Share every rate-limit budget with the other instances through this
    /// Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH. Without
    /// it, and while it does not answer, each instance counts alone.
    #[arg(
        long,
        value_name = "URL",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_REDIS"
    )]
    redis: Option<String>,
    /// Put before every Redis key this server writes, so that deployments can share one Redis.
    #[arg(
        long,
        value_name = "PREFIX",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_REDIS_PREFIX",
        default_value = Config::DEFAULT_REDIS_PREFIX
    )]
    redis_prefix: String,
    /// Days an audit event is kept before it is pruned.
    #[arg(
        long,
        value_name = "DAYS",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_AUDIT_RETENTION_DAYS",
        default_value_t = 90,
        value_parser = clap::value_parser!(u32).range(1..=3650)
    )]
    audit_retention_days: u32,
    /// Time a client has to send a request's headers, from the connection's opening or their first byte.
    #[arg(long, hide_env_values = true, env = "SCRIPTO_SERVER_HEADER_TIMEOUT", default_value = "10s", value_parser = duration)]
    header_timeout: Duration,
    /// Time a client has to send a request's body, after its headers.
    #[arg(long, hide_env_values = true, env = "SCRIPTO_SERVER_BODY_TIMEOUT", default_value = "30s", value_parser = duration)]
    body_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request.
    #[arg(long, hide_env_values = true, env = "SCRIPTO_SERVER_IDLE_TIMEOUT", default_value = "60s", value_parser = duration)]
    idle_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, hide_env_values = true, env = "SCRIPTO_SERVER_MAX_CONNECTIONS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// On SIGTERM or Ctrl-C, how long requests in flight may take to finish.
    #[arg(long, hide_env_values = true, env = "SCRIPTO_SERVER_SHUTDOWN_GRACE", default_value = "10s", value_parser = duration)]
    shutdown_grace: Duration,
    /// Do not write one-time codes to the log (the outbox still gets them).
    #[arg(long, hide_env_values = true, env = "SCRIPTO_SERVER_NO_LOG_CODES")]
    no_log_codes: bool,
    /// Log level: error, warn, info, debug or trace.
    #[arg(
        long,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_LOG",
        default_value = "info"
    )]
    log: tracing::Level,
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum, default_value = "developer")]
        role: RoleArg,
        /// The organization (created if missing) [default: a new one named after the e-mail].
        #[arg(long)]
        org: Option<String>,
        /// Read a password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
        /// Enrol TOTP and make backup codes.
        #[arg(long)]
        mfa: bool,
        /// The server's name in authenticator apps (with the organization's) [default: "scripto on HOST" from SCRIPTO_SERVER_ADDR, else "scripto"].
        #[arg(long, env = "SCRIPTO_SERVER_ISSUER", value_name = "NAME")]
        issuer: Option<String>,
        /// Print {"user_id", "org_id", "totp_uri"?, "totp_secret_base32"?, "backup_codes"?}.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Change a user's role.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[command(flatten)]
        db: DbArg,
    },
    /// Remove a user: their keys are revoked and sessions ended at once, on every instance.
    Remove {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
enum ProjectsCommand {
    /// Add a project to an organization; prints its id.
    Add {
        /// The organization's name.
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// Print {"project_id", "org"}.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArg,
    },
}

/// Single sign-on through an OpenID Connect provider. The client secret
/// is never a flag's value (it would show in `ps`): a file, or the
/// environment.
#[derive(Args, Clone)]
#[command(next_help_heading = "Single sign-on (OpenID Connect)")]
struct OidcArgs {
    /// The provider's issuer URL; its discovery document is read from URL/.well-known/openid-configuration at start. Register <public URL>/auth/oidc/callback as the redirect URI there.
    #[arg(
        long,
        value_name = "URL",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OIDC_ISSUER",
        requires_all = ["oidc_client_id", "oidc_org"]
    )]
    oidc_issuer: Option<String>,
    /// The client id this server has at the provider.
    #[arg(
        long,
        value_name = "ID",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OIDC_CLIENT_ID",
        requires = "oidc_issuer"
    )]
    oidc_client_id: Option<String>,
    /// A file holding the client secret (else the SCRIPTO_SERVER_OIDC_CLIENT_SECRET environment variable).
    #[arg(
        long,
        value_name = "PATH",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OIDC_CLIENT_SECRET_FILE",
        requires = "oidc_issuer"
    )]
    oidc_client_secret_file: Option<PathBuf>,
    /// The sign-in button reads "Sign in with NAME".
    #[arg(
        long,
        value_name = "NAME",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OIDC_NAME",
        default_value = "single sign-on"
    )]
    oidc_name: String,
    /// The organization that people new to this server join when they first sign in (created if there is none by that name).
    #[arg(
        long,
        value_name = "ORG",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OIDC_ORG",
        requires = "oidc_issuer"
    )]
    oidc_org: Option<String>,
    /// Their role there.
    #[arg(
        long,
        value_enum,
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OIDC_ROLE",
        default_value = "member"
    )]
    oidc_role: OidcRoleArg,
    /// Only people with an address in this domain join when they first sign in (repeatable; known users sign in whatever their domain). Without it, every address the provider verifies joins: set it for a provider anyone can have an account at.
    #[arg(
        long,
        value_name = "DOMAIN",
        hide_env_values = true,
        env = "SCRIPTO_SERVER_OIDC_ALLOWED_DOMAINS",
        value_delimiter = ',',
        requires = "oidc_issuer"
    )]
    oidc_allowed_domain: Vec<String>,
}

/// The environment variable of the client secret.
const OIDC_SECRET_ENV: &str = "SCRIPTO_SERVER_OIDC_CLIENT_SECRET";

impl OidcArgs {
    /// The settings, with the secret read from its file or the
    /// environment; `None` without `--oidc-issuer`.
    fn settings(self) -> Result<Option<crate::OidcSettings>, String> {
        let Some(issuer) = self.oidc_issuer else {
            return Ok(None);
        };
        crate::oidc::check_url(&issuer).map_err(|e| format!("--oidc-issuer: {e}"))?;
        let from_env = std::env::var(OIDC_SECRET_ENV)
            .ok()
            .filter(|s| !s.is_empty());
        let secret = match (&self.oidc_client_secret_file, from_env) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "the OpenID Connect client secret is given twice: keep --oidc-client-secret-file or {OIDC_SECRET_ENV}"
                ));
            }
            (Some(path), None) => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the client secret file {}: {e}", path.display()))?
                .trim()
                .to_owned(),
            (None, Some(s)) => s,
            (None, None) => {
                return Err(format!(
                    "single sign-on needs the client secret: --oidc-client-secret-file PATH or {OIDC_SECRET_ENV}"
                ));
            }
        };
        if secret.is_empty() {
            return Err("the OpenID Connect client secret is empty".to_owned());
        }
        let mut allowed_domains = Vec::new();
        for d in self.oidc_allowed_domain {
            let d = d.trim().trim_start_matches('@').to_ascii_lowercase();
            if d.is_empty() || !d.contains('.') || d.contains(['@', '/', ' ']) {
                return Err(format!(
                    "--oidc-allowed-domain: {d:?} is not a domain (write it like example.com)"
                ));
            }
            allowed_domains.push(d);
        }
        if allowed_domains.is_empty() {
            tracing::warn!(
                "single sign-on: every address the provider verifies joins the organization; --oidc-allowed-domain limits who may join"
            );
        }
        let org = self.oidc_org.unwrap_or_default();
        if org.trim().is_empty() || org.chars().count() > 100 {
            return Err("--oidc-org: an organization name has 1 to 100 characters".to_owned());
        }
        Ok(Some(crate::OidcSettings {
            issuer,
            client_id: self.oidc_client_id.unwrap_or_default(),
            client_secret: scripto_wire::Secret::new(secret),
            name: self.oidc_name,
            org,
            role: match self.oidc_role {
                OidcRoleArg::Member => Role::Member,
                OidcRoleArg::Developer => Role::Developer,
            },
            allowed_domains,
        }))
    }
}

/// The roles single sign-on gives a new user: never admin, which only an
/// admin command gives.
#[derive(Clone, Copy, ValueEnum)]
enum OidcRoleArg {
    Member,
    Developer,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Member,
    Developer,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Member => Role::Member,
            RoleArg::Developer => Role::Developer,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// The clap tree of `scripto-server`.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Parses the process arguments and runs; the binary's `main`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve),
        Some(Command::Serve(args)) => serve(*args),
        Some(Command::Users(c)) => users(c),
        Some(Command::Projects(c)) => projects(c),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scripto-server: {e}");
            ExitCode::FAILURE
        }
    }
}

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// An `http://` or `https://` URL with a host and no query or fragment,
/// without its trailing `/`.
fn public_url(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("must begin with https:// or http://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("has no host (write it like https://keys.example.com)".to_owned());
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("may not hold a query, a fragment or spaces".to_owned());
    }
    Ok(s.trim_end_matches('/').to_owned())
}

/// A duration as `10s`, `500ms` or `1m`: more than zero, at most a day.
fn duration(s: &str) -> Result<Duration, String> {
    let d =
        humantime::parse_duration(s).map_err(|e| format!("{e} (write it like 10s or 500ms)"))?;
    if d.is_zero() || d > Duration::from_secs(86_400) {
        return Err("must be more than 0 and at most a day (24h)".to_owned());
    }
    Ok(d)
}

fn serve(args: ServeArgs) -> Result<(), AnyError> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(args.log)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let mut config = Config::for_db(args.db.url());
    if let Some(k) = &args.db.key_file {
        config.key_path = k.clone();
    }
    config.addr = args.addr;
    if let Some(o) = args.outbox {
        config.outbox_path = o;
    }
    config.trusted_proxies = args.trust_proxy;
    config.public_url = args.public_url;
    config.oidc = args.oidc.settings()?;
    config.redis_url = args.redis.map(scripto_wire::Secret::new);
    config.redis_prefix = args.redis_prefix;
    config.audit_retention_days = args.audit_retention_days;
    let l = &mut config.limits;
    l.credential_per_minute = args.credential_limit;
    l.anonymous_per_minute_per_ip = args.anonymous_limit;
    l.login_per_minute_per_email = args.login_limit;
    l.login_per_minute_per_ip = args.login_limit;
    l.code_resend_secs = args.code_resend_secs;
    l.code_sends_per_hour_per_email_ip = args.codes_per_email_ip;
    l.code_sends_per_hour_per_email = args.codes_per_email;
    l.mfa_failures_per_hour_per_account = args.mfa_failure_limit;
    l.code_sends_per_hour_per_ip = args.codes_per_ip;
    l.session_ttl_secs = args.session_ttl;
    l.header_timeout = args.header_timeout;
    l.body_timeout = args.body_timeout;
    l.idle_timeout = args.idle_timeout;
    l.max_connections = args.max_connections as usize;
    l.shutdown_grace = args.shutdown_grace;
    config.log_codes = !args.no_log_codes;
    let addr = config.addr;
    let outbox = config.outbox_path.clone();
    let db = config.db.clone();
    let counts_alone = db.is_postgres() && config.redis_url.is_none();
    let state = AppState::new(config)?;
    if counts_alone {
        // Several instances on one database are the point of PostgreSQL.
        tracing::warn!(
            "no --redis: each instance counts rate limits alone, so N instances allow up to N times each budget"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        state.discover_sso().await?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let url = format!("http://{}", listener.local_addr()?);
        // Said once: a banner for a person at a terminal, else two log lines
        // a log collector can parse.
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprint!("{}", banner(&url, &db, &outbox));
        } else {
            tracing::info!(%url, %db, "scripto-server listening");
            tracing::info!(outbox = %outbox.display(), "one-time codes go to the log and to the outbox");
        }
        crate::serve_on(state, listener, crate::shutdown_signal()).await?;
        Ok::<(), AnyError>(())
    })?;
    // A database task still running (each is bounded by the busy timeout)
    // must not hold the exit up.
    runtime.shutdown_timeout(Duration::from_secs(1));
    tracing::info!("stopped");
    Ok(())
}

/// The start banner. `try:` is the shortest command that works against this
/// server: scripto's default server needs no `--api-url`, and at a terminal
/// `auth login` asks for the address.
fn banner(url: &str, db: &DbUrl, outbox: &std::path::Path) -> String {
    // scripto's built-in --api-url (src/settings.rs DEFAULT_API_URL).
    const SCRIPTO_DEFAULT_URL: &str = "http://127.0.0.1:8787";
    let api_url = if url == SCRIPTO_DEFAULT_URL {
        String::new()
    } else {
        format!(" --api-url {url}")
    };
    format!(
        "scripto-server listening on {url}\n  database: {}\n  one-time codes: this log and {}\n  try: scripto{api_url} auth login\n",
        db,
        outbox.display()
    )
}

fn users(c: UsersCommand) -> Result<(), AnyError> {
    match c {
        UsersCommand::Add {
            email,
            role,
            org,
            password_stdin,
            mfa,
            issuer,
            json,
            db,
        } => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                let line = s.lines().next().unwrap_or("").to_owned();
                if line.is_empty() {
                    return Err("--password-stdin: standard input has no password".into());
                }
                Some(line)
            } else {
                None
            };
            let added = admin::add_user(
                db.target(),
                AddUser {
                    email: email.clone(),
                    role: role.into(),
                    org,
                    password,
                    mfa,
                    issuer: Some(issuer.unwrap_or_else(default_issuer)),
                },
            )?;
            if json {
                println!("{}", serde_json::to_string_pretty(&added)?);
            } else {
                let how = if added.org_created {
                    "created the organization"
                } else {
                    "joined the existing organization"
                };
                println!(
                    "added {email} (user {}): {how} {} ({})",
                    added.user_id, added.org_name, added.org_id
                );
                if let Some(uri) = &added.totp_uri {
                    println!();
                    println!("TOTP (add to an authenticator app; shown only this once):");
                    println!("  {uri}");
                    if let Some(secret) = &added.totp_secret_base32 {
                        println!("  secret, to type in by hand: {secret}");
                    }
                    if std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && let Some(qr) = qr_code(uri)
                    {
                        println!();
                        println!("{qr}");
                    }
                }
                if let Some(codes) = &added.backup_codes {
                    println!();
                    println!("Backup codes (each works once; shown only this once):");
                    for c in codes {
                        println!("  {c}");
                    }
                }
            }
            Ok(())
        }
        UsersCommand::SetRole { email, role, db } => {
            admin::set_role(db.target(), &email, role.into())?;
            println!("{email} is now {}", Role::from(role).as_str());
            Ok(())
        }
        UsersCommand::Remove { email, db } => {
            let revoked = admin::remove_user(db.target(), &email)?;
            println!("removed {email}: {revoked} key(s) revoked, sessions ended");
            Ok(())
        }
    }
}

/// "scripto on HOST" for the address `serve` is told to listen on (the
/// same SCRIPTO_SERVER_ADDR), else "scripto".
fn default_issuer() -> String {
    let addr = std::env::var("SCRIPTO_SERVER_ADDR")
        .ok()
        .and_then(|a| a.parse::<SocketAddr>().ok());
    match addr {
        Some(a) if !a.ip().is_unspecified() => format!("scripto on {}", a.ip()),
        _ => "scripto".to_owned(),
    }
}

/// `text` as a QR code of Unicode half blocks, light modules drawn, for a
/// terminal with a dark background (as `qrencode -t UTF8` draws it).
fn qr_code(text: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

fn projects(c: ProjectsCommand) -> Result<(), AnyError> {
    match c {
        ProjectsCommand::Add {
            org,
            name,
            json,
            db,
        } => {
            let id = admin::add_project(db.target(), &org, &name)?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "project_id": id, "org": org, "name": name })
                );
            } else {
                println!("{id}");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn the_command_tree_is_consistent() {
        super::command().debug_assert();
    }

    #[test]
    fn a_public_url_is_http_or_https_with_a_host_and_loses_its_trailing_slash() {
        assert_eq!(
            super::public_url("https://keys.example.com/").as_deref(),
            Ok("https://keys.example.com")
        );
        assert_eq!(
            super::public_url("http://10.0.0.5:8787/scripto").as_deref(),
            Ok("http://10.0.0.5:8787/scripto")
        );
        for bad in [
            "keys.example.com",
            "ftp://keys.example.com",
            "https://",
            "https:///path",
            "https://keys.example.com/?x=1",
            "https://keys.example.com/#top",
            "https://keys example.com",
        ] {
            assert!(super::public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_qr_code_is_drawn_with_half_blocks() {
        let qr = super::qr_code("otpauth://totp/x:y?secret=ABC").unwrap();
        let lines: Vec<&str> = qr.lines().collect();
        assert!(lines.len() > 10);
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() == lines[0].chars().count())
        );
        assert!(
            qr.chars()
                .all(|c| " \u{2580}\u{2584}\u{2588}\n".contains(c))
        );
    }

    #[test]
    fn the_banner_tries_the_shortest_command_and_is_the_one_in_the_readme_and_docs() {
        let data = Path::new("/home/you/.local/share/scripto-server");
        let shown = super::banner(
            "http://127.0.0.1:8787",
            &crate::DbUrl::Sqlite(data.join("scripto.db")),
            &data.join("outbox.jsonl"),
        );
        assert!(shown.ends_with("  try: scripto auth login\n"), "{shown}");
        assert!(include_str!("../../README.md").contains(&shown), "{shown}");
        assert!(
            include_str!("../../docs/server.md").contains(&shown),
            "{shown}"
        );

        let elsewhere = super::banner(
            "http://127.0.0.1:9000",
            &crate::DbUrl::Sqlite(data.join("scripto.db")),
            &data.join("outbox.jsonl"),
        );
        assert!(
            elsewhere.ends_with("  try: scripto --api-url http://127.0.0.1:9000 auth login\n"),
            "{elsewhere}"
        );
    }
}
