//! SQLite: a small pool of connections in WAL mode, the migrations, and the
//! queries. Handlers run their database work on the blocking pool through
//! [`Db::run`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, Row, params};
use scripto_wire::types::{KeyType, Role, Scope};

use crate::error::ApiErr;
use crate::ip_rules::{self, Cidr};
use crate::util::{new_id, now};

/// `(version, sql)`, applied in order, each in its own transaction.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_hardening.sql")),
    (3, include_str!("../migrations/0003_key_allowed_ips.sql")),
    (4, include_str!("../migrations/0004_audit.sql")),
    (5, include_str!("../migrations/0005_rotation.sql")),
];

pub struct Db {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

const POOL_MAX: usize = 8;

impl Db {
    /// Opens (creating it and its directory if needed) and migrates.
    pub fn open(path: &Path) -> rusqlite::Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                    Some(format!("cannot create {}: {e}", dir.display())),
                )
            })?;
        }
        let existed = path.exists();
        let mut conn = open_conn(path)?;
        if !existed {
            // Digests and sealed secrets only, but still nobody else's
            // business. SQLite gives its -wal and -shm files the same mode.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
            }
        }
        migrate(&mut conn)?;
        Ok(Db {
            path: path.to_path_buf(),
            pool: Mutex::new(vec![conn]),
        })
    }

    /// Runs `f` with a pooled connection on the current thread.
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> rusqlite::Result<T> {
        let taken = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut conn = match taken {
            Some(c) => c,
            None => open_conn(&self.path)?,
        };
        let out = f(&mut conn);
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < POOL_MAX {
            pool.push(conn);
        }
        Ok(out)
    }

    /// Runs `f` with a pooled connection on tokio's blocking pool.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiErr>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, ApiErr> + Send + 'static,
    {
        let db = Arc::clone(self);
        match tokio::task::spawn_blocking(move || db.with(f)).await {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => Err(e.into()),
            Err(e) => {
                tracing::error!(error = %e, "database task failed");
                Err(ApiErr::internal())
            }
        }
    }
}

fn open_conn(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    for &(version, sql) in MIGRATIONS {
        // IMMEDIATE: two processes starting at once migrate one after the other.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            [],
            |r| r.get(0),
        )?;
        if current < version {
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_version (version) VALUES (?1)",
                [version],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

// ---- enums as text ----------------------------------------------------------

/// An unknown role in the database reads as the least privileged one.
fn parse_role(s: &str) -> Role {
    Role::from_name(s).unwrap_or(Role::Member)
}

fn scopes_str(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_scopes(s: &str) -> Vec<Scope> {
    s.split_whitespace().filter_map(Scope::from_name).collect()
}

// ---- rows -------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub plan: String,
}

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    pub password_hash: Option<String>,
    pub totp_secret_enc: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct KeyRow {
    pub seq: i64,
    pub id: String,
    pub name: String,
    pub start: String,
    pub key_type: KeyType,
    pub scopes: Vec<Scope>,
    pub project_ids: Vec<String>,
    pub owner_id: String,
    pub org_id: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// Empty: every address.
    pub allowed_ips: Vec<Cidr>,
    /// The key this one was rotated from, and the one that replaced it.
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProjectRow {
    pub seq: i64,
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub created_at: i64,
}

const USER_COLS: &str = "id, org_id, email, name, role, password_hash, totp_secret_enc";

fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        org_id: r.get(1)?,
        email: r.get(2)?,
        name: r.get(3)?,
        role: parse_role(&r.get::<_, String>(4)?),
        password_hash: r.get(5)?,
        totp_secret_enc: r.get(6)?,
    })
}

const KEY_COLS: &str = "seq, id, name, start, key_type, scopes, project_ids, owner_id, org_id, \
     created_at, expires_at, last_used_at, revoked_at, allowed_ips, replaces, replaced_by";

fn key_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        name: r.get(2)?,
        start: r.get(3)?,
        key_type: KeyType::from_name(&r.get::<_, String>(4)?).unwrap_or_default(),
        scopes: parse_scopes(&r.get::<_, String>(5)?),
        project_ids: r
            .get::<_, String>(6)?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        owner_id: r.get(7)?,
        org_id: r.get(8)?,
        created_at: r.get(9)?,
        expires_at: r.get(10)?,
        last_used_at: r.get(11)?,
        revoked_at: r.get(12)?,
        allowed_ips: ip_rules::from_stored(&r.get::<_, String>(13)?),
        replaces: r.get(14)?,
        replaced_by: r.get(15)?,
    })
}

