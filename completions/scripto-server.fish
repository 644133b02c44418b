# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_scripto_server_global_optspecs
    string join \n addr= db= key-file= outbox= credential-limit= anonymous-limit= login-limit= code-resend-secs= codes-per-email-ip= codes-per-email= codes-per-ip= mfa-failure-limit= session-ttl= trust-proxy= public-url= oidc-issuer= oidc-client-id= oidc-client-secret-file= oidc-name= oidc-org= oidc-role= oidc-allowed-domain= redis= redis-prefix= audit-retention-days= header-timeout= body-timeout= idle-timeout= max-connections= shutdown-grace= no-log-codes log= h/help V/version
end

function __fish_scripto_server_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_scripto_server_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_scripto_server_using_subcommand
    set -l cmd (__fish_scripto_server_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c scripto-server -n "__fish_scripto_server_needs_command" -l addr -d 'Address to listen on' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l db -d 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l key-file -d 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]' -r -F
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l outbox -d 'Where one-time codes are appended as JSON lines [default: outbox.jsonl next to the database]' -r -F
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l credential-limit -d 'Requests a minute per credential on authenticated routes' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l anonymous-limit -d 'Requests a minute per client IP without a valid credential' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l login-limit -d 'Password-login tries a minute, per e-mail and per client IP' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l code-resend-secs -d 'Seconds between two code sends to one address' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l codes-per-email-ip -d 'Code sends an hour per address and client IP' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l codes-per-email -d 'Code sends an hour per address, counted for clients that had not sent it one this hour' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l codes-per-ip -d 'Code sends an hour per client IP' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l mfa-failure-limit -d 'Wrong second factors an hour per account, across challenges and IPs' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l session-ttl -d 'Session token lifetime in seconds' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l trust-proxy -d 'Believe the client address that a proxy in this network adds to `Forwarded` or `X-Forwarded-For` (repeatable; only its own hop). Without it those headers are ignored' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l public-url -d 'The address people reach this server at, behind a proxy (https://keys.example.com): the device login\'s verification URL is under it [default: http:// and --addr]' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l oidc-issuer -d 'The provider\'s issuer URL; its discovery document is read from URL/.well-known/openid-configuration at start. Register <public URL>/auth/oidc/callback as the redirect URI there' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l oidc-client-id -d 'The client id this server has at the provider' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l oidc-client-secret-file -d 'A file holding the client secret (else the SCRIPTO_SERVER_OIDC_CLIENT_SECRET environment variable)' -r -F
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l oidc-name -d 'The sign-in button reads "Sign in with NAME"' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l oidc-org -d 'The organization that people new to this server join when they first sign in (created if there is none by that name)' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l oidc-role -d 'Their role there' -r -f -a "member\t''
developer\t''"
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l oidc-allowed-domain -d 'Only people with an address in this domain join when they first sign in (repeatable; known users sign in whatever their domain). Without it, every address the provider verifies joins: set it for a provider anyone can have an account at' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l redis -d 'Share every rate-limit budget with the other instances through this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH. Without it, and while it does not answer, each instance counts alone' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l redis-prefix -d 'Put before every Redis key this server writes, so that deployments can share one Redis' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l audit-retention-days -d 'Days an audit event is kept before it is pruned' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l header-timeout -d 'Time a client has to send a request\'s headers, from the connection\'s opening or their first byte' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l body-timeout -d 'Time a client has to send a request\'s body, after its headers' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l idle-timeout -d 'How long a keep-alive connection may wait for its next request' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l max-connections -d 'Connections served at once; more wait in the listen backlog' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l shutdown-grace -d 'On SIGTERM or Ctrl-C, how long requests in flight may take to finish' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l log -d 'Log level: error, warn, info, debug or trace' -r
complete -c scripto-server -n "__fish_scripto_server_needs_command" -l no-log-codes -d 'Do not write one-time codes to the log (the outbox still gets them)'
complete -c scripto-server -n "__fish_scripto_server_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c scripto-server -n "__fish_scripto_server_needs_command" -s V -l version -d 'Print version'
complete -c scripto-server -n "__fish_scripto_server_needs_command" -f -a "serve" -d 'Serve the API (the default)'
complete -c scripto-server -n "__fish_scripto_server_needs_command" -f -a "users" -d 'Add users, change their role, or remove them'
complete -c scripto-server -n "__fish_scripto_server_needs_command" -f -a "projects" -d 'Add projects'
complete -c scripto-server -n "__fish_scripto_server_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l addr -d 'Address to listen on' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l db -d 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l key-file -d 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]' -r -F
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l outbox -d 'Where one-time codes are appended as JSON lines [default: outbox.jsonl next to the database]' -r -F
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l credential-limit -d 'Requests a minute per credential on authenticated routes' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l anonymous-limit -d 'Requests a minute per client IP without a valid credential' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l login-limit -d 'Password-login tries a minute, per e-mail and per client IP' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l code-resend-secs -d 'Seconds between two code sends to one address' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l codes-per-email-ip -d 'Code sends an hour per address and client IP' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l codes-per-email -d 'Code sends an hour per address, counted for clients that had not sent it one this hour' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l codes-per-ip -d 'Code sends an hour per client IP' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l mfa-failure-limit -d 'Wrong second factors an hour per account, across challenges and IPs' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l session-ttl -d 'Session token lifetime in seconds' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l trust-proxy -d 'Believe the client address that a proxy in this network adds to `Forwarded` or `X-Forwarded-For` (repeatable; only its own hop). Without it those headers are ignored' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l public-url -d 'The address people reach this server at, behind a proxy (https://keys.example.com): the device login\'s verification URL is under it [default: http:// and --addr]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l oidc-issuer -d 'The provider\'s issuer URL; its discovery document is read from URL/.well-known/openid-configuration at start. Register <public URL>/auth/oidc/callback as the redirect URI there' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l oidc-client-id -d 'The client id this server has at the provider' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l oidc-client-secret-file -d 'A file holding the client secret (else the SCRIPTO_SERVER_OIDC_CLIENT_SECRET environment variable)' -r -F
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l oidc-name -d 'The sign-in button reads "Sign in with NAME"' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l oidc-org -d 'The organization that people new to this server join when they first sign in (created if there is none by that name)' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l oidc-role -d 'Their role there' -r -f -a "member\t''
developer\t''"
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l oidc-allowed-domain -d 'Only people with an address in this domain join when they first sign in (repeatable; known users sign in whatever their domain). Without it, every address the provider verifies joins: set it for a provider anyone can have an account at' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l redis -d 'Share every rate-limit budget with the other instances through this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH. Without it, and while it does not answer, each instance counts alone' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l redis-prefix -d 'Put before every Redis key this server writes, so that deployments can share one Redis' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l audit-retention-days -d 'Days an audit event is kept before it is pruned' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l header-timeout -d 'Time a client has to send a request\'s headers, from the connection\'s opening or their first byte' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l body-timeout -d 'Time a client has to send a request\'s body, after its headers' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l idle-timeout -d 'How long a keep-alive connection may wait for its next request' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l max-connections -d 'Connections served at once; more wait in the listen backlog' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l shutdown-grace -d 'On SIGTERM or Ctrl-C, how long requests in flight may take to finish' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l log -d 'Log level: error, warn, info, debug or trace' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -l no-log-codes -d 'Do not write one-time codes to the log (the outbox still gets them)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand serve" -s h -l help -d 'Print help'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and not __fish_seen_subcommand_from add set-role remove help" -s h -l help -d 'Print help'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and not __fish_seen_subcommand_from add set-role remove help" -f -a "add" -d 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and not __fish_seen_subcommand_from add set-role remove help" -f -a "set-role" -d 'Change a user\'s role'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and not __fish_seen_subcommand_from add set-role remove help" -f -a "remove" -d 'Remove a user: their keys are revoked and sessions ended at once, on every instance'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and not __fish_seen_subcommand_from add set-role remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l email -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l role -r -f -a "member\t''
developer\t''
admin\t''"
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l org -d 'The organization (created if missing) [default: a new one named after the e-mail]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l issuer -d 'The server\'s name in authenticator apps (with the organization\'s) [default: "scripto on HOST" from SCRIPTO_SERVER_ADDR, else "scripto"]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l db -d 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l key-file -d 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]' -r -F
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read a password from standard input (one line)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l mfa -d 'Enrol TOTP and make backup codes'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -l json -d 'Print {"user_id", "org_id", "totp_uri"?, "totp_secret_base32"?, "backup_codes"?}'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from set-role" -l email -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from set-role" -l role -r -f -a "member\t''
developer\t''
admin\t''"
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from set-role" -l db -d 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from set-role" -l key-file -d 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]' -r -F
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from set-role" -s h -l help -d 'Print help'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from remove" -l email -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from remove" -l db -d 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from remove" -l key-file -d 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]' -r -F
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "set-role" -d 'Change a user\'s role'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a user: their keys are revoked and sessions ended at once, on every instance'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and not __fish_seen_subcommand_from add help" -s h -l help -d 'Print help'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and not __fish_seen_subcommand_from add help" -f -a "add" -d 'Add a project to an organization; prints its id'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and not __fish_seen_subcommand_from add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from add" -l org -d 'The organization\'s name' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from add" -l name -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from add" -l db -d 'The database: a SQLite file, or a postgres:// URL for several instances [default: $XDG_DATA_HOME/scripto-server/scripto.db]' -r
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from add" -l key-file -d 'The server key (created 0600 if missing); every instance of one database needs the same one [default: beside a SQLite file, else server.key in the data directory]' -r -F
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from add" -l json -d 'Print {"project_id", "org"}'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a project to an organization; prints its id'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand projects; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and not __fish_seen_subcommand_from serve users projects help" -f -a "serve" -d 'Serve the API (the default)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and not __fish_seen_subcommand_from serve users projects help" -f -a "users" -d 'Add users, change their role, or remove them'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and not __fish_seen_subcommand_from serve users projects help" -f -a "projects" -d 'Add projects'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and not __fish_seen_subcommand_from serve users projects help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "add" -d 'Add a user. With --mfa, prints the TOTP secret and 10 backup codes, once'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "set-role" -d 'Change a user\'s role'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "remove" -d 'Remove a user: their keys are revoked and sessions ended at once, on every instance'
complete -c scripto-server -n "__fish_scripto_server_using_subcommand help; and __fish_seen_subcommand_from projects" -f -a "add" -d 'Add a project to an organization; prints its id'
