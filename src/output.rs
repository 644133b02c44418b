//! Where things are printed: data on stdout, status and warnings on stderr.
//! Under `--json` stdout carries exactly one document, the envelope
//! `{"success":true,"data":…}` or `{"success":false,"error":…}`.
//!
//! Everything human-readable passes through here, and here it is made safe
//! for a terminal: text from config.json, a keyring or a server may hold
//! escape sequences (`ESC]0;…` retitles the window, `ESC[2J` clears it) or
//! newlines that forge lines. [`terminal_safe`] shows such characters as
//! visible escapes (`\u{1b}`, `\n`); tables apply it to every cell, status
//! lines and human stdout to everything but their own line breaks, errors
//! and warnings flatten to one line. JSON is left exact: serde escapes it.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use comfy_table::{ContentArrangement, presets};
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

    /// Whether a wait (a request) shows a spinner on stderr: only at a
    /// terminal, and never with `--json`, `--quiet` or `--verbose` (whose
    /// lines it would garble).
    pub fn wants_spinner(&self, verbose: bool) -> bool {
        self.stderr_is_terminal && !self.json && !self.quiet && !verbose
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
            human(&mut TerminalSafe {
                inner: &mut stdout,
                keep_styles: self.stdout_color,
            })
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
            let _ = writeln!(io::stderr(), "{}", terminal_safe_lines(message.as_ref()));
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
        let mut table = comfy_table::Table::new();
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
        Table(table)
    }

    /// A table as text, without the padding comfy-table leaves at the end
    /// of each line.
    pub fn render_table(table: &Table) -> String {
        let lines: Vec<String> = table.0.lines().map(|l| l.trim_end().to_owned()).collect();
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

/// A table whose every cell is made [`terminal_safe`] as it is added: a
/// cell never breaks its row, nor carries an escape sequence.
pub struct Table(comfy_table::Table);

impl Table {
    pub fn add_row<C: SafeCell>(&mut self, cells: Vec<C>) -> &mut Self {
        self.0
            .add_row(cells.into_iter().map(SafeCell::safe).collect::<Vec<_>>());
        self
    }
}

/// What a [`Table`] row is made of: text, escaped as it is added, or a
/// styled cell from [`crate::timefmt::Cells`], which escapes its text when
/// it makes the cell.
pub trait SafeCell {
    fn safe(self) -> comfy_table::Cell;
}

impl SafeCell for String {
    fn safe(self) -> comfy_table::Cell {
        comfy_table::Cell::new(terminal_safe(&self))
    }
}

impl SafeCell for comfy_table::Cell {
    fn safe(self) -> comfy_table::Cell {
        self
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Labelled values, one per line, labels padded to `width`: each value
/// made [`terminal_safe`], so none can break its line.
pub fn write_fields(w: &mut dyn Write, width: usize, rows: &[(&str, String)]) -> io::Result<()> {
    for (label, value) in rows {
        writeln!(w, "{label:<width$} {}", terminal_safe(value))?;
    }
    Ok(())
}

/// A character a terminal would act on rather than show: C0 and C1
/// controls (ESC, CSI, BEL, newline…), DEL, and the invisible format
/// characters that reorder or hide text (bidirectional overrides, zero
/// widths).
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'
        )
}

/// `text` with every character a terminal would act on shown as a visible
/// escape instead: `\n`, `\r`, `\t`, else `\u{1b}`. The one function that
/// makes untrusted text fit to print.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escape_except(text, |_| false)
}

/// [`terminal_safe`] for text that is several lines on purpose (a status
/// message, a command's human output): its line breaks (and tabs) stay.
pub fn terminal_safe_lines(text: &str) -> Cow<'_, str> {
    escape_except(text, |c| c == '\n' || c == '\t')
}

