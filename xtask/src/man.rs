//! `man/`: one page per command and subcommand (`scripto.1`,
//! `scripto-auth.1`, `scripto-auth-login.1`, …) and `scripto-server.1`.
//!
//! clap_mangen renders each page; this adds SEE ALSO to every page, and the
//! ENVIRONMENT, FILES and EXIT STATUS sections to `scripto.1`. Pages carry no
//! date, so regenerating an unchanged tree gives the same bytes.

use std::io;
use std::path::Path;

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};
use scripto::cli;
use scripto::env_vars;
use scripto::error::ErrorKind;
use scripto::examples;

use crate::Files;

const MANUAL: &str = "scripto manual";

pub fn generate(files: &mut Files) -> io::Result<()> {
    let mut scripto = cli::command().disable_help_subcommand(true);
    // Building resolves global flags into every subcommand and gives each one
    // its display name (`scripto-auth-login`) and bin name (`scripto auth login`).
    scripto.build();
    let source = source_of(&scripto);
    write_tree(files, &scripto, None, &source, &["scripto-server"])?;

    let mut server = scripto_server::cli::command().disable_help_subcommand(true);
    server.build();
    let source = source_of(&server);
    write_tree(files, &server, None, &source, &["scripto"])?;
    Ok(())
}

/// `scripto 0.1.0`: the same footer on every page of one program.
fn source_of(cmd: &clap::Command) -> String {
    format!(
        "{} {}",
        cmd.get_name(),
        cmd.get_version().unwrap_or_default()
    )
}

fn page_name(cmd: &clap::Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

/// Writes the page of `cmd` and, recursively, of its visible subcommands.
/// `related` names pages outside this tree for the root's SEE ALSO.
fn write_tree(
    files: &mut Files,
    cmd: &clap::Command,
    parent: Option<&str>,
    source: &str,
    related: &[&str],
) -> io::Result<()> {
    let name = page_name(cmd).to_owned();
    let children: Vec<&clap::Command> =
        cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();

    let mut see_also: Vec<String> = parent.map(str::to_owned).into_iter().collect();
    see_also.extend(children.iter().map(|c| page_name(c).to_owned()));
    if parent.is_none() {
        see_also.extend(related.iter().map(|r| (*r).to_owned()));
    }

    let mut extra = Roff::new();
    if name == "scripto" {
        environment_section(&mut extra);
        files_section(&mut extra);
        exit_status_section(&mut extra);
    } else if name == "scripto-server" {
        server_environment_section(&mut extra, cmd);
        server_files_section(&mut extra);
    }
    see_also_section(&mut extra, &see_also);

    // Examples get their own section (clap_mangen would call it EXTRA and
    // keep the help's layout); they go first among ours.
    let mut ours = Roff::new();
    if let Some(text) = cmd.get_after_help() {
        examples_section(&mut ours, &text.to_string());
    }
    let man = Man::new(for_man_page(cmd, parent.is_some()))
        .date("")
        .source(source)
        .manual(MANUAL);
    let mut page = Vec::new();
    man.render(&mut page)?;
    let page = replace_synopsis(
        String::from_utf8(page).expect("clap_mangen writes UTF-8"),
        &render_fragment(&synopsis(cmd)),
    );
    let page = insert_before_version(page, &(render_fragment(&ours) + &render_fragment(&extra)));
    files.insert(
        Path::new("man").join(format!("{name}.1")),
        ascii_punctuation(&page).into_bytes(),
    );

    for child in children {
        write_tree(files, child, Some(&name), source, related)?;
    }
    Ok(())
}

/// The command as its page shows it. The flags every command takes are
/// already under their own heading (`GlobalArgs`); the Examples become a
/// section of ours; possible values are one compact sentence, not a list of
/// bullets.
fn for_man_page(cmd: &clap::Command, _is_subcommand: bool) -> clap::Command {
    let mut cmd = cmd.clone().after_help(None::<&str>);
    let with_values: Vec<(clap::Id, String)> = cmd
        .get_arguments()
        .filter(|a| a.get_action().takes_values() && !a.is_hide_possible_values_set())
        .filter_map(|a| {
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| match v.get_help() {
                    Some(help) => format!("{}: {}", v.get_name(), lower_first(&help.to_string())),
                    None => v.get_name().to_owned(),
                })
                .collect();
            if values.is_empty() {
                return None;
            }
            let help = a
                .get_long_help()
                .or_else(|| a.get_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            let joined = if values.iter().any(|v| v.contains(':')) {
                values.join("; ")
            } else {
                values.join(", ")
            };
            Some((
                a.get_id().clone(),
                format!("{help}. Possible values: {joined}."),
            ))
        })
        .collect();
    for (id, help) in with_values {
        cmd = cmd.mut_arg(id, |a| {
            a.hide_possible_values(true)
                .help(help)
                .long_help(None::<&str>)
        });
    }
    cmd
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if !text.starts_with("OS") => first.to_lowercase().chain(chars).collect(),
        _ => text.to_owned(),
    }
}

