//! `scripto config path`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Print the path of the config file.
#[derive(Debug, Args)]
pub struct PathArgs {}

pub fn run(_ctx: &Context, _args: &PathArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
