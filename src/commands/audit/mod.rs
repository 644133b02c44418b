//! `scripto audit`: the server's audit log of keys and logins.

pub mod list;

use clap::Subcommand;

use crate::context::Context;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    List(list::ListArgs),
}

pub fn run(ctx: &Context, command: &AuditCommand) -> Result<()> {
    match command {
        AuditCommand::List(args) => list::run(ctx, args),
    }
}