fn project_row(r: &Row<'_>) -> rusqlite::Result<ProjectRow> {
    Ok(ProjectRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        org_id: r.get(2)?,
        name: r.get(3)?,
        created_at: r.get(4)?,
    })
}

// ---- organizations and users ------------------------------------------------

pub fn org_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<OrgRow>> {
    conn.prepare_cached("SELECT id, name, plan FROM orgs WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(OrgRow {
                id: r.get(0)?,
                name: r.get(1)?,
                plan: r.get(2)?,
            })
        })
        .optional()
}

pub fn org_by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<OrgRow>> {
    conn.prepare_cached("SELECT id, name, plan FROM orgs WHERE name = ?1")?
        .query_row([name], |r| {
            Ok(OrgRow {
                id: r.get(0)?,
                name: r.get(1)?,
                plan: r.get(2)?,
            })
        })
        .optional()
}

/// Creates an organization named `name`, or `name (2)`, `name (3)`, … if
/// the name is taken.
pub fn create_org(conn: &Connection, name: &str) -> rusqlite::Result<OrgRow> {
    let mut candidate = name.to_owned();
    let mut n = 1;
    while org_by_name(conn, &candidate)?.is_some() {
        n += 1;
        candidate = format!("{name} ({n})");
    }
    let org = OrgRow {
        id: new_id("org_"),
        name: candidate,
        plan: "free".to_owned(),
    };
    conn.execute(
        "INSERT INTO orgs (id, name, plan, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![org.id, org.name, org.plan, now()],
    )?;
    Ok(org)
}

pub fn user_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(&format!("SELECT {USER_COLS} FROM users WHERE email = ?1"))?
        .query_row([email], user_row)
        .optional()
}

pub fn user_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(&format!("SELECT {USER_COLS} FROM users WHERE id = ?1"))?
        .query_row([id], user_row)
        .optional()
}

pub struct NewUser<'a> {
    pub org_id: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub password_hash: Option<String>,
    pub totp_secret_enc: Option<Vec<u8>>,
}

pub fn create_user(conn: &Connection, u: NewUser<'_>) -> rusqlite::Result<UserRow> {
    let id = new_id("usr_");
    conn.execute(
        "INSERT INTO users (id, org_id, email, role, password_hash, totp_secret_enc, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            u.org_id,
            u.email,
            u.role.as_str(),
            u.password_hash,
            u.totp_secret_enc,
            now()
        ],
    )?;
    Ok(UserRow {
        id,
        org_id: u.org_id.to_owned(),
        email: u.email.to_owned(),
        name: None,
        role: u.role,
        password_hash: u.password_hash,
        totp_secret_enc: u.totp_secret_enc,
    })
}

/// Records that the TOTP code of `step` was used; false if that step (or a
/// later one) was already used, so each code is accepted once.
pub fn use_totp_step(conn: &Connection, user_id: &str, step: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE users SET totp_last_step = ?2 \
         WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
        params![user_id, step],
    )?;
    Ok(n == 1)
}

pub fn add_backup_code(conn: &Connection, user_id: &str, hash: &[u8]) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO backup_codes (user_id, code_hash) VALUES (?1, ?2)",
        params![user_id, hash],
    )?;
    Ok(())
}

/// Marks an unused backup code used; whether there was one.
pub fn use_backup_code(conn: &Connection, user_id: &str, hash: &[u8]) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE backup_codes SET used_at = ?3 \
         WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
        params![user_id, hash, now()],
    )?;
    Ok(n == 1)
}

// ---- keys -------------------------------------------------------------------

pub struct NewKey<'a> {
    pub digest: &'a [u8],
    pub name: &'a str,
    pub start: &'a str,
    pub key_type: KeyType,
    pub scopes: &'a [Scope],
    pub project_ids: &'a [String],
    pub owner_id: &'a str,
    pub org_id: &'a str,
    pub expires_at: Option<i64>,
    pub allowed_ips: &'a [Cidr],
    /// Set by a rotation: the key the new one replaces.
    pub replaces: Option<&'a str>,
}

