//! `scripto profiles pin`
use scripto_wire::codes;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::directory_profile::{self, FILE_NAME};
use crate::error::{Error, Result};

/// Pin a profile to the current directory (.scripto.toml).
///
/// Writes .scripto.toml here, naming the profile; commands run in this
/// directory and below then use it unless --profile or SCRIPTO_PROFILE says
/// otherwise (SCRIPTO_API_KEY and SCRIPTO_API_URL still win too). The file
/// holds only the profile's name, never a key or a server, so it is safe to
/// commit. `--remove` deletes it.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["name", "remove"]))]
pub struct PinArgs {
    /// The profile to pin (it must exist)
    #[arg(value_name = "PROFILE")]
    pub name: Option<String>,

    /// Delete the .scripto.toml of the current directory instead
    #[arg(long)]
    pub remove: bool,
}

#[derive(Serialize)]
struct Pinned<'a> {
    file: String,
    /// The pinned profile; `null` after `--remove`.
    profile: Option<&'a str>,
    /// Whether `--remove` found a file to delete.
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<bool>,
}

pub fn run(ctx: &Context, args: &PinArgs) -> Result<()> {
    let path = here()?.join(FILE_NAME);
    let file = path.display().to_string();
    let Some(name) = args.name.as_deref() else {
        let removed = match std::fs::remove_file(&path) {
            Ok(()) => true,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
            Err(err) => {
                return Err(Error::config(format!("cannot remove {file}: {err}"))
                    .with_code(codes::cli::DIRECTORY_FILE_UNWRITABLE));
            }
        };
        let message = if removed {
            format!("Removed {file}")
        } else {
            format!("There is no {file}; nothing to remove")
        };
        return ctx.out.done(
            &Pinned {
                file,
                profile: None,
                removed: Some(removed),
            },
            message,
        );
    };
    crate::store::profiles::find_profile(&ctx.config()?, name)?;
    write(&path, &directory_profile::contents(name)).map_err(|err| {
        Error::config(format!("cannot write {file}: {err}"))
            .with_code(codes::cli::DIRECTORY_FILE_UNWRITABLE)
    })?;
    ctx.out.done(
        &Pinned {
            file: file.clone(),
            profile: Some(name),
            removed: None,
        },
        format!("Pinned profile '{name}' in {file}: commands run here and below use it"),
    )
}

fn here() -> Result<PathBuf> {
    std::env::current_dir().map_err(|err| {
        Error::config(format!("cannot tell the current directory: {err}"))
            .with_code(codes::cli::DIRECTORY_UNKNOWN)
    })
}

/// Replaces the file whole (a temporary file renamed over it), 0644: only
/// its owner may change which profile it names.
fn write(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let temp = path.with_extension(format!("toml.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o644);
    }
    let written = options.open(&temp).and_then(|mut file| {
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temp, path)) {
        Ok(()) => Ok(()),
        Err(err) => {
            let _ = std::fs::remove_file(&temp);
            Err(err)
        }
    }
}
