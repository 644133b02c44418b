//! The Examples section at the end of every leaf command's help and man page.
//!
//! They live here, not in each command's doc comment, so the whole set reads
//! as one piece: a person at a terminal, an agent (`--json`, exit 9 with a
//! `next_action`) and CI (`SCRIPTO_API_KEY`) each find their own way in.
//! `cli::command()` attaches them; xtask's man pages turn them into an
//! EXAMPLES section.

/// The heading that starts each Examples text; the man page generator looks
/// for it.
pub const HEADING: &str = "Examples:";

/// `(command path, examples)`: each example is a `#` comment line, then the
/// command line, then a blank line between examples.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "auth login",
        "# At a terminal: a one-time code is sent to the address, then asked for
$ scripto auth login --email ada@example.com

# A password from a secret store, no prompt
$ printf %s \"$PASSWORD\" | scripto auth login --email ada@example.com --password-stdin

# An agent: exit 9 and the login-complete step to run, in one JSON document
$ scripto auth login --email ada@example.com --json --no-input

# Through a browser: approve the code shown here on the server's web page
$ scripto auth login --web",
    ),
    (
        "auth login-complete",
        "# The step an agent is given after `auth login` exits 9
$ scripto auth login-complete --email ada@example.com --code 314159 --json

# Name the new key and keep it in the config file
$ scripto auth login-complete --email ada@example.com --code 314159 --name laptop --storage file

# After `auth login --web` exited 9: wait up to a minute for the browser approval
$ scripto auth login-complete --device --wait 60 --json",
    ),
    (
        "auth mfa",
        "# Finish a password login with the code from the authenticator app
$ scripto auth mfa --code 123456

# With a backup code, read from stdin
$ printf %s \"$BACKUP\" | scripto auth mfa --code-stdin",
    ),
    (
        "auth logout",
        "# Forget the active profile's key on this machine (it stays valid)
$ scripto auth logout

# Log out of the profile \"work\" and revoke its key on the server
$ scripto auth logout work --revoke",
    ),
    (
        "auth status",
        "# Who am I, checked live against the server
$ scripto auth status

# Every stored profile, as JSON
$ scripto auth status --all --json

# In CI: the key comes from the environment, nothing from storage
$ SCRIPTO_API_KEY=\"$KEY\" scripto auth status",
    ),
    (
        "auth token",
        "# Hand the key to another tool without it reaching the shell history
$ curl -H \"Authorization: Bearer $(scripto auth token)\" https://api.example.com/v1/me

# The key of another profile
$ scripto auth token --profile work",
    ),
    (
        "whoami",
        "# Who am I, checked live against the server
$ scripto whoami

# Every stored profile, as JSON
$ scripto whoami --all --json",
    ),
    (
        "keys create",
        "# A batch key (data stored first, processed later) for CI; the secret alone on stdout
$ KEY=$(scripto keys create --name ci-deploy --type batch --scope read --expires-in 1y)

# A realtime key (data processed as it arrives) kept as the profile \"live\"
$ scripto keys create --name live-audio --type realtime --save-as live

# An agent: the secret is data.api_key
$ scripto keys create --name agent-run --json | jq -r .data.api_key",
    ),
    (
        "keys list",
        "# Your active keys, one page
$ scripto keys list

# Every revoked key of the organization, every page (admins)
$ scripto keys list --status revoked --all-owners --paginate

# In CI, as JSON
$ SCRIPTO_API_KEY=\"$KEY\" scripto keys list --json",
    ),
    (
        "keys get",
        "# One key's settings (never its secret)
$ scripto keys get key_4QdG7sWcTz1Lm

# Its status only, for a script
$ scripto keys get key_4QdG7sWcTz1Lm --json | jq -r .data.status",
    ),
    (
        "keys revoke",
        "# Revoke a key; asks first at a terminal
$ scripto keys revoke key_4QdG7sWcTz1Lm

# By name, when one active key of yours has it
$ scripto keys revoke ci-deploy

# Several at once, without a prompt (agents and CI)
$ scripto keys revoke key_4QdG7sWcTz1Lm key_8PxR2nVbYk3Hj --yes --json",
    ),
    (
        "keys rotate",
        "# Replace the key this profile uses; every profile holding it gets the new one
$ scripto keys rotate

# Keep the old key working for a week while deployments pick up the new one
$ scripto keys rotate key_4QdG7sWcTz1Lm --grace 7d --yes

# In CI: the new secret is data.api_key
$ SCRIPTO_API_KEY=\"$KEY\" scripto keys rotate --yes --json",
    ),
    (
        "config get",
        "# The server URL this command would use
$ scripto config get api-url

# With where it came from, as JSON
$ scripto config get storage --json",
    ),
    (
        "config set",
        "# Store a key you already have as the profile \"ci\"
$ printf %s \"$KEY\" | scripto config set --api-key - --profile-name ci

# Talk to another server by default
$ scripto config set api-url https://scripto.example.com",
    ),
    (
        "config unset",
        "# Back to the built-in server URL
$ scripto config unset api-url

# New keys go to the keyring again (the built-in auto)
$ scripto config unset storage",
    ),
    (
        "config show",
        "# Every setting and where it came from; keys masked
$ scripto config show

# The same as one JSON document
$ scripto config show --json",
    ),
    (
        "config path",
        "# Open the config file in an editor
$ \"$EDITOR\" \"$(scripto config path)\"

# Where a CI job's separate config would live
$ scripto config path --config-dir ./.scripto",
    ),
    (
        "profiles list",
        "# The stored profiles; the active one is marked
$ scripto profiles list

# Their names only, for a script
$ scripto profiles list --json | jq -r '.data[].name'",
    ),
    (
        "profiles show",
        "# The profile in use
$ scripto profiles show

# Another one, as JSON
$ scripto profiles show work --json",
    ),
    (
        "profiles use",
        "# Make \"work\" the profile every command uses from now on
$ scripto profiles use work

# For one command only, use --profile instead
$ scripto keys list --profile work",
    ),
    (
        "profiles rename",
        "# Rename a profile; its stored key moves with it
$ scripto profiles rename default personal

# The same, for a script
$ scripto profiles rename work acme-prod --json",
    ),
    (
        "profiles remove",
        "# Forget a profile and its stored key (the key stays valid on the server)
$ scripto profiles remove old-laptop

# Without a prompt
$ scripto profiles remove old-laptop --yes",
    ),
    (
        "audit list",
        "# What happened in the last day
$ scripto audit list --since 24h

# Failed logins, every page, as JSON
$ scripto audit list --type login.failed --all --json

# Watch new events as JSON lines
$ scripto audit list --follow",
    ),
    (
        "run",
        "# Run a tool with this profile's key in SCRIPTO_API_KEY, never printed
$ scripto run -- ./deploy.sh

# An agent's command gets a read-only key for 15 minutes, revoked at the end
$ scripto run --ephemeral 15m --scope read -- python3 report.py

# In CI, with another profile
$ scripto run --profile staging -- make integration-test",
    ),
    (
        "profiles pin",
        "# Use the profile \"staging\" for every command run in this directory
$ scripto profiles pin staging

# Stop pinning it here
$ scripto profiles pin --remove",
    ),
    (
        "scan",
        "# Look for keys in this directory
$ scripto scan

# In CI before a push: fail (exit 1) when a key is found
$ git diff --cached | scripto scan -

# Revoke every key found (no login needed)
$ scripto scan ./leaked-logs --revoke",
    ),
    (
        "completions",
        "# bash, for your user
$ scripto completions bash > ~/.local/share/bash-completion/completions/scripto

# zsh, into a directory on $fpath
$ scripto completions zsh > ~/.zfunc/_scripto

# fish
$ scripto completions fish > ~/.config/fish/completions/scripto.fish",
    ),
];

