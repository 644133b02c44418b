//! `scripto profiles list`
use clap::Args;

use super::ProfileView;
use crate::context::Context;
use crate::error::Result;
use crate::output::Output;
use crate::timefmt::Cells;

/// List stored profiles; the active one is marked.
#[derive(Debug, Args)]
pub struct ListArgs {}

pub fn run(ctx: &Context, _args: &ListArgs) -> Result<()> {
    let config = ctx.config()?;
    let active = config.active_profile.as_deref();
    let views: Vec<ProfileView> = config
        .profiles
        .iter()
        .map(|(name, profile)| ProfileView::new(name, profile, active == Some(name.as_str())))
        .collect();
    if views.is_empty() && !ctx.out.json {
        ctx.out
            .status("No profiles are stored yet. Log in with: scripto auth login");
        return Ok(());
    }
    ctx.out.success(&views, |w| {
        let mut table = ctx
            .out
            .table(&["", "name", "email", "server", "key", "storage", "expires"]);
        let cells = Cells::new(&ctx.out);
        for view in &views {
            table.add_row(vec![
                cells.text(if view.active { "*" } else { "" }),
                cells.text(&view.name),
                cells.text(view.shown.email.as_deref().unwrap_or("-")),
                cells.dim(&view.shown.api_url),
                cells.dim(&view.shown.masked_key()),
                cells.dim(view.shown.storage.as_str()),
                cells.time(view.shown.expires_at.as_deref(), "never"),
            ]);
        }
        writeln!(w, "{}", Output::render_table(&table))
    })
}