/// SYNOPSIS as a reader wants it: the required flags first, each option with
/// its value placeholder (`--name NAME [--type TYPE] [--scope SCOPE]...`),
/// then the positionals, and the global options as one `[GLOBAL OPTIONS]`
/// (listed in their own section).
fn synopsis(cmd: &clap::Command) -> Roff {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut line = vec![bold(name)];
    let own: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| {
            !a.is_hide_set()
                && !a.is_positional()
                && !a.is_global_set()
                && !matches!(a.get_id().as_str(), "help" | "version")
        })
        .collect();
    let required = own.iter().filter(|a| a.is_required_set());
    let optional = own.iter().filter(|a| !a.is_required_set());
    for arg in required.chain(optional) {
        line.push(roman(" "));
        if !arg.is_required_set() {
            line.push(roman("["));
        }
        let flag = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some(short)) => format!("-{short}"),
            (None, None) => continue,
        };
        line.push(bold(flag));
        if arg.get_action().takes_values() {
            line.push(roman(" "));
            line.push(italic(placeholder(arg)));
        }
        if !arg.is_required_set() {
            line.push(roman("]"));
        }
        if matches!(
            arg.get_action(),
            clap::ArgAction::Append | clap::ArgAction::Count
        ) {
            line.push(roman("..."));
        }
    }
    if cmd
        .get_arguments()
        .any(|a| a.is_global_set() && !a.is_hide_set())
    {
        line.push(roman(" [GLOBAL OPTIONS]"));
    }
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        line.push(roman(" "));
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let word = format!("{}{}", placeholder(arg), if many { "..." } else { "" });
        if arg.is_required_set() {
            line.push(italic(word));
        } else {
            line.push(roman("["));
            line.push(italic(word));
            line.push(roman("]"));
        }
    }
    if cmd.has_subcommands() {
        line.push(roman(" "));
        line.push(italic("COMMAND"));
    }
    let mut roff = Roff::new();
    roff.control("SH", ["SYNOPSIS"]);
    roff.text(line);
    roff
}

fn placeholder(arg: &clap::Arg) -> String {
    arg.get_value_names()
        .and_then(|names| names.first())
        .map_or_else(|| arg.get_id().as_str().to_uppercase(), |n| n.to_string())
}

/// Swaps clap_mangen's SYNOPSIS (every flag bare, required ones last) for
/// ours.
fn replace_synopsis(page: String, ours: &str) -> String {
    let Some(start) = page.find(".SH SYNOPSIS\n") else {
        return page;
    };
    let end = page[start + 1..]
        .find("\n.SH ")
        .map_or(page.len(), |at| start + 1 + at + 1);
    format!("{}{ours}{}", &page[..start], &page[end..])
}

/// EXAMPLES from the help's Examples text: each `# comment` as a paragraph,
/// each `$ command` as an indented literal line below it.
fn examples_section(roff: &mut Roff, text: &str) {
    let Some(body) = text.strip_prefix(examples::HEADING) else {
        return;
    };
    roff.control("SH", ["EXAMPLES"]);
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            roff.control("PP", [] as [&str; 0]);
            roff.text([roman(comment)]);
        } else {
            roff.control("RS", ["4"]);
            roff.control("nf", [] as [&str; 0]);
            roff.text([bold(line)]);
            roff.control("fi", [] as [&str; 0]);
            roff.control("RE", [] as [&str; 0]);
        }
    }
}

/// Help texts use typographic punctuation, which groff cannot draw on a
/// terminal without a UTF-8 locale ("can't find special character
/// 'u2026'"). Pages are read in such terminals too (CI, containers,
/// `env -i`), so spell the few we use in ASCII; `\&` keeps a `...` at the
/// start of a line from being read as a roff request.
fn ascii_punctuation(page: &str) -> String {
    // Backticks mark code in the help's Markdown-ish text; a man page would
    // show them literally, so they become plain double quotes.
    page.replace('`', "\"")
        .replace('…', r"\&...")
        .replace('–', r"\-")
        .replace('—', r"\-\-")
        .replace('→', r"\->")
        .replace(['‘', '’'], r"\(aq")
        .replace(['“', '”'], "\"")
}

/// Our sections go after clap's and before VERSION, which man pages
/// conventionally keep near the end.
fn insert_before_version(page: String, extra: &str) -> String {
    match page.find("\n.SH VERSION\n") {
        Some(at) => {
            let (head, tail) = page.split_at(at + 1);
            format!("{head}{extra}{tail}")
        }
        None => page + extra,
    }
}

