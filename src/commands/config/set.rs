//! `scripto config set`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Store an API key as a profile, or set a default.
///
/// `scripto config set --api-key KEY|- [--api-url URL] [--profile-name P]`
/// stores a key (checked with the server unless --no-verify);
/// `scripto config set NAME VALUE` sets `api-url`, `output` or `storage`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The setting: api-url, output or storage
    #[arg(value_name = "NAME", requires = "value")]
    pub name: Option<String>,

    /// Its value
    #[arg(value_name = "VALUE")]
    pub value: Option<String>,

    /// Name of the profile for the key given with --api-key [default: default]
    #[arg(long, value_name = "PROFILE")]
    pub profile_name: Option<String>,

    /// Store the key without checking it with the server
    #[arg(long)]
    pub no_verify: bool,

    /// Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)
    #[arg(long, value_enum, value_name = "STORE")]
    pub storage: Option<crate::commands::StorageArg>,
}

pub fn run(_ctx: &Context, _args: &SetArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
