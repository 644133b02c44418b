//! `completions/`: one script per shell clap_complete knows, for `scripto`.
//! The same bytes `scripto completions SHELL` prints, so either way of
//! installing them gives the same result.

use std::io;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use scripto::cli::Cli;

use crate::Files;

const BIN: &str = "scripto";

pub fn generate(files: &mut Files) -> io::Result<()> {
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), BIN, &mut script);
        // scripto.bash, _scripto, scripto.fish, _scripto.ps1, scripto.elv
        let path = Path::new("completions").join(shell.file_name(BIN));
        files.insert(path, script);
    }
    Ok(())
}
