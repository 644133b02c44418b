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
use std::rc::Rc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use scripto_wire::Secret;
use scripto_wire::types::Pagination;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::decode::{MAX_BODY, RawAnswer, decode};
use super::redact::collect_secret_fields;
use super::retry::{
    backoff, deadline_after, describe_transport_error, is_reset, network_error, retry_after,
    timed_out,
};
use super::url::{is_loopback, parse_base_url};
use super::verbose;
use crate::error::{Error, Result};
use crate::output::Spinner;

/// Connecting may take at most this long, whatever `--timeout` says.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Tries in all for a GET or DELETE.
const MAX_TRIES: u32 = 3;
pub const USER_AGENT: &str = concat!("scripto/", env!("CARGO_PKG_VERSION"));

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
            if self.verbose {
                let body = body.as_ref().map(|b| &b.json);
                self.log(&verbose::request(
                    &method,
                    &url,
                    self.credential.as_ref(),
                    body,
                    &known,
                ));
            }
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
                    if self.verbose {
                        self.log(&verbose::response(&raw, started.elapsed(), &known));
                    }
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
}
