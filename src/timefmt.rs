//! Times and cells in tables: relative and coloured for a person at a
//! terminal, plain RFC 3339 for a pipe (and `--json`, which never comes
//! here), so `scripto keys list | awk` reads exact times and a person reads
//! "3 days ago".

use std::time::{Duration, SystemTime};

use comfy_table::{Attribute, Cell, Color};

use crate::api::types::parse_time;
use crate::output::{Output, terminal_safe};

/// How one table's cells are written: decided once from where stdout goes.
#[derive(Debug, Clone, Copy)]
pub struct Cells {
    /// Relative times ("in 11 months") instead of RFC 3339.
    relative: bool,
    /// Colour (status) and dim (secondary columns).
    color: bool,
    now: SystemTime,
}

impl Cells {
    pub fn new(out: &Output) -> Self {
        Self {
            relative: out.stdout_is_terminal && !out.json,
            color: out.stdout_color,
            now: SystemTime::now(),
        }
    }

    /// Text from the server, its control characters escaped.
    pub fn text(&self, text: &str) -> Cell {
        Cell::new(terminal_safe(text))
    }

    /// A column that matters less (ids, dates, scopes): dim at a terminal.
    pub fn dim(&self, text: &str) -> Cell {
        let cell = self.text(text);
        if self.color {
            cell.add_attribute(Attribute::Dim)
        } else {
            cell
        }
    }

    /// A key's status: active green, expired yellow, revoked red.
    pub fn status(&self, status: &str) -> Cell {
        let cell = self.text(status);
        if !self.color {
            return cell;
        }
        match status {
            "active" => cell.fg(Color::Green),
            "expired" => cell.fg(Color::Yellow),
            "revoked" => cell.fg(Color::Red),
            _ => cell,
        }
    }

    /// A check's outcome: green when it went well, red when not.
    pub fn outcome(&self, text: &str, good: bool) -> Cell {
        let cell = self.text(text);
        match (self.color, good) {
            (false, _) => cell,
            (true, true) => cell.fg(Color::Green),
            (true, false) => cell.fg(Color::Red),
        }
    }

    /// A time as this table shows it; `none` when there is none ("never").
    pub fn time(&self, raw: Option<&str>, none: &str) -> Cell {
        match raw {
            None => self.dim(none),
            Some(raw) => self.dim(&self.when(raw)),
        }
    }

    /// "3 days ago" / "in 11 months" at a terminal, else the server's
    /// RFC 3339 text as it came (escaped). A time that does not parse is
    /// shown as it came either way.
    pub fn when(&self, raw: &str) -> String {
        match parse_time(raw) {
            Some(at) if self.relative => relative(self.now, at),
            _ => terminal_safe(raw).into_owned(),
        }
    }
}

impl Cells {
    /// For a one-record view: "in 11 months (2027-11-30)" at a terminal,
    /// the exact time when piped.
    pub fn when_with_date(&self, raw: &str) -> String {
        match parse_time(raw) {
            Some(at) if self.relative => format!(
                "{} ({})",
                relative(self.now, at),
                terminal_safe(raw.get(..10).unwrap_or(raw))
            ),
            _ => terminal_safe(raw).into_owned(),
        }
    }
}

/// The distance from `now` to `at` in the largest unit that fits, as people
/// say it: "just now", "5 minutes ago", "in 3 days", "in 11 months",
/// "2 years ago".
pub fn relative(now: SystemTime, at: SystemTime) -> String {
    let (distance, past) = match now.duration_since(at) {
        Ok(ago) => (ago, true),
        Err(ahead) => (ahead.duration(), false),
    };
    if distance < Duration::from_secs(60) {
        return "just now".to_owned();
    }
    let secs = distance.as_secs();
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const YEAR: u64 = 365 * DAY;
    // A twelfth of a year, so a one-year key seen a moment after it was
    // made reads "in 11 months", not "in 12 months".
    const MONTH: u64 = YEAR / 12;
    let (n, unit) = match secs {
        s if s < HOUR => (s / MINUTE, "minute"),
        s if s < DAY => (s / HOUR, "hour"),
        s if s < MONTH => (s / DAY, "day"),
        s if s < YEAR => (s / MONTH, "month"),
        s => (s / YEAR, "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if past {
        format!("{n} {unit}{plural} ago")
    } else {
        format!("in {n} {unit}{plural}")
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::relative;

    #[test]
    fn times_read_as_people_say_them() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let day: i64 = 86_400;
        let cases = [
            (-30, "just now"),
            (-5 * 60, "5 minutes ago"),
            (-3600, "1 hour ago"),
            (-3 * day, "3 days ago"),
            (3 * day + 60, "in 3 days"),
            (335 * day, "in 11 months"),
            (365 * day + 1, "in 1 year"),
            (-800 * day, "2 years ago"),
        ];
        for (offset, expected) in cases {
            let at = if offset < 0 {
                now - Duration::from_secs(offset.unsigned_abs())
            } else {
                now + Duration::from_secs(offset as u64)
            };
            assert_eq!(relative(now, at), expected, "{offset}");
        }
    }
}
