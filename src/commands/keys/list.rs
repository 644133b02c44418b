//! `scripto keys list`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// List API keys: one page of --limit, or every page with --all.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which keys to show
    #[arg(long, value_enum, default_value = "active")]
    pub status: crate::commands::StatusFilter,

    /// Every key of the organization, not only yours (admins)
    #[arg(long)]
    pub all_owners: bool,

    /// Keys per page (1–100)
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,

    /// Follow the pages to the end
    #[arg(long)]
    pub all: bool,
}

pub fn run(_ctx: &Context, _args: &ListArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
