//! When a request is tried again and how long it may take in all, and how
//! a failure to get any answer reads: the transport side of the client.

use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::HeaderMap;
use scripto_wire::codes;

use super::redact;
use crate::error::Error;

/// The first backoff; it doubles for each further try, with jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(250);

/// `Retry-After` in seconds, the form the API sends (an HTTP date, which
/// it never sends, falls back to the usual backoff).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The moment a request with this timeout gives up. A timeout too long to
/// add to the clock (`--timeout 1e19`) means no limit in practice: thirty
/// years, as tokio's own timers cap it.
pub fn deadline_after(timeout: Duration) -> Instant {
    const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

/// 250 ms, 500 ms, … each scaled by a random 50–100 %, so that many clients
/// rejected together do not come back together.
pub fn backoff(tries: u32) -> Duration {
    let base = BACKOFF_BASE * 2u32.pow(tries.saturating_sub(1).min(4));
    base.mul_f64(0.5 + fastrand::f64() * 0.5)
}

pub fn is_reset(err: &reqwest::Error) -> bool {
    // A connection closed before any answer (e.g. a server restarting) is
    // as transient as one refused; a timeout is not retried, since each try
    // could wait as long again.
    !err.is_timeout() && err.is_request() && !err.is_body() && !err.is_decode()
}

pub fn timed_out(what: &str, timeout: Duration) -> Error {
    Error::network(format!(
        "{what} timed out after {}",
        humantime::format_duration(round_ms(timeout))
    ))
    .with_code(codes::cli::TIMEOUT)
    .with_next_action("retry, or allow longer with --timeout SECONDS")
}

fn round_ms(d: Duration) -> Duration {
    Duration::from_millis(d.as_millis() as u64)
}

pub fn network_error(what: &str, err: &reqwest::Error, timeout: Duration, base: &Url) -> Error {
    if err.is_timeout() {
        return timed_out(what, timeout);
    }
    let host = base.host_str().unwrap_or("");
    let port = base
        .port_or_known_default()
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    Error::network(format!(
        "could not reach the server at {host}{port} for {what}: {}",
        describe_transport_error(err)
    ))
    .with_next_action(
        "check that the server is running and that --api-url (or SCRIPTO_API_URL) is right",
    )
}

/// The innermost cause, which is the informative one ("Connection refused").
pub fn describe_transport_error(err: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = err;
    while let Some(next) = source.source() {
        source = next;
    }
    let text = source.to_string();
    if err.is_connect() && !text.is_empty() {
        text
    } else if err.is_timeout() {
        "timed out".to_owned()
    } else {
        redact::redact_text(&text, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_too_long_for_the_clock_is_no_limit_not_a_panic() {
        let now = Instant::now();
        assert!(deadline_after(Duration::MAX) > now + Duration::from_secs(365 * 24 * 60 * 60));
        let soon = deadline_after(Duration::from_secs(2));
        assert!(soon >= now + Duration::from_secs(2));
    }
}
