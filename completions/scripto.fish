# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_scripto_global_optspecs
    string join \n profile= api-key= api-url= config-dir= json no-input y/yes v/verbose q/quiet no-color timeout= h/help V/version
end

function __fish_scripto_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_scripto_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_scripto_using_subcommand
    set -l cmd (__fish_scripto_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c scripto -n "__fish_scripto_needs_command" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_needs_command" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_needs_command" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_needs_command" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_needs_command" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_needs_command" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_needs_command" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_needs_command" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_needs_command" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_needs_command" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_needs_command" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_needs_command" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "auth" -d 'Log in and out, and see which key is in use'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "keys" -d 'Create, list, revoke and rotate API keys on the server'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "config" -d 'Settings and stored keys'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "profiles" -d 'Stored profiles: a key and its server, by name'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "whoami" -d 'Same as `scripto auth status`'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "run" -d 'Run a command with an API key in its environment'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c scripto -n "__fish_scripto_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -f -a "login" -d 'Log in and store a new key as the active profile'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -f -a "login-complete" -d 'Finish an e-mail login with the one-time code, mint a key and store it'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -f -a "mfa" -d 'Finish a password login that asked for a second factor'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -f -a "status" -d 'Show who the resolved key belongs to, checked live against the server'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -f -a "token" -d 'Print the resolved API key on stdout, for `$(scripto auth token)`'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -f -a "logout" -d 'Remove a profile and its stored key'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and not __fish_seen_subcommand_from login login-complete mfa status token logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l email -d 'The account\'s e-mail address' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l name -d 'Name of the key minted for this login [default: scripto-cli, or scripto-cli@HOST for password logins]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l profile-name -d 'Name of the profile to store it as [default: from the e-mail address]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l expires-in -d 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l storage -d 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)' -r -f -a "auto\t'The OS keyring when it answers within 3 seconds, else the config file'
