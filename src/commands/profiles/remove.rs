//! `scripto profiles remove`
use clap::Args;
use scripto_wire::codes;
use serde::Serialize;

use crate::context::Context;
use crate::error::{Error, Result};

/// Remove a profile and its stored key (the key stays valid on the server).
///
/// Asks for confirmation at a terminal; elsewhere pass --yes.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[arg(value_name = "PROFILE")]
    pub name: String,
}

#[derive(Serialize)]
struct Removed<'a> {
    profile: &'a str,
    key_id: Option<String>,
}

pub fn run(ctx: &Context, args: &RemoveArgs) -> Result<()> {
    let name = args.name.as_str();
    let config = ctx.config()?;
    let profile = crate::store::profiles::find_profile(&config, name)?;
    let question = format!(
        "Remove profile '{name}' ({} on {})?",
        format_args!("{}…", profile.key_start),
        profile.api_url
    );
    if !ctx.prompt.confirm(&question)? {
        return Err(Error::usage("nothing was removed").with_code(codes::cli::CANCELLED));
    }
    ctx.profiles().remove(name)?;
    let revoke_hint = match &profile.key_id {
        Some(id) => format!("; revoke it with: scripto keys revoke {id}"),
        None => String::new(),
    };
    ctx.out.done(
        &Removed {
            profile: name,
            key_id: profile.key_id.clone(),
        },
        format!("Removed profile '{name}'. Its key stays valid on the server{revoke_hint}"),
    )
}
