//! `scripto auth`: log in, check, print and drop credentials.

mod challenge;
pub mod common;
pub mod login;
pub mod login_complete;
pub mod logout;
pub mod mfa;
mod second_factor;
pub mod status;
pub mod token;
pub mod web;

use clap::Subcommand;

use crate::context::Context;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    Login(login::LoginArgs),
    LoginComplete(login_complete::LoginCompleteArgs),
    Mfa(mfa::MfaArgs),
    Status(status::StatusArgs),
    Token(token::TokenArgs),
    Logout(logout::LogoutArgs),
}

pub fn run(ctx: &Context, command: &AuthCommand) -> Result<()> {
    match command {
        AuthCommand::Login(args) => login::run(ctx, args),
        AuthCommand::LoginComplete(args) => login_complete::run(ctx, args),
        AuthCommand::Mfa(args) => mfa::run(ctx, args),
        AuthCommand::Status(args) => status::run(ctx, args),
        AuthCommand::Token(args) => token::run(ctx, args),
        AuthCommand::Logout(args) => logout::run(ctx, args),
    }
}