pub fn insert_key(conn: &Connection, k: NewKey<'_>) -> rusqlite::Result<KeyRow> {
    let id = new_id("key_");
    let created = now();
    conn.execute(
        "INSERT INTO api_keys (id, digest, name, start, key_type, scopes, project_ids, owner_id, \
         org_id, created_at, expires_at, allowed_ips, replaces) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            id,
            k.digest,
            k.name,
            k.start,
            k.key_type.as_str(),
            scopes_str(k.scopes),
            k.project_ids.join(" "),
            k.owner_id,
            k.org_id,
            created,
            k.expires_at,
            ip_rules::to_stored(k.allowed_ips),
            k.replaces
        ],
    )?;
    Ok(KeyRow {
        seq: conn.last_insert_rowid(),
        id,
        name: k.name.to_owned(),
        start: k.start.to_owned(),
        key_type: k.key_type,
        scopes: k.scopes.to_vec(),
        project_ids: k.project_ids.to_vec(),
        owner_id: k.owner_id.to_owned(),
        org_id: k.org_id.to_owned(),
        created_at: created,
        expires_at: k.expires_at,
        last_used_at: None,
        revoked_at: None,
        allowed_ips: k.allowed_ips.to_vec(),
        replaces: k.replaces.map(str::to_owned),
        replaced_by: None,
    })
}

/// The key with this digest and its stored digest (for a constant-time
/// comparison by the caller).
pub fn key_by_digest(
    conn: &Connection,
    digest: &[u8],
) -> rusqlite::Result<Option<(KeyRow, Vec<u8>)>> {
    conn.prepare_cached(&format!(
        "SELECT {KEY_COLS}, digest FROM api_keys WHERE digest = ?1"
    ))?
    .query_row([digest], |r| Ok((key_row(r)?, r.get(16)?)))
    .optional()
}

pub fn key_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<KeyRow>> {
    conn.prepare_cached(&format!("SELECT {KEY_COLS} FROM api_keys WHERE id = ?1"))?
        .query_row([id], key_row)
        .optional()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Active,
    Expired,
    Revoked,
    All,
}

pub struct KeyQuery<'a> {
    pub org_id: &'a str,
    /// `None`: every owner of the organization.
    pub owner_id: Option<&'a str>,
    pub status: StatusFilter,
    /// Only keys older than this `seq` (the cursor).
    pub before_seq: Option<i64>,
    pub limit: usize,
    pub now: i64,
}

/// Newest first; `limit + 1` rows at most, so the caller can tell `has_more`.
pub fn list_keys(conn: &Connection, q: &KeyQuery<'_>) -> rusqlite::Result<Vec<KeyRow>> {
    let status = match q.status {
        StatusFilter::Active => "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?3)",
        StatusFilter::Expired => {
            "revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?3"
        }
        StatusFilter::Revoked => "revoked_at IS NOT NULL AND ?3 = ?3",
        StatusFilter::All => "?3 = ?3",
    };
    let sql = format!(
        "SELECT {KEY_COLS} FROM api_keys WHERE org_id = ?1 AND (?2 IS NULL OR owner_id = ?2) \
         AND {status} AND seq < ?4 ORDER BY seq DESC LIMIT ?5"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            q.org_id,
            q.owner_id,
            q.now,
            // A plain `seq < ?4` (no `?4 IS NULL OR`) lets SQLite seek in
            // the (org_id, seq) index; with the OR it walked every newer row,
            // so each page of `--all` cost more than the last (bench/run).
            q.before_seq.unwrap_or(i64::MAX),
            (q.limit + 1) as i64
        ],
        key_row,
    )?;
    rows.collect()
}

/// Sets `revoked_at` unless already set; the key as it now is.
pub fn revoke_key(conn: &Connection, id: &str) -> rusqlite::Result<Option<KeyRow>> {
    conn.execute(
        "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now()],
    )?;
    key_by_id(conn, id)
}

/// Links `old_id` to its successor and ends it: revoked now when
/// `ends_at` is `None`, else expiring at `ends_at` (never later than it
/// already would). False, and nothing changed, when the key already has a
/// successor: the guard is in the `UPDATE` itself, so two rotations racing
/// cannot both succeed.
pub fn retire_rotated_key(
    conn: &Connection,
    old_id: &str,
    successor_id: &str,
    ends_at: Option<i64>,
) -> rusqlite::Result<bool> {
    let n = match ends_at {
        None => conn.execute(
            "UPDATE api_keys SET replaced_by = ?2, revoked_at = COALESCE(revoked_at, ?3) \
             WHERE id = ?1 AND replaced_by IS NULL",
            params![old_id, successor_id, now()],
        )?,
        Some(at) => conn.execute(
            "UPDATE api_keys SET replaced_by = ?2, \
             expires_at = CASE WHEN expires_at IS NULL OR expires_at > ?3 THEN ?3 ELSE expires_at END \
             WHERE id = ?1 AND replaced_by IS NULL",
            params![old_id, successor_id, at],
        )?,
    };
    Ok(n == 1)
}

