//! `scripto auth login`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Log in and store a new key as the active profile.
///
/// With `--email` alone, a one-time code is sent to the address: at a terminal
/// you are asked for it; without one the command prints the
/// `scripto auth login-complete` step to run and exits 9. With a password
/// (asked at a terminal, or `--password-stdin`) the password flow runs, with a
/// TOTP or backup-code step when the account has MFA. `--with-token` stores an
/// existing key read from stdin.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The account's e-mail address
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Log in with a password read from stdin (the first line)
    #[arg(long, conflicts_with = "with_token")]
    pub password_stdin: bool,

    /// Store an existing API key read from stdin, after checking it with the server
    #[arg(long)]
    pub with_token: bool,

    /// Name of the key minted for this login [default: scripto-cli, or scripto-cli@HOST for password logins]
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

pub fn run(_ctx: &Context, _args: &LoginArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
