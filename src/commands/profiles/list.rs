//! `scripto profiles list`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// List stored profiles; the active one is marked.
#[derive(Debug, Args)]
pub struct ListArgs {}

pub fn run(_ctx: &Context, _args: &ListArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
