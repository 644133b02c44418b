//! `scripto config unset`
use clap::Args;
use serde::Serialize;

use super::Setting;
use crate::context::Context;
use crate::error::Result;

/// Remove a default from the config file.
#[derive(Debug, Args)]
pub struct UnsetArgs {
    /// api-url, output or storage
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Serialize)]
struct Unset {
    name: &'static str,
    /// False when there was no such default to remove.
    removed: bool,
}

pub fn run(ctx: &Context, args: &UnsetArgs) -> Result<()> {
    let setting = Setting::parse(&args.name)?;
    let removed = ctx.update_config(|config| {
        let defaults = &mut config.defaults;
        Ok(match setting {
            Setting::ApiUrl => defaults.api_url.take().is_some(),
            Setting::Output => defaults.output.take().is_some(),
            Setting::Storage => defaults.storage.take().is_some(),
        })
    })?;
    let message = if removed {
        format!("{} is back to its built-in default", setting.name())
    } else {
        format!("{} had no default set", setting.name())
    };
    ctx.out.done(
        &Unset {
            name: setting.name(),
            removed,
        },
        message,
    )
}
