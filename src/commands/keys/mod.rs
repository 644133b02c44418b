//! `scripto keys`: manage API keys on the server.

pub mod create;
pub mod get;
pub mod list;
pub mod revoke;
pub mod rotate;

use clap::Subcommand;

use crate::context::Context;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    Create(create::CreateArgs),
    List(list::ListArgs),
    Get(get::GetArgs),
    Revoke(revoke::RevokeArgs),
    Rotate(rotate::RotateArgs),
}

pub fn run(ctx: &Context, command: &KeysCommand) -> Result<()> {
    match command {
        KeysCommand::Create(args) => create::run(ctx, args),
        KeysCommand::List(args) => list::run(ctx, args),
        KeysCommand::Get(args) => get::run(ctx, args),
        KeysCommand::Revoke(args) => revoke::run(ctx, args),
        KeysCommand::Rotate(args) => rotate::run(ctx, args),
    }
}
