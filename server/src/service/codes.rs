//! E-mail one-time codes: who may ask for one, where they are kept, and
//! checking a typed one.
//!
//! Budgets: per (address, client IP), per client IP, a cool-down per
//! (address, client IP), and a larger per-address ceiling that only a
//! client new to the address is held to. Codes: one live code per
//! (address, client IP), so that others asking codes for an address neither
//! use up the budget of the client that already got one nor replace the code
//! it is about to type.

use std::net::IpAddr;

use serde_json::json;

use crate::audit::{self, EventType, Outcome};
use crate::config::Limits;
use crate::crypto::{ServerKey, ct_eq};
use crate::error::ApiErr;
use crate::limiter::{Bucket, Limiter, RateInfo};
use crate::store::{CodeRow, Conn, Tx};

/// Counts a send of a code to `email` at the request of `client` if every
/// budget allows it; `Err` names the refusing one.
pub async fn count_send(
    limiter: &Limiter,
    limits: &Limits,
    email: &str,
    client: &str,
    now: i64,
) -> Result<RateInfo, RateInfo> {
    let pair = format!("{email} {client}");
    let mut checks = vec![
        (
            Bucket::CodeEmailIpHour,
            pair.as_str(),
            limits.code_sends_per_hour_per_email_ip,
            3600,
        ),
        (
            Bucket::CodeIpHour,
            client,
            limits.code_sends_per_hour_per_ip,
            3600,
        ),
    ];
    // A client that already sent this address a code this hour is held to
    // its own budget only: others asking for the address cannot starve it.
    if limiter.used(Bucket::CodeEmailIpHour, &pair, now).await == 0 {
        checks.push((
            Bucket::CodeEmailHour,
            email,
            limits.code_sends_per_hour_per_email,
            3600,
        ));
    }
    // A cool-down of 0 turns the cool-down off.
    if limits.code_resend_secs > 0 {
        checks.push((
            Bucket::CodeResend,
            pair.as_str(),
            1,
            limits.code_resend_secs,
        ));
    }
    limiter.hit(&checks, now).await
}

/// The keyed digest a code is stored and compared as.
pub fn digest(key: &ServerKey, email: &str, code: &str) -> [u8; 32] {
    key.keyed_digest("login-code", &format!("{email}:{code}"))
}

/// Checks a typed code against every live code of `email`. On a match all
/// codes of the address are used up and the open transaction is handed
/// back (the caller signs in within it); a wrong code counts against every
/// live code of the address, so several outstanding codes do not multiply
/// the tries, and is committed before it is returned.
pub fn check<'c>(
    conn: &'c mut dyn Conn,
    email: &str,
    typed: &[u8; 32],
    max_failures: u32,
    now: i64,
    ip: IpAddr,
) -> Result<Tx<'c>, ApiErr> {
    let mut tx = conn.write()?;
    let mut live = Vec::new();
    for row in tx.codes_for(email)? {
        if row.expires_at <= now || row.failures >= max_failures {
            tx.delete_code(email, &row.client)?;
        } else {
            live.push(row);
        }
    }
    if live.is_empty() {
        tx.commit()?;
        return Err(ApiErr::otp_expired());
    }
    // Every live code is compared, so the time taken does not say which.
    let matched = live
        .iter()
        .fold(false, |m, row| ct_eq(&row.code_hash, typed) | m);
    if matched {
        tx.delete_codes(email)?;
        return Ok(tx);
    }
    let user = tx.user_by_email(email)?;
    let event = audit::login_event(EventType::LoginFailed, user.as_ref(), ip)
        .outcome(Outcome::Failure)
        .details(json!({ "method": "email_code", "reason": "wrong_code" }));
    audit::record(&mut *tx, &event)?;
    let mut remaining = 0;
    for row in &live {
        let failures = row.failures + 1;
        if failures >= max_failures {
            tx.delete_code(email, &row.client)?;
        } else {
            tx.set_code_failures(email, &row.client, failures)?;
        }
        remaining = remaining.max(max_failures.saturating_sub(failures));
    }
    tx.commit()?;
    Err(ApiErr::otp_invalid(remaining))
}

/// Stores the code `client` asked for `email` (replacing only that
/// client's previous one), in the caller's transaction.
pub fn store_code(
    conn: &mut dyn Conn,
    email: &str,
    client: &str,
    digest: &[u8; 32],
    expires_at: i64,
    now: i64,
) -> Result<(), ApiErr> {
    let row = CodeRow {
        client: client.to_owned(),
        code_hash: digest.to_vec(),
        expires_at,
        failures: 0,
    };
    conn.put_code(&row, email, now)?;
    Ok(())
}
