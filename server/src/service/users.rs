//! Users, roles and projects, as the admin subcommands (`users add`,
//! `users set-role`, `users remove`, `projects add`) manage them; tests
//! call these too (the crate exports this module as `admin`). They open
//! the database directly (migrating it if needed), SQLite file or
//! PostgreSQL, so they work whether or not servers are running on it; a
//! change that a running server caches reaches it through `auth_epoch`
//! (`crate::key_cache`).

use std::path::{Path, PathBuf};

use scripto_wire::types::{Role, User};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor, Event, EventType, Target as EventTarget};
use crate::config::{Config, PasswordHashing, key_path_for};
use crate::crypto::{ServerKey, base32, hash_password};
use crate::service::mfa::normalize_backup_code;
use crate::store::{self, DbUrl, ProjectRow, Store, StoreError, UserRow};
use crate::util::{new_id, normalize_email, now, random_below, random_bytes};

/// A user as the API shows it.
pub fn user_json(u: &UserRow) -> User {
    User {
        id: u.id.clone(),
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role,
    }
}

/// The database an admin command works on, and the server key that goes
/// with it: beside a SQLite file, else in the data directory.
#[derive(Debug, Clone)]
pub struct Target {
    pub db: DbUrl,
    pub key_path: PathBuf,
}

impl From<DbUrl> for Target {
    fn from(db: DbUrl) -> Target {
        let key_path = Config::for_db(db.clone()).key_path;
        Target { db, key_path }
    }
}

impl From<&DbUrl> for Target {
    fn from(db: &DbUrl) -> Target {
        Target::from(db.clone())
    }
}

impl From<&Path> for Target {
    fn from(path: &Path) -> Target {
        Target {
            db: DbUrl::Sqlite(path.to_path_buf()),
            key_path: key_path_for(path),
        }
    }
}

impl From<&Target> for Target {
    fn from(t: &Target) -> Target {
        t.clone()
    }
}

impl From<&Config> for Target {
    fn from(c: &Config) -> Target {
        Target {
            db: c.db.clone(),
            key_path: c.key_path.clone(),
        }
    }
}

/// `users add`.
#[derive(Debug, Clone)]
pub struct AddUser {
    pub email: String,
    pub role: Role,
    /// The organization's name; created if there is none by that name.
    /// `None`: a new organization named after the address.
    pub org: Option<String>,
    pub password: Option<String>,
    /// Enrol TOTP and make 10 backup codes (shown once, here).
    pub mfa: bool,
    /// The server's name in authenticator apps, beside the organization's
    /// (`None`: "scripto").
    pub issuer: Option<String>,
}

/// What `users add` prints (`--json`). The TOTP secret and backup codes
/// appear here once and are never shown again.
#[derive(Debug, Clone, Serialize)]
pub struct AddedUser {
    pub user_id: String,
    pub org_id: String,
    /// The organization's name (the address itself when no --org was given).
    pub org_name: String,
    /// Whether this command created the organization (else the user joined
    /// an existing one), so the admin sees which happened.
    pub org_created: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp_secret_base32: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_codes: Option<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("database {db}: {source}")]
    Db { db: DbUrl, source: StoreError },
    /// A database error not yet tied to its database (see [`AdminError::at`]).
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("server key: {0}")]
    Key(#[from] std::io::Error),
    #[error("`{0}` is not an e-mail address")]
    InvalidEmail(String),
    #[error("a user with the e-mail {0} already exists")]
    UserExists(String),
    #[error("no user with the e-mail {0}")]
    NoSuchUser(String),
    #[error("no organization named {0:?}")]
    NoSuchOrg(String),
    #[error("organization {org:?} already has a project named {name:?}")]
    ProjectExists { org: String, name: String },
    #[error("{0}")]
    Invalid(String),
}

impl AdminError {
    /// Names the database in a database error.
    fn at(self, db: &DbUrl) -> AdminError {
        match self {
            AdminError::Store(source) => AdminError::Db {
                db: db.clone(),
                source,
            },
            other => other,
        }
    }
}

fn open(db: &DbUrl) -> Result<Store, AdminError> {
    Store::open(db).map_err(|source| AdminError::Db {
        db: db.clone(),
        source,
    })
}

const BACKUP_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

