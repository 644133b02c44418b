//! `scripto auth status`
use clap::Args;
use scripto_wire::codes;

use std::io::Write;

use serde::Serialize;
use serde_json::json;

use crate::api::types::{ApiKey, Me, Project, User};
use crate::api::{Client, warn_expiry};
use crate::context::Context;
use crate::credential::ResolvedCredential;
use crate::display::ALL_PROJECTS;
use crate::display::{masked_start, scope_names, storage_label};
use crate::error::{Error, ErrorKind, Result};
use crate::invocation::Source;
use crate::output::Output;
use crate::store::StorageKind;
use crate::timefmt::Cells;

/// Show who the resolved key belongs to, checked live against the server.
///
/// Exit 3 when the server refuses the key.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Check every stored profile
    #[arg(long)]
    pub all: bool,
}

/// Who a key belongs to and what it may do, as the server says now.
#[derive(Debug, Serialize)]
pub struct Status {
    pub profile: Option<String>,
    /// Where the key came from: a flag, the environment, or a profile.
    pub source: Source,
    /// Which store holds it, for a profile's key.
    pub storage: Option<StorageKind>,
    pub api_url: String,
    pub user: User,
    pub organization: crate::api::types::Organization,
    pub key: KeyInUse,
    pub projects: Option<Vec<Project>>,
}

#[derive(Debug, Serialize)]
/// The key in use, as the server describes it (never its secret).
pub struct KeyInUse {
    pub id: Option<String>,
    pub name: Option<String>,
    pub start: String,
    pub scopes: Vec<crate::api::types::Scope>,
    pub project_ids: Vec<String>,
    pub expires_at: Option<String>,
}

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<()> {
    if args.all {
        return run_all(ctx);
    }
    let credential = ctx.credential()?;
    let client = ctx.client_with(&credential)?;
    let status = check(ctx, &client, &credential)?;
    ctx.out
        .success(&status, |w| print_status(w, &status, &Cells::new(&ctx.out)))
}

/// Asks the server who the key is. A refusal is exit 3 and says which key,
/// from where, was refused.
fn check(ctx: &Context, client: &Client, credential: &ResolvedCredential) -> Result<Status> {
    let start = scripto_wire::key_start(credential.key.expose()).to_owned();
    let me: Me = client
        .get(&["me"], &[])
        .map_err(|err| refused(err, &start, credential))?
        .data;
    if let Some(expires_at) = &me.credential.expires_at {
        // The server's expiry is the truth. A profile's recorded one was
        // already warned about when the client was made; a given key's
        // expiry is only known now.
        let recorded = credential.profile.as_ref().and_then(|profile| {
            ctx.config()
                .ok()
                .and_then(|c| c.profiles.get(profile).and_then(|p| p.expires_at.clone()))
        });
        if recorded.as_deref() != Some(expires_at) {
            warn_expiry(ctx, &credential.source.to_string(), expires_at);
        }
    }
    // Both are read-scope calls a key may not be allowed; status still stands.
    let name = me
        .credential
        .key_id
        .as_deref()
        .and_then(|id| client.get::<ApiKey>(&["keys", id], &[]).ok())
        .map(|a| a.data.name);
    let projects = client
        .get::<Vec<Project>>(&["projects"], &[])
        .ok()
        .map(|a| a.data);
    Ok(Status {
        profile: credential.profile.clone(),
        source: credential.source.clone(),
        storage: credential.storage,
        api_url: client.base_url().to_owned(),
        user: me.user,
        organization: me.organization,
        key: KeyInUse {
            id: me.credential.key_id,
            name,
            start,
            scopes: me.credential.scopes,
            project_ids: me.credential.project_ids,
            expires_at: me.credential.expires_at,
        },
        projects,
    })
}

fn refused(err: Error, start: &str, credential: &ResolvedCredential) -> Error {
    if err.kind != ErrorKind::NotAuthenticated {
        return err;
    }
    let held = match credential.storage {
        Some(storage) => format!(" (stored in {})", storage_label(storage)),
        None => String::new(),
    };
    let next = match &credential.profile {
        Some(profile) => format!("scripto auth login --profile-name {profile}"),
        None => "pass a valid key, or log in with `scripto auth login`".to_owned(),
    };
    let refused = err.map_message(|m| {
        format!(
            "the server refused the key {} from {}{held}: {m}",
            masked_start(start),
            credential.source,
        )
    });
    Error {
        kind: ErrorKind::NotAuthenticated,
        ..refused.with_next_action(next)
    }
}

