//! `scripto profiles use`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Make a profile the active one.
#[derive(Debug, Args)]
pub struct UseArgs {
    #[arg(value_name = "PROFILE")]
    pub name: String,
}

pub fn run(_ctx: &Context, _args: &UseArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
