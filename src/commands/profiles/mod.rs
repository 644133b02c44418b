//! `scripto profiles`: the stored keys, by name.

pub mod list;
pub mod pin;
pub mod remove;
pub mod rename;
pub mod show;
pub mod use_;

use clap::Subcommand;
use scripto_wire::types::Scope;
use serde::Serialize;

use crate::api::types::short_date;
use crate::context::Context;
use crate::display::masked_start;
use crate::error::Result;
use crate::store::StorageKind;
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

/// A profile as shown to the user: everything but the key itself, which is
/// only ever shown by its public start.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub active: bool,
    pub api_url: String,
    pub email: Option<String>,
    pub user_id: Option<String>,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub key_start: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<String>,
    pub storage: StorageKind,
    pub minted_by_cli: bool,
    pub verified: bool,
    pub created_at: String,
}

impl ProfileView {
    pub fn new(name: &str, profile: &Profile, active: bool) -> Self {
        Self {
            name: name.to_owned(),
            active,
            api_url: profile.api_url.clone(),
            email: profile.email.clone(),
            user_id: profile.user_id.clone(),
            key_id: profile.key_id.clone(),
            key_name: profile.key_name.clone(),
            key_start: profile.key_start.clone(),
            scopes: profile.scopes.clone(),
            expires_at: profile.expires_at.clone(),
            storage: profile.storage,
            minted_by_cli: profile.minted_by_cli,
            verified: profile.verified,
            created_at: profile.created_at.clone(),
        }
    }

    /// The key's public start, as shown in place of the key.
    pub fn masked_key(&self) -> String {
        masked_start(&self.key_start)
    }

    /// `2027-05-01` or `never`.
    pub fn expiry(&self) -> String {
        match &self.expires_at {
            Some(at) => short_date(at).to_owned(),
            None => "never".to_owned(),
        }
    }
}
