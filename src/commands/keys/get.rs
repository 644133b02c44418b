//! `scripto keys get`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Show one API key.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The key's id (key_…)
    #[arg(value_name = "ID")]
    pub id: String,
}

pub fn run(_ctx: &Context, _args: &GetArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