fn print_status(w: &mut dyn Write, status: &Status, cells: &Cells) -> std::io::Result<()> {
    let source = match status.storage {
        Some(storage) => format!("{} ({})", status.source, storage_label(storage)),
        None => status.source.to_string(),
    };
    // As `keys get` says it: the key's own limit, "all projects" when it
    // has none; names where this key may read them.
    let name_of = |id: &str| {
        status
            .projects
            .iter()
            .flatten()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_owned(), |p| format!("{} ({id})", p.name))
    };
    let projects = if status.key.project_ids.is_empty() {
        ALL_PROJECTS.to_owned()
    } else {
        status
            .key
            .project_ids
            .iter()
            .map(|id| name_of(id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let key = match &status.key.name {
        Some(name) => format!("{} ({name})", masked_start(&status.key.start)),
        None => masked_start(&status.key.start),
    };
    let rows = [
        (
            "Profile",
            status.profile.clone().unwrap_or_else(|| "-".into()),
        ),
        ("E-mail", status.user.email.clone()),
        (
            "Organization",
            format!(
                "{} ({})",
                status.organization.name, status.organization.plan
            ),
        ),
        ("Role", status.user.role.as_str().to_owned()),
        ("Server", status.api_url.clone()),
        ("Key", key),
        ("Scopes", scope_names(&status.key.scopes)),
        ("Projects", projects),
        (
            "Expires",
            status
                .key
                .expires_at
                .as_deref()
                .map_or_else(|| "never".into(), |at| cells.when(at)),
        ),
        ("Key from", source),
    ];
    crate::output::write_fields(w, 13, &rows)
}

/// One line per profile, each checked against its own server.
#[derive(Debug, Serialize)]
struct ProfileCheck {
    profile: String,
    active: bool,
    api_url: String,
    email: Option<String>,
    /// The organization's name, when the server answered.
    organization: Option<String>,
    key_start: String,
    storage: StorageKind,
    /// `ok`, or the error code that stopped the check.
    state: String,
    message: Option<String>,
}

fn run_all(ctx: &Context) -> Result<()> {
    let config = ctx.config()?;
    if config.profiles.is_empty() {
        return Err(Error::not_authenticated("no profile is stored")
            .with_code(codes::cli::NO_CREDENTIAL)
            .with_next_action("scripto auth login"));
    }
    let mut checks = Vec::new();
    for (name, profile) in &config.profiles {
        let outcome = ctx.profiles().key(name).and_then(|key| {
            let client = ctx.client_for(&profile.api_url, Some(key))?;
            client.get::<Me>(&["me"], &[]).map(|a| a.data)
        });
        let (state, message, email, organization) = match outcome {
            Ok(me) => (
                "ok".to_owned(),
                None,
                Some(me.user.email),
                Some(me.organization.name),
            ),
            Err(err) => (
                err.code.clone(),
                Some(err.message),
                profile.email.clone(),
                None,
            ),
        };
        checks.push(ProfileCheck {
            profile: name.clone(),
            active: config.active_profile.as_deref() == Some(name),
            api_url: profile.api_url.clone(),
            email,
            organization,
            key_start: profile.key_start.clone(),
            storage: profile.storage,
            state,
            message,
        });
    }
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c.state != "ok")
        .map(|c| c.profile.as_str())
        .collect();
    if failed.is_empty() || !ctx.out.json {
        ctx.out.success(&checks, |w| {
            // The organization names whose keys a profile holds; the e-mail
            // is in --json.
            let mut table = ctx.out.table(&[
                "",
                "profile",
                "organization",
                "server",
                "key",
                "store",
                "state",
            ]);
            let cells = Cells::new(&ctx.out);
            for c in &checks {
                table.add_row(vec![
                    cells.text(if c.active { "*" } else { "" }),
                    cells.text(&c.profile),
                    cells.text(c.organization.as_deref().unwrap_or("-")),
                    cells.dim(&c.api_url),
                    cells.dim(&masked_start(&c.key_start)),
                    cells.dim(c.storage.as_str()),
                    match &c.message {
                        Some(m) => cells.outcome(&format!("{}: {m}", c.state), false),
                        None => cells.outcome(&c.state, true),
                    },
                ]);
            }
            writeln!(w, "{}", Output::render_table(&table))
        })?;
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::NotAuthenticated,
        format!(
            "{} of {} profiles could not authenticate: {}",
            failed.len(),
            checks.len(),
            failed.join(", ")
        ),
    )
    .with_code(codes::cli::PROFILES_FAILED)
    .with_details(json!({ "profiles": checks })))
}
