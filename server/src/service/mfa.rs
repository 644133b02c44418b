//! The second factor. A login of a user with MFA (password or e-mail code)
//! answers with a challenge; `/v1/auth/login/mfa` checks the TOTP or backup
//! code against it and then finishes what the challenge was made for.
//!
//! Two budgets bound guessing: wrong codes per challenge (5, then it is
//! burnt) and wrong codes per account (10 an hour by default, across
//! challenges and client IPs, kept in the database so a restart does not
//! reset it). Without the second, a password holder could open challenge
//! after challenge and guess thousands of codes an hour.

use std::net::IpAddr;

use scripto_wire::Secret;
use scripto_wire::types::{MfaChallenge, MfaVerify};
use serde_json::json;

use crate::audit::{self, EventType, Outcome};
use crate::auth::MFA_PREFIX;
use crate::config::Limits;
use crate::crypto::{ServerKey, totp_match};
use crate::error::ApiErr;
use crate::limiter::RateInfo;
use crate::store::{ChallengeFor, ChallengeRow, Conn, Tx, UserRow};
use crate::util::{random_base62, sha256};

/// The account budget's window.
const BUDGET_WINDOW_SECS: i64 = 3600;

/// Opens a challenge for `user` that finishes `purpose` once passed.
pub fn issue(
    conn: &mut dyn Conn,
    limits: &Limits,
    user: &UserRow,
    purpose: ChallengeFor,
    now: i64,
) -> Result<MfaChallenge, ApiErr> {
    let token = format!("{MFA_PREFIX}{}", random_base62(43));
    let challenge = ChallengeRow {
        user_id: user.id.clone(),
        expires_at: now + limits.mfa_ttl_secs as i64,
        failures: 0,
        purpose,
    };
    conn.put_challenge(&sha256(token.as_bytes()), &challenge)?;
    Ok(MfaChallenge {
        mfa_required: true,
        mfa_token: Secret::new(token),
        methods: vec!["totp".to_owned(), "backup_code".to_owned()],
        expires_in: limits.mfa_ttl_secs,
    })
}

/// The code of a `login/mfa` request. Still a secret, since it moves into
/// the database task.
pub enum Factor {
    Totp(Secret),
    Backup(Secret),
}

impl Factor {
    /// As the audit log names it.
    pub fn name(&self) -> &'static str {
        match self {
            Factor::Totp(_) => "totp",
            Factor::Backup(_) => "backup_code",
        }
    }

    /// Exactly one of `totp_code` and `backup_code`.
    pub fn of(body: &MfaVerify) -> Result<Factor, ApiErr> {
        match (&body.totp_code, &body.backup_code) {
            (Some(t), None) => Ok(Factor::Totp(Secret::new(t.expose().trim()))),
            (None, Some(b)) => Ok(Factor::Backup(Secret::new(normalize_backup_code(
                b.expose(),
            )))),
            _ => Err(ApiErr::validation(
                "totp_code",
                "give exactly one of `totp_code` and `backup_code`",
            )),
        }
    }
}

/// Backup codes are compared without case, dashes or spaces.
pub fn normalize_backup_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A passed challenge: whose, what it finishes, and how many wrong codes
/// the account saw since its previous successful login.
pub struct Passed {
    pub user: UserRow,
    pub purpose: ChallengeFor,
    pub failures_since_login: u32,
}

enum Check {
    Passed,
    Wrong,
    /// The right TOTP code, but its step was already used.
    Reused,
}

/// Checks `factor` against the challenge `token_hash`. On success the
/// challenge is used up and the open transaction is handed back, so the
/// caller makes the session or key in it; every failure is committed
/// before it is returned.
pub fn verify<'c>(
    conn: &'c mut dyn Conn,
    key: &ServerKey,
    limits: &Limits,
    token_hash: &[u8],
    factor: &Factor,
    now: i64,
    ip: IpAddr,
) -> Result<(Tx<'c>, Passed), ApiErr> {
    let mut tx = conn.write()?;
    let Some(ch) = tx.get_challenge(token_hash)? else {
        return Err(ApiErr::mfa_challenge_expired());
    };
    if ch.expires_at <= now || ch.failures >= limits.mfa_max_failures {
        tx.delete_challenge(token_hash)?;
        tx.commit()?;
        return Err(ApiErr::mfa_challenge_expired());
    }
    let Some(user) = tx.user_by_id(&ch.user_id)? else {
        return Err(ApiErr::mfa_challenge_expired());
    };
    let since = now - BUDGET_WINDOW_SECS;
    let (failed, oldest) = tx.mfa_failures_since(&user.id, since)?;
    let budget = limits.mfa_failures_per_hour_per_account;
    if failed >= budget {
        // Even the right code is refused now: answering it would let the
        // guessing go on.
        let reset = oldest.unwrap_or(now) + BUDGET_WINDOW_SECS;
        return Err(account_budget_spent(budget, reset, now));
    }
    let check = match factor {
        Factor::Totp(code) => {
            let secret = user.totp_secret_enc.as_deref().and_then(|s| key.open(s));
            match secret.and_then(|s| totp_match(&s, code.expose(), now as u64)) {
                Some(step) if tx.use_totp_step(&user.id, step as i64)? => Check::Passed,
                Some(_) => Check::Reused,
                None => Check::Wrong,
            }
        }
        Factor::Backup(code) => {
            let hash = key.keyed_digest("backup-code", &format!("{}:{}", user.id, code.expose()));
            if tx.use_backup_code(&user.id, &hash, now)? {
                Check::Passed
            } else {
                Check::Wrong
            }
        }
    };
    if !matches!(check, Check::Passed) {
        let failures = ch.failures + 1;
        if failures >= limits.mfa_max_failures {
            tx.delete_challenge(token_hash)?;
        } else {
            tx.set_challenge_failures(token_hash, failures)?;
        }
        let remaining = limits.mfa_max_failures.saturating_sub(failures);
        let reason = if let Check::Reused = check {
            "reused"
        } else {
            "wrong"
        };
        let event = audit::login_event(EventType::MfaFailed, Some(&user), ip)
            .outcome(Outcome::Failure)
            .details(json!({ "method": factor.name(), "reason": reason }));
        audit::record(&mut *tx, &event)?;
        let err = if let Check::Reused = check {
            // A code that was right a moment ago is the user's own, typed
            // twice: it uses up a try of this challenge but is no guess
            // against the account.
            ApiErr::mfa_reused(remaining)
        } else {
            tx.record_mfa_failure(&user.id, now, since)?;
            ApiErr::mfa_invalid(remaining)
        };
        tx.commit()?;
        return Err(err);
    }
    if !tx.delete_challenge(token_hash)? {
        return Err(ApiErr::mfa_challenge_expired());
    }
    let failures_since_login = tx.take_mfa_failures_since_login(&user.id)?;
    if failures_since_login > 0 {
        tracing::warn!(user_id = %user.id, failures_since_login, "login after failed second factors");
    }
    Ok((
        tx,
        Passed {
            user,
            purpose: ch.purpose,
            failures_since_login,
        },
    ))
}

fn account_budget_spent(budget: u32, reset: i64, now: i64) -> ApiErr {
    let retry = (reset - now).max(1) as u64;
    let mut err = ApiErr::rate_limited(RateInfo {
        limit: budget,
        remaining: 0,
        reset,
        retry_after: Some(retry),
    });
    err.message = format!(
        "too many wrong second factors for this account in the last hour; retry in {retry} s"
    );
    err.details = Some(serde_json::json!({
        "retry_after": retry,
        "limit": budget,
        "reason": "mfa_failures_per_account",
    }));
    err
}
