//! What the `users` and `projects` subcommands do, as functions tests can
//! call. They open the database directly (migrating it if needed), so they
//! work whether or not a server is running on it.

use std::path::Path;

use scripto_wire::types::Role;
use serde::Serialize;

use crate::config::{PasswordHashing, key_path_for};
use crate::crypto::{ServerKey, base32, hash_password};
use serde_json::json;

use crate::audit::{self, Actor, Event, EventType, Target};
use crate::db::{self, Db, NewUser};
use crate::mfa::normalize_backup_code;
use crate::util::{normalize_email, random_below, random_bytes};

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
    #[error("database {path}: {source}")]
    Db {
        path: String,
        source: rusqlite::Error,
    },
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

fn open(db_path: &Path) -> Result<Db, AdminError> {
    Db::open(db_path).map_err(|source| AdminError::Db {
        path: db_path.display().to_string(),
        source,
    })
}

fn db_err(db_path: &Path) -> impl Fn(rusqlite::Error) -> AdminError + '_ {
    move |source| AdminError::Db {
        path: db_path.display().to_string(),
        source,
    }
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
pub fn add_user(db_path: &Path, req: AddUser) -> Result<AddedUser, AdminError> {
    add_user_with(db_path, req, &PasswordHashing::default())
}

/// Adds a user, hashing the password with `hashing`.
pub fn add_user_with(
    db_path: &Path,
    req: AddUser,
    hashing: &PasswordHashing,
) -> Result<AddedUser, AdminError> {
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
    let db = open(db_path)?;
    let key = ServerKey::load_or_create(&key_path_for(db_path))?;
    let password_hash = req.password.as_deref().map(|p| hash_password(hashing, p));
    let secret: Option<[u8; 20]> = req.mfa.then(random_bytes);
    let sealed = secret.map(|s| key.seal(&s));
    let backup_codes: Option<Vec<String>> =
        req.mfa.then(|| (0..10).map(|_| backup_code()).collect());
    let codes = backup_codes.clone();
    let (user, org_id, org_name, org_created) = db
        .with(|conn| -> Result<_, AdminError> {
            let err = db_err(db_path);
            let tx = db::write_tx(conn).map_err(&err)?;
            if db::user_by_email(&tx, &email).map_err(&err)?.is_some() {
                return Err(AdminError::UserExists(email.clone()));
            }
            let (org, org_created) = match &req.org {
                Some(name) => match db::org_by_name(&tx, name).map_err(&err)? {
                    Some(o) => (o, false),
                    None => (db::create_org(&tx, name).map_err(&err)?, true),
                },
                None => (db::create_org(&tx, &email).map_err(&err)?, true),
            };
            let user = db::create_user(
                &tx,
                NewUser {
                    org_id: &org.id,
                    email: &email,
                    role: req.role,
                    password_hash,
                    totp_secret_enc: sealed,
                },
            )
            .map_err(&err)?;
            for code in codes.iter().flatten() {
                let hash = key.keyed_digest(
                    "backup-code",
                    &format!("{}:{}", user.id, normalize_backup_code(code)),
                );
                db::add_backup_code(&tx, &user.id, &hash).map_err(&err)?;
            }
            let event = Event::new(EventType::UserAdded, &org.id, Actor::admin_command())
                .target(Target::user(&user.id), &user.id)
                .details(
                    json!({ "role": user.role.as_str(), "mfa": user.totp_secret_enc.is_some() }),
                );
            audit::record(&tx, &event).map_err(&err)?;
            tx.commit().map_err(&err)?;
            Ok((user, org.id, org.name, org_created))
        })
        .map_err(db_err(db_path))??;
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
        org_id,
        org_name,
        org_created,
        totp_uri,
        totp_secret_base32: secret_b32,
        backup_codes,
    })
}

/// `users set-role`. A running server sees the change within a second: a
/// trigger bumps `auth_epoch`, which empties its key cache.
pub fn set_role(db_path: &Path, email: &str, role: Role) -> Result<(), AdminError> {
    let email_n =
        normalize_email(email).ok_or_else(|| AdminError::InvalidEmail(email.to_owned()))?;
    let db = open(db_path)?;
    db.with(|conn| -> Result<(), AdminError> {
        let err = db_err(db_path);
        let tx = db::write_tx(conn).map_err(&err)?;
        let user = db::user_by_email(&tx, &email_n)
            .map_err(&err)?
            .ok_or_else(|| AdminError::NoSuchUser(email_n.clone()))?;
        db::set_role(&tx, &user.id, role).map_err(&err)?;
        if user.role != role {
            let event = Event::new(EventType::RoleChanged, &user.org_id, Actor::admin_command())
                .target(Target::user(&user.id), &user.id)
                .details(json!({ "from": user.role.as_str(), "to": role.as_str() }));
            audit::record(&tx, &event).map_err(&err)?;
        }
        tx.commit().map_err(&err)
    })
    .map_err(db_err(db_path))?
}

/// `projects add`: the new project's id.
pub fn add_project(db_path: &Path, org_name: &str, name: &str) -> Result<String, AdminError> {
    let chars = name.chars().count();
    if name.trim().is_empty() || chars > 100 || name.chars().any(char::is_control) {
        return Err(AdminError::Invalid(
            "a project name has 1 to 100 characters".into(),
        ));
    }
    let db = open(db_path)?;
    db.with(|conn| -> Result<String, AdminError> {
        let err = db_err(db_path);
        let tx = db::write_tx(conn).map_err(&err)?;
        let org = db::org_by_name(&tx, org_name)
            .map_err(&err)?
            .ok_or_else(|| AdminError::NoSuchOrg(org_name.to_owned()))?;
        match db::insert_project(&tx, &org.id, name) {
            Ok(p) => {
                let mut event =
                    Event::new(EventType::ProjectAdded, &org.id, Actor::admin_command())
                        .details(json!({ "name": name }));
                event.target = Target::project(&p.id);
                audit::record(&tx, &event).map_err(&err)?;
                tx.commit().map_err(&err)?;
                Ok(p.id)
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(AdminError::ProjectExists {
                    org: org_name.to_owned(),
                    name: name.to_owned(),
                })
            }
            Err(e) => Err(err(e)),
        }
    })
    .map_err(db_err(db_path))?
}

/// The id of the organization `email` belongs to (for tests and scripts).
pub fn org_of(db_path: &Path, email: &str) -> Result<String, AdminError> {
    let email_n =
        normalize_email(email).ok_or_else(|| AdminError::InvalidEmail(email.to_owned()))?;
    let db = open(db_path)?;
    let user = db
        .with(|conn| db::user_by_email(conn, &email_n))
        .and_then(|r| r)
        .map_err(db_err(db_path))?
        .ok_or(AdminError::NoSuchUser(email_n))?;
    Ok(user.org_id)
}

/// The name of the organization with this id.
pub fn org_name(db_path: &Path, org_id: &str) -> Result<String, AdminError> {
    let db = open(db_path)?;
    db.with(|conn| db::org_by_id(conn, org_id))
        .and_then(|r| r)
        .map_err(db_err(db_path))?
        .map(|o| o.name)
        .ok_or_else(|| AdminError::NoSuchOrg(org_id.to_owned()))
}
