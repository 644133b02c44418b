//! The server's base URL: what is accepted as one, and where a credential
//! may be sent over it.

use std::net::IpAddr;

use reqwest::Url;
use scripto_wire::codes;

use crate::error::{Error, Result};

/// Checks a base URL as typed: http(s), a host, no user, query or fragment.
pub fn parse_base_url(raw: &str) -> Result<Url> {
    let usage = |why: &str| {
        Error::usage(format!("the server URL `{raw}` {why}"))
            .with_code(codes::cli::INVALID_API_URL)
            .with_next_action("pass a URL such as --api-url http://127.0.0.1:8787")
    };
    let url = Url::parse(raw.trim()).map_err(|e| usage(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(usage("must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(usage("has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(usage("must not carry a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(usage("must not have a query or fragment"));
    }
    Ok(url)
}

/// `localhost`, 127.0.0.0/8 and ::1: the only hosts plain http may carry a
/// credential to.
pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let host = host.to_ascii_lowercase();
            host == "localhost" || host.ends_with(".localhost")
        }
    }
}