pub fn write_last_used(conn: &mut Connection, uses: &[(String, i64)]) -> rusqlite::Result<()> {
    let tx = write_tx(conn)?;
    {
        let mut stmt = tx.prepare_cached(
            "UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), ?2) WHERE id = ?1",
        )?;
        for (id, ts) in uses {
            stmt.execute(params![id, ts])?;
        }
    }
    tx.commit()
}

// ---- projects ---------------------------------------------------------------

pub fn insert_project(conn: &Connection, org_id: &str, name: &str) -> rusqlite::Result<ProjectRow> {
    let id = new_id("proj_");
    let created = now();
    conn.execute(
        "INSERT INTO projects (id, org_id, name, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, org_id, name, created],
    )?;
    Ok(ProjectRow {
        seq: conn.last_insert_rowid(),
        id,
        org_id: org_id.to_owned(),
        name: name.to_owned(),
        created_at: created,
    })
}

pub fn project_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<ProjectRow>> {
    conn.prepare_cached("SELECT seq, id, org_id, name, created_at FROM projects WHERE id = ?1")?
        .query_row([id], project_row)
        .optional()
}

/// Oldest first, `limit + 1` rows at most.
pub fn list_projects(
    conn: &Connection,
    org_id: &str,
    after_seq: Option<i64>,
    limit: usize,
) -> rusqlite::Result<Vec<ProjectRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, id, org_id, name, created_at FROM projects \
         WHERE org_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    // A plain `seq > ?2` lets SQLite seek in the index, as in `list_keys`.
    let after = after_seq.unwrap_or(i64::MIN);
    let rows = stmt.query_map(params![org_id, after, (limit + 1) as i64], project_row)?;
    rows.collect()
}

// ---- one-time codes, MFA challenges, sessions -------------------------------

/// One live code: for an address, sent at the request of one client.
pub struct CodeRow {
    pub client: String,
    pub code_hash: Vec<u8>,
    pub expires_at: i64,
    pub failures: u32,
}

/// Stores the code `client` asked for, replacing that client's previous
/// one only.
pub fn put_code(
    conn: &Connection,
    email: &str,
    client: &str,
    hash: &[u8],
    expires_at: i64,
) -> rusqlite::Result<()> {
    // Codes of other addresses that ran out a day ago are of no use: sweep.
    conn.execute(
        "DELETE FROM login_codes WHERE expires_at < ?1",
        [now() - 86_400],
    )?;
    conn.execute(
        "INSERT INTO login_codes (email, client, code_hash, expires_at, failures) \
         VALUES (?1, ?2, ?3, ?4, 0) \
         ON CONFLICT (email, client) DO UPDATE SET code_hash = ?3, expires_at = ?4, failures = 0",
        params![email, client, hash, expires_at],
    )?;
    Ok(())
}

/// Every code stored for `email`, live or not.
pub fn codes_for(conn: &Connection, email: &str) -> rusqlite::Result<Vec<CodeRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT client, code_hash, expires_at, failures FROM login_codes WHERE email = ?1",
    )?;
    let rows = stmt.query_map([email], |r| {
        Ok(CodeRow {
            client: r.get(0)?,
            code_hash: r.get(1)?,
            expires_at: r.get(2)?,
            failures: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub fn set_code_failures(
    conn: &Connection,
    email: &str,
    client: &str,
    failures: u32,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE login_codes SET failures = ?3 WHERE email = ?1 AND client = ?2",
        params![email, client, failures],
    )?;
    Ok(())
}

pub fn delete_code(conn: &Connection, email: &str, client: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM login_codes WHERE email = ?1 AND client = ?2",
        params![email, client],
    )?;
    Ok(())
}

/// Deletes every code of `email`; how many there were.
pub fn delete_codes(conn: &Connection, email: &str) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM login_codes WHERE email = ?1", [email])
}

/// What passing an MFA challenge finishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengeFor {
    /// A password login: a session.
    Session,
    /// An e-mail code login: the key it asked for.
    Key {
        name: String,
        expires_in_days: Option<u32>,
    },
}

pub struct ChallengeRow {
    pub user_id: String,
    pub expires_at: i64,
    pub failures: u32,
    pub purpose: ChallengeFor,
}

pub fn put_challenge(
    conn: &Connection,
    hash: &[u8],
    user_id: &str,
    expires_at: i64,
    purpose: &ChallengeFor,
) -> rusqlite::Result<()> {
    let (kind, name, days) = match purpose {
        ChallengeFor::Session => ("session", None, None),
        ChallengeFor::Key {
            name,
            expires_in_days,
        } => ("key", Some(name.as_str()), *expires_in_days),
    };
    conn.execute(
        "INSERT INTO mfa_challenges (token_hash, user_id, expires_at, purpose, key_name, \
         key_expires_in_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![hash, user_id, expires_at, kind, name, days],
    )?;
    Ok(())
}

