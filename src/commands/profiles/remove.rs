//! `scripto profiles remove`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Remove a profile and its stored key (the key stays valid on the server).
#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[arg(value_name = "PROFILE")]
    pub name: String,
}

pub fn run(_ctx: &Context, _args: &RemoveArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
