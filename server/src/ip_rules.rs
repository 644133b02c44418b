//! Addresses: a key's allow-list of networks (`allowed_ips`), and which
//! address a request comes from when the server sits behind a proxy.
//!
//! A client can never choose its own address: `X-Forwarded-For` and
//! `Forwarded` are read only when the socket's peer is a trusted proxy
//! (`--trust-proxy`), and then only the hop that proxy added (the last one),
//! since everything before it was written by the client.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// Networks on one key, as GitHub and cloud consoles allow.
pub const MAX_ALLOWED_IPS: usize = 50;

/// An IPv4 or IPv6 network, `203.0.113.0/24` or `2001:db8::/32`. A bare
/// address is its own /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                mask_v4(u32::from(ip), self.prefix) == u32::from(net)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                mask_v6(u128::from(ip), self.prefix) == u128::from(net)
            }
            _ => false,
        }
    }

    /// Every address of `self` is in `other`.
    pub fn is_within(&self, other: &Cidr) -> bool {
        self.prefix >= other.prefix && other.contains(self.network)
    }
}

impl FromStr for Cidr {
    type Err = String;

    /// Strict, as Python's `ipaddress`: host bits set (`10.0.0.1/8`) is an
    /// error naming the network that was probably meant.
    fn from_str(s: &str) -> Result<Cidr, String> {
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let ip: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{}` is not an IPv4 or IPv6 address", shorten(addr)))?;
        let ip = canonical(ip);
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            // Digits only: `u8::from_str` would also take `+24`.
            Some(p) => Some(p)
                .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u8>().ok())
                .filter(|p| *p <= max)
                .ok_or_else(|| {
                    format!("the prefix length of `{}` must be 0 to {max}", shorten(s))
                })?,
        };
        let network = match ip {
            IpAddr::V4(v4) => IpAddr::V4(mask_v4(u32::from(v4), prefix).into()),
            IpAddr::V6(v6) => IpAddr::V6(mask_v6(u128::from(v6), prefix).into()),
        };
        if network != ip {
            return Err(format!(
                "`{}` has host bits set; the network is {network}/{prefix}",
                shorten(s)
            ));
        }
        Ok(Cidr { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// Parses an allow-list from a request: at most [`MAX_ALLOWED_IPS`]
/// networks, each strict; returned canonical (`203.0.113.7` becomes
/// `203.0.113.7/32`), sorted and without duplicates.
pub fn parse_allow_list(items: &[String]) -> Result<Vec<Cidr>, String> {
    if items.len() > MAX_ALLOWED_IPS {
        return Err(format!(
            "must have at most {MAX_ALLOWED_IPS} entries (it has {})",
            items.len()
        ));
    }
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        if item
            .bytes()
            .any(|b| !b.is_ascii_hexdigit() && !b".:/".contains(&b))
        {
            return Err(format!(
                "`{}` is not an address or a network like 203.0.113.0/24",
                shorten(item)
            ));
        }
        list.push(item.parse::<Cidr>()?);
    }
    list.sort_by_key(|c| (c.network, c.prefix));
    list.dedup();
    Ok(list)
}

/// The stored form: canonical networks separated by spaces.
pub fn to_stored(list: &[Cidr]) -> String {
    list.iter()
        .map(Cidr::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the stored form; an entry that does not parse (never written by
/// this server) is kept as a network that matches nothing, so a damaged row
/// fails closed.
pub fn from_stored(text: &str) -> Vec<Cidr> {
    text.split_whitespace()
        .map(|s| s.parse().unwrap_or(NOTHING))
        .collect()
}

/// Matches no address: `::/128` is never a client's address.
const NOTHING: Cidr = Cidr {
    network: IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
    prefix: 128,
};

/// `allowed_ips` empty means every address.
pub fn allows(list: &[Cidr], ip: IpAddr) -> bool {
    list.is_empty() || list.iter().any(|c| c.contains(ip))
}

/// The address a request is from: the socket's peer, or, when that peer is
/// a trusted proxy, the hop it added to `Forwarded` or `X-Forwarded-For`.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[Cidr]) -> IpAddr {
    let peer = canonical(peer);
    if !trusted_proxies.iter().any(|c| c.contains(peer)) {
        return peer;
    }
    forwarded_for(headers)
        .or_else(|| x_forwarded_for(headers))
        .map(canonical)
        .unwrap_or(peer)
}

/// The last `for=` of the last `Forwarded` header (RFC 7239).
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers
        .get_all("forwarded")
        .iter()
        .next_back()?
        .to_str()
        .ok()?;
    let element = last.rsplit(',').next()?;
    let value = element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.eq_ignore_ascii_case("for").then_some(value)
    })?;
    let value = value.trim_matches('"');
    // `[2001:db8::1]:4711`, `192.0.2.43:47011`, or a bare address.
    let host = match value.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None if value.matches(':').count() == 1 => value.split(':').next()?,
        None => value,
    };
    host.parse().ok()
}

/// The last address of the last `X-Forwarded-For` header.
fn x_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?;
    last.rsplit(',').next()?.trim().parse().ok()
}

/// An IPv4 client of a dual-stack socket shows as `::ffff:a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

fn mask_v4(ip: u32, prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        ip & (u32::MAX << (32 - u32::from(prefix)))
    }
}

fn mask_v6(ip: u128, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        ip & (u128::MAX << (128 - u32::from(prefix)))
    }
}