pub fn get_challenge(conn: &Connection, hash: &[u8]) -> rusqlite::Result<Option<ChallengeRow>> {
    conn.prepare_cached(
        "SELECT user_id, expires_at, failures, purpose, key_name, key_expires_in_days \
         FROM mfa_challenges WHERE token_hash = ?1",
    )?
    .query_row([hash], |r| {
        let purpose = match r.get::<_, String>(3)?.as_str() {
            "key" => ChallengeFor::Key {
                name: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                expires_in_days: r.get(5)?,
            },
            _ => ChallengeFor::Session,
        };
        Ok(ChallengeRow {
            user_id: r.get(0)?,
            expires_at: r.get(1)?,
            failures: r.get(2)?,
            purpose,
        })
    })
    .optional()
}

pub fn set_challenge_failures(
    conn: &Connection,
    hash: &[u8],
    failures: u32,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE mfa_challenges SET failures = ?2 WHERE token_hash = ?1",
        params![hash, failures],
    )?;
    Ok(())
}

/// Whether there was a challenge to delete (so it is used only once).
pub fn delete_challenge(conn: &Connection, hash: &[u8]) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM mfa_challenges WHERE token_hash = ?1", [hash])? == 1)
}

/// The failed second factors of `user_id` at or after `since`: how many,
/// and when the oldest of them was.
pub fn mfa_failures_since(
    conn: &Connection,
    user_id: &str,
    since: i64,
) -> rusqlite::Result<(u32, Option<i64>)> {
    conn.prepare_cached(
        "SELECT COUNT(*), MIN(at) FROM mfa_failures WHERE user_id = ?1 AND at >= ?2",
    )?
    .query_row(params![user_id, since], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Records a failed second factor of `user_id` (and forgets those older
/// than `keep_since`).
pub fn record_mfa_failure(
    conn: &Connection,
    user_id: &str,
    at: i64,
    keep_since: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM mfa_failures WHERE user_id = ?1 AND at < ?2",
        params![user_id, keep_since],
    )?;
    conn.execute(
        "INSERT INTO mfa_failures (user_id, at) VALUES (?1, ?2)",
        params![user_id, at],
    )?;
    conn.execute(
        "UPDATE users SET mfa_failures_since_login = mfa_failures_since_login + 1 WHERE id = ?1",
        [user_id],
    )?;
    Ok(())
}

/// The failed second factors since the last successful login, reset to 0
/// by this one.
pub fn take_mfa_failures_since_login(conn: &Connection, user_id: &str) -> rusqlite::Result<u32> {
    let n: u32 = conn
        .prepare_cached("SELECT mfa_failures_since_login FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    if n > 0 {
        conn.execute(
            "UPDATE users SET mfa_failures_since_login = 0 WHERE id = ?1",
            [user_id],
        )?;
    }
    Ok(n)
}

/// The change counter of everything a cached key verification depends on
/// (bumped by triggers, whoever writes).
pub fn auth_epoch(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT n FROM auth_epoch")?
        .query_row([], |r| r.get(0))
}

pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub expires_at: i64,
}

pub fn put_session(
    conn: &Connection,
    hash: &[u8],
    user_id: &str,
    expires_at: i64,
) -> rusqlite::Result<String> {
    let id = new_id("ses_");
    // Expired sessions and challenges are of no use to anyone: sweep them
    // whenever a new session is made.
    let t = now();
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [t - 86_400])?;
    conn.execute("DELETE FROM mfa_challenges WHERE expires_at < ?1", [t])?;
    conn.execute(
        "INSERT INTO sessions (token_hash, id, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![hash, id, user_id, expires_at],
    )?;
    Ok(id)
}

pub fn get_session(conn: &Connection, hash: &[u8]) -> rusqlite::Result<Option<SessionRow>> {
    conn.prepare_cached("SELECT id, user_id, expires_at FROM sessions WHERE token_hash = ?1")?
        .query_row([hash], |r| {
            Ok(SessionRow {
                id: r.get(0)?,
                user_id: r.get(1)?,
                expires_at: r.get(2)?,
            })
        })
        .optional()
}

/// A transaction that takes the write lock at once. A deferred one that
/// reads and then writes fails with `SQLITE_BUSY` at once (the busy timeout
/// cannot help) if another connection wrote in between.
/// Sets a user's role.
pub fn set_role(conn: &Connection, user_id: &str, role: Role) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE users SET role = ?2 WHERE id = ?1")?
        .execute(params![user_id, role.as_str()])?;
    Ok(())
}

pub fn write_tx(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}
