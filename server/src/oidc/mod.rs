//! The OpenID Connect relying party: what this server asks of an identity
//! provider for single sign-on (`--oidc-issuer`). The sign-in flow itself
//! (state, nonce, PKCE, who is signed in) is `service::sso`; this module
//! only speaks to the provider:
//!
//! - [`Provider::discover`] reads `<issuer>/.well-known/openid-configuration`
//!   and the provider's JWK Set once, at start (a misconfiguration stops
//!   the server with one line);
//! - [`Provider::authorize_url`] is where the browser is sent;
//! - [`Provider::redeem`] trades the code for an ID token at the token
//!   endpoint and checks it (`jws`: the signature, against the JWK Set,
//!   fetched again when a token names a key id it does not hold;
//!   `claims`: what the token says).
//!
//! Every request to the provider is bounded (connect 5 s, whole answer
//! 10 s, 1 MiB), follows no redirect, and speaks https, or plain http to a
//! loopback address only (tests and local trials).

pub mod claims;
pub mod jws;

use std::net::IpAddr;
use std::time::{Duration, Instant};

use scripto_wire::Secret;
use scripto_wire::types::Role;
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

pub use claims::{ClaimsError, Identity};
use jws::{Jwk, JwsError};

/// Bounds of every request to the provider.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_ANSWER_BYTES: usize = 1024 * 1024;
/// The JWK Set is fetched again at most this often, however many tokens
/// name a key id it does not hold.
const KEYS_REFRESH_MIN_INTERVAL: Duration = Duration::from_secs(1);

/// Single sign-on as configured (`scripto-server serve --oidc-*`). Its
/// `Debug` shows no secret: [`Secret`]'s does not.
#[derive(Clone, Debug)]
pub struct OidcSettings {
    /// The issuer URL, as the provider's discovery document must repeat it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// The button reads "Sign in with NAME".
    pub name: String,
    /// The organization people new to this server join (created by name
    /// if there is none).
    pub org: String,
    /// The role they get there.
    pub role: Role,
    /// The e-mail domains (lower case) whose people may join this way;
    /// empty: every address the provider verifies. A known user signs in
    /// whatever their domain.
    pub allowed_domains: Vec<String>,
}

/// What went wrong speaking to the provider, or with what it answered.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("cannot reach the identity provider's {what} at {url}: {detail}")]
    Unreachable {
        what: &'static str,
        url: String,
        detail: String,
    },
    #[error("the identity provider's {what} at {url} is not usable: {detail}")]
    BadAnswer {
        what: &'static str,
        url: String,
        detail: String,
    },
    /// The token endpoint refused the code (`invalid_grant`: used already,
    /// expired, or not this client's).
    #[error("the identity provider refused the sign-in: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused {
        error: String,
        description: Option<String>,
    },
    #[error("{0}")]
    Signature(JwsError),
    #[error(transparent)]
    Claims(#[from] ClaimsError),
}

/// What discovery found.
#[derive(Debug, Clone)]
struct Endpoints {
    issuer: String,
    authorization: String,
    token: String,
    jwks: String,
    /// `client_secret_basic` (the default), else `client_secret_post`.
    secret_in_header: bool,
    /// RFC 9207: the provider puts `iss` in its answers, so one without it
    /// is not the provider's.
    iss_in_answers: bool,
}

/// A discovered provider: its endpoints, its keys, and the HTTP client that
/// speaks to it.
pub struct Provider {
    settings: OidcSettings,
    endpoints: Endpoints,
    http: reqwest::Client,
    keys: RwLock<Vec<Jwk>>,
    /// Held while the JWK Set is fetched again, so that tokens arriving at
    /// once wait for one fetch; holds when the last fetch was.
    refresh: Mutex<Instant>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("settings", &self.settings)
            .field("endpoints", &self.endpoints)
            .finish_non_exhaustive()
    }
}

