
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'scripto-server' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'scripto-server'
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
        'scripto-server' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]')
            [CompletionResult]::new('--outbox', '--outbox', [CompletionResultType]::ParameterName, 'Where one-time codes are appended as JSON lines [default: outbox.jsonl next to the database]')
            [CompletionResult]::new('--credential-limit', '--credential-limit', [CompletionResultType]::ParameterName, 'Requests a minute per credential on authenticated routes')
            [CompletionResult]::new('--anonymous-limit', '--anonymous-limit', [CompletionResultType]::ParameterName, 'Requests a minute per client IP without a valid credential')
            [CompletionResult]::new('--login-limit', '--login-limit', [CompletionResultType]::ParameterName, 'Password-login tries a minute, per e-mail and per client IP')
            [CompletionResult]::new('--code-resend-secs', '--code-resend-secs', [CompletionResultType]::ParameterName, 'Seconds between two code sends to one address')
            [CompletionResult]::new('--codes-per-email-ip', '--codes-per-email-ip', [CompletionResultType]::ParameterName, 'Code sends an hour per address and client IP')
            [CompletionResult]::new('--codes-per-email', '--codes-per-email', [CompletionResultType]::ParameterName, 'Code sends an hour per address, counted for clients that had not sent it one this hour')
            [CompletionResult]::new('--codes-per-ip', '--codes-per-ip', [CompletionResultType]::ParameterName, 'Code sends an hour per client IP')
            [CompletionResult]::new('--mfa-failure-limit', '--mfa-failure-limit', [CompletionResultType]::ParameterName, 'Wrong second factors an hour per account, across challenges and IPs')
            [CompletionResult]::new('--session-ttl', '--session-ttl', [CompletionResultType]::ParameterName, 'Session token lifetime in seconds')
            [CompletionResult]::new('--trust-proxy', '--trust-proxy', [CompletionResultType]::ParameterName, 'Believe the client address that a proxy in this network adds to `Forwarded` or `X-Forwarded-For` (repeatable; only its own hop). Without it those headers are ignored')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The address people reach this server at, behind a proxy (https://keys.example.com): the device login''s verification URL is under it [default: http:// and --addr]')
            [CompletionResult]::new('--oidc-issuer', '--oidc-issuer', [CompletionResultType]::ParameterName, 'The provider''s issuer URL; its discovery document is read from URL/.well-known/openid-configuration at start. Register <public URL>/auth/oidc/callback as the redirect URI there')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'The client id this server has at the provider')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'A file holding the client secret (else the SCRIPTO_SERVER_OIDC_CLIENT_SECRET environment variable)')
            [CompletionResult]::new('--oidc-name', '--oidc-name', [CompletionResultType]::ParameterName, 'The sign-in button reads "Sign in with NAME"')
            [CompletionResult]::new('--oidc-org', '--oidc-org', [CompletionResultType]::ParameterName, 'The organization that people new to this server join when they first sign in (created if there is none by that name)')
            [CompletionResult]::new('--oidc-role', '--oidc-role', [CompletionResultType]::ParameterName, 'Their role there')
            [CompletionResult]::new('--oidc-allowed-domain', '--oidc-allowed-domain', [CompletionResultType]::ParameterName, 'Only people with an address in this domain join when they first sign in (repeatable; known users sign in whatever their domain). Without it, every address the provider verifies joins: set it for a provider anyone can have an account at')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Share every rate-limit budget with the other instances through this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH. Without it, and while it does not answer, each instance counts alone')
            [CompletionResult]::new('--redis-prefix', '--redis-prefix', [CompletionResultType]::ParameterName, 'Put before every Redis key this server writes, so that deployments can share one Redis')
            [CompletionResult]::new('--audit-retention-days', '--audit-retention-days', [CompletionResultType]::ParameterName, 'Days an audit event is kept before it is pruned')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Time a client has to send a request''s headers, from the connection''s opening or their first byte')
            [CompletionResult]::new('--body-timeout', '--body-timeout', [CompletionResultType]::ParameterName, 'Time a client has to send a request''s body, after its headers')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'How long a keep-alive connection may wait for its next request')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections served at once; more wait in the listen backlog')
            [CompletionResult]::new('--shutdown-grace', '--shutdown-grace', [CompletionResultType]::ParameterName, 'On SIGTERM or Ctrl-C, how long requests in flight may take to finish')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Log level: error, warn, info, debug or trace')
            [CompletionResult]::new('--no-log-codes', '--no-log-codes', [CompletionResultType]::ParameterName, 'Do not write one-time codes to the log (the outbox still gets them)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the API (the default)')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Add users, change their role, or remove them')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'Add projects')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto-server;serve' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]')
            [CompletionResult]::new('--outbox', '--outbox', [CompletionResultType]::ParameterName, 'Where one-time codes are appended as JSON lines [default: outbox.jsonl next to the database]')
            [CompletionResult]::new('--credential-limit', '--credential-limit', [CompletionResultType]::ParameterName, 'Requests a minute per credential on authenticated routes')
            [CompletionResult]::new('--anonymous-limit', '--anonymous-limit', [CompletionResultType]::ParameterName, 'Requests a minute per client IP without a valid credential')
            [CompletionResult]::new('--login-limit', '--login-limit', [CompletionResultType]::ParameterName, 'Password-login tries a minute, per e-mail and per client IP')
            [CompletionResult]::new('--code-resend-secs', '--code-resend-secs', [CompletionResultType]::ParameterName, 'Seconds between two code sends to one address')
            [CompletionResult]::new('--codes-per-email-ip', '--codes-per-email-ip', [CompletionResultType]::ParameterName, 'Code sends an hour per address and client IP')
            [CompletionResult]::new('--codes-per-email', '--codes-per-email', [CompletionResultType]::ParameterName, 'Code sends an hour per address, counted for clients that had not sent it one this hour')
            [CompletionResult]::new('--codes-per-ip', '--codes-per-ip', [CompletionResultType]::ParameterName, 'Code sends an hour per client IP')
            [CompletionResult]::new('--mfa-failure-limit', '--mfa-failure-limit', [CompletionResultType]::ParameterName, 'Wrong second factors an hour per account, across challenges and IPs')
            [CompletionResult]::new('--session-ttl', '--session-ttl', [CompletionResultType]::ParameterName, 'Session token lifetime in seconds')
            [CompletionResult]::new('--trust-proxy', '--trust-proxy', [CompletionResultType]::ParameterName, 'Believe the client address that a proxy in this network adds to `Forwarded` or `X-Forwarded-For` (repeatable; only its own hop). Without it those headers are ignored')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The address people reach this server at, behind a proxy (https://keys.example.com): the device login''s verification URL is under it [default: http:// and --addr]')
            [CompletionResult]::new('--oidc-issuer', '--oidc-issuer', [CompletionResultType]::ParameterName, 'The provider''s issuer URL; its discovery document is read from URL/.well-known/openid-configuration at start. Register <public URL>/auth/oidc/callback as the redirect URI there')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'The client id this server has at the provider')
            [CompletionResult]::new('--oidc-client-secret-file', '--oidc-client-secret-file', [CompletionResultType]::ParameterName, 'A file holding the client secret (else the SCRIPTO_SERVER_OIDC_CLIENT_SECRET environment variable)')
            [CompletionResult]::new('--oidc-name', '--oidc-name', [CompletionResultType]::ParameterName, 'The sign-in button reads "Sign in with NAME"')
            [CompletionResult]::new('--oidc-org', '--oidc-org', [CompletionResultType]::ParameterName, 'The organization that people new to this server join when they first sign in (created if there is none by that name)')
            [CompletionResult]::new('--oidc-role', '--oidc-role', [CompletionResultType]::ParameterName, 'Their role there')
            [CompletionResult]::new('--oidc-allowed-domain', '--oidc-allowed-domain', [CompletionResultType]::ParameterName, 'Only people with an address in this domain join when they first sign in (repeatable; known users sign in whatever their domain). Without it, every address the provider verifies joins: set it for a provider anyone can have an account at')
            [CompletionResult]::new('--redis', '--redis', [CompletionResultType]::ParameterName, 'Share every rate-limit budget with the other instances through this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH. Without it, and while it does not answer, each instance counts alone')
            [CompletionResult]::new('--redis-prefix', '--redis-prefix', [CompletionResultType]::ParameterName, 'Put before every Redis key this server writes, so that deployments can share one Redis')
            [CompletionResult]::new('--audit-retention-days', '--audit-retention-days', [CompletionResultType]::ParameterName, 'Days an audit event is kept before it is pruned')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Time a client has to send a request''s headers, from the connection''s opening or their first byte')
            [CompletionResult]::new('--body-timeout', '--body-timeout', [CompletionResultType]::ParameterName, 'Time a client has to send a request''s body, after its headers')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'How long a keep-alive connection may wait for its next request')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections served at once; more wait in the listen backlog')
            [CompletionResult]::new('--shutdown-grace', '--shutdown-grace', [CompletionResultType]::ParameterName, 'On SIGTERM or Ctrl-C, how long requests in flight may take to finish')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Log level: error, warn, info, debug or trace')
            [CompletionResult]::new('--no-log-codes', '--no-log-codes', [CompletionResultType]::ParameterName, 'Do not write one-time codes to the log (the outbox still gets them)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scripto-server;users' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once')
            [CompletionResult]::new('set-role', 'set-role', [CompletionResultType]::ParameterValue, 'Change a user''s role')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a user: their keys are revoked and sessions ended at once, on every instance')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto-server;users;add' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'email')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'role')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The organization (created if missing) [default: a new one named after the e-mail]')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The server''s name in authenticator apps (with the organization''s) [default: "scripto on HOST" from SCRIPTO_SERVER_ADDR, else "scripto"]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read a password from standard input (one line)')
            [CompletionResult]::new('--mfa', '--mfa', [CompletionResultType]::ParameterName, 'Enrol TOTP and make backup codes')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"user_id", "org_id", "totp_uri"?, "totp_secret_base32"?, "backup_codes"?}')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scripto-server;users;set-role' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'email')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'role')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scripto-server;users;remove' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'email')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scripto-server;users;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once')
            [CompletionResult]::new('set-role', 'set-role', [CompletionResultType]::ParameterValue, 'Change a user''s role')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a user: their keys are revoked and sessions ended at once, on every instance')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto-server;users;help;add' {
            break
        }
        'scripto-server;users;help;set-role' {
            break
        }
        'scripto-server;users;help;remove' {
            break
        }
        'scripto-server;users;help;help' {
            break
        }
        'scripto-server;projects' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a project to an organization; prints its id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto-server;projects;add' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The organization''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'name')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"project_id", "org"}')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'scripto-server;projects;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a project to an organization; prints its id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto-server;projects;help;add' {
            break
        }
        'scripto-server;projects;help;help' {
            break
        }
        'scripto-server;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the API (the default)')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Add users, change their role, or remove them')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'Add projects')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'scripto-server;help;serve' {
            break
        }
        'scripto-server;help;users' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once')
            [CompletionResult]::new('set-role', 'set-role', [CompletionResultType]::ParameterValue, 'Change a user''s role')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a user: their keys are revoked and sessions ended at once, on every instance')
            break
        }
        'scripto-server;help;users;add' {
            break
        }
        'scripto-server;help;users;set-role' {
            break
        }
        'scripto-server;help;users;remove' {
            break
        }
        'scripto-server;help;projects' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a project to an organization; prints its id')
            break
        }
        'scripto-server;help;projects;add' {
            break
        }
        'scripto-server;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