fn backup_code() -> String {
    let mut s = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            s.push('-');
        }
        s.push(BACKUP_ALPHABET[random_below(32) as usize] as char);
    }
    s
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The issuer of a TOTP entry: the server and the organization, so that two
/// servers, or two organizations of one, do not look alike in an
/// authenticator app (`scripto on 10.0.0.5 (Acme)`). The Key URI Format
/// allows no colon in it.
fn totp_issuer(server: &str, org: &str) -> String {
    format!("{server} ({org})").replace(':', "-")
}

/// Adds a user with the default Argon2id cost.
pub fn add_user(db: impl Into<Target>, req: AddUser) -> Result<AddedUser, AdminError> {
    add_user_with(db, req, &PasswordHashing::default())
}

/// Adds a user, hashing the password with `hashing`.
pub fn add_user_with(
    db: impl Into<Target>,
    req: AddUser,
    hashing: &PasswordHashing,
) -> Result<AddedUser, AdminError> {
    let target = db.into();
    let email =
        normalize_email(&req.email).ok_or_else(|| AdminError::InvalidEmail(req.email.clone()))?;
    if let Some(org) = &req.org
        && (org.trim().is_empty() || org.chars().count() > 100)
    {
        return Err(AdminError::Invalid(
            "an organization name has 1 to 100 characters".into(),
        ));
    }
    if req.password.as_deref().is_some_and(str::is_empty) {
        return Err(AdminError::Invalid("the password is empty".into()));
    }
    let store = open(&target.db)?;
    let key = ServerKey::load_or_create(&target.key_path)?;
    let password_hash = req.password.as_deref().map(|p| hash_password(hashing, p));
    let secret: Option<[u8; 20]> = req.mfa.then(random_bytes);
    let backup_codes: Option<Vec<String>> =
        req.mfa.then(|| (0..10).map(|_| backup_code()).collect());
    let (user, org_name, org_created) = store
        .with(|c| -> Result<_, AdminError> {
            let mut tx = c.write()?;
            if tx.user_by_email(&email)?.is_some() {
                return Err(AdminError::UserExists(email.clone()));
            }
            let t = now();
            let (org, org_created) = match &req.org {
                Some(name) => match tx.org_by_name(name)? {
                    Some(o) => (o, false),
                    None => (store::create_org(&mut *tx, name, t)?, true),
                },
                None => (store::create_org(&mut *tx, &email, t)?, true),
            };
            let user = UserRow {
                id: new_id("usr_"),
                org_id: org.id.clone(),
                email: email.clone(),
                name: None,
                role: req.role,
                password_hash,
                totp_secret_enc: secret.map(|s| key.seal(&s)),
            };
            tx.insert_user(&user, t)?;
            for code in backup_codes.iter().flatten() {
                let hash = key.keyed_digest(
                    "backup-code",
                    &format!("{}:{}", user.id, normalize_backup_code(code)),
                );
                tx.add_backup_code(&user.id, &hash)?;
            }
            let event = Event::new(EventType::UserAdded, &org.id, Actor::admin_command())
                .target(EventTarget::user(&user.id), &user.id)
                .details(
                    json!({ "role": user.role.as_str(), "mfa": user.totp_secret_enc.is_some() }),
                );
            audit::record(&mut *tx, &event)?;
            tx.commit()?;
            Ok((user, org.name, org_created))
        })
        .map_err(|e| e.at(&target.db))?;
    let secret_b32 = secret.map(|s| base32(&s));
    let totp_uri = secret_b32.as_ref().map(|s| {
        let issuer = totp_issuer(req.issuer.as_deref().unwrap_or("scripto"), &org_name);
        format!(
            "otpauth://totp/{issuer}:{}?secret={s}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
            percent_encode(&email),
            issuer = percent_encode(&issuer),
        )
    });
    Ok(AddedUser {
        user_id: user.id,
        org_id: user.org_id,
        org_name,
        org_created,
        totp_uri,
        totp_secret_base32: secret_b32,
        backup_codes,
    })
}

