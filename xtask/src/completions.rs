//! `completions/`: one script per shell clap_complete knows, for `scripto`
//! and `scripto-server`. For `scripto` they are the same bytes that
//! `scripto completions SHELL` prints (scripts that ask `scripto` for the
//! candidates, see src/complete.rs), so either way of installing them gives
//! the same result; `scripto-server`'s are static.

use std::io;
use std::path::Path;

use clap_complete::{Generator, Shell};
use scripto::complete;

use crate::Files;

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

pub fn generate(files: &mut Files) -> io::Result<()> {
    for shell in SHELLS {
        // e.g. scripto.bash, _scripto, scripto.fish, _scripto.ps1, scripto.elv
        let path = Path::new("completions").join(shell.file_name("scripto"));
        files.insert(path, complete::registration(shell));
    }
    let bin = "scripto-server";
    for shell in SHELLS {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut scripto_server::cli::command(), bin, &mut script);
        if shell == Shell::Bash {
            script = fix_bash_hyphenated_name(script, bin);
        }
        let path = Path::new("completions").join(shell.file_name(bin));
        files.insert(path, script);
    }
    Ok(())
}

/// clap_complete 4.6's bash script names the state of a hyphenated binary
/// two ways: `scripto__server` where it walks the words typed, and
/// `scripto__subcmd__server__…` in the `case` that offers the candidates,
/// so nothing past `scripto-server <TAB>` completes. Use the first spelling
/// throughout. A no-op for names without a hyphen, and once clap_complete
/// is fixed.
fn fix_bash_hyphenated_name(script: Vec<u8>, bin: &str) -> Vec<u8> {
    if !bin.contains('-') {
        return script;
    }
    let text = String::from_utf8(script).expect("clap_complete writes UTF-8");
    let wrong = bin.replace('-', "__subcmd__");
    let right = bin.replace('-', "__");
    text.replace(&wrong, &right).into_bytes()
}
