//! `scripto keys rotate`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Replace a key with a new one with the same settings.
///
/// Creates the new key, stores it in every profile that held the old one,
/// checks it with the server, then revokes the old key. If a step fails, the
/// old key stays in place and working.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The key to rotate (key_…) [default: the key this command uses]
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

pub fn run(_ctx: &Context, _args: &RotateArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
