//! `scripto profiles rename`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Rename a profile, its stored key included.
#[derive(Debug, Args)]
pub struct RenameArgs {
    #[arg(value_name = "OLD")]
    pub old: String,

    #[arg(value_name = "NEW")]
    pub new: String,
}

pub fn run(_ctx: &Context, _args: &RenameArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
