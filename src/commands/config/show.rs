//! `scripto config show`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Show every resolved setting and where it came from; secrets masked.
#[derive(Debug, Args)]
pub struct ShowArgs {}

pub fn run(_ctx: &Context, _args: &ShowArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
