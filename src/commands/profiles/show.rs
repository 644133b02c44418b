//! `scripto profiles show`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Show one profile [default: the selected one].
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[arg(value_name = "PROFILE")]
    pub name: Option<String>,
}

pub fn run(_ctx: &Context, _args: &ShowArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
