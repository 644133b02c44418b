//! Reading the audit log: admins see their organization's events; everyone
//! else the events they caused and the events about themselves and their
//! keys. (Events are written by `crate::audit::record`, inside the
//! transaction of the change they describe.)

use scripto_wire::types::Role;

use crate::auth::Principal;
use crate::error::ApiErr;
use crate::state::AppState;
use crate::store::{EventQuery, EventRow};

/// The filters of a listing, already checked.
pub struct EventFilter {
    pub key_id: Option<String>,
    pub actor: Option<String>,
    pub kind: Option<&'static str>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// The last event id of the previous page.
    pub cursor: Option<String>,
    pub limit: usize,
}

/// A page of the events `p` may see, newest first; and whether there are
/// more.
pub async fn list(
    state: &AppState,
    p: &Principal,
    f: EventFilter,
) -> Result<(Vec<EventRow>, bool), ApiErr> {
    let visible_to = (!p.is_at_least(Role::Admin)).then(|| p.user.id.clone());
    let org_id = p.org.id.clone();
    let limit = f.limit;
    let mut rows = state
        .store()
        .run(move |c| {
            let mut query = EventQuery {
                org_id: &org_id,
                visible_to: visible_to.as_deref(),
                key_id: f.key_id.as_deref(),
                actor: f.actor.as_deref(),
                kind: f.kind,
                since: f.since,
                until: f.until,
                before_seq: i64::MAX,
                limit: f.limit,
            };
            if let Some(cursor) = &f.cursor {
                query.before_seq = c.event_seq(&query, cursor)?.ok_or_else(|| {
                    ApiErr::validation("cursor", "is not a cursor of this listing")
                })?;
            }
            Ok::<_, ApiErr>(c.list_events(&query)?)
        })
        .await?;
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    Ok((rows, has_more))
}
