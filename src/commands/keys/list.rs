//! `scripto keys list`
use clap::Args;
use serde::Serialize;

use crate::api::types::{ApiKey, KeyStatusFilter};
use crate::context::Context;
use crate::display::{masked_start, scope_names};
use crate::error::Result;
use crate::output::Output;
use crate::timefmt::Cells;

/// List API keys: one page of --limit, or every page with --paginate.
///
/// With `--json`, `data` is `{"keys": [...], "has_more": bool, "next_cursor":
/// string|null}`; keys never include their secret.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which keys to show
    #[arg(long, value_enum, default_value = "active")]
    pub status: KeyStatusFilter,

    /// Every key of the organization, not only yours (admins)
    #[arg(long)]
    pub all_owners: bool,

    /// Keys per page (1–100)
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,

    /// Follow the pages to the end (which keys: --status)
    #[arg(long)]
    pub paginate: bool,

    /// Deprecated: the old name of --paginate (it never meant every status)
    #[arg(long, hide = true)]
    pub all: bool,
}

/// `data` under `--json`: the keys, and where the next page starts when
/// there is one (`--paginate` reads them all, so then there is none).
#[derive(Debug, Serialize)]
struct Listing {
    keys: Vec<ApiKey>,
    has_more: bool,
    next_cursor: Option<String>,
}

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    if args.all {
        // Read as "every status" by most who typed it; kept working for one
        // release (docs/decisions.md).
        ctx.out.warn(
            "--all is now --paginate (every page); for every status use --status all. \
             --all will be removed in the next release",
        );
    }
    let paginate = args.paginate || args.all;
    let client = ctx.client()?;
    let status = args.status.as_str();
    let mut query = vec![
        ("status", status.to_owned()),
        ("limit", args.limit.to_string()),
    ];
    if args.all_owners {
        query.push(("owner", "all".to_owned()));
    }
    let page = client.list::<ApiKey>(&["keys"], &query, paginate)?;
    let listing = Listing {
        keys: page.items,
        has_more: page.has_more,
        next_cursor: page.next_cursor,
    };
    ctx.out.success(&listing, |w| {
        if listing.keys.is_empty() {
            ctx.out.status(format!("No {status} keys."));
            return Ok(());
        }
        // The allow-lists get a column only when a key has one.
        let with_ips = listing.keys.iter().any(|k| !k.allowed_ips.is_empty());
        let mut header = vec![
            "id",
            "name",
            "start",
            "type",
            "scopes",
            "expires",
            "last used",
            "status",
        ];
        if with_ips {
            header.push("allowed ips");
        }
        let mut table = ctx.out.table(&header);
        let cells = Cells::new(&ctx.out);
        for key in &listing.keys {
            let mut row = vec![
                cells.dim(&key.id),
                cells.text(&key.name),
                cells.dim(&masked_start(&key.start)),
                cells.text(key.key_type.as_str()),
                cells.dim(&scope_names(&key.scopes)),
                cells.time(key.expires_at.as_deref(), "never"),
                cells.time(key.last_used_at.as_deref(), "never"),
                cells.status(key.status.as_str()),
            ];
            if with_ips {
                row.push(cells.dim(&match key.allowed_ips.as_slice() {
                    [] => "any".to_owned(),
                    ips => ips.join(" "),
                }));
            }
            table.add_row(row);
        }
        writeln!(w, "{}", Output::render_table(&table))?;
        if listing.has_more {
            ctx.out
                .status("More keys exist: use --paginate to list every page, or a larger --limit.");
        }
        Ok(())
    })
}
