
use builtin;
use str;

set edit:completion:arg-completer[scripto-server] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'scripto-server'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'scripto-server'= {
            cand --addr 'Address to listen on'
            cand --db 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]'
            cand --key-file 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]'
            cand --outbox 'Where one-time codes are appended as JSON lines [default: outbox.jsonl next to the database]'
            cand --credential-limit 'Requests a minute per credential on authenticated routes'
            cand --anonymous-limit 'Requests a minute per client IP without a valid credential'
            cand --login-limit 'Password-login tries a minute, per e-mail and per client IP'
            cand --code-resend-secs 'Seconds between two code sends to one address'
            cand --codes-per-email-ip 'Code sends an hour per address and client IP'
            cand --codes-per-email 'Code sends an hour per address, counted for clients that had not sent it one this hour'
            cand --codes-per-ip 'Code sends an hour per client IP'
            cand --mfa-failure-limit 'Wrong second factors an hour per account, across challenges and IPs'
            cand --session-ttl 'Session token lifetime in seconds'
            cand --trust-proxy 'Believe the client address that a proxy in this network adds to `Forwarded` or `X-Forwarded-For` (repeatable; only its own hop). Without it those headers are ignored'
            cand --public-url 'The address people reach this server at, behind a proxy (https://keys.example.com): the device login''s verification URL is under it [default: http:// and --addr]'
            cand --oidc-issuer 'The provider''s issuer URL; its discovery document is read from URL/.well-known/openid-configuration at start. Register <public URL>/auth/oidc/callback as the redirect URI there'
            cand --oidc-client-id 'The client id this server has at the provider'
            cand --oidc-client-secret-file 'A file holding the client secret (else the SCRIPTO_SERVER_OIDC_CLIENT_SECRET environment variable)'
            cand --oidc-name 'The sign-in button reads "Sign in with NAME"'
            cand --oidc-org 'The organization that people new to this server join when they first sign in (created if there is none by that name)'
            cand --oidc-role 'Their role there'
            cand --oidc-allowed-domain 'Only people with an address in this domain join when they first sign in (repeatable; known users sign in whatever their domain). Without it, every address the provider verifies joins: set it for a provider anyone can have an account at'
            cand --redis 'Share every rate-limit budget with the other instances through this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH. Without it, and while it does not answer, each instance counts alone'
            cand --redis-prefix 'Put before every Redis key this server writes, so that deployments can share one Redis'
            cand --audit-retention-days 'Days an audit event is kept before it is pruned'
            cand --header-timeout 'Time a client has to send a request''s headers, from the connection''s opening or their first byte'
            cand --body-timeout 'Time a client has to send a request''s body, after its headers'
            cand --idle-timeout 'How long a keep-alive connection may wait for its next request'
            cand --max-connections 'Connections served at once; more wait in the listen backlog'
            cand --shutdown-grace 'On SIGTERM or Ctrl-C, how long requests in flight may take to finish'
            cand --log 'Log level: error, warn, info, debug or trace'
            cand --no-log-codes 'Do not write one-time codes to the log (the outbox still gets them)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Serve the API (the default)'
            cand users 'Add users, change their role, or remove them'
            cand projects 'Add projects'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto-server;serve'= {
            cand --addr 'Address to listen on'
            cand --db 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]'
            cand --key-file 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]'
            cand --outbox 'Where one-time codes are appended as JSON lines [default: outbox.jsonl next to the database]'
            cand --credential-limit 'Requests a minute per credential on authenticated routes'
            cand --anonymous-limit 'Requests a minute per client IP without a valid credential'
            cand --login-limit 'Password-login tries a minute, per e-mail and per client IP'
            cand --code-resend-secs 'Seconds between two code sends to one address'
            cand --codes-per-email-ip 'Code sends an hour per address and client IP'
            cand --codes-per-email 'Code sends an hour per address, counted for clients that had not sent it one this hour'
            cand --codes-per-ip 'Code sends an hour per client IP'
            cand --mfa-failure-limit 'Wrong second factors an hour per account, across challenges and IPs'
            cand --session-ttl 'Session token lifetime in seconds'
            cand --trust-proxy 'Believe the client address that a proxy in this network adds to `Forwarded` or `X-Forwarded-For` (repeatable; only its own hop). Without it those headers are ignored'
            cand --public-url 'The address people reach this server at, behind a proxy (https://keys.example.com): the device login''s verification URL is under it [default: http:// and --addr]'
            cand --oidc-issuer 'The provider''s issuer URL; its discovery document is read from URL/.well-known/openid-configuration at start. Register <public URL>/auth/oidc/callback as the redirect URI there'
            cand --oidc-client-id 'The client id this server has at the provider'
            cand --oidc-client-secret-file 'A file holding the client secret (else the SCRIPTO_SERVER_OIDC_CLIENT_SECRET environment variable)'
            cand --oidc-name 'The sign-in button reads "Sign in with NAME"'
            cand --oidc-org 'The organization that people new to this server join when they first sign in (created if there is none by that name)'
            cand --oidc-role 'Their role there'
            cand --oidc-allowed-domain 'Only people with an address in this domain join when they first sign in (repeatable; known users sign in whatever their domain). Without it, every address the provider verifies joins: set it for a provider anyone can have an account at'
            cand --redis 'Share every rate-limit budget with the other instances through this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH. Without it, and while it does not answer, each instance counts alone'
            cand --redis-prefix 'Put before every Redis key this server writes, so that deployments can share one Redis'
            cand --audit-retention-days 'Days an audit event is kept before it is pruned'
            cand --header-timeout 'Time a client has to send a request''s headers, from the connection''s opening or their first byte'
            cand --body-timeout 'Time a client has to send a request''s body, after its headers'
            cand --idle-timeout 'How long a keep-alive connection may wait for its next request'
            cand --max-connections 'Connections served at once; more wait in the listen backlog'
            cand --shutdown-grace 'On SIGTERM or Ctrl-C, how long requests in flight may take to finish'
            cand --log 'Log level: error, warn, info, debug or trace'
            cand --no-log-codes 'Do not write one-time codes to the log (the outbox still gets them)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'scripto-server;users'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once'
            cand set-role 'Change a user''s role'
            cand remove 'Remove a user: their keys are revoked and sessions ended at once, on every instance'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto-server;users;add'= {
            cand --email 'email'
            cand --role 'role'
            cand --org 'The organization (created if missing) [default: a new one named after the e-mail]'
            cand --issuer 'The server''s name in authenticator apps (with the organization''s) [default: "scripto on HOST" from SCRIPTO_SERVER_ADDR, else "scripto"]'
            cand --db 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]'
            cand --key-file 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]'
            cand --password-stdin 'Read a password from standard input (one line)'
            cand --mfa 'Enrol TOTP and make backup codes'
            cand --json 'Print {"user_id", "org_id", "totp_uri"?, "totp_secret_base32"?, "backup_codes"?}'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'scripto-server;users;set-role'= {
            cand --email 'email'
            cand --role 'role'
            cand --db 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]'
            cand --key-file 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'scripto-server;users;remove'= {
            cand --email 'email'
            cand --db 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]'
            cand --key-file 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'scripto-server;users;help'= {
            cand add 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once'
            cand set-role 'Change a user''s role'
            cand remove 'Remove a user: their keys are revoked and sessions ended at once, on every instance'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto-server;users;help;add'= {
        }
        &'scripto-server;users;help;set-role'= {
        }
        &'scripto-server;users;help;remove'= {
        }
        &'scripto-server;users;help;help'= {
        }
        &'scripto-server;projects'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add a project to an organization; prints its id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto-server;projects;add'= {
            cand --org 'The organization''s name'
            cand --name 'name'
            cand --db 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]'
            cand --key-file 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]'
            cand --json 'Print {"project_id", "org"}'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'scripto-server;projects;help'= {
            cand add 'Add a project to an organization; prints its id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto-server;projects;help;add'= {
        }
        &'scripto-server;projects;help;help'= {
        }
        &'scripto-server;help'= {
            cand serve 'Serve the API (the default)'
            cand users 'Add users, change their role, or remove them'
            cand projects 'Add projects'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'scripto-server;help;serve'= {
        }
        &'scripto-server;help;users'= {
            cand add 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once'
            cand set-role 'Change a user''s role'
            cand remove 'Remove a user: their keys are revoked and sessions ended at once, on every instance'
        }
        &'scripto-server;help;users;add'= {
        }
        &'scripto-server;help;users;set-role'= {
        }
        &'scripto-server;help;users;remove'= {
        }
        &'scripto-server;help;projects'= {
            cand add 'Add a project to an organization; prints its id'
        }
        &'scripto-server;help;projects;add'= {
        }
        &'scripto-server;help;help'= {
        }
    ]
    $completions[$command]
}
