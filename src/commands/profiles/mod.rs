//! `scripto profiles`: the stored keys, by name.

pub mod list;
pub mod pin;
pub mod remove;
pub mod rename;
pub mod show;
pub mod use_;

use clap::Subcommand;
use serde::Serialize;

use crate::context::Context;
use crate::display::ProfileShown;
use crate::error::Result;
use crate::store::config_layout::Profile;

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    List(list::ListArgs),
    Use(use_::UseArgs),
    Show(show::ShowArgs),
    Rename(rename::RenameArgs),
    Remove(remove::RemoveArgs),
    Pin(pin::PinArgs),
}

pub fn run(ctx: &Context, command: &ProfilesCommand) -> Result<()> {
    match command {
        ProfilesCommand::List(args) => list::run(ctx, args),
        ProfilesCommand::Use(args) => use_::run(ctx, args),
        ProfilesCommand::Show(args) => show::run(ctx, args),
        ProfilesCommand::Rename(args) => rename::run(ctx, args),
        ProfilesCommand::Remove(args) => remove::run(ctx, args),
        ProfilesCommand::Pin(args) => pin::run(ctx, args),
    }
}

/// A stored profile in `profiles list` and `profiles show`: its name,
/// whether it is active, and what [`ProfileShown`] shows of any profile.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub active: bool,
    #[serde(flatten)]
    pub shown: ProfileShown,
    pub verified: bool,
    pub created_at: String,
}

impl ProfileView {
    pub fn new(name: &str, profile: &Profile, active: bool) -> Self {
        Self {
            name: name.to_owned(),
            active,
            shown: ProfileShown::of(profile),
            verified: profile.verified,
            created_at: profile.created_at.clone(),
        }
    }
}
