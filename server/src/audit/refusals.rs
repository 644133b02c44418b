//! Refusals an attacker can cause at will (a revoked, expired or
//! IP-forbidden key used again and again, a budget hammered) become at most
//! one event per credential and kind a minute. The first refusal of a window
//! is written at once, so it shows without delay; the ones after it only
//! count in memory, and the count is written when the window is flushed
//! (every minute, and at shutdown): two writes a minute at most, however hard
//! the flood.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use serde_json::json;

use super::{Actor, Event, EventType, Outcome, Target};
use crate::auth::{Cred, Principal};
use crate::context;
use crate::state::AppState;
use crate::store::KeyRow;
use crate::util::now;

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    Revoked,
    Expired,
    IpForbidden,
    RateLimited,
}

impl Refusal {
    fn reason(self) -> &'static str {
        match self {
            Self::Revoked => "key_revoked",
            Self::Expired => "key_expired",
            Self::IpForbidden => "ip_forbidden",
            Self::RateLimited => "rate_limited",
        }
    }
}

/// Whose refusal: the credential (key or session id, or `ip:…` without
/// one) and, when known, its organization, owner and key.
#[derive(Debug, Clone)]
pub struct Refused {
    pub credential: String,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub key_id: Option<String>,
    pub ip: IpAddr,
}

impl Refused {
    /// A key refused as revoked, expired or from a forbidden address.
    pub fn key(key: &KeyRow, ip: IpAddr) -> Refused {
        Refused {
            credential: key.id.clone(),
            org_id: Some(key.org_id.clone()),
            user_id: Some(key.owner_id.clone()),
            key_id: Some(key.id.clone()),
            ip,
        }
    }

    /// An authenticated caller over its budget.
    pub fn of(p: &Principal) -> Refused {
        let actor = Actor::of(p);
        let key_id = match &p.cred {
            Cred::Key(k) => Some(k.id.clone()),
            Cred::Session { .. } => None,
        };
        Refused {
            credential: actor.credential.unwrap_or_default(),
            org_id: Some(p.org.id.clone()),
            user_id: actor.user_id,
            key_id,
            ip: context::client_ip(),
        }
    }

    /// A client without a valid credential, over the per-address budget.
    pub fn anonymous() -> Refused {
        let ip = context::client_ip();
        Refused {
            credential: format!("ip:{ip}"),
            org_id: None,
            user_id: None,
            key_id: None,
            ip,
        }
    }
}

const WINDOW_SECS: i64 = 60;

struct Window {
    start: i64,
    count: u64,
    written: u64,
    /// Set once the window's event is in the database.
    event_id: Option<String>,
}

#[derive(Default)]
pub struct Refusals {
    windows: Mutex<HashMap<(String, Refusal), Window>>,
}

impl AppState {
    /// Counts one refusal; writes an event if it opens a window.
    pub(crate) fn audit_refusal(&self, why: Refusal, who: Refused) {
        let t = now();
        let slot = (who.credential.clone(), why);
        let opens = {
            let mut windows = self
                .refusals()
                .windows
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if windows.len() > 100_000 {
                windows.retain(|_, w| t - w.start < WINDOW_SECS);
            }
            match windows.get_mut(&slot) {
                Some(w) if t - w.start < WINDOW_SECS => {
                    w.count += 1;
                    false
                }
                _ => {
                    // A window that ended with uncounted refusals is written
                    // by the next flush, which finds it gone: count it now.
                    if let Some(old) = windows.remove(&slot) {
                        self.write_count(old);
                    }
                    windows.insert(
                        slot.clone(),
                        Window {
                            start: t,
                            count: 1,
                            written: 1,
                            event_id: None,
                        },
                    );
                    true
                }
            }
        };
        if !opens {
            return;
        }
        let kind = match why {
            Refusal::RateLimited => EventType::RateLimited,
            _ => EventType::KeyRefused,
        };
        let event = Event {
            kind,
            org_id: who.org_id.clone(),
            actor: Actor {
                user_id: who.user_id.clone(),
                credential: Some(who.credential.clone()),
                ip: Some(who.ip),
            },
            target: who.key_id.as_deref().and_then(Target::key),
            subject_user_id: who.user_id.clone(),
            outcome: Outcome::Refused,
            details: json!({ "reason": why.reason(), "count": 1, "window_secs": WINDOW_SECS }),
        };
        let state = self.clone();
        tokio::spawn(async move {
            let written = state.store().run(move |c| super::record(c, &event)).await;
            if let Ok(id) = written {
                let mut windows = state
                    .refusals()
                    .windows
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                if let Some(w) = windows.get_mut(&slot) {
                    w.event_id = Some(id);
                }
            }
        });
    }

    /// Writes the counts that grew since the last flush, and forgets the
    /// windows that are over.
    pub async fn flush_audit_refusals(&self) {
        let t = now();
        let due: Vec<(String, u64)> = {
            let mut windows = self
                .refusals()
                .windows
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let due = windows
                .values_mut()
                .filter(|w| w.count > w.written)
                .filter_map(|w| {
                    // An event still being written is counted next time.
                    let id = w.event_id.clone()?;
                    w.written = w.count;
                    Some((id, w.count))
                })
                .collect();
            windows.retain(|_, w| t - w.start < WINDOW_SECS || w.event_id.is_none());
            due
        };
        if due.is_empty() {
            return;
        }
        let res = self
            .store()
            .run(move |c| {
                for (id, count) in &due {
                    c.set_event_count(id, *count)?;
                }
                Ok::<_, crate::store::StoreError>(())
            })
            .await;
        if res.is_err() {
            tracing::warn!("could not write the counts of aggregated audit events");
        }
    }

    fn write_count(&self, w: Window) {
        if let (Some(id), true) = (w.event_id, w.count > w.written) {
            let state = self.clone();
            tokio::spawn(async move {
                let _ = state
                    .store()
                    .run(move |c| c.set_event_count(&id, w.count))
                    .await;
            });
        }
    }
}