fn escape_except(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| acts_on_terminal(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !acts_on_terminal(c) || keep(c) => safe.push(c),
            '\n' => safe.push_str("\\n"),
            '\r' => safe.push_str("\\r"),
            '\t' => safe.push_str("\\t"),
            c => safe.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    Cow::Owned(safe)
}

/// Human stdout: what a command writes passes [`terminal_safe_lines`] on
/// its way out, so no value it interpolates can reach the terminal raw.
/// When stdout is coloured, the colour and dim sequences (SGR, `ESC [ … m`)
/// pass: they can only style text, and every value in a styled cell was
/// escaped when the cell was made, so none of them comes from the data.
struct TerminalSafe<W> {
    inner: W,
    keep_styles: bool,
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let mut rest: &str = &text;
        while !rest.is_empty() {
            let (plain, style, after) = match self.keep_styles {
                true => split_at_style(rest),
                false => (rest, "", ""),
            };
            self.inner
                .write_all(terminal_safe_lines(plain).as_bytes())?;
            self.inner.write_all(style.as_bytes())?;
            rest = after;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The text before the first SGR sequence, the sequence, and what follows.
fn split_at_style(text: &str) -> (&str, &str, &str) {
    let mut from = 0;
    while let Some(at) = text[from..].find("\x1b[").map(|i| i + from) {
        let body = &text[at + 2..];
        let len = body
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b';')
            .count();
        if body.as_bytes().get(len) == Some(&b'm') {
            let end = at + 2 + len + 1;
            return (&text[..at], &text[at..end], &text[end..]);
        }
        from = at + 1;
    }
    (text, "", "")
}

/// An error or a warning is one line on stderr, whatever text it quotes (a
/// server's message may hold newlines, or escape sequences a terminal would
/// obey): line breaks and tabs become single spaces, any other control
/// character a visible escape.
fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let pieces: Vec<&str> = text
        .split(['\n', '\r', '\t'])
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .collect();
    Cow::Owned(terminal_safe(&pieces.join(" ")).into_owned())
}

/// A spinner on stderr for as long as it lives; cleared when dropped, so
/// nothing is left on the line for the output that follows.
pub struct Spinner(indicatif::ProgressBar);

impl Spinner {
    pub fn start(what: &str) -> Self {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(what.to_owned());
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        Self(bar)
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::{TerminalSafe, one_line, terminal_safe, terminal_safe_lines};

    #[test]
    fn coloured_stdout_keeps_styles_and_escapes_everything_else() {
        let mut out = Vec::new();
        let mut w = TerminalSafe {
            inner: &mut out,
            keep_styles: true,
        };
        writeln!(w, "\x1b[2mid\x1b[0m \x1b]0;pwned\x07 \x1b[2J ok").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[2mid\x1b[0m \\u{1b}]0;pwned\\u{7} \\u{1b}[2J ok\n"
        );
        let mut plain = Vec::new();
        let mut w = TerminalSafe {
            inner: &mut plain,
            keep_styles: false,
        };
        write!(w, "\x1b[2mid").unwrap();
        assert_eq!(String::from_utf8(plain).unwrap(), "\\u{1b}[2mid");
    }

    #[test]
    fn a_message_with_newlines_or_escapes_is_printed_on_one_line() {
        assert_eq!(one_line("plain words"), "plain words");
        assert_eq!(one_line("first\nsecond\r\n third"), "first second third");
        assert_eq!(
            one_line("red \x1b[31malert\x1b[0m"),
            r"red \u{1b}[31malert\u{1b}[0m"
        );
    }

    #[test]
    fn untrusted_text_shows_its_control_characters_as_escapes() {
        assert_eq!(terminal_safe("work"), "work");
        assert_eq!(terminal_safe("\x1b]0;pwned\x07"), r"\u{1b}]0;pwned\u{7}");
        assert_eq!(terminal_safe("a\nb\tc"), r"a\nb\tc");
        assert_eq!(terminal_safe("\u{9b}2J"), r"\u{9b}2J");
        assert_eq!(terminal_safe("abc\u{202e}txt"), r"abc\u{202e}txt");
        assert_eq!(
            terminal_safe_lines("one\ntwo\x1b[2J"),
            r"one
two\u{1b}[2J"
        );
    }
}