keyring\t'The OS keyring, or fail'
file\t'config.json (0600)'"
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l password-stdin -d 'Log in with a password read from stdin (the first line)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l with-token -d 'Store an existing API key read from stdin, after checking it with the server'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l email -d 'The address the code was sent to' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l code -d 'The 6-digit code from the e-mail' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l profile-name -d 'Name of the profile to store it as [default: from the e-mail address]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l expires-in -d 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l storage -d 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)' -r -f -a "auto\t'The OS keyring when it answers within 3 seconds, else the config file'
keyring\t'The OS keyring, or fail'
file\t'config.json (0600)'"
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l name -d 'Name of the minted key [default: scripto-cli]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from login-complete" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l code -d 'The 6-digit code from the authenticator app' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l backup-code -d 'One of the single-use backup codes' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l code-stdin -d 'Read the TOTP code from stdin'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from mfa" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l all -d 'Check every stored profile'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l revoke -d 'Revoke the key on the server even if it was imported'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l keep-key -d 'Keep the key valid on the server even if the CLI minted it'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from logout" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "login" -d 'Log in and store a new key as the active profile'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "login-complete" -d 'Finish an e-mail login with the one-time code, mint a key and store it'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "mfa" -d 'Finish a password login that asked for a second factor'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show who the resolved key belongs to, checked live against the server'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print the resolved API key on stdout, for `$(scripto auth token)`'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Remove a profile and its stored key'
complete -c scripto -n "__fish_scripto_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -f -a "create" -d 'Create an API key. The secret is shown once and never again'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -f -a "list" -d 'List API keys: one page of --limit, or every page with --all'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -f -a "get" -d 'Show one API key (never its secret)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -f -a "revoke" -d 'Revoke API keys; they stop working on the next request'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -f -a "rotate" -d 'Replace a key with a new one with the same settings'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and not __fish_seen_subcommand_from create list get revoke rotate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l name -d 'A name to recognise the key by (1–100 characters)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l type -d 'batch (default) or realtime' -r -f -a "batch\t''
realtime\t''"
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l scope -d 'read or write; repeat for both [default: read and write]' -r -f -a "read\t''
write\t''"
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l project -d 'Limit the key to this project; repeat for several' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l expires-in -d 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never [default: never]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l save-as -d 'Also store the new key as this profile (the active one is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l storage -d 'Where --save-as keeps the key: the OS keyring, the config file, or the keyring when it answers (auto)' -r -f -a "auto\t'The OS keyring when it answers within 3 seconds, else the config file'
keyring\t'The OS keyring, or fail'
file\t'config.json (0600)'"
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l status -d 'Which keys to show' -r -f -a "active\t''
expired\t''
revoked\t''
all\t''"
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l limit -d 'Keys per page (1–100)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l all-owners -d 'Every key of the organization, not only yours (admins)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l all -d 'Follow the pages to the end'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l grace -d 'How long the old key keeps working: 30s, 10m, 12h, 7d, up to 30d [default: 0, revoked at once]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an API key. The secret is shown once and never again'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "list" -d 'List API keys: one page of --limit, or every page with --all'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show one API key (never its secret)'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke API keys; they stop working on the next request'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Replace a key with a new one with the same settings'
complete -c scripto -n "__fish_scripto_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -f -a "set" -d 'Store an API key as a profile, or set a default'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -f -a "get" -d 'Print one setting\'s resolved value'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -f -a "unset" -d 'Remove a default from the config file'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -f -a "show" -d 'Show every resolved setting and where it came from; secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -f -a "path" -d 'Print the path of the config file'
complete -c scripto -n "__fish_scripto_using_subcommand config; and not __fish_seen_subcommand_from set get unset show path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l profile-name -d 'Name of the profile for the key given with --api-key [default: the --profile one, else default]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l storage -d 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)' -r -f -a "auto\t'The OS keyring when it answers within 3 seconds, else the config file'
keyring\t'The OS keyring, or fail'
file\t'config.json (0600)'"
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l no-verify -d 'Store the key without checking it with the server'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Store an API key as a profile, or set a default'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting\'s resolved value'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove a default from the config file'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show every resolved setting and where it came from; secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the config file'
complete -c scripto -n "__fish_scripto_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -f -a "list" -d 'List stored profiles; the active one is marked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -f -a "use" -d 'Make a profile the active one'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -f -a "show" -d 'Show one profile [default: the selected one]'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -f -a "rename" -d 'Rename a profile, its stored key included'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -f -a "remove" -d 'Remove a profile and its stored key (the key stays valid on the server)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -f -a "pin" -d 'Pin a profile to the current directory (.scripto.toml)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and not __fish_seen_subcommand_from list use show rename remove pin help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l remove -d 'Delete the .scripto.toml of the current directory instead'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from pin" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "list" -d 'List stored profiles; the active one is marked'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a profile the active one'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one profile [default: the selected one]'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a profile, its stored key included'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a profile and its stored key (the key stays valid on the server)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "pin" -d 'Pin a profile to the current directory (.scripto.toml)'
complete -c scripto -n "__fish_scripto_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l all -d 'Check every stored profile'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c scripto -n "__fish_scripto_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand run" -l ephemeral -d 'Give the command a key of its own that expires after DURATION (1m to 24h) and is revoked when it exits' -r
complete -c scripto -n "__fish_scripto_using_subcommand run" -l scope -d 'Narrow the ephemeral key to this scope; repeat for both [default: the parent key\'s]' -r -f -a "read\t''
write\t''"
complete -c scripto -n "__fish_scripto_using_subcommand run" -l project -d 'Narrow the ephemeral key to this project; repeat for several [default: the parent key\'s]' -r
complete -c scripto -n "__fish_scripto_using_subcommand run" -l name -d 'Name of the ephemeral key [default: run:COMMAND@HOST]' -r
complete -c scripto -n "__fish_scripto_using_subcommand run" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand run" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand run" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand run" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand run" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand run" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand run" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand run" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand run" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand run" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand run" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand run" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l profile -d 'Use this profile for this command only (the active one on disk is unchanged)' -r
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l api-key -d 'Use this API key; nothing is read from storage. `-` reads it from stdin' -r
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l api-url -d 'The server\'s base URL [default: http://127.0.0.1:8787]' -r
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l config-dir -d 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]' -r -F
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l timeout -d 'Seconds to wait for each request [default: 30]' -r
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l json -d 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l no-input -d 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -s v -l verbose -d 'Show the HTTP exchange on stderr, secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -s q -l quiet -d 'No status lines, only data and errors'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -l no-color -d 'No colour (also NO_COLOR)'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto -n "__fish_scripto_using_subcommand completions" -s V -l version -d 'Print version'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "auth" -d 'Log in and out, and see which key is in use'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "keys" -d 'Create, list, revoke and rotate API keys on the server'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "config" -d 'Settings and stored keys'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "profiles" -d 'Stored profiles: a key and its server, by name'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "whoami" -d 'Same as `scripto auth status`'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "run" -d 'Run a command with an API key in its environment'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c scripto -n "__fish_scripto_using_subcommand help; and not __fish_seen_subcommand_from auth keys config profiles whoami run completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "login" -d 'Log in and store a new key as the active profile'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "login-complete" -d 'Finish an e-mail login with the one-time code, mint a key and store it'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "mfa" -d 'Finish a password login that asked for a second factor'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Show who the resolved key belongs to, checked live against the server'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "token" -d 'Print the resolved API key on stdout, for `$(scripto auth token)`'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "logout" -d 'Remove a profile and its stored key'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "create" -d 'Create an API key. The secret is shown once and never again'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "list" -d 'List API keys: one page of --limit, or every page with --all'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "get" -d 'Show one API key (never its secret)'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "revoke" -d 'Revoke API keys; they stop working on the next request'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Replace a key with a new one with the same settings'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Store an API key as a profile, or set a default'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting\'s resolved value'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove a default from the config file'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show every resolved setting and where it came from; secrets masked'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the config file'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "list" -d 'List stored profiles; the active one is marked'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "use" -d 'Make a profile the active one'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "show" -d 'Show one profile [default: the selected one]'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "rename" -d 'Rename a profile, its stored key included'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "remove" -d 'Remove a profile and its stored key (the key stays valid on the server)'
complete -c scripto -n "__fish_scripto_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "pin" -d 'Pin a profile to the current directory (.scripto.toml)'
