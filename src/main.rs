//! `scripto`: parse, run, and turn the outcome into an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use scripto::cli::Cli;
use scripto::commands;
use scripto::context::{self, Context};
use scripto::error::Error;
use scripto::output::Output;

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => return usage_error(err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let ctx = match Context::new(cli.global, &matches) {
        Ok(ctx) => ctx,
        // `--json` is among the arguments `json_without_context` reads.
        Err(err) => {
            return fail(
                &Output::new(context::json_without_context(), false, true),
                &err,
            );
        }
    };
    if let commands::Command::Run(args) = &cli.command {
        return match commands::run::run(&ctx, args) {
            Ok(status) => ExitCode::from(status),
            Err(err) => fail(&ctx.out, &err),
        };
    }
    match commands::run(&ctx, &cli.command) {
        Ok(()) => ExitCode::SUCCESS,
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
    if !context::json_without_context() {
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
