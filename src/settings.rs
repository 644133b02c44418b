//! Precedence: which value each setting takes, and where it came from.
//!
//! For every setting: flag, then environment, then the selected profile, then
//! the config file's defaults, then the built-in default. The profile itself
//! is chosen by flag, then environment, then the nearest `.scripto.toml`
//! (src/directory_profile.rs), then the active profile. A flag beats every
//! environment variable, not only its own: `--profile staging` in a CI job
//! that exports `SCRIPTO_API_KEY` and `SCRIPTO_API_URL` uses staging's key and
//! server, since the person typing the flag meant it for this one command.
//!
//! These functions are pure: the caller (`Context`) loads the config file only
//! when a setting needs it.

use std::time::Duration;

use scripto_wire::Secret;

use crate::invocation::Invocation;
use crate::invocation::Source;
use crate::invocation::Sourced;
use crate::store::StoragePreference;
use crate::store::config_layout::{ConfigFile, OutputFormat};

pub const DEFAULT_API_URL: &str = "http://127.0.0.1:8787";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest `--timeout`/`SCRIPTO_TIMEOUT` accepted. A larger value is
/// refused rather than capped: `1e19` meant "never give up" to whoever typed
/// it, and quietly waiting ten minutes instead would surprise them as much.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// The profile this command uses: `--profile`, `SCRIPTO_PROFILE`, the
/// profile of the directory file (`directory`), else the active one on disk
/// (when `config` is given and names one).
pub fn selected_profile(
    invocation: &Invocation,
    directory: Option<&Sourced<String>>,
    config: Option<&ConfigFile>,
) -> Option<Sourced<String>> {
    if let Some(profile) = &invocation.profile {
        return Some(profile.clone());
    }
    if let Some(profile) = directory {
        return Some(profile.clone());
    }
    let active = config?.active_profile.clone()?;
    Some(Sourced {
        value: active,
        source: Source::ActiveProfile,
    })
}

/// Whether the profile selection needs config.json at all.
pub fn profile_needs_config(invocation: &Invocation) -> bool {
    invocation.profile.is_none()
}

/// Where the API key comes from, before anything is read from storage.
#[derive(Debug, Clone)]
pub enum KeyChoice {
    /// `--api-key` or `SCRIPTO_API_KEY`: storage is never touched.
    Given(Sourced<Secret>),
    /// The key stored for this profile.
    Profile(Sourced<String>),
    None,
}

/// `--api-key` > `--profile` > `SCRIPTO_API_KEY` > `SCRIPTO_PROFILE` > the
/// active profile. `selected` is [`selected_profile`]'s answer.
pub fn key_choice(invocation: &Invocation, selected: Option<Sourced<String>>) -> KeyChoice {
    let given = invocation.api_key.clone();
    if let Some(key) = &given
        && key.source.is_flag()
    {
        return KeyChoice::Given(key.clone());
    }
    if let Some(profile) = &selected
        && profile.source.is_flag()
    {
        return KeyChoice::Profile(profile.clone());
    }
    if let Some(key) = given {
        return KeyChoice::Given(key);
    }
    match selected {
        Some(profile) => KeyChoice::Profile(profile),
        None => KeyChoice::None,
    }
}

/// `--api-url` > `--profile`'s server > `SCRIPTO_API_URL` > the server of
/// `SCRIPTO_PROFILE` or the active profile > `defaults.api_url` > built-in.
/// A selected profile that does not exist contributes nothing here; the
/// credential lookup reports it.
pub fn api_url(
    invocation: &Invocation,
    selected: Option<&Sourced<String>>,
    config: Option<&ConfigFile>,
) -> Sourced<String> {
    let given = invocation.api_url.clone();
    if let Some(url) = &given
        && url.source.is_flag()
    {
        return url.clone();
    }
    let profile_url = || {
        let name = selected?;
        let profile = config?.profiles.get(&name.value)?;
        Some(Sourced {
            value: profile.api_url.clone(),
            source: Source::Profile(name.value.clone()),
        })
    };
    if selected.is_some_and(|p| p.source.is_flag())
        && let Some(url) = profile_url()
    {
        return url;
    }
    if let Some(url) = given {
        return url;
    }
    if let Some(url) = profile_url() {
        return url;
    }
    if let Some(url) = config.and_then(|c| c.defaults.api_url.clone()) {
        return Sourced {
            value: url,
            source: Source::ConfigDefault,
        };
    }
    Sourced {
        value: DEFAULT_API_URL.to_owned(),
        source: Source::BuiltIn,
    }
}

