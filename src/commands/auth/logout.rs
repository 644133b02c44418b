//! `scripto auth logout`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Remove a profile and its stored key.
///
/// A key the CLI minted itself is revoked on the server; an imported one is
/// kept unless `--revoke` is given.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The profile to log out [default: the active one]
    #[arg(value_name = "PROFILE")]
    pub profile_name: Option<String>,

    /// Revoke the key on the server even if it was imported
    #[arg(long, conflicts_with = "keep_key")]
    pub revoke: bool,

    /// Keep the key valid on the server even if the CLI minted it
    #[arg(long)]
    pub keep_key: bool,
}

pub fn run(_ctx: &Context, _args: &LogoutArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
