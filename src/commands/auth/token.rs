//! `scripto auth token`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Print the resolved API key on stdout, for `$(scripto auth token)`.
#[derive(Debug, Args)]
pub struct TokenArgs {}

pub fn run(_ctx: &Context, _args: &TokenArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
