//! The HTTP client: one blocking call per request from the command's point of
//! view, over reqwest on a `current_thread` tokio runtime that is only built
//! when the first request is made (so `auth token` and `config` never pay for
//! it).
//!
//! What it guarantees, whatever the server does:
//! - a credential never leaves over plain `http://` except to a loopback
//!   address; that is refused before any connection is made (exit 2);
//! - GET and DELETE are retried (3 tries in all, backoff with jitter,
//!   `Retry-After` honoured when it fits in the timeout) on connection
//!   errors, 429, 502, 503 and 504; a POST never is, since a retried key
//!   creation could mint two keys;
//! - every answer becomes either the decoded `data` or one [`Error`] whose
//!   kind gives the exit code, carrying the server's code, message,
//!   `next_action` and request id; an empty, HTML, malformed or oversized
//!   body gives one clear line, never a panic;
//! - `--verbose` shows the exchange on stderr with every secret masked.

use scripto_wire::codes;
use std::cell::OnceCell;
use std::io::Write;
use std::net::IpAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use scripto_wire::Secret;
use scripto_wire::types::Pagination;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::decode::{MAX_BODY, RawAnswer, decode};
use super::redact;
use crate::error::{Error, Result};

/// Connecting may take at most this long, whatever `--timeout` says.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Tries in all for a GET or DELETE.
const MAX_TRIES: u32 = 3;
/// The first backoff; it doubles for each further try, with jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
const USER_AGENT: &str = concat!("scripto/", env!("CARGO_PKG_VERSION"));

/// What a client is built from: the resolved settings of one command.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: String,
    /// Sent as `Authorization: Bearer …`; `None` for the login endpoints.
    pub credential: Option<Secret>,
    /// For each request, including its retries and any `Retry-After` wait.
    pub timeout: Duration,
    pub verbose: bool,
}

/// Pages followed by [`Client::list`]: the items, and where the next page
/// starts when there is one left.
#[derive(Debug)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// A server that hands out cursors forever must not keep a listing going.
const MAX_PAGES: usize = 10_000;

/// A decoded success: the `data` of the envelope and what came with it.
#[derive(Debug)]
pub struct Answer<T> {
    pub data: T,
    pub pagination: Option<Pagination>,
    pub request_id: Option<String>,
}

pub struct Client {
    base: Url,
    credential: Option<Secret>,
    timeout: Duration,
    verbose: bool,
    /// A spinner on stderr while waiting (only ever asked for at a terminal).
    spinner: bool,
    /// Built on the first request, and shared with the clients made from
    /// this one by [`Client::with_credential`] (one runtime, one pool).
    transport: Rc<OnceCell<Transport>>,
}

struct Transport {
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("credential", &self.credential)
            .finish_non_exhaustive()
    }
}

/// The JSON of one request body, and the secrets in it, so that an error
/// message echoing one of them can be masked.
struct Body {
    json: Value,
    secrets: Vec<String>,
}

impl Client {
    /// Checks the URL, and that a credential would not travel in the clear,
    /// before anything is sent.
    pub fn new(options: ClientOptions) -> Result<Self> {
        let base = parse_base_url(&options.base_url)?;
        let client = Self {
            base,
            credential: options.credential,
            timeout: options.timeout,
            verbose: options.verbose,
            spinner: false,
            transport: Rc::default(),
        };
        if client.credential.is_some() {
            client.require_private_transport()?;
        }
        Ok(client)
    }

    /// The same server and settings with another credential: a session token
    /// that mints the CLI's key, or a new key being verified.
    pub fn with_credential(&self, credential: Secret) -> Result<Self> {
        let client = Self {
            base: self.base.clone(),
            credential: Some(credential),
            timeout: self.timeout,
            verbose: self.verbose,
            spinner: self.spinner,
            transport: Rc::clone(&self.transport),
        };
        client.require_private_transport()?;
        Ok(client)
    }