/// `users set-role`. Running servers see the change within a second: a
/// trigger bumps `auth_epoch`, which empties their key caches.
pub fn set_role(db: impl Into<Target>, email: &str, role: Role) -> Result<(), AdminError> {
    let target = db.into();
    let email_n =
        normalize_email(email).ok_or_else(|| AdminError::InvalidEmail(email.to_owned()))?;
    open(&target.db)?
        .with(|c| -> Result<(), AdminError> {
            let mut tx = c.write()?;
            let user = tx
                .user_by_email(&email_n)?
                .ok_or_else(|| AdminError::NoSuchUser(email_n.clone()))?;
            tx.set_role(&user.id, role)?;
            if user.role != role {
                let event =
                    Event::new(EventType::RoleChanged, &user.org_id, Actor::admin_command())
                        .target(EventTarget::user(&user.id), &user.id)
                        .details(json!({ "from": user.role.as_str(), "to": role.as_str() }));
                audit::record(&mut *tx, &event)?;
            }
            Ok(tx.commit()?)
        })
        .map_err(|e| e.at(&target.db))
}

/// `users remove`: the user can no longer sign in, their keys are revoked
/// and their sessions ended, in one transaction; running servers refuse
/// their keys within a second. How many keys were revoked.
pub fn remove_user(db: impl Into<Target>, email: &str) -> Result<usize, AdminError> {
    let target = db.into();
    let email_n =
        normalize_email(email).ok_or_else(|| AdminError::InvalidEmail(email.to_owned()))?;
    open(&target.db)?
        .with(|c| -> Result<usize, AdminError> {
            let mut tx = c.write()?;
            let user = tx
                .user_by_email(&email_n)?
                .ok_or_else(|| AdminError::NoSuchUser(email_n.clone()))?;
            let t = now();
            let live = tx.remove_user(&user.id, t)?;
            let event = Event::new(EventType::UserRemoved, &user.org_id, Actor::admin_command())
                .target(EventTarget::user(&user.id), &user.id)
                .details(json!({ "keys_revoked": live }));
            audit::record(&mut *tx, &event)?;
            tx.commit()?;
            Ok(live)
        })
        .map_err(|e| e.at(&target.db))
}

/// `projects add`: the new project's id.
pub fn add_project(
    db: impl Into<Target>,
    org_name: &str,
    name: &str,
) -> Result<String, AdminError> {
    let target = db.into();
    let chars = name.chars().count();
    if name.trim().is_empty() || chars > 100 || name.chars().any(char::is_control) {
        return Err(AdminError::Invalid(
            "a project name has 1 to 100 characters".into(),
        ));
    }
    open(&target.db)?
        .with(|c| -> Result<String, AdminError> {
            let mut tx = c.write()?;
            let org = tx
                .org_by_name(org_name)?
                .ok_or_else(|| AdminError::NoSuchOrg(org_name.to_owned()))?;
            let mut project = ProjectRow {
                seq: 0,
                id: new_id("proj_"),
                org_id: org.id.clone(),
                name: name.to_owned(),
                created_at: now(),
            };
            project.seq = match tx.insert_project(&project) {
                Ok(seq) => seq,
                Err(StoreError::Conflict) => {
                    return Err(AdminError::ProjectExists {
                        org: org_name.to_owned(),
                        name: name.to_owned(),
                    });
                }
                Err(e) => return Err(e.into()),
            };
            let mut event = Event::new(EventType::ProjectAdded, &org.id, Actor::admin_command())
                .details(json!({ "name": name }));
            event.target = EventTarget::project(&project.id);
            audit::record(&mut *tx, &event)?;
            tx.commit()?;
            Ok(project.id)
        })
        .map_err(|e| e.at(&target.db))
}

/// The id of the organization `email` belongs to (for tests and scripts).
pub fn org_of(db: impl Into<Target>, email: &str) -> Result<String, AdminError> {
    let target = db.into();
    let email_n =
        normalize_email(email).ok_or_else(|| AdminError::InvalidEmail(email.to_owned()))?;
    let user = open(&target.db)?
        .with(|c| c.user_by_email(&email_n))
        .map_err(|source| AdminError::Db {
            db: target.db.clone(),
            source,
        })?
        .ok_or(AdminError::NoSuchUser(email_n))?;
    Ok(user.org_id)
}

/// The name of the organization with this id.
pub fn org_name(db: impl Into<Target>, org_id: &str) -> Result<String, AdminError> {
    let target = db.into();
    open(&target.db)?
        .with(|c| c.org_by_id(org_id))
        .map_err(|source| AdminError::Db {
            db: target.db.clone(),
            source,
        })?
        .map(|o| o.name)
        .ok_or_else(|| AdminError::NoSuchOrg(org_id.to_owned()))
}
