//! The wire types (shared with the server through `scripto-wire`) and the few
//! client-side notions around them: an expiry period as the user types it,
//! and reading the server's RFC 3339 times.

use std::time::{Duration, SystemTime};

pub use scripto_wire::types::*;

/// The longest expiry the server accepts, in days (five years).
pub const MAX_EXPIRY_DAYS: u32 = 1826;

/// `--expires-in`: `1y`, `2y`, `5y`, `90d` (any `Nd` from 1 to 1826) or
/// `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiresIn {
    Days(u32),
    Never,
}

impl ExpiresIn {
    /// `expires_in_days` of a request: `None` asks for a key that never expires.
    pub fn days(self) -> Option<u32> {
        match self {
            Self::Days(days) => Some(days),
            Self::Never => None,
        }
    }

    /// The period of an existing key, for `keys rotate`: whole days between
    /// creation and expiry, rounded to the nearest day and kept in range.
    pub fn of_key(created_at: &str, expires_at: Option<&str>) -> Self {
        let Some(expires_at) = expires_at else {
            return Self::Never;
        };
        match (parse_time(created_at), parse_time(expires_at)) {
            (Some(created), Some(expires)) => {
                let secs = expires
                    .duration_since(created)
                    .unwrap_or_default()
                    .as_secs();
                let days = (secs + 43_200) / 86_400;
                Self::Days((days as u32).clamp(1, MAX_EXPIRY_DAYS))
            }
            _ => Self::Never,
        }
    }
}

/// The clap value parser of `--expires-in`.
pub fn parse_expires_in(raw: &str) -> Result<ExpiresIn, String> {
    let value = raw.trim().to_ascii_lowercase();
    if value == "never" {
        return Ok(ExpiresIn::Never);
    }
    let bad =
        || format!("`{raw}` is not a period: use 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never");
    // The unit is one ASCII letter; anything else (`5é`) is no period, and
    // must not be split inside a character.
    let (number, unit) = match value.strip_suffix('d') {
        Some(number) => (number, 'd'),
        None => (value.strip_suffix('y').ok_or_else(bad)?, 'y'),
    };
    let n: u32 = number.parse().map_err(|_| bad())?;
    let days = match unit {
        'd' => n,
        'y' if matches!(n, 1 | 2 | 5) => match n {
            1 => 365,
            2 => 730,
            _ => MAX_EXPIRY_DAYS,
        },
        _ => return Err(bad()),
    };
    if !(1..=MAX_EXPIRY_DAYS).contains(&days) {
        return Err(bad());
    }
    Ok(ExpiresIn::Days(days))
}

/// Reads an RFC 3339 time as the server writes it (UTC, `Z` or `+00:00`).
pub fn parse_time(raw: &str) -> Option<SystemTime> {
    let raw = raw.trim();
    let normalised;
    let raw = if let Some(stripped) = raw.strip_suffix("+00:00") {
        normalised = format!("{stripped}Z");
        normalised.as_str()
    } else {
        raw
    };
    humantime::parse_rfc3339_weak(raw).ok()
}

/// How long until `expires_at`; `None` if it is past, or cannot be read.
pub fn time_left(expires_at: &str) -> Option<Duration> {
    parse_time(expires_at)?
        .duration_since(SystemTime::now())
        .ok()
}

/// A key expiring within this long draws a warning at each use.
pub const EXPIRY_WARNING: Duration = Duration::from_secs(14 * 86_400);

/// "3 days", "5 hours": a short human distance for warnings and tables.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (n, unit) = if secs >= 86_400 {
        (secs / 86_400, "day")
    } else if secs >= 3_600 {
        (secs / 3_600, "hour")
    } else {
        ((secs / 60).max(1), "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// The date part of an RFC 3339 time, for tables (`2027-11-23`).
pub fn short_date(raw: &str) -> &str {
    raw.get(..10).unwrap_or(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_as_the_help_says() {
        assert_eq!(parse_expires_in("1y"), Ok(ExpiresIn::Days(365)));
        assert_eq!(parse_expires_in("5y"), Ok(ExpiresIn::Days(1826)));
        assert_eq!(parse_expires_in("90d"), Ok(ExpiresIn::Days(90)));
        assert_eq!(parse_expires_in("never"), Ok(ExpiresIn::Never));
        for bad in [
            "3y",
            "0d",
            "1827d",
            "forever",
            "",
            "d",
            "5é",
            "é",
            "9\u{1F600}",
        ] {
            assert!(parse_expires_in(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_keys_period_is_recovered_for_rotation() {
        assert_eq!(
            ExpiresIn::of_key("2026-01-01T00:00:00Z", Some("2026-03-31T23:59:00Z")),
            ExpiresIn::Days(90)
        );
        assert_eq!(
            ExpiresIn::of_key("2026-01-01T00:00:00Z", None),
            ExpiresIn::Never
        );
    }
}
