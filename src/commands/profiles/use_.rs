//! `scripto profiles use`
use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::env_vars;
use crate::error::Result;
use crate::invocation::Source;

/// Make a profile the active one.
///
/// This is the only command that changes the active profile; `--profile` and
/// SCRIPTO_PROFILE select one for a single command.
#[derive(Debug, Args)]
pub struct UseArgs {
    #[arg(value_name = "PROFILE")]
    pub name: String,
}

#[derive(Serialize)]
struct Used<'a> {
    active_profile: &'a str,
}

pub fn run(ctx: &Context, args: &UseArgs) -> Result<()> {
    let name = args.name.as_str();
    ctx.update_config(|config| {
        crate::store::profiles::find_profile(config, name)?;
        config.active_profile = Some(name.to_owned());
        Ok(())
    })?;
    if let Some(profile) = &ctx.invocation.profile
        && profile.source == Source::Env(env_vars::PROFILE)
        && profile.value != name
    {
        ctx.out.warn(format!(
            "{} is set to '{}', which still selects that profile wherever it is set",
            env_vars::PROFILE,
            profile.value
        ));
    }
    ctx.out.done(
        &Used {
            active_profile: name,
        },
        format!("Profile '{name}' is now active"),
    )
}
