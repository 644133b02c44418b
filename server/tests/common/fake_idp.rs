//! An OpenID Connect provider made to misbehave, for the faults a real one
//! does not produce: an ID token for another client, an expired one, one
//! signed with a key it does not publish, a rotated key, a provider that
//! goes away. The real provider (`oidc.rs`, oidc-provider from npm) covers
//! the sign-ins that go right.
//!
//! It serves discovery, its JWK Set (ES256 keys made by ring) and a token
//! endpoint that checks what a real one checks (client authentication, a
//! code used once, the PKCE verifier, the redirect URI). Tests read the
//! authorization request themselves and hand the provider a code with
//! [`FakeIdp::grant`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "scripto-test";
pub const CLIENT_SECRET: &str = "fake-idp-secret";

/// What the provider puts in the ID token for one code.
pub struct Grant {
    pub nonce: String,
    pub code_challenge: String,
    pub redirect_uri: String,
    /// Merged over the token's usual claims; a `null` removes a claim.
    pub claims: Value,
    /// Sign with a key the JWK Set does not hold (under the published
    /// key id): a forged token.
    pub forged: bool,
}

struct Key {
    kid: String,
    pair: EcdsaKeyPair,
}

impl Key {
    fn new(kid: &str) -> Key {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        Key {
            kid: kid.to_owned(),
            pair,
        }
    }

    fn jwk(&self) -> Value {
        let point = self.pair.public_key().as_ref();
        json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..]),
        })
    }

    fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "ES256", "typ": "JWT", "kid": self.kid });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()))
    }
}

struct Inner {
    issuer: String,
    key: Key,
    grants: HashMap<String, Grant>,
    /// How many times the JWK Set was fetched.
    key_fetches: usize,
}

/// The provider, on a loopback port until dropped.
pub struct FakeIdp {
    pub issuer: String,
    inner: Arc<Mutex<Inner>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeIdp {
    pub fn start() -> FakeIdp {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let issuer = format!("http://{addr}");
        let inner = Arc::new(Mutex::new(Inner {
            issuer: issuer.clone(),
            key: Key::new("key-1"),
            grants: HashMap::new(),
            key_fetches: 0,
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .with_state(inner.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        FakeIdp {
            issuer,
            inner,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The settings a server under test uses for this provider.
    pub fn settings(&self) -> scripto_server::OidcSettings {
        scripto_server::OidcSettings {
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.to_owned(),
            client_secret: scripto_wire::Secret::new(CLIENT_SECRET.to_owned()),
            name: "Fake IdP".to_owned(),
            org: "Fake Org".to_owned(),
            role: scripto_wire::types::Role::Member,
            allowed_domains: Vec::new(),
        }
    }

    /// Makes `code` redeemable once, for `grant`.
    pub fn grant(&self, code: &str, grant: Grant) {
        self.inner
            .lock()
            .unwrap()
            .grants
            .insert(code.to_owned(), grant);
    }

    /// A new signing key, under a new key id; the old one is withdrawn.
    pub fn rotate(&self, kid: &str) {
        self.inner.lock().unwrap().key = Key::new(kid);
    }

    pub fn key_fetches(&self) -> usize {
        self.inner.lock().unwrap().key_fetches
    }

    /// Stops answering (the port then refuses connections).
    pub fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for FakeIdp {
    fn drop(&mut self) {
        self.stop();
    }
}

type Shared = State<Arc<Mutex<Inner>>>;

async fn discovery(State(inner): Shared) -> Json<Value> {
    let issuer = inner.lock().unwrap().issuer.clone();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(inner): Shared) -> Json<Value> {
    let mut inner = inner.lock().unwrap();
    inner.key_fetches += 1;
    Json(json!({ "keys": [inner.key.jwk()] }))
}

fn refused(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

async fn token(State(inner): Shared, headers: HeaderMap, body: String) -> Response {
    let form: HashMap<String, String> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return refused("invalid_client", "client authentication failed");
    }
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let mut inner = inner.lock().unwrap();
    // A code is used once.
    let Some(grant) = inner.grants.remove(&field("code")) else {
        return refused("invalid_grant", "grant request is invalid");
    };
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(field("code_verifier").as_bytes()));
    if field("grant_type") != "authorization_code"
        || challenge != grant.code_challenge
        || field("redirect_uri") != grant.redirect_uri
    {
        return refused("invalid_grant", "PKCE verification or redirect_uri failed");
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut claims = json!({
        "iss": inner.issuer, "aud": CLIENT_ID, "sub": "fake-subject",
        "email": "sso@example.test", "email_verified": true,
        "nonce": grant.nonce, "iat": now, "exp": now + 300,
    });
    if let Value::Object(changes) = &grant.claims {
        let map = claims.as_object_mut().unwrap();
        for (k, v) in changes {
            if v.is_null() {
                map.remove(k);
            } else {
                map.insert(k.clone(), v.clone());
            }
        }
    }
    let id_token = if grant.forged {
        Key::new(&inner.key.kid).sign(&claims)
    } else {
        inner.key.sign(&claims)
    };
    Json(json!({
        "access_token": "fake-access-token", "token_type": "Bearer",
        "expires_in": 300, "id_token": id_token,
    }))
    .into_response()
}
