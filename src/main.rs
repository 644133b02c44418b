//! `scripto`: parse, run, and turn the outcome into an exit code.

use std::process::ExitCode;

use clap::FromArgMatches;
use scripto::cli::{self, Cli};
use scripto::commands;
use scripto::context::Context;
use scripto::error::Error;
use scripto::invocation;
use scripto::output::Output;

fn main() -> ExitCode {
    // A TAB in a shell: print the candidates and exit.
    scripto::complete::complete_if_asked();
    let matches = match cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => return usage_error(err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let ctx = match Context::new(cli.global, &matches) {
        Ok(ctx) => ctx,
        Err(err) => {
            return fail(
                &Output::new(invocation::json_requested(), false, true),
                &err,
            );
        }
    };
    match commands::run(&ctx, &cli.command) {
        Ok(exit) => ExitCode::from(exit.0),
        Err(err) => fail(&ctx.out, &err),
    }
}

fn fail(out: &Output, err: &Error) -> ExitCode {
    if err.is_broken_pipe() {
        return ExitCode::SUCCESS;
    }
    out.error(err);
    ExitCode::from(err.exit_code())
}

/// Help and version go to stdout with exit 0; a usage error is exit 2, and
/// under `--json` it is the error envelope like any other failure.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as Clap;
    if matches!(err.kind(), Clap::DisplayHelp | Clap::DisplayVersion) {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    if !invocation::json_requested() {
        let _ = err.print();
        return ExitCode::from(2);
    }
    let rendered = err.render().to_string();
    let message = rendered
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ")
        .to_owned();
    let error = Error::usage(message).with_next_action("scripto --help");
    Output::new(true, false, true).error(&error);
    ExitCode::from(2)
}
