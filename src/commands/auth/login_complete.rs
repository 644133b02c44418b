//! `scripto auth login-complete`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Finish an e-mail login with the one-time code, mint a key and store it.
#[derive(Debug, Args)]
pub struct LoginCompleteArgs {
    /// The address the code was sent to
    #[arg(long, value_name = "EMAIL")]
    pub email: String,

    /// The 6-digit code from the e-mail
    #[arg(long, value_name = "CODE")]
    pub code: String,

    /// Name of the minted key [default: scripto-cli]
    #[arg(long, value_name = "KEY_NAME")]
    pub name: Option<String>,

    /// Name of the profile to store it as [default: from the e-mail address]
    #[arg(long, value_name = "PROFILE")]
    pub profile_name: Option<String>,

    /// How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never
    #[arg(long, value_name = "PERIOD")]
    pub expires_in: Option<String>,

    /// Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)
    #[arg(long, value_enum, value_name = "STORE")]
    pub storage: Option<crate::commands::StorageArg>,
}

pub fn run(_ctx: &Context, _args: &LoginCompleteArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
