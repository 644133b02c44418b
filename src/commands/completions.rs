//! `scripto completions`

use clap::Args;
use clap_complete::Shell;

use crate::cli;
use crate::context::Context;
use crate::error::{Error, Result};

/// Print a shell completion script.
///
/// bash: `scripto completions bash > ~/.local/share/bash-completion/completions/scripto`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(_ctx: &Context, args: &CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cli::command(), "scripto", &mut script);
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&script)
        .and_then(|()| stdout.flush())
        .map_err(Error::from_output)
}
