//! `scripto config unset`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Remove a default from the config file.
#[derive(Debug, Args)]
pub struct UnsetArgs {
    /// api-url, output or storage
    #[arg(value_name = "NAME")]
    pub name: String,
}

pub fn run(_ctx: &Context, _args: &UnsetArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
