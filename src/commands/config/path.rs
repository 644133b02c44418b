//! `scripto config path`
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::error::Result;

/// Print the path of the config file.
#[derive(Debug, Args)]
pub struct PathArgs {}

#[derive(Serialize)]
struct ConfigPath {
    path: PathBuf,
    exists: bool,
}

pub fn run(ctx: &Context, _args: &PathArgs) -> Result<()> {
    let path = ctx.config_path()?;
    let found = ConfigPath {
        exists: path.is_file(),
        path,
    };
    ctx.out
        .success(&found, |w| writeln!(w, "{}", found.path.display()))
}
