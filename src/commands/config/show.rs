//! `scripto config show`
use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::display::storage_label;
use crate::error::Result;
use crate::invocation::Source;
use crate::invocation::Sourced;
use crate::output::Output;
use crate::settings::{self, KeyChoice};

/// Show every resolved setting and where it came from; secrets masked.
///
/// Never reads the keyring: a stored key is shown by its public start, which
/// config.json records.
#[derive(Debug, Args)]
pub struct ShowArgs {}

/// One resolved setting; `value` is `None` when nothing sets it.
#[derive(Serialize)]
struct Shown {
    value: Option<String>,
    source: Option<Source>,
}

impl Shown {
    fn from<T: ToString>(sourced: Sourced<T>) -> Self {
        Self {
            value: Some(sourced.value.to_string()),
            source: Some(sourced.source),
        }
    }

    fn unset() -> Self {
        Self {
            value: None,
            source: None,
        }
    }
}

#[derive(Serialize)]
struct Settings {
    config_file: String,
    config_file_exists: bool,
    profile: Shown,
    api_url: Shown,
    api_key: Shown,
    /// Where the key in use is kept, when it comes from a profile:
    /// `keyring` or `file` (what the profile really uses, whatever the
    /// `storage` default for new keys says).
    key_storage: Option<&'static str>,
    output: Shown,
    storage: Shown,
    timeout: Shown,
    profiles: usize,
}

pub fn run(ctx: &Context, _args: &ShowArgs) -> Result<()> {
    let path = ctx.config_path()?;
    let config = ctx.config()?;
    let directory = ctx.directory_profile()?;
    let selected = settings::selected_profile(&ctx.invocation, directory.as_ref(), Some(&config));
    let api_url = settings::api_url(&ctx.invocation, selected.as_ref(), Some(&config));
    let mut key_storage = None;
    let api_key = match settings::key_choice(&ctx.invocation, selected.clone()) {
        KeyChoice::Given(key) => Shown {
            value: Some(key.value.masked()),
            source: Some(key.source),
        },
        KeyChoice::Profile(name) => match config.profiles.get(&name.value) {
            Some(profile) => {
                key_storage = Some(profile.storage);
                Shown {
                    value: Some(format!("{}…", profile.key_start)),
                    source: Some(Source::Profile(name.value)),
                }
            }
            None => Shown::unset(),
        },
        KeyChoice::None => Shown::unset(),
    };
    let timeout = settings::timeout(&ctx.invocation);
    let output = ctx.output_format();
    let storage = settings::storage(None, Some(&config));
    let shown = Settings {
        config_file: path.display().to_string(),
        config_file_exists: path.is_file(),
        profile: selected.map_or_else(Shown::unset, Shown::from),
        api_url: Shown::from(api_url),
        api_key,
        key_storage: key_storage.map(|s| s.as_str()),
        output: Shown::from(Sourced {
            value: output.value.as_str(),
            source: output.source,
        }),
        storage: Shown::from(Sourced {
            value: storage.value.as_str(),
            source: storage.source,
        }),
        timeout: Shown::from(Sourced {
            value: humantime::format_duration(timeout.value),
            source: timeout.source,
        }),
        profiles: config.profiles.len(),
    };
    ctx.out.success(&shown, |w| {
        let mut table = ctx.out.table(&["setting", "value", "source"]);
        let rows = [
            ("profile", &shown.profile),
            ("api-url", &shown.api_url),
            ("api-key", &shown.api_key),
            ("output", &shown.output),
            ("storage (new keys)", &shown.storage),
            ("timeout", &shown.timeout),
        ];
        for (name, setting) in rows {
            let mut value = setting.value.clone().unwrap_or_else(|| "(none)".to_owned());
            if name == "api-key"
                && let Some(storage) = key_storage
            {
                value = format!("{value} (in {})", storage_label(storage));
            }
            table.add_row(vec![
                name.to_owned(),
                value,
                setting
                    .source
                    .as_ref()
                    .map_or_else(String::new, ToString::to_string),
            ]);
        }
        writeln!(w, "{}", Output::render_table(&table))?;
        writeln!(
            w,
            "\nconfig file: {}{}",
            shown.config_file,
            if shown.config_file_exists {
                match shown.profiles {
                    1 => " (1 profile)".to_owned(),
                    n => format!(" ({n} profiles)"),
                }
            } else {
                " (not created yet)".to_owned()
            }
        )
    })
}