    /// Shows a spinner on stderr during each request. The caller decides:
    /// only at a terminal, and never with `--json`, `--quiet` or `--verbose`.
    pub fn with_spinner(mut self, on: bool) -> Self {
        self.spinner = on;
        self
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// `GET /v1/<path>?query`, retried on transient failures.
    pub fn get<T: DeserializeOwned>(
        &self,
        path: &[&str],
        query: &[(&str, String)],
    ) -> Result<Answer<T>> {
        self.call(Method::GET, path, query, None)
    }

    /// A listing under `/v1/<path>`: its first page, or with `every_page`
    /// every page to the end, following `pagination.next_cursor`. A server
    /// that hands out the same cursor twice, or cursors without end, is
    /// stopped rather than followed forever.
    pub fn list<T: DeserializeOwned>(
        &self,
        path: &[&str],
        query: &[(&str, String)],
        every_page: bool,
    ) -> Result<Listing<T>> {
        let mut listing = Listing {
            items: Vec::new(),
            has_more: false,
            next_cursor: None,
        };
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_PAGES {
            let mut page_query = query.to_vec();
            if let Some(cursor) = &listing.next_cursor {
                page_query.push(("cursor", cursor.clone()));
            }
            let page = self.get::<Vec<T>>(path, &page_query)?;
            listing.items.extend(page.data);
            let pagination = page.pagination.unwrap_or(Pagination {
                has_more: false,
                next_cursor: None,
            });
            listing.has_more = pagination.has_more && pagination.next_cursor.is_some();
            listing.next_cursor = pagination.next_cursor.filter(|_| listing.has_more);
            if !every_page || !listing.has_more {
                return Ok(listing);
            }
            if !seen.insert(listing.next_cursor.clone().unwrap_or_default()) {
                break;
            }
        }
        Err(Error::unexpected(
            "the server kept returning page cursors (the same one twice, or without end); stopped following them",
        ))
    }

    /// `POST /v1/<path>` with a JSON body; never retried.
    pub fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &[&str],
        body: &B,
    ) -> Result<Answer<T>> {
        let json = serde_json::to_value(body)
            .map_err(|e| Error::unexpected(format!("could not encode the request: {e}")))?;
        let mut secrets = Vec::new();
        collect_secret_fields(&json, &mut secrets);
        self.call(Method::POST, path, &[], Some(Body { json, secrets }))
    }

    /// `DELETE /v1/<path>`, retried on transient failures (revoking twice is
    /// not an error).
    pub fn delete<T: DeserializeOwned>(&self, path: &[&str]) -> Result<Answer<T>> {
        self.call(Method::DELETE, path, &[], None)
    }

    /// Refuses to send a credential over plain http to anything but loopback.
    pub fn require_private_transport(&self) -> Result<()> {
        if self.base.scheme() == "https" || is_loopback(&self.base) {
            return Ok(());
        }
        let host = self.base.host_str().unwrap_or("");
        Err(Error::usage(format!(
            "refusing to send a credential over plain http to {host}: only loopback addresses may use http"
        ))
        .with_code(codes::cli::INSECURE_TRANSPORT)
        .with_next_action(format!(
            "use --api-url https://{}",
            self.base
                .as_str()
                .trim_start_matches("http://")
                .trim_end_matches('/')
        )))
    }