/// Input quoted in an error is cut short: it came from the client.
fn shorten(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_contain_their_addresses_and_no_others() {
        let net: Cidr = "203.0.113.0/24".parse().unwrap();
        assert!(net.contains(ip("203.0.113.200")));
        assert!(!net.contains(ip("203.0.114.1")));
        assert!(net.contains(ip("::ffff:203.0.113.9")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:1::5")));
        assert!(!v6.contains(ip("203.0.113.9")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("8.8.8.8")));
    }

    #[test]
    fn bad_networks_are_refused_with_the_reason() {
        assert!(
            "10.0.0.1/8"
                .parse::<Cidr>()
                .unwrap_err()
                .contains("10.0.0.0/8")
        );
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("10.0.0.0/+8".parse::<Cidr>().is_err());
        assert!("example.com".parse::<Cidr>().is_err());
        assert!(parse_allow_list(&["1.2.3.4 ".to_owned()]).is_err());
        let many: Vec<String> = (0..51).map(|i| format!("10.0.0.{i}")).collect();
        assert!(parse_allow_list(&many).is_err());
    }

    #[test]
    fn an_allow_list_is_stored_canonical_and_read_back() {
        let list = parse_allow_list(&["203.0.113.7".to_owned(), "10.0.0.0/8".to_owned()]).unwrap();
        assert_eq!(to_stored(&list), "10.0.0.0/8 203.0.113.7/32");
        assert_eq!(from_stored(&to_stored(&list)), list);
        assert!(!allows(&from_stored("garbage"), ip("127.0.0.1")));
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy_and_only_its_hop() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 198.51.100.7".parse().unwrap());
        let proxy: Cidr = "10.0.0.0/8".parse().unwrap();
        assert_eq!(
            client_ip(ip("127.0.0.1"), &headers, &[proxy]),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_ip(ip("10.1.2.3"), &headers, &[proxy]),
            ip("198.51.100.7")
        );
        headers.insert(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8::7]:443\"".parse().unwrap(),
        );
        assert_eq!(
            client_ip(ip("10.1.2.3"), &headers, &[proxy]),
            ip("2001:db8::7")
        );
    }

    #[test]
    fn a_narrower_network_is_within_a_wider_one() {
        let wide: Cidr = "10.0.0.0/8".parse().unwrap();
        let narrow: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(narrow.is_within(&wide));
        assert!(!wide.is_within(&narrow));
    }
}
