//! `scripto auth mfa`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Finish a password login that asked for a second factor.
///
/// Uses the challenge that `scripto auth login` saved (it lives 5 minutes).
#[derive(Debug, Args)]
pub struct MfaArgs {
    /// The 6-digit code from the authenticator app
    #[arg(long, value_name = "CODE", group = "factor")]
    pub code: Option<String>,

    /// One of the single-use backup codes
    #[arg(long, value_name = "CODE", group = "factor")]
    pub backup_code: Option<String>,

    /// Read the TOTP code from stdin
    #[arg(long, group = "factor")]
    pub code_stdin: bool,
}

pub fn run(_ctx: &Context, _args: &MfaArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