    fn url(&self, path: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        {
            // The base is a hierarchical http(s) URL, checked in `new`.
            let mut segments = url.path_segments_mut().expect("http URL has a path");
            segments.pop_if_empty().push("v1");
            // Each piece is escaped: an id typed by the user cannot add a
            // path segment or a query.
            segments.extend(path);
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (k, v.as_str())));
        }
        url
    }

    fn transport(&self) -> Result<&Transport> {
        if let Some(t) = self.transport.get() {
            return Ok(t);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::unexpected(format!("could not start the network runtime: {e}")))?;
        // reqwest is built without a crypto provider (Cargo.toml: ring, not
        // aws-lc-rs); the first client installs ring's. Already installed
        // (a second client) is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(CONNECT_TIMEOUT.min(self.timeout))
            .redirect(reqwest::redirect::Policy::none());
        if self.base.scheme() == "http" {
            // Loading the system's root certificates costs ~24 ms of CPU; a
            // plain-http server never needs them.
            builder = builder.tls_certs_only(Vec::new());
        }
        if is_loopback(&self.base) {
            // A loopback server is never reached through a proxy.
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| Error::unexpected(format!("could not set up the HTTP client: {e}")))?;
        Ok(self.transport.get_or_init(|| Transport { runtime, http }))
    }

    fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, String)],
        body: Option<Body>,
    ) -> Result<Answer<T>> {
        if self.credential.is_some() {
            self.require_private_transport()?;
        }
        let url = self.url(path, query);
        let what = format!("{method} {}", url.path());
        let mut known: Vec<&str> = body
            .as_ref()
            .map(|b| b.secrets.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if let Some(credential) = &self.credential {
            known.push(credential.expose());
        }
        let transport = self.transport()?;
        let _spinner = self.spinner.then(|| Spinner::start(&what));
        let retryable = method == Method::GET || method == Method::DELETE;
        let deadline = deadline_after(self.timeout);

        let mut tries = 0;
        loop {
            tries += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(timed_out(&what, self.timeout));
            }
            self.log_request(&method, &url, body.as_ref(), &known);
            let started = Instant::now();
            let outcome = transport.runtime.block_on(self.exchange(
                transport,
                &method,
                &url,
                body.as_ref(),
                remaining,
            ));
            let can_retry = retryable && tries < MAX_TRIES;
            match outcome {
                Err(err) => {
                    self.log(&format!(
                        "* {what} failed: {}",
                        describe_transport_error(&err)
                    ));
                    if can_retry
                        && (err.is_connect() || is_reset(&err))
                        && self.sleep_before_retry(transport, tries, None, deadline)
                    {
                        continue;
                    }
                    return Err(network_error(&what, &err, self.timeout, &self.base));
                }
                Ok(raw) => {
                    self.log_response(&raw, started.elapsed(), &known);
                    let status = raw.status;
                    let transient = matches!(status.as_u16(), 429 | 502 | 503 | 504);
                    if can_retry
                        && transient
                        && self.sleep_before_retry(transport, tries, raw.retry_after, deadline)
                    {
                        continue;
                    }
                    return decode(&what, raw, &known);
                }
            }
        }
    }

    /// Waits before the next try; false when the wait would not fit before
    /// the deadline, and the last answer stands.
    fn sleep_before_retry(
        &self,
        transport: &Transport,
        tries: u32,
        retry_after: Option<Duration>,
        deadline: Instant,
    ) -> bool {
        let wait = retry_after.unwrap_or_else(|| backoff(tries));
        let remaining = deadline.saturating_duration_since(Instant::now());
        // Leave the next try some time to be answered in.
        // A `Retry-After` of u64::MAX seconds must not overflow the sum.
        if wait.saturating_add(Duration::from_millis(100)) >= remaining {
            return false;
        }
        self.log(&format!("* retrying in {} ms", wait.as_millis()));
        // The timer is created inside the runtime: `sleep()` needs it.
        transport
            .runtime
            .block_on(async { tokio::time::sleep(wait).await });
        true
    }

    async fn exchange(
        &self,
        transport: &Transport,
        method: &Method,
        url: &Url,
        body: Option<&Body>,
        timeout: Duration,
    ) -> reqwest::Result<RawAnswer> {
        let mut request = transport
            .http
            .request(method.clone(), url.clone())
            .timeout(timeout)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(credential) = &self.credential {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", credential.expose()))
                .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid"));
            value.set_sensitive(true);
            request = request.header(reqwest::header::AUTHORIZATION, value);
        }
        if let Some(body) = body {
            request = request.json(&body.json);
        }
        let mut response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let declared_too_big = response
            .content_length()
            .is_some_and(|len| len > MAX_BODY as u64);
        let mut bytes = Vec::new();
        let mut too_big = declared_too_big;
        while !too_big {
            match response.chunk().await? {
                Some(chunk) => {
                    if bytes.len() + chunk.len() > MAX_BODY {
                        too_big = true;
                    } else {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                None => break,
            }
        }
        Ok(RawAnswer {
            status,
            retry_after: retry_after(&headers),
            request_id: headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            content_type: headers
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned(),
            headers,
            body: bytes,
            too_big,
        })
    }

    fn log(&self, line: &str) {
        if self.verbose {
            // Headers and bodies come from the server: untrusted.
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                crate::output::terminal_safe_lines(line)
            );
        }
    }

    fn log_request(&self, method: &Method, url: &Url, body: Option<&Body>, known: &[&str]) {
        if !self.verbose {
            return;
        }
        let mut lines = vec![
            format!("> {method} {url}"),
            format!("> user-agent: {USER_AGENT}"),
        ];
        if let Some(credential) = &self.credential {
            lines.push(format!("> authorization: Bearer {}", credential.masked()));
        }
        if let Some(body) = body {
            let mut shown = body.json.clone();
            redact::redact_json(&mut shown, known);
            lines.push("> content-type: application/json".to_owned());
            lines.push(format!("> {shown}"));
        }
        self.log(&lines.join("\n"));
    }

    fn log_response(&self, raw: &RawAnswer, elapsed: Duration, known: &[&str]) {
        if !self.verbose {
            return;
        }
        let mut lines = vec![format!("< {} ({} ms)", raw.status, elapsed.as_millis())];
        for (name, value) in &raw.headers {
            let value = value.to_str().unwrap_or("<binary>");
            lines.push(format!("< {name}: {}", redact::redact_text(value, known)));
        }
        if raw.too_big {
            lines.push(format!("< (body over {} KiB, not shown)", MAX_BODY / 1024));
        } else if !raw.body.is_empty() {
            let shown = match serde_json::from_slice::<Value>(&raw.body) {
                Ok(mut json) => {
                    redact::redact_json(&mut json, known);
                    json.to_string()
                }
                Err(_) => {
                    let text = String::from_utf8_lossy(&raw.body);
                    let text: String = text.chars().take(2000).collect();
                    redact::redact_text(&text, known)
                }
            };
            lines.push(format!("< {shown}"));
        }
        self.log(&lines.join("\n"));
    }
}

