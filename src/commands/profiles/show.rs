//! `scripto profiles show`
use clap::Args;
use scripto_wire::codes;

use super::ProfileView;
use crate::context::Context;
use crate::error::{Error, Result};

/// Show one profile [default: the selected one].
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[arg(value_name = "PROFILE")]
    pub name: Option<String>,
}

pub fn run(ctx: &Context, args: &ShowArgs) -> Result<()> {
    let config = ctx.config()?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => match ctx.selected_profile()? {
            Some(selected) => selected.value,
            None => {
                return Err(Error::usage("no profile is active, and none was named")
                    .with_code(codes::cli::NO_PROFILE)
                    .with_next_action("scripto profiles list"));
            }
        },
    };
    let profile = crate::store::profiles::find_profile(&config, &name)?;
    let view = ProfileView::new(
        &name,
        profile,
        config.active_profile.as_deref() == Some(name.as_str()),
    );
    ctx.out.success(&view, |w| {
        let scopes: Vec<&str> = view.shown.scopes.iter().map(|s| s.as_str()).collect();
        let unknown = || "-".to_owned();
        let rows = [
            (
                "profile",
                format!(
                    "{}{}",
                    view.name,
                    if view.active { " (active)" } else { "" }
                ),
            ),
            ("server", view.shown.api_url.clone()),
            ("email", view.shown.email.clone().unwrap_or_else(unknown)),
            ("user", view.shown.user_id.clone().unwrap_or_else(unknown)),
            ("key", view.shown.masked_key()),
            ("key id", view.shown.key_id.clone().unwrap_or_else(unknown)),
            (
                "key name",
                view.shown.key_name.clone().unwrap_or_else(unknown),
            ),
            (
                "scopes",
                if scopes.is_empty() {
                    unknown()
                } else {
                    scopes.join(", ")
                },
            ),
            ("expires", view.shown.expiry()),
            ("storage", view.shown.storage.as_str().to_owned()),
            (
                "verified",
                if view.verified { "yes" } else { "no" }.to_owned(),
            ),
            (
                "minted by",
                if view.shown.minted_by_cli {
                    "scripto (auth login)"
                } else {
                    "imported"
                }
                .to_owned(),
            ),
            ("stored at", view.created_at.clone()),
        ];
        crate::output::write_fields(w, 10, &rows)
    })
}
