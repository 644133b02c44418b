//! `scripto run`: a command with a key in its environment, so the key never
//! has to be printed, pasted or put in argv.
//!
//! Without `--ephemeral` this is the fast path: the key and server are
//! resolved as for any command (no network call, no client built) and the
//! command is started. With it, a key for this run is minted first and
//! revoked when the command exits, also when scripto is interrupted.

use std::ffi::OsString;
use std::time::Duration;

use clap::Args;

use crate::api::types::Scope;
use crate::child::{self, Child, EnvValue};
use crate::context::Context;
use crate::env_vars;
use crate::ephemeral::{self, EphemeralKey};
use crate::error::{Error, Result};

/// Run a command with an API key in its environment.
///
/// The command gets SCRIPTO_API_KEY and SCRIPTO_API_URL (the key and server
/// this invocation would use, e.g. from --profile or .scripto.toml) and
/// nothing else changes: its stdin, stdout and stderr are yours, scripto
/// prints nothing but its own errors, and the exit status is the command's
/// (128+N when signal N ended it). SIGINT, SIGTERM and SIGHUP sent to scripto
/// are passed to the command.
///
/// With --ephemeral, the command gets a key minted for this run only:
/// narrowed to --scope and --project (never wider than the key it is minted
/// with), expiring after DURATION, and revoked when the command exits.
#[derive(Debug, Args)]
#[command(
    trailing_var_arg = true,
    after_help = "Examples:\n  scripto run -- ./deploy.sh\n  scripto run --profile staging --ephemeral 15m --scope read -- make smoke-test"
)]
pub struct RunArgs {
    /// Give the command a key of its own that expires after DURATION (1m to 24h) and is revoked when it exits
    #[arg(long, value_name = "DURATION", value_parser = ephemeral::parse_lifetime)]
    pub ephemeral: Option<Duration>,

    /// Narrow the ephemeral key to this scope; repeat for both [default: the parent key's]
    #[arg(
        long = "scope",
        value_enum,
        value_name = "SCOPE",
        requires = "ephemeral"
    )]
    pub scopes: Vec<Scope>,

    /// Narrow the ephemeral key to this project; repeat for several [default: the parent key's]
    #[arg(long = "project", value_name = "ID", requires = "ephemeral")]
    pub projects: Vec<String>,

    /// Name of the ephemeral key [default: run:COMMAND@HOST]
    #[arg(long, value_name = "NAME", requires = "ephemeral")]
    pub name: Option<String>,

    /// The command to run and its arguments (after `--`)
    #[arg(
        value_name = "COMMAND",
        required = true,
        num_args = 1..,
        allow_hyphen_values = true
    )]
    pub command: Vec<OsString>,
}

/// Runs the command; its exit status.
pub fn run(ctx: &Context, args: &RunArgs) -> Result<u8> {
    let (program, program_args) = args
        .command
        .split_first()
        .ok_or_else(|| Error::usage("name a command to run: scripto run -- COMMAND"))?;
    let credential = ctx.credential()?;
    let api_url = ctx.api_url()?.value;
    // From here, a signal goes to the child (or, before it starts, is kept:
    // an interrupt must not leave an ephemeral key behind).
    child::catch_signals();
    let Some(lifetime) = args.ephemeral else {
        return child::run(&Child {
            program,
            args: program_args,
            env: vec![
                (env_vars::API_KEY, EnvValue::Secret(&credential.key)),
                (env_vars::API_URL, EnvValue::Plain(&api_url)),
            ],
        });
    };

    let scopes: Vec<Scope> = args.scopes.clone();
    let name = match &args.name {
        Some(name) => name.trim().to_owned(),
        None => ephemeral::default_name(program),
    };
    let client = ctx.client_with(&credential)?;
    let minted = ephemeral::mint(
        &client,
        &ephemeral::Request {
            name,
            scopes: &scopes,
            project_ids: &args.projects,
            lifetime,
        },
    )?;
    let status = run_with(&minted, program, program_args, &api_url);
    ephemeral::revoke(&client, &ctx.out, &minted);
    status
}

/// The child with the ephemeral key; not started at all if scripto was
/// interrupted while the key was being minted.
fn run_with(
    minted: &EphemeralKey,
    program: &OsString,
    args: &[OsString],
    api_url: &str,
) -> Result<u8> {
    if let Some(signal) = child::pending_signal() {
        return Ok((128 + signal) as u8);
    }
    child::run(&Child {
        program,
        args,
        env: vec![
            (env_vars::API_KEY, EnvValue::Secret(&minted.secret)),
            (env_vars::API_URL, EnvValue::Plain(api_url)),
        ],
    })
}