/// Whether [`api_url`] can be answered without config.json.
pub fn api_url_needs_config(invocation: &Invocation) -> bool {
    !invocation
        .api_url
        .as_ref()
        .is_some_and(|url| url.source.is_flag())
}

/// `--storage` > `defaults.storage` > auto.
pub fn storage(
    flag: Option<StoragePreference>,
    config: Option<&ConfigFile>,
) -> Sourced<StoragePreference> {
    if let Some(value) = flag {
        return Sourced {
            value,
            source: Source::Flag("--storage"),
        };
    }
    if let Some(value) = config.and_then(|c| c.defaults.storage) {
        return Sourced {
            value,
            source: Source::ConfigDefault,
        };
    }
    Sourced {
        value: StoragePreference::Auto,
        source: Source::BuiltIn,
    }
}

/// `--json` > `SCRIPTO_OUTPUT` > `defaults.output` > human.
pub fn output(invocation: &Invocation, config: Option<&ConfigFile>) -> Sourced<OutputFormat> {
    if let Some(output) = &invocation.output {
        return output.clone();
    }
    if let Some(value) = config.and_then(|c| c.defaults.output) {
        return Sourced {
            value,
            source: Source::ConfigDefault,
        };
    }
    Sourced {
        value: OutputFormat::Human,
        source: Source::BuiltIn,
    }
}

/// `--timeout` > `SCRIPTO_TIMEOUT` > 30 seconds.
pub fn timeout(invocation: &Invocation) -> Sourced<Duration> {
    invocation.timeout.clone().unwrap_or(Sourced {
        value: DEFAULT_TIMEOUT,
        source: Source::BuiltIn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::config_layout::Profile;

    fn invocation() -> Invocation {
        Invocation {
            profile: None,
            api_key: None,
            api_url: None,
            config_dir: None,
            timeout: None,
            output: None,
            no_input: true,
            yes: false,
            verbose: false,
        }
    }

    fn config_with(name: &str, url: &str) -> ConfigFile {
        let mut config = ConfigFile::default();
        let key = Secret::new(scripto_wire::key::format_key(
            "Ab3dEfGhIjKlMnOpQrStUvWxYz012345",
        ));
        config
            .profiles
            .insert(name.to_owned(), Profile::new(url, &key));
        config.active_profile = Some(name.to_owned());
        config
    }

    #[test]
    fn a_selected_profile_that_does_not_exist_gives_no_server() {
        let mut inv = invocation();
        inv.profile = Some(Sourced {
            value: "typo".into(),
            source: Source::Flag("--profile"),
        });
        inv.api_url = Some(Sourced {
            value: "https://env.example".into(),
            source: Source::Env("SCRIPTO_API_URL"),
        });
        let config = config_with("work", "https://work.example");
        let selected = selected_profile(&inv, None, Some(&config));
        let url = api_url(&inv, selected.as_ref(), Some(&config));
        assert_eq!(url.value, "https://env.example");
    }

    #[test]
    fn a_profile_flag_beats_a_key_in_the_environment() {
        let mut inv = invocation();
        inv.api_key = Some(Sourced {
            value: Secret::new("scripto_x"),
            source: Source::Env("SCRIPTO_API_KEY"),
        });
        inv.profile = Some(Sourced {
            value: "staging".into(),
            source: Source::Flag("--profile"),
        });
        let selected = selected_profile(&inv, None, None);
        assert!(
            matches!(key_choice(&inv, selected), KeyChoice::Profile(p) if p.value == "staging")
        );
    }

    #[test]
    fn nothing_set_means_the_built_in_defaults() {
        let inv = invocation();
        assert_eq!(api_url(&inv, None, None).value, DEFAULT_API_URL);
        assert_eq!(api_url(&inv, None, None).source, Source::BuiltIn);
        assert_eq!(timeout(&inv).value, DEFAULT_TIMEOUT);
        assert_eq!(storage(None, None).value, StoragePreference::Auto);
        assert_eq!(output(&inv, None).value, OutputFormat::Human);
        assert!(matches!(key_choice(&inv, None), KeyChoice::None));
    }
}