/// A spinner on stderr for as long as it lives; cleared when dropped, so
/// nothing is left on the line for the output that follows.
struct Spinner(indicatif::ProgressBar);

impl Spinner {
    fn start(what: &str) -> Self {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(what.to_owned());
        bar.enable_steady_tick(Duration::from_millis(100));
        Self(bar)
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// `Retry-After` in seconds, the form the API sends (an HTTP date, which
/// it never sends, falls back to the usual backoff).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The moment a request with this timeout gives up. A timeout too long to
/// add to the clock (`--timeout 1e19`) means no limit in practice: thirty
/// years, as tokio's own timers cap it.
fn deadline_after(timeout: Duration) -> Instant {
    const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

/// 250 ms, 500 ms, … each scaled by a random 50–100 %, so that many clients
/// rejected together do not come back together.
fn backoff(tries: u32) -> Duration {
    let base = BACKOFF_BASE * 2u32.pow(tries.saturating_sub(1).min(4));
    base.mul_f64(0.5 + fastrand::f64() * 0.5)
}

fn is_reset(err: &reqwest::Error) -> bool {
    // A connection closed before any answer (e.g. a server restarting) is
    // as transient as one refused; a timeout is not retried, since each try
    // could wait as long again.
    !err.is_timeout() && err.is_request() && !err.is_body() && !err.is_decode()
}

fn timed_out(what: &str, timeout: Duration) -> Error {
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

fn network_error(what: &str, err: &reqwest::Error, timeout: Duration, base: &Url) -> Error {
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
fn describe_transport_error(err: &reqwest::Error) -> String {
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

fn parse_base_url(raw: &str) -> Result<Url> {
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

/// Gathers the string values of secret fields of a request body, to mask
/// them if the server echoes them.
fn collect_secret_fields(value: &Value, out: &mut Vec<String>) {
    let mut masked = value.clone();
    redact::redact_json(&mut masked, &[]);
    diff_strings(value, &masked, out);
}

fn diff_strings(original: &Value, masked: &Value, out: &mut Vec<String>) {
    match (original, masked) {
        (Value::String(a), Value::String(b)) if a != b => out.push(a.clone()),
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                if let Some(w) = b.get(k) {
                    diff_strings(v, w, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            a.iter().zip(b).for_each(|(v, w)| diff_strings(v, w, out));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(url: &str, credential: bool) -> Result<Client> {
        Client::new(ClientOptions {
            base_url: url.to_owned(),
            credential: credential.then(|| Secret::new("scripto_x")),
            timeout: Duration::from_secs(1),
            verbose: false,
        })
    }

    #[test]
    fn a_credential_goes_over_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8787",
            "http://127.1.2.3",
            "http://localhost:1",
            "http://[::1]:9",
            "https://api.example.com",
        ] {
            assert!(client(ok, true).is_ok(), "{ok}");
        }
        let err = client("http://api.example.com", true).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(err.code, "insecure_transport");
        assert!(client("http://api.example.com", false).is_ok());
    }

    #[test]
    fn ids_are_escaped_into_one_path_segment() {
        let c = client("http://127.0.0.1:1/base/", false).unwrap();
        let url = c.url(&["keys", "../me?x=1"], &[]);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/base/v1/keys/..%2Fme%3Fx=1"
        );
    }

    #[test]
    fn a_bad_url_is_a_usage_error() {
        for bad in ["127.0.0.1:8787", "ftp://x", "http://u:p@h", "nonsense"] {
            assert_eq!(client(bad, false).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn a_timeout_too_long_for_the_clock_is_no_limit_not_a_panic() {
        let now = Instant::now();
        assert!(deadline_after(Duration::MAX) > now + Duration::from_secs(365 * 24 * 60 * 60));
        let soon = deadline_after(Duration::from_secs(2));
        assert!(soon >= now + Duration::from_secs(2));
    }

    #[test]
    fn secret_fields_of_a_request_are_collected() {
        let mut out = Vec::new();
        collect_secret_fields(
            &serde_json::json!({"email": "a@b.c", "password": "hunter22", "nested": {"code": "123456"}}),
            &mut out,
        );
        out.sort();
        assert_eq!(out, ["123456", "hunter22"]);
    }
}
