
use builtin;
use str;

set edit:completion:arg-completer[scripto] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'scripto'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'scripto'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand auth 'Log in and out, and see which key is in use'
            cand keys 'Create, list, revoke and rotate API keys on the server'
            cand config 'Settings and stored keys'
            cand profiles 'Stored profiles: a key and its server, by name'
            cand whoami 'Same as `scripto auth status`'
            cand run 'Run a command with an API key in its environment'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;auth'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in and store a new key as the active profile'
            cand login-complete 'Finish an e-mail login with the one-time code, mint a key and store it'
            cand mfa 'Finish a password login that asked for a second factor'
            cand status 'Show who the resolved key belongs to, checked live against the server'
            cand token 'Print the resolved API key on stdout, for `$(scripto auth token)`'
            cand logout 'Remove a profile and its stored key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;auth;login'= {
            cand --email 'The account''s e-mail address'
            cand --name 'Name of the key minted for this login [default: scripto-cli, or scripto-cli@HOST for password logins]'
            cand --profile-name 'Name of the profile to store it as [default: from the e-mail address]'
            cand --expires-in 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never'
            cand --storage 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --password-stdin 'Log in with a password read from stdin (the first line)'
            cand --with-token 'Store an existing API key read from stdin, after checking it with the server'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;auth;login-complete'= {
            cand --email 'The address the code was sent to'
            cand --code 'The 6-digit code from the e-mail'
            cand --profile-name 'Name of the profile to store it as [default: from the e-mail address]'
            cand --expires-in 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never'
            cand --storage 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)'
            cand --name 'Name of the minted key [default: scripto-cli]'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;auth;mfa'= {
            cand --code 'The 6-digit code from the authenticator app'
            cand --backup-code 'One of the single-use backup codes'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --code-stdin 'Read the TOTP code from stdin'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;auth;status'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --all 'Check every stored profile'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;auth;token'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;auth;logout'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --revoke 'Revoke the key on the server even if it was imported'
            cand --keep-key 'Keep the key valid on the server even if the CLI minted it'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;auth;help'= {
            cand login 'Log in and store a new key as the active profile'
            cand login-complete 'Finish an e-mail login with the one-time code, mint a key and store it'
            cand mfa 'Finish a password login that asked for a second factor'
            cand status 'Show who the resolved key belongs to, checked live against the server'
            cand token 'Print the resolved API key on stdout, for `$(scripto auth token)`'
            cand logout 'Remove a profile and its stored key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;auth;help;login'= {
        }
        &'scripto;auth;help;login-complete'= {
        }
        &'scripto;auth;help;mfa'= {
        }
        &'scripto;auth;help;status'= {
        }
        &'scripto;auth;help;token'= {
        }
        &'scripto;auth;help;logout'= {
        }
        &'scripto;auth;help;help'= {
        }
        &'scripto;keys'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create an API key. The secret is shown once and never again'
            cand list 'List API keys: one page of --limit, or every page with --all'
            cand get 'Show one API key (never its secret)'
            cand revoke 'Revoke API keys; they stop working on the next request'
            cand rotate 'Replace a key with a new one with the same settings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;keys;create'= {
            cand --name 'A name to recognise the key by (1–100 characters)'
            cand --type 'batch (default) or realtime'
            cand --scope 'read or write; repeat for both [default: read and write]'
            cand --project 'Limit the key to this project; repeat for several'
            cand --expires-in 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never [default: never]'
            cand --save-as 'Also store the new key as this profile (the active one is unchanged)'
            cand --storage 'Where --save-as keeps the key: the OS keyring, the config file, or the keyring when it answers (auto)'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;keys;list'= {
            cand --status 'Which keys to show'
            cand --limit 'Keys per page (1–100)'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --all-owners 'Every key of the organization, not only yours (admins)'
            cand --all 'Follow the pages to the end'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;keys;get'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;keys;revoke'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;keys;rotate'= {
            cand --grace 'How long the old key keeps working: 30s, 10m, 12h, 7d, up to 30d [default: 0, revoked at once]'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;keys;help'= {
            cand create 'Create an API key. The secret is shown once and never again'
            cand list 'List API keys: one page of --limit, or every page with --all'
            cand get 'Show one API key (never its secret)'
            cand revoke 'Revoke API keys; they stop working on the next request'
            cand rotate 'Replace a key with a new one with the same settings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;keys;help;create'= {
        }
        &'scripto;keys;help;list'= {
        }
        &'scripto;keys;help;get'= {
        }
        &'scripto;keys;help;revoke'= {
        }
        &'scripto;keys;help;rotate'= {
        }
        &'scripto;keys;help;help'= {
        }
        &'scripto;config'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Store an API key as a profile, or set a default'
            cand get 'Print one setting''s resolved value'
            cand unset 'Remove a default from the config file'
            cand show 'Show every resolved setting and where it came from; secrets masked'
            cand path 'Print the path of the config file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;config;set'= {
            cand --profile-name 'Name of the profile for the key given with --api-key [default: the --profile one, else default]'
            cand --storage 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --no-verify 'Store the key without checking it with the server'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;config;get'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;config;unset'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;config;show'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;config;path'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;config;help'= {
            cand set 'Store an API key as a profile, or set a default'
            cand get 'Print one setting''s resolved value'
            cand unset 'Remove a default from the config file'
            cand show 'Show every resolved setting and where it came from; secrets masked'
            cand path 'Print the path of the config file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;config;help;set'= {
        }
        &'scripto;config;help;get'= {
        }
        &'scripto;config;help;unset'= {
        }
        &'scripto;config;help;show'= {
        }
        &'scripto;config;help;path'= {
        }
        &'scripto;config;help;help'= {
        }
        &'scripto;profiles'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List stored profiles; the active one is marked'
            cand use 'Make a profile the active one'
            cand show 'Show one profile [default: the selected one]'
            cand rename 'Rename a profile, its stored key included'
            cand remove 'Remove a profile and its stored key (the key stays valid on the server)'
            cand pin 'Pin a profile to the current directory (.scripto.toml)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;profiles;list'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;profiles;use'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;profiles;show'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;profiles;rename'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;profiles;remove'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;profiles;pin'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --remove 'Delete the .scripto.toml of the current directory instead'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;profiles;help'= {
            cand list 'List stored profiles; the active one is marked'
            cand use 'Make a profile the active one'
            cand show 'Show one profile [default: the selected one]'
            cand rename 'Rename a profile, its stored key included'
            cand remove 'Remove a profile and its stored key (the key stays valid on the server)'
            cand pin 'Pin a profile to the current directory (.scripto.toml)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;profiles;help;list'= {
        }
        &'scripto;profiles;help;use'= {
        }
        &'scripto;profiles;help;show'= {
        }
        &'scripto;profiles;help;rename'= {
        }
        &'scripto;profiles;help;remove'= {
        }
        &'scripto;profiles;help;pin'= {
        }
        &'scripto;profiles;help;help'= {
        }
        &'scripto;whoami'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --all 'Check every stored profile'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;run'= {
            cand --ephemeral 'Give the command a key of its own that expires after DURATION (1m to 24h) and is revoked when it exits'
            cand --scope 'Narrow the ephemeral key to this scope; repeat for both [default: the parent key''s]'
            cand --project 'Narrow the ephemeral key to this project; repeat for several [default: the parent key''s]'
            cand --name 'Name of the ephemeral key [default: run:COMMAND@HOST]'
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;completions'= {
            cand --profile 'Use this profile for this command only (the active one on disk is unchanged)'
            cand --api-key 'Use this API key; nothing is read from storage. `-` reads it from stdin'
            cand --api-url 'The server''s base URL [default: http://127.0.0.1:8787]'
            cand --config-dir 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]'
            cand --timeout 'Seconds to wait for each request [default: 30]'
            cand --json 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
            cand --no-input 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -v 'Show the HTTP exchange on stderr, secrets masked'
            cand --verbose 'Show the HTTP exchange on stderr, secrets masked'
            cand -q 'No status lines, only data and errors'
            cand --quiet 'No status lines, only data and errors'
            cand --no-color 'No colour (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'scripto;help'= {
            cand auth 'Log in and out, and see which key is in use'
            cand keys 'Create, list, revoke and rotate API keys on the server'
            cand config 'Settings and stored keys'
            cand profiles 'Stored profiles: a key and its server, by name'
            cand whoami 'Same as `scripto auth status`'
            cand run 'Run a command with an API key in its environment'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto;help;auth'= {
            cand login 'Log in and store a new key as the active profile'
            cand login-complete 'Finish an e-mail login with the one-time code, mint a key and store it'
            cand mfa 'Finish a password login that asked for a second factor'
            cand status 'Show who the resolved key belongs to, checked live against the server'
            cand token 'Print the resolved API key on stdout, for `$(scripto auth token)`'
            cand logout 'Remove a profile and its stored key'
        }
        &'scripto;help;auth;login'= {
        }
        &'scripto;help;auth;login-complete'= {
        }
        &'scripto;help;auth;mfa'= {
        }
        &'scripto;help;auth;status'= {
        }
        &'scripto;help;auth;token'= {
        }
        &'scripto;help;auth;logout'= {
        }
        &'scripto;help;keys'= {
            cand create 'Create an API key. The secret is shown once and never again'
            cand list 'List API keys: one page of --limit, or every page with --all'
            cand get 'Show one API key (never its secret)'
            cand revoke 'Revoke API keys; they stop working on the next request'
            cand rotate 'Replace a key with a new one with the same settings'
        }
        &'scripto;help;keys;create'= {
        }
        &'scripto;help;keys;list'= {
        }
        &'scripto;help;keys;get'= {
        }
        &'scripto;help;keys;revoke'= {
        }
        &'scripto;help;keys;rotate'= {
        }
        &'scripto;help;config'= {
            cand set 'Store an API key as a profile, or set a default'
            cand get 'Print one setting''s resolved value'
            cand unset 'Remove a default from the config file'
            cand show 'Show every resolved setting and where it came from; secrets masked'
            cand path 'Print the path of the config file'
        }
        &'scripto;help;config;set'= {
        }
        &'scripto;help;config;get'= {
        }
        &'scripto;help;config;unset'= {
        }
        &'scripto;help;config;show'= {
        }
        &'scripto;help;config;path'= {
        }
        &'scripto;help;profiles'= {
            cand list 'List stored profiles; the active one is marked'
            cand use 'Make a profile the active one'
            cand show 'Show one profile [default: the selected one]'
            cand rename 'Rename a profile, its stored key included'
            cand remove 'Remove a profile and its stored key (the key stays valid on the server)'
            cand pin 'Pin a profile to the current directory (.scripto.toml)'
        }
        &'scripto;help;profiles;list'= {
        }
        &'scripto;help;profiles;use'= {
        }
        &'scripto;help;profiles;show'= {
        }
        &'scripto;help;profiles;rename'= {
        }
        &'scripto;help;profiles;remove'= {
        }
        &'scripto;help;profiles;pin'= {
        }
        &'scripto;help;whoami'= {
        }
        &'scripto;help;run'= {
        }
        &'scripto;help;completions'= {
        }
        &'scripto;help;help'= {
        }
    ]
    $completions[$command]
}
