
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'scripto' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'scripto'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'scripto' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Log in and out, and see which key is in use')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Create, list, revoke and rotate API keys on the server')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Settings and stored keys')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'Stored profiles: a key and its server, by name')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Same as `scripto auth status`')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command with an API key in its environment')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;auth' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in and store a new key as the active profile')
            [CompletionResult]::new('login-complete', 'login-complete', [CompletionResultType]::ParameterValue, 'Finish an e-mail login with the one-time code, mint a key and store it')
            [CompletionResult]::new('mfa', 'mfa', [CompletionResultType]::ParameterValue, 'Finish a password login that asked for a second factor')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show who the resolved key belongs to, checked live against the server')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the resolved API key on stdout, for `$(scripto auth token)`')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a profile and its stored key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;auth;login' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The account''s e-mail address')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the key minted for this login [default: scripto-cli, or scripto-cli@HOST for password logins]')
            [CompletionResult]::new('--profile-name', '--profile-name', [CompletionResultType]::ParameterName, 'Name of the profile to store it as [default: from the e-mail address]')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never')
            [CompletionResult]::new('--storage', '--storage', [CompletionResultType]::ParameterName, 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Log in with a password read from stdin (the first line)')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Store an existing API key read from stdin, after checking it with the server')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;auth;login-complete' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The address the code was sent to')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6-digit code from the e-mail')
            [CompletionResult]::new('--profile-name', '--profile-name', [CompletionResultType]::ParameterName, 'Name of the profile to store it as [default: from the e-mail address]')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never')
            [CompletionResult]::new('--storage', '--storage', [CompletionResultType]::ParameterName, 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the minted key [default: scripto-cli]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;auth;mfa' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6-digit code from the authenticator app')
            [CompletionResult]::new('--backup-code', '--backup-code', [CompletionResultType]::ParameterName, 'One of the single-use backup codes')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--code-stdin', '--code-stdin', [CompletionResultType]::ParameterName, 'Read the TOTP code from stdin')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;auth;status' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Check every stored profile')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;auth;token' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;auth;logout' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Revoke the key on the server even if it was imported')
            [CompletionResult]::new('--keep-key', '--keep-key', [CompletionResultType]::ParameterName, 'Keep the key valid on the server even if the CLI minted it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;auth;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in and store a new key as the active profile')
            [CompletionResult]::new('login-complete', 'login-complete', [CompletionResultType]::ParameterValue, 'Finish an e-mail login with the one-time code, mint a key and store it')
            [CompletionResult]::new('mfa', 'mfa', [CompletionResultType]::ParameterValue, 'Finish a password login that asked for a second factor')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show who the resolved key belongs to, checked live against the server')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the resolved API key on stdout, for `$(scripto auth token)`')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a profile and its stored key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;auth;help;login' {
            break
        }
        'scripto;auth;help;login-complete' {
            break
        }
        'scripto;auth;help;mfa' {
            break
        }
        'scripto;auth;help;status' {
            break
        }
        'scripto;auth;help;token' {
            break
        }
        'scripto;auth;help;logout' {
            break
        }
        'scripto;auth;help;help' {
            break
        }
        'scripto;keys' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API key. The secret is shown once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List API keys: one page of --limit, or every page with --all')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one API key (never its secret)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke API keys; they stop working on the next request')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a key with a new one with the same settings')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;keys;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A name to recognise the key by (1–100 characters)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'batch (default) or realtime')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'read or write; repeat for both [default: read and write]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Limit the key to this project; repeat for several')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never [default: never]')
            [CompletionResult]::new('--save-as', '--save-as', [CompletionResultType]::ParameterName, 'Also store the new key as this profile (the active one is unchanged)')
            [CompletionResult]::new('--storage', '--storage', [CompletionResultType]::ParameterName, 'Where --save-as keeps the key: the OS keyring, the config file, or the keyring when it answers (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;keys;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Which keys to show')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Keys per page (1–100)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--all-owners', '--all-owners', [CompletionResultType]::ParameterName, 'Every key of the organization, not only yours (admins)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Follow the pages to the end')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;keys;get' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;keys;revoke' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;keys;rotate' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long the old key keeps working: 30s, 10m, 12h, 7d, up to 30d [default: 0, revoked at once]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;keys;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API key. The secret is shown once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List API keys: one page of --limit, or every page with --all')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one API key (never its secret)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke API keys; they stop working on the next request')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a key with a new one with the same settings')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;keys;help;create' {
            break
        }
        'scripto;keys;help;list' {
            break
        }
        'scripto;keys;help;get' {
            break
        }
        'scripto;keys;help;revoke' {
            break
        }
        'scripto;keys;help;rotate' {
            break
        }
        'scripto;keys;help;help' {
            break
        }
        'scripto;config' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store an API key as a profile, or set a default')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s resolved value')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a default from the config file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show every resolved setting and where it came from; secrets masked')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;config;set' {
            [CompletionResult]::new('--profile-name', '--profile-name', [CompletionResultType]::ParameterName, 'Name of the profile for the key given with --api-key [default: the --profile one, else default]')
            [CompletionResult]::new('--storage', '--storage', [CompletionResultType]::ParameterName, 'Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store the key without checking it with the server')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;config;get' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;config;unset' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;config;show' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;config;path' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;config;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store an API key as a profile, or set a default')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s resolved value')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a default from the config file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show every resolved setting and where it came from; secrets masked')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;config;help;set' {
            break
        }
        'scripto;config;help;get' {
            break
        }
        'scripto;config;help;unset' {
            break
        }
        'scripto;config;help;show' {
            break
        }
        'scripto;config;help;path' {
            break
        }
        'scripto;config;help;help' {
            break
        }
        'scripto;profiles' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored profiles; the active one is marked')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the active one')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one profile [default: the selected one]')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a profile, its stored key included')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a profile and its stored key (the key stays valid on the server)')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin a profile to the current directory (.scripto.toml)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;profiles;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;profiles;use' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;profiles;show' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;profiles;rename' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;profiles;remove' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;profiles;pin' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Delete the .scripto.toml of the current directory instead')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;profiles;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored profiles; the active one is marked')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the active one')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one profile [default: the selected one]')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a profile, its stored key included')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a profile and its stored key (the key stays valid on the server)')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin a profile to the current directory (.scripto.toml)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;profiles;help;list' {
            break
        }
        'scripto;profiles;help;use' {
            break
        }
        'scripto;profiles;help;show' {
            break
        }
        'scripto;profiles;help;rename' {
            break
        }
        'scripto;profiles;help;remove' {
            break
        }
        'scripto;profiles;help;pin' {
            break
        }
        'scripto;profiles;help;help' {
            break
        }
        'scripto;whoami' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Check every stored profile')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;run' {
            [CompletionResult]::new('--ephemeral', '--ephemeral', [CompletionResultType]::ParameterName, 'Give the command a key of its own that expires after DURATION (1m to 24h) and is revoked when it exits')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Narrow the ephemeral key to this scope; repeat for both [default: the parent key''s]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Narrow the ephemeral key to this project; repeat for several [default: the parent key''s]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the ephemeral key [default: run:COMMAND@HOST]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile for this command only (the active one on disk is unchanged)')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Use this API key; nothing is read from storage. `-` reads it from stdin')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The server''s base URL [default: http://127.0.0.1:8787]')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each request [default: 30]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the HTTP exchange on stderr, secrets masked')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No status lines, only data and errors')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'scripto;help' {
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Log in and out, and see which key is in use')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Create, list, revoke and rotate API keys on the server')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Settings and stored keys')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'Stored profiles: a key and its server, by name')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Same as `scripto auth status`')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command with an API key in its environment')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto;help;auth' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in and store a new key as the active profile')
            [CompletionResult]::new('login-complete', 'login-complete', [CompletionResultType]::ParameterValue, 'Finish an e-mail login with the one-time code, mint a key and store it')
            [CompletionResult]::new('mfa', 'mfa', [CompletionResultType]::ParameterValue, 'Finish a password login that asked for a second factor')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show who the resolved key belongs to, checked live against the server')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the resolved API key on stdout, for `$(scripto auth token)`')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a profile and its stored key')
            break
        }
        'scripto;help;auth;login' {
            break
        }
        'scripto;help;auth;login-complete' {
            break
        }
        'scripto;help;auth;mfa' {
            break
        }
        'scripto;help;auth;status' {
            break
        }
        'scripto;help;auth;token' {
            break
        }
        'scripto;help;auth;logout' {
            break
        }
        'scripto;help;keys' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API key. The secret is shown once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List API keys: one page of --limit, or every page with --all')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one API key (never its secret)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke API keys; they stop working on the next request')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a key with a new one with the same settings')
            break
        }
        'scripto;help;keys;create' {
            break
        }
        'scripto;help;keys;list' {
            break
        }
        'scripto;help;keys;get' {
            break
        }
        'scripto;help;keys;revoke' {
            break
        }
        'scripto;help;keys;rotate' {
            break
        }
        'scripto;help;config' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store an API key as a profile, or set a default')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s resolved value')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a default from the config file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show every resolved setting and where it came from; secrets masked')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file')
            break
        }
        'scripto;help;config;set' {
            break
        }
        'scripto;help;config;get' {
            break
        }
        'scripto;help;config;unset' {
            break
        }
        'scripto;help;config;show' {
            break
        }
        'scripto;help;config;path' {
            break
        }
        'scripto;help;profiles' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored profiles; the active one is marked')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the active one')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one profile [default: the selected one]')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a profile, its stored key included')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a profile and its stored key (the key stays valid on the server)')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin a profile to the current directory (.scripto.toml)')
            break
        }
        'scripto;help;profiles;list' {
            break
        }
        'scripto;help;profiles;use' {
            break
        }
        'scripto;help;profiles;show' {
            break
        }
        'scripto;help;profiles;rename' {
            break
        }
        'scripto;help;profiles;remove' {
            break
        }
        'scripto;help;profiles;pin' {
            break
        }
        'scripto;help;whoami' {
            break
        }
        'scripto;help;run' {
            break
        }
        'scripto;help;completions' {
            break
        }
        'scripto;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
