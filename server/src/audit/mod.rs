//! The audit log: what happened to keys and accounts, by whom, from where.
//!
//! Every event that describes a change is written by [`record`] on the
//! connection of the transaction that makes the change, so a crash never
//! leaves a change without its event (or an event without its change).
//! Refusals, which an attacker can cause at will, are aggregated
//! ([`refusals`]): at most one event per credential and kind a minute, with
//! a count. No event holds a secret: ids, addresses and outcomes only.

mod addresses;
mod refusals;

use std::net::IpAddr;

use serde_json::{Value, json};

use crate::auth::{Cred, Principal};
use crate::context;
use crate::store::{Conn, StoreResult, UserRow};

pub use addresses::SeenAddresses;
pub use refusals::{Refusal, Refusals, Refused};

/// Flushes aggregated counts every minute and deletes events past the
/// retention every hour, for as long as the server runs.
pub fn spawn_maintenance(state: crate::state::AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        for round in 0u64.. {
            tick.tick().await;
            state.flush_audit_refusals().await;
            if round % 60 == 0 {
                let days = i64::from(state.config().audit_retention_days);
                let before = crate::util::now() - days * 86_400;
                let pruned = state.store().run(move |c| c.prune_events(before)).await;
                if let Ok(n @ 1..) = pruned {
                    tracing::info!(events = n, days, "pruned audit events past their retention");
                }
            }
        }
    });
}

/// What happened. The names are the `type` of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    KeyCreated,
    KeyRotated,
    KeyRevoked,
    KeyNewAddress,
    KeyRefused,
    LoginSucceeded,
    LoginFailed,
    MfaFailed,
    CodeRequested,
    RoleChanged,
    UserAdded,
    UserRemoved,
    ProjectAdded,
    RateLimited,
}

impl EventType {
    pub const ALL: &[EventType] = &[
        Self::KeyCreated,
        Self::KeyRotated,
        Self::KeyRevoked,
        Self::KeyNewAddress,
        Self::KeyRefused,
        Self::LoginSucceeded,
        Self::LoginFailed,
        Self::MfaFailed,
        Self::CodeRequested,
        Self::RoleChanged,
        Self::UserAdded,
        Self::UserRemoved,
        Self::ProjectAdded,
        Self::RateLimited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::KeyCreated => "key.created",
            Self::KeyRotated => "key.rotated",
            Self::KeyRevoked => "key.revoked",
            Self::KeyNewAddress => "key.new_address",
            Self::KeyRefused => "key.refused",
            Self::LoginSucceeded => "login.succeeded",
            Self::LoginFailed => "login.failed",
            Self::MfaFailed => "mfa.failed",
            Self::CodeRequested => "code.requested",
            Self::RoleChanged => "user.role_changed",
            Self::UserAdded => "user.added",
            Self::UserRemoved => "user.removed",
            Self::ProjectAdded => "project.added",
            Self::RateLimited => "request.rate_limited",
        }
    }

    pub fn from_name(name: &str) -> Option<EventType> {
        Self::ALL.iter().copied().find(|t| t.as_str() == name)
    }
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    /// Refused by a rule: a revoked, expired or IP-forbidden key, a budget.
    Refused,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Refused => "refused",
        }
    }
}

/// Who did it: a user through a credential, an admin command on the
/// server's machine, or nobody yet known (a login attempt).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<String>,
    /// `key_…`, `ses_…`, or `admin-command`.
    pub credential: Option<String>,
    pub ip: Option<IpAddr>,
}

impl Actor {
    /// The caller of this request.
    pub fn of(p: &Principal) -> Actor {
        let credential = match &p.cred {
            Cred::Key(k) => k.id.clone(),
            Cred::Session { id, .. } => id.clone(),
        };
        Actor {
            user_id: Some(p.user.id.clone()),
            credential: Some(credential),
            ip: Some(context::client_ip()),
        }
    }

    /// Someone not yet authenticated, from this request's address.
    pub fn anonymous() -> Actor {
        Actor {
            ip: Some(context::client_ip()),
            ..Actor::default()
        }
    }

    /// `scripto-server users …` / `projects …`, run on the server's machine.
    pub fn admin_command() -> Actor {
        Actor {
            credential: Some("admin-command".to_owned()),
            ..Actor::default()
        }
    }
}

/// What an event is about.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: &'static str,
    pub id: String,
}

impl Target {
    pub fn key(id: &str) -> Option<Target> {
        Some(Target {
            kind: "key",
            id: id.to_owned(),
        })
    }
    pub fn user(id: &str) -> Option<Target> {
        Some(Target {
            kind: "user",
            id: id.to_owned(),
        })
    }
    pub fn project(id: &str) -> Option<Target> {
        Some(Target {
            kind: "project",
            id: id.to_owned(),
        })
    }
}

/// One event, before it is stored.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventType,
    pub org_id: Option<String>,
    pub actor: Actor,
    pub target: Option<Target>,
    /// The user it concerns (a key's owner, a changed user).
    pub subject_user_id: Option<String>,
    pub outcome: Outcome,
    /// Plain facts (a method, a count, a role); never a secret.
    pub details: Value,
}

impl Event {
    pub fn new(kind: EventType, org_id: &str, actor: Actor) -> Event {
        Event {
            kind,
            org_id: Some(org_id.to_owned()),
            actor,
            target: None,
            subject_user_id: None,
            outcome: Outcome::Success,
            details: json!({}),
        }
    }

    pub fn target(mut self, target: Option<Target>, subject_user_id: &str) -> Event {
        self.target = target;
        self.subject_user_id = Some(subject_user_id.to_owned());
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Event {
        self.outcome = outcome;
        self
    }

    pub fn details(mut self, details: Value) -> Event {
        self.details = details;
        self
    }
}

/// An event of a login flow: about `user` when the address is known (then
/// their organization sees it), else about nobody (the server log has it).
pub fn login_event(kind: EventType, user: Option<&UserRow>, ip: IpAddr) -> Event {
    let actor = Actor {
        user_id: user.map(|u| u.id.clone()),
        credential: None,
        ip: Some(ip),
    };
    match user {
        Some(u) => Event::new(kind, &u.org_id, actor).target(Target::user(&u.id), &u.id),
        None => Event {
            org_id: None,
            ..Event::new(kind, "", actor)
        },
    }
}

/// Writes `event` on `conn`: call it inside the transaction of the change.
/// Returns the new event's id.
pub fn record(conn: &mut dyn Conn, event: &Event) -> StoreResult<String> {
    let id = crate::util::new_id("evt_");
    conn.insert_event(&id, crate::util::now(), event)?;
    Ok(id)
}
