//! `scripto completions`

use std::io::Write;

use clap::Args;
use clap_complete::Shell;

use crate::context::Context;
use crate::error::{Error, Result};

/// Print a shell completion script.
///
/// The script asks `scripto` (which must be on PATH) for the candidates at
/// each TAB, so profile names and key ids complete too; key ids come from
/// the server, and after a second nothing is offered rather than keeping the
/// shell waiting.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(_ctx: &Context, args: &CompletionsArgs) -> Result<()> {
    let script = crate::complete::registration(args.shell);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&script)
        .and_then(|()| stdout.flush())
        .map_err(Error::from_output)
}
