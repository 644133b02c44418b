//! Device login: OAuth 2.0 Device Authorization Grant (RFC 8628).
//!
//! A client without a browser (the CLI) starts a login and gets two codes:
//! a long device code it keeps and polls with, and a short user code a
//! person types (or finds in the link) on the approval page while signed
//! in. Approving there lets the next poll mint one key owned by the
//! approver: both scopes, every project, like an e-mail code login. The
//! person signs in (MFA included) on the page, so the device flow never
//! skips a second factor.
//!
//! Only keyed digests of both codes are stored. User codes are 8 letters
//! from an alphabet without vowels or look-alikes (20^8 ≈ 2.6·10^10), so
//! guessing one is hopeless within the per-IP budget on entries; on top of
//! it, wrong entries that get a code's first half right (someone who saw
//! half of it) count against that code, which burns after a few. A wrong
//! entry does not say whether it got a half right.

use std::net::IpAddr;

use scripto_wire::Secret;
use scripto_wire::types::Scope;
use serde_json::json;

use super::keys::{NewKeySpec, mint_key, validate_key_name};
use super::login::DEFAULT_KEY_NAME;
use crate::audit::{self, EventType, Outcome, login_event};
use crate::auth::Principal;
use crate::context;
use crate::error::ApiErr;
use crate::limiter::Bucket;
use crate::state::AppState;
use crate::store::{Conn, DeviceRow, DeviceStatus, KeyRow, StoreError, UserRow};
use crate::util::{now, random_base62, random_below};

/// The letters of user codes: no vowels (no words), none that look alike.
const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_LEN: usize = 8;
/// What RFC 8628 adds to the interval with each `slow_down`.
const SLOW_DOWN_STEP: u64 = 5;
/// Prefix of device codes, so that one is told from a key at a glance.
const DEVICE_CODE_PREFIX: &str = "sdc_";

/// The answer to a started device login.
pub struct DeviceStart {
    pub device_code: Secret,
    /// As shown: `WDJB-MJHT`.
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub expires_in: u64,
    pub interval: u64,
}

