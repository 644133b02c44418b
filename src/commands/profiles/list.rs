//! `scripto profiles list`
use clap::Args;

use super::ProfileView;
use crate::context::Context;
use crate::error::Result;
use crate::output::Output;

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
        for view in &views {
            table.add_row(vec![
                if view.active { "*" } else { "" }.to_owned(),
                view.name.clone(),
                view.email.clone().unwrap_or_else(|| "-".to_owned()),
                view.api_url.clone(),
                view.masked_key(),
                view.storage.as_str().to_owned(),
                view.expiry(),
            ]);
        }
        writeln!(w, "{}", Output::render_table(&table))
    })
}