impl Provider {
    /// Reads the provider's discovery document and JWK Set.
    pub async fn discover(settings: OidcSettings) -> Result<Provider, OidcError> {
        // reqwest is built without a default crypto provider (the CLI
        // does the same); a second install (tests) changes nothing.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let issuer = settings.issuer.trim_end_matches('/').to_owned();
        let url = format!("{issuer}/.well-known/openid-configuration");
        let what = "discovery document";
        check_url(&url).map_err(|detail| bad(what, &url, detail))?;
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("scripto-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| bad(what, &url, e.to_string()))?;
        let body = get(&http, what, &url).await?;
        let endpoints = endpoints(&body, &issuer).map_err(|detail| bad(what, &url, detail))?;
        let keys = fetch_keys(&http, &endpoints.jwks).await?;
        tracing::info!(issuer = %endpoints.issuer, keys = keys.len(), "single sign-on provider discovered");
        Ok(Provider {
            settings,
            endpoints,
            http,
            keys: RwLock::new(keys),
            refresh: Mutex::new(Instant::now()),
        })
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The issuer as the provider names itself (what `iss` must say).
    pub fn issuer(&self) -> &str {
        &self.endpoints.issuer
    }

    /// Whether the provider's answers carry `iss` (RFC 9207).
    pub fn says_iss(&self) -> bool {
        self.endpoints.iss_in_answers
    }

    /// Where the browser goes to sign in: the authorization code flow
    /// with PKCE (S256), `state` and `nonce`.
    pub fn authorize_url(
        &self,
        redirect_uri: &str,
        state: &str,
        nonce: &str,
        code_challenge: &str,
    ) -> String {
        let q = form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid email profile")
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", code_challenge)
            .append_pair("code_challenge_method", "S256")
            .finish();
        let sep = if self.endpoints.authorization.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{sep}{q}", self.endpoints.authorization)
    }

    /// Trades `code` for an ID token and checks it: the person it names.
    pub async fn redeem(
        &self,
        code: &Secret,
        verifier: &Secret,
        redirect_uri: &str,
        nonce: &str,
        now: i64,
    ) -> Result<Identity, OidcError> {
        let id_token = self.token(code, verifier, redirect_uri).await?;
        let jws = jws::split(id_token.expose()).map_err(OidcError::Signature)?;
        self.verify(&jws).await?;
        let want = claims::Expected {
            issuer: &self.endpoints.issuer,
            client_id: &self.settings.client_id,
            nonce,
            now,
        };
        Ok(claims::check(&jws.payload, &want)?)
    }

    /// The token endpoint's answer to `code`: its ID token.
    async fn token(
        &self,
        code: &Secret,
        verifier: &Secret,
        redirect_uri: &str,
    ) -> Result<Secret, OidcError> {
        let what = "token endpoint";
        let url = &self.endpoints.token;
        let settings = &self.settings;
        let mut pairs = vec![
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
        ];
        if !self.endpoints.secret_in_header {
            pairs.push(("client_id", &settings.client_id));
            pairs.push(("client_secret", settings.client_secret.expose()));
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let mut req = self
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            );
        if self.endpoints.secret_in_header {
            // RFC 6749 §2.3.1: each part form-encoded, then Basic.
            let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            req = req.basic_auth(
                enc(&settings.client_id),
                Some(enc(settings.client_secret.expose())),
            );
        }
        let resp = req
            .body(body)
            .send()
            .await
            .map_err(|e| unreachable(what, url, &e))?;
        let status = resp.status();
        let body = read_bounded(resp, what, url).await?;
        #[derive(Deserialize)]
        struct Answer {
            id_token: Option<String>,
            error: Option<String>,
            error_description: Option<String>,
        }
        let answer: Answer = serde_json::from_slice(&body).map_err(|_| {
            bad(
                what,
                url,
                format!("answered {status} without a JSON document"),
            )
        })?;
        if let Some(error) = answer.error {
            return Err(OidcError::Refused {
                error: bounded_text(&error),
                description: answer.error_description.as_deref().map(bounded_text),
            });
        }
        if !status.is_success() {
            return Err(bad(what, url, format!("answered {status}")));
        }
        answer
            .id_token
            .map(Secret::new)
            .ok_or_else(|| bad(what, url, "gave no ID token".to_owned()))
    }

    /// Checks the signature; a key id this server does not hold, or a
    /// signature its keys do not verify, fetches the JWK Set again (the
    /// provider rotated its keys, perhaps under the same key id), at most
    /// once a [`KEYS_REFRESH_MIN_INTERVAL`].
    async fn verify(&self, token: &jws::Jws<'_>) -> Result<(), OidcError> {
        match token.verify(&self.keys.read().await) {
            Err(JwsError::NoKey(_) | JwsError::Signature) => {}
            other => return other.map_err(OidcError::Signature),
        }
        let mut last = self.refresh.lock().await;
        // Another token may have fetched them while this one waited.
        match token.verify(&self.keys.read().await) {
            Err(JwsError::NoKey(_) | JwsError::Signature)
                if last.elapsed() >= KEYS_REFRESH_MIN_INTERVAL => {}
            other => return other.map_err(OidcError::Signature),
        }
        let keys = fetch_keys(&self.http, &self.endpoints.jwks).await?;
        tracing::info!(
            keys = keys.len(),
            "fetched the identity provider's keys again"
        );
        *self.keys.write().await = keys;
        *last = Instant::now();
        drop(last);
        token
            .verify(&self.keys.read().await)
            .map_err(OidcError::Signature)
    }
}

/// A provider's words (an `error`, its description), cut to 200
/// characters before they reach a page or the log.
pub fn bounded_text(s: &str) -> String {
    s.chars().take(200).collect()
}

/// Reads the endpoints out of a discovery document, checking that it is
/// the configured issuer's (OpenID Connect Discovery 1.0 §4.3).
fn endpoints(body: &[u8], issuer: &str) -> Result<Endpoints, String> {
    #[derive(Deserialize)]
    struct Doc {
        issuer: String,
        authorization_endpoint: String,
        token_endpoint: String,
        jwks_uri: String,
        #[serde(default)]
        token_endpoint_auth_methods_supported: Option<Vec<String>>,
        #[serde(default)]
        authorization_response_iss_parameter_supported: bool,
    }
    let doc: Doc = serde_json::from_slice(body).map_err(|e| format!("it does not parse: {e}"))?;
    if doc.issuer.trim_end_matches('/') != issuer {
        return Err(format!(
            "it names the issuer {:?}, not {issuer:?} (set --oidc-issuer to the provider's issuer)",
            doc.issuer
        ));
    }
    for (name, url) in [
        ("authorization_endpoint", &doc.authorization_endpoint),
        ("token_endpoint", &doc.token_endpoint),
        ("jwks_uri", &doc.jwks_uri),
    ] {
        check_url(url).map_err(|e| format!("its {name} {e}"))?;
    }
    // Absent, the default is client_secret_basic (Discovery §3).
    let secret_in_header = doc
        .token_endpoint_auth_methods_supported
        .as_ref()
        .is_none_or(|m| m.iter().any(|m| m == "client_secret_basic"));
    if !secret_in_header
        && !doc
            .token_endpoint_auth_methods_supported
            .as_ref()
            .is_some_and(|m| m.iter().any(|m| m == "client_secret_post"))
    {
        return Err(
            "its token endpoint takes neither client_secret_basic nor client_secret_post"
                .to_owned(),
        );
    }
    Ok(Endpoints {
        issuer: doc.issuer,
        authorization: doc.authorization_endpoint,
        token: doc.token_endpoint,
        jwks: doc.jwks_uri,
        secret_in_header,
        iss_in_answers: doc.authorization_response_iss_parameter_supported,
    })
}

async fn fetch_keys(http: &reqwest::Client, url: &str) -> Result<Vec<Jwk>, OidcError> {
    let what = "key set";
    let body = get(http, what, url).await?;
    let keys = jws::parse_jwk_set(&body).map_err(|d| bad(what, url, d))?;
    if keys.is_empty() {
        return Err(bad(what, url, "it holds no signing key".to_owned()));
    }
    Ok(keys)
}

/// `https://`, or `http://` to a loopback address only: anything else
/// would send the client secret and take keys in the clear. Read by the
/// same URL parser the requests use, so that what is checked is where
/// they go (`http://evil.example\\@127.0.0.1/` goes to evil.example).
pub fn check_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    let host = parsed.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" if !host.is_empty() => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(format!(
            "{url:?} is plain http to a host that is not this machine (http is taken only on loopback addresses)"
        )),
        _ => Err(format!("{url:?} is not an https:// URL")),
    }
}

