//! `scripto config get`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Print one setting's resolved value.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// api-url, output or storage
    #[arg(value_name = "NAME")]
    pub name: String,
}

pub fn run(_ctx: &Context, _args: &GetArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
