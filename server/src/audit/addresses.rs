//! A key's first use from an address it was never used from: one event,
//! written with the address in the same transaction. The addresses already
//! seen are remembered in memory, so the usual request (a known key from a
//! known address) costs no query.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Mutex;

use serde_json::json;

use super::{Actor, Event, EventType, Target, record};
use crate::state::AppState;
use crate::store::KeyRow;

/// Pairs remembered before the set is cleared (and re-learnt from the
/// table): bounds memory whatever the number of keys and addresses.
const MAX_REMEMBERED: usize = 100_000;

#[derive(Default)]
/// Keyed by the key's row number, so a known pair costs no allocation.
pub struct SeenAddresses(Mutex<HashSet<(i64, IpAddr)>>);

impl AppState {
    pub(crate) fn note_key_address(&self, key: &KeyRow, ip: IpAddr) {
        {
            let mut seen = self
                .seen_addresses()
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if seen.len() >= MAX_REMEMBERED {
                seen.clear();
            }
            if !seen.insert((key.seq, ip)) {
                return;
            }
        }
        let (key_id, owner, org) = (key.id.clone(), key.owner_id.clone(), key.org_id.clone());
        let forget = (key.seq, ip);
        let state = self.clone();
        tokio::spawn(async move {
            let res = state
                .store()
                .run(move |c| {
                    let mut tx = c.write()?;
                    if tx.note_key_address(&key_id, &ip.to_string(), crate::util::now())? {
                        let actor = Actor {
                            user_id: Some(owner.clone()),
                            credential: Some(key_id.clone()),
                            ip: Some(ip),
                        };
                        let event = Event::new(EventType::KeyNewAddress, &org, actor)
                            .target(Target::key(&key_id), &owner)
                            .details(json!({ "ip": ip.to_string() }));
                        record(&mut *tx, &event)?;
                    }
                    tx.commit()
                })
                .await;
            if res.is_err() {
                // Forget it, so that the next use tries again.
                let mut seen = state
                    .seen_addresses()
                    .0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                seen.remove(&forget);
            }
        });
    }
}