async fn get(http: &reqwest::Client, what: &'static str, url: &str) -> Result<Vec<u8>, OidcError> {
    let resp = http
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| unreachable(what, url, &e))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(bad(what, url, format!("it answered {status}")));
    }
    read_bounded(resp, what, url).await
}

/// The body of `resp`, refused past [`MAX_ANSWER_BYTES`].
async fn read_bounded(
    mut resp: reqwest::Response,
    what: &'static str,
    url: &str,
) -> Result<Vec<u8>, OidcError> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| unreachable(what, url, &e))? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(bad(what, url, "its answer is larger than 1 MiB".to_owned()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn unreachable(what: &'static str, url: &str, e: &reqwest::Error) -> OidcError {
    let detail = if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_connect() {
        "the connection failed".to_owned()
    } else if e.is_redirect() {
        "it redirected elsewhere".to_owned()
    } else {
        // The innermost cause says most ("connection refused", a TLS
        // error); reqwest's own text repeats the URL.
        let mut cause: &dyn std::error::Error = e;
        while let Some(inner) = cause.source() {
            cause = inner;
        }
        cause.to_string()
    };
    OidcError::Unreachable {
        what,
        url: url.to_owned(),
        detail,
    }
}

fn bad(what: &'static str, url: &str, detail: String) -> OidcError {
    OidcError::BadAnswer {
        what,
        url: url.to_owned(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_print_without_their_secret() {
        let settings = OidcSettings {
            issuer: "https://idp.example.com".into(),
            client_id: "scripto".into(),
            client_secret: Secret::new("s3cret-value"),
            name: "Example".into(),
            org: "Acme".into(),
            role: Role::Member,
            allowed_domains: vec![],
        };
        let printed = format!("{settings:?}");
        assert!(
            printed.contains("scripto") && !printed.contains("s3cret"),
            "{printed}"
        );
    }

    #[test]
    fn plain_http_is_taken_only_on_loopback() {
        for ok in [
            "https://login.example.com/tenant/v2.0",
            "http://127.0.0.1:9000",
            "http://127.8.0.1/x",
            "http://localhost:3000/",
            "http://[::1]:8080/issuer",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://idp.example.com",
            "http://10.0.0.1:9000",
            "http://127.0.0.1.example.com/",
            "http://localhost.example.com",
            "ftp://127.0.0.1",
            "127.0.0.1:9000",
            "http://evil.example\\@127.0.0.1/",
            "http://127.0.0.1@evil.example/",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn discovery_must_name_the_configured_issuer_and_usable_endpoints() {
        let doc = |issuer: &str, token: &str, methods: &str| {
            format!(
                r#"{{"issuer":"{issuer}","authorization_endpoint":"https://idp.example.com/auth",
                "token_endpoint":"{token}","jwks_uri":"https://idp.example.com/jwks"{methods}}}"#
            )
        };
        let ok = endpoints(
            doc(
                "https://idp.example.com",
                "https://idp.example.com/token",
                "",
            )
            .as_bytes(),
            "https://idp.example.com",
        )
        .unwrap();
        assert!(ok.secret_in_header);
        let post = endpoints(
            doc(
                "https://idp.example.com/",
                "https://idp.example.com/token",
                r#","token_endpoint_auth_methods_supported":["client_secret_post"]"#,
            )
            .as_bytes(),
            "https://idp.example.com",
        )
        .unwrap();
        assert!(!post.secret_in_header);
        assert_eq!(post.issuer, "https://idp.example.com/");

        let other = endpoints(
            doc(
                "https://evil.example.com",
                "https://idp.example.com/token",
                "",
            )
            .as_bytes(),
            "https://idp.example.com",
        )
        .unwrap_err();
        assert!(other.contains("evil.example.com"), "{other}");
        let clear = endpoints(
            doc(
                "https://idp.example.com",
                "http://idp.example.com/token",
                "",
            )
            .as_bytes(),
            "https://idp.example.com",
        )
        .unwrap_err();
        assert!(clear.contains("token_endpoint"), "{clear}");
        let neither = endpoints(
            doc(
                "https://idp.example.com",
                "https://idp.example.com/token",
                r#","token_endpoint_auth_methods_supported":["private_key_jwt"]"#,
            )
            .as_bytes(),
            "https://idp.example.com",
        )
        .unwrap_err();
        assert!(neither.contains("client_secret_basic"), "{neither}");
        assert!(endpoints(b"<html>", "https://idp.example.com").is_err());
    }
}
