//! Where things are printed: data on stdout, status and warnings on stderr.
//! Under `--json` stdout carries exactly one document, the envelope
//! `{"success":true,"data":…}` or `{"success":false,"error":…}`.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use serde_json::json;

use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, Clone)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub color: bool,
    /// Colour in what goes to stdout (tables): only at a terminal.
    pub stdout_color: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
}

impl Output {
    pub fn new(json: bool, quiet: bool, no_color: bool) -> Self {
        let stdout_is_terminal = io::stdout().is_terminal();
        let stderr_is_terminal = io::stderr().is_terminal();
        Self {
            json,
            quiet,
            color: !json && !no_color && stderr_is_terminal,
            stdout_color: !json && !no_color && stdout_is_terminal,
            stdout_is_terminal,
            stderr_is_terminal,
        }
    }

    /// Prints a command's result: the envelope under `--json`, else whatever
    /// `human` writes.
    pub fn success<T: Serialize>(
        &self,
        data: &T,
        human: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<()> {
        let mut stdout = io::stdout().lock();
        let written = if self.json {
            let doc = json!({ "success": true, "data": data });
            serde_json::to_writer(&mut stdout, &doc)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(stdout))
        } else {
            human(&mut stdout)
        };
        written
            .and_then(|()| stdout.flush())
            .map_err(Error::from_output)
    }

    /// The result of a command that changes something and has no data of its
    /// own to show: the envelope under `--json`, else `message` as a status
    /// line on stderr.
    pub fn done<T: Serialize>(&self, data: &T, message: impl AsRef<str>) -> Result<()> {
        if self.json {
            self.success(data, |_| Ok(()))
        } else {
            self.status(message);
            Ok(())
        }
    }

    /// Prints a failure: the envelope on stdout under `--json` (so an agent
    /// reads one document either way), else one line on stderr.
    pub fn error(&self, err: &Error) {
        if self.json {
            let doc = json!({ "success": false, "error": err });
            let mut stdout = io::stdout().lock();
            let _ = serde_json::to_writer(&mut stdout, &doc);
            let _ = writeln!(stdout);
            let _ = stdout.flush();
        } else {
            // Exit 9 is a step to take, not a failure: it reads as one.
            let label = if err.kind == ErrorKind::InputNeeded {
                self.paint("input needed", "33")
            } else {
                self.paint("error", "31")
            };
            let _ = writeln!(io::stderr(), "{label}: {}", one_line(&err.to_string()));
        }
    }

    /// A status line on stderr; `--quiet` silences it.
    pub fn status(&self, message: impl AsRef<str>) {
        if !self.quiet {
            let _ = writeln!(io::stderr(), "{}", message.as_ref());
        }
    }

    /// A warning on stderr: shown even with `--quiet`, since it is about
    /// something the user should fix.
    pub fn warn(&self, message: impl AsRef<str>) {
        let _ = writeln!(
            io::stderr(),
            "{}: {}",
            self.paint("warning", "33"),
            one_line(message.as_ref())
        );
    }

    /// A table that fits the terminal, without colour or borders when piped.
    pub fn table(&self, header: &[&str]) -> Table {
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        if self.stdout_is_terminal {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.force_no_tty();
        }
        table.set_header(header.iter().map(|h| h.to_uppercase()));
        // Columns start at the left margin and are two spaces apart, like
        // `ls -l`, so `cut` and `awk` read piped tables easily.
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        table
    }

    /// A table as text, without the padding comfy-table leaves at the end
    /// of each line.
    pub fn render_table(table: &Table) -> String {
        let lines: Vec<String> = table.lines().map(|l| l.trim_end().to_owned()).collect();
        lines.join("\n")
    }

    fn paint(&self, text: &str, ansi: &str) -> String {
        if self.color {
            format!("\x1b[{ansi}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Text from a file or a server, made safe to print on a terminal: control
/// characters (escape sequences, newlines) are shown escaped, not obeyed.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// An error or a warning is one line on stderr, whatever text it quotes (a
/// server's message may hold newlines, or escape sequences a terminal would
/// obey): control characters become single spaces.
fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let pieces: Vec<&str> = text
        .split(char::is_control)
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .collect();
    Cow::Owned(pieces.join(" "))
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn a_message_with_newlines_or_escapes_is_printed_on_one_line() {
        assert_eq!(one_line("plain words"), "plain words");
        assert_eq!(one_line("first\nsecond\r\n third"), "first second third");
        assert_eq!(one_line("red \x1b[31malert\x1b[0m"), "red [31malert [0m");
    }
}
