//! `scripto audit list`
use std::collections::HashSet;
use std::io::Write;
use std::time::{Duration, SystemTime};

use clap::Args;
use scripto_wire::types::AuditEvent;
use serde::Serialize;

use crate::api::Client;
use crate::api::types::parse_time;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::terminal_safe;
use crate::timefmt::Cells;
use comfy_table::Cell;

/// List audit events: keys created, rotated, revoked, refused or used from a
/// new address; logins and second factors that succeeded or failed; codes
/// requested; roles changed.
///
/// Admins see their organization's events; everyone else the events they
/// caused and the ones about themselves and their keys. Newest first; with
/// `--follow`, oldest first and then each new event as it comes, until
/// interrupted (JSON lines under `--json`).
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only events about this key or done with it (key_…)
    #[arg(long = "key", value_name = "ID")]
    pub key_id: Option<String>,

    /// Only events done by this user or credential (usr_…, key_…)
    #[arg(long, value_name = "ID")]
    pub actor: Option<String>,

    /// Only this type of event (key.created, login.failed, …)
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,

    /// Only events from this long ago on (24h, 7d) or since this time (RFC 3339)
    #[arg(long, value_name = "WHEN", value_parser = parse_since)]
    pub since: Option<String>,

    /// Events per page (1–100)
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,

    /// Follow the pages to the end
    #[arg(long, conflicts_with = "follow")]
    pub all: bool,

    /// Keep printing new events as they happen, until interrupted
    #[arg(long)]
    pub follow: bool,
}

/// How often `--follow` asks for new events.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

/// `--since`: a duration back from now, or an RFC 3339 time; sent as RFC 3339.
fn parse_since(raw: &str) -> std::result::Result<String, String> {
    if parse_time(raw).is_some() {
        return Ok(raw.trim().to_owned());
    }
    let back = humantime::parse_duration(raw.trim()).map_err(|_| {
        format!("`{raw}` is neither a duration (24h, 7d) nor a time (2026-11-30T12:00:00Z)")
    })?;
    let when = SystemTime::now()
        .checked_sub(back)
        .ok_or_else(|| format!("`{raw}` reaches back before 1970"))?;
    Ok(humantime::format_rfc3339_seconds(when).to_string())
}

#[derive(Debug, Serialize)]
struct Listing {
    events: Vec<AuditEvent>,
    has_more: bool,
    next_cursor: Option<String>,
}

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let client = ctx.client()?;
    let query = filters(args);
    if args.follow {
        return follow(ctx, &client, query);
    }
    let mut page_query = query;
    page_query.push(("limit", args.limit.to_string()));
    let page = client.list::<AuditEvent>(&["audit-events"], &page_query, args.all)?;
    let listing = Listing {
        events: page.items,
        has_more: page.has_more,
        next_cursor: page.next_cursor,
    };
    ctx.out.success(&listing, |w| {
        if listing.events.is_empty() {
            ctx.out.status("No audit events.");
            return Ok(());
        }
        let mut table = ctx
            .out
            .table(&["time", "type", "actor", "ip", "target", "outcome"]);
        let cells = Cells::new(&ctx.out);
        for event in &listing.events {
            // The time and the who/where/what columns are dim beside the
            // event type and its outcome.
            let row: Vec<Cell> = columns(event, &cells)
                .iter()
                .enumerate()
                .map(|(i, text)| match i {
                    1 | 5 => cells.text(text),
                    _ => cells.dim(text),
                })
                .collect();
            table.add_row(row);
        }
        writeln!(w, "{}", crate::output::Output::render_table(&table))?;
        if listing.has_more {
            ctx.out
                .status("More events exist: use --all to list every page, or a larger --limit.");
        }
        Ok(())
    })
}

fn filters(args: &ListArgs) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    if let Some(id) = &args.key_id {
        query.push(("key_id", id.clone()));
    }
    if let Some(actor) = &args.actor {
        query.push(("actor", actor.clone()));
    }
    if let Some(t) = &args.event_type {
        query.push(("type", t.clone()));
    }
    if let Some(since) = &args.since {
        query.push(("since", since.clone()));
    }
    query
}

/// Prints the newest page oldest first, then polls for events newer than
/// the last one printed. Events of the same second are told apart by id.
fn follow(ctx: &Context, client: &Client, query: Vec<(&'static str, String)>) -> Result<()> {
    let mut printed: HashSet<String> = HashSet::new();
    let mut since: Option<String> = None;
    loop {
        let mut page_query = query.clone();
        page_query.push(("limit", "100".to_owned()));
        if let Some(since) = &since {
            page_query.retain(|(name, _)| *name != "since");
            page_query.push(("since", since.clone()));
        }
        let page = client.get::<Vec<AuditEvent>>(&["audit-events"], &page_query)?;
        for event in page.data.into_iter().rev() {
            if printed.contains(&event.id) {
                continue;
            }
            since = Some(event.time.clone());
            printed.insert(event.id.clone());
            print_line(ctx, &event)?;
        }
        // Only the ids of the newest second can come back in the next poll.
        if printed.len() > 10_000 {
            printed.clear();
        }
        std::thread::sleep(FOLLOW_EVERY);
    }
}

fn print_line(ctx: &Context, event: &AuditEvent) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let written = if ctx.out.json {
        serde_json::to_writer(&mut stdout, event)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout))
    } else {
        writeln!(
            stdout,
            "{}",
            columns(event, &Cells::new(&ctx.out)).join("  ")
        )
    };
    written
        .and_then(|()| stdout.flush())
        .map_err(Error::from_output)
}

/// time (relative at a terminal, else RFC 3339), type, actor, ip, target, outcome: every value
/// came from the server, so each is made safe for a terminal.
fn columns(event: &AuditEvent, cells: &Cells) -> Vec<String> {
    let actor = event
        .actor
        .user_id
        .as_deref()
        .or(event.actor.credential.as_deref())
        .unwrap_or("anonymous");
    let mut outcome = event.outcome.clone();
    if let Some(count) = event.details.get("count").and_then(|c| c.as_u64())
        && count > 1
    {
        outcome = format!("{outcome} ×{count}");
    }
    [
        cells.when(&event.time),
        event.event_type.clone(),
        actor.to_owned(),
        event.ip.clone().unwrap_or_else(|| "-".to_owned()),
        event
            .target
            .as_ref()
            .map(|t| t.id.clone())
            .unwrap_or_else(|| "-".to_owned()),
        outcome,
    ]
    .iter()
    .map(|c| terminal_safe(c).into_owned())
    .collect()
}
