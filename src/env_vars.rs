//! Every environment variable scripto reads, in one place, each with what it
//! does: its own (`SCRIPTO_…`) and the ones of other programs and standards
//! it honours. The man page's ENVIRONMENT section and the README's table
//! are generated from [`ALL`] (`cargo xtask gen`), so a variable read here
//! and not listed there cannot land (`cargo xtask check`).
//!
//! The server's variables are its flags' (`scripto-server --help`); its man
//! page lists them from its own clap tree.

pub const API_KEY: &str = "SCRIPTO_API_KEY";
pub const PROFILE: &str = "SCRIPTO_PROFILE";
pub const API_URL: &str = "SCRIPTO_API_URL";
pub const CONFIG_DIR: &str = "SCRIPTO_CONFIG_DIR";
pub const OUTPUT: &str = "SCRIPTO_OUTPUT";
pub const NO_INPUT: &str = "SCRIPTO_NO_INPUT";
pub const TIMEOUT: &str = "SCRIPTO_TIMEOUT";
pub const KEYRING: &str = "SCRIPTO_KEYRING";
pub const NO_COLOR: &str = "NO_COLOR";
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
pub const HOME: &str = "HOME";
pub const DBUS_SESSION_BUS_ADDRESS: &str = "DBUS_SESSION_BUS_ADDRESS";
pub const XDG_RUNTIME_DIR: &str = "XDG_RUNTIME_DIR";

/// One variable: its name, the flag it stands for (if any), and what it does.
#[derive(Debug, Clone, Copy)]
pub struct EnvVar {
    pub name: &'static str,
    /// The global flag the variable is the environment's form of; a flag
    /// beats its variable.
    pub flag: Option<&'static str>,
    pub doc: &'static str,
}

/// Every variable scripto reads, in the order the docs list them.
pub const ALL: &[EnvVar] = &[
    EnvVar {
        name: API_KEY,
        flag: Some("--api-key"),
        doc: "The API key to use, as --api-key. Nothing is read from storage; a locked or absent \
              keyring is never touched.",
    },
    EnvVar {
        name: PROFILE,
        flag: Some("--profile"),
        doc: "The profile for this command only, as --profile. The active profile on disk is \
              unchanged.",
    },
    EnvVar {
        name: API_URL,
        flag: Some("--api-url"),
        doc: "The server's base URL, as --api-url. Default: http://127.0.0.1:8787. A key is sent \
              over plain http:// only to a loopback address.",
    },
    EnvVar {
        name: CONFIG_DIR,
        flag: Some("--config-dir"),
        doc: "The config directory, as --config-dir.",
    },
    EnvVar {
        name: OUTPUT,
        flag: Some("--json"),
        doc: "\"json\" selects machine output, as --json.",
    },
    EnvVar {
        name: NO_INPUT,
        flag: Some("--no-input"),
        doc: "\"1\" never prompts, as --no-input: input that is needed ends the command with exit \
              status 9 and a next_action.",
    },
    EnvVar {
        name: TIMEOUT,
        flag: Some("--timeout"),
        doc: "Seconds to wait for each request, as --timeout. Default: 30.",
    },
    EnvVar {
        name: NO_COLOR,
        flag: Some("--no-color"),
        doc: "Any value turns colour off, as --no-color.",
    },
    EnvVar {
        name: KEYRING,
        flag: None,
        doc: "Narrows the keyring chain: \"secret-service\" or \"keyutils\" (Linux), or \"none\" \
              to keep every key in config.json. Unset: the whole chain.",
    },
    EnvVar {
        name: XDG_CONFIG_HOME,
        flag: None,
        doc: "The config directory is $XDG_CONFIG_HOME/scripto when SCRIPTO_CONFIG_DIR is unset.",
    },
    EnvVar {
        name: HOME,
        flag: None,
        doc: "The config directory is ~/.config/scripto when neither SCRIPTO_CONFIG_DIR nor \
              XDG_CONFIG_HOME is set; a .scripto.toml is looked for up to the home directory.",
    },
    EnvVar {
        name: DBUS_SESSION_BUS_ADDRESS,
        flag: None,
        doc: "The D-Bus session bus of the Secret Service (Linux). When it is unset and \
              $XDG_RUNTIME_DIR/bus does not exist, the Secret Service is not tried at all.",
    },
    EnvVar {
        name: XDG_RUNTIME_DIR,
        flag: None,
        doc: "Where the default session bus socket (bus) is looked for when \
              DBUS_SESSION_BUS_ADDRESS is unset (Linux); else /run/user/UID.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variable_is_listed_once_with_a_doc() {
        let mut names: Vec<&str> = ALL.iter().map(|v| v.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        assert!(ALL.iter().all(|v| !v.doc.is_empty()));
    }
}
