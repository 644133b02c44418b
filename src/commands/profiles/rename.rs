//! `scripto profiles rename`
use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::error::Result;

/// Rename a profile, its stored key included.
#[derive(Debug, Args)]
pub struct RenameArgs {
    #[arg(value_name = "OLD")]
    pub old: String,

    #[arg(value_name = "NEW")]
    pub new: String,
}

#[derive(Serialize)]
struct Renamed<'a> {
    old: &'a str,
    new: &'a str,
}

pub fn run(ctx: &Context, args: &RenameArgs) -> Result<()> {
    ctx.profiles().rename(&args.old, &args.new)?;
    ctx.out.done(
        &Renamed {
            old: &args.old,
            new: &args.new,
        },
        format!("Profile '{}' is now '{}'", args.old, args.new),
    )
}
