//! `scripto auth status`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Show who the resolved key belongs to, checked live against the server.
///
/// Exit 3 when the server refuses the key.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Check every stored profile
    #[arg(long)]
    pub all: bool,
}

pub fn run(_ctx: &Context, _args: &StatusArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
