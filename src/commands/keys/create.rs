//! `scripto keys create`
use clap::Args;

use crate::context::Context;
use crate::error::{Error, Result};

/// Create an API key. The secret is shown once and never again.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// A name to recognise the key by (1–100 characters)
    #[arg(long, value_name = "NAME")]
    pub name: String,

    /// batch (default) or realtime
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub key_type: Option<crate::commands::KeyTypeArg>,

    /// read or write; repeat for both [default: read and write]
    #[arg(long = "scope", value_enum, value_name = "SCOPE")]
    pub scopes: Vec<crate::commands::ScopeArg>,

    /// Limit the key to this project; repeat for several
    #[arg(long = "project", value_name = "ID")]
    pub projects: Vec<String>,

    /// How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never
    #[arg(long, value_name = "PERIOD")]
    pub expires_in: Option<String>,

    /// Also store the new key as this profile
    #[arg(long, value_name = "PROFILE")]
    pub save_as: Option<String>,
}

pub fn run(_ctx: &Context, _args: &CreateArgs) -> Result<()> {
    Err(Error::unexpected("not implemented yet"))
}
