//! Small helpers: randomness, ids, digests and times.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use scripto_wire::key::BASE62;
use sha2::{Digest, Sha256};

/// Fills `buf` from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS generator does not fail on the platforms we run on; if it ever
    // did, continuing with predictable secrets would be far worse than a stop.
    getrandom::fill(&mut buf).expect("the operating system's random generator failed");
    buf
}

/// `len` uniformly random base62 characters (rejection sampling, no bias).
pub fn random_base62(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes::<64>() {
            // 248 = 4 * 62: bytes above it would favour the first characters.
            if b < 248 {
                out.push(BASE62[(b % 62) as usize] as char);
                if out.len() == len {
                    break;
                }
            }
        }
    }
    out
}

/// A uniformly random number below `bound`.
pub fn random_below(bound: u32) -> u32 {
    let zone = u32::MAX - (u32::MAX % bound);
    loop {
        let n = u32::from_le_bytes(random_bytes::<4>());
        if n < zone {
            return n % bound;
        }
    }
}

/// An id: its type prefix (`usr_`, `key_`, …) and 20 base62 characters.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", random_base62(20))
}

/// A request id: `req_` and 20 base62 characters from a fast, non-secret
/// generator (a request id is a label, not a credential; this keeps a
/// system call off every request).
pub fn new_request_id() -> String {
    let mut s = String::with_capacity(24);
    s.push_str("req_");
    for _ in 0..20 {
        s.push(BASE62[fastrand::usize(..62)] as char);
    }
    s
}

/// Whether `id` has the given prefix followed by 16 to 64 base62 characters.
pub fn is_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        (16..=64).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// RFC 3339, UTC, whole seconds: `2026-11-23T19:04:39Z`.
pub fn rfc3339(ts: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_secs(ts.max(0) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Lower-cases and trims an e-mail address and checks its rough shape
/// (one `@`, something on each side, no spaces, at most 254 characters).
/// The length is of the address as given, in characters, as the OpenAPI
/// document's `maxLength` counts it (bytes would refuse 200 `é`s).
pub fn normalize_email(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && email.chars().count() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(e)
}

/// `url` with any password replaced by `***`, for logs and error messages
/// (a Redis or PostgreSQL URL): in the user part (`redis://user:***@host`) and in `pass` / `password` query parameters
/// (`unix:///run/redis.sock?pass=***`). Something that is not a URL is
/// shown as `***` whole.
pub fn mask_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "***".to_owned();
    };
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    let main = match main.rfind('@') {
        Some(at) => {
            let (user_info, host) = main.split_at(at);
            match user_info.split_once(':') {
                Some((user, _)) => format!("{user}:***{host}"),
                None => main.to_owned(),
            }
        }
        None => main.to_owned(),
    };
    let mut out = format!("{scheme}://{main}");
    if let Some(query) = query {
        let params: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if k.to_ascii_lowercase().contains("pass") => format!("{k}=***"),
                _ => p.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_masked_in_urls() {
        assert_eq!(
            mask_url_password("redis://:hunter2@cache:6380/1"),
            "redis://:***@cache:6380/1"
        );
        assert_eq!(
            mask_url_password("rediss://app:p@ss:w0rd@cache"),
            "rediss://app:***@cache"
        );
        assert_eq!(
            mask_url_password("redis+unix:///run/redis.sock?db=2&pass=hunter2"),
            "redis+unix:///run/redis.sock?db=2&pass=***"
        );
        assert_eq!(
            mask_url_password("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
        assert_eq!(mask_url_password("hunter2"), "***");
        assert_eq!(
            mask_url_password("postgres://scripto:hunter2@db:5432/scripto?password=hunter2"),
            "postgres://scripto:***@db:5432/scripto?password=***"
        );
    }

    use super::*;

    #[test]
    fn ids_have_their_prefix_and_twenty_base62_characters() {
        let id = new_id("key_");
        assert!(is_id(&id, "key_"));
        assert!(!is_id(&id, "usr_"));
        assert!(!is_id("key_short", "key_"));
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            unhex(&hex(&[0, 1, 254, 255])).unwrap(),
            vec![0, 1, 254, 255]
        );
    }

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(normalize_email(" A@B.c ").as_deref(), Some("a@b.c"));
        assert_eq!(normalize_email("nope"), None);
        assert_eq!(normalize_email("a b@c.d"), None);
        assert_eq!(normalize_email("a@b@c"), None);
    }
}
