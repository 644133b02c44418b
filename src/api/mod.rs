//! Talking to a scripto server: the HTTP client, the wire types, and the
//! masking that keeps secrets out of everything the client prints.

pub mod client;
pub mod decode;
pub mod listing;
pub mod redact;
pub mod retry;
pub mod types;
pub mod url;
pub mod verbose;

pub use client::{Answer, Client, ClientOptions};
pub use listing::Listing;

use scripto_wire::Secret;

use crate::context::Context;
use crate::credential::ResolvedCredential;
use crate::error::Result;

impl Context {
    /// A client that authenticates with the resolved key (flag, environment
    /// or profile). Fails with exit 3 when there is none.
    pub fn client(&self) -> Result<Client> {
        let credential = self.credential()?;
        self.client_with(&credential)
    }

    /// A client for `credential` (whose key `credential()` has already
    /// checked offline). Its expiry, when its profile records it, draws a
    /// warning within 14 days.
    pub fn client_with(&self, credential: &ResolvedCredential) -> Result<Client> {
        if let Some(profile) = &credential.profile {
            self.warn_if_expiring(profile);
        }
        self.client_for(&self.api_url()?.value, Some(credential.key.clone()))
    }

    /// A client for a given server and credential (a profile's own server,
    /// a key read from stdin, a session token).
    pub fn client_for(&self, api_url: &str, credential: Option<Secret>) -> Result<Client> {
        let spinner = self.out.wants_spinner(self.verbose());
        Ok(Client::new(ClientOptions {
            base_url: api_url.to_owned(),
            credential,
            timeout: self.timeout(),
            verbose: self.verbose(),
        })?
        .with_spinner(spinner))
    }

    /// A client without a credential, for the login endpoints.
    pub fn anonymous_client(&self) -> Result<Client> {
        self.anonymous_client_for(&self.api_url()?.value)
    }

    /// A client without a credential for a given server (a saved MFA
    /// challenge belongs to the server that issued it).
    pub fn anonymous_client_for(&self, api_url: &str) -> Result<Client> {
        self.client_for(api_url, None)
    }

    fn warn_if_expiring(&self, profile: &str) {
        let Ok(config) = self.config() else { return };
        let Some(expires_at) = config
            .profiles
            .get(profile)
            .and_then(|p| p.expires_at.as_deref())
        else {
            return;
        };
        warn_expiry(self, &format!("profile {profile}"), expires_at);
    }
}

/// One line on stderr when a key expires within 14 days (or has expired);
/// `whose` names the key's origin ("profile work", "environment …").
pub fn warn_expiry(ctx: &Context, whose: &str, expires_at: &str) {
    match types::time_left(expires_at) {
        Some(left) if left <= types::EXPIRY_WARNING => ctx.out.warn(format!(
            "the key from {whose} expires in {} ({expires_at}); replace it with `scripto keys rotate`",
            types::human_duration(left)
        )),
        None if types::parse_time(expires_at).is_some() => ctx.out.warn(format!(
            "the key from {whose} expired at {expires_at}; log in again with `scripto auth login`"
        )),
        _ => {}
    }
}