/// Adds each leaf command's Examples to `cmd` (the root of the tree).
pub fn attach(mut cmd: clap::Command) -> clap::Command {
    for (path, text) in EXAMPLES {
        cmd = attach_at(cmd, &path.split(' ').collect::<Vec<_>>(), text);
    }
    cmd
}

fn attach_at(cmd: clap::Command, path: &[&str], text: &'static str) -> clap::Command {
    match path {
        [] => cmd.after_help(format!("{HEADING}\n{}", indent(text))),
        [first, rest @ ..] => cmd.mut_subcommand(*first, |sub| attach_at(sub, rest, text)),
    }
}

/// Two spaces in, as clap indents the other sections.
fn indent(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("  {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::EXAMPLES;

    fn leaves(cmd: &clap::Command, path: String, into: &mut Vec<String>) {
        let subs: Vec<_> = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
            .collect();
        if subs.is_empty() {
            into.push(path);
            return;
        }
        for sub in subs {
            let sub_path = if path.is_empty() {
                sub.get_name().to_owned()
            } else {
                format!("{path} {}", sub.get_name())
            };
            leaves(sub, sub_path, into);
        }
    }

    #[test]
    fn every_leaf_command_has_examples_and_every_example_a_command() {
        let mut paths = Vec::new();
        leaves(&crate::cli::command(), String::new(), &mut paths);
        for path in &paths {
            assert!(
                EXAMPLES.iter().any(|(p, _)| p == path),
                "no examples for `scripto {path}`"
            );
        }
        for (path, text) in EXAMPLES {
            assert!(paths.iter().any(|p| p == path), "no command `{path}`");
            let commands = text.lines().filter(|l| l.starts_with("$ ")).count();
            assert!((2..=4).contains(&commands), "{path}: {commands} examples");
        }
    }
}
