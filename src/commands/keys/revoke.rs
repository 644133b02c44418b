//! `scripto keys revoke`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Revoke API keys; they stop working on the next request.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The ids of the keys to revoke (key_…)
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
}

pub fn run(_ctx: &Context, _args: &RevokeArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