/// A pending device login, as the approval page shows it.
pub struct PendingDevice {
    /// As shown: `WDJB-MJHT`.
    pub user_code: String,
    pub client_name: Option<String>,
    /// The address the login was started from.
    pub client_ip: String,
    /// The name the key will get.
    pub key_name: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// How a poll ends when it does not end in an RFC 8628 error.
pub enum Polled {
    Minted {
        api_key: Secret,
        key: KeyRow,
        user: UserRow,
    },
}

/// Starts a device login for the calling client (no credential).
pub async fn start(
    state: &AppState,
    key_name: Option<String>,
    client_name: Option<String>,
) -> Result<DeviceStart, ApiErr> {
    let key_name = match key_name {
        Some(n) => validate_key_name(&n, "key_name")?,
        None => DEFAULT_KEY_NAME.to_owned(),
    };
    let client_name = client_name
        .map(|n| validate_key_name(&n, "client_name"))
        .transpose()?;
    let limits = state.limits().clone();
    let ip = context::client_ip().to_string();
    let check = [(
        Bucket::DeviceStartIp,
        ip.as_str(),
        limits.device_starts_per_hour_per_ip,
        3600,
    )];
    match state.limiter().hit(&check, now()).await {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    let key = state.server_key().clone();
    let interval = limits.device_poll_interval_secs.max(1);
    let ttl = limits.device_code_ttl_secs;
    // Two logins drawing the same user code is rare (one in 10^10 per
    // pending pair); another draw settles it.
    for _ in 0..5 {
        let device_code = format!("{DEVICE_CODE_PREFIX}{}", random_base62(43));
        let user_code: String = (0..USER_CODE_LEN)
            .map(|_| ALPHABET[random_below(ALPHABET.len() as u32) as usize] as char)
            .collect();
        let t = now();
        let row = DeviceRow {
            device_hash: key.keyed_digest("device-code", &device_code).to_vec(),
            user_hash: key.keyed_digest("device-user-code", &user_code).to_vec(),
            group_hash: key
                .keyed_digest("device-user-code-half", &user_code[..USER_CODE_LEN / 2])
                .to_vec(),
            key_name: key_name.clone(),
            client_name: client_name.clone(),
            client_ip: ip.clone(),
            created_at: t,
            expires_at: t + ttl as i64,
            interval_secs: interval as i64,
            last_polled_ms: None,
            status: DeviceStatus::Pending,
            approver_id: None,
            approver_ip: None,
            failures: 0,
        };
        let stored = state
            .store()
            .run(move |c| {
                let mut tx = c.write()?;
                tx.put_device(&row, t)?;
                tx.commit()
            })
            .await;
        match stored {
            Ok(()) => {
                let shown = show(&user_code);
                let base = state.public_url();
                return Ok(DeviceStart {
                    device_code: Secret::new(device_code),
                    verification_uri: format!("{base}/device"),
                    verification_uri_complete: format!("{base}/device?code={shown}"),
                    user_code: shown,
                    expires_in: ttl,
                    interval,
                });
            }
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiErr::internal())
}

/// For the approval page: the pending login behind a typed user code.
/// Counts against the per-IP budget on entries; a wrong code is
/// `invalid_user_code`, one that ran out or was burnt `expired_token`.
pub async fn lookup(
    state: &AppState,
    p: &Principal,
    user_code: &str,
) -> Result<PendingDevice, ApiErr> {
    let (typed, shown) = entered(state, user_code).await?;
    let max = state.limits().device_code_max_failures;
    let actor = p.user.clone();
    let ip = context::client_ip();
    state
        .store()
        .run(move |c| {
            let row = find_pending(c, &typed, max, &actor, ip)?;
            Ok(PendingDevice {
                user_code: shown,
                client_name: row.client_name,
                client_ip: row.client_ip,
                key_name: row.key_name,
                expires_at: row.expires_at,
            })
        })
        .await
}

/// Approves the pending login behind `user_code`: its next poll mints a
/// key owned by the caller.
pub async fn approve(state: &AppState, p: &Principal, user_code: &str) -> Result<(), ApiErr> {
    may_approve(p)?;
    decide(state, p, user_code, DeviceStatus::Approved).await
}

/// Denies the pending login behind `user_code`: its next poll is
/// `access_denied`.
pub async fn deny(state: &AppState, p: &Principal, user_code: &str) -> Result<(), ApiErr> {
    decide(state, p, user_code, DeviceStatus::Denied).await
}

/// One poll of the client holding `device_code`: the key once approved,
/// else the RFC 8628 error (`authorization_pending`, `slow_down`,
/// `access_denied`, `expired_token`). A device code mints one key: the
/// login is deleted in the transaction that mints it.
pub async fn poll(state: &AppState, device_code: &Secret) -> Result<Polled, ApiErr> {
    let hash = state
        .server_key()
        .keyed_digest("device-code", device_code.expose().trim())
        .to_vec();
    let max = state.limits().device_code_max_failures;
    state
        .store()
        .run(move |c| {
            let mut tx = c.write()?;
            let Some(row) = tx.device_by_code(&hash)? else {
                return Err(ApiErr::expired_token());
            };
            if row.expires_at <= now() || row.failures >= max {
                tx.delete_device(&hash)?;
                tx.commit()?;
                return Err(ApiErr::expired_token());
            }
            let t_ms = now_ms();
            let mut interval = row.interval_secs.max(1) as u64;
            let too_soon = row
                .last_polled_ms
                .is_some_and(|last| t_ms - last < interval as i64 * 1000);
            if too_soon {
                interval += SLOW_DOWN_STEP;
            }
            tx.set_device_polled(&hash, t_ms, interval as i64)?;
            if too_soon {
                tx.commit()?;
                return Err(ApiErr::slow_down(interval));
            }
            match row.status {
                DeviceStatus::Pending => {
                    tx.commit()?;
                    Err(ApiErr::authorization_pending(interval))
                }
                DeviceStatus::Denied => {
                    tx.delete_device(&hash)?;
                    tx.commit()?;
                    Err(ApiErr::access_denied())
                }
                DeviceStatus::Approved => {
                    let user = match row.approver_id.as_deref() {
                        Some(id) => tx.user_by_id(id)?,
                        None => None,
                    };
                    // Deleted in the transaction that mints: one key per code.
                    let deleted = tx.delete_device(&hash)?;
                    // The approver was removed since: nobody to own the key.
                    let Some(user) = user.filter(|_| deleted) else {
                        tx.commit()?;
                        return Err(ApiErr::access_denied());
                    };
                    let spec = NewKeySpec {
                        name: row.key_name.clone(),
                        key_type: Default::default(),
                        scopes: vec![Scope::Read, Scope::Write],
                        project_ids: Vec::new(),
                        lifetime_secs: None,
                        allowed_ips: Vec::new(),
                    };
                    let (api_key, key) = mint_key(&mut *tx, &user, spec, None)?;
                    let ip = row
                        .approver_ip
                        .as_deref()
                        .and_then(|s| s.parse::<IpAddr>().ok())
                        .unwrap_or_else(context::client_ip);
                    let event = login_event(EventType::LoginSucceeded, Some(&user), ip).details(
                        json!({
                            "method": "device",
                            "key_id": key.id,
                            "client_ip": row.client_ip,
                            "client_name": row.client_name,
                        }),
                    );
                    audit::record(&mut *tx, &event)?;
                    tx.commit()?;
                    tracing::info!(user_id = %user.id, key_id = %key.id, "signed in with a device login");
                    Ok(Polled::Minted { api_key, key, user })
                }
            }
        })
        .await
}

/// The login minted on approval is unrestricted (both scopes, every
/// project, every address): a key with less may not approve one, or it
/// would mint upward. A session holds all of it.
fn may_approve(p: &Principal) -> Result<(), ApiErr> {
    let full = p.scopes().contains(&Scope::Read)
        && p.scopes().contains(&Scope::Write)
        && p.project_ids().is_empty()
        && p.allowed_ips().is_empty();
    if full {
        Ok(())
    } else {
        Err(ApiErr::insufficient_permissions(
            "a key limited to some scopes, projects or addresses cannot approve a login that mints an unrestricted key",
        )
        .next("approve it in the browser, or with a key that has both scopes and every project"))
    }
}

async fn decide(
    state: &AppState,
    p: &Principal,
    user_code: &str,
    status: DeviceStatus,
) -> Result<(), ApiErr> {
    let (typed, _) = entered(state, user_code).await?;
    let max = state.limits().device_code_max_failures;
    let actor = p.user.clone();
    let ip = context::client_ip();
    state
        .store()
        .run(move |c| {
            let row = find_pending(c, &typed, max, &actor, ip)?;
            let mut tx = c.write()?;
            if !tx.decide_device(&row.device_hash, status, &actor.id, &ip.to_string())? {
                // Decided by someone else in between.
                return Err(ApiErr::invalid_user_code());
            }
            if status == DeviceStatus::Denied {
                let event = login_event(EventType::LoginFailed, Some(&actor), ip)
                    .outcome(Outcome::Failure)
                    .details(json!({
                        "method": "device",
                        "reason": "denied",
                        "client_ip": row.client_ip,
                        "client_name": row.client_name,
                    }));
                audit::record(&mut *tx, &event)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
}

/// What was typed, as digests: counted against the per-IP budget on
/// entries first. `(digest of the code, digest of its first half)` and the
/// code as shown; a malformed entry is a wrong one.
async fn entered(state: &AppState, user_code: &str) -> Result<(Typed, String), ApiErr> {
    let limits = state.limits();
    let ip = context::client_ip().to_string();
    let check = [(
        Bucket::DeviceEntryIp,
        ip.as_str(),
        limits.device_entries_per_minute_per_ip,
        60,
    )];
    match state.limiter().hit(&check, now()).await {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    let code = normalize(user_code).ok_or_else(ApiErr::invalid_user_code)?;
    let key = state.server_key();
    let typed = Typed {
        code: key.keyed_digest("device-user-code", &code).to_vec(),
        half: key
            .keyed_digest("device-user-code-half", &code[..USER_CODE_LEN / 2])
            .to_vec(),
    };
    Ok((typed, show(&code)))
}

struct Typed {
    code: Vec<u8>,
    half: Vec<u8>,
}

/// The pending, live login with the typed code. A wrong entry counts
/// against every pending login whose code's first half it got right (and
/// is committed before the error is returned).
fn find_pending(
    c: &mut dyn Conn,
    typed: &Typed,
    max_failures: u32,
    actor: &UserRow,
    ip: IpAddr,
) -> Result<DeviceRow, ApiErr> {
    if let Some(row) = c.device_by_user_code(&typed.code)? {
        return match row.status {
            DeviceStatus::Pending if row.expires_at > now() && row.failures < max_failures => {
                Ok(row)
            }
            DeviceStatus::Pending => Err(ApiErr::expired_token()),
            // Approved or denied already: nothing left to decide.
            _ => Err(ApiErr::invalid_user_code()),
        };
    }
    let mut tx = c.write()?;
    for row in tx.devices_in_group(&typed.half)? {
        if row.status == DeviceStatus::Pending {
            tx.set_device_failures(&row.device_hash, row.failures + 1)?;
        }
    }
    let event = login_event(EventType::LoginFailed, Some(actor), ip)
        .outcome(Outcome::Failure)
        .details(json!({ "method": "device", "reason": "wrong_user_code" }));
    audit::record(&mut *tx, &event)?;
    tx.commit()?;
    Err(ApiErr::invalid_user_code())
}

/// `wdjb mjht`, `WDJB-MJHT`, `wdjbmjht` → `WDJBMJHT`; `None` unless 8
/// letters of the alphabet remain.
fn normalize(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = code.len() == USER_CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b));
    ok.then_some(code)
}

/// `WDJBMJHT` → `WDJB-MJHT`.
fn show(code: &str) -> String {
    format!(
        "{}-{}",
        &code[..USER_CODE_LEN / 2],
        &code[USER_CODE_LEN / 2..]
    )
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{normalize, show};

    #[test]
    fn user_codes_are_typed_in_any_case_with_or_without_the_dash() {
        for typed in ["WDJB-MJHT", "wdjb-mjht", "WDJBMJHT", " wdjb mjht "] {
            assert_eq!(normalize(typed).as_deref(), Some("WDJBMJHT"), "{typed}");
        }
        assert_eq!(show("WDJBMJHT"), "WDJB-MJHT");
    }

    #[test]
    fn codes_outside_the_alphabet_or_of_another_length_are_refused() {
        for typed in ["WDJB-MJH", "WDJB-MJHTX", "AEIO-UWDJ", "WDJB-MJH1", ""] {
            assert_eq!(normalize(typed), None, "{typed}");
        }
    }
}
