//! `POST /v1/keys/revoke-leaked`: anyone who finds a scripto key where it
//! should not be (a public repository, a paste, a log) can stop it, without
//! an account and without learning anything about it. GitHub's credential
//! revocation API is the model.
//!
//! The answer is the same `202` whatever was sent: valid, revoked, expired,
//! made up. The work is done before answering (a key reported leaked stops
//! working on its next request); the only difference in timing is one row
//! written, and telling a live key from a dead one that way teaches nothing
//! its finder cannot learn by using the key itself.

use scripto_wire::Secret;
use scripto_wire::check_key;
use scripto_wire::key::{KEY_PREFIX, START_LEN};
use serde_json::json;

use crate::audit::{self, Actor, Event, EventType, Target};
use crate::context;
use crate::crypto::ct_eq;
use crate::error::ApiErr;
use crate::limiter::Bucket;
use crate::state::AppState;
use crate::util::{now, sha256};

/// Keys in one report, as in GitHub's API.
pub const MAX_KEYS_PER_REPORT: usize = 100;
/// Reports a minute from one client address, on top of the anonymous
/// budget: each report may make up to 100 lookups.
pub const REPORTS_PER_MINUTE_PER_IP: u32 = 10;
/// Characters of `source` kept (a URL or a short note).
pub const MAX_SOURCE_CHARS: usize = 500;

/// Revokes every live key among `keys`; how many were received. The same
/// answer whatever was sent.
pub async fn revoke_leaked(
    state: &AppState,
    keys: &[Secret],
    source: Option<&str>,
) -> Result<usize, ApiErr> {
    let ip = context::client_ip().to_string();
    let check = [(
        Bucket::LeakReportIp,
        ip.as_str(),
        REPORTS_PER_MINUTE_PER_IP,
        60,
    )];
    match state.limiter().hit(&check, now()).await {
        Ok(info) => context::set_rate(info),
        Err(info) => return Err(ApiErr::rate_limited(info)),
    }
    let received = keys.len();
    // Only well-formed keys can be in the table; the rest cost no query.
    let digests: Vec<[u8; 32]> = keys
        .iter()
        .filter(|k| check_key(k.expose()).is_ok())
        .map(|k| sha256(k.expose().as_bytes()))
        .collect();
    let reporter = Actor::anonymous();
    // A reporter may well paste the key into the note: it is kept only by
    // its public start, in the audit log as in the server log.
    let source = source.map(mask_keys);
    let noted = source.clone();
    let revoked = state
        .store()
        .run(move |c| {
            let mut tx = c.write()?;
            let mut revoked = Vec::new();
            for digest in digests {
                let Some((key, stored)) = tx.key_by_digest(&digest)? else {
                    continue;
                };
                if !ct_eq(&stored, &digest) {
                    continue;
                }
                let t = now();
                let expired = key.expires_at.is_some_and(|e| e <= t);
                if key.revoked_at.is_none() && !expired {
                    tx.revoke_key(&key.id, t)?;
                    let row = tx.key_by_id(&key.id)?.ok_or_else(ApiErr::internal)?;
                    let event = Event::new(EventType::KeyRevoked, &row.org_id, reporter.clone())
                        .target(Target::key(&row.id), &row.owner_id)
                        .details(json!({
                            "name": row.name,
                            "reason": "reported_leaked",
                            "source": noted,
                        }));
                    audit::record(&mut *tx, &event)?;
                    revoked.push(row);
                }
            }
            tx.commit()?;
            Ok::<_, ApiErr>(revoked)
        })
        .await?;
    let source = source.unwrap_or_default();
    for row in &revoked {
        state.evict_key(&row.id);
        tracing::warn!(
            key_id = %row.id,
            owner = %row.owner_id,
            source = %source,
            reported_by = %ip,
            "key revoked: reported leaked"
        );
    }
    Ok(received)
}

/// `text` with everything that looks like a scripto key (the prefix and at
/// least 8 letters or digits) cut to its public start, `scripto_Ab3d…`.
fn mask_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY_PREFIX) {
        let after = &rest[at + KEY_PREFIX.len()..];
        let tail = after.bytes().take_while(u8::is_ascii_alphanumeric).count();
        out.push_str(&rest[..at + KEY_PREFIX.len()]);
        if tail >= 8 {
            out.push_str(&after[..START_LEN - KEY_PREFIX.len()]);
            out.push('…');
        } else {
            out.push_str(&after[..tail]);
        }
        rest = &after[tail..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::mask_keys;

    #[test]
    fn a_key_in_the_note_keeps_only_its_start() {
        let key = scripto_wire::key::format_key("Ab3dEfGhIjKlMnOpQrStUvWxYz012345");
        assert_eq!(
            mask_keys(&format!("found {key} at https://paste.example/1")),
            "found scripto_Ab3d… at https://paste.example/1"
        );
        assert_eq!(
            mask_keys("scripto_ and scripto_ab"),
            "scripto_ and scripto_ab"
        );
    }
}