/// A roff fragment without the apostrophe preamble that `Roff::render`
/// puts first (clap_mangen's page already starts with it).
fn render_fragment(roff: &Roff) -> String {
    let rendered = roff.render();
    let mut lines = rendered.lines().peekable();
    let mut out = String::new();
    while let Some(line) = lines.peek() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            lines.next();
        } else {
            break;
        }
    }
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A `.TP` list entry: a bold term, then its description.
fn entry(roff: &mut Roff, term: &str, text: &str) {
    roff.control("TP", [] as [&str; 0]);
    roff.text([bold(term)]);
    roff.text([roman(text)]);
}

fn environment_section(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(
        "Each setting is taken from, in order: its flag, its environment variable, the selected \
         profile, the config file's defaults, the built-in default. A flag beats a variable, so a \
         CI-wide SCRIPTO_API_KEY never overrides --profile on one command. \
         \"scripto config show\" and \"scripto auth status\" say where each value came from.",
    )]);
    for var in env_vars::ALL {
        entry(roff, var.name, var.doc);
    }
}

fn files_section(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.control("TP", [] as [&str; 0]);
    roff.text([
        italic("$SCRIPTO_CONFIG_DIR"),
        roman(", else "),
        italic("$XDG_CONFIG_HOME/scripto"),
        roman(", else "),
        italic("~/.config/scripto"),
    ]);
    roff.text([roman(
        "The config directory, created with mode 0700. Nothing in it is created readable by \
         others.",
    )]);
    entry(
        roff,
        "config.json",
        "Profiles, defaults and the active profile; versioned JSON. Created with mode 0600 (not \
         chmod-ed after). Holds a profile's key only when its storage is \"file\". Every write \
         takes the lock below, writes a temporary file in the same directory and renames it \
         over, so a killed process leaves the old or the new file, never a torn one. A file \
         readable by others is used with a warning; a corrupt one is never overwritten.",
    );
    entry(
        roff,
        "config.json.lock",
        "Empty; the advisory lock that serialises writers. Readers take no lock.",
    );
    entry(
        roff,
        "mfa-challenge.json",
        "Mode 0600. A pending MFA challenge left by a password login without a terminal, for \
         \"scripto auth mfa\" to finish; it expires with the server's challenge (5 minutes).",
    );
    entry(
        roff,
        "The OS keyring",
        "Where a profile's key lives by default (storage \"keyring\"): service \"scripto\", \
         account \"PROFILE@SERVER-URL\". On Linux the Secret Service (gnome-keyring, KWallet), \
         then the kernel keyring (keyutils); the Keychain on macOS; the Credential Manager on \
         Windows. With --storage auto a keyring that does not answer within 3 seconds is \
         skipped and the key goes to config.json, which is said on stderr.",
    );
}

/// The server's variables are its flags' (clap's `env`): listed from its
/// own clap tree, so they cannot drift from what it reads.
fn server_environment_section(roff: &mut Roff, server: &clap::Command) {
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman("Each variable stands for a flag; the flag beats it.")]);
    for arg in server.get_arguments() {
        let (Some(var), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        entry(
            roff,
            &var.to_string_lossy(),
            &format!("As --{long}: {}", lower_first(&help)),
        );
    }
}

fn server_files_section(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    roff.text([
        roman("By default all three live in "),
        italic("$XDG_DATA_HOME/scripto-server/"),
        roman(", else "),
        italic("~/.local/share/scripto-server/"),
        roman("."),
    ]);
    entry(
        roff,
        "scripto.db",
        "The SQLite database (--db, SCRIPTO_SERVER_DB). It holds only SHA-256 digests of API \
         keys and Argon2id hashes of passwords.",
    );
    entry(
        roff,
        "scripto.db.key",
        "Next to the database, created with mode 0600 on first start: 32 random bytes that \
         seal TOTP secrets and key the digests of one-time and backup codes. Losing it \
         invalidates enrolled TOTP secrets.",
    );
    entry(
        roff,
        "outbox.jsonl",
        "Next to the database (--outbox, SCRIPTO_SERVER_OUTBOX): every one-time code, one JSON \
         line each, {\"to\", \"code\", \"purpose\", \"sent_at\"}. The server sends no mail; \
         codes are also written to the log unless --no-log-codes.",
    );
}

/// Every error kind's exit status, from the table in `scripto::error`.
fn exit_status_section(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "The same with and without --json; under --json stdout carries exactly one document, \
         {\"success\":true,\"data\":...} or {\"success\":false,\"error\":{\"code\",\"message\",\
         \"next_action\"?,\"details\"?}}.",
    )]);
    entry(roff, "0", "Success.");
    for kind in ErrorKind::ALL {
        entry(roff, &kind.exit_code().to_string(), kind.meaning());
    }
}

fn see_also_section(roff: &mut Roff, pages: &[String]) {
    if pages.is_empty() {
        return;
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut inlines = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            inlines.push(roman(", "));
        }
        inlines.push(bold(page.as_str()));
        inlines.push(roman("(1)"));
    }
    roff.text(inlines);
}
